"""The redirect policy both clients follow (the link crawler and the Hub client).

Redirects are followed by hand so every hop is recorded and credentials can be
dropped when a hop leaves their origin. One hop at a time: :func:`next_hop` resolves
a ``Location`` against the current URL and says why the chain must stop (an invalid
target, a non-HTTP scheme, a loop, too many hops). :func:`permanent_target` reads a
finished chain: the URL a catalog should carry instead of the one it has.
"""

from __future__ import annotations

import dataclasses
import functools
import typing as t

import httpx

from validator.http.urls import parse_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})  # RFC 9110 §15.4.2, RFC 7538


def location_of(headers: httpx.Headers) -> str | None:
    """The ``Location`` of an answer, also one the client set aside as unusable
    (``javascript:``, ``mailto:``, ``data:``...), so that it is judged, not dropped."""
    location: str | None = headers.get("location") or headers.get(_unusable_location())
    return location


@functools.cache
def _unusable_location() -> str:
    from validator.http.client import UNUSABLE_LOCATION  # on first use: it brings httpcore

    return UNUSABLE_LOCATION


def bad_port(url: httpx.URL) -> bool:
    """Whether ``url`` names a port no socket can reach (httpx parses ``:99999``)."""
    return url.port is not None and not 0 < url.port < 65536


def is_redirect(status: int | None, location: str | None) -> bool:
    """Whether an answer asks to be followed: a redirect status with a ``Location``."""
    return status in REDIRECT_STATUSES and bool(location)


@dataclasses.dataclass
class RedirectChain:
    """The hops of one request so far: ``(status, location)`` per hop."""

    start: httpx.URL
    max_redirects: int
    hops: list[tuple[int, str]] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        self._seen: set[str] | None = None  # made at the first hop: most chains have none

    def next_hop(self, current: httpx.URL, status: int, location: str) -> httpx.URL | str:
        """Record one hop; the next URL to ask, or the reason to stop (a sentence)."""
        try:
            nxt = current.join(location.strip()).copy_with(fragment=None)
        except httpx.InvalidURL:
            return f"invalid redirect target {location!r}"
        self.hops.append((status, str(nxt)))
        if nxt.scheme not in ("http", "https"):
            return f"redirect to unsupported scheme {nxt.scheme}"
        if bad_port(nxt):
            return f"invalid redirect target {location!r}: port {nxt.port}"
        if self._seen is None:
            self._seen = {str(self.start)}
        if str(nxt) in self._seen:
            return f"redirect loop back to {nxt}"
        if len(self.hops) > self.max_redirects:
            return f"more than {self.max_redirects} redirects"
        self._seen.add(str(nxt))
        return nxt


def permanent_target(url: str, redirects: t.Sequence[tuple[int, str]]) -> str | None:
    """The URL the catalog should carry: the end of the leading permanent hops.

    ``None`` when the first hop is temporary (or there is none). A ``#fragment`` of
    ``url`` carries over to a target without one (RFC 9110 §10.2.2).
    """
    target = None
    for status, location in redirects:
        if status not in PERMANENT_REDIRECTS:
            break
        target = location
    if target is None:
        return None
    fragment = parse_url(url).fragment
    if fragment and "#" not in target:
        target = f"{target}#{fragment}"
    return target
