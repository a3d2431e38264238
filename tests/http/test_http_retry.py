"""Server-given delays in every dialect, backoff growth and caps."""

from __future__ import annotations

import email.utils

import pytest

from validator.http import backoff_delay, parse_ratelimit, parse_retry_after, server_delay

NOW = 1_800_000_000.0


def test_retry_after_seconds_and_date() -> None:
    assert parse_retry_after("120") == 120
    date = email.utils.formatdate(NOW + 30, usegmt=True)
    assert parse_retry_after(date, now=NOW) == pytest.approx(30)
    assert parse_retry_after(email.utils.formatdate(NOW - 30, usegmt=True), now=NOW) == 0
    assert parse_retry_after("soon") is None


def test_ratelimit_reset_relative_and_absolute() -> None:
    assert server_delay({"X-RateLimit-Reset": "15", "X-RateLimit-Remaining": "0"}) == 15
    absolute = {"x-ratelimit-reset": str(int(NOW + 40)), "x-ratelimit-remaining": "0"}
    assert server_delay(absolute, now=NOW) == pytest.approx(40)
    # quota not exhausted: no wait
    assert server_delay({"X-RateLimit-Reset": "15", "X-RateLimit-Remaining": "10"}) is None


def test_hugging_face_ratelimit_header() -> None:
    assert parse_ratelimit('"api";r=0;t=55') == 55
    assert parse_ratelimit('"api";r=12;t=55') is None
    assert server_delay({"RateLimit": '"api";r=0;t=55'}) == 55


def test_retry_after_wins_over_other_headers() -> None:
    assert server_delay({"Retry-After": "3", "RateLimit": '"api";r=0;t=55'}) == 3


def test_backoff_doubles_with_jitter_and_cap() -> None:
    assert backoff_delay(1, base=1.0, cap=60, rng=lambda: 0.0) == 1.0
    assert backoff_delay(3, base=1.0, cap=60, rng=lambda: 0.0) == 4.0
    assert backoff_delay(3, base=1.0, cap=60, rng=lambda: 1.0) == 6.0
    assert backoff_delay(20, base=1.0, cap=60, rng=lambda: 1.0) == 60.0
