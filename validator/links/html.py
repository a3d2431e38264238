"""Links and anchors of HTML: ``.html`` files, HTML blocks and inline HTML in Markdown.

Python's :mod:`html.parser` reads the markup (entities decoded: ``&amp;`` in an
``href`` is ``&``). A link is an attribute that names a URL (the table below,
linkinator's and lychee's lists merged); text is never a link (GitHub does not
autolink inside HTML). Skipped, as lychee does: everything inside the verbatim
elements (``pre``, ``code``, ``script``, ``style``, ...), comments, ``<link
rel=preconnect|dns-prefetch>`` hints, elements with a ``prefix`` attribute (RDFa
``prefix="og: https://ogp.me/ns#"`` is a vocabulary, not a link), disabled or
dev-server stylesheets (``/@global/x.css``) and e-mail-like ``srcset`` candidates
(``v2@1.5x.png``). Anchors are every ``id`` and ``<a name>``.
"""

from __future__ import annotations

import dataclasses
import html.parser
import re

# attribute -> elements where it holds a URL (linkinator's table, plus lychee's extras);
# href, src and cite count on any element, as in lychee: MDX components (<Card href=..>)
# and custom elements link too.
_ANY_ELEMENT = frozenset({"href", "src", "cite", "usemap"})
_URL_ATTRIBUTES: dict[str, frozenset[str]] = {
    "srcset": frozenset({"img", "source"}),
    "data": frozenset({"object"}),
    "poster": frozenset({"video"}),
    "background": frozenset({"body"}),
    "longdesc": frozenset({"frame", "iframe", "img"}),
    "action": frozenset({"form"}),
    "formaction": frozenset({"button", "input"}),
}
VERBATIM = frozenset(
    {
        "code",
        "kbd",
        "listing",
        "noscript",
        "plaintext",
        "pre",
        "samp",
        "script",
        "style",
        "textarea",
        "var",
        "xmp",
    }
)
_HINTS = frozenset({"preconnect", "dns-prefetch"})
_EMAIL_LIKE = re.compile(r"^[^\s/@:]+@[^\s/@]+$")


@dataclasses.dataclass(frozen=True)
class HtmlLink:
    """One URL an attribute names, at the 1-based line and column of its value."""

    url: str
    line: int
    column: int
    element: str
    attribute: str


def srcset_urls(value: str) -> list[str]:
    """The image candidates' URLs of a ``srcset`` (HTML's parsing algorithm, simplified).

    A URL runs to the next whitespace; a comma ends a candidate only after its URL, so
    ``/cdn/format=webp,width=640/https://img.example/a.jpg 640w`` stays one URL.
    """
    urls = []
    pos, n = 0, len(value)
    while pos < n:
        while pos < n and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < n and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        ended = url.endswith(",")
        url = url.rstrip(",")
        if url:
            urls.append(url)
        if ended:
            continue
        depth = 0  # skip the descriptors up to a comma outside parentheses
        while pos < n and not (value[pos] == "," and depth == 0):
            depth += {"(": 1, ")": -1}.get(value[pos], 0)
            pos += 1
    return urls


def _virtual_stylesheet(rel: set[str], values: dict[str, str]) -> bool:
    """A disabled stylesheet, or one a dev server invents (``/@global/x.css``, lychee)."""
    if "stylesheet" not in rel:
        return False
    return "disabled" in values or values.get("href", "").startswith(("/@", "@"))


class _Reader(html.parser.HTMLParser):
    def __init__(self, line: int, column: int, with_links: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line, self.first_column = line, column
        self.with_links = with_links
        self.links: list[HtmlLink] = []
        self.anchors: list[str] = []
        self.verbatim: list[str] = []

    def _place(self, offset_in_tag: int) -> tuple[int, int]:
        line, col = self.getpos()
        before = (self.get_starttag_text() or "")[:offset_in_tag]
        if "\n" in before:
            line, col = line + before.count("\n"), len(before) - before.rfind("\n") - 1
        else:
            col += len(before)
        if line == 1:
            col += self.first_column - 1
        return self.first_line + line - 1, col + 1

    def _value_offset(self, name: str) -> int:
        raw = self.get_starttag_text() or ""
        found = re.search(rf"(?i)\s{re.escape(name)}\s*=\s*[\"']?", raw)
        return found.end() if found else 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag in VERBATIM:
            self.verbatim.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.verbatim:
            while self.verbatim and self.verbatim.pop() != tag:
                pass

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.verbatim:
            return
        values = {name: value or "" for name, value in attrs}
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.anchors.append(values[name])
        if self.with_links and not _not_links(tag, values):
            for name, value in attrs:
                if value is not None and (
                    name in _ANY_ELEMENT or tag in _URL_ATTRIBUTES.get(name, ())
                ):
                    self._attribute(tag, name, value)

    def _attribute(self, tag: str, name: str, value: str) -> None:
        line, column = self._place(self._value_offset(name))
        urls = srcset_urls(value) if name == "srcset" else [value.strip()]
        for url in urls:
            if url and not (name == "srcset" and _EMAIL_LIKE.match(url)):
                self.links.append(HtmlLink(url, line, column, tag, name))


def _not_links(tag: str, values: dict[str, str]) -> bool:
    """An element whose URL attributes are not links (RDFa vocabularies, hints...)."""
    if "prefix" in values:
        return True
    rel = set(values.get("rel", "").lower().split())
    return tag == "link" and bool(_HINTS & rel or _virtual_stylesheet(rel, values))


@dataclasses.dataclass
class HtmlScan:
    """What one piece of HTML holds."""

    links: list[HtmlLink]
    anchors: list[str]
    open_verbatim: list[str]
    """Verbatim elements still open at the end (a ``<pre>`` whose body follows)."""


def scan_html(
    text: str, line: int = 1, column: int = 1, *, links: bool = True, verbatim: tuple[str, ...] = ()
) -> HtmlScan:
    """Links and anchors of ``text``, placed as if it started at ``line``:``column``.

    ``verbatim`` names elements already open around ``text`` (inline HTML between
    ``<code>`` and ``</code>`` in a Markdown paragraph): nothing inside them counts.
    """
    reader = _Reader(line, column, links)
    reader.verbatim = list(verbatim)
    reader.feed(text)
    reader.close()
    return HtmlScan(reader.links, reader.anchors, reader.verbatim)


__all__ = ["VERBATIM", "HtmlLink", "HtmlScan", "scan_html", "srcset_urls"]
