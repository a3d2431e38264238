"""A time limit on one request, at a twentieth of the cost of an anyio cancel scope.

The crawler bounds every request by what is left of its URL's time budget. An
``anyio.move_on_after`` scope did that for ~20 us of CPU per request (task-state
bookkeeping, a weak-keyed lookup, the parent scope's sets, a timer), a tenth of a
request at zero latency. A :class:`Deadline` does what ``asyncio.timeout`` does,
without its coroutine methods: when its time is up its task is cancelled, and on the
way out that one cancellation is taken back (``Task.uncancel``) and swallowed, so the
block ends quietly and :attr:`Deadline.expired` tells why. Any other cancellation (an
anyio scope around the crawl, Ctrl-C) is never swallowed: its request is still
counted on the task, so the ``CancelledError`` goes on up, as it does out of
``asyncio.timeout`` (anyio >= 4 keeps its scopes right when a native cancellation
crosses them). Asyncio only, like the crawl's HTTP client.

Timers are shared: the deadlines of one :class:`Deadlines` that end in the same
slice of :data:`RESOLUTION` seconds are fired together by one timer at the slice's
end, so a deadline fires up to that much late, never early (a timer of its own per
request was ~5 us: a handle in the loop's heap, cancelled again almost always).
"""

from __future__ import annotations

import asyncio
import math
import types

RESOLUTION = 0.01
"""Seconds: how late a deadline may fire."""


class Deadlines:
    """The deadlines of one crawl: ``with deadlines.within(seconds) as limit:``."""

    def __init__(self, resolution: float = RESOLUTION) -> None:
        self._resolution = resolution
        self._slices: dict[int, set[Deadline]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def within(self, seconds: float) -> Deadline:
        """A limit of ``seconds`` (real time) on the block it is entered for."""
        return Deadline(self, seconds)

    def _join(self, limit: Deadline, loop: asyncio.AbstractEventLoop, at: float) -> set[Deadline]:
        if loop is not self._loop:  # a new event loop: the old one's timers are gone
            self._loop, self._slices = loop, {}
        tick = math.ceil(at / self._resolution)
        members = self._slices.get(tick)
        if members is None:
            members = self._slices[tick] = set()
            loop.call_at(tick * self._resolution, self._fire, tick)
        members.add(limit)
        return members

    def _fire(self, tick: int) -> None:
        for deadline in self._slices.pop(tick, ()):
            deadline.expire()


class Deadline:
    """One limit (see :meth:`Deadlines.within`); after the block, :attr:`expired`
    says whether it cut the block short."""

    __slots__ = ("_cancelling", "_members", "_owner", "_seconds", "_task", "expired")

    def __init__(self, owner: Deadlines, seconds: float) -> None:
        self._owner = owner
        self._seconds = seconds
        self.expired = False

    def __enter__(self) -> Deadline:
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("Deadline needs a running asyncio task")
        self._task = task
        self._cancelling = task.cancelling()
        loop = task.get_loop()
        self._members = self._owner._join(self, loop, loop.time() + self._seconds)
        return self

    def expire(self) -> None:
        """Time is up: cancel the block (its task, until the block is left)."""
        self.expired = True
        self._task.cancel()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> bool:
        self._members.discard(self)
        if not self.expired:
            return False
        # Our cancellation, and no one else's since we entered: it ends here.
        ours = self._task.uncancel() <= self._cancelling
        return ours and exc_type is not None and issubclass(exc_type, asyncio.CancelledError)


__all__ = ["RESOLUTION", "Deadline", "Deadlines"]
