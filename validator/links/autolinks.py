r"""Bare URLs in free text, by GitHub Flavored Markdown's extended-autolink rules.

Used for the text of Markdown paragraphs (what GitHub turns into a link without
brackets) and for plain text files. A URL starts with ``http://``, ``https://`` or
``www.`` (then read as ``http://www.``), at the start of the text, after whitespace or
after one of ``*_~(["'`<>{|,;``, so ``/cdn/https://img.example/a.jpg`` is one path, not
two URLs. The host must be a valid domain (no ``_`` in its last two labels; a
``www.`` link needs a dot, ``http://localhost`` does not) or an IPv6 literal
``[::1]``. It ends at whitespace or ``<`` (a backslash escape such as ``\(`` is read as
the character); then, as GFM says, trailing ``?!.,:*_~``
and quotes are dropped, a ``)`` only when unbalanced, and a trailing entity-like
``&gt;``.
"""

from __future__ import annotations

import dataclasses
import re

_BOUNDARY = r"""(?:(?<=^)|(?<=[\s*_~(\["'`<>{|,;]))"""
_START = re.compile(_BOUNDARY + r"(?:https?://|www\.)", re.IGNORECASE)
_START_ANY = re.compile(_BOUNDARY + r"(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?:[\w-]+\.)+[\w-]+$|^\[[0-9A-Fa-f:.]+(?:%[\w.-]+)?\]$")
_ENTITY = re.compile(r"&[a-zA-Z0-9]+;$")
_TRAILING = "?!.,:*_~'\"`\\"
_RUN = re.compile(r"[^\s<]*")  # \s is str.isspace
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclasses.dataclass(frozen=True)
class BareUrl:
    """A URL found in text: what it is and where it starts (0-based offset)."""

    url: str
    offset: int
    end: int


def _trim(candidate: str) -> str:
    while candidate:
        last = candidate[-1]
        if last in _TRAILING:
            candidate = candidate[:-1]
        elif last == ";" and _ENTITY.search(candidate):
            candidate = _ENTITY.sub("", candidate)
        elif last == ")" and candidate.count(")") > candidate.count("("):
            candidate = candidate[:-1]
        else:
            break
    return candidate


def _host(url: str) -> str:
    rest = url.split("://", 1)[1] if "://" in url else url
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    if authority.startswith("["):
        return authority[: authority.find("]") + 1] if "]" in authority else authority
    return authority.split(":", 1)[0]


def _valid_domain(host: str, short: bool) -> bool:
    """GFM's valid domain; ``short`` (after a scheme) also allows ``localhost``."""
    if host.startswith("["):
        return bool(_DOMAIN.match(host))
    if not (_DOMAIN.match(host) or (short and re.fullmatch(r"[\w-]+", host))):
        return False
    return "_" not in "".join(host.split(".")[-2:])


_PLAIN = re.compile(
    r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]+)?(?:/[A-Za-z0-9._~/%-]*[A-Za-z0-9/%-])?"
)
"""A text that is one URL and nothing the rules below would trim, unescape or refuse
(a valid domain, no ``_``, no trailing punctuation): a line of a URL list."""


def is_plain(text: str) -> bool:
    """Whether ``text`` is one plain URL, found as it is (see :data:`_PLAIN`)."""
    return _PLAIN.fullmatch(text) is not None


def find_bare_urls(text: str, *, any_scheme: bool = False) -> list[BareUrl]:
    """Every extended autolink of ``text``, in order.

    ``any_scheme`` (plain text files) also finds ``ftp://`` and the like, so that a
    list of URLs reports them as skipped instead of dropping them silently. A text
    that is one plain URL is taken as it is (~27 us a line less for a list of URLs;
    ``tests/links/test_markdown_extraction.py`` holds it to the rules).
    """
    if is_plain(text):
        return [BareUrl(text, 0, len(text))]
    found: list[BareUrl] = []
    pos = 0
    pattern = _START_ANY if any_scheme else _START
    while match := pattern.search(text, pos):
        start = match.start()
        end = _RUN.match(text, start).end()  # type: ignore[union-attr]  # always matches
        raw = _trim(text[start:end])
        url = _trim(_ESCAPE.sub(r"\1", raw))  # Markdown's \( is a literal (
        pos = max(start + len(raw), match.end())
        if len(url) <= len(match.group(0)):
            continue  # nothing left after the prefix: "(see www.)"
        if url.lower().startswith("www."):
            if _valid_domain(_host(url), short=False):
                found.append(BareUrl("http://" + url, start, start + len(raw)))
        elif _valid_domain(_host(url), short=True):
            found.append(BareUrl(url, start, start + len(raw)))
    return found


__all__ = ["BareUrl", "find_bare_urls", "is_plain"]
