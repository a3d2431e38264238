"""Page cells kept verbatim (``raw``) still say what the entry's fields say.

Render writes ``raw.<field>`` instead of the field, so a field edited without its raw
text would change nothing on the page. This rule reads each raw text back (as import
does) and compares: every value the text gives must equal the field's. Values the text
cannot give (a ``trained:`` or checkpoint ``license:`` added by hand) are not compared.
"""

from __future__ import annotations

import typing as t

from validator.catalog.model import Entry
from validator.findings import Finding
from validator.rules import RuleContext


def agrees(page: t.Any, field: t.Any) -> bool:
    """Whether ``field`` holds every value ``page`` (read from the raw text) gives."""
    if isinstance(page, dict) and isinstance(field, dict):
        return all(k in field and agrees(v, field[k]) for k, v in page.items())
    if isinstance(page, list) and isinstance(field, list):
        return len(page) == len(field) and all(map(agrees, page, field))
    return bool(page == field)


def _read(field: str, text: str) -> t.Any:
    from validator.markdown import cells
    from validator.markdown.licenses import ImportBook

    if field == "licenses":
        refs = ImportBook().parse_cell(text)
        return [r if isinstance(r, str) else r["id"] for r in refs]
    return cells.parse(field, text)


def _stale(entry: Entry) -> t.Iterator[Finding]:
    raw = entry.data.get("raw")
    if not isinstance(raw, dict):
        return
    # The page's cell parsers (and the page module under them, ~20 ms to import) only
    # for entries that keep page text: a catalog written by hand has none.
    from validator.markdown import cells, values

    for field, text in raw.items():
        if field == "surplus" or field not in entry.data or not isinstance(text, str):
            continue
        try:
            page = _read(field, text)
        except (values.CellValueError, cells.Unshowable, KeyError):
            continue
        current = entry.license_ids() if field == "licenses" else entry.data[field]
        if not agrees(page, current):
            yield entry.finding(
                "raw-cell-stale",
                f"raw.{field} (the page's text, which render writes) says {page!r}, "
                f"but {field} says {current!r}",
                ("raw", field),
                hint=f"update raw.{field} too, or delete it to render {field} the canonical way",
                evidence={"raw": text},
            )


def check(context: RuleContext) -> t.Iterator[Finding]:
    """``raw-cell-stale``."""
    for entry in context.entries():
        yield from _stale(entry)
