"""The order of work: the critical path first, so the run ends near its bound.

A catalog's crawl is as long as its busiest host's schedule: that host's requests,
``host_interval`` apart, plus the pauses it asks for. Three things stretch a run
beyond that, and each is fixed by ordering alone (the limits never change):

* a big host started late: hosts are taken in order of expected work, most first;
* a URL that hangs, reached late: its timeout lands after everything else instead of
  overlapping the queue. A URL whose last check timed out is started first;
* a URL that needs retries (a 503, a 429 with ``Retry-After``) or answers slowly,
  reached late: its backoff ends the run. Such URLs go right after the hangs;
* a hang nothing warned of, reached late because follow-ups (redirect hops, retries,
  GET after a refused HEAD) took the host's turns first. Without history a hang may be
  any URL, and it ends the run no sooner than its start plus the timeout; so every URL
  of a host is started before the follow-ups of its started ones, which go at the end
  of the host's queue, inside the last timeout (:meth:`Dispatcher.follow_up`).

What is known about a URL comes from the cache (:class:`~validator.http.LinkRecord`):
its last verdict, attempts, redirect hops and time taken. A URL never seen is
expected to cost one request and goes after the known trouble, in file order.
"""

from __future__ import annotations

import dataclasses
import typing as t

import anyio
import httpx

from validator.http import LinkRecord
from validator.http.urls import parse_url, plain_host

SLOW_MS = 2000
"""A URL that took this long last time is started early (its answer is the tail)."""

HANG, RETRIED, SLOW, PLAIN = range(4)
"""Priority classes within a host, first to last."""


def host_of(url: str) -> str:
    """The lower-cased host of ``url`` (``""`` when it has none or is not a URL)."""
    host = plain_host(url)
    if host is not None:
        return host
    try:
        return parse_url(url).host.lower()
    except httpx.InvalidURL:
        return ""


def priority(record: LinkRecord | None) -> int:
    """When to start a URL within its host, from what its last check cost."""
    if record is None:
        return PLAIN
    if record.verdict == "timeout":
        return HANG
    data = record.result
    attempts = data.get("attempts") or 0
    if isinstance(attempts, int) and attempts > 1 + len(data.get("redirects") or ()):
        return RETRIED
    elapsed = data.get("elapsed_ms") or 0
    if isinstance(elapsed, int | float) and elapsed >= SLOW_MS:
        return SLOW
    return PLAIN


def expected_requests(record: LinkRecord | None) -> int:
    """Requests the URL is expected to need: its last attempts, at least one."""
    if record is None:
        return 1
    attempts = record.result.get("attempts")
    return attempts if isinstance(attempts, int) and attempts > 0 else 1


@dataclasses.dataclass
class HostQueue:
    """One host's URLs in the order to start them; popped from the end."""

    host: str
    urls: list[str]
    work: int
    """Expected requests: the host's place in the run (most first)."""
    workers: int = 0
    """Workers serving this host right now."""
    parked: int = 0
    """Workers holding a follow-up back until the host's URLs have all started."""
    drained: anyio.Event | None = None
    """Set when the last URL has been handed out (made when a follow-up first waits)."""


def plan(urls: t.Iterable[str], history: t.Mapping[str, LinkRecord]) -> list[HostQueue]:
    """Per host, URLs ordered by :func:`priority` (file order within a class); hosts
    ordered by expected work, most first (host name breaks ties, so runs repeat)."""
    grouped: dict[str, list[tuple[int, int, str]]] = {}
    work: dict[str, int] = {}
    for index, url in enumerate(urls):
        host = host_of(url)
        record = history.get(url)
        grouped.setdefault(host, []).append((priority(record), index, url))
        work[host] = work.get(host, 0) + expected_requests(record)
    queues = []
    for host, items in grouped.items():
        items.sort()
        queues.append(HostQueue(host, [url for _p, _i, url in reversed(items)], work[host]))
    queues.sort(key=lambda q: (-q.work, q.host))
    return queues


class Dispatcher:
    """Hands URLs to a fixed pool of workers, busiest host first.

    A worker stays with its host while it has URLs, then joins the first host (in
    plan order) that still has URLs and fewer than ``per_host`` workers starting them.
    ``busy(host)`` is how many workers keep the host's slots full (its concurrency):
    beyond those, a worker may hold a follow-up back (:meth:`follow_up`), and the host
    may take as many workers again as ``per_host`` to go on starting URLs meanwhile, no
    more: a host whose every URL redirects never holds the pool that other hosts need.
    Memory stays flat however many hosts there are: the pool, not the host count, sets
    the tasks.
    """

    def __init__(
        self,
        queues: list[HostQueue],
        per_host: t.Callable[[str], int],
        busy: t.Callable[[str], int] | None = None,
    ) -> None:
        self._queues = queues
        self._by_host = {q.host: q for q in queues}
        self._most = {q.host: per_host(q.host) for q in queues}  # asked at every switch
        self._busy = busy or (lambda host: per_host(host) // 2)

    def take(self, current: HostQueue | None) -> tuple[HostQueue, str] | None:
        """The next ``(queue, url)`` for a worker now on ``current`` (``None``: done)."""
        if current is not None and current.urls:
            return current, self._pop(current)
        if current is not None:
            current.workers -= 1
        empty = 0
        for queue in self._queues:
            if not queue.urls:
                empty += 1
            elif self._room(queue):
                queue.workers += 1
                self._drop_empty(empty)
                return queue, self._pop(queue)
        self._drop_empty(empty)
        return None

    def _drop_empty(self, seen: int) -> None:
        """Forget the queues that have run dry once a scan has passed ``seen`` of them
        (drained hosts lie between the busy ones: 1,000 hosts were scanned at every
        worker switch). Plan order is kept."""
        if seen > 16 or (seen and len(self._queues) < 64):
            self._queues = [q for q in self._queues if q.urls]

    def _room(self, queue: HostQueue) -> bool:
        """Whether ``queue`` may take one more worker (see the class docstring)."""
        most = self._most[queue.host]
        return queue.workers - queue.parked < most and queue.workers < 2 * most

    @staticmethod
    def _pop(queue: HostQueue) -> str:
        url = queue.urls.pop()
        if not queue.urls and queue.drained is not None:
            queue.drained.set()
        return url

    async def follow_up(self, url: str, host: str) -> None:
        """Wait until a follow-up of ``url`` (its next request, to ``host``) may go.

        It waits while its own host has URLs not yet started and, without this worker,
        enough workers to keep the host's slots busy; so no slot idles for it, and no
        worker waits on another host's queue. The follow-up then goes out with the host's
        last URLs, paced and limited like any request.
        """
        queue = self._by_host.get(host.lower())
        if queue is None or host_of(url) != queue.host:
            return
        queue.parked += 1
        try:
            while queue.urls and queue.workers - queue.parked >= max(1, self._busy(queue.host)):
                if queue.drained is None:
                    queue.drained = anyio.Event()
                await queue.drained.wait()
        finally:
            queue.parked -= 1
