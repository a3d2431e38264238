"""Does an HTML page contain the ``#fragment`` a link points at?

Only server-rendered ids and names can be checked (lychee and linkinator say the same:
anchors made by JavaScript are invisible to a checker). GitHub renders README headings
as ``id="user-content-<slug>"`` and rewrites ``#slug`` in the browser, so both forms
count. Fragments that are not element ids are never reported: GitHub line anchors
(``#L10-L20``, lychee drops them too), text fragments (``#:~:text=``), ``#top``
(HTML §7.4.6.4: scrolls to the top without an element) and hash-bang routes (``#!``).
"""

from __future__ import annotations

import html
import re
import unicodedata
import urllib.parse

_ID_ATTR = re.compile(
    rb"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/=`]+))""", re.IGNORECASE
)
_LINE_ANCHOR = re.compile(r"^L\d+(C\d+)?(-L\d+(C\d+)?)?$")


def checkable(fragment: str, host: str) -> bool:
    """Whether ``fragment`` names an element we can look for."""
    if not fragment or fragment.startswith(("!", ":~:", "/")) or fragment.lower() == "top":
        return False
    return not (host.endswith("github.com") and _LINE_ANCHOR.match(fragment))


def page_ids(body: bytes) -> set[str]:
    """Every ``id``/``name`` attribute value in an HTML document."""
    ids: set[str] = set()
    for match in _ID_ATTR.finditer(body):
        raw = match.group(1) or match.group(2) or match.group(3) or b""
        ids.add(html.unescape(raw.decode("utf-8", "replace")))  # id="a&amp;b" is "a&b"
    return ids


def has_fragment(body: bytes, fragment: str) -> bool:
    """Whether the page defines ``fragment`` (percent-decoded; GitHub prefix allowed).

    GitHub's page script finds ``user-content-`` heading anchors ignoring case
    (``#Installation`` scrolls to ``user-content-installation``), so that prefix is
    matched case-insensitively: a link that works in the browser is never reported.
    """
    ids = page_ids(body)
    wanted = {fragment, urllib.parse.unquote(fragment)}
    if any(w in ids or f"user-content-{w}" in ids for w in wanted):
        return True
    github = {i.lower() for i in ids if i.startswith("user-content-")}
    return any(f"user-content-{w}".lower() in github for w in wanted)


def is_html(content_type: str) -> bool:
    """Whether a ``Content-Type`` is HTML (XHTML included)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml")


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading whose text is ``heading`` (github-slugger).

    Lower-cased (Unicode-aware), every character dropped except letters, marks,
    numbers, ``_``, ``-`` and spaces, then each space becomes ``-``: ``Step 7 - Lint &
    Test`` is ``step-7---lint--test``, ``Über ✨`` is ``über-``. Callers pass the text a
    reader sees (emphasis, code marks, links and HTML tags already stripped).
    """
    kept = [
        c
        for c in heading.lower()
        if c in " -_" or unicodedata.category(c)[0] in "LMN" or unicodedata.category(c) == "Pc"
    ]
    return "".join(kept).replace(" ", "-")


class Slugger:
    """Unique heading anchors for one document: repeats get ``-1``, ``-2``, ..."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, heading: str) -> str:
        """The next unique anchor for ``heading`` (github-slugger's counting)."""
        base = github_slug(heading)
        result = base
        while result in self._seen:
            self._seen[base] += 1
            result = f"{base}-{self._seen[base]}"
        self._seen[result] = 0
        return result
