"""The Hub cross-check as one call: collect repos, fetch, compare, report.

The jobs live apart: :mod:`~validator.hub.client` (HTTP), :mod:`~validator.hub.fetch`
(what is asked per repo), :mod:`~validator.hub.verdicts` (per-repo verdicts and
results), :mod:`~validator.hub.licenses` and :mod:`~validator.hub.rules` (the
comparisons), :mod:`~validator.hub.fix` (``--fix-from-hub``).

``check_catalog_hub`` is what ``validator validate --online`` runs. It asks the Hub
about each distinct repo once (however many entries link it), gives every repo one
verdict, and turns the answers into findings at the exact line of the catalog field.
When the very first request cannot reach the endpoint at all, it stops and says so
(``network_unavailable``) instead of calling every repo unavailable.
"""

from __future__ import annotations

import sqlite3
import typing as t

import httpx

from validator.catalog.model import Entry, LicenseBook
from validator.findings import Finding
from validator.http.client import build_client
from validator.http.settings import CrawlSettings, Resolver
from validator.hub.cache import EtagCache
from validator.hub.client import HubClient, Limiter
from validator.hub.facts import Pair
from validator.hub.fetch import RepoState, fetch_repos
from validator.hub.licenses import license_findings
from validator.hub.outcome import HubOutcome
from validator.hub.repos import RepoId, RepoKind, RepoRef, collect_refs
from validator.hub.result import RepoPlace
from validator.hub.rules import context_findings, params_findings, release_findings
from validator.hub.settings import HubSettings
from validator.hub.verdicts import link_result, org_result, place_of, repo_findings, repo_result


def _open_cache(settings: HubSettings) -> EtagCache | None:
    """The ETag cache, or none when it cannot be opened: a read-only checkout or a
    locked file costs revalidation, not the check."""
    if settings.cache_path is None:
        return None
    # OSError: directory not creatable; sqlite3.Error: corrupt or locked database
    try:
        return EtagCache(settings.cache_path)
    except (OSError, sqlite3.Error):
        return None


def standalone_client(settings: HubSettings, resolver: Resolver | None = None) -> httpx.AsyncClient:
    """The shared network layer's safe client, for runs without an injected one.

    ``resolver``: the run's (a :class:`~validator.http.resolver.HostResolver` shared
    with the link crawl, so huggingface.co is looked up once per run).
    """
    crawl = CrawlSettings(
        timeout=settings.timeout,
        user_agent=settings.user_agent,
        allow_private=settings.private_allowed,
        resolver=resolver,
    )
    return build_client(crawl)


async def check_catalog_hub(
    entries: t.Sequence[Entry],
    licenses: LicenseBook | None,
    settings: HubSettings,
    *,
    client: httpx.AsyncClient | None = None,
    limiter: Limiter | None = None,
    sleep: t.Callable[[float], t.Awaitable[None]] | None = None,
) -> HubOutcome:
    """Cross-check ``entries`` against the Hub; see the module docstring."""
    refs = collect_refs(entries)
    outcome = HubOutcome()
    org_refs = [r for r in refs if r.repo.kind is RepoKind.ORG]
    repo_refs = [r for r in refs if r.repo.kind is not RepoKind.ORG]
    repos = list(dict.fromkeys(r.repo for r in repo_refs))

    own_client = client is None
    http = client or standalone_client(settings)
    cache = _open_cache(settings)
    hub = HubClient(settings, http, limiter=limiter, cache=cache, sleep=sleep)
    try:
        states, unreachable = await fetch_repos(hub, repos, settings.concurrency)
    finally:
        if own_client:
            await http.aclose()
        if cache is not None:
            cache.close()
    outcome.requests = hub.requests
    if unreachable:
        outcome.network_unavailable = unreachable
        return outcome

    places: dict[RepoId, list[RepoPlace]] = {}
    for ref in repo_refs:
        places.setdefault(ref.repo, []).append(place_of(ref))
        outcome.findings.extend(repo_findings(ref, states[ref.repo]))
        answer = link_result(ref, states[ref.repo])
        if answer is not None:
            outcome.links[ref.url] = answer
    for entry in entries:
        outcome.findings.extend(_fact_findings(entry, repo_refs, states, licenses))
    outcome.repos.extend(org_result(ref) for ref in org_refs)
    outcome.repos.extend(repo_result(r, states[r], places.get(r, ())) for r in repos)
    outcome.findings.sort(key=Finding.sort_key)
    return outcome


def _fact_findings(
    entry: Entry,
    repo_refs: t.Sequence[RepoRef],
    states: t.Mapping[RepoId, RepoState],
    licenses: LicenseBook | None,
) -> list[Finding]:
    """The comparisons for one entry, over the repos whose facts were fetched."""
    pairs: list[Pair] = []
    for ref in repo_refs:
        facts = states[ref.repo].facts
        if ref.entry is entry and facts is not None:
            pairs.append((ref, facts))
    if not pairs:
        return []
    models = [p for p in pairs if p[0].repo.kind is RepoKind.MODEL]
    return [
        *license_findings(entry, pairs, licenses),
        *context_findings(entry, models),
        *params_findings(entry, models),
        *release_findings(entry, pairs),
    ]
