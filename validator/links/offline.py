"""The offline part of a link check: split the web links from the rest and judge the rest.

Local files and ``#anchors``, ``mailto:`` and the other schemes need no network
(:class:`~validator.links.local.LocalLinks` judges them), so they are judged here,
never cached, never counted towards "network unavailable", and reported through the
same verdict->rule table as crawled links. A ``file://`` URL in a catalog entry is a
finding of its own (``link-file-url``): it points at one machine's disk.
"""

from __future__ import annotations

import dataclasses
import typing as t

from validator.findings import Finding, LinkResult
from validator.links.extract import LinkRef
from validator.links.local import LocalLinks, is_web, scheme
from validator.links.verdicts import finding_for


@dataclasses.dataclass
class OfflineOutcome:
    """What the offline judge leaves to the crawler, and what it decided itself."""

    web: list[LinkRef]
    results: list[LinkResult]
    findings: list[Finding]


def judge_offline(refs: t.Sequence[LinkRef], local: LocalLinks | None = None) -> OfflineOutcome:
    """Judge every ref that is not an http(s) URL; return the web ones untouched."""
    local = local or LocalLinks()
    web: list[LinkRef] = []
    judged: dict[str, LinkResult] = {}
    places: dict[str, list[LinkRef]] = {}
    findings: list[Finding] = []
    for ref in refs:
        if is_web(ref.url):
            web.append(ref)
            continue
        if ref.entry is not None and scheme(ref.url) == "file":
            rule = "link-file-url"
            findings.append(
                ref.finding(
                    rule,
                    f"file:// URL {ref.url} points at one machine's disk",
                    hint="link the published copy (an https:// URL) instead",
                    evidence={"url": ref.url},
                )
            )
        key = local.key(ref.url, ref.location)
        if key not in judged:
            judged[key] = local.judge(ref.url, ref.location)
        places.setdefault(key, []).append(ref)
    results = []
    for key, occurrences in places.items():
        locations = tuple(dict.fromkeys(r.location for r in occurrences))
        result = dataclasses.replace(judged[key], locations=locations)
        results.append(result)
        findings.extend(f for f in (finding_for(result, ref) for ref in occurrences) if f)
    return OfflineOutcome(web, results, findings)


__all__ = ["OfflineOutcome", "judge_offline"]
