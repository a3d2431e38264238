"""The benchmark's bounds (benchmarks/links/plan.py) against schedules that obey the limits.

A lower bound must be at or below the end of every schedule that keeps the per-host
limits (interval between starts, requests in flight, no start during a Retry-After),
and close to the best one, or the benchmark's "x bound" means nothing. A small
simulator plays such schedules for one host: any order for the oracle bound, the
listed order for the blind bound.
"""

from __future__ import annotations

import importlib.util
import random
import sys
import typing as t
from pathlib import Path

import pytest

PLAN_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "links" / "plan.py"


def _load_plan() -> t.Any:
    spec = importlib.util.spec_from_file_location("bench_plan", PLAN_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_plan"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


plan = _load_plan()
FARM = plan.Limits(interval=0.05, latency=0.1, conc=10, timeout=10.0)
KINDS = [k for k, *_ in plan.FAULTS] + ["ok"] * 8


def host(kinds: list[str]) -> t.Any:
    """The plan of one host whose URLs are ``kinds``, in this order."""
    truth = {f"http://127.0.0.10:1/{kind}/{i}": "" for i, kind in enumerate(kinds)}
    (only,) = plan.host_plans(truth)
    return only


def steps(kind: str, lim: t.Any) -> list[tuple[float, float]]:
    """``(duration, Retry-After)`` of each request the URL needs, in order."""
    if kind == "hang":
        return [(lim.timeout, 0.0)]
    if plan.RETRY_AFTER.get(kind):
        return [(lim.latency, plan.RETRY_AFTER[kind]), (lim.latency, 0.0)]
    return [(lim.latency, 0.0)] * plan.REQUESTS.get(kind, 1)


def simulate(kinds: list[str], order: list[int], lim: t.Any, follow_ups_first: bool) -> float:
    """End of a schedule that keeps the limits: first requests in ``order``; follow-ups
    (hops, retries) as soon as they may go, or only once every URL has started."""
    todo = {i: steps(kind, lim) for i, kind in enumerate(kinds)}
    firsts = list(order)
    ready: list[tuple[float, int]] = []  # (when the follow-up may go, url)
    ends: list[float] = []
    pauses: list[tuple[float, float]] = []
    last = -lim.interval
    now = 0.0
    while firsts or ready:
        now = max(now, last + lim.interval)
        due = sorted(r for r in ready if r[0] <= now)
        if not firsts and not due:
            now = min(r[0] for r in ready)
            continue
        busy = sorted(e for e in ends if e > now)
        if len(busy) >= lim.conc:
            now = busy[len(busy) - lim.conc]
            continue
        paused = [b for a, b in pauses if a <= now < b]
        if paused:
            now = max(paused)
            continue
        if due and (follow_ups_first or not firsts):
            ready.remove(due[0])
            url = due[0][1]
        else:
            url = firsts.pop(0)
        duration, wait = todo[url].pop(0)
        last, end = now, now + duration
        ends.append(end)
        if wait:
            pauses.append((end, end + wait))
        if todo[url]:
            ready.append((end + wait, url))
    return max(ends)


def oracle_order(kinds: list[str]) -> list[int]:
    """What a checker that knows the URLs starts first: hangs, then 429s, then the rest."""
    rank = {"hang": 0, "limit": 1}
    return sorted(range(len(kinds)), key=lambda i: (rank.get(kinds[i], 2), i))


def test_one_host_of_plain_urls_is_its_starts_plus_one_answer() -> None:
    assert host(["ok"] * 10).bound(FARM) == pytest.approx(9 * 0.05 + 0.1)
    assert simulate(["ok"] * 10, list(range(10)), FARM, True) == pytest.approx(0.55)


def test_retry_after_pauses_that_can_overlap_are_counted_once() -> None:
    # Two 429s sent 50 ms apart, before the first answer: their 1 s pauses overlap, so
    # summing them (as the first version of the bound did) overshoots the best schedule.
    kinds = ["limit", "limit"] + ["ok"] * 10
    best = simulate(kinds, oracle_order(kinds), FARM, True)
    assert host(kinds).bound(FARM) <= best
    assert best < 14 * 0.05 + 2 * 1.0  # the summed pauses are not a lower bound
    # Three cannot all share one pause at this pace (two starts fit in one latency).
    assert host(["limit"] * 3).bound(FARM) == pytest.approx((6 - 1 - 2) * 0.05 + 2.0 + 0.1)


def test_hangs_beyond_the_hosts_slots_queue_for_them() -> None:
    lim = plan.Limits(interval=0.05, latency=0.1, conc=2, timeout=10.0)
    kinds = ["hang"] * 3
    assert host(kinds).bound(lim) == pytest.approx(20.0)
    assert simulate(kinds, [0, 1, 2], lim, True) == pytest.approx(20.0)


def test_blind_bound_places_the_hang_where_it_is_listed() -> None:
    kinds = ["ok"] * 100 + ["hang"] + ["ok"] * 99
    h = host(kinds)
    assert h.bound(FARM) == pytest.approx(199 * 0.05 + 0.1)
    assert h.blind_bound(FARM) == pytest.approx(100 * 0.05 + 10.0)
    assert h.blind_bound(FARM, worst=True) == pytest.approx(199 * 0.05 + 10.0)
    # A 429 listed before the hang pauses the host before the hang can start.
    limited = host(["limit"] + kinds[1:])
    assert limited.blind_bound(FARM) == pytest.approx(99 * 0.05 + 1.0 + 10.0)
    # One listed right before it need not: the hang can go out before the 429 is back.
    late = host(kinds[:99] + ["limit"] + kinds[100:])
    assert late.blind_bound(FARM) == pytest.approx(100 * 0.05 + 10.0)


@pytest.mark.parametrize("seed", range(60))
def test_no_schedule_that_keeps_the_limits_beats_the_bounds(seed: int) -> None:
    rng = random.Random(seed)
    lim = rng.choice([FARM, plan.Limits(0.02, 0.1, 3, 2.0), plan.Limits(0.0, 0.05, 4, 1.0)])
    kinds = [rng.choice(KINDS) for _ in range(rng.randrange(1, 60))]
    h = host(kinds)
    listed = list(range(len(kinds)))
    shuffled = rng.sample(listed, len(listed))
    for first in (True, False):
        assert simulate(kinds, listed, lim, first) >= h.blind_bound(lim) - 1e-9
        assert simulate(kinds, shuffled, lim, first) >= h.bound(lim) - 1e-9
        assert simulate(kinds, oracle_order(kinds), lim, first) >= h.bound(lim) - 1e-9
    if lim is FARM:
        # Where the interval binds, as on the farm, the oracle's own schedule comes
        # close to the bound: it is not vacuous. (Where concurrency binds, the floors
        # are looser: pauses and hangs idle slots that the slot floor does not charge.)
        best = simulate(kinds, oracle_order(kinds), lim, True)
        assert best <= h.bound(lim) + 2 * lim.latency


def test_the_farm_plan_as_the_docs_quote_it() -> None:
    truth = plan.make_urls(1000, 20, 8000, seed=7, faults=True)
    bound, worst = plan.lower_bound(truth, FARM)
    assert (worst.urls, worst.requests, worst.pauses, worst.hung) == (315, 340, 1.0, (276,))
    assert bound == pytest.approx(18.0)
    assert plan.blind_bound(truth, FARM) == pytest.approx(24.75)
    assert plan.blind_bound(truth, FARM, worst=True) == pytest.approx(26.65)
