"""What the Hub cross-check hands back: one verdict per repo, findings, and whether
the Hub could be reached at all.

Verdicts are data (a ``StrEnum`` whose values are part of the JSON contract), the
text of findings is derived from them; :func:`problem_of` is the single place that
reads HTTP status codes and ``X-Error-Code`` headers into a verdict (reference §1.4).
"""

from __future__ import annotations

import dataclasses
import enum
import typing as t

from validator.findings import Finding
from validator.hub.client import HubResponse


class RepoVerdict(enum.StrEnum):
    """The one verdict each Hub repo (or org-only link) gets."""

    OK = "ok"
    RENAMED = "renamed"
    """The old id redirects to a new one (307 + relative ``Location``, §1.5)."""
    GATED = "gated"
    """Metadata may be readable but files are not (401/403 ``GatedRepo``, §1.4)."""
    MISSING = "missing"
    """404, or 401 ``RepoNotFound`` (the Hub says 401 for private and missing, §1.4)."""
    DISABLED = "disabled"
    """403 "Access to this resource is disabled." (HFH ``DisabledRepoError``, §1.4)."""
    RATE_LIMITED = "rate-limited"
    """Still 429 after the allowed back-off."""
    ERROR = "error"
    """Anything else after retries: 5xx, transport errors, a rejected token."""
    ORG_ONLY = "org-only"
    """The link names an organisation, not a repo: nothing to cross-check."""


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


@dataclasses.dataclass(frozen=True)
class RepoPlace:
    """Where a repo is linked from."""

    file: str
    line: int
    entry: str
    path: str

    def to_dict(self) -> dict[str, t.Any]:
        """JSON form."""
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class RepoResult:
    """The verdict for one repo (or org-only link), with what we learnt about it."""

    repo: str
    """``owner/name``, ``datasets/owner/name`` or the org name for org-only links."""
    kind: str
    """``model``, ``dataset`` or ``org``."""
    verdict: RepoVerdict
    url: str | None = None
    """The API URL asked (``None`` for org-only links)."""
    new_id: str | None = None
    """For ``renamed``: the id the Hub now uses."""
    status: int | None = None
    detail: str | None = None
    """Why the verdict is not ``ok`` (error code, message, rate-limit text)."""
    gated: str | None = None
    """The API's ``gated`` field when known: ``auto`` or ``manual``."""
    places: tuple[RepoPlace, ...] = ()
    checks: tuple[str, ...] = ()
    """Which comparisons had data: ``license``, ``context``, ``params``, ``release``."""

    def to_dict(self) -> dict[str, t.Any]:
        """JSON form (``hub`` items of a report)."""
        return {
            "repo": self.repo,
            "kind": self.kind,
            "verdict": self.verdict.value,
            "url": self.url,
            "new_id": self.new_id,
            "status": self.status,
            "detail": self.detail,
            "gated": self.gated,
            "checks": list(self.checks),
            "places": [p.to_dict() for p in self.places],
        }


@dataclasses.dataclass
class HubOutcome:
    """Everything :func:`~validator.hub.check_catalog_hub` found."""

    findings: list[Finding] = dataclasses.field(default_factory=list)
    repos: list[RepoResult] = dataclasses.field(default_factory=list)
    network_unavailable: str | None = None
    """A sentence when the endpoint could not be reached at all (then no repo is
    called missing or unavailable: nothing was learnt)."""
    requests: int = 0

    def verdicts(self) -> dict[str, str]:
        """Repo id to verdict value: handy for summaries and tests."""
        return {r.repo: r.verdict.value for r in self.repos}
