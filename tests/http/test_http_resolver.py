"""Each host is resolved once per run; its answer or failure is shared by all its URLs.

The resolver is injected (a fake lookup that counts, fails or never answers); the
stall rule's wait goes through an injected sleep, so nothing here waits for real
beyond a few milliseconds. No test reads a clock: "at once" is shown by what was waited
for (the injected sleeps, real sleeps run to their end, lookups answered late).
"""

from __future__ import annotations

import socket
import typing as t

import anyio
import pytest
from click.testing import CliRunner

from tests.conftest import FastForward
from validator.cli import main
from validator.http import CrawlSettings, HostLimiter
from validator.http.errors import ResolverError, UnknownHostError
from validator.http.resolver import HostResolver, per_run
from validator.links import check_links, refs_from_text


class FakeLookup:
    """Counts lookups per host; answers, fails with ``error`` or hangs for ``hang``."""

    def __init__(
        self, *, error: int | None = None, hang: t.Container[str] = (), ip: str = "93.184.216.34"
    ) -> None:
        self.error = error
        self.hang = hang
        self.ip = ip
        self.calls: dict[str, int] = {}

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls[host] = self.calls.get(host, 0) + 1
        await anyio.lowlevel.checkpoint()
        if host in self.hang:
            await anyio.sleep_forever()
        if self.error is not None:
            raise socket.gaierror(self.error, "Temporary failure in name resolution")
        return [self.ip]


async def instant(_seconds: float) -> None:
    await anyio.lowlevel.checkpoint()


def test_concurrent_lookups_of_one_host_share_one_answer() -> None:
    lookup = FakeLookup()
    resolver = HostResolver(lookup)
    answers: list[list[str]] = []

    async def run() -> None:
        async def one(host: str) -> None:
            answers.append(await resolver(host, 443))

        async with anyio.create_task_group() as group:
            for host in ["Example.org", "example.org", "example.org.", "example.org"] * 5:
                group.start_soon(one, host)

    anyio.run(run)
    assert lookup.calls == {"Example.org": 1}
    assert answers == [["93.184.216.34"]] * 20
    assert resolver.lookups == 1


def test_a_failure_is_asked_once_shared_and_not_retryable() -> None:
    lookup = FakeLookup(error=socket.EAI_AGAIN)
    resolver = HostResolver(lookup)

    async def run() -> list[BaseException]:
        errors = []
        for _ in range(5):
            try:
                await resolver("huggingface.co", 443)
            except ResolverError as exc:
                errors.append(exc)
        return errors

    errors = anyio.run(run)
    assert lookup.calls == {"huggingface.co": 1}
    assert len(errors) == 5 and len({id(e) for e in errors}) == 5  # fresh error per caller
    assert all(not e.retryable and e.network_level for e in errors)  # type: ignore[attr-defined]
    failure = resolver.failure("HuggingFace.co")
    assert isinstance(failure, ResolverError)
    assert "Temporary failure in name resolution" in str(failure)
    assert resolver.failure("github.com") is None  # never looked up


def test_an_unknown_name_stays_an_unknown_host() -> None:
    resolver = HostResolver(FakeLookup(error=socket.EAI_NONAME))

    async def run() -> None:
        await resolver("gone.example", 443)

    with pytest.raises(UnknownHostError):
        anyio.run(run)


def test_a_resolver_that_answers_nothing_is_given_up_on_for_every_host() -> None:
    hosts = ["a.example", "b.example", "c.example", "d.example"]
    lookup = FakeLookup(hang=hosts)
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)
        await anyio.lowlevel.checkpoint()

    resolver = HostResolver(lookup, timeout=30.0, sleep=sleep)
    errors: dict[str, str] = {}

    async def run() -> None:
        async def one(host: str) -> None:
            try:
                await resolver(host, 443)
            except ResolverError as exc:
                errors[host] = str(exc)

        async with anyio.create_task_group() as group:
            for host in hosts:
                group.start_soon(one, host)

    anyio.run(run)
    # given up after the stall wait on the injected clock (1 s), not the 30 s timeout
    # (real time: the lookups would fail with "no answer within 30.0 s")
    assert resolver.stalled and 1.0 in waited
    assert set(errors) == set(hosts)
    assert "the resolver answered none of 3 or more lookups" in errors["a.example"]
    assert lookup.calls == dict.fromkeys(hosts, 1)


def test_one_slow_name_is_not_a_stalled_resolver() -> None:
    # Another host answered: the resolver works, so the slow one gets its full timeout.
    lookup = FakeLookup(hang={"slow.example", "slow2.example", "slow3.example"})
    resolver = HostResolver(lookup, timeout=0.02, sleep=instant)
    outcome: dict[str, str] = {}

    async def run() -> None:
        outcome["fast.example"] = ",".join(await resolver("fast.example", 443))

        async def one(host: str) -> None:
            try:
                await resolver(host, 443)
            except ResolverError as exc:
                outcome[host] = str(exc)

        async with anyio.create_task_group() as group:
            for host in ("slow.example", "slow2.example", "slow3.example"):
                group.start_soon(one, host)

    anyio.run(run)
    assert not resolver.stalled
    assert outcome["fast.example"] == "93.184.216.34"
    assert outcome["slow.example"] == "cannot resolve slow.example: no answer within 0.02 s"


class OfflineLookup:
    """A resolver without an upstream: most names fail at once, ``slow`` ones never answer
    (on a real runner they fail too, after the resolver's own 5 s retry), or fail only
    after ``slow_answer`` seconds of real time, noted in ``late``."""

    def __init__(
        self,
        slow: t.Container[str],
        *,
        resolves: t.Container[str] = (),
        slow_answer: float | None = None,
    ) -> None:
        self.slow = slow
        self.resolves = resolves
        self.slow_answer = slow_answer
        self.calls: dict[str, int] = {}
        self.late: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls[host] = self.calls.get(host, 0) + 1
        await anyio.lowlevel.checkpoint()
        if host in self.slow:
            if self.slow_answer is None:
                await anyio.sleep_forever()
            await anyio.sleep(self.slow_answer)
            self.late.append(host)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        if host in self.resolves:
            return ["93.184.216.34"]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def _resolve_all(resolver: HostResolver, hosts: t.Iterable[str]) -> dict[str, str]:
    """Each host's addresses, or its error's message, all looked up at once."""
    outcome: dict[str, str] = {}

    async def run() -> None:
        async def one(host: str) -> None:
            try:
                outcome[host] = ",".join(await resolver(host, 443))
            except (ResolverError, UnknownHostError) as exc:
                outcome[host] = str(exc)

        async with anyio.create_task_group() as group:
            for host in hosts:
                group.start_soon(one, host)

    anyio.run(run)
    return outcome


def test_a_resolver_that_fails_every_name_is_not_waited_for_on_its_slow_ones() -> None:
    """The runner of the issue: NXDOMAIN at once for most names, 5 s for a few."""
    fast = ["a.example", "b.example", "c.example", "d.example"]
    slow = ["www.slow.example", "www.slower.example"]
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)
        await anyio.lowlevel.checkpoint()

    resolver = HostResolver(OfflineLookup(slow), timeout=5.0, sleep=sleep)
    outcome = _resolve_all(resolver, fast + slow)
    assert resolver.outage() and not resolver.stalled
    assert 0.5 in waited  # the pending lookups were given 0.5 s on the injected clock
    assert outcome["a.example"] == "unknown host a.example (Name or service not known)"
    assert outcome["www.slow.example"] == (
        "cannot resolve www.slow.example: no answer within 0.5 s, "
        "and 4 of 6 lookups failed with not one name resolved"
    )  # not the 5 s timeout (real time)
    failure = resolver.failure("www.slower.example")
    assert isinstance(failure, ResolverError) and failure.network_level


def test_one_resolved_name_keeps_the_slow_ones_waiting_for_their_answer() -> None:
    # A dead domain or three among live ones: the resolver works, so nothing is given
    # up early and each host is judged on its own answer.
    lookup = OfflineLookup({"www.slow.example"}, resolves={"live.example"})
    resolver = HostResolver(lookup, timeout=0.05, sleep=instant)
    assert _resolve_all(resolver, ["live.example"]) == {"live.example": "93.184.216.34"}
    outcome = _resolve_all(resolver, ["a.example", "b.example", "c.example", "www.slow.example"])
    assert not resolver.outage()
    assert outcome["a.example"] == "unknown host a.example (Name or service not known)"
    assert outcome["www.slow.example"] == "cannot resolve www.slow.example: no answer within 0.05 s"


def test_too_few_failures_are_no_outage() -> None:
    # Two names gone and nothing resolved yet: not enough to call the resolver cut off.
    lookup = OfflineLookup({"www.slow.example"})
    resolver = HostResolver(lookup, timeout=0.05, sleep=instant)
    outcome = _resolve_all(resolver, ["a.example", "b.example", "www.slow.example"])
    assert outcome["www.slow.example"] == "cannot resolve www.slow.example: no answer within 0.05 s"


def _bundled_like_urls() -> list[str]:
    """101 URLs over 19 hosts, 41 of them on one host, like the bundled catalog."""
    urls = [f"https://huggingface.co/org/model-{i}" for i in range(41)]
    urls += [f"https://github.com/org/repo-{i}" for i in range(25)]
    urls += [f"https://arxiv.org/abs/2305.{i:05d}" for i in range(9)]
    urls += [f"https://host{i % 16}.example/page{i}" for i in range(26)]
    return urls


def test_crawl_asks_each_host_once_and_takes_no_request_slot_when_dns_fails() -> None:
    urls = _bundled_like_urls()
    assert len(urls) == 101
    lookup = FakeLookup(error=socket.EAI_AGAIN)
    # Real defaults: 3 retries from 1 s, 50 ms between requests to one host.
    settings = per_run(CrawlSettings(no_cache=True, resolver=lookup))
    limiter = HostLimiter(concurrency=settings.concurrency, host_limits=settings.host_limits)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    outcome = anyio.run(
        lambda: check_links(
            refs_from_text("\n".join(urls), "t.txt"), settings, limiter=limiter, sleep=sleep
        )
    )
    assert set(lookup.calls.values()) == {1}  # once per host
    assert len(lookup.calls) == 19
    assert slept == []  # no backoff: the run's answer for the host is final
    assert all(stats["requests"] == 0 for stats in limiter.stats().values())
    assert outcome.network_unavailable is not None
    assert "none of the 19 hosts could be reached" in outcome.network_unavailable


def test_validate_online_without_dns_reports_network_unavailable_fast(
    monkeypatch: pytest.MonkeyPatch, fast_forward: FastForward
) -> None:
    """The issue's measurement: the bundled catalog, no working resolver, real settings.

    Fast means waiting for nothing (1.3 s on a quiet machine, all of it work: README
    "Speed"): no wait on the tool's clock (retries, back-off, host intervals: the
    per-URL waits this replaced took 25 s) and no real sleep (the resolver's stall and
    outage watchers) run to its end."""
    lookup = FakeLookup(error=socket.EAI_AGAIN)
    monkeypatch.setattr("validator.http.backend.system_resolver", lookup)
    real_sleep = anyio.sleep
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        await real_sleep(seconds)
        slept.append(seconds)

    monkeypatch.setattr(anyio, "sleep", sleep)
    result = CliRunner().invoke(main, ["validate", "--online"])
    assert result.exit_code == 3, result.output
    assert "Network unavailable" in result.stderr
    assert set(lookup.calls.values()) == {1}, lookup.calls  # crawl and Hub share the answer
    assert "huggingface.co" in lookup.calls
    assert fast_forward.waits == []
    assert [s for s in slept if s > 0] == []


def test_links_on_a_runner_whose_resolver_fails_every_name_exits_3_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The issue's measurement with this machine's resolver: `validator links` on the
    bundled catalog, most names NXDOMAIN at once and the ``www.`` ones never answering."""
    from validator.http import resolver

    slow = {"www.databricks.com", "www.mosaicml.com", "www.together.xyz", "www.llama.com"}
    # The slow names would fail after 5 s (the connect timeout, which bounds a lookup,
    # is 10 s): they must be given up on long before, once every other name has failed.
    lookup = OfflineLookup(slow, slow_answer=5.0)
    monkeypatch.setattr("validator.http.backend.system_resolver", lookup)
    # real time, as the lookups are (raising=False: main had no such setting)
    monkeypatch.setattr(resolver, "OUTAGE_AFTER", 0.01, raising=False)
    result = CliRunner().invoke(main, ["links", "--no-cache"])
    assert result.exit_code == 3, result.output
    assert "Network unavailable: none of the" in result.stderr
    assert slow <= set(lookup.calls)  # the slow names were asked
    assert lookup.late == []  # and not waited for
