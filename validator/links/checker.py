"""The link check as one call: reuse the cache, crawl the rest, judge, remember.

:func:`check_links` takes every occurrence of every URL, checks each distinct URL once
(:mod:`~validator.links.queues` and :mod:`~validator.links.crawl`), attaches the
failure history (:mod:`~validator.links.history`) and turns verdicts into findings
per occurrence (:mod:`~validator.links.verdicts`).

When not one host answered and some failures were network-level (no DNS, no route),
the run reports ``network_unavailable`` and calls nothing dead.

In ``validate --online`` the Hub check asks the API about every checkpoint and dataset
repo; a :class:`Handover` lets the crawl take those answers instead of requesting the
same URLs again (one request per fact): those URLs are crawled last, and only when the
Hub check had nothing sure to say about them.
"""

from __future__ import annotations

import dataclasses
import functools
import time
import typing as t

import httpx

from validator.findings import (
    Finding,
    LinkHistory,
    LinkResult,
    Location,
    RunSummary,
    Severity,
    Verdict,
)
from validator.http import Cache, CrawlSettings, HostLimiter, LinkRecord
from validator.http.urls import parse_url
from validator.links import runlog
from validator.links.crawl import Probe, Sleep
from validator.links.extract import LinkRef
from validator.links.filters import UrlFilters
from validator.links.history import apply_history, fail_after_severity, reusable
from validator.links.local import LocalLinks
from validator.links.methods import HeadPolicy
from validator.links.offline import judge_offline
from validator.links.queues import crawl
from validator.links.schedule import host_of
from validator.links.verdicts import finding_for


@dataclasses.dataclass(frozen=True)
class Handover:
    """URLs another check answers this run, and how to wait for its answers."""

    urls: frozenset[str]
    """The URLs (as written, before ``--remap``) the other check will answer."""
    answers: t.Callable[[], t.Awaitable[t.Mapping[str, LinkResult]]]
    """Waits for the other check; its verdict per URL (those it is sure of)."""


@dataclasses.dataclass
class LinkOutcome:
    """What a crawl found: one result per distinct URL and findings per occurrence."""

    results: list[LinkResult]
    findings: list[Finding]
    network_unavailable: str | None = None
    """One sentence when nothing at all could be reached; then nothing is called dead."""
    host_stats: dict[str, dict[str, int | float]] = dataclasses.field(default_factory=dict)
    """Per host: requests, retries, 429s, latency, pace, most in flight at once
    (:meth:`validator.http.HostLimiter.stats`)."""
    runs: list[RunSummary] | None = None
    """The cache's run log, this run last (``None`` without a cache)."""
    saved_requests: int = 0
    """URLs not requested because a :class:`Handover` answered them."""

    @property
    def failed(self) -> bool:
        """Whether any finding is an error."""
        return any(f.severity is Severity.ERROR for f in self.findings)


def network_unavailable(probes: t.Iterable[Probe]) -> str | None:
    """One sentence when no peer answered and some failures were network-level."""
    reached = False
    network_failures: list[LinkResult] = []
    for probe in probes:
        reached = reached or probe.reached
        if probe.network_failure:
            network_failures.append(probe.result)
    if reached or not network_failures:
        return None
    hosts = {_host(r.url) for r in network_failures}
    # the first host by name (then URL), not the first to fail: the same sentence every run
    example = min(network_failures, key=lambda r: (_host(r.url), r.url, r.error or ""))
    return (
        f"Network unavailable: none of the {len(hosts)} host{'s' if len(hosts) != 1 else ''} "
        f"could be reached ({_host(example.url)}: {example.error}), so no link was judged."
    )


def _host(url: str) -> str:
    try:
        return parse_url(url).host
    except httpx.InvalidURL:
        return url


def _distinct(refs: t.Sequence[LinkRef]) -> dict[str, list[LinkRef]]:
    by_url: dict[str, list[LinkRef]] = {}
    for ref in refs:
        by_url.setdefault(ref.url, []).append(ref)
    return by_url


def _unjudged(probes: t.Mapping[str, Probe]) -> dict[str, LinkResult]:
    """Results of a run that reached nothing: a network failure is not "dead"."""
    return {
        url: dataclasses.replace(p.result, verdict=Verdict.ERROR) if p.network_failure else p.result
        for url, p in probes.items()
    }


async def check_links(
    refs: t.Sequence[LinkRef],
    settings: CrawlSettings,
    *,
    client: httpx.AsyncClient | None = None,
    limiter: HostLimiter | None = None,
    now: float | None = None,
    sleep: Sleep | None = None,
    local: LocalLinks | None = None,
    handover: Handover | None = None,
) -> LinkOutcome:
    """Check every distinct URL of ``refs``; results, findings and network status.

    ``now`` is the wall-clock time the history records; ``sleep`` is the crawler's
    retry wait (default: :func:`validator.timing.sleep`). Links that need no
    network (local files, anchors, ``mailto:``) are judged first by ``local``
    (:mod:`validator.links.offline`); only http(s) URLs are crawled. ``handover``:
    URLs whose verdict another check supplies (see the module docstring).
    """
    filters = UrlFilters.from_settings(settings)
    refs = [_rewritten(ref, filters) for ref in refs]
    offline = judge_offline(refs, local, filters)
    by_url = _distinct(offline.web)
    wall = time.time() if now is None else now
    if handover is not None:
        handover = _rewritten_handover(handover, filters)
    if limiter is None:  # one for the run: a hand-over may crawl twice
        limiter = settings.limiter()
    run = await _crawl_remembered(
        list(by_url), settings, wall, client=client, limiter=limiter, sleep=sleep, handover=handover
    )
    results, findings = _per_place(by_url, run, settings.fail_after)
    results.extend(offline.results)
    findings.extend(offline.findings)
    return LinkOutcome(results, findings, run.unavailable, run.stats, run.runs, run.saved)


def _rewritten_handover(handover: Handover, filters: UrlFilters) -> Handover:
    """``handover`` keyed by the URLs as crawled (after ``--base-url``/``--remap``)."""

    async def answers() -> dict[str, LinkResult]:
        known = await handover.answers()
        out: dict[str, LinkResult] = {}
        for url, result in known.items():
            new = filters.rewrite(url)
            out[new] = result if new == url else dataclasses.replace(result, url=new)
        return out

    return Handover(frozenset(filters.rewrite(u) for u in handover.urls), answers)


@dataclasses.dataclass
class _Run:
    """One crawl with the cache around it: results, their history, and the run facts."""

    results: dict[str, LinkResult]
    """Without places or history: those are added once, per URL, by :func:`_per_place`."""
    histories: dict[str, LinkHistory]
    unavailable: str | None
    stats: dict[str, dict[str, int | float]]
    runs: list[RunSummary] | None
    saved: int = 0


async def _crawl_remembered(
    urls: list[str],
    settings: CrawlSettings,
    wall: float,
    *,
    client: httpx.AsyncClient | None,
    limiter: HostLimiter,
    sleep: Sleep | None,
    handover: Handover | None = None,
) -> _Run:
    """Reuse fresh successes, crawl the rest, attach and store the history."""
    cache = None if settings.no_cache else Cache(settings.resolved_cache_path())
    try:
        records = cache.load_links(urls) if cache else {}
        reused = reusable(records, wall, settings.cache_ttl)
        todo = [url for url in urls if url not in reused]
        head = HeadPolicy.load(cache, {host_of(u) for u in todo}) if cache else HeadPolicy()
        crawl_some = functools.partial(
            _crawl_probes,
            settings=settings,
            client=client,
            limiter=limiter,
            sleep=sleep,
            history=records,
            head=head,
        )
        probes, answered = await _crawl_handed_over(todo, handover, crawl_some)
        stats = limiter.stats()
        if cache:
            head.save(cache)
        # an answer from the Hub proves the network is there
        unavailable = network_unavailable(probes.values()) if not answered else None
        fetched = _unjudged(probes) if unavailable else {u: p.result for u, p in probes.items()}
        raw = {**fetched, **answered, **reused}
        del probes, fetched  # each result is held once at a time (100,000 URLs at scale)
        histories, to_store = apply_history(
            raw, records, wall, reused=reused, judged=not unavailable, store=cache is not None
        )
        if cache and to_store:
            cache.save_links(to_store)
        del to_store
        runs = _run_log(cache, raw.values(), wall, judged=not unavailable) if cache else None
    finally:
        if cache:
            cache.close()
    return _Run(raw, histories, unavailable, stats, runs, len(answered))


async def _crawl_probes(
    urls: list[str],
    *,
    settings: CrawlSettings,
    client: httpx.AsyncClient | None,
    limiter: HostLimiter,
    sleep: Sleep | None,
    history: t.Mapping[str, LinkRecord],
    head: HeadPolicy,
) -> dict[str, Probe]:
    """One crawl's probes (host figures come from the run's ``limiter`` afterwards)."""
    probes, _stats = await crawl(
        urls, settings, client=client, limiter=limiter, sleep=sleep, history=history, head=head
    )
    return probes


async def _crawl_handed_over(
    todo: list[str],
    handover: Handover | None,
    crawl_some: t.Callable[[list[str]], t.Awaitable[dict[str, Probe]]],
) -> tuple[dict[str, Probe], dict[str, LinkResult]]:
    """Crawl ``todo``: first what no one else answers, then (after the handover's
    answers arrive) only the handed-over URLs left unanswered. The probes, and the
    results taken from the answers."""
    if handover is None:
        return await crawl_some(todo), {}
    first = [u for u in todo if u not in handover.urls]
    later = [u for u in todo if u in handover.urls]
    probes = await crawl_some(first) if first else {}
    known = await handover.answers() if later else {}
    answered = {u: known[u] for u in later if u in known}
    rest = [u for u in later if u not in answered]
    if rest:
        probes.update(await crawl_some(rest))
    return probes, answered


def _run_log(
    cache: Cache, results: t.Iterable[LinkResult], wall: float, *, judged: bool
) -> list[RunSummary]:
    """The run log with this run added; an outage judged nothing, so adds nothing."""
    if not judged:
        return runlog.load_runs(cache)
    return runlog.record_run(cache, results, wall)


def _per_place(
    by_url: t.Mapping[str, list[LinkRef]], run: _Run, fail_after: int | None
) -> tuple[list[LinkResult], list[Finding]]:
    """Each result with its places; a finding per place of each failing result."""
    results: list[LinkResult] = []
    findings: list[Finding] = []
    for url, occurrences in by_url.items():
        # the copy without places is not kept beside this one
        result = run.results.pop(url).placed(_places(occurrences), run.histories.pop(url))
        results.append(result)
        if run.unavailable:
            # one run-level sentence instead of a finding per link: with nothing
            # reached, no verdict (not even "blocked") is evidence about a link
            continue
        override = fail_after_severity(result, fail_after)
        for ref in occurrences:
            finding = finding_for(result, ref, override)
            if finding is not None:
                findings.append(finding)
    return results, findings


def _rewritten(ref: LinkRef, filters: UrlFilters) -> LinkRef:
    """``ref`` with its URL after ``--base-url`` and ``--remap``."""
    url = filters.rewrite(ref.url)
    return ref if url == ref.url else dataclasses.replace(ref, url=url)


def _places(occurrences: list[LinkRef]) -> tuple[Location, ...]:
    """The distinct places of a URL, in order (most URLs occur once)."""
    if len(occurrences) == 1:
        return (occurrences[0].location,)
    return tuple(dict.fromkeys(r.location for r in occurrences))
