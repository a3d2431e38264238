"""End to end against a real loopback server: every case the crawl must get right."""

from __future__ import annotations

import time

import anyio
import pytest

from tests.conftest import FastForward
from tests.links.linkserver import Server, bomb
from validator.findings import Severity, Verdict
from validator.http import CrawlSettings
from validator.links import LinkOutcome, check_links, refs_from_text


def run(urls: list[str], settings: CrawlSettings) -> LinkOutcome:
    return anyio.run(check_links, refs_from_text("\n".join(urls), "links.txt"), settings)


def verdicts(outcome: LinkOutcome) -> dict[str, Verdict]:
    return {r.url: r.verdict for r in outcome.results}


def test_every_case_gets_its_verdict(server: Server, fast: CrawlSettings) -> None:
    u = server.url
    expected = {
        u(0, "/ok"): Verdict.OK,
        u(0, "/missing"): Verdict.DEAD,
        u(0, "/gone"): Verdict.DEAD,
        u(0, "/r301"): Verdict.REDIRECTED,
        u(0, "/r302"): Verdict.OK,
        u(0, "/r301-dead"): Verdict.DEAD,
        u(0, "/loop-a"): Verdict.ERROR,
        u(1, "/ratelimited"): Verdict.OK,
        u(1, "/flaky"): Verdict.OK,
        u(1, "/nohead"): Verdict.OK,
        u(1, "/forbidden"): Verdict.BLOCKED,
        u(2, "/huge"): Verdict.OK,
        u(2, "/bomb#x"): Verdict.OK,  # truncated at the cap: never called missing
        u(2, "/ok#intro"): Verdict.OK,
        u(2, "/ok#install"): Verdict.OK,  # GitHub's user-content- prefix
        u(2, "/ok#legacy"): Verdict.OK,  # name= anchors count
        u(2, "/ok#nowhere"): Verdict.FRAGMENT_MISSING,
        u(2, "/to-private"): Verdict.ERROR,
        "https://x.com/someone": Verdict.BLOCKED,
        "ftp://example.org/file": Verdict.SKIPPED,
    }
    bomb()  # built before the clock starts: the server answers /bomb with it
    started = time.monotonic()
    outcome = run(list(expected), fast)
    assert time.monotonic() - started < 8
    assert verdicts(outcome) == expected
    assert outcome.network_unavailable is None
    by_url = {r.url: r for r in outcome.results}
    chain = by_url[u(0, "/r301")].redirects
    assert chain == ((301, u(0, "/r308")), (308, u(0, "/ok")))
    assert by_url[u(0, "/loop-a")].error is not None and "loop" in by_url[u(0, "/loop-a")].error
    assert by_url[u(1, "/ratelimited")].attempts == 2  # HEAD 429, HEAD 200 after the pause
    assert "private" in (by_url[u(2, "/to-private")].error or "")
    assert server.huge_bytes_sent < 2 << 20  # closed right after the headers
    # HEAD first, GET only after the 405
    assert [m for m, _h, p in server.methods if p == "/nohead"] == ["HEAD", "GET"]
    rules = {f.rule: f.severity for f in outcome.findings}
    assert rules["link-dead"] is Severity.ERROR
    assert rules["link-redirected"] is Severity.WARNING
    assert rules["link-blocked"] is Severity.INFO
    assert rules["link-fragment-missing"] is Severity.WARNING
    redirected = next(f for f in outcome.findings if f.rule == "link-redirected")
    assert "validator links --fix" in (redirected.hint or "")


def test_a_hang_is_one_timeout_not_one_per_retry(server: Server, fast: CrawlSettings) -> None:
    """The server never answers /hang: a real wait, so a short timeout of its own (the
    other cases keep 1.5 s, room for a loaded machine)."""
    import dataclasses

    settings = dataclasses.replace(fast, timeout=0.3, connect_timeout=0.3)
    outcome = run([server.url(1, "/hang")], settings)
    (result,) = outcome.results
    assert result.verdict is Verdict.TIMEOUT
    assert result.attempts == 1  # one timeout, not one per retry (two allowed)
    assert {f.rule: f.severity for f in outcome.findings} == {"link-timeout": Severity.WARNING}


def test_redirect_to_private_address_allowed_with_allow_private(
    server: Server, fast: CrawlSettings
) -> None:
    import dataclasses

    settings = dataclasses.replace(fast, allow_private=True)
    outcome = run([server.url(2, "/to-private")], settings)
    # 127.0.0.9 is loopback but nobody listens there: refused connection, not a policy error
    assert outcome.results[0].verdict is Verdict.ERROR
    assert "private" not in (outcome.results[0].error or "")


def test_private_refused_by_default(server: Server) -> None:
    outcome = run([server.url(0, "/ok")], CrawlSettings(no_cache=True, max_retries=0))
    assert outcome.results[0].verdict is Verdict.ERROR
    assert "private" in (outcome.results[0].error or "")


def test_per_host_cap_held(server: Server, fast: CrawlSettings) -> None:
    import dataclasses

    settings = dataclasses.replace(fast, host_concurrency=3, concurrency=50)
    urls = [server.url(2, f"/count/{i}") for i in range(24)]
    outcome = run(urls, settings)
    assert all(r.verdict is Verdict.OK for r in outcome.results)
    assert server.max_in_flight == 3
    assert outcome.host_stats["127.0.0.4"]["max_in_flight"] == 3


def test_host_interval_spaces_requests(
    server: Server, fast: CrawlSettings, fast_forward: FastForward
) -> None:
    import dataclasses

    settings = dataclasses.replace(fast, host_concurrency=10, host_interval=0.05)
    urls = [server.url(0, f"/ok?i={i}") for i in range(10)]
    run(urls, settings)
    # The 2nd to 10th request start 50 ms after the one before: 9 waits, none for real.
    assert len(fast_forward.waits) >= 9
    assert fast_forward.skipped >= 0.4  # less only by the real time the requests took


def test_distinct_urls_checked_once_reported_everywhere(
    server: Server, fast: CrawlSettings
) -> None:
    url = server.url(0, "/ok?dup=1")
    outcome = run([url, url, url], fast)
    assert len(outcome.results) == 1
    assert [loc.line for loc in outcome.results[0].locations] == [1, 2, 3]
    assert server.hits["127.0.0.2/ok?dup=1"] == 1


@pytest.mark.parametrize("failures", [1, 2])
def test_cache_history_and_fail_after(
    server: Server, fast: CrawlSettings, tmp_path: object, failures: int
) -> None:
    import dataclasses
    from pathlib import Path

    cache = Path(str(tmp_path)) / "c.sqlite3"
    settings = dataclasses.replace(fast, no_cache=False, cache_path=cache, fail_after=2)
    ok, dead = server.url(0, "/ok?cache=1"), server.url(0, "/missing?cache=1")
    first = run([ok, dead], settings)
    hits_ok = server.hits["127.0.0.2/ok?cache=1"]
    dead_finding = next(f for f in first.findings if f.rule == "link-dead")
    assert dead_finding.severity is Severity.WARNING  # 1 failing run < fail_after 2
    second = run([ok, dead], settings)
    by_url = {r.url: r for r in second.results}
    assert server.hits["127.0.0.2/ok?cache=1"] == hits_ok  # success reused within TTL
    ok_history, dead_history = by_url[ok].history, by_url[dead].history
    assert ok_history is not None and ok_history.from_cache is True
    assert dead_history is not None
    assert dead_history.consecutive_failures == 2  # failures never reused
    assert dead_history.first_failed is not None
    dead_finding = next(f for f in second.findings if f.rule == "link-dead")
    assert dead_finding.severity is Severity.ERROR
    expired = dataclasses.replace(settings, cache_ttl=0)
    run([ok], expired)
    assert server.hits["127.0.0.2/ok?cache=1"] > hits_ok  # TTL over: checked again


def test_network_unavailable_when_nothing_resolves(fast: CrawlSettings) -> None:
    import dataclasses
    import socket

    async def offline(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    settings = dataclasses.replace(fast, resolver=offline)
    outcome = run(["https://huggingface.co/a", "https://arxiv.org/abs/1"], settings)
    assert outcome.network_unavailable is not None
    assert "Network unavailable" in outcome.network_unavailable
    assert all(r.verdict is not Verdict.DEAD for r in outcome.results)
    assert outcome.findings == []


def test_unknown_host_is_dead_when_others_answer(server: Server, fast: CrawlSettings) -> None:
    outcome = run([server.url(0, "/ok?u=1"), "https://no-such-host.invalid/"], fast)
    assert outcome.network_unavailable is None
    assert verdicts(outcome)["https://no-such-host.invalid/"] is Verdict.DEAD


def test_connections_are_reused_when_answers_are_read_to_the_end(
    fast: CrawlSettings,
) -> None:
    """HEAD answers and small error pages are drained, so one host keeps one connection."""
    import dataclasses

    from tests.links.linkserver import Server

    server = Server().start()  # its own server: connection counts start at zero
    try:
        urls = [server.url(2, f"/ok?reuse={i}") for i in range(5)]
        urls += [server.url(2, f"/missing?reuse={i}") for i in range(3)]  # HEAD 404, GET 404
        settings = dataclasses.replace(fast, concurrency=1, host_concurrency=1)
        outcome = run(urls, settings)
        assert {r.verdict for r in outcome.results} == {Verdict.OK, Verdict.DEAD}
        assert server.connections["127.0.0.4"] == 1
    finally:
        server.stop()
