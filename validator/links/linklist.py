"""Lists of plain links, read without the full parser (a verified fast path).

A README or an awesome-list is mostly lines such as ``- [Name](https://x.example/) -
what it is``. markdown-it-py spends about 200 µs of CPU on each (a list, an item, a
paragraph, an inline parse); a page of 100,000 takes 20 s. This block rule, tried
before all others, reads a run of such lines directly when nothing in them can mean
anything but inline links and plain words:

- the line is a top-level bullet item: ``-``, ``*`` or ``+`` at column 1, one space,
  then ``[`` or a letter (so not a heading, quote, fence, rule or nested list);
- its text is inline links ``[text](destination)`` and plain words: no other ``[``
  or ``]``, no ``\\``, backtick, ``<``, ``>``, ``!`` or tab; the destination has no
  space, parenthesis, quote, ``&``, ``<``, ``>`` or ``\\`` (so it is the URL as
  written: nothing to unescape or decode);
- no ``://`` or ``www.`` outside the links (no bare URL to find);
- the next line is such a line too. Then this line's item is exactly this line (the
  next bullet ends its paragraph and its item), whatever the next line turns into.

The last line of a run is left to the full parser, as is every line the rule does
not recognise, and the rule never runs inside a container (quote, list item) or as
a paragraph terminator, so it is reached exactly where markdown-it would start a
list. ``tests/links/test_linklist.py`` checks that a document gives the same links,
lines and columns with and without this rule.
"""

from __future__ import annotations

import re
import typing as t

_LINK = r"\[[^\[\]\\`<>\n]*\]\(([^\s()<>\\&\"'\x00-\x1f\x7f]+)\)"
_LINK_RE = re.compile(_LINK)
_LINE = rf"[-*+] (?=[\[A-Za-z])(?:{_LINK}|[^\[\]\\`<>!\s]|[ ])*(?<! )"
_ITEM = re.compile(_LINE)
_RUN = re.compile(rf"(?:{_LINE}\n)+")

ListedLink = tuple[str, int, int]
"""``(url, line, column)``, 1-based, column at the destination (as the full path)."""


def _links_of(text: str, line: int) -> list[ListedLink] | None:
    """The links of one line if it is a plain link item, else ``None``."""
    if not _ITEM.fullmatch(text):
        return None
    found = [(m.group(1), line, m.start(1) + 1) for m in _LINK_RE.finditer(text)]
    rest = _LINK_RE.sub(" ", text) if found else text
    if "://" in rest or "www." in rest.lower():
        return None
    return found


def _line_by_line(state: t.Any, start_line: int, end_line: int, sink: list[ListedLink]) -> int:
    """Lines read, one at a time (where the whole run may hold a bare URL)."""
    src, begins, ends = state.src, state.bMarks, state.eMarks
    line, pending = start_line, None
    while line < end_line:
        links = _links_of(src[begins[line] : ends[line]], line + 1)
        if links is None:
            break
        if pending is not None:
            sink.extend(pending)
        pending = links
        line += 1
    return max(line - start_line - 1, 0)


def _whole_run(state: t.Any, start_line: int, end_line: int, sink: list[ListedLink]) -> int:
    """Lines read, the run at once (one regex over it), or -1 if it needs line by line."""
    src, begins = state.src, state.bMarks
    begin = begins[start_line]
    run = _RUN.match(src, begin)
    if run is None:
        return 0
    lines = min(run.group().count("\n"), end_line - start_line) - 1  # all but the last
    if lines < 1:
        return 0
    end = begins[start_line + lines]
    rest = _LINK_RE.sub(" ", src[begin:end])
    if "://" in rest or "www." in rest.lower():
        return -1
    line = start_line
    for match in _LINK_RE.finditer(src, begin, end):
        at = match.start(1)
        while begins[line + 1] <= at:
            line += 1
        sink.append((match.group(1), line + 1, at - begins[line] + 1))
    return lines


def plain_link_items(state: t.Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: a run of plain link items, all but its last line (see the module)."""
    sink: list[ListedLink] | None = state.env.get("_listed")
    if silent or sink is None or state.parentType != "root" or state.blkIndent:
        return False
    begin = state.bMarks[start_line]
    if state.src[begin : begin + 2] not in ("- ", "* ", "+ "):
        return False
    lines = _whole_run(state, start_line, end_line, sink)
    if lines < 0:
        lines = _line_by_line(state, start_line, end_line, sink)
    if not lines:
        return False
    state.line = start_line + lines  # the run's last line: the full rules read it
    return True


__all__ = ["ListedLink", "plain_link_items"]
