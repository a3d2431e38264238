"""HostLimiter: the per-host cap, the global cap, and host-wide backoff.

Waiting runs on a virtual clock (:class:`VirtualTime`): a test that needs 30 s of
backoff takes none, and every wait is recorded per host, so a pause that leaks to
another host fails a test instead of going unnoticed.
"""

from __future__ import annotations

import anyio
import anyio.lowlevel
import pytest

from validator.http import HostLimiter


class VirtualTime:
    """A monotonic clock that only sleeping moves; every sleep is recorded.

    A sleeper waits until the clock reaches its wake-up time; the clock jumps to the
    earliest wake-up once the sleeper whose turn it is finds itself first, so
    concurrent sleeps overlap as they would in real time.
    """

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._wakeups: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        wake = self.now + seconds
        self._wakeups.append(wake)
        try:
            await anyio.lowlevel.checkpoint()  # let every runnable task have a turn first
            while self.now < wake:
                if wake <= min(self._wakeups):
                    self.now = wake
                await anyio.lowlevel.checkpoint()
        finally:
            self._wakeups.remove(wake)


def limiter(
    time: VirtualTime, concurrency: int = 10, host: tuple[int, float] = (5, 0.0)
) -> HostLimiter:
    return HostLimiter(
        concurrency=concurrency,
        host_limits=lambda _host: host,
        clock=time.clock,
        sleep=time.sleep,
    )


def test_per_host_and_global_caps() -> None:
    time = VirtualTime()
    lim = limiter(time, concurrency=3, host=(2, 0.0))
    current: dict[str, int] = {}
    peak: dict[str, int] = {}

    async def one(host: str) -> None:
        async with lim.slot(host):
            current[host] = current.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), current[host])
            for _ in range(3):
                await anyio.lowlevel.checkpoint()
            current[host] -= 1

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for i in range(30):
                tg.start_soon(one, f"h{i % 3}")

    anyio.run(main)
    assert max(peak.values()) <= 2
    assert lim.max_in_flight_total == 3
    assert lim.stats()["h0"]["requests"] == 10
    assert time.sleeps == []  # no interval, no backoff: nobody waited


def test_back_off_pauses_that_host_only() -> None:
    time = VirtualTime()
    lim = limiter(time)
    waited: dict[str, float] = {}

    async def ask(host: str) -> None:
        before = time.now
        async with lim.slot(host):
            waited[host] = time.now - before

    async def main() -> None:
        lim.back_off("slow.example", 30.0)
        await ask("other.example")  # asked first: a leaked pause would show here
        await ask("slow.example")
        await ask("SLOW.example")  # the pause is over; host names are case-blind

    anyio.run(main)
    assert waited == {"other.example": 0.0, "slow.example": 30.0, "SLOW.example": 0.0}
    assert time.sleeps == [30.0]


def test_a_pause_never_shortens_and_paused_for_reports_it() -> None:
    time = VirtualTime()
    lim = limiter(time)
    lim.back_off("a.example", 10.0)
    lim.back_off("a.example", 2.0)
    assert lim.paused_for("a.example") == 10.0
    assert lim.paused_for("b.example") == 0.0


def test_interval_spaces_starts_per_host_not_across_hosts() -> None:
    time = VirtualTime()
    lim = limiter(time, host=(5, 0.5))

    async def ask(host: str) -> None:
        async with lim.slot(host):
            pass

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for host in ("a.example", "a.example", "a.example", "b.example"):
                tg.start_soon(ask, host)

    anyio.run(main)
    # The 2nd and 3rd request to a.example wait 0.5 s and 1 s; b.example never waits
    # (an interval shared across hosts would make it wait 1.5 s).
    assert sorted(time.sleeps) == [0.5, 1.0]


def test_a_backoff_arriving_during_an_interval_wait_is_honoured() -> None:
    time = VirtualTime()
    lim = limiter(time, host=(5, 1.0))
    started: list[float] = []

    async def ask() -> None:
        async with lim.slot("h.example"):
            started.append(time.now)
            lim.back_off("h.example", 5.0)  # e.g. a 429 with Retry-After: 5

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(ask)
            tg.start_soon(ask)

    anyio.run(main)
    assert started[0] == 1000.0
    assert started[1] >= 1005.0


def test_a_request_woken_late_does_not_bring_the_next_one_closer() -> None:
    # A busy event loop wakes the second request 0.8 s after its planned start; the
    # third, planned one interval after the second, must still wait a full interval
    # after the second really started, not go 0.2 s after it.
    time = VirtualTime()
    lim = limiter(time, host=(5, 1.0))
    plain_sleep = time.sleep
    late = [0.8]

    async def busy_loop_sleep(seconds: float) -> None:
        await plain_sleep(seconds + (late.pop() if late and seconds == 1.0 else 0.0))

    lim._sleep = busy_loop_sleep
    started: list[float] = []

    async def ask() -> None:
        async with lim.slot("h.example"):
            started.append(time.now)

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(3):
                tg.start_soon(ask)

    anyio.run(main)
    assert started[0] == 1000.0 and not late  # the second request did wake late
    assert started[2] >= 1001.8 + 1.0


def test_host_cap_reached_exactly() -> None:
    time = VirtualTime()
    lim = limiter(time, concurrency=50, host=(4, 0.0))

    async def one() -> None:
        async with lim.slot("busy.example"):
            for _ in range(3):
                await anyio.lowlevel.checkpoint()

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(one)

    anyio.run(main)
    assert lim.stats()["busy.example"]["max_in_flight"] == 4


@pytest.mark.parametrize("handed_first", [False, True])
def test_slots_first_come_first_served_and_a_cancelled_waiter_passes_its_turn(
    handed_first: bool,
) -> None:
    from validator.http.limiter import Slots

    slots = Slots(1)
    order: list[str] = []
    scopes: list[anyio.CancelScope] = []

    async def take(name: str) -> None:
        async with slots:
            order.append(name)
            await anyio.lowlevel.checkpoint()

    async def b() -> None:
        with anyio.CancelScope() as scope:
            scopes.append(scope)
            await take("b")

    async def main() -> None:
        await slots.acquire()  # the only slot is held: everyone below waits
        async with anyio.create_task_group() as tg:
            for task in (b, lambda: take("c"), lambda: take("d")):
                tg.start_soon(task)
                await anyio.lowlevel.checkpoint()
            if handed_first:
                slots.release()  # b's turn, but b is cancelled before it runs
                scopes[0].cancel()
            else:
                scopes[0].cancel()  # b gives up while waiting
                await anyio.lowlevel.checkpoint()
                slots.release()
        await take("e")  # every slot came back

    anyio.run(main)
    # handed its turn first, b may still get in before the cancel lands; never after c
    assert order == (["c", "d", "e"] if not handed_first else order[:-3] + ["c", "d", "e"])
    assert order[:-3] in ([], ["b"])
