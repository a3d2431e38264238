"""When to retry and how long to wait: backoff with jitter and server-given delays.

Servers say "come back later" in several dialects; all of them are read here and
turned into seconds, so that callers (link checker, Hub client) need one call:

* ``Retry-After: 120`` or ``Retry-After: Wed, 21 Oct 2026 07:28:00 GMT``
  (RFC 9110 §10.2.3: delay-seconds or HTTP-date);
* ``X-RateLimit-Reset``: seconds to wait, or a Unix time when the value is large
  (GitHub and GitLab send the absolute form; lychee ``host.rs`` reads both);
* ``RateLimit: "api";r=0;t=55`` (IETF draft-ietf-httpapi-ratelimit-headers, the form
  the Hugging Face Hub sends: ``t`` is seconds until the quota resets) and the older
  ``RateLimit-Reset: 55``.

Every delay is capped by the caller's ``cap`` (lychee caps at 60 s).
"""

from __future__ import annotations

import email.utils
import random
import re
import time
import typing as t

RETRY_STATUSES = frozenset({408, 425, 429} | set(range(500, 600)) - {501, 505})
"""Statuses worth another attempt: timeouts, rate limits, and every server error,
Cloudflare's 520-524 included (lychee and linkinator retry every 5xx).

501 (Not Implemented) and 505 (HTTP Version Not Supported) say the method or
protocol will never work (RFC 9110 §15.6.2, §15.6.6); 404/410 never change on retry."""

_EPOCH_THRESHOLD = 1_000_000_000  # seconds: anything larger is a Unix time, not a delta
_RATELIMIT_T = re.compile(r"(?:^|;)\s*t\s*=\s*(\d+(?:\.\d+)?)")
_RATELIMIT_R = re.compile(r"(?:^|;)\s*r\s*=\s*(\d+)")


def _number(value: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number >= 0 else None


def parse_retry_after(value: str, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or HTTP-date)."""
    seconds = _number(value)
    if seconds is not None:
        return seconds
    # OverflowError: date outside platform bounds; ValueError/TypeError: unparseable
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (OverflowError, ValueError, TypeError, IndexError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def parse_reset(value: str, *, now: float | None = None) -> float | None:
    """Seconds to wait from ``X-RateLimit-Reset`` (delta, or Unix time when large)."""
    number = _number(value)
    if number is None:
        return None
    if number >= _EPOCH_THRESHOLD:
        current = time.time() if now is None else now
        return max(0.0, number - current)
    return number


def parse_ratelimit(value: str) -> float | None:
    """Seconds until reset from ``RateLimit: "policy";r=0;t=55`` (only when exhausted).

    With several policies (comma-separated), the longest wait among the exhausted ones.
    """
    waits = []
    for item in value.split(","):
        remaining = _RATELIMIT_R.search(item)
        reset = _RATELIMIT_T.search(item)
        if reset and (remaining is None or int(remaining.group(1)) == 0):
            waits.append(float(reset.group(1)))
    return max(waits) if waits else None


def server_delay(headers: t.Mapping[str, str], *, now: float | None = None) -> float | None:
    """The wait a response asks for, in seconds, from any dialect; ``None`` if none."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if "retry-after" in lowered:
        delay = parse_retry_after(lowered["retry-after"], now=now)
        if delay is not None:
            return delay
    if "ratelimit" in lowered:
        delay = parse_ratelimit(lowered["ratelimit"])
        if delay is not None:
            return delay
    remaining = lowered.get("x-ratelimit-remaining", lowered.get("ratelimit-remaining"))
    exhausted = remaining is None or remaining.strip() == "0"
    for key in ("x-ratelimit-reset", "ratelimit-reset"):
        if key in lowered and exhausted:
            delay = parse_reset(lowered[key], now=now)
            if delay is not None:
                return delay
    return None


def backoff_delay(
    attempt: int, *, base: float, cap: float, rng: t.Callable[[], float] = random.random
) -> float:
    """Exponential backoff with jitter for retry ``attempt`` (1 = first retry).

    ``base * 2**(attempt-1)``, plus up to 50 % random jitter so that many clients that
    failed together do not come back together (linkinator adds random jitter too).
    """
    delay = base * (2 ** max(0, attempt - 1))
    return float(min(cap, delay * (1.0 + 0.5 * rng())))


def should_retry_status(status: int) -> bool:
    """Whether a response status is transient (see :data:`RETRY_STATUSES`)."""
    return status in RETRY_STATUSES
