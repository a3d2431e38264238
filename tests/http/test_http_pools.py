"""Connection pools per origin: reuse within a host, bounded idle pools across hosts."""

from __future__ import annotations

import anyio
import httpx
import pytest

from tests.links.linkserver import HOSTS, Server
from validator.http.client import OriginPools, SafeTransport
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
