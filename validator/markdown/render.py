"""Write the page back from a catalog folder: prose from the template, the rest generated.

The catalog is the single source of truth; the page is a view of it. The template
(``page.md.in`` in the catalog folder, written by the importer) holds the page's prose
and one marker line per generated block: a table per entry kind, the license list and
the eval list. Rendering is deterministic, so ``render --check`` can tell a stale page
by plain text comparison.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t
from pathlib import Path

from validator.catalog.loader import LICENSES_FILE, walk
from validator.catalog.model import KIND_FOLDERS, Entry, LicenseBook
from validator.catalog.source import SourceError, load
from validator.markdown import cells
from validator.markdown.cells import Unshowable
from validator.markdown.cells import link as format_link
from validator.markdown.importer import (
    TEMPLATE_NAME,
    column_key,
    date_order,
    default_header,
)

_MARKER = re.compile(r"^<!-- generated: (?P<block>[a-z-]+)(?P<options>(?:; [a-z]+: [^;]*)*) -->$")
_OPTION = re.compile(r"; (?P<key>[a-z]+): (?P<value>[^;]*)")
DEFAULT_TEMPLATE = """\
# Open Models

## Open LLMs

<!-- generated: language-model -->

## Open LLMs for code

<!-- generated: code-model -->

## Open LLM datasets for pre-training

<!-- generated: pretraining-dataset -->

## Open LLM datasets for instruction-tuning

<!-- generated: instruction-dataset -->

## Open LLM datasets for alignment-tuning

<!-- generated: alignment-dataset -->

## What Do the Licenses Mean?

<!-- generated: licenses -->

## Evals on open LLMs

<!-- generated: eval -->
"""
"""Used when a catalog has no ``page.md.in``: every block, no prose."""


class RenderError(Exception):
    """The catalog cannot be rendered; the message names the file."""


__all__ = ["RenderError", "Unshowable", "format_link", "render", "render_folder"]


@dataclasses.dataclass
class CatalogView:
    """What rendering needs from a catalog folder."""

    entries: list[Entry]
    licenses: LicenseBook | None
    template: str


def load_folder(folder: Path) -> CatalogView:
    """Read every entry file (sorted by path), the license book and the template."""
    if not folder.is_dir():
        raise RenderError(f"{folder}: catalog folder not found")
    entries: list[Entry] = []
    licenses = None
    for path in walk(folder):
        try:
            source = load(path)
        except SourceError as exc:
            place = f":{exc.line}:{exc.column}" if exc.line else ""
            raise RenderError(f"{path}{place}: {exc.message}") from None
        if path.relative_to(folder).as_posix() == LICENSES_FILE:
            licenses = LicenseBook.from_source(source)
        else:
            entries.append(Entry(source))
    template_path = folder / TEMPLATE_NAME
    try:
        template = template_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        template = DEFAULT_TEMPLATE
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderError(f"{template_path}: cannot read template: {exc}") from None
    return CatalogView(entries, licenses, template)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _row(cells_: t.Sequence[str]) -> str:
    return "|" + "|".join(f" {_cell(c)} " if c else " " for c in cells_) + "|"


def _licenses(entry: Entry, book: LicenseBook | None) -> str:
    def name_of(license_id: str) -> str:
        found = book.get(license_id) if book else None
        if found is None:
            raise RenderError(f"{entry.file}: license {license_id!r} is not in {LICENSES_FILE}")
        return found.name

    return cells.format_license_refs(entry.data.get("licenses") or [], name_of)


def _entry_cells(entry: Entry, header: t.Sequence[str], book: LicenseBook | None) -> list[str]:
    """The row's cells under ``header``: ``raw`` text where the entry keeps it."""
    data = entry.data
    raw = data.get("raw") or {}
    out = []
    for column in header:
        field = column_key(column)
        if field is None:
            raise RenderError(f"{TEMPLATE_NAME}: unknown column {column!r}")
        if field in raw:
            out.append(cells.text(raw[field]))
        elif field == "licenses":
            out.append(_licenses(entry, book))
        else:
            out.append(cells.format_value(field, data.get(field)))
    return out + [cells.text(c) for c in raw.get("surplus") or []]


def _ordered(entries: list[Entry], order: list[str]) -> list[Entry]:
    """Entries named in ``order`` first, in that order; the rest by release date, name."""
    rank = {entry_id: i for i, entry_id in enumerate(order)}
    listed = sorted((e for e in entries if e.id in rank), key=lambda e: rank[e.id])
    rest = sorted((e for e in entries if e.id not in rank), key=lambda e: date_order(e.data))
    return listed + rest


def _order_option(options: t.Mapping[str, str]) -> list[str]:
    """A marker's ``order`` option: the comma-separated entry ids the page keeps."""
    return [i.strip() for i in options.get("order", "").split(",") if i.strip()]


def render_table(
    kind: str,
    entries: list[Entry],
    book: LicenseBook | None,
    options: t.Mapping[str, str] | None = None,
) -> list[str]:
    """One kind's table: the page's row order when the template keeps one, else oldest
    release first, then by name."""
    options = options or {}
    header = (
        tuple(h.strip() for h in options["header"].split(" | "))
        if "header" in options
        else default_header(kind)
    )
    order = _order_option(options)
    lines = [_row(header), _row(["---"] * len(header))]
    for entry in _ordered(entries, order):
        try:
            lines.append(_row(_entry_cells(entry, header, book)))
        except Unshowable as exc:
            raise RenderError(f"{entry.file}: {exc}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise RenderError(f"{entry.file}: cannot render entry ({exc!r})") from None
    return lines


def render_licenses(book: LicenseBook | None) -> list[str]:
    """The "What Do the Licenses Mean?" list: licenses with a summary, in file order."""
    try:
        return [
            f"- {format_link(lic.name, lic.url)}: {cells.text(lic.summary)}"
            for lic in (book.licenses if book else [])
            if lic.summary
        ]
    except Unshowable as exc:
        raise RenderError(f"{book.source.display if book else LICENSES_FILE}: {exc}") from None


def render_evals(entries: list[Entry], order: t.Sequence[str] = ()) -> list[str]:
    """The eval list: the page's order when the template keeps one, else file-name order."""
    rank = {entry_id: i for i, entry_id in enumerate(order)}
    lines = []
    for entry in sorted(entries, key=lambda e: (rank.get(e.id, len(rank)), e.file)):
        if not isinstance(entry.data.get("name"), str):
            raise RenderError(f"{entry.file}: an eval needs a name")
        try:
            lines.append(f"- {format_link(entry.data['name'], entry.data.get('url'))}")
        except Unshowable as exc:
            raise RenderError(f"{entry.file}: {exc}") from None
    return lines


def _entries_by_kind(view: CatalogView) -> dict[str, list[Entry]]:
    """The catalog's entries grouped by kind, every known kind present (maybe empty)."""
    by_kind: dict[str, list[Entry]] = {kind: [] for kind in KIND_FOLDERS}
    for entry in view.entries:
        if entry.kind not in by_kind:
            raise RenderError(f"{entry.file}: unknown kind {entry.kind!r}")
        by_kind[entry.kind].append(entry)
    return by_kind


def _render_block(
    block: str,
    options: t.Mapping[str, str],
    by_kind: dict[str, list[Entry]],
    book: LicenseBook | None,
) -> list[str]:
    """The lines a template marker stands for."""
    if block == "licenses":
        return render_licenses(book)
    if block == "eval":
        return render_evals(by_kind["eval"], _order_option(options))
    if block in by_kind:
        return render_table(block, by_kind[block], book, options)
    raise RenderError(f"{TEMPLATE_NAME}: unknown block {block!r}")


def render(view: CatalogView) -> str:
    """The whole page for a loaded catalog folder."""
    by_kind = _entries_by_kind(view)
    out: list[str] = []
    used: set[str] = set()
    for line in view.template.splitlines():
        match = _MARKER.match(line.strip())
        if not match:
            out.append(line)
            continue
        options = {m["key"]: m["value"].strip() for m in _OPTION.finditer(match["options"])}
        used.add(match["block"])
        out += _render_block(match["block"], options, by_kind, view.licenses)
    missing = [kind for kind, found in by_kind.items() if found and kind not in used]
    if missing:
        raise RenderError(
            f"{TEMPLATE_NAME}: no place for {', '.join(missing)} entries (add a marker)"
        )
    return "\n".join(out) + "\n"


def render_folder(folder: Path) -> str:
    """Load ``folder`` and render it."""
    return render(load_folder(folder))
