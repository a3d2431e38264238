"""Where the tool waits: one clock and one sleep, swappable as a whole.

Every part that waits takes ``clock`` / ``sleep`` arguments: the host limiter (host
interval, back-off), the crawler's retries, the Hub client's back-off, the GitHub
client's write spacing. When none is passed they use the functions below, which
forward to the process-wide :class:`Timing` in force. Tests install one that records
each wait and moves its clock forward instead of waiting (``tests/conftest.py``), so no
test sleeps for real and none has to patch a module.

Deadlines on I/O (:mod:`validator.http.deadline`, socket timeouts) are real time, not this
clock: a request takes as long as it takes.
"""

from __future__ import annotations

import dataclasses
import time
import typing as t


async def _anyio_sleep(seconds: float) -> None:
    import anyio  # only the online paths wait asynchronously

    await anyio.sleep(seconds)


@dataclasses.dataclass
class Timing:
    """The clocks and sleeps in force."""

    monotonic: t.Callable[[], float] = time.monotonic
    wall: t.Callable[[], float] = time.time
    sleep: t.Callable[[float], t.Awaitable[None]] = _anyio_sleep
    blocking_sleep: t.Callable[[float], None] = time.sleep


_current = Timing()


def install(timing: Timing) -> Timing:
    """Make ``timing`` the one in force; returns the previous one (to restore it)."""
    global _current
    previous, _current = _current, timing
    return previous


def monotonic() -> float:
    """Seconds on the monotonic clock in force."""
    return _current.monotonic()


def wall() -> float:
    """POSIX seconds on the wall clock in force."""
    return _current.wall()


async def sleep(seconds: float) -> None:
    """Wait ``seconds`` in an event loop."""
    await _current.sleep(seconds)


def blocking_sleep(seconds: float) -> None:
    """Wait ``seconds``, blocking the thread (the synchronous GitHub client)."""
    _current.blocking_sleep(seconds)
