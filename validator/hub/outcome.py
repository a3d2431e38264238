"""What the Hub cross-check hands back: one verdict per repo, findings, and whether
the Hub could be reached at all.

The per-repo result types live in :mod:`validator.hub.result` (plain data, importable
without httpx); :func:`problem_of` is the single place that reads HTTP status codes
and ``X-Error-Code`` headers into a verdict (reference §1.4).
"""

from __future__ import annotations

import dataclasses

from validator.findings import Finding, LinkResult
from validator.hub.client import HubResponse
from validator.hub.result import RepoPlace, RepoResult, RepoVerdict

# HFH hf_raise_for_status: the exact message that means "disabled" (reference §1.4)
DISABLED_MESSAGE = "Access to this resource is disabled."
# ...and the one that means "your token is bad", which is not "repo missing" (§1.4)
BAD_TOKEN_MESSAGE = "Invalid credentials in Authorization header"


def problem_of(response: HubResponse) -> tuple[RepoVerdict, str] | None:
    """The verdict an unsuccessful answer means, with a short reason; ``None`` for 200."""
    status = response.status
    code = response.error_code
    message = response.error_message or ""
    if status is None:
        return RepoVerdict.ERROR, response.transport_error or "no answer"
    if status == 200:
        return None
    if status == 429:
        limit = response.rate_limit
        detail = limit.describe() if limit else "429 Too Many Requests"
        return RepoVerdict.RATE_LIMITED, detail
    if code == "GatedRepo":
        return RepoVerdict.GATED, f"{status} GatedRepo: {message}".rstrip(": ")
    if status == 403 and message.strip() == DISABLED_MESSAGE:
        return RepoVerdict.DISABLED, f"403 {DISABLED_MESSAGE}"
    if status == 401 and message.strip() == BAD_TOKEN_MESSAGE:
        return RepoVerdict.ERROR, f"401 {BAD_TOKEN_MESSAGE}: check HF_TOKEN"
    if code == "RepoNotFound" or status in (401, 404, 410):
        # 401 without a code is "not found" too: HFH treats it so, since the Hub
        # answers 401 for private, gated-anonymous and missing repos alike (§1.4).
        return RepoVerdict.MISSING, f"{status} {code or 'Repository Not Found'}"
    return RepoVerdict.ERROR, f"{status} {message}".strip()


@dataclasses.dataclass
class HubOutcome:
    """Everything :func:`~validator.hub.check_catalog_hub` found."""

    findings: list[Finding] = dataclasses.field(default_factory=list)
    repos: list[RepoResult] = dataclasses.field(default_factory=list)
    network_unavailable: str | None = None
    """A sentence when the endpoint could not be reached at all (then no repo is
    called missing or unavailable: nothing was learnt)."""
    requests: int = 0
    links: dict[str, LinkResult] = dataclasses.field(default_factory=dict)
    """What the answers say of each catalog checkpoint/dataset URL as a link, by URL
    (:func:`~validator.hub.verdicts.link_result`): the crawl need not ask again."""

    def verdicts(self) -> dict[str, str]:
        """Repo id to verdict value: handy for summaries and tests."""
        return {r.repo: r.verdict.value for r in self.repos}


__all__ = ["HubOutcome", "RepoPlace", "RepoResult", "RepoVerdict", "problem_of"]
