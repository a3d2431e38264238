"""One Hub repo's result: the typed inventory a report lists (``hub`` in JSON).

Plain data with no I/O and no httpx, so reports can hold it without importing the
Hub client. Verdicts are a ``StrEnum`` whose values are part of the JSON contract;
problems are findings, made by the Hub check.
"""

from __future__ import annotations

import dataclasses
import enum
import typing as t


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
