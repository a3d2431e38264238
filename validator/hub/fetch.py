"""Fetching one repo's facts from the Hub: card, config.json, first commit.

:class:`RepoFetcher` asks, :class:`RepoState` holds the answers until they become a
verdict (:mod:`validator.hub.verdicts`) and findings (:mod:`validator.hub.rules`).
:func:`fetch_repos` asks about every repo, probing with the first one alone so that
an unreachable endpoint costs one request, not one per repo.
"""

from __future__ import annotations

import dataclasses
import typing as t

import anyio
import httpx

from validator.hub.client import HubClient, HubResponse
from validator.hub.facts import RepoFacts, parse_commit_date
from validator.hub.outcome import problem_of
from validator.hub.repos import RepoId, RepoKind, quote_id
from validator.hub.result import RepoVerdict


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


class RepoFetcher:
    """Asks the Hub the three questions about one repo (card, config.json, commits)."""

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


async def fetch_repos(
    hub: HubClient, repos: t.Sequence[RepoId], concurrency: int
) -> tuple[dict[RepoId, RepoState], str | None]:
    """Every repo's state, or (when the first cannot reach the endpoint at all) the
    first repo's state and the reason nothing else was asked."""
    fetcher = RepoFetcher(hub)
    states: dict[RepoId, RepoState] = {}
    if not repos:
        return states, None
    # Probe with the first repo alone: if nothing answers, stop here.
    first = await fetcher.repo(repos[0])
    states[repos[0]] = first
    if first.connect_failed and not first.answered:
        return (
            states,
            f"cannot reach the Hugging Face Hub at {hub.settings.endpoint}: {first.detail}",
        )
    limit = anyio.CapacityLimiter(max(1, concurrency))

    async def one(repo: RepoId) -> None:
        async with limit:
            states[repo] = await fetcher.repo(repo)

    async with anyio.create_task_group() as tg:
        for repo in repos[1:]:
            tg.start_soon(one, repo)
    return states, None
