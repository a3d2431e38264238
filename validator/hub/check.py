"""The Hub cross-check as one call: collect repos, fetch, compare, report.

``check_catalog_hub`` is what ``validator validate --online`` runs. It asks the Hub
about each distinct repo once (however many entries link it), gives every repo one
verdict, and turns the answers into findings at the exact line of the catalog field.
When the very first request cannot reach the endpoint at all, it stops and says so
(``network_unavailable``) instead of calling every repo unavailable.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import typing as t

import anyio
import httpx

from validator.catalog.model import Entry, LicenseBook
from validator.catalog.source import json_path
from validator.findings import Finding
from validator.http.client import build_client
from validator.http.settings import CrawlSettings
from validator.hub.cache import EtagCache
from validator.hub.client import HubClient, HubResponse, Limiter
from validator.hub.outcome import HubOutcome, RepoPlace, RepoResult, RepoVerdict, problem_of
from validator.hub.repos import RepoId, RepoKind, RepoRef, collect_refs, quote_id
from validator.hub.rules import (
    HUB_RULES,
    Pair,
    RepoFacts,
    context_findings,
    license_findings,
    params_findings,
    parse_commit_date,
    release_findings,
)
from validator.hub.settings import HubSettings

HUB_WEB = "https://huggingface.co"
"""Where hints send people: the public site, whatever endpoint the check used."""


@dataclasses.dataclass
class RepoState:
    """Everything fetched for one repo, before it becomes a verdict and findings."""

    repo: RepoId
    api_url: str
    verdict: RepoVerdict = RepoVerdict.OK
    detail: str | None = None
    status: int | None = None
    new_id: str | None = None
    gated: str | None = None
    files_gated: bool = False
    """config.json (or the API itself) answered GatedRepo."""
    disabled: bool = False
    failure: tuple[RepoVerdict, str] | None = None
    """A request for this repo failed after retries (rate limit or error)."""
    connect_failed: bool = False
    answered: bool = False
    """At least one HTTP answer came back."""
    facts: RepoFacts | None = None

    @property
    def repo_id(self) -> str:
        """The id in use now (new id after a rename)."""
        return self.new_id or self.repo.id

    def verdict_now(self) -> tuple[RepoVerdict, str | None]:
        """One verdict; a hard answer about the repo beats a partial failure."""
        if self.verdict is not RepoVerdict.OK:
            return self.verdict, self.detail
        if self.disabled:
            return RepoVerdict.DISABLED, "the API marks the repo disabled"
        if self.new_id:
            return RepoVerdict.RENAMED, f"now {self.new_id}"
        if self.failure:
            return self.failure
        if self.files_gated:
            return RepoVerdict.GATED, self.detail
        return RepoVerdict.OK, None


class _Fetcher:
    def __init__(self, hub: HubClient) -> None:
        self.hub = hub

    def _note(self, state: RepoState, response: HubResponse) -> None:
        if response.status is not None:
            state.answered = True
        elif response.connect_failed:
            state.connect_failed = True

    async def repo(self, repo: RepoId) -> RepoState:
        hub = self.hub
        state = RepoState(repo, hub.url(f"api/{repo.api_kind}/{quote_id(repo.id)}"))
        # reference §1.1: GET {endpoint}/api/{models|datasets}/{repo_id}
        response = await hub.get(state.api_url)
        self._note(state, response)
        state.status = response.status
        problem = problem_of(response)
        if problem is not None:
            state.verdict, state.detail = problem
            state.files_gated = state.verdict is RepoVerdict.GATED
            return state
        info = response.json()
        if not isinstance(info, dict):
            state.verdict, state.detail = RepoVerdict.ERROR, "the API answer is not a JSON object"
            return state
        state.new_id = _renamed_to(repo, info, response)
        state.disabled = info.get("disabled") is True
        gated = info.get("gated")
        state.gated = gated if gated in ("auto", "manual") else None
        facts = RepoFacts(repo_id=state.repo_id, api_url=response.final_url, info=info)
        state.facts = facts
        if repo.kind is RepoKind.MODEL:
            await self._config(state, facts)
        await self._first_commit(state, facts)
        return state

    async def _config(self, state: RepoState, facts: RepoFacts) -> None:
        # reference §2.1: {endpoint}/{repo_id}/resolve/main/config.json; the API's
        # `config` field is a filtered subset without a length key (§1.2)
        url = self.hub.url(f"{quote_id(state.repo_id)}/resolve/main/config.json")
        facts.config_url = url
        response = await self.hub.get(url)
        self._note(state, response)
        problem = problem_of(response)
        if problem is None:
            config = response.json()
            facts.config = config if isinstance(config, dict) else None
            return
        verdict, detail = problem
        if verdict is RepoVerdict.MISSING and response.status == 401 and state.gated:
            # §1.4: 401 is what gated repos answer unauthenticated callers; the card
            # says this repo is gated, so a bare 401 is that, not "no config.json"
            verdict, detail = RepoVerdict.GATED, f"{response.status} (the repo is gated)"
        if verdict is RepoVerdict.GATED:
            state.files_gated = True
            state.detail = detail
        elif verdict in (RepoVerdict.RATE_LIMITED, RepoVerdict.ERROR):
            state.failure = (verdict, f"config.json: {detail}")
        # MISSING here is 404 EntryNotFound: no config.json, nothing stated.

    async def _first_commit(self, state: RepoState, facts: RepoFacts) -> None:
        # reference §2.1: GET /api/{type}s/{id}/commits/{revision}, newest first,
        # paginated through the Link header; the first commit is the last page's last.
        url = self.hub.url(f"api/{state.repo.api_kind}/{quote_id(state.repo_id)}/commits/main")
        response = await self.hub.get(url)
        self._note(state, response)
        pages = 1
        seen = {url}
        while problem_of(response) is None:
            target = response.link("last") or response.link("next")
            if target is None or target in seen:
                break
            if pages >= self.hub.settings.max_commit_pages:
                return  # too long a history to walk: no date rather than a wrong one
            seen.add(target)
            url = target
            response = await self.hub.get(url)
            self._note(state, response)
            pages += 1
        problem = problem_of(response)
        if problem is not None:
            verdict, detail = problem
            if verdict in (RepoVerdict.RATE_LIMITED, RepoVerdict.ERROR):
                state.failure = state.failure or (verdict, f"commits: {detail}")
            return  # gated or hidden history: the release check just has no data
        commits = response.json()
        if isinstance(commits, list) and commits and isinstance(commits[-1], dict):
            # HFH GitCommitInfo reads item["date"]; never the repo's createdAt (§1.2)
            facts.first_commit = parse_commit_date(commits[-1].get("date"))
            facts.commits_url = url


def _renamed_to(repo: RepoId, info: dict[str, t.Any], response: HubResponse) -> str | None:
    """The new id when the Hub answered for another repo (reference §1.5: compare the
    returned ``id`` with the requested one; the redirect chain is the fallback)."""
    new_id = info.get("id")
    if not isinstance(new_id, str) and response.redirects:
        path = httpx.URL(response.redirects[-1][1]).path
        prefix = f"/api/{repo.api_kind}/"
        new_id = path[len(prefix) :] if path.startswith(prefix) else None
    if isinstance(new_id, str) and new_id and new_id != repo.id:
        return new_id
    return None


def _place(ref: RepoRef) -> RepoPlace:
    line, _col = ref.entry.position(ref.path)
    return RepoPlace(ref.entry.file, line, ref.entry.id, json_path(ref.path))


def _verdict_finding(ref: RepoRef, state: RepoState, verdict: RepoVerdict) -> Finding | None:
    entry = ref.entry
    label = str(state.repo)
    evidence: dict[str, t.Any] = {
        "repo": label, "catalog": ref.url, "hub": state.detail, "status": state.status,
        "url": state.api_url,
    }  # fmt: skip

    def make(rule: str, message: str, hint: str) -> Finding:
        return entry.finding(rule, HUB_RULES[rule][0], message, ref.path, hint=hint,
                             evidence=evidence)  # fmt: skip

    if verdict is RepoVerdict.MISSING:
        return make(
            "hub-repo-missing",
            f"{label} does not exist on the Hub ({state.detail})",
            "fix the link or remove the checkpoint; a private repo also answers like this",
        )
    if verdict is RepoVerdict.DISABLED:
        return make(
            "hub-repo-disabled",
            f"{label} has been disabled on the Hub: its files cannot be downloaded",
            "link a mirror or another checkpoint, or note that the weights were withdrawn",
        )
    if verdict is RepoVerdict.RENAMED and state.new_id:
        new_prefix = "datasets/" if state.repo.kind is RepoKind.DATASET else ""
        new_url = ref.url.replace(f"/{state.repo.id}", f"/{state.new_id}", 1)
        evidence["hub"] = f"{new_prefix}{state.new_id}"
        evidence["fix"] = {"old": ref.url, "new": new_url}
        return make(
            "hub-repo-renamed",
            f"{label} was renamed to {new_prefix}{state.new_id}",
            f"update the URL to {HUB_WEB}/{new_prefix}{state.new_id} "
            "(--fix-from-hub hub-repo-renamed)",
        )
    if verdict in (RepoVerdict.RATE_LIMITED, RepoVerdict.ERROR):
        detail = state.failure[1] if state.failure else state.detail
        evidence["hub"] = detail
        return make(
            "hub-unavailable",
            f"could not cross-check {label}: {detail}",
            "run again later; an HF_TOKEN raises the Hub's rate limits",
        )
    return None


def _gated_finding(ref: RepoRef, state: RepoState) -> Finding:
    label = str(state.repo)
    mode = f" ({state.gated})" if state.gated else ""
    if state.facts:
        what = ("its card was read, but its files (config.json) could not be, so the context "
                "length was not cross-checked")  # fmt: skip
    else:
        what = "neither its card nor its files could be read, so nothing was cross-checked"
    return ref.entry.finding(
        "hub-repo-gated", HUB_RULES["hub-repo-gated"][0],
        f"{label} is gated{mode}: {what}",
        ref.path,
        hint="set HF_TOKEN to a token whose account accepted the repo's terms to check it too",
        evidence={"repo": label, "catalog": ref.url, "hub": state.detail, "url": state.api_url},
    )  # fmt: skip


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


def standalone_client(settings: HubSettings) -> httpx.AsyncClient:
    """The shared network layer's safe client, for runs without an injected one."""
    crawl = CrawlSettings(
        timeout=settings.timeout,
        user_agent=settings.user_agent,
        allow_private=settings.private_allowed,
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
    states: dict[RepoId, RepoState] = {}
    try:
        fetcher = _Fetcher(hub)
        if repos:
            # Probe with the first repo alone: if nothing answers, stop here.
            first = await fetcher.repo(repos[0])
            states[repos[0]] = first
            if first.connect_failed and not first.answered:
                outcome.network_unavailable = (
                    f"cannot reach the Hugging Face Hub at {settings.endpoint}: {first.detail}"
                )
                outcome.requests = hub.requests
                return outcome
            limit = anyio.CapacityLimiter(max(1, settings.concurrency))

            async def one(repo: RepoId) -> None:
                async with limit:
                    states[repo] = await fetcher.repo(repo)

            async with anyio.create_task_group() as tg:
                for repo in repos[1:]:
                    tg.start_soon(one, repo)
    finally:
        if own_client:
            await http.aclose()
        if cache is not None:
            cache.close()
    outcome.requests = hub.requests

    places: dict[RepoId, list[RepoPlace]] = {}
    for ref in repo_refs:
        places.setdefault(ref.repo, []).append(_place(ref))
        state = states[ref.repo]
        verdict, _detail = state.verdict_now()
        finding = _verdict_finding(ref, state, verdict)
        if finding:
            outcome.findings.append(finding)
        if state.files_gated and verdict is not RepoVerdict.MISSING:
            outcome.findings.append(_gated_finding(ref, state))
        if verdict is RepoVerdict.RENAMED and state.failure:
            extra = _verdict_finding(ref, state, state.failure[0])
            if extra:
                outcome.findings.append(extra)

    for entry in entries:
        pairs: list[Pair] = [
            (ref, states[ref.repo].facts)  # type: ignore[misc]
            for ref in repo_refs
            if ref.entry is entry and states[ref.repo].facts is not None
        ]
        if not pairs:
            continue
        outcome.findings.extend(license_findings(entry, pairs, licenses))
        models = [p for p in pairs if p[0].repo.kind is RepoKind.MODEL]
        outcome.findings.extend(context_findings(entry, models))
        outcome.findings.extend(params_findings(entry, models))
        outcome.findings.extend(release_findings(entry, pairs))

    for ref in org_refs:
        # No finding: the offline rule hf-org-only already says so, once, with the hint.
        outcome.repos.append(
            RepoResult(ref.repo.id, "org", RepoVerdict.ORG_ONLY, places=(_place(ref),))
        )
    for repo in repos:
        state = states[repo]
        verdict, detail = state.verdict_now()
        facts = state.facts
        checks = []
        if facts is not None:
            checks.append("license")
            if facts.config is not None:
                checks.append("context")
            if facts.first_commit:
                checks.append("release")
        outcome.repos.append(
            RepoResult(
                repo=str(repo), kind=repo.kind.value, verdict=verdict, url=state.api_url,
                new_id=state.new_id, status=state.status, detail=detail, gated=state.gated,
                places=tuple(places.get(repo, ())), checks=tuple(checks),
            )
        )  # fmt: skip
    outcome.findings.sort(key=Finding.sort_key)
    return outcome
