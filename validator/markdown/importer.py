"""Turn a page in the seed's format into catalog files (entries, license book, template).

The page is the catalog's origin and import never loses a value: every table row becomes
an entry; a cell is read into catalog fields and written back the canonical way; when
that does not give the cell back exactly, the cell's text is also kept verbatim in the
entry's ``raw`` field (which the renderer writes back unchanged), and when the cell
cannot be read at all, ``raw`` is all there is and a finding at the page's line and
column says so. All such findings come from one run. Only a page that is not of this
shape at all (a table of unknown columns or kind) stops the import.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

from validator.catalog.loader import LICENSES_FILE
from validator.catalog.model import KIND_FOLDERS
from validator.findings import Finding
from validator.markdown import cells, values, yamlout
from validator.markdown import page as md
from validator.markdown.licenses import OTHER, ImportBook
from validator.markdown.lineage import link_bases
from validator.rulebook import RULES

TEMPLATE_NAME = "page.md.in"
"""The page's prose with markers where generated blocks go; lives in the catalog folder."""


def marker(block: str, options: t.Mapping[str, str] | None = None) -> str:
    """The template line that the renderer replaces with a generated block.

    ``options`` (``header``, ``order``) keep what the page does differently from the
    default: its header spelling, its row or list order.
    """
    extra = "".join(f"; {key}: {value}" for key, value in (options or {}).items())
    return f"<!-- generated: {block}{extra} -->"


MODEL_KEYS = (
    "id", "kind", "name", "released", "checkpoints", "papers", "params_b",
    "context_length", "licenses", "try_it", "based_on", "raw", "notes", "waivers",
)  # fmt: skip
DATASET_KEYS = (
    "id", "kind", "name", "released", "papers", "datasets", "tokens_t", "samples_k",
    "licenses", "raw", "notes", "waivers",
)  # fmt: skip
EVAL_KEYS = ("id", "kind", "name", "url", "notes", "waivers")

_COLUMNS = {
    "language model": "name",
    "name": "name",
    "release date": "released",
    "checkpoints": "checkpoints",
    "paper/blog": "papers",
    "params (b)": "params_b",
    "context length": "context_length",
    "license": "licenses",
    "try it": "try_it",
    "dataset": "datasets",
    "tokens (t)": "tokens_t",
    "samples (k)": "samples_k",
}
"""Header text (lower case, ``Licence`` read as ``License``) -> catalog field."""
MODEL_COLUMNS = (
    "Language Model", "Release Date", "Checkpoints", "Paper/Blog", "Params (B)",
    "Context Length", "License", "Try it",
)  # fmt: skip
DATASET_COLUMNS = ("Name", "Release Date", "Paper/Blog", "Dataset", "{amount}", "License")


def default_header(kind: str) -> tuple[str, ...]:
    """The header row render writes for a kind when the template does not say otherwise."""
    if kind.endswith("-model"):
        return MODEL_COLUMNS
    amount = "Tokens (T)" if kind == "pretraining-dataset" else "Samples (K)"
    return tuple(h.format(amount=amount) for h in DATASET_COLUMNS)


class ImportProblem(Exception):
    """The page is not a page of this shape; the message names the line."""


def kebab(text: str) -> str:
    """Lower-case kebab id: ``GPT-J-6B`` -> ``gpt-j-6b``, ``A (B c)`` -> ``a-b-c``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def column_key(header: str) -> str | None:
    """The catalog field a header cell stands for, or ``None`` if unknown."""
    key = md.normalize(header).lower().replace("licence", "license")
    return _COLUMNS.get(key)


def table_kind(table: md.Table) -> str:
    """Which entry kind a table holds, from its heading and its columns."""
    heading = table.heading.lower()
    fields = {column_key(h) for h in table.header}
    if "checkpoints" in fields or "params_b" in fields:
        return "code-model" if re.search(r"\bcode\b", heading) else "language-model"
    if "tokens_t" in fields or re.search(r"pre-?training", heading):
        return "pretraining-dataset"
    if "alignment" in heading:
        return "alignment-dataset"
    if "samples_k" in fields or "instruction" in heading:
        return "instruction-dataset"
    raise ImportProblem(
        f"line {table.first_line}: cannot tell what the table under {table.heading!r} lists"
    )


def schema_ref(relative_path: str) -> str:
    """The ``$schema`` path from a catalog file to its schema in ``schema/``."""
    depth = relative_path.count("/") + 1  # +1: the catalog folder itself
    top = relative_path.split("/")[0]
    name = {"models": "model", "datasets": "dataset", "evals": "eval"}.get(top, "licenses")
    return "../" * depth + f"schema/{name}.schema.json"


def ordered(
    data: dict[str, t.Any], keys: t.Sequence[str], keep: t.Collection[str] = ()
) -> dict[str, t.Any]:
    """``data`` in the contract's key order, dropping empty values unless in ``keep``.

    Required fields are kept even when empty (``licenses: []``, ``spdx: null``) so the
    gap is visible in the file instead of looking like an oversight.
    """
    out = {k: data.get(k) for k in keys if k in keep or data.get(k) not in (None, [], "")}
    out.update({k: v for k, v in data.items() if k not in out and k not in keys})
    return out


def _list_under(page: md.Page, heading: str) -> md.ListBlock | None:
    """The first list under a heading matching ``heading`` (a regex, any case)."""
    return next((b for b in page.lists if re.search(heading, b.heading, re.I)), None)


def _unique_id(name: str, taken: set[str]) -> str:
    base = kebab(name) or "entry"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


@dataclasses.dataclass
class ImportResult:
    """Catalog files by path relative to the catalog folder, as text, ready to write,
    and one finding per cell the schema could not model exactly."""

    files: dict[str, str]
    findings: list[Finding] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class _Run:
    """State of one import: the page's name for findings, the license book, findings."""

    page_name: str
    book: ImportBook
    findings: list[Finding] = dataclasses.field(default_factory=list)

    def report(self, rule: str, message: str, row: md.Row, index: int, entry: str) -> None:
        line, column = row.line, row.column(index)
        self.findings.append(
            Finding(
                rule=rule,
                message=message,
                file=self.page_name,
                line=line,
                column=column,
                entry=entry,
                hint=RULES[rule].summary,
            )
        )


def _read_cell(
    run: _Run, field: str, cell: str, where: tuple[md.Row, int, str]
) -> tuple[t.Any, bool]:
    """(value or None, keep the cell raw) for one non-empty cell."""
    row, index, name = where
    try:
        if field == "licenses":
            before = len(run.book.unknown)
            value: t.Any = run.book.parse_cell(cell)
            for text in run.book.unknown[before:]:
                run.report(
                    "import-license-unknown",
                    f"license text {text!r} is not in the license book; kept whole "
                    f"under '{OTHER}' with its name",
                    row, index, name,
                )  # fmt: skip
            shown = cells.format_license_refs(value, run.book.name_of)
        else:
            value = cells.parse(field, cell)
            shown = cells.format_value(field, value)
    except (values.CellValueError, cells.Unshowable, KeyError) as exc:
        run.report(
            "import-cell-unmodelled",
            f"{field} cell kept verbatim in raw.{field}: {exc}",
            row, index, name,
        )  # fmt: skip
        return None, True
    if field == "released" and re.fullmatch(r"\d{4}", str(value)):
        run.report(
            "release-date-year-only",
            f"release date {cell!r} has no month",
            row, index, name,
        )  # fmt: skip
    return value, shown != cell


def _surplus(
    run: _Run, header: tuple[str, ...], row: md.Row, beyond: list[str], name: str
) -> list[str]:
    """Cells ``beyond`` the header, trailing empty ones dropped; reported when any are left."""
    surplus = list(beyond)
    while surplus and not surplus[-1]:
        surplus.pop()
    if surplus:
        run.report(
            "import-cell-unmodelled",
            f"{len(surplus)} cell(s) beyond the {len(header)}-column header kept in raw.surplus",
            row, len(header), name,
        )  # fmt: skip
    return surplus


def _row_entry(run: _Run, kind: str, header: tuple[str, ...], row: md.Row) -> dict[str, t.Any]:
    entry: dict[str, t.Any] = {"kind": kind}
    raw: dict[str, t.Any] = {}
    padded = list(row.cells) + [""] * (len(header) - len(row.cells))
    name = padded[header.index(next(h for h in header if column_key(h) == "name"))]
    entry_name = kebab(name) or "entry"
    for index, (column, cell) in enumerate(zip(header, padded, strict=False)):
        field = column_key(column)
        if field is None or not cell:
            continue
        value, keep_raw = _read_cell(run, field, cell, (row, index, entry_name))
        if value is not None:
            entry[field] = value
        if keep_raw:
            raw[field] = cell
    surplus = _surplus(run, header, row, padded[len(header) :], entry_name)
    if surplus:
        raw["surplus"] = surplus
    entry["name"] = name or f"line {row.line}"
    if raw:
        entry["raw"] = raw
    if "licenses" not in entry and "licenses" not in raw:
        entry["licenses"] = []
    return entry


def _table_options(
    table: md.Table, kind: str, ids: list[str], entries: list[dict[str, t.Any]]
) -> dict[str, str]:
    options: dict[str, str] = {}
    if tuple(table.header) != default_header(kind):
        options["header"] = " | ".join(table.header)
    if ids != [e["id"] for e in sorted(entries, key=date_order)]:
        options["order"] = ", ".join(ids)
    return options


def date_order(entry: t.Mapping[str, t.Any]) -> tuple[str, str, str]:
    """Render's default row order: release date, then name (case-folded), then name."""
    name = str(entry.get("name", ""))
    return (str(entry.get("released", "")), name.casefold(), name)


def _read_glossary(page: md.Page, book: ImportBook) -> tuple[md.ListBlock | None, list[str]]:
    glossary = _list_under(page, r"licen[cs]es?\b.*\bmean")
    ids: list[str] = []
    for item in glossary.items if glossary else []:
        match = re.match(
            r"^\[(?P<name>" + md.LINK_TEXT + r")\]\((?P<url>[^)\s]*)\)\s*:?\s*(?P<summary>.*)$",
            item,
        )
        name, url, summary = (
            (match["name"], match["url"], match["summary"])
            if match
            else (item.split(":")[0], None, item.partition(":")[2].strip())
        )
        ids.append(book.add_glossary(name.strip(), url, summary.strip()))
    return glossary, ids


def _check_columns(table: md.Table) -> None:
    """Stop at a table of this shape that is not ours: a column with no field, or no name."""
    unknown = [h for h in table.header if column_key(h) is None]
    if unknown or "name" not in {column_key(h) for h in table.header}:
        raise ImportProblem(
            f"line {table.first_line}: unknown column {(unknown or ['(no name)'])[0]!r}"
        )


def _read_tables(
    run: _Run, page: md.Page, taken: set[str], skip: set[int]
) -> tuple[list[dict[str, t.Any]], dict[int, str]]:
    """Every table row as an entry, and one marker per kind where its first table was."""
    entries: list[dict[str, t.Any]] = []
    by_kind: dict[str, tuple[int, md.Table, list[dict[str, t.Any]]]] = {}
    for table in page.tables:
        _check_columns(table)
        kind = table_kind(table)
        rows = [_row_entry(run, kind, table.header, row) for row in table.rows]
        for entry in rows:
            entry["id"] = _unique_id(entry["name"], taken)
        entries += rows
        skip.update(range(table.first_line, table.last_line + 1))
        if kind in by_kind:  # a second table of a kind renders into the first
            by_kind[kind][2].extend(rows)
        else:
            by_kind[kind] = (table.first_line, table, rows)
    markers = {
        line: marker(kind, _table_options(table, kind, [e["id"] for e in rows], rows))
        for kind, (line, table, rows) in by_kind.items()
    }
    return entries, markers


def _entry_file(entry: dict[str, t.Any]) -> tuple[str, str]:
    """An imported entry's catalog path and its YAML, keys in its kind's order."""
    kind = entry["kind"]
    keys = MODEL_KEYS if kind.endswith("-model") else EVAL_KEYS if kind == "eval" else DATASET_KEYS
    path = f"{KIND_FOLDERS[kind]}/{entry['id']}.yaml"
    keep = ("licenses",) if "licenses" in entry else ()
    return path, yamlout.dump(ordered(entry, keys, keep), schema_ref(path))


def import_page(text: str, page_name: str = "page.md") -> ImportResult:
    """Read a page and return every catalog file it implies, with its findings."""
    page = md.parse(text)
    run = _Run(page_name, ImportBook())
    glossary, glossary_ids = _read_glossary(page, run.book)
    evals = _list_under(page, r"\bevals?\b")
    if not (page.tables or glossary or evals):
        raise ImportProblem("no table of models or datasets, no license or eval list")

    taken: set[str] = set()
    skip: set[int] = set()
    entries, markers = _read_tables(run, page, taken, skip)
    eval_ids = _read_evals(evals, entries, taken)
    for block, name in ((glossary, "licenses"), (evals, "eval")):
        if block:
            skip.update(range(block.first_line, block.last_line + 1))
            order = {"order": ", ".join(eval_ids)} if name == "eval" else {}
            if name == "eval" and eval_ids == sorted(eval_ids):
                order = {}
            markers[block.first_line] = marker(name, order)
    link_bases(entries)

    files = dict(_entry_file(entry) for entry in entries)
    licenses = {"licenses": run.book.ordered_items(glossary_ids)}
    files[LICENSES_FILE] = yamlout.dump(licenses, schema_ref(LICENSES_FILE))
    files[TEMPLATE_NAME] = _template(page.lines, skip, markers)
    return ImportResult(files, run.findings)


def _read_evals(
    evals: md.ListBlock | None, entries: list[dict[str, t.Any]], taken: set[str]
) -> list[str]:
    ids = []
    for item in evals.items if evals else []:
        match = re.fullmatch(r"\[(?P<name>" + md.LINK_TEXT + r")\]\((?P<url>[^)\s]*)\)", item)
        if not match:
            raise ImportProblem(f"evals list: an item is not a single link: {item!r}")
        name = md.normalize(match["name"])
        entry = {"id": _unique_id(name, taken), "kind": "eval", "name": name, "url": match["url"]}
        entries.append(entry)
        ids.append(entry["id"])
    return ids


def _template(lines: list[str], skip: set[int], markers: dict[int, str]) -> str:
    out = []
    for number, line in enumerate(lines, start=1):
        if number in markers:
            out.append(markers[number])
        elif number not in skip:
            title = md.heading_text(line)
            # A heading indented by a space is still a heading; write it the usual way.
            out.append(line.strip() if title is not None else line.rstrip())
    return "\n".join(out).rstrip("\n") + "\n"
