"""``validator links --fix``: rewrite permanently redirected URLs in the catalog files.

Only the URL text changes: the file is edited as text at the place the YAML parser
says the value sits (the first occurrence of the exact old URL at or after its key),
so comments, quoting, key order and blank lines stay as they were. A file is written
only when every replacement in it was found; a URL that is not where we expected it
(edited since the run started) is left alone and reported. Files are rewritten through
:mod:`validator.textfile`: bytes kept (CRLF, BOM), atomically, and only when the file
still holds what the run read; a file that cannot be rewritten is skipped with its
reason and the others are still fixed.
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from validator.findings import LinkResult, Verdict
from validator.http.redirects import permanent_target
from validator.links.extract import LinkRef
from validator.textfile import FileSkipped, TextFile, split_lines


@dataclasses.dataclass
class FixReport:
    """What ``--fix`` changed."""

    changed: list[tuple[str, int, str, str]] = dataclasses.field(default_factory=list)
    """``(file, line, old, new)`` per rewritten occurrence."""
    skipped: list[tuple[str, int, str]] = dataclasses.field(default_factory=list)
    """``(file, line, url)`` per occurrence that could not be rewritten safely."""
    files_skipped: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    """``(file, reason)`` per file left as it was: changed since it was read, vanished,
    read-only, or not writable (a full disk)."""


def _offset(text: str, line: int, column: int) -> int:
    lines = split_lines(text)  # where YAML breaks lines, CRLF kept
    return sum(len(x) for x in lines[: max(0, line - 1)]) + max(0, column - 1)


_FLOW_SPECIAL = frozenset(",[]{}")


def _quoted_like(text: str, start: int, end: int, new: str) -> str:
    """``new`` written so that it fits the scalar style the old URL sits in.

    Single-quoted: ``'`` doubled. Double-quoted: ``\\`` and ``"`` escaped. Plain: kept
    as is, except inside a flow collection (``[a, b]``), where ``,[]{}`` would end the
    value; then it is single-quoted.
    """
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before == "'" and after == "'":
        return new.replace("'", "''")
    if before == '"' and after == '"':
        return new.replace("\\", "\\\\").replace('"', '\\"')
    if _FLOW_SPECIAL.isdisjoint(new):
        return new
    line_start = text.rfind("\n", 0, start) + 1
    prefix = text[line_start:start]
    depth = sum(prefix.count(c) for c in "[{") - sum(prefix.count(c) for c in "]}")
    if depth > 0 or prefix.rstrip().endswith(("[", "{", ",")):
        return "'" + new.replace("'", "''") + "'"
    return new


def rewrite_text(text: str, edits: t.Sequence[tuple[int, int, str, str]]) -> tuple[str, list[int]]:
    """Apply ``(line, column, old, new)`` edits; return new text and indexes not applied.

    The old URL must appear at or after the position, before the next line holding a
    YAML key (a long value may be folded onto the following line).
    """
    spans: list[tuple[int, int, str]] = []
    missed: list[int] = []
    for i, (line, column, old, new) in enumerate(edits):
        start = _offset(text, line, column)
        found = text.find(old, start, start + len(old) + 400)
        end = found + len(old)
        # Never rewrite a prefix of a longer URL.
        boundary_ok = end >= len(text) or text[end] in " \t\r\n\"'#,]}"
        if found < 0 or not boundary_ok or any(s <= found < e for s, e, _ in spans):
            missed.append(i)
            continue
        spans.append((found, end, _quoted_like(text, found, end, new)))
    out = text
    for s, e, new in sorted(spans, reverse=True):
        out = out[:s] + new + out[e:]
    return out, missed


def fix_redirects(results: t.Iterable[LinkResult], refs: t.Iterable[LinkRef]) -> FixReport:
    """Rewrite every catalog occurrence of each ``redirected`` URL to its new URL."""
    new_url = {
        r.url: target
        for r in results
        if r.verdict is Verdict.REDIRECTED and (target := permanent_target(r.url, r.redirects))
    }
    by_file: dict[Path, list[LinkRef]] = {}
    for ref in refs:
        if ref.entry is not None and ref.url in new_url:
            by_file.setdefault(ref.entry.path, []).append(ref)
    report = FixReport()
    for path, file_refs in by_file.items():
        try:
            _fix_file(path, file_refs, new_url, report)
        except FileSkipped as exc:
            report.files_skipped.append((file_refs[0].location.file, str(exc)))
    return report


def _fix_file(path: Path, refs: list[LinkRef], new_url: dict[str, str], report: FixReport) -> None:
    """Rewrite one file atomically; :class:`FileSkipped` leaves it as it was."""
    file = TextFile.read(path)
    entry = refs[0].entry
    if entry is not None and file.text != entry.source.text:
        raise FileSkipped("changed on disk since it was read")
    edits = [(r.location.line, r.location.column, r.url, new_url[r.url]) for r in refs]
    new_text, missed = rewrite_text(file.text, edits)
    if new_text != file.text:
        file.replace(new_text)
    for i, r in enumerate(refs):
        if i in missed:
            report.skipped.append((r.location.file, r.location.line, r.url))
        else:
            report.changed.append((r.location.file, r.location.line, r.url, new_url[r.url]))
