"""Per-host figures, and the adaptive pace staying within its stated limits."""

from __future__ import annotations

import anyio

from validator.http import HostLimiter
from validator.http.pace import CLEAN_STREAK, SLOWEST, HostPace


def test_off_means_the_configured_interval_whatever_the_host_says() -> None:
    pace = HostPace(0.05, 0.05, 0.02, adaptive=False)
    for status in (429, 503, 200, 200):
        pace.answered(0.1, status, retry=False)
    assert pace.interval == 0.05
    assert (pace.rate_limited, pace.unavailable) == (1, 1)


def test_clean_quick_host_speeds_up_to_the_ceiling_and_no_further() -> None:
    pace = HostPace(0.05, 0.05, 0.02, adaptive=True)
    for _ in range(CLEAN_STREAK * 20):
        pace.answered(0.01, 200, retry=False)
        assert pace.interval >= 0.02
    assert pace.interval == 0.02


def test_429_slows_down_and_the_host_is_never_sped_up_again() -> None:
    pace = HostPace(0.05, 0.05, 0.02, adaptive=True)
    pace.answered(0.01, 429, retry=False)
    assert pace.interval == 0.1
    for _ in range(10):
        pace.answered(0.01, 503, retry=True)
    assert pace.interval == SLOWEST  # capped
    for _ in range(CLEAN_STREAK * 5):
        pace.answered(0.01, 200, retry=False)
    assert pace.interval == SLOWEST


def test_slowdown_paces_slower() -> None:
    pace = HostPace(0.05, 0.05, 0.02, adaptive=True)
    for _ in range(CLEAN_STREAK - 1):
        pace.answered(0.1, 200, retry=False)
    before = pace.interval
    pace.answered(1.0, 200, retry=False)  # ten times the median
    assert pace.interval == before * 1.25


def test_figures_from_the_limiter() -> None:
    now = [0.0]
    limiter = HostLimiter(concurrency=4, host_limits=lambda host: (1, 0.0), clock=lambda: now[0])

    async def main() -> None:
        for i in range(20):
            async with limiter.slot("h") as ticket:
                now[0] += 0.010 * (i + 1)  # latencies 10 ms .. 200 ms
                ticket.status = 429 if i == 0 else 200
                ticket.retry = i == 1
            now[0] += 0.04

    anyio.run(main)
    figures = limiter.stats()["h"]
    assert figures["requests"] == 20 and figures["retries"] == 1
    assert figures["rate_limited"] == 1 and figures["max_in_flight"] == 1
    assert figures["median_ms"] == 110 and figures["p95_ms"] == 200
    # Starts: 0, 0.05, 0.11 ... mean gap = (sum of latencies but the last + 19 * 40 ms) / 19
    assert figures["pace_ms"] == round(
        1000 * (sum(0.01 * i for i in range(1, 20)) + 19 * 0.04) / 19, 1
    )
