"""The farm's plan: which URL does what, the truth for each, and the schedule's bound.

Paths encode behaviour (``farm.py`` serves them), so the benchmark knows in advance
what every URL needs. Hosts are Zipf-weighted (s = 1): host ``i`` gets a share
proportional to ``1 / (i + 1)``, so with 20 hosts the busiest holds ~28 %.

The lower bound is computed from the plan, per host, for a checker held to
``interval`` seconds between request starts and ``conc`` requests in flight:

* requests needed: one per URL, one more per redirect hop, one more per retry the
  farm forces (503 once, 429 once), two for a redirect loop (the hop back is the
  proof) -- the fewest any checker can send (a GET-only checker; HEAD-first checkers
  pay for confirming failures with GET on top);
* those requests cannot start closer than ``interval`` apart (or ``latency / conc``
  when the latency is the tighter limit);
* plus every ``Retry-After`` pause, which stops the whole host;
* a hanging URL holds its slot for ``timeout``: at best it starts in one of the
  host's first slots, so the host needs at least ``k * interval + timeout`` for its
  k-th hang; hangs on one host beyond ``conc`` cannot overlap each other.

The run's bound is the largest host bound plus one answer's latency.
"""

from __future__ import annotations

import dataclasses
import random

# (path kind, fragment, share, truth verdict, requests needed, Retry-After seconds)
FAULTS = [
    ("dead", "", 0.04, "dead", 1, 0.0),
    ("gone", "", 0.01, "dead", 1, 0.0),
    ("perm", "", 0.03, "redirected", 2, 0.0),
    ("temp", "", 0.02, "ok", 2, 0.0),
    ("loop", "", 0.005, "error", 2, 0.0),
    ("flaky", "", 0.02, "ok", 2, 0.0),
    ("limit", "", 0.01, "ok", 2, 1.0),
    ("nohead", "", 0.01, "ok", 1, 0.0),
    ("headlie", "", 0.005, "ok", 1, 0.0),
    ("huge", "", 0.005, "ok", 1, 0.0),
    ("frag", "#intro", 0.02, "ok", 1, 0.0),
    ("frag", "#missing", 0.02, "fragment-missing", 1, 0.0),
    ("hang", "", 0.005, "timeout", 1, 0.0),
]
BROKEN = {"dead", "timeout", "fragment-missing", "error"}
"""Verdicts a peer that only says broken/ok should call broken."""
RETRY_AFTER = {kind: wait for kind, _f, _s, _v, _n, wait in FAULTS}
REQUESTS = {kind: n for kind, _f, _s, _v, n, _w in FAULTS}


def make_urls(n: int, hosts: int, port: int, seed: int, faults: bool) -> dict[str, str]:
    """``{url: truth verdict}`` for ``n`` URLs over ``hosts`` Zipf-weighted hosts."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(hosts)]
    picks = rng.choices(range(hosts), weights, k=n)
    truth: dict[str, str] = {}
    for i, host in enumerate(picks):
        kind, frag, verdict = "ok", "", "ok"
        if faults:
            roll, acc = rng.random(), 0.0
            for k, f, share, v, _n, _w in FAULTS:
                acc += share
                if roll < acc:
                    kind, frag, verdict = k, f, v
                    break
        truth[f"http://{host_ip(host)}:{port}/{kind}/{i}{frag}"] = verdict
    return truth


def host_ip(index: int) -> str:
    """Loopback address of farm host ``index`` (all of 127.0.0.0/8 is loopback)."""
    return f"127.0.{index // 240}.{10 + index % 240}"


def host_of(url: str) -> str:
    """``127.0.0.x:port`` of a farm URL."""
    return url.split("/")[2]


def kind_of(url: str) -> str:
    """The behaviour a farm URL asks for (``ok``, ``dead``, ``hang``...)."""
    return url.split("/")[3]


@dataclasses.dataclass(frozen=True)
class HostPlan:
    """What one host's URLs need, whatever the checker."""

    host: str
    urls: int
    requests: int
    pauses: float
    hangs: int

    def bound(self, interval: float, latency: float, conc: int, timeout: float) -> float:
        """The least time this host's URLs can take under the limits."""
        spacing = max(interval, latency / conc) if conc else interval
        schedule = self.requests * spacing + self.pauses
        if self.hangs:
            # The k-th hang starts no earlier than slot k; more than `conc` hangs queue.
            rounds = -(-self.hangs // conc)
            schedule = max(schedule, (self.hangs - 1) * spacing + rounds * timeout)
        return schedule


def host_plans(truth: dict[str, str]) -> list[HostPlan]:
    """Per host, busiest first."""
    acc: dict[str, list[float]] = {}
    for url in truth:
        kind = kind_of(url)
        row = acc.setdefault(host_of(url), [0, 0, 0.0, 0])
        row[0] += 1
        row[1] += REQUESTS.get(kind, 1)
        row[2] += RETRY_AFTER.get(kind, 0.0)
        row[3] += kind == "hang"
    plans = [HostPlan(h, int(u), int(r), p, int(g)) for h, (u, r, p, g) in acc.items()]
    return sorted(plans, key=lambda p: (-p.requests, p.host))


def lower_bound(
    truth: dict[str, str], interval: float, latency: float, conc: int, timeout: float
) -> tuple[float, HostPlan]:
    """The run's bound (seconds) and the host that sets it."""
    plans = host_plans(truth)
    worst = max(plans, key=lambda p: p.bound(interval, latency, conc, timeout))
    return worst.bound(interval, latency, conc, timeout) + latency, worst
