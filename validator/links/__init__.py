"""Link checking: extract every URL with its places, crawl, judge, remember, fix.

``check_catalog_links`` is what ``validator validate --online`` calls; ``check_paths``
serves ``validator links`` (catalog folders, YAML, Markdown and plain text files).
"""

from __future__ import annotations

import typing as t
from pathlib import Path

# Imported on first use (PEP 562), so that offline work (``validate`` judging the docs'
# local links through validator.links.offline) never pays for httpx.
_LAZY = {
    "permanent_target": "validator.http.redirects",
    "LinkOutcome": "validator.links.checker",
    "check_links": "validator.links.checker",
    "Crawler": "validator.links.crawl",
    "Probe": "validator.links.crawl",
    "Collected": "validator.links.extract",
    "LinkRef": "validator.links.extract",
    "collect_paths": "validator.links.extract",
    "refs_from_entries": "validator.links.extract",
    "refs_from_markdown": "validator.links.extract",
    "refs_from_text": "validator.links.extract",
    "FixReport": "validator.links.fix",
    "fix_redirects": "validator.links.fix",
    "crawl": "validator.links.queues",
    "VERDICT_RULES": "validator.links.verdicts",
    "rule_for": "validator.links.verdicts",
}

if t.TYPE_CHECKING:
    from validator.catalog.model import Entry
    from validator.http import CrawlSettings, HostLimiter
    from validator.http.redirects import permanent_target
    from validator.links.checker import LinkOutcome, check_links
    from validator.links.crawl import Crawler, Probe
    from validator.links.extract import (
        Collected,
        LinkRef,
        collect_paths,
        refs_from_entries,
        refs_from_markdown,
        refs_from_text,
    )
    from validator.links.fix import FixReport, fix_redirects
    from validator.links.queues import crawl
    from validator.links.verdicts import VERDICT_RULES, rule_for


def __getattr__(name: str) -> t.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'validator.links' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


async def check_catalog_links(
    entries: t.Sequence[Entry], settings: CrawlSettings, *, limiter: HostLimiter | None = None
) -> LinkOutcome:
    """Check every URL of ``entries``; one result per distinct URL, findings per place.

    Pass a ``limiter`` to share per-host politeness with another client (the Hub check).
    """
    from validator.links.checker import check_links
    from validator.links.extract import refs_from_entries

    return await check_links(refs_from_entries(list(entries)), settings, limiter=limiter)


async def check_paths(
    paths: t.Sequence[Path], settings: CrawlSettings
) -> tuple[Collected, LinkOutcome]:
    """Collect URLs from files and folders (see :func:`collect_paths`) and check them.

    Raises :class:`FileNotFoundError` for a missing path.
    """
    from validator.links.checker import check_links
    from validator.links.extract import collect_paths

    collected = collect_paths(tuple(paths))
    outcome = await check_links(collected.refs, settings)
    return collected, outcome


__all__ = [
    "VERDICT_RULES",
    "Collected",
    "Crawler",
    "FixReport",
    "LinkOutcome",
    "LinkRef",
    "Probe",
    "check_catalog_links",
    "check_links",
    "check_paths",
    "collect_paths",
    "crawl",
    "fix_redirects",
    "permanent_target",
    "refs_from_entries",
    "refs_from_markdown",
    "refs_from_text",
    "rule_for",
]
