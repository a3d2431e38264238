"""Where reports go: ``--output FORMAT[:PATH]`` (repeatable) and the job summary.

One run can write terminal text, annotations, a JSON artifact and a Markdown summary
together, so each ``--output`` names a format and optionally a file (no path, or ``-``,
means stdout). Reporters only return strings; this module is the one place that writes
them. Inside GitHub Actions (``GITHUB_STEP_SUMMARY`` set) the Markdown report is
appended to the step summary unless a Markdown output was asked for explicitly; GitHub
refuses a step summary over 1 MiB, so it is cut on a line boundary below that (counting
what the step already wrote to the file), with a closing "truncated, N more lines" note.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import typing as t
from pathlib import Path

from validator.escape import blob_base_url, printable
from validator.findings import Report
from validator.report import REPORTERS, get_reporter

STEP_SUMMARY_LIMIT = 1024 * 1024
"""GitHub's per-step summary limit, in bytes (workflow-commands docs)."""

STEP_SUMMARY_BUDGET = 1_000_000
"""What we write at most, leaving room under the limit for other steps' appends."""


class OutputError(Exception):
    """An output file could not be written: carries a one-line message."""


@dataclasses.dataclass(frozen=True)
class OutputSpec:
    """One ``--output``: a registered format name and a file, or ``None`` for stdout."""

    format: str
    path: Path | None = None


def parse_output_spec(text: str) -> OutputSpec:
    """Read ``FORMAT`` or ``FORMAT:PATH``; raise ``ValueError`` with a one-line message."""
    name, sep, path = text.partition(":")
    name = name.strip().lower()
    if name not in REPORTERS:
        known = ", ".join(REPORTERS)
        raise ValueError(f"unknown output format {name!r} in {text!r} (known: {known})")
    if sep and not path:
        raise ValueError(f"empty path in {text!r}: write FORMAT or FORMAT:PATH")
    return OutputSpec(name, None if not sep or path == "-" else Path(path))


def cap_markdown(text: str, limit: int = STEP_SUMMARY_BUDGET) -> str:
    """``text`` cut on a line boundary to fit ``limit`` UTF-8 bytes, with a closing note.

    An open ``<details>`` block is closed so the rest of the summary still renders.
    """
    if len(text.encode("utf-8")) <= limit:
        return text
    lines = text.splitlines(keepends=True)
    # Reserve room for the note and a closing tag; the count has at most 7 digits.
    reserve = len("\n</details>\n\n_Report truncated, 9999999 more lines not shown._\n")
    kept: list[str] = []
    size = 0
    for line in lines:
        n = len(line.encode("utf-8"))
        if size + n > limit - reserve:
            break
        kept.append(line)
        size += n
    more = len(lines) - len(kept)
    body = "".join(kept)
    if body.count("<details>") > body.count("</details>"):
        body += "\n</details>\n"
    return body + f"\n_Report truncated, {more} more lines not shown._\n"


def _append_summary(path: Path, text: str) -> None:
    """Append ``text`` to the step summary, capped to what the step has left.

    GitHub's 1 MiB limit applies to everything the step appended (an earlier command
    in the same step, another ``--output`` aimed at the summary), and a step over it
    loses its whole summary. So the budget is :data:`STEP_SUMMARY_BUDGET` minus the
    bytes already in the file; when not even the closing note fits in that, a
    one-line note is written only if it stays under the hard limit.
    """
    try:
        used = path.stat().st_size
    except OSError:
        used = 0
    room = STEP_SUMMARY_BUDGET - used
    capped = cap_markdown(text, max(room, 0))
    if len(capped.encode("utf-8")) > room:
        # Not even the truncation note fits in the budget: say so if the limit allows.
        capped = "\n_Report not shown: the step summary is full._\n"
        if used + len(capped.encode("utf-8")) > STEP_SUMMARY_LIMIT:
            return
    _write(path, capped, append=True)


def _options(name: str, environ: t.Mapping[str, str], color: bool) -> dict[str, t.Any]:
    options: dict[str, t.Any] = {"color": color}
    if name in ("markdown", "html"):
        options["blob_base_url"] = blob_base_url(environ)
    return options


def _write(path: Path, text: str, *, append: bool = False) -> None:
    try:
        if path.parent != Path():
            path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a" if append else "w", encoding="utf-8", newline="") as fh:
            _write_text(fh, text)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e


WRITE_CHUNK = 1 << 20
"""Characters encoded at a time: a big report is never held twice, as text and bytes."""


def _write_text(fh: t.TextIO, text: str) -> None:
    for start in range(0, len(text), WRITE_CHUNK):
        fh.write(text[start : start + WRITE_CHUNK])


def _same_file(a: Path, b: Path) -> bool:
    return os.path.abspath(a) == os.path.abspath(b)


def write_outputs(
    report: Report,
    specs: t.Sequence[OutputSpec],
    *,
    color: bool,
    environ: t.Mapping[str, str],
    stdout: t.TextIO | None = None,
) -> None:
    """Render ``report`` once per spec and write each, in order; then the step summary.

    ``color`` applies to stdout only (files never get escape codes). With
    ``GITHUB_STEP_SUMMARY`` in ``environ`` and no Markdown spec, the Markdown report is
    appended there, capped. A spec whose path *is* the step summary is appended and
    capped too; each append is capped to what the step has left. Raises
    :class:`OutputError` when a file cannot be written.
    """
    out = stdout if stdout is not None else sys.stdout
    summary_env = environ.get("GITHUB_STEP_SUMMARY")
    summary = Path(summary_env) if summary_env else None
    for spec in specs:
        to_summary = (
            summary is not None and spec.path is not None and _same_file(spec.path, summary)
        )
        options = _options(spec.format, environ, color and spec.path is None)
        # a file name the OS gave as undecodable bytes: shown escaped, never a crash
        text = printable(get_reporter(spec.format, **options).format(report))
        if spec.path is None:
            _write_text(out, text)
            out.flush()
        elif to_summary:
            _append_summary(spec.path, text)
        else:
            _write(spec.path, text)
    if summary is not None and not any(s.format == "markdown" for s in specs):
        text = get_reporter("markdown", **_options("markdown", environ, False)).format(report)
        _append_summary(summary, printable(text))


__all__ = [
    "STEP_SUMMARY_BUDGET",
    "OutputError",
    "OutputSpec",
    "blob_base_url",
    "cap_markdown",
    "parse_output_spec",
    "write_outputs",
]
