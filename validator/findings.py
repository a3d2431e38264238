"""Results as plain data: what every check produces and every reporter consumes.

Nothing here does I/O or formatting. A finding says *what* is wrong and *where*;
reporters (``validator.report``) decide how it looks. Link results carry one verdict
per distinct URL and every place the URL occurs.
"""

from __future__ import annotations

import dataclasses
import enum
import typing as t

from validator.hub.result import RepoResult
from validator.rulebook import RULES, Severity


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem found in one place.

    ``file`` is a path as the user gave it (relative paths stay relative), ``line`` and
    ``column`` are 1-based (0 means "the whole file"), ``entry`` is the catalog entry id
    when the finding belongs to one. ``evidence`` holds the facts behind the finding
    (catalog value, remote value, source URL...) as JSON-compatible data.

    The severity is the rule's, from the rule book (:mod:`validator.rulebook`); a check
    states one only as an explicit ``override`` (``--fail-after`` does). A rule id the
    book does not know needs an override, so no finding is ever without a severity.
    """

    rule: str
    message: str
    file: str
    line: int = 0
    column: int = 0
    entry: str | None = None
    hint: str | None = None
    path: str | None = None
    """JSON path of the offending value inside the file, e.g. ``$.checkpoints[1].url``."""
    evidence: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)
    override: Severity | None = None
    """A severity other than the rule's default, set on purpose (``--fail-after``)."""

    def __post_init__(self) -> None:
        if self.override is None and self.rule not in RULES:
            raise ValueError(f"rule {self.rule!r} is not in the rule book and has no severity")

    @property
    def severity(self) -> Severity:
        """The override when there is one, else the rule book's default."""
        return self.override if self.override is not None else RULES[self.rule].severity

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Stable order for every report: file, position, rule, message."""
        return (self.file, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, t.Any]:
        """JSON form (the ``findings`` items of the JSON report, version 1)."""
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "entry": self.entry,
            "path": self.path,
            "hint": self.hint,
            "evidence": dict(self.evidence),
        }


class Verdict(enum.StrEnum):
    """The one verdict each checked URL gets (names are part of the JSON contract)."""

    OK = "ok"
    REDIRECTED = "redirected"
    """Permanent redirect: alive, but the catalog should carry the new URL."""
    DEAD = "dead"
    """404, 410 or an unknown domain."""
    ERROR = "error"
    """Any other failure after retries."""
    TIMEOUT = "timeout"
    BLOCKED = "blocked"
    """The host refuses robots (bot wall, 999, cf-mitigated...): unverifiable, not dead."""
    FRAGMENT_MISSING = "fragment-missing"
    SKIPPED = "skipped"
    """Excluded by configuration."""

    @property
    def is_failure(self) -> bool:
        """Whether this verdict means the link needs a person's attention."""
        return self in (Verdict.DEAD, Verdict.ERROR, Verdict.TIMEOUT, Verdict.FRAGMENT_MISSING)


@dataclasses.dataclass(frozen=True)
class Location:
    """One place a URL occurs: file, 1-based line/column, entry id and field kind.

    ``field`` is one of ``checkpoint``, ``paper``, ``try-it``, ``context-length-source``,
    ``license``, ``dataset``, ``eval``, ``link`` (Markdown / text inputs).
    """

    file: str
    line: int
    column: int
    entry: str | None = None
    field: str = "link"
    path: str | None = None

    def to_dict(self) -> dict[str, t.Any]:
        """JSON form."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "entry": self.entry,
            "field": self.field,
            "path": self.path,
        }


@dataclasses.dataclass(frozen=True)
class LinkHistory:
    """What the cache remembers of a URL across runs (``validator.links.history``)."""

    first_failed: str | None = None
    """ISO 8601 UTC time of the first failing run of the current streak."""
    consecutive_failures: int = 0
    last_checked: str | None = None
    """ISO 8601 UTC time of the run whose verdict this is."""
    from_cache: bool = False
    """The verdict is a success reused from the cache, not asked again this run."""

    def to_dict(self) -> dict[str, t.Any]:
        """JSON form (``history`` of a ``links`` item; ``from_cache`` only when true)."""
        out: dict[str, t.Any] = {
            "first_failed": self.first_failed,
            "consecutive_failures": self.consecutive_failures,
            "last_checked": self.last_checked,
        }
        if self.from_cache:
            out["from_cache"] = True
        return out


@dataclasses.dataclass(frozen=True, slots=True)
class LinkResult:
    """The outcome of checking one distinct URL."""

    url: str
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[tuple[int, str], ...] = ()
    """The chain followed: ``(status, location)`` per hop."""
    attempts: int = 0
    elapsed_ms: int = 0
    error: str | None = None
    locations: tuple[Location, ...] = ()
    history: LinkHistory | None = None
    """Failure history from the cache; ``None`` when no history was attached."""
    answered_by: str | None = None
    """The Hub API answer this verdict comes from (``GET <url> -> 200``) when the Hub
    check had already asked about the repo, so the URL itself was not requested."""

    def placed(self, locations: tuple[Location, ...], history: LinkHistory | None) -> LinkResult:
        """This result with its places and history: ``dataclasses.replace`` without its
        ~5 us per link (the fields copied as they are, as the generated ``__init__``
        sets them; no field here has a factory or a check)."""
        new = object.__new__(LinkResult)
        for name in _RESULT_FIELDS:
            _set(new, name, getattr(self, name))
        _set(new, "locations", locations)
        _set(new, "history", history)
        return new

    def to_dict(self) -> dict[str, t.Any]:
        """JSON form (the ``links`` items of the JSON report, version 1;
        ``answered_by`` only when set)."""
        out: dict[str, t.Any] = {
            "url": self.url,
            "verdict": self.verdict.value,
            "status": self.status,
            "final_url": self.final_url,
            "redirects": [{"status": s, "url": u} for s, u in self.redirects],
            "attempts": self.attempts,
            "elapsed_ms": self.elapsed_ms,
            "error": self.error,
            "history": self.history.to_dict() if self.history else {},
            "locations": [loc.to_dict() for loc in self.locations],
        }
        if self.answered_by:
            out["answered_by"] = self.answered_by
        return out


_RESULT_FIELDS = tuple(f.name for f in dataclasses.fields(LinkResult))
_set = object.__setattr__


@dataclasses.dataclass(frozen=True)
class RunSummary:
    """One past link crawl as the run log keeps it: when, URLs judged, URLs failing."""

    at: str
    """UTC time of the run, ISO 8601 to the second (``2026-11-28T03:17:00Z``)."""
    checked: int
    failing: int

    def to_dict(self) -> dict[str, t.Any]:
        """JSON form (as stored in the cache)."""
        return {"at": self.at, "checked": self.checked, "failing": self.failing}

    @classmethod
    def from_dict(cls, data: t.Any) -> RunSummary | None:
        """Read the JSON form back; ``None`` for anything malformed."""
        if not isinstance(data, dict):
            return None
        at, checked, failing = data.get("at"), data.get("checked"), data.get("failing")
        if not isinstance(at, str) or not isinstance(checked, int):
            return None
        if not isinstance(failing, int):
            return None
        return cls(at, checked, failing)


@dataclasses.dataclass
class Report:
    """Everything one run found: the accumulator that reporters read.

    ``findings`` is the one list of what is wrong: waivers, ``--fail-after`` and the
    severities are settled before a reporter sees it, so every format tells the same
    story. ``links`` and ``hub`` are inventories (one verdict per URL / repo) that a
    reporter may show as a table, never as problems of their own. ``links`` is ``None``
    when no crawl ran (offline validation), so reporters can tell "not checked" from
    "checked, nothing found"; ``hub`` likewise.
    """

    findings: list[Finding] = dataclasses.field(default_factory=list)
    links: list[LinkResult] | None = None
    files_checked: int = 0
    entries_checked: int = 0
    network_unavailable: str | None = None
    """The run-level notice, a sentence starting "Network unavailable:", when an online
    check could reach nothing at all. Then no link or repo is a finding."""
    waived: int = 0
    """Findings silenced by waivers with a reason (counted, not listed)."""
    hub: list[RepoResult] | None = None
    """One verdict per Hugging Face repo when the Hub check ran."""
    entries: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    """``(file, entry id)`` of every entry checked, so per-entry formats list clean ones."""
    runs: list[RunSummary] | None = None
    """The run log from the cache (oldest first, this run last) when a crawl used one."""
    hosts: dict[str, dict[str, int | float]] | None = None
    """Per-host crawl figures (``--host-stats``), by host name; ``None`` when not asked."""
    saved_requests: int = 0
    """Links not requested because the Hub check had already answered for them."""

    def add(self, finding: Finding) -> None:
        """Record one finding."""
        self.findings.append(finding)

    def extend(self, findings: t.Iterable[Finding]) -> None:
        """Record several findings."""
        self.findings.extend(findings)

    def sorted_findings(self) -> list[Finding]:
        """Findings in the stable order every reporter uses."""
        return sorted(self.findings, key=Finding.sort_key)

    def count(self, severity: Severity) -> int:
        """How many findings have exactly this severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    def failed(self, fail_on: Severity) -> bool:
        """Whether any finding is at or above ``fail_on``."""
        return any(f.severity >= fail_on for f in self.findings)

    def link_findings(self) -> dict[str, list[Finding]]:
        """Findings of link rules, by the URL their evidence names (sorted findings)."""
        out: dict[str, list[Finding]] = {}
        for f in self.sorted_findings():
            url, info = f.evidence.get("url"), RULES.get(f.rule)
            if info is not None and info.family == "links" and isinstance(url, str):
                out.setdefault(url, []).append(f)
        return out

    def failing_links(self) -> list[LinkResult]:
        """Checked links that failed *and* still have a finding (not waived, not an
        outage), sorted by URL: what formats list as failing links."""
        flagged = self.link_findings()
        return [
            r
            for r in sorted(self.links or (), key=lambda r: r.url)
            if r.verdict.is_failure and r.url in flagged
        ]

    def summary(self) -> dict[str, t.Any]:
        """Counts for the JSON ``summary`` object and the one-line text summary."""
        out: dict[str, t.Any] = {
            "files": self.files_checked,
            "entries": self.entries_checked,
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "infos": self.count(Severity.INFO),
            "waived": self.waived,
        }
        if self.links is not None:
            verdicts: dict[str, int] = {v.value: 0 for v in Verdict}
            for link in self.links:
                verdicts[link.verdict.value] += 1
            out["links"] = {"checked": len(self.links), "verdicts": verdicts}
            if self.saved_requests:
                out["links"]["saved_requests"] = self.saved_requests
        if self.hub is not None:
            repos: dict[str, int] = {}
            for repo in self.hub:
                repos[repo.verdict.value] = repos.get(repo.verdict.value, 0) + 1
            out["hub"] = {"repos": len(self.hub), "verdicts": repos}
        if self.network_unavailable:
            out["network_unavailable"] = self.network_unavailable
        return out
