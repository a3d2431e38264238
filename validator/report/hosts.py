"""``--host-stats`` as text: one line per host, busiest first.

The same figures go into the JSON report under ``hosts``
(:meth:`validator.http.HostLimiter.stats`): requests, retries, 429 and 503 answers,
median and p95 latency, the effective pace (mean time between request starts), the
interval in force at the end, and the most requests in flight at once.
"""

from __future__ import annotations

import typing as t

from validator.escape import clean, inert_lines

COLUMNS = (
    ("requests", "requests"),
    ("retries", "retries"),
    ("rate_limited", "429s"),
    ("unavailable", "503s"),
    ("median_ms", "median ms"),
    ("p95_ms", "p95 ms"),
    ("pace_ms", "pace ms"),
    ("interval_ms", "interval ms"),
    ("max_in_flight", "in flight"),
)


def host_table(hosts: t.Mapping[str, t.Mapping[str, int | float]]) -> str:
    """A plain-text table, one row per host, most requests first; ``""`` when empty."""
    if not hosts:
        return ""
    rows = sorted(hosts.items(), key=lambda kv: (-kv[1].get("requests", 0), kv[0]))
    width = max(4, *(len(clean(h)) for h, _ in rows))
    head = f"{'host':<{width}}" + "".join(f"{label:>12}" for _, label in COLUMNS)
    lines = [head]
    for host, figures in rows:
        cells = "".join(f"{_cell(figures.get(key, 0)):>12}" for key, _ in COLUMNS)
        lines.append(f"{clean(host):<{width}}{cells}")
    return inert_lines("\n".join(lines) + "\n")


def _cell(value: int | float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
