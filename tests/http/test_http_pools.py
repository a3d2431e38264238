"""Connection pools per origin: reuse within a host, bounded idle pools across hosts."""

from __future__ import annotations

import anyio
import httpx
import pytest

from tests.links.linkserver import HOSTS, Server
from validator.http.client import SafeTransport, build_client
from validator.http.pool import OriginPools
from validator.http.settings import CrawlSettings


def test_one_pool_per_origin_reused_and_idle_ones_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(OriginPools, "MAX_IDLE_POOLS", 2)
    server = Server().start()
    try:
        transport = SafeTransport(
            CrawlSettings(allow_private=True), limits=httpx.Limits(max_connections=4)
        )
        pools = transport._pool
        assert isinstance(pools, OriginPools)

        async def main() -> None:
            async with httpx.AsyncClient(transport=transport) as client:
                for host in (0, 0, 1, 2, 0):  # host 0's pool is the oldest when 2 arrives
                    response = await client.head(server.url(host, "/ok"))
                    assert response.status_code == 200
                assert len(pools._pools) == 2

        anyio.run(main)
    finally:
        server.stop()
    # Two requests to host 0 shared a connection; its pool was then closed as the least
    # recently used idle one, so the last request opened a new connection.
    assert [server.connections[h] for h in HOSTS] == [2, 1, 1]


def test_connections_per_origin_bounded_and_unread_bodies_not_reused() -> None:
    server = Server().start()
    try:
        transport = SafeTransport(
            CrawlSettings(allow_private=True),
            limits=httpx.Limits(max_connections=2, max_keepalive_connections=2),
        )

        async def main() -> None:
            async with httpx.AsyncClient(transport=transport) as client:

                async def get(host: int, path: str) -> None:
                    response = await client.get(server.url(host, path))
                    assert response.status_code == 200

                async with anyio.create_task_group() as tg:
                    for _ in range(6):
                        tg.start_soon(get, 0, "/count")
                # a body closed before its end: that connection cannot serve again
                async with client.stream("GET", server.url(1, "/huge")) as response:
                    assert response.status_code == 200
                await get(1, "/ok")
                await get(1, "/ok")

        anyio.run(main)
    finally:
        server.stop()
    assert server.max_in_flight == 2  # two connections in use at host 0, never more
    assert server.connections[HOSTS[0]] == 2  # six requests shared them
    assert server.connections[HOSTS[1]] == 2  # the huge body's, then one for both /ok


def test_the_shared_client_keeps_cookies_a_server_sets() -> None:
    seen: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie"))
        if request.url.path == "/login":
            return httpx.Response(302, headers={"Set-Cookie": "s=1; Path=/", "Location": "/"})
        return httpx.Response(200)

    async def main() -> None:
        settings = CrawlSettings(allow_private=True)
        async with build_client(settings, transport=httpx.MockTransport(answer)) as client:
            for path in ("/page", "/login", "/page"):
                await client.get(f"https://example.org{path}")
            await client.get("https://example.net/page")  # another site: not sent

    anyio.run(main)
    assert seen == [None, None, "s=1", None]


def test_a_connection_in_use_when_the_pools_close_is_closed_with_its_response() -> None:
    server = Server().start()
    try:
        transport = SafeTransport(CrawlSettings(allow_private=True), limits=httpx.Limits())
        pools = transport._pool
        assert isinstance(pools, OriginPools)

        async def main() -> None:
            client = httpx.AsyncClient(transport=transport)
            async with client.stream("GET", server.url(0, "/ok")) as response:
                pool = next(iter(pools._pools.values()))
                await client.aclose()  # the run ends with this response still open
                await response.aread()
            assert pool._idle == []  # not kept open in a pool nobody will ask again

        anyio.run(main)
    finally:
        server.stop()
