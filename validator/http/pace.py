"""Per-host figures and, when asked for, an adaptive pace within stated limits.

Every answer a host gives is recorded here: its latency, whether it was a retry, a
429 or a 503. :meth:`HostPace.figures` turns that into what ``--host-stats`` prints
(requests, retries, 429s, median and p95 latency, the effective pace).

With ``adaptive-pace`` on (lychee's host statistics do the same), the interval
between request starts moves within stated limits:

* a host that says 429 or 503 is paced slower at once (interval doubled, up to
  :data:`SLOWEST` or eight times the configured interval, whichever is longer), and
  is never paced faster than configured again in this run;
* a host whose answers slow down (latency over twice its median so far) is paced
  a quarter slower;
* a host that answers quickly and has never said 429/503 is paced a fifth faster
  after every :data:`CLEAN_STREAK` clean answers, down to ``min-host-interval``.

Off (the default), the interval is the configured one, always; ``Retry-After``
pauses apply either way (:class:`~validator.http.HostLimiter`).
"""

from __future__ import annotations

import bisect
import dataclasses

SLOWEST = 2.0
"""Seconds: the slowest adaptive pace, unless eight configured intervals are longer."""
CLEAN_STREAK = 10
"""Clean, quick answers in a row before the pace is raised one step."""
SAMPLES = 2048
"""Latencies kept per host for the median and p95 (the first ones; enough for both)."""


@dataclasses.dataclass
class HostPace:
    """What one host's answers looked like, and its interval now."""

    interval: float
    configured: float
    fastest: float
    adaptive: bool = False
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    unavailable: int = 0
    first_start: float | None = None
    last_start: float = 0.0
    streak: int = 0
    latencies: list[float] = dataclasses.field(default_factory=list)

    def started(self, now: float) -> None:
        """A request to this host started at ``now``."""
        self.requests += 1
        if self.first_start is None:
            self.first_start = now
        self.last_start = now

    def answered(self, latency: float, status: int | None, retry: bool) -> None:
        """Record one answer (``status`` ``None``: no HTTP status, e.g. a timeout)."""
        self.retries += retry
        self.rate_limited += status == 429
        self.unavailable += status == 503
        median = self._median()
        if len(self.latencies) < SAMPLES:
            bisect.insort(self.latencies, latency)
        if not self.adaptive:
            return
        if status in (429, 503):
            slowest = max(SLOWEST, 8 * self.configured)
            self.interval = min(slowest, max(2 * self.interval, self.configured, 0.001))
            self.streak = 0
        elif median is not None and latency > 2 * median and len(self.latencies) >= CLEAN_STREAK:
            self.interval = min(max(SLOWEST, 8 * self.configured), 1.25 * self.interval)
            self.streak = 0
        elif status is not None and status < 500 and not (self.rate_limited or self.unavailable):
            self.streak += 1
            if self.streak >= CLEAN_STREAK:
                self.interval = max(self.fastest, 0.8 * self.interval)
                self.streak = 0

    def _median(self) -> float | None:
        return self.latencies[len(self.latencies) // 2] if self.latencies else None

    def figures(self) -> dict[str, float | int]:
        """``--host-stats``: requests, retries, 429s, 503s, latency, effective pace."""
        lat = self.latencies
        pace = 0.0
        if self.first_start is not None and self.requests > 1:
            pace = (self.last_start - self.first_start) / (self.requests - 1)
        return {
            "requests": self.requests,
            "retries": self.retries,
            "rate_limited": self.rate_limited,
            "unavailable": self.unavailable,
            "median_ms": round(1000 * lat[len(lat) // 2]) if lat else 0,
            "p95_ms": round(1000 * lat[min(len(lat) - 1, int(0.95 * len(lat)))]) if lat else 0,
            "pace_ms": round(1000 * pace, 1),
            "interval_ms": round(1000 * self.interval, 1),
        }
