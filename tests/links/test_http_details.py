"""HTTP details the peers get right: 5xx retries, excluded hops, accepted error pages,
IPv6 literal hosts, and credentials that never follow a redirect to another origin."""

from __future__ import annotations

import http.server
import socket
import threading
import typing as t

import anyio
import httpx
import pytest
import respx

from tests.conftest import FastForward
from tests.links.linkserver import HOSTS, Server
from validator.findings import Verdict
from validator.http import CrawlSettings
from validator.links import LinkOutcome, check_links, refs_from_text

FAST = CrawlSettings(
    no_cache=True, retry_wait=0.01, max_backoff=5.0, host_interval=0.0, timeout=5.0
)


def run(urls: list[str], settings: CrawlSettings = FAST) -> LinkOutcome:
    return anyio.run(check_links, refs_from_text("\n".join(urls), "t.txt"), settings)


def only(outcome: LinkOutcome) -> t.Any:
    assert len(outcome.results) == 1
    return outcome.results[0]


@pytest.mark.parametrize("status", [500, 502, 507, 520, 521, 522, 523, 524, 599])
def test_every_transient_5xx_is_retried(status: int) -> None:
    with respx.mock:
        route = respx.route(host="example.com")
        route.side_effect = [httpx.Response(status), httpx.Response(200)]
        result = only(run(["https://example.com/p"]))
    assert result.verdict is Verdict.OK
    assert result.attempts == 2


def test_cloudflare_524_with_retry_after_pauses_the_host(fast_forward: FastForward) -> None:
    with respx.mock:
        route = respx.route(host="example.com")
        route.side_effect = [httpx.Response(524, headers={"Retry-After": "3"}), httpx.Response(200)]
        result = only(run(["https://example.com/p"]))
    assert result.verdict is Verdict.OK
    assert fast_forward.skipped >= 2.9


@pytest.mark.parametrize("status", [501, 505])
def test_permanent_server_errors_are_not_retried(status: int) -> None:
    settings = CrawlSettings(no_cache=True, host_interval=0.0, timeout=5.0)
    with respx.mock:
        route = respx.route(host="example.com")
        route.side_effect = lambda request: httpx.Response(status)
        result = only(run(["https://example.com/p"], settings))
    assert result.verdict is Verdict.ERROR
    assert result.attempts == 2  # HEAD, then GET once: no retry


def test_exclude_applies_to_every_redirect_hop() -> None:
    settings = CrawlSettings(
        no_cache=True, host_interval=0.0, excludes=(r"^https://tracker\.example/",)
    )
    with respx.mock:
        respx.route(host="example.com").mock(
            return_value=httpx.Response(302, headers={"Location": "https://tracker.example/x"})
        )
        tracker = respx.route(host="tracker.example").mock(return_value=httpx.Response(200))
        result = only(run(["https://example.com/go"], settings))
    assert tracker.calls.call_count == 0  # never requested
    assert result.verdict is Verdict.SKIPPED
    assert result.error == (
        "redirects to https://tracker.example/x, excluded by '^https://tracker\\.example/'"
    )


def test_fragment_not_checked_on_an_accepted_error_page() -> None:
    settings = CrawlSettings(no_cache=True, host_interval=0.0, accept=frozenset({200, 404}))
    page = b"<html><body>Not found</body></html>"
    with respx.mock:
        respx.route(host="example.com", path="/gone").mock(
            return_value=httpx.Response(404, content=page, headers={"Content-Type": "text/html"})
        )
        respx.route(host="example.com", path="/here").mock(
            return_value=httpx.Response(200, content=page, headers={"Content-Type": "text/html"})
        )
        outcome = run(
            ["https://example.com/gone#intro", "https://example.com/here#intro"], settings
        )
    verdicts = {r.url: r.verdict for r in outcome.results}
    assert verdicts == {
        "https://example.com/gone#intro": Verdict.OK,
        "https://example.com/here#intro": Verdict.FRAGMENT_MISSING,  # a real page still is
    }


class _Ipv6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
    request_queue_size = 128  # not 5: concurrent checks would wait 1 s for a dropped SYN


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        code = 200 if self.path == "/ok" else 404
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815

    def log_message(self, *args: t.Any) -> None:
        pass


def test_ipv6_literal_hosts_are_extracted_and_checked() -> None:
    server = _Ipv6Server(("::1", 0), _Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True
    )
    thread.start()
    try:
        port = server.server_address[1]
        text = f"See http://[::1]:{port}/ok and http://[::1]:{port}/missing."
        refs = refs_from_text(text, "t.txt")
        assert [r.url for r in refs] == [f"http://[::1]:{port}/ok", f"http://[::1]:{port}/missing"]
        settings = CrawlSettings(no_cache=True, host_interval=0.0, allow_private=True)
        outcome = anyio.run(check_links, refs, settings)
    finally:
        server.shutdown()
        server.server_close()
    verdicts = {r.url: r.verdict for r in outcome.results}
    assert verdicts == {
        f"http://[::1]:{port}/ok": Verdict.OK,
        f"http://[::1]:{port}/missing": Verdict.DEAD,
    }


def test_no_credential_header_follows_a_redirect_to_another_host(server: Server) -> None:
    """Acceptance (issue 10 item 5): 127.0.0.2 redirects to 127.0.0.3 on loopback."""
    secrets = {
        "Authorization": "Bearer s3cret",
        "Cookie": "session=s3cret",
        "Proxy-Authorization": "Basic s3cret",
    }
    settings = CrawlSettings(
        no_cache=True,
        host_interval=0.0,
        private_allowlist=("127.0.0.2/32", "127.0.0.3/32"),
        headers={**secrets, "Accept-Language": "en"},
    )
    url = f"http://{HOSTS[0]}:{server.port}/auth-hop"
    result = only(anyio.run(check_links, refs_from_text(url, "t.txt"), settings))
    assert result.verdict is Verdict.OK
    first = server.headers_seen[f"{HOSTS[0]}/auth-hop"]
    second = server.headers_seen[f"{HOSTS[1]}/echo"]
    assert {k: first.get(k.lower()) for k in secrets} == secrets  # its own origin: sent
    assert not {k.lower() for k in secrets} & set(second)  # another origin: none of them
    assert second.get("accept-language") == "en"  # ordinary headers still go
