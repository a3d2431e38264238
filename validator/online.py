"""The online stage of ``validate --online``: the link crawl and the Hub cross-check.

Both run concurrently on one event loop (they share nothing but the machine's sockets;
each keeps its own per-host politeness). Heavy imports stay inside the functions so the
offline path never pays for httpx and anyio.
"""

from __future__ import annotations

import os
import typing as t

from validator.catalog.model import Catalog, Entry
from validator.options import ValidateOptions
from validator.pipeline import OnlineOutcome

if t.TYPE_CHECKING:
    from validator.http.settings import CrawlSettings
    from validator.hub.settings import HubSettings


def run_online(entries: list[Entry], catalog: Catalog, options: ValidateOptions) -> OnlineOutcome:
    """Crawl links and/or cross-check the Hub for ``entries``; blocking."""
    import anyio

    from validator.config import load_config

    settings = load_config(options.config_path).crawl_settings(options.crawl)
    hub_settings = _hub_settings(settings) if options.hub else None
    return anyio.run(_online, entries, catalog, options, settings, hub_settings)


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
    entries: list[Entry],
    catalog: Catalog,
    options: ValidateOptions,
    settings: CrawlSettings,
    hub_settings: HubSettings | None,
) -> OnlineOutcome:
    import anyio

    from validator.http import HostLimiter

    outcome = OnlineOutcome(entries={entry.file for entry in entries})
    unavailable: dict[str, str] = {}
    # One limiter for both parts: the crawl fetches huggingface.co model pages while the
    # Hub check asks huggingface.co/api, and the per-host limits are for the host.
    limiter = HostLimiter(concurrency=settings.concurrency, host_limits=settings.host_limits)

    async def links() -> None:
        from validator.links import check_catalog_links

        result = await check_catalog_links(entries, settings, limiter=limiter)
        outcome.links = result.results
        outcome.runs = result.runs
        outcome.findings.extend(result.findings)
        outcome.families.add("links")
        if result.network_unavailable:
            unavailable["links"] = result.network_unavailable

    async def hub() -> None:
        from validator.hub import check_catalog_hub

        assert hub_settings is not None
        result = await check_catalog_hub(entries, catalog.licenses, hub_settings, limiter=limiter)
        outcome.findings.extend(result.findings)
        outcome.hub = sorted(result.repos, key=lambda r: r.repo)
        outcome.families.add("hub")
        if result.network_unavailable:
            unavailable["hub"] = f"Network unavailable: {result.network_unavailable}"

    async with anyio.create_task_group() as group:
        if options.links:
            group.start_soon(links)
        if options.hub:
            group.start_soon(hub)
    if unavailable and len(unavailable) == (options.links + options.hub):
        # Only when every online part failed to reach anything: one part reaching its
        # host proves the network is there, and its failures are real findings.
        outcome.network_unavailable = unavailable.get("links") or unavailable["hub"]
    return outcome
