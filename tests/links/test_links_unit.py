"""Crawler decisions with respx: no sockets, exact control over every answer."""

from __future__ import annotations

import typing as t

import anyio
import httpx
import pytest
import respx

from tests.conftest import FastForward
from validator.findings import Verdict
from validator.http import CrawlSettings, HostSettings
from validator.links import LinkOutcome, check_links, refs_from_text

FAST = CrawlSettings(
    no_cache=True, retry_wait=0.01, max_backoff=1.0, host_interval=0.0, timeout=2.0
)


def run(urls: list[str], settings: CrawlSettings = FAST) -> LinkOutcome:
    return anyio.run(check_links, refs_from_text("\n".join(urls), "t.txt"), settings)


def only(outcome: LinkOutcome) -> t.Any:
    assert len(outcome.results) == 1
    return outcome.results[0]


@pytest.mark.parametrize(
    ("status", "headers", "verdict"),
    [
        (200, {}, Verdict.OK),
        (204, {}, Verdict.OK),
        (404, {}, Verdict.DEAD),
        (410, {}, Verdict.DEAD),
        (401, {}, Verdict.BLOCKED),
        (403, {}, Verdict.BLOCKED),
        (999, {}, Verdict.BLOCKED),  # LinkedIn
        (503, {"cf-mitigated": "challenge"}, Verdict.BLOCKED),
        (400, {}, Verdict.ERROR),
        (500, {}, Verdict.ERROR),
    ],
)
def test_status_classification(status: int, headers: dict[str, str], verdict: Verdict) -> None:
    with respx.mock:
        respx.route(host="example.com").mock(return_value=httpx.Response(status, headers=headers))
        assert only(run(["https://example.com/p"])).verdict is verdict


def test_head_refused_then_get() -> None:
    with respx.mock:
        route = respx.route(host="example.com")
        route.side_effect = lambda req: httpx.Response(405 if req.method == "HEAD" else 200)
        result = only(run(["https://example.com/p"]))
        assert result.verdict is Verdict.OK
        assert [c.request.method for c in route.calls] == ["HEAD", "GET"]


def test_5xx_is_retried_then_succeeds() -> None:
    with respx.mock:
        route = respx.route(host="example.com")
        route.side_effect = [httpx.Response(503), httpx.Response(502), httpx.Response(200)]
        result = only(run(["https://example.com/p"]))
        assert result.verdict is Verdict.OK
        assert result.attempts == 3


def test_404_is_not_retried() -> None:
    with respx.mock:
        route = respx.route(host="example.com").mock(return_value=httpx.Response(404))
        only(run(["https://example.com/p"]))
        assert route.call_count == 2  # HEAD, then GET once: no retries


def test_retry_after_beyond_cap_gives_up_as_blocked() -> None:
    with respx.mock:
        route = respx.route(host="example.com").mock(
            return_value=httpx.Response(429, headers={"Retry-After": "3600"})
        )
        result = only(run(["https://example.com/p"]))
        assert result.verdict is Verdict.BLOCKED
        assert route.call_count == 1


def test_connect_errors_are_retried_timeouts_become_timeout() -> None:
    with respx.mock:
        route = respx.route(host="example.com")
        route.side_effect = [httpx.ConnectError("reset"), httpx.Response(200)]
        assert only(run(["https://example.com/a"])).verdict is Verdict.OK
    with respx.mock:
        respx.route(host="example.com").mock(side_effect=httpx.ReadTimeout("slow"))
        assert only(run(["https://example.com/b"])).verdict is Verdict.TIMEOUT


def test_token_goes_only_to_its_host() -> None:
    settings = CrawlSettings(
        no_cache=True,
        host_interval=0.0,
        hosts={"api.example.com": HostSettings(headers={"Authorization": "Bearer secret"})},
    )
    with respx.mock:
        first = respx.route(host="api.example.com").mock(
            return_value=httpx.Response(302, headers={"Location": "https://cdn.example.net/f"})
        )
        second = respx.route(host="cdn.example.net").mock(return_value=httpx.Response(200))
        result = only(run(["https://api.example.com/f"], settings))
        assert result.verdict is Verdict.OK
        assert first.calls[0].request.headers["Authorization"] == "Bearer secret"
        assert "Authorization" not in second.calls[0].request.headers
        assert result.final_url == "https://cdn.example.net/f"
        assert result.redirects == ((302, "https://cdn.example.net/f"),)


def test_user_agent_names_the_tool() -> None:
    with respx.mock:
        route = respx.route(host="example.com").mock(return_value=httpx.Response(200))
        run(["https://example.com/"])
        assert route.calls[0].request.headers["User-Agent"].startswith("open-models-validator/")


def test_permanent_redirect_keeps_fragment_for_fix() -> None:
    with respx.mock:
        respx.route(host="old.example").mock(
            return_value=httpx.Response(301, headers={"Location": "https://new.example/x"})
        )
        respx.route(host="new.example").mock(
            return_value=httpx.Response(
                200, headers={"Content-Type": "text/html"}, content=b'<h1 id="a">A</h1>'
            )
        )
        outcome = run(["https://old.example/x#a"])
        assert only(outcome).verdict is Verdict.REDIRECTED
        finding = outcome.findings[0]
        assert finding.evidence["new_url"] == "https://new.example/x#a"


def test_excluded_and_blocked_hosts_make_no_request() -> None:
    settings = CrawlSettings(no_cache=True, excludes=(r"example\.com/private",))
    with respx.mock:  # any request would fail: respx refuses unmatched calls
        outcome = run(["https://example.com/private/x", "https://twitter.com/a"], settings)
    assert {r.verdict for r in outcome.results} == {Verdict.SKIPPED, Verdict.BLOCKED}


@pytest.mark.parametrize("retry_after", ["0", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_retry_after_zero_or_past_date_still_backs_off(
    retry_after: str, fast_forward: FastForward
) -> None:
    # "come back now" (0 s, or a date already past) must not turn the retries into a
    # burst with no pause at all: our own backoff is the floor.
    settings = CrawlSettings(
        no_cache=True, retry_wait=0.2, max_backoff=1.0, host_interval=0.0, timeout=5.0
    )
    times: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        times.append(fast_forward.monotonic())
        if len(times) < 3:
            return httpx.Response(503, headers={"Retry-After": retry_after})
        return httpx.Response(200)

    with respx.mock:
        respx.route(host="example.com").mock(side_effect=answer)
        assert only(run(["https://example.com/p"], settings)).verdict is Verdict.OK
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 2
    assert min(gaps) >= 0.2  # on the clock the waits move, though no test waits for real
    assert len(fast_forward.waits) == 2


@pytest.mark.parametrize(
    "answer",
    [
        httpx.RemoteProtocolError("peer closed connection mid-response"),
        httpx.ReadTimeout("no bytes within the read timeout"),
    ],
)
def test_a_host_that_talked_back_means_the_network_is_up(answer: t.Any) -> None:
    # One host refuses the connection, another one was reached but misbehaved: that is
    # not "network unavailable" (exit 3), it is two failing links.
    with respx.mock:
        respx.route(host="down.example").mock(side_effect=httpx.ConnectError("refused"))
        respx.route(host="odd.example").mock(side_effect=answer)
        outcome = run(["https://down.example/a", "https://odd.example/b"])
    assert outcome.network_unavailable is None
    assert {r.verdict for r in outcome.results} <= {Verdict.ERROR, Verdict.TIMEOUT}
    assert len(outcome.findings) == 2


def test_only_connect_failures_still_mean_network_unavailable() -> None:
    with respx.mock:
        respx.route(host="down.example").mock(side_effect=httpx.ConnectError("unreachable"))
        respx.route(host="gone.example").mock(side_effect=httpx.ConnectTimeout("no route"))
        outcome = run(["https://down.example/a", "https://gone.example/b"])
    assert outcome.network_unavailable is not None


def test_the_outage_notice_is_the_same_whatever_failed_first() -> None:
    """The notice names the first host by name, not the first to fail (completion order)."""
    from validator.findings import LinkResult
    from validator.links.checker import network_unavailable
    from validator.links.crawl import Probe

    urls = ["https://huggingface.co/a", "https://arxiv.org/abs/1", "https://github.com/x"]
    probes = [
        Probe(LinkResult(u, Verdict.ERROR, error=f"no DNS for {u}"), network_failure="dns")
        for u in urls
    ]
    expected = (
        "Network unavailable: none of the 3 hosts could be reached "
        "(arxiv.org: no DNS for https://arxiv.org/abs/1), so no link was judged."
    )
    assert network_unavailable(probes) == expected
    assert network_unavailable(reversed(probes)) == expected


def test_head_dropped_by_the_server_then_get() -> None:
    # Some servers reset or garble HEAD but serve GET (lychee and linkinator fall back
    # on such errors too); only a timeout is not worth a second method.
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "HEAD":
            raise httpx.RemoteProtocolError("server disconnected without sending a response")
        return httpx.Response(200)

    with respx.mock:
        route = respx.route(host="example.com").mock(side_effect=answer)
        result = only(run(["https://example.com/p"]))
    assert result.verdict is Verdict.OK
    assert route.calls[-1].request.method == "GET"


def test_a_placed_result_is_the_replaced_one() -> None:
    import dataclasses

    from validator.findings import LinkHistory, LinkResult, Location, Verdict

    result = LinkResult("https://a.example/", Verdict.DEAD, 404, error="HTTP 404", attempts=2)
    places, history = (Location("a.md", 3, 1),), LinkHistory(consecutive_failures=2)
    placed = result.placed(places, history)
    assert placed == dataclasses.replace(result, locations=places, history=history)
    assert result.locations == () and result.history is None  # the original is untouched
    with pytest.raises(dataclasses.FrozenInstanceError):
        placed.status = 200  # type: ignore[misc]
