"""Which method to ask a host with: HEAD while it tells the truth, GET once it does not.

HEAD saves the body, but some servers refuse it (405, 501) and some answer it
differently from GET (a 404 or 403 to HEAD, 200 to GET). Every such answer costs a
second request. Once a host has shown either, the rest of its URLs go straight to
GET for the rest of the run, and the cache remembers the host for the next runs
(``kv`` namespace ``links-head``, kept :data:`REMEMBER_SECONDS`).
"""

from __future__ import annotations

import typing as t

from validator.http import Cache

NAMESPACE = "links-head"
REMEMBER_SECONDS = 30 * 24 * 3600.0
"""A host's HEAD behaviour is looked at again after a month."""
REFUSING_STATUSES = frozenset({405, 501})
"""HEAD not implemented (RFC 9110 §15.5.6, §15.6.2)."""


class HeadPolicy:
    """The hosts to ask with GET only; learnt during the run, loaded from the cache."""

    def __init__(self, get_only: t.Mapping[str, str] | None = None) -> None:
        self._get_only: dict[str, str] = dict(get_only or {})
        self._learnt: dict[str, str] = {}

    def use_head(self, host: str) -> bool:
        """Whether HEAD is worth trying at ``host``."""
        return host.lower() not in self._get_only

    def learn(self, host: str, head_status: int | None, get_status: int | None) -> None:
        """Record a HEAD answer that needed a GET after it.

        ``head_status`` is ``None`` when HEAD broke the connection. The host is GET-only
        from now on when HEAD is refused, broke, or was contradicted by GET.
        """
        if head_status in REFUSING_STATUSES or head_status is None:
            why = f"HEAD answered {head_status}" if head_status else "HEAD broke the connection"
        elif get_status is not None and get_status != head_status:
            why = f"HEAD answered {head_status}, GET {get_status}"
        else:
            return  # HEAD and GET agree: HEAD tells the truth here
        key = host.lower()
        if key not in self._get_only:
            self._get_only[key] = why
            self._learnt[key] = why

    def learnt(self) -> dict[str, str]:
        """Hosts found GET-only in this run, with the reason."""
        return dict(self._learnt)

    @classmethod
    def load(cls, cache: Cache, hosts: t.Iterable[str]) -> HeadPolicy:
        """The GET-only hosts among ``hosts`` that the cache remembers."""
        known = {}
        for host in hosts:
            why = cache.get(NAMESPACE, host.lower(), ttl=REMEMBER_SECONDS)
            if isinstance(why, str):
                known[host.lower()] = why
        return cls(known)

    def save(self, cache: Cache) -> None:
        """Remember the hosts learnt in this run."""
        for host, why in self._learnt.items():
            cache.put(NAMESPACE, host, why)
