"""The crawler's own HTTP/1.1 client (``validator.http.wire``) against the httpx path.

Both paths crawl the same loopback servers; every probe must agree (verdict, status,
final URL, redirects, attempts, error). Then what only the wire path does by itself:
keep-alive, a connection the server closed while idle, odd but legal framing, broken
framing, TLS, cookies, and header values that would split a request.
"""

from __future__ import annotations

import dataclasses
import json
import socket
import socketserver
import ssl
import threading
import typing as t
from pathlib import Path

import anyio
import httpx
import pytest

from tests.hostile.rawserver import RawServer, Request, respond
from tests.links.linkserver import HOSTS, Server
from validator.http import CrawlSettings, build_client
from validator.http.client import pool_limits, safe_backend
from validator.http.errors import ProtocolFailure
from validator.http.wire import WireClient
from validator.links.crawl import Probe
from validator.links.queues import crawl

TLS = Path(__file__).parents[1] / "fixtures" / "tls"
PATHS = [
    "/ok", "/missing", "/gone", "/r301", "/r302", "/r301-dead", "/loop-a", "/ratelimited",
    "/flaky", "/nohead", "/forbidden", "/huge", "/bomb", "/to-private", "/ok#intro",
    "/ok#nowhere", "/huge#x", "/bomb#x",
]  # fmt: skip


def _settings(timeout: float = 5.0) -> CrawlSettings:
    """Budgets long enough for the fast-forwarded waits (Retry-After, backoff) of tests."""
    return CrawlSettings(
        timeout=timeout,
        connect_timeout=0.5,
        max_retries=2,
        retry_wait=0.01,
        max_backoff=2.0,
        host_interval=0.0,
        private_allowlist=tuple(f"{h}/32" for h in HOSTS) + ("127.0.0.1/32",),
        no_cache=True,
    )


def _crawl(urls: list[str], *, httpx_path: bool, timeout: float = 5.0) -> dict[str, Probe]:
    return anyio.run(_crawl_async, urls, httpx_path, timeout)


async def _crawl_async(urls: list[str], httpx_path: bool, timeout: float) -> dict[str, Probe]:
    settings = _settings(timeout)
    if not httpx_path:
        return (await crawl(urls, settings))[0]
    async with build_client(settings) as client:
        return (await crawl(urls, settings, client=client))[0]


def _seen(probe: Probe, port: str = "") -> dict[str, t.Any]:
    """What the crawl made of a URL, timing aside, with the server's port as ``PORT``."""
    fields = dataclasses.asdict(probe.result)
    for key in ("elapsed_ms", "history"):
        fields.pop(key, None)
    seen = {**fields, "network_failure": probe.network_failure, "reached": probe.reached}
    text = json.dumps(seen, default=str)
    return t.cast(dict[str, t.Any], json.loads(text.replace(port, "PORT") if port else text))


def _both(urls: list[str], start: t.Callable[[], t.Any], timeout: float = 5.0) -> tuple[dict, dict]:
    """Both paths at once, each against a fresh server (so once-only faults happen to both)."""
    with start() as via_httpx, start() as via_wire:
        servers = (via_httpx, via_wire)
        probes: list[dict[str, Probe]] = [{}, {}]

        async def one(index: int) -> None:
            targets = [u.format(server=servers[index]) for u in urls]
            probes[index] = await _crawl_async(targets, index == 0, timeout)

        async def both() -> None:
            async with anyio.create_task_group() as tg:
                tg.start_soon(one, 0)
                tg.start_soon(one, 1)

        anyio.run(both)
    out = []
    for server, seen in zip(servers, probes, strict=True):
        port = server.base.rsplit(":", 1)[1]
        out.append({url.replace(server.base, ""): _seen(p, port) for url, p in seen.items()})
    return out[0], out[1]


class _LinkServer:
    def __enter__(self) -> _LinkServer:
        self.srv = Server().start()
        self.base = f"http://{HOSTS[0]}:{self.srv.port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.srv.stop()


def test_both_paths_judge_the_link_server_alike() -> None:
    via_httpx, via_wire = _both(["{server.base}" + p for p in PATHS], _LinkServer)
    assert via_wire == via_httpx
    assert via_wire["/ok"]["verdict"] == "ok"
    assert via_wire["/ok#nowhere"]["verdict"] != "ok"


def test_both_paths_word_a_refused_connection_alike() -> None:
    with socket.socket() as probe:  # a port nothing listens on once this socket is closed
        probe.bind((HOSTS[1], 0))
        url = f"http://{HOSTS[1]}:{probe.getsockname()[1]}/x"
    seen = [_seen(_crawl([url], httpx_path=p)[url]) for p in (True, False)]
    assert seen[1] == seen[0]
    assert seen[1]["verdict"] == "error" and "Connection refused" in seen[1]["error"], seen[1]


def test_both_paths_time_out_on_a_hang_and_go_on() -> None:
    urls = ["{server.base}/hang", "{server.base}/ok", "{server.base}/missing"]
    via_httpx, via_wire = _both(urls, _LinkServer, timeout=0.5)
    assert via_wire == via_httpx
    assert [via_wire[p]["verdict"] for p in ("/hang", "/ok", "/missing")] == [
        "timeout",
        "ok",
        "dead",
    ]


def _raw_routes(server: RawServer) -> None:
    def send(sock: socket.socket, raw: bytes) -> None:
        sock.sendall(raw)

    page = b'<html><h2 id="intro">x</h2></html>'
    routes: dict[str, t.Callable[[Request, socket.socket], None]] = {
        "/early": lambda r, s: send(
            s,
            b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
        ),
        "/chunked": lambda r, s: send(
            s,
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n" + b"%x\r\n%s\r\n0\r\n\r\n" % (len(page), page),
        ),
        "/to-close": lambda r, s: send(
            s, b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
        ),
        "/cut": lambda r, s: send(
            s, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 9999\r\n\r\n<h2"
        ),
        "/garbage": lambda r, s: send(s, b"HELLO THERE\r\n\r\n"),
        "/silent": lambda r, s: None,
        "/head-body": lambda r, s: respond(s, 200, b"body to HEAD too"),
        "/no-reason": lambda r, s: send(s, b"HTTP/1.1 204\r\nConnection: close\r\n\r\n"),
    }
    server.routes.update(routes)


class _Raw:
    def __enter__(self) -> _Raw:
        self.srv = RawServer().start()
        _raw_routes(self.srv)
        self.base = self.srv.origins[0]
        return self

    def __exit__(self, *exc: object) -> None:
        self.srv.stop()


RAW = ["/early", "/chunked#intro", "/to-close#intro", "/cut#intro", "/garbage", "/silent",
       "/head-body", "/no-reason", "/chunked", "/to-close"]  # fmt: skip


def test_both_paths_judge_odd_and_broken_framing_alike() -> None:
    via_httpx, via_wire = _both(["{server.base}" + p for p in RAW], _Raw)
    verdicts = {url: seen["verdict"] for url, seen in via_wire.items()}
    assert verdicts == {url: seen["verdict"] for url, seen in via_httpx.items()}
    assert verdicts["/early"] == verdicts["/chunked#intro"] == verdicts["/to-close#intro"] == "ok"
    assert verdicts["/cut#intro"] != "ok" and verdicts["/garbage"] == "error"
    for url, seen in via_wire.items():  # only the parser's own wording may differ
        if url != "/garbage":
            assert seen == via_httpx[url], url


def _client(context: ssl.SSLContext | None = None, **limits: t.Any) -> WireClient:
    settings = _settings()
    return WireClient(
        safe_backend(settings),
        context or ssl.create_default_context(),
        defaults=httpx.Headers({"User-Agent": "validator-test"}),
        cookies=httpx.Cookies(),
        limits=httpx.Limits(**limits) if limits else pool_limits(settings),
        connect_timeout=0.5,
    )


async def _get(client: WireClient, url: str, headers: dict[str, str] | None = None) -> int:
    response = await client.send("GET", httpx.URL(url), headers or {})
    async for _ in response.aiter_raw():
        pass
    await response.aclose()
    return response.status_code


def test_keep_alive_reuses_one_connection_per_host() -> None:
    srv = Server().start()
    try:

        async def go() -> None:
            client = _client()
            for host in HOSTS[:2]:
                for _ in range(5):
                    assert await _get(client, f"http://{host}:{srv.port}/ok") == 200
            await client.aclose()

        anyio.run(go)
        assert [srv.connections[h] for h in HOSTS[:2]] == [1, 1]
    finally:
        srv.stop()


def test_a_connection_closed_while_idle_is_replaced_not_reported() -> None:
    """The server closes each connection after answering, without saying so."""
    with RawServer() as server:
        server.routes["/quiet-close"] = lambda r, s: s.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        )

        async def go() -> list[int]:
            client = _client()
            statuses = []
            for _ in range(3):
                statuses.append(await _get(client, server.url("/quiet-close")))
                await anyio.sleep(0.05)  # let the close arrive, or not: both must work
            await client.aclose()
            return statuses

        assert anyio.run(go) == [200, 200, 200]


def test_cookies_set_by_a_host_go_back_to_it_only() -> None:
    with RawServer(("127.0.0.1", "127.0.0.2")) as server:
        server.routes["/set"] = lambda r, s: respond(s, 200, headers={"Set-Cookie": "k=v; Path=/"})
        server.routes["/see"] = lambda r, s: respond(s, 200)

        async def go() -> None:
            client = _client()
            for url in (server.url("/set"), server.url("/see"), server.url("/see", origin=1)):
                await _get(client, url)
            await client.aclose()

        anyio.run(go)
    cookies = [(r.host, r.headers.get("cookie")) for r in server.seen("/see")]
    assert sorted(cookies, key=str) == [("127.0.0.1", "k=v"), ("127.0.0.2", None)]


def test_a_header_that_would_split_the_request_is_refused() -> None:
    with RawServer() as server:

        async def go() -> None:
            client = _client()
            with pytest.raises(ProtocolFailure, match="line break"):
                await client.send("GET", httpx.URL(server.url("/x")), {"X-A": "1\r\nX-B: 2"})
            await client.aclose()

        anyio.run(go)
        assert server.seen("/x") == []


class _TlsServer(socketserver.ThreadingTCPServer):
    """One HTTPS answer per connection on 127.0.0.2, with the vendored test certificate."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.2", 0), _TlsAnswer)
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(TLS / "server.pem", TLS / "server.key")
        self.port = self.server_address[1]

    def __enter__(self) -> _TlsServer:
        threading.Thread(target=self.serve_forever, args=(0.005,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


class _TlsAnswer(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server = t.cast(_TlsServer, self.server)
        try:
            with server.context.wrap_socket(self.request, server_side=True) as tls:
                tls.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data and (chunk := tls.recv(4096)):
                    data += chunk
                tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        except (OSError, ssl.SSLError):
            pass  # the client refused our certificate: the point of one test


def test_tls_verifies_the_certificate_against_the_host() -> None:
    trusted = ssl.create_default_context(cafile=str(TLS / "ca.pem"))
    with _TlsServer() as server:
        url = f"https://127.0.0.2:{server.port}/"

        async def go() -> tuple[int, str]:
            assert await _get(_client(trusted), url) == 200
            try:
                await _get(_client(), url)  # the system's CAs do not know the test CA
            except Exception as exc:  # noqa: BLE001 - the error is the result
                return 0, f"{type(exc).__name__}: {exc}"
            return 1, "no error"

        ok, error = anyio.run(go)
        assert ok == 0 and "TLS: CERTIFICATE_VERIFY_FAILED" in error, error
        # The whole crawl, both paths: a TLS failure is a verdict that names it.
        probes = [_crawl([url], httpx_path=p)[url] for p in (True, False)]
    assert _seen(probes[0]) == _seen(probes[1])
    assert probes[1].result.verdict == "error" and "TLS" in (probes[1].result.error or "")


def test_an_informational_answer_is_skipped_with_its_headers() -> None:
    with _Raw() as raw:

        async def go() -> tuple[int, httpx.Headers]:
            client = _client()
            response = await client.send("GET", httpx.URL(raw.base + "/early"), {})
            await response.aclose()
            await client.aclose()
            return response.status_code, response.headers

        status, headers = anyio.run(go)
    assert status == 200 and "link" not in headers and headers["content-length"] == "2"
