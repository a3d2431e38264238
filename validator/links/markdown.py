"""Links and anchors of a Markdown document, read by a real CommonMark parser.

markdown-it-py (CommonMark, plus GFM tables and strikethrough) does the parsing; this
module adds what a link checker needs and the parser does not keep: where each link
is. Its inline rules are wrapped to record the offset each link, image, autolink,
code span and piece of inline HTML starts at; block tokens carry their lines, and
the inline text is found again in its source lines to turn offsets into columns.

A link is what GitHub renders as one: inline and reference links (reported where
they are used), images, ``<autolinks>``, bare URLs by GFM's extended-autolink rules
(:mod:`validator.links.autolinks`), and URL attributes of HTML blocks and inline HTML
(:mod:`validator.links.html`). Not links: code (fenced, indented, inline, ``<pre>``,
``<code>`` ...), ``$$`` display math, HTML comments, link text, footnotes, unused
reference definitions. Anchors are the headings' GitHub slugs
(:func:`validator.links.anchors.github_slug`) plus every HTML ``id`` and ``<a name>``.

Comments switch checking off, as markdown-link-check's users write them (its own
``markdown-link-check-`` prefix is read too): ``<!-- validator-disable -->`` up to
``<!-- validator-enable -->`` (or the end), ``<!-- validator-disable-line -->`` for its
own line, ``<!-- validator-disable-next-line -->`` for the line after it.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
import typing as t

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_core.text_join import text_join
from markdown_it.token import Token

from validator.links.anchors import Slugger
from validator.links.autolinks import find_bare_urls
from validator.links.html import VERBATIM, scan_html
from validator.links.linklist import plain_link_items

_POSITIONED = ("link", "image", "autolink", "backticks", "html_inline")
_DIRECTIVE = re.compile(
    r"<!--\s*(?:validator|markdown-link-check)-(disable-next-line|disable-line|disable|enable)"
    r"\s*-->"
)
_TAG = re.compile(r"^<(/?)([A-Za-z][\w-]*)")


@dataclasses.dataclass(frozen=True)
class MarkdownLink:
    """One link: its target as written (entities decoded) and its 1-based place.

    ``kind`` is ``link``, ``image``, ``autolink``, ``bare`` or ``html``. The column is
    where the construct starts (``[``, ``![``, ``<`` or the URL itself; for HTML, the
    attribute value).
    """

    url: str
    line: int
    column: int
    kind: str


@dataclasses.dataclass
class MarkdownDoc:
    """What one Markdown document links to and which anchors it defines."""

    links: list[MarkdownLink]
    anchors: set[str]


def _recording(name: str, rule: t.Callable[..., bool]) -> t.Callable[..., bool]:
    """Wrap an inline rule so that a successful match records where it started."""

    def wrapped(state: t.Any, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            # Keyed by the identity of the inline token's content, which is ``state.src``
            # (the children list cannot be the key: text_join replaces it).
            state.env.setdefault("_spans", {}).setdefault(id(state.src), []).append(
                (start, state.pos, name)
            )
            for token in state.tokens[count:]:
                if token.type in ("link_open", "image", "html_inline") and "pos" not in token.meta:
                    token.meta["pos"] = _target_offset(state, name, start, token)
                    break
        return matched

    return wrapped


def _target_offset(state: t.Any, name: str, start: int, token: Token) -> int:
    """Where the URL of a construct starting at ``start`` is written.

    Inline links and images: their destination; autolinks: inside the ``<``; reference
    links, inline HTML: the construct's start (the ``[`` of the use).
    """
    if name == "autolink":
        return start + 1
    if name not in ("link", "image"):
        return start
    label = start + (1 if name == "image" else 0)
    end = parseLinkLabel(state, label, True)
    src = state.src
    if end < 0 or src[end + 1 : end + 2] != "(":
        return start
    pos = end + 2
    while pos < len(src) and src[pos] in " \t\n":
        pos += 1
    return pos + 1 if src[pos : pos + 1] == "<" else pos


def _no_footnote_definitions(rule: t.Callable[..., bool]) -> t.Callable[..., bool]:
    """``[^note]: text`` is a GFM footnote, not a link reference definition."""

    def wrapped(state: t.Any, start_line: int, end_line: int, silent: bool) -> bool:
        begin = state.bMarks[start_line] + state.tShift[start_line]
        if state.src.startswith("[^", begin):
            return False
        return rule(state, start_line, end_line, silent)

    return wrapped


def _math_block(state: t.Any, start_line: int, end_line: int, silent: bool) -> bool:
    r"""GitHub's ``$$`` display math: skipped like code (``[\psi](\mathbf{L})`` is TeX)."""
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4 or not state.src.startswith("$$", begin):
        return False
    if silent:
        return True
    first = state.src[begin + 2 : state.eMarks[start_line]]
    line = start_line
    closed = first.rstrip().endswith("$$")
    while not closed and line + 1 < end_line:
        line += 1
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        closed = text.rstrip().endswith("$$")
    token = state.push("math_block", "math", 0)
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # file: judged later
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]  # as written
    for rule in list(md.inline.ruler.__rules__):
        if rule.name in _POSITIONED:
            md.inline.ruler.at(rule.name, _recording(rule.name, rule.fn), {"alt": rule.alt})
    md.block.ruler.before("fence", "math_block", _math_block, {"alt": ["paragraph"]})
    md.block.ruler.before("table", "plain_link_items", plain_link_items)
    for block in list(md.block.ruler.__rules__):
        if block.name == "reference":
            md.block.ruler.at(block.name, _no_footnote_definitions(block.fn), {"alt": block.alt})
    return md


_MD = _parser()


class _Places:
    """Offsets of a block's content mapped back to source lines and columns."""

    def __init__(self, source: list[str], first: int, content: str) -> None:
        self.first = first
        self.starts = [0]
        self.bases: list[int] = []
        for i, line in enumerate(content.split("\n")):
            self.starts.append(self.starts[-1] + len(line) + 1)
            self.bases.append(_base_column(source, first + i, line))
        self.starts.pop()

    def at(self, offset: int) -> tuple[int, int]:
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        base = self.bases[index] if index < len(self.bases) else 0
        return self.first + index + 1, base + offset - self.starts[index] + 1


class _Spans:
    """Sorted ``(start, end, name)`` stretches, asked whether any meets ``[a, b)``."""

    def __init__(self, spans: list[tuple[int, int, str]]) -> None:
        self.starts = [start for start, _, _ in spans]
        self.reach = list(itertools.accumulate((end for _, end, _ in spans), max))

    def meets(self, a: int, b: int) -> bool:
        """Whether a stretch starts before ``b`` and ends after ``a``."""
        index = bisect.bisect_left(self.starts, b)
        return index > 0 and self.reach[index - 1] > a


def _base_column(source: list[str], index: int, text: str) -> int:
    if index >= len(source) or not text.strip():
        return 0
    line, text = source[index].rstrip(), text.rstrip()
    if line.endswith(text):
        return len(line) - len(text)
    found = line.find(text)
    return max(found, 0)


def _heading_text(inline: Token) -> str:
    children = inline.children or []
    return "".join(c.content for c in children if c.type in ("text", "code_inline"))


def _verbatim_spans(src: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Stretches between inline ``<code>`` ... ``</code>`` (and the like)."""
    out, open_at, depth = [], 0, 0
    for start, end, name in sorted(spans):
        match = _TAG.match(src[start:end]) if name == "html_inline" else None
        if not match or match.group(2).lower() not in VERBATIM:
            continue
        if not match.group(1):
            depth += 1
            open_at = end if depth == 1 else open_at
        elif depth:
            depth -= 1
            if not depth:
                out.append((open_at, start, "verbatim"))
    if depth:
        out.append((open_at, len(src), "verbatim"))
    return out


class _Collector:
    def __init__(self, text: str) -> None:
        self.source = text.split("\n")
        self.links: list[MarkdownLink] = []
        self.anchors: set[str] = set()
        self.slugger = Slugger()
        self.directives: list[tuple[int, str]] = []
        """``(line, disable|enable|disable-line|disable-next-line)`` comments."""

    def inline(self, token: Token, env: t.MutableMapping[str, t.Any], *, heading: bool) -> None:
        if token.map is None:
            return
        src = token.content
        places = _Places(self.source, token.map[0], src)
        spans = sorted(set(env.get("_spans", {}).pop(id(src), [])))
        spans += _verbatim_spans(src, spans)
        hidden = _Spans(sorted(s for s in spans if s[2] == "verbatim"))
        if heading:
            self.anchors.add(self.slugger.slug(_heading_text(token)))
        self._children(token.children or [], places, hidden)
        taken = _Spans(sorted(spans))
        for bare in find_bare_urls(src):
            if not taken.meets(bare.offset, bare.end):
                line, column = places.at(bare.offset)
                self.links.append(MarkdownLink(bare.url, line, column, "bare"))

    def _children(self, children: list[Token], places: _Places, hidden: _Spans) -> None:
        for child in children:
            pos = child.meta.get("pos") if child.meta else None
            if pos is None or hidden.meets(pos, pos + 1):
                continue
            line, column = places.at(pos)
            if child.type == "link_open":
                kind = "autolink" if child.markup in ("autolink", "linkify") else "link"
                url = str(child.attrs.get("href", ""))
                self.links.append(MarkdownLink(url, line, column, kind))
            elif child.type == "image":
                url = str(child.attrs.get("src", ""))
                self.links.append(MarkdownLink(url, line, column, "image"))
            elif child.type == "html_inline":
                self.directives += [(line, m.group(1)) for m in _DIRECTIVE.finditer(child.content)]
                self._html(child.content, line, column)

    def _html(self, content: str, line: int, column: int, places: _Places | None = None) -> None:
        scan = scan_html(content, line, column)
        self.anchors.update(scan.anchors)
        for link in scan.links:
            link_line, link_column = link.line, link.column
            if places is not None:  # a block: re-base each line on its source column
                link_line, link_column = places.at(places.starts[link.line - 1] + link.column - 1)
            self.links.append(MarkdownLink(link.url, link_line, link_column, "html"))

    def html_block(self, token: Token) -> None:
        if token.map is None:
            return
        for match in _DIRECTIVE.finditer(token.content):
            line = token.map[0] + token.content.count("\n", 0, match.start()) + 1
            self.directives.append((line, match.group(1)))
        self._html(token.content, 1, 1, _Places(self.source, token.map[0], token.content))

    def disabled_lines(self) -> set[int]:
        """Lines whose links the comments switch off (markdown-link-check's syntax)."""
        lines: set[int] = set()
        start: int | None = None
        for line, kind in sorted(self.directives):
            if kind == "disable-line":
                lines.add(line)
            elif kind == "disable-next-line":
                lines.add(line + 1)
            elif kind == "disable" and start is None:
                start = line
            elif kind == "enable" and start is not None:
                lines.update(range(start, line + 1))
                start = None
        if start is not None:
            lines.update(range(start, len(self.source) + 1))
        return lines


def _inert(token: Token, heading: bool) -> bool:
    """Whether a block's inline text can hold no link, anchor or directive: no ``[``
    (links, images, references), no ``<`` (autolinks, HTML) and no bare URL, and not a
    heading (its text is an anchor). linkify is off, so no other inline rule links."""
    src = token.content
    return not heading and "[" not in src and "<" not in src and not find_bare_urls(src)


def _inline_and_collect(state: StateCore) -> None:
    """markdown-it's ``inline`` core rule, collecting each block's links as it goes.

    Each inline token's children are parsed, joined as ``text_join`` would, read by the
    collector and dropped at once, so a page of 100,000 links never holds all of its
    inline tokens together (only the block tokens).
    """
    collector: _Collector | None = state.env.get("_collector")
    heading = False
    for token in state.tokens:
        if token.type == "heading_open":
            heading = True
        elif token.type == "inline" and collector is not None and _inert(token, heading):
            token.children = []  # nothing for the collector: not parsed at all
        elif token.type == "inline":
            token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
            if collector is not None:
                text_join(StateCore("", state.md, state.env, [token]))
                collector.inline(token, state.env, heading=heading)
                token.children = []
            heading = False
        elif token.type == "html_block" and collector is not None:
            collector.html_block(token)


_MD.core.ruler.at("inline", _inline_and_collect)


def parse_markdown(text: str, *, fast: bool = True) -> MarkdownDoc:
    """Every link of ``text`` with its line and column, and every anchor it defines.

    ``fast=False`` reads lists of plain links with the full parser too (the tests
    check that both give the same; see :mod:`validator.links.linklist`).
    """
    collector = _Collector(text.replace("\r\n", "\n").replace("\r", "\n"))
    listed: list[tuple[str, int, int]] = []
    _MD.parse(
        text, {"_collector": collector, "_listed": listed} if fast else {"_collector": collector}
    )
    collector.links += [MarkdownLink(url, line, column, "link") for url, line, column in listed]
    off = collector.disabled_lines()
    links = sorted(
        (link for link in collector.links if link.line not in off),
        key=lambda link: (link.line, link.column),
    )
    return MarkdownDoc(links, collector.anchors)


__all__ = ["MarkdownDoc", "MarkdownLink", "parse_markdown"]
