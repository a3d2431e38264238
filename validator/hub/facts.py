"""What the Hub said about one repo, as the comparisons need it, and their helpers.

:class:`RepoFacts` is filled by :mod:`validator.hub.fetch` and read by the pure
comparisons in :mod:`validator.hub.licenses` and :mod:`validator.hub.rules`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t

from validator.catalog.model import Entry
from validator.findings import Finding
from validator.hub.repos import RepoRef


@dataclasses.dataclass
class RepoFacts:
    """What the Hub said about one repo, as the rules need it."""

    repo_id: str
    """The id the Hub uses now (the new one after a rename)."""
    api_url: str
    info: t.Mapping[str, t.Any] | None = None
    config: t.Mapping[str, t.Any] | None = None
    config_url: str | None = None
    first_commit: str | None = None
    """ISO date-time of the repo's first commit."""
    commits_url: str | None = None


Pair = tuple[RepoRef, RepoFacts]


def hub_finding(entry: Entry, rule: str, message: str, path: t.Sequence[str | int], *,
       hint: str, evidence: t.Mapping[str, t.Any]) -> Finding:  # fmt: skip
    """A finding of a Hub rule (its severity: the rule book's)."""
    return entry.finding(rule, message, path, hint=hint, evidence=evidence)


def repo_label(ref: RepoRef, facts: RepoFacts) -> str:
    """``owner/name`` (``datasets/owner/name`` for a dataset), the id in use now."""
    return facts.repo_id if ref.repo.kind.value != "dataset" else f"datasets/{facts.repo_id}"


def parse_commit_date(value: t.Any) -> str | None:
    """Normalise a commit ``date`` to ISO-8601 UTC, or ``None`` if unreadable."""
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
