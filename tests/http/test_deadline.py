"""validator.http.deadline: a request's time limit, and every other cancellation kept."""

from __future__ import annotations

import asyncio

import anyio
import pytest

from validator.http.deadline import Deadline, Deadlines

SHORT = 0.002


async def _forever() -> None:
    """Waits until cancelled; a Deadline that never fires fails the test, not hangs it."""
    with anyio.fail_after(5):
        await asyncio.get_running_loop().create_future()


def test_a_block_past_its_deadline_ends_quietly_and_says_so() -> None:
    async def main() -> tuple[bool, bool]:
        with Deadlines().within(SHORT) as limit:
            await _forever()
        await asyncio.sleep(0)  # no cancellation is left pending on the task
        return limit.expired, asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]

    assert anyio.run(main) == (True, True)


def test_a_block_within_its_deadline_is_untouched() -> None:
    async def main() -> tuple[bool, int]:
        with Deadlines().within(60) as limit:
            await asyncio.sleep(0)
            value = 7
        await asyncio.sleep(SHORT * 2)  # its timer is gone: nothing fires later
        return limit.expired, value

    assert anyio.run(main) == (False, 7)


def test_an_error_inside_goes_through() -> None:
    async def main() -> None:
        with Deadlines().within(60):
            raise LookupError("inner")

    with pytest.raises(LookupError):
        anyio.run(main)


@pytest.mark.parametrize("also_expired", [False, True])
def test_an_outer_cancellation_is_never_swallowed(also_expired: bool) -> None:
    reached: list[str] = []
    limits: list[Deadline] = []

    async def main() -> None:
        with anyio.CancelScope() as scope:
            # a limit of 0 fires on the loop's next turn, with the scope's cancellation
            with Deadlines(resolution=1e-9).within(0 if also_expired else 60) as limit:
                limits.append(limit)
                scope.cancel()  # the crawl is cancelled while the request waits
                await _forever()
            reached.append("after the block")  # must not run: the scope's cancel goes on
        reached.append("after the scope")

    anyio.run(main)
    assert reached == ["after the scope"]
    assert limits[0].expired is also_expired


def test_an_anyio_deadline_inside_keeps_its_own_meaning() -> None:
    async def main() -> tuple[bool, bool]:
        with Deadlines().within(60) as limit:
            with anyio.move_on_after(SHORT) as inner:
                await _forever()
        return limit.expired, inner.cancelled_caught

    assert anyio.run(main) == (False, True)


def test_expiring_inside_an_anyio_timeout_is_ours_not_its() -> None:
    async def main() -> bool:
        with Deadlines().within(SHORT) as limit:
            with anyio.fail_after(60):  # a connect timeout inside the request
                await _forever()
        return limit.expired

    assert anyio.run(main) is True


def test_deadlines_in_one_slice_share_a_timer_and_each_ends_its_own_block() -> None:
    deadlines = Deadlines(resolution=0.05)
    ended: list[tuple[str, bool]] = []

    async def request(name: str, wait: bool) -> None:
        with deadlines.within(SHORT) as limit:
            if wait:
                await _forever()
        ended.append((name, limit.expired))

    async def main() -> int:
        loop = asyncio.get_running_loop()
        async with anyio.create_task_group() as tg:
            for name, wait in (("a", True), ("b", False), ("c", True)):
                tg.start_soon(request, name, wait)
            await asyncio.sleep(0)
            scheduled = loop._scheduled  # type: ignore[attr-defined]
            return sum(h._callback == deadlines._fire for h in scheduled)

    assert anyio.run(main) == 1  # one timer for the three
    assert sorted(ended) == [("a", True), ("b", False), ("c", True)]


def test_deadlines_outlive_an_event_loop() -> None:
    deadlines = Deadlines()

    async def main() -> bool:
        with deadlines.within(SHORT) as limit:
            await _forever()
        return limit.expired

    assert anyio.run(main) and anyio.run(main)  # the second loop gets timers of its own
