"""HostLimiter: the per-host cap, the global cap, and host-wide backoff."""

from __future__ import annotations

import time

import anyio

from validator.http import HostLimiter


def test_per_host_and_global_caps() -> None:
    limiter = HostLimiter(concurrency=3, host_limits=lambda host: (2, 0.0))
    current: dict[str, int] = {}
    peak: dict[str, int] = {}

    async def one(host: str) -> None:
        async with limiter.slot(host):
            current[host] = current.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), current[host])
            await anyio.sleep(0.02)
            current[host] -= 1

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for i in range(30):
                tg.start_soon(one, f"h{i % 3}")

    anyio.run(main)
    assert max(peak.values()) <= 2
    assert limiter.max_in_flight_total == 3
    assert limiter.stats()["h0"]["requests"] == 10


def test_back_off_pauses_the_whole_host() -> None:
    limiter = HostLimiter(concurrency=10, host_limits=lambda host: (5, 0.0))

    async def main() -> float:
        limiter.back_off("slow.example", 0.2)
        start = time.monotonic()
        async with limiter.slot("slow.example"):
            pass
        async with limiter.slot("other.example"):
            assert time.monotonic() - start < 0.3
        return time.monotonic() - start

    assert anyio.run(main) >= 0.19


def test_host_cap_reached_exactly() -> None:
    limiter = HostLimiter(concurrency=50, host_limits=lambda host: (4, 0.0))

    async def one() -> None:
        async with limiter.slot("busy.example"):
            await anyio.sleep(0.02)

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(one)

    anyio.run(main)
    assert limiter.stats()["busy.example"]["max_in_flight"] == 4
