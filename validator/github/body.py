"""The report issue's body: marker, hidden keys and digest, counts, rows cut to fit.

Bodies stay under GitHub's 65,536-character limit: rows are cut on a line boundary at
a 60,000 budget, counted in UTF-16 code units as GitHub counts them (not Python code
points), with a count and a link to the full report artifact. Every text from the
report goes through :func:`validator.escape.md_text`.
"""

from __future__ import annotations

import hashlib
import re
import typing as t

from validator import __version__
from validator.escape import failure_age, file_link, md_code, md_text
from validator.github.failures import Failure

MARKER = "<!-- validator-report:v1 -->"
BODY_LIMIT = 65_536
BODY_BUDGET = 60_000
"""Characters we allow ourselves, counted as GitHub does: in UTF-16 code units."""
KEYS_BUDGET = 30_000
"""Room for the hidden key list; beyond it only the digest decides what changed."""

_KEYS_RE = re.compile(r"<!-- validator-failures: ([0-9a-f ]*) -->")
_DIGEST_RE = re.compile(r"<!-- validator-digest: ([0-9a-f]+) -->")


def digest(failures: t.Iterable[Failure]) -> str:
    """A fingerprint of the whole failure set (order-independent)."""
    keys = "\n".join(sorted({f.key for f in failures}))
    return hashlib.sha256(keys.encode("utf-8")).hexdigest()[:16]


def previous_keys(body: str) -> tuple[set[str], str | None]:
    """Short keys and digest stored in an issue body by an earlier run."""
    keys = _KEYS_RE.search(body)
    found = _DIGEST_RE.search(body)
    return (set(keys.group(1).split()) if keys else set(), found.group(1) if found else None)


def utf16_length(text: str) -> int:
    """``text``'s length as GitHub counts it (JavaScript ``length``: UTF-16 code units).

    Python's ``len()`` counts code points, so an astral character (emoji, rare CJK)
    is one for Python and two for GitHub's 65,536-character body limit.
    """
    return len(text.encode("utf-16-le")) // 2


def _age(f: Failure) -> str:
    return failure_age(f.first_failed, f.runs)


def _where(f: Failure, blob_base_url: str | None) -> str:
    if not f.file:
        return "-"
    label = f"{md_text(f.file)}:{f.line}" if f.line else md_text(f.file)
    entry = f" {md_code(f.entry)}" if f.entry else ""
    return f"[{label}]({file_link(f.file, f.line, blob_base_url)}){entry}"


def _head(
    failures: t.Sequence[Failure],
    new: t.Collection[str],
    *,
    today: str,
    fail_after: int,
    artifact_url: str | None,
) -> list[str]:
    """Marker, hidden keys and digest, title and counts."""
    keys = " ".join(sorted({f.short_key for f in failures}))
    if len(keys) > KEYS_BUDGET:
        keys = keys[: keys.rfind(" ", 0, KEYS_BUDGET)]
    n_new = sum(1 for f in failures if f.key in new)
    head = [
        MARKER,
        f"<!-- validator-failures: {keys} -->",
        f"<!-- validator-digest: {digest(failures)} -->",
        f"## Catalog report: {len(failures)} failure{'s' if len(failures) != 1 else ''}",
        "",
        f"Updated {today} by validator {__version__}: **{n_new} new**, "
        f"{len(failures) - n_new} persisting. A link counts after {fail_after} consecutive "
        "failing run" + ("s." if fail_after != 1 else "."),
    ]
    if artifact_url:
        head += [
            "",
            f"Full report: {artifact_url} (open `report.html` for link health by host "
            "and the failing links per night)",
        ]
    return [*head, ""]


def _sections(
    failures: t.Sequence[Failure], new: t.Collection[str], blob_base_url: str | None
) -> list[tuple[list[str], list[str]]]:
    """(header lines, rows) of the failing-links table and the failing-checks table."""

    def mark(f: Failure) -> str:
        return "**new**" if f.key in new else ""

    # New ones first: they are what a reader opens the issue for.
    ordered = sorted(failures, key=lambda f: f.key not in new)
    links = [
        f"| {mark(f)} | {md_text(f.what)} | {md_text(f.message)} | "
        f"{_where(f, blob_base_url)} | {_age(f)} |"
        for f in ordered
        if f.kind == "link"
    ]
    checks = [
        f"| {mark(f)} | {md_code(f.what)} | {_where(f, blob_base_url)} | {md_text(f.message)} |"
        for f in ordered
        if f.kind == "finding"
    ]
    return [
        (
            [
                "### Failing links",
                "",
                "| | URL | problem | where | failing since |",
                "|---|---|---|---|---|",
            ],
            links,
        ),
        (["### Failing checks", "", "| | rule | where | message |", "|---|---|---|---|"], checks),
    ]


def _fit(
    lines: list[str], sections: list[tuple[list[str], list[str]]], room: int
) -> tuple[list[str], int]:
    """``lines`` plus as many section rows as fit in ``room`` UTF-16 units; rows shown."""
    size = sum(utf16_length(x) + 1 for x in lines)
    shown = 0
    for header, rows in sections:
        if not rows:
            continue
        block = sum(utf16_length(x) + 1 for x in header)
        if size + block > room:
            break
        lines, size = [*lines, *header], size + block
        for row in rows:
            if size + utf16_length(row) + 1 > room:
                return lines + [""], shown
            lines.append(row)
            size += utf16_length(row) + 1
            shown += 1
        lines.append("")
        size += 1
    return lines, shown


def render_body(
    failures: t.Sequence[Failure],
    new: t.Collection[str],
    *,
    today: str,
    fail_after: int,
    blob_base_url: str | None = None,
    artifact_url: str | None = None,
    budget: int = BODY_BUDGET,
) -> str:
    """The issue body: marker, hidden keys, counts, then rows cut to ``budget``."""
    head = _head(failures, new, today=today, fail_after=fail_after, artifact_url=artifact_url)
    see = f"see the full report: {artifact_url}" if artifact_url else "see the workflow run"
    # Keep room for the closing note, whatever the count.
    note_room = utf16_length(f"\n_Truncated: 9999999 more failures not shown; {see}._\n")
    lines, shown = _fit(head, _sections(failures, new, blob_base_url), budget - note_room)
    if shown < len(failures):
        lines.append(f"_Truncated: {len(failures) - shown} more failures not shown; {see}._")
    return "\n".join(lines).rstrip("\n") + "\n"


__all__ = [
    "BODY_BUDGET",
    "BODY_LIMIT",
    "MARKER",
    "digest",
    "previous_keys",
    "render_body",
    "utf16_length",
]
