"""Table cells <-> catalog values, column by column, for the importer and the renderer.

One place decides how a cell is read and how a value is written back, so that
``format(parse(cell))`` can be compared with the cell: when they differ (a spelling the
canonical form does not produce, or text the schema cannot hold) the importer keeps the
cell verbatim in the entry's ``raw`` field and the renderer writes that back.
"""

from __future__ import annotations

import re
import typing as t

from validator.markdown import page as md
from validator.markdown import values

LINK_LISTS = ("checkpoints", "try_it", "datasets")
QUANTITIES = {"params_b": False, "tokens_t": True, "samples_k": True}
"""Quantity fields -> whether thousands separators are written (``44,000``)."""
_URL = re.compile(r"^https?://[^\s\[\]]+$")
_LINK_URL = re.compile(r"(?:[^()\s]|\([^()\s]*\))*")
_LINK_TEXT = re.compile(md.LINK_TEXT)


class Unshowable(ValueError):
    """A value that Markdown cannot carry so that importing the page gives it back."""


def text(value: t.Any) -> str:
    """A value as cell or list text; refuse what would break the line or vanish."""
    shown = str(value)
    if "\n" in shown or "\r" in shown or "<!--" in shown:
        raise Unshowable(f"{shown!r} cannot be shown on the page (line break or HTML comment)")
    return shown


def link(value: t.Any, url: t.Any) -> str:
    """``[text](url)`` checked so that the importer reads the same link back."""
    shown = text(value)
    if url is None:
        return shown
    if not _LINK_TEXT.fullmatch(shown):
        raise Unshowable(f"link text {shown!r} cannot be shown on the page (unbalanced [ ])")
    if not isinstance(url, str) or not _LINK_URL.fullmatch(url):
        raise Unshowable(f"URL {url!r} cannot be shown on the page (space or unbalanced ( ))")
    return md.format_link(shown, url)


# ----------------------------------------------------------------------------- reading


def _url(url: str) -> str:
    if not _URL.match(url):
        raise values.CellValueError(f"not a web address: {url!r}")
    return url


def parse_links(cell: str) -> list[dict[str, t.Any]]:
    """A Checkpoints / Try it / Dataset cell: every part a link."""
    out = []
    for part in md.parse_cell(cell):
        if part.aside or not part.url:
            raise values.CellValueError(f"expected only links, got {part.text!r}")
        out.append({"name": part.text, "url": _url(part.url)})
    return out


def parse_papers(cell: str) -> list[dict[str, t.Any]]:
    """A Paper/Blog cell: links, asides and plain titles."""
    out = []
    for part in md.parse_cell(cell):
        item: dict[str, t.Any] = {"title": part.text}
        if part.url:
            item["url"] = _url(part.url)
        if part.aside:
            item["aside"] = True
        out.append(item)
    return out


def parse_context(cell: str) -> dict[str, t.Any] | list[dict[str, t.Any]]:
    """A Context Length cell: one item (a mapping) or one item per link (a list)."""
    items = []
    for part in md.parse_cell(cell):
        if part.aside:
            raise values.CellValueError(f"a context length cannot be an aside: {part.text!r}")
        item = values.parse_context(part.text)
        if part.url:
            item["source"] = _url(part.url)
        items.append(item)
    if not items:
        raise values.CellValueError("empty context length")
    return items[0] if len(items) == 1 else items


def parse(field: str, cell: str) -> t.Any:
    """The catalog value of a cell of ``field`` (not licenses); raises CellValueError."""
    if field == "name":
        return cell
    if field == "released":
        return values.parse_date(cell)
    if field in LINK_LISTS:
        return parse_links(cell)
    if field == "papers":
        return parse_papers(cell)
    if field == "context_length":
        return parse_context(cell)
    if field in QUANTITIES:
        return values.parse_quantity(cell, thousands=QUANTITIES[field])
    raise values.CellValueError(f"no reader for column {field!r}")


# ----------------------------------------------------------------------------- writing


def format_links(items: list[dict[str, t.Any]] | None, text_key: str = "name") -> str:
    """Links joined by ``, ``."""
    return ", ".join(link(i[text_key], i.get("url")) for i in items or [])


def format_papers(items: list[dict[str, t.Any]] | None) -> str:
    """Papers, asides in parentheses after the previous item."""
    out = ""
    for item in items or []:
        shown = link(item["title"], item.get("url"))
        if item.get("aside"):
            out += f" ({shown})"
        else:
            out += (", " if out else "") + shown
    return out


def format_context(context: t.Any) -> str:
    """One item or a list of items, each linked to its source."""
    if not context:
        return ""
    items = context if isinstance(context, list) else [context]
    return ", ".join(link(values.format_context(i), i.get("source")) for i in items)


def format_license_refs(refs: list[t.Any], name_of: t.Callable[[str], str | None]) -> str:
    """License references: ``[name](url) qualifier``, joined by ``, ``.

    ``name_of`` maps a license id to how the tables write it (``None``: unknown id).
    """
    shown = []
    for ref in refs:
        ref = {"id": ref} if isinstance(ref, str) else ref
        name = ref.get("name") or name_of(ref["id"])
        if name is None:
            raise KeyError(ref["id"])
        item = link(name, ref.get("url"))
        if ref.get("qualifier"):
            item += " " + text(ref["qualifier"])
        shown.append(item)
    return ", ".join(shown)


def format_value(field: str, value: t.Any) -> str:
    """The canonical cell text of ``value`` (not licenses)."""
    if value is None:
        return ""
    if field == "name":
        return text(value)
    if field == "released":
        return values.format_date(value)
    if field in LINK_LISTS:
        return format_links(value)
    if field == "papers":
        return format_papers(value)
    if field == "context_length":
        return format_context(value)
    if field in QUANTITIES:
        return values.format_quantity(value, thousands=QUANTITIES[field])
    raise KeyError(field)
