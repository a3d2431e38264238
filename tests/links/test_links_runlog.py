"""The run log: each judged crawl adds one line to the cache; an outage adds none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import anyio
import httpx
import respx

from validator.findings import RunSummary
from validator.http import Cache, CrawlSettings
from validator.links import LinkOutcome, check_links, refs_from_text, runlog

URLS = ["https://a.test/ok", "https://a.test/gone", "https://b.test/x"]


def night(day: int) -> float:
    return dt.datetime(2026, 11, day, 3, 17, tzinfo=dt.UTC).timestamp()


def crawl(tmp_path: Path, now: float) -> LinkOutcome:
    settings = CrawlSettings(
        cache_path=tmp_path / "cache.sqlite3",
        cache_ttl=0,  # every night checks again
        retry_wait=0.01,
        max_retries=0,
        host_interval=0.0,
    )
    refs = refs_from_text("\n".join(URLS), "t.txt")
    return anyio.run(lambda: check_links(refs, settings, now=now))


def test_each_night_adds_one_line_with_its_failing_count(tmp_path: Path) -> None:
    answers = iter([[200, 404, 200], [200, 404, 500], [200, 200, 200]])
    for day in (26, 27, 28):
        statuses = dict(zip(URLS, next(answers), strict=True))
        with respx.mock:
            for url, status in statuses.items():
                respx.route(url=url).mock(return_value=httpx.Response(status))
            outcome = crawl(tmp_path, night(day))
    assert outcome.runs == [
        RunSummary("2026-11-26T03:17:00Z", 3, 1),
        RunSummary("2026-11-27T03:17:00Z", 3, 2),
        RunSummary("2026-11-28T03:17:00Z", 3, 0),
    ]
    with Cache(tmp_path / "cache.sqlite3") as cache:
        assert runlog.load_runs(cache) == outcome.runs


def test_an_outage_is_not_recorded_but_the_log_is_returned(tmp_path: Path) -> None:
    with respx.mock:
        respx.route().mock(return_value=httpx.Response(200))
        crawl(tmp_path, night(26))
    with respx.mock:
        respx.route().mock(side_effect=httpx.ConnectError("[Errno -3] name resolution"))
        outcome = crawl(tmp_path, night(27))
    assert outcome.network_unavailable
    assert outcome.runs == [RunSummary("2026-11-26T03:17:00Z", 3, 0)]


def test_log_keeps_the_last_runs_and_drops_damaged_items(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite3") as cache:
        cache.put(runlog.NAMESPACE, runlog.KEY, [{"at": 1}, "x", {"at": "2026-01-01T00:00:00Z"}])
        assert runlog.load_runs(cache) == []
        for i in range(runlog.KEEP + 5):
            runs = runlog.record_run(cache, [], night(1) + 86400 * i)
        assert len(runs) == runlog.KEEP
        assert runs[0].at == "2026-11-06T03:17:00Z" and runs[-1].at == "2027-02-03T03:17:00Z"
