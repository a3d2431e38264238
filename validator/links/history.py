"""What the link cache remembers across runs: reused successes and failure streaks.

A success younger than ``cache_ttl`` is reused instead of asked again; a failure is
always asked again, but its streak (first failing run, consecutive failing runs) is
kept, so ``--fail-after N`` can tell a flaky host from a dead link and reports can
say how long a link has been failing. Storage is :class:`validator.http.Cache`.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from validator.findings import LinkHistory, LinkResult, Severity, Verdict
from validator.http import LinkRecord

REUSABLE = frozenset({Verdict.OK.value, Verdict.REDIRECTED.value})
"""Verdicts a fresh cache record may stand in for (failures are always asked again)."""


def iso(ts: float) -> str:
    """``2026-11-28T02:00:00Z`` for a POSIX time."""
    return (
        dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )


def reusable(records: t.Mapping[str, LinkRecord], now: float, ttl: float) -> dict[str, LinkResult]:
    """The cached successes still fresh at ``now``, as results to reuse."""
    reused: dict[str, LinkResult] = {}
    for url, record in records.items():
        if now - record.checked_at <= ttl and record.verdict in REUSABLE:
            cached = result_from_cache(url, record.result)
            if cached is not None:
                reused[url] = cached
    return reused


def _streak(
    result: LinkResult, old: LinkRecord | None, now: float, judged: bool
) -> tuple[float | None, int]:
    """``(first_failed, consecutive_failures)`` after this run's verdict."""
    first_failed = old.first_failed if old else None
    failures = old.consecutive_failures if old else 0
    if result.verdict.is_failure and judged:
        failures += 1
        first_failed = first_failed if first_failed is not None else now
    elif result.verdict in (Verdict.OK, Verdict.REDIRECTED):
        failures, first_failed = 0, None
    return first_failed, failures


def apply_history(
    results: t.Mapping[str, LinkResult],
    records: t.Mapping[str, LinkRecord],
    now: float,
    *,
    reused: t.Collection[str] = (),
    judged: bool = True,
    store: bool = True,
) -> tuple[dict[str, LinkHistory], list[LinkRecord]]:
    """Each result's history after this run, and the records to store.

    ``reused`` names the URLs whose results came from the cache; ``judged`` is false
    when the run could reach nothing (then no streak grows and nothing is stored).
    ``store`` false (no cache): no records are made (100,000 of them were ~50 MB).
    """
    out: dict[str, LinkHistory] = {}
    to_store: list[LinkRecord] = []
    checked = iso(now)
    # Most links share their history (never failed, checked now): one object for all,
    # not one per link (100,000 links held 100,000 equal histories).
    shared: dict[tuple[t.Any, ...], LinkHistory] = {}
    for url, result in results.items():
        old = records.get(url)
        if url in reused and old is not None:
            out[url] = _history(shared, None, 0, iso(old.checked_at), True)
            continue
        first_failed, failures = _streak(result, old, now, judged)
        since = iso(first_failed) if first_failed is not None else None
        out[url] = _history(shared, since, failures, checked, False)
        if store and judged and result.verdict is not Verdict.SKIPPED:
            to_store.append(
                LinkRecord(
                    url=url,
                    verdict=result.verdict.value,
                    result=result_to_cache(result),
                    checked_at=now,
                    first_failed=first_failed,
                    consecutive_failures=failures,
                )
            )
    return out, to_store


def _history(shared: dict[tuple[t.Any, ...], LinkHistory], *fields: t.Any) -> LinkHistory:
    """The one :class:`LinkHistory` with these fields (frozen, so it can be shared)."""
    history = shared.get(fields)
    if history is None:
        history = shared[fields] = LinkHistory(*fields)
    return history


def failures(result: LinkResult) -> int:
    """Consecutive failing runs of ``result`` (0 without history)."""
    return result.history.consecutive_failures if result.history else 0


def fail_after_severity(result: LinkResult, fail_after: int | None) -> Severity | None:
    """``--fail-after N``: error from the N-th failing run on, warning before.

    ``None`` (the rule's own severity) when the option is off or the link is fine.
    """
    if not fail_after or not result.verdict.is_failure:
        return None
    return Severity.ERROR if failures(result) >= fail_after else Severity.WARNING


def result_to_cache(result: LinkResult) -> dict[str, t.Any]:
    """What the cache stores of a result: no places, no history (kept in columns)."""
    data = result.to_dict()
    data.pop("locations", None)
    data.pop("history", None)
    return data


def result_from_cache(url: str, data: t.Mapping[str, t.Any]) -> LinkResult | None:
    """A stored result back, or ``None`` when the record is unreadable."""
    try:
        return LinkResult(
            url=url,
            verdict=Verdict(data["verdict"]),
            status=data.get("status"),
            final_url=data.get("final_url"),
            redirects=tuple((int(r["status"]), str(r["url"])) for r in data.get("redirects", [])),
            attempts=0,
            elapsed_ms=0,
            error=data.get("error"),
        )
    except (KeyError, ValueError, TypeError):
        return None
