"""Turn a page in the seed's format into catalog files (entries, license book, template).

The page is the catalog's origin: every cell value must land somewhere in the YAML,
because the renderer rebuilds the page from the YAML alone. So the importer fails
loudly on a cell it cannot read, and a license it does not know becomes a new entry
in ``licenses.yaml`` instead of being dropped. What the page cannot say (which of
MPT-7B's two licenses belongs to which checkpoint) it leaves out for a person to add.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

from validator.catalog.loader import LICENSES_FILE
from validator.catalog.model import KIND_FOLDERS
from validator.markdown import page as md
from validator.markdown import values, yamlout

TEMPLATE_NAME = "page.md.in"
"""The page's prose with markers where generated blocks go; lives in the catalog folder."""


def marker(block: str) -> str:
    """The template line that the renderer replaces with a generated block."""
    return f"<!-- generated: {block} -->"


KNOWN_LICENSES: tuple[dict[str, t.Any], ...] = (
    {
        "id": "apache-2.0",
        "name": "Apache 2.0",
        "spdx": "Apache-2.0",
        "url": "https://en.wikipedia.org/wiki/Apache_License",
        "hub_ids": ["apache-2.0"],
        "aliases": ["Apache-2.0", "Apache License 2.0"],
    },
    {
        "id": "mit",
        "name": "MIT",
        "spdx": "MIT",
        "url": "https://en.wikipedia.org/wiki/MIT_License",
        "hub_ids": ["mit"],
    },
    {
        "id": "cc-by-sa-4.0",
        "name": "CC BY-SA-4.0",
        "spdx": "CC-BY-SA-4.0",
        "url": "https://creativecommons.org/licenses/by-sa/4.0/",
        "hub_ids": ["cc-by-sa-4.0"],
        "aliases": ["CC BY-SA 4.0"],
    },
    {
        "id": "cc-by-sa-3.0",
        "name": "CC BY-SA-3.0",
        "spdx": "CC-BY-SA-3.0",
        "url": "https://creativecommons.org/licenses/by-sa/3.0/",
        "hub_ids": ["cc-by-sa-3.0"],
        "aliases": ["CC BY-SA 3.0"],
    },
    {
        "id": "openrail-m-v1",
        "name": "OpenRAIL-M v1",
        "spdx": None,
        "url": "https://www.bigcode-project.org/docs/pages/model-license/",
        "hub_ids": ["bigcode-openrail-m"],
        "aliases": ["BigCode OpenRAIL-M v1", "BigCode Open RAIL-M v1"],
    },
    {
        "id": "bsd-3-clause",
        "name": "BSD-3-Clause",
        "spdx": "BSD-3-Clause",
        "url": "https://en.wikipedia.org/wiki/BSD_licenses",
        "hub_ids": ["bsd-3-clause"],
        "aliases": ["BSD 3-Clause"],
    },
    # Not on the seed page: the Hub reports Bloom under this id, and a check comparing
    # the page with the Hub needs a catalog license to name in its finding.
    {
        "id": "bigscience-bloom-rail-1.0",
        "name": "BigScience BLOOM RAIL 1.0",
        "spdx": None,
        "url": "https://huggingface.co/spaces/bigscience/license",
        "hub_ids": ["bigscience-bloom-rail-1.0"],
    },
)
"""Licenses the importer recognises by name; page text (glossary links, summaries) wins."""

LICENSE_KEYS = ("id", "name", "spdx", "url", "hub_ids", "aliases", "summary")
MODEL_KEYS = (
    "id", "kind", "name", "released", "checkpoints", "papers", "params_b",
    "context_length", "licenses", "try_it", "notes", "waivers",
)  # fmt: skip
DATASET_KEYS = (
    "id", "kind", "name", "released", "papers", "datasets", "tokens_t", "samples_k",
    "licenses", "notes", "waivers",
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


class ImportProblem(Exception):
    """The page cannot be imported; the message names the line and the cell."""


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


class _LicenseBook:
    """Collects the license glossary while rows name licenses."""

    def __init__(self) -> None:
        self.items: list[dict[str, t.Any]] = []

    def _find(self, name: str) -> dict[str, t.Any] | None:
        key = md.normalize(name).lower()
        for item in self.items:
            names = (item["id"], item["name"], *(item.get("aliases") or ()), item.get("spdx"))
            if key in (md.normalize(n).lower() for n in names if n):
                return item
        return None

    def add_glossary(self, name: str, url: str | None, summary: str) -> None:
        known = self._find(name)
        if known is None:
            known = {"id": kebab(name), "name": name, "spdx": None}
            self.items.append(known)
        if url:
            known["url"] = url
        if summary:
            known["summary"] = summary

    def resolve(self, name: str) -> str:
        """The id for a license as a cell writes it; unknown text becomes a new license."""
        found = self._find(name)
        if found is None:
            found = {"id": kebab(name) or "unnamed-license", "name": name, "spdx": None}
            self.items.append(found)
        return str(found["id"])

    def ordered_items(self, glossary_first: list[str]) -> list[dict[str, t.Any]]:
        """Glossary licenses in page order (the rendered list keeps it), then the rest."""
        head = [i for name in glossary_first for i in self.items if i["id"] == name]
        tail = [i for i in self.items if i["id"] not in glossary_first]
        return [ordered(i, LICENSE_KEYS, keep=("spdx",)) for i in head + tail]


def _links(cell: str, what: str, where: str) -> list[dict[str, t.Any]]:
    out = []
    for part in md.parse_cell(cell):
        if part.aside:
            raise ImportProblem(f"{where}: a {what} cannot be an aside: {cell!r}")
        item: dict[str, t.Any] = {"name": part.text}
        if part.url:
            item["url"] = part.url
        out.append(item)
    return out


def _papers(cell: str) -> list[dict[str, t.Any]]:
    out = []
    for part in md.parse_cell(cell):
        item: dict[str, t.Any] = {"title": part.text}
        if part.url:
            item["url"] = part.url
        if part.aside:
            item["aside"] = True
        out.append(item)
    return out


def _licenses(cell: str, book: _LicenseBook) -> list[t.Any]:
    out: list[t.Any] = []
    for part in md.parse_cell(cell):
        if part.url:
            out.append({"id": book.resolve(part.text), "url": part.url})
        else:
            out += [book.resolve(name.strip()) for name in part.text.split(",") if name.strip()]
    return out


def _context(cell: str, where: str) -> dict[str, t.Any]:
    parts = md.parse_cell(cell)
    if len(parts) != 1 or parts[0].aside:
        raise ImportProblem(f"{where}: expected one context length, got {cell!r}")
    context = values.parse_context(parts[0].text)
    if parts[0].url:
        context["source"] = parts[0].url
    return context


def _row_entry(
    kind: str, record: dict[str, str], where: str, book: _LicenseBook
) -> dict[str, t.Any]:
    entry: dict[str, t.Any] = {"kind": kind}
    for header, cell in record.items():
        field = column_key(header)
        if field is None:
            raise ImportProblem(f"{where}: unknown column {header!r}")
        if not cell:
            continue
        try:
            if field == "name":
                entry["name"] = cell
            elif field == "released":
                entry["released"] = values.parse_date(cell)
            elif field in ("checkpoints", "try_it", "datasets"):
                entry[field] = _links(cell, field, where)
            elif field == "papers":
                entry["papers"] = _papers(cell)
            elif field == "params_b":
                entry["params_b"] = values.parse_quantity(cell)
            elif field in ("tokens_t", "samples_k"):
                entry[field] = values.parse_quantity(cell, thousands=True)
            elif field == "context_length":
                entry["context_length"] = _context(cell, where)
            else:
                entry["licenses"] = _licenses(cell, book)
        except values.CellValueError as exc:
            raise ImportProblem(f"{where}, column {header!r}: {exc}") from None
    if "name" not in entry:
        raise ImportProblem(f"{where}: the row has no name")
    entry.setdefault("licenses", [])
    return entry


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
    """Catalog files by path relative to the catalog folder, as text, ready to write."""

    files: dict[str, str]


def import_page(text: str) -> ImportResult:
    """Read a page and return every catalog file it implies."""
    page = md.parse(text)
    book = _LicenseBook()
    book.items = [dict(item) for item in KNOWN_LICENSES]
    glossary = _list_under(page, r"licen[cs]es?\b.*\bmean")
    evals = _list_under(page, r"\bevals?\b")

    glossary_ids: list[str] = []
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
        book.add_glossary(name.strip(), url, summary.strip())
        glossary_ids.append(book.resolve(name.strip()))

    taken: set[str] = set()
    entries: list[dict[str, t.Any]] = []
    markers: dict[int, str] = {}
    skip: set[int] = set()
    seen_kinds: set[str] = set()
    for table in page.tables:
        kind = table_kind(table)
        try:
            records = table.records()
        except md.PageError as exc:
            raise ImportProblem(str(exc)) from None
        for row, record in records:
            entry = _row_entry(kind, record, f"line {row.line}", book)
            entry["id"] = _unique_id(entry["name"], taken)
            entries.append(entry)
        skip.update(range(table.first_line, table.last_line + 1))
        if kind not in seen_kinds:  # a second table of a kind renders into the first
            markers[table.first_line] = marker(kind)
            seen_kinds.add(kind)

    for item in evals.items if evals else []:
        match = re.fullmatch(r"\[(?P<name>" + md.LINK_TEXT + r")\]\((?P<url>[^)\s]*)\)", item)
        if not match:
            raise ImportProblem(f"evals list: an item is not a single link: {item!r}")
        name = md.normalize(match["name"])
        entries.append(
            {"id": _unique_id(name, taken), "kind": "eval", "name": name, "url": match["url"]}
        )

    for block, name in ((glossary, "licenses"), (evals, "eval")):
        if block:
            skip.update(range(block.first_line, block.last_line + 1))
            markers[block.first_line] = marker(name)

    files: dict[str, str] = {}
    for entry in entries:
        kind = entry["kind"]
        keys = (
            MODEL_KEYS if kind.endswith("-model") else EVAL_KEYS if kind == "eval" else DATASET_KEYS
        )
        path = f"{KIND_FOLDERS[kind]}/{entry['id']}.yaml"
        keep = ("licenses",) if "licenses" in entry else ()
        files[path] = yamlout.dump(ordered(entry, keys, keep), schema_ref(path))
    licenses = {"licenses": book.ordered_items(glossary_ids)}
    files[LICENSES_FILE] = yamlout.dump(licenses, schema_ref(LICENSES_FILE))
    files[TEMPLATE_NAME] = _template(page.lines, skip, markers)
    return ImportResult(files)


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
