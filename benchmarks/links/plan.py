"""The farm's plan: which URL does what, the truth for each, and the schedule's bounds.

Paths encode behaviour (``farm.py`` serves them), so the benchmark knows in advance
what every URL needs. Hosts are Zipf-weighted (s = 1): host ``i`` gets a share
proportional to ``1 / (i + 1)``, so with 20 hosts the busiest holds ~28 %.

**The oracle bound** (:meth:`HostPlan.bound`) is the least time any checker that knows
every URL's behaviour can take at one host, held to ``interval`` seconds between
request starts, ``conc`` requests in flight, and no request while a ``Retry-After``
runs. Every answer takes ``latency``; a hang holds its slot for ``timeout``. It is the
largest of three floors, each a proof, not an estimate:

* **starts**: the host needs ``N`` requests (one per URL, one more per redirect hop,
  per retry the farm forces -- 503 once, 429 once -- and two for a redirect loop: the
  fewest any checker can send, a GET-only one). Consecutive starts are ``interval``
  apart; no start falls in a pause, and a pause lies between two starts (after the
  429's own request, before its retry), so the gaps that hold pauses are at least the
  pauses. Pauses overlap only for 429s whose requests were all sent before the first
  of them was answered: at most ``m = ceil(latency / interval)`` (and ``conc``) per
  group. So the last start comes no sooner than ``(N - 1 - G) * interval`` plus the
  shortest union of pauses over ``G`` groups, and its answer ``latency`` later;
* **slots**: ``conc`` slots hold every request for its latency (a hang for its timeout);
* **hangs**: the k-th hang starts no sooner than ``(k - 1) * interval``, and more hangs
  than ``conc`` queue for slots (``ceil(H / conc)`` timeouts end to end).

The run's oracle bound is the largest host bound (hosts share nothing).

**The blind bound** (:meth:`HostPlan.blind_bound`) is the same for a checker that knows
nothing of the URLs and so starts them in the order they are listed (our crawl on its
first run): a hang at place ``p`` of its host's list starts after ``p`` other starts,
and after the pause of every 429 listed far enough before it, so it cannot end sooner
than that plus its timeout. **The worst case** puts every hang last: what a checker
without knowledge can promise whatever order it picks.
"""

from __future__ import annotations

import dataclasses
import math
import random
import typing as t

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


def pause_floor(waits: list[float], group: int) -> float:
    """The shortest union of ``Retry-After`` pauses: ``group`` 429s at most share one
    (the longest waits grouped together, so each group costs its longest wait)."""
    ordered = sorted(waits, reverse=True)
    return sum(ordered[::group])


@dataclasses.dataclass(frozen=True)
class Limits:
    """What every checker is held to at each host, and what the farm's answers take."""

    interval: float
    latency: float
    conc: int
    timeout: float

    @property
    def group(self) -> int:
        """429s that can be sent before the first of them is answered (see above)."""
        if self.interval <= 0:
            return self.conc
        return max(1, min(self.conc, math.ceil(self.latency / self.interval - 1e-9)))


@dataclasses.dataclass(frozen=True)
class HostPlan:
    """What one host's URLs need, whatever the checker; places are in listed order."""

    host: str
    urls: int
    requests: int
    limited: tuple[tuple[int, float], ...] = ()
    """``(place, Retry-After seconds)`` of each URL that answers 429 once."""
    hung: tuple[int, ...] = ()
    """Places of the URLs that never answer."""

    @property
    def pauses(self) -> float:
        return sum(wait for _place, wait in self.limited)

    @property
    def hangs(self) -> int:
        return len(self.hung)

    def bound(self, lim: Limits) -> float:
        """The least time a checker that knows every URL can take at this host."""
        n, waits = self.requests, [wait for _place, wait in self.limited]
        groups = -(-len(waits) // lim.group)
        starts = max(0, n - 1 - groups) * lim.interval + pause_floor(waits, lim.group)
        floors = [starts + lim.latency if n else 0.0]
        floors.append(((n - self.hangs) * lim.latency + self.hangs * lim.timeout) / lim.conc)
        if self.hangs:
            rounds = -(-self.hangs // lim.conc)
            floors.append(max((self.hangs - 1) * lim.interval + lim.timeout, rounds * lim.timeout))
        return max(floors)

    def blind_bound(self, lim: Limits, worst: bool = False) -> float:
        """The least time at this host for a checker that knows nothing, so starts the
        URLs in listed order (``worst``: in whatever order puts every hang last)."""
        places = range(self.urls - self.hangs, self.urls) if worst else self.hung
        end = self.bound(lim)
        for place in places:
            # 429s listed at least a latency's worth of starts earlier were answered,
            # and their pauses sat out, before this hang could start.
            before = [
                wait
                for at, wait in self.limited
                if worst or (place - at) * lim.interval >= lim.latency - 1e-9
            ]
            groups = -(-len(before) // lim.group)
            start = max(0, place - groups) * lim.interval + pause_floor(before, lim.group)
            end = max(end, start + lim.timeout)
        return end


def host_plans(truth: dict[str, str]) -> list[HostPlan]:
    """Per host, most requests first."""
    acc: dict[str, list[t.Any]] = {}
    for url in truth:
        kind = kind_of(url)
        row = acc.setdefault(host_of(url), [0, 0, [], []])
        place = row[0]
        row[0] += 1
        row[1] += REQUESTS.get(kind, 1)
        if RETRY_AFTER.get(kind):
            row[2].append((place, RETRY_AFTER[kind]))
        if kind == "hang":
            row[3].append(place)
    plans = [HostPlan(h, u, r, tuple(lt), tuple(hg)) for h, (u, r, lt, hg) in acc.items()]
    return sorted(plans, key=lambda p: (-p.requests, p.host))


def lower_bound(truth: dict[str, str], lim: Limits) -> tuple[float, HostPlan]:
    """The run's oracle bound (seconds) and the host that sets it."""
    worst = max(host_plans(truth), key=lambda p: p.bound(lim))
    return worst.bound(lim), worst


def blind_bound(truth: dict[str, str], lim: Limits, worst: bool = False) -> float:
    """The run's blind bound (listed order, or ``worst``: every hang last)."""
    return max(p.blind_bound(lim, worst) for p in host_plans(truth))
