"""Which URL goes out when: one queue per host, a few workers per queue.

This module owns only the order of work; :class:`~validator.links.crawl.Crawler`
checks each URL and :class:`~validator.http.HostLimiter` keeps each host's pace.
"""

from __future__ import annotations

import sys
import typing as t

import anyio
import httpx

from validator.http import CrawlSettings, HostLimiter, LinkRecord, build_client
from validator.http import wire as wire_path
from validator.http.wire import wire_client
from validator.links.crawl import Crawler, Probe, Sleep
from validator.links.methods import HeadPolicy
from validator.links.schedule import Dispatcher, plan

WORKERS_PER_SLOT = 2
"""Workers per global slot: one in a request, one waiting for its host's next turn."""


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
    sleep: Sleep | None = None,
    history: t.Mapping[str, LinkRecord] | None = None,
    head: HeadPolicy | None = None,
) -> tuple[dict[str, Probe], dict[str, dict[str, int | float]]]:
    """Check every URL once (no cache, no findings): the raw probes and host stats.

    The order comes from :func:`~validator.links.schedule.plan` (busiest host first;
    within a host, URLs that hung, needed retries or were slow last time first, as
    ``history`` tells; follow-ups after the host's last URL has started). A fixed pool
    of workers serves the hosts, each host by at most twice its concurrency (so a
    worker sleeping in backoff or holding a follow-up does not idle the host): memory
    stays flat for 100,000 URLs over 1,000 hosts.
    """
    if limiter is None:
        limiter = settings.limiter()
    probes: dict[str, Probe] = {}
    own_client = client is None
    http = client or build_client(settings)
    # Our own client: its requests go over the lean HTTP/1.1 path (validator.http.wire).
    # An injected client (a test's mock transport) is used as given.
    wire = wire_client(settings, http) if own_client and wire_path.ENABLED else None
    progress = _progress(settings.progress)
    task_id = progress.add_task("checking links", total=len(urls)) if progress else None
    try:
        dispatcher = Dispatcher(
            plan(urls, history or {}),
            lambda host: WORKERS_PER_SLOT * settings.host_limits(host)[0],
            lambda host: settings.host_limits(host)[0],
        )
        crawler = Crawler(
            settings,
            http,
            limiter,
            head=head,
            turn=dispatcher.follow_up,
            wire=wire,
            **({"sleep": sleep} if sleep else {}),
        )

        async def worker() -> None:
            queue = None
            while (job := dispatcher.take(queue)) is not None:
                queue, url = job
                probes[url] = await crawler.check(url)
                if progress is not None:
                    progress.advance(task_id)

        if progress is not None:
            progress.start()
        async with anyio.create_task_group() as tg:
            for _ in range(min(len(urls), WORKERS_PER_SLOT * settings.concurrency)):
                tg.start_soon(worker)
    finally:
        if progress is not None:
            progress.stop()
        if wire is not None:
            await wire.aclose()
        if own_client:
            await http.aclose()
    return probes, limiter.stats()
