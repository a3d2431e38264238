"""Link checking: extract every URL with its places, crawl, judge, remember, fix.

Every command reaches this through :func:`validator.pipeline.run`: ``links`` collects
its URLs with ``collect_paths``, ``validate --online`` with ``refs_from_entries`` (and
``refs_from_glossary``), and both crawl them with ``check_links``.
"""

from __future__ import annotations

import typing as t

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
    "refs_from_glossary": "validator.links.extract",
    "refs_from_markdown": "validator.links.extract",
    "refs_from_text": "validator.links.extract",
    "FixReport": "validator.links.fix",
    "fix_redirects": "validator.links.fix",
    "crawl": "validator.links.queues",
    "VERDICT_RULES": "validator.links.verdicts",
    "rule_for": "validator.links.verdicts",
}

if t.TYPE_CHECKING:
    from validator.http.redirects import permanent_target
    from validator.links.checker import LinkOutcome, check_links
    from validator.links.crawl import Crawler, Probe
    from validator.links.extract import (
        Collected,
        LinkRef,
        collect_paths,
        refs_from_entries,
        refs_from_glossary,
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


__all__ = [
    "VERDICT_RULES",
    "Collected",
    "Crawler",
    "FixReport",
    "LinkOutcome",
    "LinkRef",
    "Probe",
    "check_links",
    "collect_paths",
    "crawl",
    "fix_redirects",
    "permanent_target",
    "refs_from_entries",
    "refs_from_glossary",
    "refs_from_markdown",
    "refs_from_text",
    "rule_for",
]
