"""The online stage of every run: the link crawl and the Hub cross-check.

``validate --online`` runs both, ``links`` the crawl alone; both concurrently on one
event loop, sharing one per-host limiter. Heavy imports stay inside the functions so
the offline path never pays for httpx and anyio.
"""

from __future__ import annotations

import os
import sqlite3
import typing as t
from pathlib import Path

from validator.options import RunOptions
from validator.pipeline import CacheError, OnlineOutcome, OnlineTargets

if t.TYPE_CHECKING:
    from validator.findings import LinkResult
    from validator.http.settings import CrawlSettings
    from validator.hub.settings import HubSettings
    from validator.links.checker import Handover
    from validator.links.extract import LinkRef


def run_online(targets: OnlineTargets, options: RunOptions) -> OnlineOutcome:
    """Crawl the links and/or cross-check the Hub for ``targets``; blocking.

    Raises :class:`~validator.pipeline.CacheError` when the link cache cannot be used.
    """
    import anyio

    from validator.http.resolver import per_run

    # One resolver for the run, shared by both parts: each host is looked up once, and
    # a name that does not resolve fails all its URLs and Hub requests at once.
    settings = per_run(options.config().crawl_settings(options.crawl))
    from validator.links.filters import UrlFilters

    UrlFilters.from_settings(settings)  # a bad ignore file or remap: one line, before any request
    hub_settings = _hub_settings(settings) if options.hub else None
    return anyio.run(_online, targets, options, settings, hub_settings)


def _hub_settings(settings: CrawlSettings) -> HubSettings:
    """Read before the run starts, so a bad ``HF_TOKEN`` is one line, not a task error."""
    from validator.hub import HubSettings

    overrides: dict[str, t.Any] = {
        "timeout": settings.timeout,
        "max_retries": settings.max_retries,
    }
    if settings.no_cache:
        overrides["cache_path"] = None
    return HubSettings.from_env(os.environ, **overrides)


async def _online(
    targets: OnlineTargets,
    options: RunOptions,
    settings: CrawlSettings,
    hub_settings: HubSettings | None,
) -> OnlineOutcome:
    import anyio

    from validator.links.shards import owns

    entries = targets.entries
    outcome = OnlineOutcome(entries={entry.file for entry in entries})
    refs = _shard_refs(targets, settings, outcome)
    shard = settings.shard
    run_hub = options.hub and hub_settings is not None and owns(shard, hub_settings.endpoint)
    failures: list[Exception] = []
    unavailable: dict[str, str] = {}
    handover, hand_over = _handover(targets) if options.links and run_hub else (None, None)
    # One limiter for both parts: the crawl fetches huggingface.co model pages while the
    # Hub check asks huggingface.co/api, and the per-host limits are for the host.
    limiter = settings.limiter()

    async def links() -> None:
        from validator.links import check_links
        from validator.links.local import LocalLinks

        root = settings.root_dir if settings.root_dir is not None else Path.cwd()
        local = LocalLinks(root=root, anchors=targets.anchors)
        try:
            result = await check_links(
                refs, settings, limiter=limiter, local=local, handover=handover
            )
        except (OSError, sqlite3.Error) as exc:  # cannot create it, not a database, locked
            path = settings.resolved_cache_path()
            failures.append(CacheError(f"cannot use the cache at {path}: {exc}"))
            return
        outcome.links = result.results
        outcome.runs = result.runs
        outcome.saved_requests = result.saved_requests
        outcome.findings.extend(result.findings)
        outcome.families.add("links")
        if result.network_unavailable:
            unavailable["links"] = result.network_unavailable

    async def hub() -> None:
        from validator.hub import check_catalog_hub
        from validator.hub.check import standalone_client

        assert hub_settings is not None
        licenses = targets.catalog.licenses
        answers: dict[str, LinkResult] = {}
        try:
            async with standalone_client(hub_settings, settings.resolver) as http:
                result = await check_catalog_hub(
                    entries, licenses, hub_settings, client=http, limiter=limiter
                )
            answers = result.links
        finally:
            if hand_over is not None:
                hand_over(answers)  # the crawl never waits for an answer that cannot come
        outcome.findings.extend(result.findings)
        outcome.hub = sorted(result.repos, key=lambda r: r.repo)
        outcome.families.add("hub")
        if result.network_unavailable:
            unavailable["hub"] = f"Network unavailable: {result.network_unavailable}"

    async with anyio.create_task_group() as group:
        if options.links:
            group.start_soon(links)
        if run_hub:
            group.start_soon(hub)
    if failures:
        raise failures[0]
    if settings.host_stats:
        outcome.hosts = limiter.stats()
    if unavailable and len(unavailable) == (options.links + run_hub):
        # Only when every online part failed to reach anything: one part reaching its
        # host proves the network is there, and its failures are real findings.
        outcome.network_unavailable = unavailable.get("links") or unavailable["hub"]
    return outcome


def _handover(
    targets: OnlineTargets,
) -> tuple[Handover, t.Callable[[t.Mapping[str, LinkResult]], None]]:
    """What the Hub check will answer for the crawl, and the call that hands it over.

    The crawl requests every other URL first and waits for the Hub's answers only for
    the checkpoint and dataset URLs the Hub check asks about (one request per fact).
    """
    import anyio

    from validator.hub.repos import collect_refs
    from validator.links.checker import Handover

    done = anyio.Event()
    answers: dict[str, LinkResult] = {}

    def hand_over(known: t.Mapping[str, LinkResult]) -> None:
        answers.update(known)
        done.set()

    async def wait() -> dict[str, LinkResult]:
        await done.wait()
        return answers

    urls = frozenset(ref.url for ref in collect_refs(targets.entries))
    return Handover(urls, wait), hand_over


def _shard_refs(
    targets: OnlineTargets, settings: CrawlSettings, outcome: OnlineOutcome
) -> list[LinkRef]:
    """The URLs this shard crawls (all of them without ``--shard``).

    An entry whose links span shards has its link rules judged in several; none of
    them may call its link waivers unused (report merge keeps what fired), so such
    entries leave ``outcome.entries``.
    """
    from validator.links import refs_from_entries
    from validator.links.shards import owns, split

    entries = targets.entries
    all_refs = targets.refs if targets.refs is not None else refs_from_entries(entries)
    shard = settings.shard
    if shard is not None:
        outcome.entries -= {r.entry.file for r in all_refs if r.entry and not owns(shard, r.url)}
    return split(shard, all_refs, lambda ref: ref.url)
