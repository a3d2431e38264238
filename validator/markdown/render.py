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
from validator.catalog.model import KIND_FOLDERS, MODEL_KINDS, Entry, LicenseBook
from validator.catalog.source import SourceError, load
from validator.markdown import values
from validator.markdown.importer import TEMPLATE_NAME
from validator.markdown.page import LINK_TEXT
from validator.markdown.page import format_link as _format_link

_MARKER = re.compile(r"^<!-- generated: (?P<block>[a-z-]+) -->$")
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

_MODEL_HEADER = (
    "Language Model", "Release Date", "Checkpoints", "Paper/Blog", "Params (B)",
    "Context Length", "License", "Try it",
)  # fmt: skip
_DATASET_HEADER = ("Name", "Release Date", "Paper/Blog", "Dataset", "{amount}", "License")


class RenderError(Exception):
    """The catalog cannot be rendered; the message names the file."""


class Unshowable(ValueError):
    """A value that Markdown cannot carry so that importing the page gives it back."""


_LINK_TEXT = re.compile(LINK_TEXT)
_LINK_URL = re.compile(r"(?:[^()\s]|\([^()\s]*\))*")


def _text(value: t.Any) -> str:
    """A value as cell or list text; refuse what would break the line or vanish."""
    text = str(value)
    if "\n" in text or "\r" in text or "<!--" in text:
        raise Unshowable(f"{text!r} cannot be shown on the page (line break or HTML comment)")
    return text


def format_link(value: t.Any, url: t.Any) -> str:
    """``[text](url)`` checked so that the importer reads the same link back."""
    text = _text(value)
    if url is None:
        return text
    if not _LINK_TEXT.fullmatch(text):
        raise Unshowable(f"link text {text!r} cannot be shown on the page (unbalanced [ ])")
    if not isinstance(url, str) or not _LINK_URL.fullmatch(url):
        raise Unshowable(f"URL {url!r} cannot be shown on the page (space or unbalanced ( ))")
    return _format_link(text, url)


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


def _row(cells: t.Sequence[str]) -> str:
    return "|" + "|".join(f" {_cell(c)} " if c else " " for c in cells) + "|"


def _links(items: list[dict[str, t.Any]] | None, text_key: str = "name") -> str:
    return ", ".join(format_link(i[text_key], i.get("url")) for i in items or [])


def _papers(items: list[dict[str, t.Any]] | None) -> str:
    out = ""
    for item in items or []:
        link = format_link(item["title"], item.get("url"))
        if item.get("aside"):
            out += f" ({link})"
        else:
            out += (", " if out else "") + link
    return out


def _context(context: dict[str, t.Any] | None) -> str:
    if not context:
        return ""
    return format_link(values.format_context(context), context.get("source"))


def _licenses(entry: Entry, book: LicenseBook | None) -> str:
    names = []
    for ref in entry.data.get("licenses") or []:
        license_id = ref if isinstance(ref, str) else ref["id"]
        found = book.get(license_id) if book else None
        if found is None:
            raise RenderError(f"{entry.file}: license {license_id!r} is not in {LICENSES_FILE}")
        names.append(format_link(found.name, None if isinstance(ref, str) else ref.get("url")))
    return ", ".join(names)


def _quantity(value: t.Any, **style: bool) -> str:
    return "" if value is None else values.format_quantity(value, **style)


def _entry_cells(entry: Entry, book: LicenseBook | None) -> list[str]:
    data = entry.data
    released = values.format_date(data["released"]) if data.get("released") else ""
    if entry.kind in MODEL_KINDS:
        return [
            _text(data["name"]),
            released,
            _links(data.get("checkpoints")),
            _papers(data.get("papers")),
            _quantity(data.get("params_b")),
            _context(data.get("context_length")),
            _licenses(entry, book),
            _links(data.get("try_it")),
        ]
    amount = data.get("tokens_t", data.get("samples_k"))
    return [
        _text(data["name"]),
        released,
        _papers(data.get("papers")),
        _links(data.get("datasets")),
        _quantity(amount, thousands=True),
        _licenses(entry, book),
    ]


def _sort_key(entry: Entry) -> tuple[str, str, str]:
    name = str(entry.data.get("name", ""))
    return (str(entry.data.get("released", "")), name.casefold(), name)


def render_table(kind: str, entries: list[Entry], book: LicenseBook | None) -> list[str]:
    """One kind's table, oldest release first, then by name."""
    if kind in MODEL_KINDS:
        header: tuple[str, ...] = _MODEL_HEADER
    else:
        amount = "Tokens (T)" if kind == "pretraining-dataset" else "Samples (K)"
        header = tuple(h.format(amount=amount) for h in _DATASET_HEADER)
    lines = [_row(header), _row(["---"] * len(header))]
    for entry in sorted(entries, key=_sort_key):
        try:
            lines.append(_row(_entry_cells(entry, book)))
        except Unshowable as exc:
            raise RenderError(f"{entry.file}: {exc}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise RenderError(f"{entry.file}: cannot render entry ({exc!r})") from None
    return lines


def render_licenses(book: LicenseBook | None) -> list[str]:
    """The "What Do the Licenses Mean?" list: licenses with a summary, in file order."""
    try:
        return [
            f"- {format_link(lic.name, lic.url)}: {_text(lic.summary)}"
            for lic in (book.licenses if book else [])
            if lic.summary
        ]
    except Unshowable as exc:
        raise RenderError(f"{book.source.display if book else LICENSES_FILE}: {exc}") from None


def render_evals(entries: list[Entry]) -> list[str]:
    """The eval list, in file-name order."""
    lines = []
    for entry in entries:
        if not isinstance(entry.data.get("name"), str):
            raise RenderError(f"{entry.file}: an eval needs a name")
        try:
            lines.append(f"- {format_link(entry.data['name'], entry.data.get('url'))}")
        except Unshowable as exc:
            raise RenderError(f"{entry.file}: {exc}") from None
    return lines


def render(view: CatalogView) -> str:
    """The whole page for a loaded catalog folder."""
    by_kind: dict[str, list[Entry]] = {kind: [] for kind in KIND_FOLDERS}
    for entry in view.entries:
        if entry.kind not in by_kind:
            raise RenderError(f"{entry.file}: unknown kind {entry.kind!r}")
        by_kind[entry.kind].append(entry)
    out: list[str] = []
    used: set[str] = set()
    for line in view.template.splitlines():
        match = _MARKER.match(line.strip())
        if not match:
            out.append(line)
            continue
        block = match["block"]
        used.add(block)
        if block == "licenses":
            out += render_licenses(view.licenses)
        elif block == "eval":
            out += render_evals(by_kind["eval"])
        elif block in by_kind:
            out += render_table(block, by_kind[block], view.licenses)
        else:
            raise RenderError(f"{TEMPLATE_NAME}: unknown block {block!r}")
    missing = [kind for kind, found in by_kind.items() if found and kind not in used]
    if missing:
        raise RenderError(
            f"{TEMPLATE_NAME}: no place for {', '.join(missing)} entries (add a marker)"
        )
    return "\n".join(out) + "\n"


def render_folder(folder: Path) -> str:
    """Load ``folder`` and render it."""
    return render(load_folder(folder))
