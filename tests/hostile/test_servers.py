"""Loopback servers that misbehave: every answer becomes a verdict, never a crash or
a hang. Redirects to every scheme, garbage status lines, slow and endless bodies,
decompression bombs, Retry-After in every form."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import anyio
import pytest
from click.testing import CliRunner

from tests.hostile.rawserver import RawServer, Request, respond
from tests.links.linkserver import bomb
from validator.cli import main
from validator.http import CrawlSettings, build_client
from validator.hub.client import HubClient
from validator.hub.settings import HubSettings

TARGETS = {
    "javascript": "javascript:alert(document.cookie)",
    "mailto": "mailto:someone@example.com",
    "data": "data:text/html,<script>alert(1)</script>",
    "ftp": "ftp://files.example/x",
    "file": "file:///etc/passwd",
    "tel": "tel:+123",
    "bad-ipv6": "http://[::1",
    "bad-port": "http://127.0.0.1:99999/",
    "empty-scheme": "://nothing",
}


def _links(server: RawServer, tmp_path: Path, paths: list[str], *extra: str) -> dict[str, dict]:
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(server.url(p) + "\n" for p in paths))
    result = CliRunner().invoke(
        main,
        ["links", str(urls), "--allow-private", "--no-cache", "--format", "json",
         "--max-retries", "0", "--host-interval", "0", *extra],
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    return {link["url"]: link for link in json.loads(result.stdout)["links"]}


def test_a_redirect_to_any_scheme_is_a_verdict_naming_it(tmp_path: Path) -> None:
    """Before: a redirect to javascript:, mailto: or data: was a traceback, no report."""
    with RawServer() as server:
        for name, target in TARGETS.items():
            server.routes[f"/{name}"] = (
                lambda t: lambda r, s: respond(s, 301, headers={"Location": t}, method=r.method)
            )(target)
        links = _links(server, tmp_path, [f"/{n}" for n in TARGETS])
    for name in ("javascript", "mailto", "data", "ftp", "file", "tel"):
        link = links[server.url(f"/{name}")]
        assert link["verdict"] == "error", link
        assert f"redirect to unsupported scheme {name}" in link["error"], link
    for name in ("bad-ipv6", "bad-port", "empty-scheme"):
        assert links[server.url(f"/{name}")]["verdict"] in ("error", "dead")


def test_the_hub_client_survives_a_redirect_to_javascript() -> None:
    with RawServer() as server:
        server.routes["/api/models/o/m"] = lambda r, s: respond(
            s, 307, headers={"Location": "javascript:alert(1)"}, method=r.method
        )
        settings = HubSettings(endpoint=server.origins[0], max_retries=0, allow_private=True)

        async def ask() -> int | None:
            http = build_client(CrawlSettings(allow_private=True, timeout=3))
            async with http:
                answer = await HubClient(settings, http).get(server.url("/api/models/o/m"))
            return answer.status

        assert anyio.run(ask) == 307  # the final answer, judged by the Hub rules


GARBAGE = {
    "no-status": b"HTTP/1.1\r\n\r\n",
    "words": b"HELLO THERE\r\n\r\n",
    "huge-code": b"HTTP/1.1 99999999999 Big\r\nContent-Length: 0\r\n\r\n",
    "negative": b"HTTP/1.1 -200 Neg\r\nContent-Length: 0\r\n\r\n",
    "binary": b"\x00\xff\xfe garbage \x00\r\n\r\n",
    "bad-header": b"HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
    "bad-length": b"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n",
    "nothing": b"",
}


def test_garbage_status_lines_are_verdicts(tmp_path: Path) -> None:
    with RawServer() as server:
        for name, raw in GARBAGE.items():
            server.routes[f"/{name}"] = (lambda data: lambda r, s: s.sendall(data))(raw)
        links = _links(server, tmp_path, [f"/{n}" for n in GARBAGE])
    assert len(links) == len(GARBAGE)
    for link in links.values():
        assert link["verdict"] in ("error", "ok", "dead", "timeout"), link


def _slowloris(request: Request, sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
    for _ in range(100):
        sock.sendall(b"X-Slow: 1\r\n")
        time.sleep(0.1)


def _endless(request: Request, sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
    chunk = b"<p>" + b"x" * 65533
    for _ in range(100_000):  # 6.5 GB if nobody stops reading
        sock.sendall(chunk)


def test_slow_endless_and_bomb_answers_are_bounded(tmp_path: Path) -> None:
    gzipped = bomb()
    with RawServer() as server:
        server.routes["/slow"] = _slowloris
        server.routes["/endless"] = _endless
        server.routes["/bomb"] = lambda r, s: respond(
            s, 200, gzipped, {"Content-Encoding": "gzip", "Content-Type": "text/html"}
        )
        started = time.monotonic()
        # The slow answer is waited out for real: a short timeout of its own; the bomb
        # is work, and keeps 1.5 s for a loaded machine.
        links = _links(server, tmp_path, ["/slow", "/endless#x"], "--timeout", "0.3")
        links |= _links(server, tmp_path, ["/bomb#x"], "--timeout", "1.5")
        assert time.monotonic() - started < 10
    assert links[server.url("/slow")]["verdict"] == "timeout"
    assert links[server.url("/endless#x")]["verdict"] in ("ok", "timeout")
    assert links[server.url("/bomb#x")]["verdict"] in ("ok", "error")


@pytest.mark.parametrize(
    "retry_after",
    ["0", "1", "-5", "1.5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT",
     "Fri, 31 Dec 9999 23:59:59 GMT", "99999999999999999999", "", "1, 2"],
)  # fmt: skip
def test_retry_after_in_every_form_is_a_verdict(tmp_path: Path, retry_after: str) -> None:
    with RawServer() as server:
        server.routes["/busy"] = lambda r, s: respond(
            s, 503, headers={"Retry-After": retry_after}, method=r.method
        )
        started = time.monotonic()
        links = _links(server, tmp_path, ["/busy"], "--timeout", "2")
        assert time.monotonic() - started < 10
    assert links[server.url("/busy")]["verdict"] == "error"
