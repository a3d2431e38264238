"""A time limit on one request, at a fifth of the cost of an anyio cancel scope.

The crawler bounds every request by what is left of its URL's time budget. An
``anyio.move_on_after`` scope did that for ~20 us of CPU per request (task-state
bookkeeping, a weak-keyed lookup, the parent scope's sets, a timer), a tenth of a
request at zero latency. :class:`Deadline` does what ``asyncio.timeout`` does, without
its coroutine methods: one timer on the loop; when it fires the task is cancelled, and
on the way out that one cancellation is taken back (``Task.uncancel``) and swallowed,
so the block ends quietly and :attr:`Deadline.expired` tells why. Any other
cancellation (an anyio scope around the crawl, Ctrl-C) is never swallowed: its
request is still counted on the task, so the ``CancelledError`` goes on up, as it
does out of ``asyncio.timeout`` (anyio >= 4 keeps its scopes right when a native
cancellation crosses them). Asyncio only, like the crawl's HTTP client.
"""

from __future__ import annotations

import asyncio
import types


class Deadline:
    """``with Deadline(seconds) as limit:`` the block is cancelled after ``seconds``
    (real time); it then ends without an error and ``limit.expired`` is true."""

    __slots__ = ("_cancelling", "_handle", "_seconds", "_task", "expired")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self.expired = False

    def __enter__(self) -> Deadline:
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("Deadline needs a running asyncio task")
        self._task = task
        self._cancelling = task.cancelling()
        self._handle = task.get_loop().call_later(self._seconds, self._expire)
        return self

    def _expire(self) -> None:
        self.expired = True
        self._task.cancel()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> bool:
        self._handle.cancel()
        if not self.expired:
            return False
        # Our cancellation, and no one else's since we entered: it ends here.
        ours = self._task.uncancel() <= self._cancelling
        return ours and exc_type is not None and issubclass(exc_type, asyncio.CancelledError)


__all__ = ["Deadline"]
