"""The one URL parser, :class:`httpx.URL`, with a fast path for plain web URLs.

``httpx.URL(text)`` costs ~36 us: regexes, percent-quoting of every component, an
``ipaddress`` parse of an IPv4 host; a crawl parsed each URL two or three times (its
host for the schedule, its checks before the first request), ~80 us per URL at zero
latency, where the whole budget is ~600 us. Most URLs a catalog holds are plain:
``http(s)://host[:port]/path?query#fragment`` in printable ASCII that httpx keeps as it
is. :func:`parse_url` recognises those with one regex and builds the very
``httpx.URL`` httpx would (its parsed components, in ~3 us); anything else (userinfo,
IPv6, non-ASCII, characters to quote, ``.``/``..`` segments, upper-case schemes) goes
through ``httpx.URL`` itself. ``tests/http/test_urls.py`` holds both paths to the same
result on every URL of the repository and on random ones; and at import the fast path
checks itself against httpx, so an httpx that parses differently (or stores its parse
differently) only turns the fast path off.
"""

from __future__ import annotations

import re

import httpx

_PLAIN = re.compile(
    # 0x21-0x7E minus what httpx quotes there: path "#<>?`{}, query "#<>, fragment "<>`
    r"(https?)://([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?"
    r"(/[!$-;=@-_a-z|~]*)?"
    r"(?:\?([!$-;=?-~]*))?"
    r"(?:#([!#-;=?-_a-~]*))?"
)
_IPV4_STYLE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}")
"""What :class:`ipaddress.IPv4Address` accepts (no leading zeros): httpx checks an
IPv4-looking host with it and refuses the rest."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _fast(text: str) -> httpx.URL | None:
    """The ``httpx.URL`` of a plain URL, without httpx's parser; ``None`` otherwise."""
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    scheme, host, port_text, path, query, fragment = match.groups()
    if _IPV4_STYLE.fullmatch(host) and not _IPV4.fullmatch(host):
        return None  # httpx refuses it: let it say why
    path = path or ""
    if "." in path and any(seg in (".", "..") for seg in path.split("/")):
        return None  # httpx removes dot segments
    port = None if port_text is None else int(port_text)
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    url = httpx.URL.__new__(httpx.URL)
    url._uri_reference = _ParseResult(scheme, "", host.lower(), port, path, query, fragment)
    return url


def parse_url(text: str) -> httpx.URL:
    """``httpx.URL(text)``, faster for plain URLs; raises :class:`httpx.InvalidURL`."""
    if _ENABLED:
        url = _fast(text)
        if url is not None:
            return url
    return httpx.URL(text)


def plain_host(text: str) -> str | None:
    """``parse_url(text).host`` of a plain URL, without building it (the schedule asks
    every URL's host); ``None`` when ``text`` is not plain: ask :func:`parse_url`."""
    match = _PLAIN.fullmatch(text) if _ENABLED else None
    if match is None:
        return None
    host = match[2].lower()
    if host.startswith("xn--") or (_IPV4_STYLE.fullmatch(host) and not _IPV4.fullmatch(host)):
        return None  # httpx shows an IDNA host decoded, and refuses a bad IPv4 one
    return host


def without_fragment(url: httpx.URL) -> httpx.URL:
    """``url.copy_with(fragment=None)``: its components are already in httpx's form, so
    only the fragment changes (httpx would parse them all again)."""
    if not _ENABLED:
        return url.copy_with(fragment=None)
    stripped = httpx.URL.__new__(httpx.URL)
    stripped._uri_reference = url._uri_reference._replace(fragment=None)
    return stripped


def _self_check() -> bool:
    """Whether this httpx stores a parse as the fast path builds it."""
    samples = (
        "http://Example.COM:80/a/b.c?q=1&r=%20#frag",
        "https://127.0.0.1:8443/x?y#z",
        "https://host/",
        "http://h",
    )
    try:
        for sample in samples:
            url = _fast(sample)
            if url is None or url._uri_reference != httpx.URL(sample)._uri_reference:
                return False
            if str(url) != str(httpx.URL(sample)) or url != httpx.URL(sample):
                return False
    except Exception:  # noqa: BLE001 - any surprise in httpx's internals: no fast path
        return False
    return True


try:
    from httpx._urlparse import ParseResult as _ParseResult
except ImportError:  # pragma: no cover - an httpx without it: always httpx.URL
    _ENABLED = False
else:
    _ENABLED = _self_check()


__all__ = ["parse_url", "plain_host", "without_fragment"]
