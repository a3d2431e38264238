"""Per-host politeness: concurrency, minimum interval, and host-wide backoff.

A global limit alone lets one popular host take every slot (linkinator was seen with
294 requests in flight at one host, ``docs/links.md``); lychee's answer, which we
follow, is a per-host semaphore plus a minimum interval between request starts
(``--host-concurrency 10``, ``--host-request-interval 50ms``). When a host says "slow
down" (429/503 with ``Retry-After``), :meth:`HostLimiter.back_off` pauses the whole
host, not only the request that got the answer (lychee ``ratelimit/host/host.rs``).

Usage, shared by the link checker and the Hub client::

    limiter = HostLimiter(concurrency=64, host_limits=settings.host_limits)
    async with limiter.slot("huggingface.co"):
        response = await client.send(request)
    limiter.back_off("huggingface.co", 30.0)   # after a 429 with Retry-After: 30
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import typing as t

from validator import timing
from validator.http.pace import HostPace


class Slots:
    """A counting semaphore that takes a free slot without a trip through the event loop.

    ``anyio.Semaphore`` yields to the event loop on every acquire, even when a slot is
    free; a zero-latency crawl takes two per request (its host's and the global one).
    Here a free slot is taken at once; a waiter is handed a released slot directly,
    first come first served, so nobody overtakes it.
    """

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiting: collections.deque[asyncio.Future[None]] = collections.deque()

    async def acquire(self) -> None:
        """Take a slot, waiting for one when none is free.

        A waiter waits on a bare future of the loop, not an ``anyio.Event`` (an event,
        its lock-free wait and its wake-up cost ~3x as much; half the workers of a
        crawl wait here for the global slots at zero latency). A cancelled waiter's
        future is cancelled with it (anyio cancels the task), so no slot goes to it."""
        if self.take():
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            await turn
        except BaseException:
            if turn.done() and not turn.cancelled():
                self.release()  # handed a slot, then cancelled: it goes to the next
            elif turn in self._waiting:
                self._waiting.remove(turn)
            raise

    def take(self) -> bool:
        """Take a free slot now if there is one nobody waits for (no await at all)."""
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return True
        return False

    def release(self) -> None:
        """Give a slot back: to the first waiter still waiting, or to the free ones."""
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        self.release()


@dataclasses.dataclass
class _Host:
    slots: Slots
    pace: HostPace
    next_start: float = 0.0
    last_start: float = float("-inf")
    paused_until: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0


@dataclasses.dataclass
class Ticket:
    """A granted slot; the holder may say what the answer was, for the host's figures
    and its adaptive pace (``status`` ``None``: no HTTP status; ``retry``: a retry)."""

    status: int | None = None
    retry: bool = False


class _Slot:
    """One request's slot at a host: the host's, then the global one (see
    :meth:`HostLimiter.slot`). A class, not a generator context manager: it is entered
    once per request, and a free slot is then taken without a trip through the loop."""

    __slots__ = ("_limiter", "_state", "_ticket", "_started")

    def __init__(self, limiter: HostLimiter, state: _Host) -> None:
        self._limiter = limiter
        self._state = state

    async def __aenter__(self) -> Ticket:
        limiter, state = self._limiter, self._state
        if not state.slots.take():
            await state.slots.acquire()
        try:
            now = limiter._clock()
            interval = state.pace.interval
            if now >= max(state.next_start, state.paused_until, state.last_start + interval):
                state.next_start = now + interval  # what _turn does when nothing is to wait
            else:
                await limiter._turn(state)
                now = limiter._clock()
            state.last_start = now  # no await since the checks
            if not limiter._global.take():
                await limiter._global.acquire()
        except BaseException:
            state.slots.release()
            raise
        state.in_flight += 1
        self._started = started = limiter._clock()
        state.pace.started(started)
        state.max_in_flight = max(state.max_in_flight, state.in_flight)
        limiter._in_flight_total += 1
        limiter.max_in_flight_total = max(limiter.max_in_flight_total, limiter._in_flight_total)
        self._ticket = ticket = Ticket()
        return ticket

    async def __aexit__(self, *exc_info: object) -> None:
        limiter, state, ticket = self._limiter, self._state, self._ticket
        state.in_flight -= 1
        limiter._in_flight_total -= 1
        state.pace.answered(limiter._clock() - self._started, ticket.status, ticket.retry)
        limiter._global.release()
        state.slots.release()


class HostLimiter:
    """Hands out request slots per host; also enforces one global concurrency limit.

    ``host_limits(host) -> (concurrency, interval_seconds)`` is consulted once per host.
    ``clock`` (monotonic seconds) and ``sleep`` are injectable, so tests run in
    virtual time.
    The host slot is taken before the global one, so a request waiting for a busy host
    never holds a global slot that another host could use.
    """

    def __init__(
        self,
        *,
        concurrency: int,
        host_limits: t.Callable[[str], tuple[int, float]],
        clock: t.Callable[[], float] = timing.monotonic,
        sleep: t.Callable[[float], t.Awaitable[None]] = timing.sleep,
        adaptive: bool = False,
        fastest: float = 0.0,
    ) -> None:
        self._global = Slots(max(1, concurrency))
        self._adaptive = adaptive
        self._fastest = fastest
        self._host_limits = host_limits
        self._hosts: dict[str, _Host] = {}
        self._clock = clock
        self._sleep = sleep
        self.max_in_flight_total = 0
        self._in_flight_total = 0

    def _host(self, host: str) -> _Host:
        key = host.lower()
        state = self._hosts.get(key)
        if state is None:
            concurrency, interval = self._host_limits(key)
            interval = max(0.0, interval)
            pace = HostPace(interval, interval, min(interval, self._fastest), self._adaptive)
            state = _Host(Slots(max(1, concurrency)), pace)
            self._hosts[key] = state
        return state

    def slot(self, host: str) -> _Slot:
        """Wait for a free slot at ``host`` (and globally), respecting interval and backoff.

        ``async with limiter.slot(host) as ticket``: a :class:`Ticket`; the time inside
        the block is the answer's latency.
        """
        return _Slot(self, self._host(host))

    async def _turn(self, state: _Host) -> None:
        """Wait until ``state``'s host may start a request (its interval, its pause)."""
        while True:
            # Reserve a start time with no await between reading and writing next_start,
            # so two waiters never get the same start (one event-loop thread).
            now = self._clock()
            start = max(now, state.next_start, state.paused_until)
            state.next_start = start + state.pace.interval
            if start > now:
                await self._sleep(start - now)
                if self._clock() < state.paused_until:
                    continue  # a backoff arrived while we slept: wait for it too
            # Spaced by when requests really start: one woken late (a busy event
            # loop) must not bring the next one closer than the interval.
            while (gap := state.last_start + state.pace.interval - self._clock()) > 0:
                await self._sleep(gap)
            if self._clock() >= state.paused_until:
                return

    def back_off(self, host: str, seconds: float) -> None:
        """Pause every new request to ``host`` for ``seconds`` (never shortens a pause)."""
        state = self._host(host)
        state.paused_until = max(state.paused_until, self._clock() + max(0.0, seconds))

    def paused_for(self, host: str) -> float:
        """Seconds until ``host`` may be asked again (0 when not paused)."""
        state = self._hosts.get(host.lower())
        return max(0.0, state.paused_until - self._clock()) if state else 0.0

    def stats(self) -> dict[str, dict[str, int | float]]:
        """Per host: ``max_in_flight`` and the figures of :meth:`HostPace.figures`."""
        return {
            host: {**s.pace.figures(), "max_in_flight": s.max_in_flight}
            for host, s in sorted(self._hosts.items())
        }
