"""Which URL goes out when: one queue per host, a few workers per queue.

This module owns only the order of work; :class:`~validator.links.crawl.Crawler`
checks each URL and :class:`~validator.http.HostLimiter` keeps each host's pace.
"""

from __future__ import annotations

import sys
import typing as t

import anyio
import httpx

from validator.http import CrawlSettings, HostLimiter, build_client
from validator.links.crawl import Clock, Crawler, Probe, Sleep


def order_by_host(urls: t.Iterable[str]) -> dict[str, list[str]]:
    """URLs grouped by lower-cased host, in their given order (``""``: no host)."""
    groups: dict[str, list[str]] = {}
    for url in urls:
        try:
            host = httpx.URL(url).host.lower()
        except httpx.InvalidURL:
            host = ""
        groups.setdefault(host, []).append(url)
    return groups


def _progress(enabled: bool) -> t.Any:
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )


async def crawl(
    urls: t.Sequence[str],
    settings: CrawlSettings,
    *,
    client: httpx.AsyncClient | None = None,
    limiter: HostLimiter | None = None,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
) -> tuple[dict[str, Probe], dict[str, dict[str, int]]]:
    """Check every URL once (no cache, no findings): the raw probes and host stats.

    Work is spread by host: each host gets as many workers as its concurrency allows
    (twice that, so a worker sleeping in backoff does not idle the host), which keeps
    memory flat for 10,000 URLs instead of 10,000 waiting tasks.
    """
    if limiter is None:
        limiter = HostLimiter(concurrency=settings.concurrency, host_limits=settings.host_limits)
    probes: dict[str, Probe] = {}
    own_client = client is None
    http = client or build_client(settings)
    progress = _progress(settings.progress)
    task_id = progress.add_task("checking links", total=len(urls)) if progress else None
    timing: dict[str, t.Any] = {"clock": clock, "sleep": sleep}
    try:
        crawler = Crawler(
            settings, http, limiter, **{k: v for k, v in timing.items() if v is not None}
        )

        async def worker(queue: list[str]) -> None:
            while queue:
                url = queue.pop()
                probes[url] = await crawler.check(url)
                if progress is not None:
                    progress.advance(task_id)

        if progress is not None:
            progress.start()
        async with anyio.create_task_group() as tg:
            for host, group in order_by_host(urls).items():
                group.reverse()  # pop() from the end keeps file order
                workers = min(len(group), 2 * settings.host_limits(host)[0])
                for _ in range(workers):
                    tg.start_soon(worker, group)
    finally:
        if progress is not None:
            progress.stop()
        if own_client:
            await http.aclose()
    return probes, limiter.stats()
