"""The run log: one line per link crawl, kept in the cache for the history chart.

The ``links`` table keeps only each URL's latest state, so "how many links failed on
each of the last nights" cannot be read back from it. Each judged crawl therefore
appends a :class:`~validator.findings.RunSummary` (when, how many URLs, how many
failing) to one list in the cache's key/value table, trimmed to the last
:data:`KEEP` runs. A run that could reach nothing (network unavailable) judged no
link, so, like the failure history, it is not recorded.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from validator.findings import LinkResult, RunSummary
from validator.http import Cache

NAMESPACE = "runs"
KEY = "links"
KEEP = 90
"""Runs kept: three months of nights."""


def _iso(ts: float) -> str:
    moment = dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")
    return moment.replace("+00:00", "Z")


def load_runs(cache: Cache) -> list[RunSummary]:
    """The recorded runs, oldest first; damaged items are dropped."""
    stored = cache.get(NAMESPACE, KEY)
    out: list[RunSummary] = []
    for item in stored if isinstance(stored, list) else []:
        run = RunSummary.from_dict(item)
        if run is not None:
            out.append(run)
    return sorted(out, key=lambda r: r.at)


def record_run(cache: Cache, results: t.Iterable[LinkResult], now: float) -> list[RunSummary]:
    """Append this run's counts to the log and return the log (this run last)."""
    results = list(results)
    judged = [r for r in results if r.verdict.value != "skipped"]
    run = RunSummary(
        at=_iso(now),
        checked=len(judged),
        failing=sum(1 for r in judged if r.verdict.is_failure),
    )
    runs = [r for r in load_runs(cache) if r.at != run.at] + [run]
    runs = sorted(runs, key=lambda r: r.at)[-KEEP:]
    cache.put(NAMESPACE, KEY, [r.to_dict() for r in runs])
    return runs


__all__ = ["KEEP", "load_runs", "record_run"]
