"""A page in the seed's Markdown dialect, read into tables, rows, cells, links and lists.

The seed page is hand-edited Markdown with the usual drift: ``Licence`` next to
``License``, padded header cells, a row missing its last cell, tabs inside cells, a
heading indented by a space, dates with the day hidden in an HTML comment. This module
reads all of that into plain structures and leaves meaning (which column is which
field) to the importer. It also remembers which lines each table and list occupies so
the importer can turn the page into a template with those blocks cut out.
"""

from __future__ import annotations

import dataclasses
import re

_HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_LIST_ITEM = re.compile(r"^\s{0,3}[-*+]\s+(?P<text>.*)$")
# A Markdown link; the text may hold one level of balanced brackets ("Blog [v2]") and
# the URL one level of balanced parentheses.
LINK_TEXT = r"(?:[^\[\]]|\[[^\[\]]*\])*"
_LINK = r"\[(?P<{p}text>" + LINK_TEXT + r")\]\((?P<{p}url>(?:[^()\s]|\([^()\s]*\))*)\)"
_PART = re.compile(r"\(\s*" + _LINK.format(p="a") + r"\s*\)|" + _LINK.format(p=""))
_GAP_SEPARATORS = ", \t"


class PageError(Exception):
    """The page cannot be read as intended; the message names the line."""


@dataclasses.dataclass(frozen=True)
class Part:
    """One piece of a cell: a link, a link in parentheses (an aside) or plain text."""

    text: str
    url: str | None = None
    aside: bool = False


@dataclasses.dataclass(frozen=True)
class Row:
    """One table body row: its cells (raw text, whitespace collapsed) and line number.

    ``columns`` holds the 1-based column where each cell's text starts on that line, so a
    finding about a cell can point at it.
    """

    cells: tuple[str, ...]
    line: int
    columns: tuple[int, ...] = ()

    def column(self, index: int) -> int:
        """Where cell ``index`` starts (the line's end for a missing trailing cell)."""
        if index < len(self.columns):
            return self.columns[index]
        return (self.columns[-1] if self.columns else 0) + 1


@dataclasses.dataclass
class Table:
    """A pipe table with the heading it sits under and the lines it spans (1-based)."""

    heading: str
    header: tuple[str, ...]
    rows: list[Row]
    first_line: int
    last_line: int

    def records(self) -> list[tuple[Row, dict[str, str]]]:
        """Rows as ``{header: cell}``; a missing trailing cell reads as empty."""
        out = []
        for row in self.rows:
            cells = list(row.cells)
            while len(cells) > len(self.header) and not cells[-1]:
                cells.pop()
            if len(cells) > len(self.header):
                raise PageError(
                    f"line {row.line}: {len(cells)} cells under a {len(self.header)}-column header"
                )
            cells += [""] * (len(self.header) - len(cells))
            out.append((row, dict(zip(self.header, cells, strict=True))))
        return out


@dataclasses.dataclass
class ListBlock:
    """A bullet list: item texts (continuation lines joined by a space) and its lines."""

    heading: str
    items: list[str]
    first_line: int
    last_line: int


@dataclasses.dataclass
class Page:
    """Everything read from one page, in page order."""

    lines: list[str]
    tables: list[Table]
    lists: list[ListBlock]


_BLANKS = re.compile(r"[ \t\r\n\f\v]+")


def normalize(text: str) -> str:
    """Collapse runs of ASCII whitespace (tabs included) into one space and trim.

    Other spaces (a no-break space in a title) are text, kept as written.
    """
    return _BLANKS.sub(" ", text).strip(" ")


def split_row(line: str) -> list[str]:
    """The cells of a ``| a | b |`` line; ``\\|`` is a literal pipe inside a cell."""
    return [cell for cell, _ in split_row_at(line)]


def split_row_at(line: str) -> list[tuple[str, int]]:
    """The cells of a row with the 1-based column where each cell's text starts."""
    start = len(line) - len(line.lstrip())
    body = line.rstrip()
    end = len(body)
    if line[start : start + 1] == "|":
        start += 1
    if body.endswith("|") and not body.endswith("\\|") and end > start:
        end -= 1
    out = []
    pos = start
    for match in re.finditer(r"(?<!\\)\||$", line[start:end]):
        cell_end = start + match.start()
        raw = line[pos:cell_end]
        lead = len(raw) - len(raw.lstrip())
        out.append((normalize(raw.replace("\\|", "|")), pos + lead + 1))
        pos = cell_end + 1
        if match.group() == "":
            break
    return out


def _is_separator(line: str) -> bool:
    if "|" not in line:
        return False
    cells = [c for c in split_row(line) if c]
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells)


def heading_text(line: str) -> str | None:
    """The text of an ATX heading line (leading spaces tolerated), else ``None``."""
    match = _HEADING.match(line)
    return match["text"] if match else None


def _starts_table(lines: list[str], i: int) -> bool:
    """Whether a table (a row followed by a separator row) starts at line ``i``."""
    return lines[i].lstrip().startswith("|") and i + 1 < len(lines) and _is_separator(lines[i + 1])


def _read_table(lines: list[str], i: int, heading: str) -> Table:
    """The table whose header row is line ``i``: rows run while lines start with ``|``."""
    header = tuple(split_row(lines[i]))
    j = i + 2
    rows = []
    while j < len(lines) and lines[j].lstrip().startswith("|"):
        cells = split_row_at(lines[j])
        rows.append(Row(tuple(c for c, _ in cells), j + 1, tuple(n for _, n in cells)))
        j += 1
    return Table(heading, header, rows, i + 1, j)


def _read_list(lines: list[str], i: int, first: str, heading: str) -> ListBlock:
    """The list whose first item (text ``first``) is line ``i``; it ends at a blank line,
    a heading or a table row, and other lines continue the item before them."""
    items = [first]
    j = i + 1
    while j < len(lines) and lines[j].strip():
        nxt = _LIST_ITEM.match(lines[j])
        if nxt:
            items.append(nxt["text"])
        elif heading_text(lines[j]) is not None or lines[j].lstrip().startswith("|"):
            break
        else:
            items[-1] += " " + lines[j].strip()
        j += 1
    return ListBlock(heading, [normalize(item) for item in items], i + 1, j)


def parse(text: str) -> Page:
    """Read a page; never fails: whatever is not a heading, table or list is prose."""
    lines = text.splitlines()
    tables: list[Table] = []
    lists: list[ListBlock] = []
    heading = ""
    i = 0
    while i < len(lines):
        title = heading_text(lines[i])
        match = _LIST_ITEM.match(lines[i])
        if title is not None:
            heading = title
            i += 1
        elif _starts_table(lines, i):
            tables.append(_read_table(lines, i, heading))
            i = tables[-1].last_line
        elif match:
            lists.append(_read_list(lines, i, match["text"], heading))
            i = lists[-1].last_line
        else:
            i += 1
    return Page(lines, tables, lists)


def parse_cell(text: str) -> list[Part]:
    """Split a cell into links, asides ``([B](v))`` and plain text, in order.

    Commas and spaces between links are separators, not text; text inside a link may
    hold commas (paper titles do).
    """
    parts: list[Part] = []
    pos = 0
    for match in _PART.finditer(text):
        _add_text(parts, text[pos : match.start()])
        if match["aurl"] is not None:
            parts.append(Part(normalize(match["atext"]), match["aurl"], aside=True))
        else:
            parts.append(Part(normalize(match["text"]), match["url"]))
        pos = match.end()
    _add_text(parts, text[pos:])
    return parts


def _add_text(parts: list[Part], gap: str) -> None:
    gap = gap.strip(_GAP_SEPARATORS)
    if gap.strip():
        parts.append(Part(normalize(gap)))


def format_link(text: str, url: str | None) -> str:
    """``[text](url)``, or the bare text when there is no URL."""
    return f"[{text}]({url})" if url else text
