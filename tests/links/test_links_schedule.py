"""The order of work: busiest host first, known trouble first, HEAD dropped where it lies."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import anyio
from anyio.lowlevel import checkpoint

from tests.links.linkserver import Server
from validator.http import Cache, CrawlSettings, LinkRecord, build_client
from validator.links import check_links, refs_from_text
from validator.links.crawl import Crawler, Probe
from validator.links.methods import HeadPolicy
from validator.links.queues import crawl
from validator.links.schedule import HANG, PLAIN, RETRIED, SLOW, Dispatcher, plan, priority


def record(url: str, verdict: str = "ok", **result: object) -> LinkRecord:
    return LinkRecord(url=url, verdict=verdict, result={"verdict": verdict, **result}, checked_at=0)


def test_priority_from_the_last_check() -> None:
    assert priority(None) == PLAIN
    assert priority(record("u", "timeout")) == HANG
    assert priority(record("u", attempts=2, redirects=[])) == RETRIED
    assert priority(record("u", attempts=2, redirects=[{"status": 301, "url": "v"}])) == PLAIN
    assert priority(record("u", attempts=1, elapsed_ms=5000)) == SLOW
    assert priority(record("u", attempts=1, elapsed_ms=100)) == PLAIN


def test_plan_puts_the_busiest_host_first_and_known_trouble_first() -> None:
    urls = ["http://a/1", "http://b/1", "http://b/2", "http://b/3", "http://a/2", "http://b/4"]
    history = {
        "http://b/3": record("http://b/3", "timeout"),
        "http://b/4": record("http://b/4", attempts=3),
        "http://a/2": record("http://a/2", attempts=6),
    }
    queues = plan(urls, history)
    # a: 1 + 6 expected requests; b: 1 + 1 + 1 (the timeout) + 3, though it has more URLs
    assert [(q.host, q.work) for q in queues] == [("a", 7), ("b", 6)]
    b = queues[1]
    assert list(reversed(b.urls)) == ["http://b/3", "http://b/4", "http://b/1", "http://b/2"]


def test_dispatcher_hands_every_url_once_and_caps_workers_per_host() -> None:
    urls = [f"http://h{i % 3}/{i}" for i in range(30)]
    dispatcher = Dispatcher(plan(urls, {}), lambda host: 2)
    handed: list[str] = []
    workers: list[object] = [None] * 10
    busy = True
    while busy:
        busy = False
        for n, queue in enumerate(workers):
            job = dispatcher.take(queue)  # type: ignore[arg-type]
            if job is None:
                continue
            busy = True
            workers[n] = job[0]
            handed.append(job[1])
            assert job[0].workers <= 2
    assert sorted(handed) == sorted(urls)


def test_follow_up_waits_for_its_hosts_last_url_unless_the_host_would_idle() -> None:
    async def main() -> None:
        urls = ["http://a/1", "http://a/2", "http://a/3", "http://a/4"]
        dispatcher = Dispatcher(plan(urls, {}), lambda host: 4, lambda host: 1)
        first = dispatcher.take(None)
        second = dispatcher.take(None)
        assert first is not None and second is not None
        with anyio.fail_after(1):
            await dispatcher.follow_up(first[1], "b")  # a hop to another host: no wait
        done: list[str] = []

        async def follow(url: str) -> None:
            await dispatcher.follow_up(url, "a")
            done.append(url)

        async with anyio.create_task_group() as tg:
            tg.start_soon(follow, first[1])
            for _ in range(5):
                await checkpoint()
            assert done == []  # the second worker still starts URLs: this one waits
            # Were the second worker to hold a follow-up back too, nobody would start
            # the host's URLs: it goes at once.
            with anyio.fail_after(1):
                await dispatcher.follow_up(second[1], "a")
            assert dispatcher.take(second[0]) is not None
            for _ in range(5):
                await checkpoint()
            assert done == []  # one URL left to start
            assert dispatcher.take(second[0]) is not None
        assert done == [first[1]]  # the host's last URL was handed out: the wait ends

    anyio.run(main)


def test_a_host_holding_follow_ups_back_takes_at_most_twice_its_workers() -> None:
    async def main() -> None:
        urls = [f"http://a/{i}" for i in range(20)] + ["http://b/1"]
        dispatcher = Dispatcher(plan(urls, {}), lambda host: 2, lambda host: 1)
        starter = dispatcher.take(None)
        assert starter is not None and starter[0].host == "a"
        async with anyio.create_task_group() as tg:
            for _ in range(3):  # each holds a follow-up back: a takes another worker
                job = dispatcher.take(None)
                assert job is not None and job[0].host == "a"
                tg.start_soon(dispatcher.follow_up, job[1], "a")
                await checkpoint()
            assert starter[0].workers == 4 and starter[0].parked == 3
            # One worker starting a's URLs, three holding back: a has twice its two
            # workers, so the next goes to b, though only one of a's starts URLs.
            job = dispatcher.take(None)
            assert job is not None and job[0].host == "b"
            while dispatcher.take(starter[0]) is not None:
                pass  # a drained: the follow-ups go
        assert starter[0].parked == 0

    anyio.run(main)


def test_follow_ups_go_after_the_hosts_first_requests(server: Server, fast: CrawlSettings) -> None:
    # Two slots, four workers: two may hold a follow-up back while two start URLs.
    settings = dataclasses.replace(fast, host_concurrency=2)
    urls = [server.url(1, "/r302?fu=0"), server.url(1, "/flaky?fu=1")]
    urls += [server.url(1, f"/ok?fu={i}") for i in range(2, 14)]
    start = len(server.methods)
    probes, _stats = anyio.run(lambda: crawl(urls, settings))
    assert {p.result.verdict.value for p in probes.values()} == {"ok"}
    paths = [p for _m, _h, p in server.methods[start:]]
    assert len(paths) == 16 and paths.count("/flaky?fu=1") == 2
    # The redirect's hop and the 503's retry go with the host's last URLs, not before.
    assert {"/ok", "/flaky?fu=1"} <= set(paths[-4:])


def test_time_held_back_for_the_hosts_turn_is_not_the_urls_time(
    server: Server, fast: CrawlSettings
) -> None:
    now = [0.0]

    async def turn(url: str, host: str) -> None:
        now[0] += 30.0  # the host's other URLs took half a minute to start

    async def main() -> Probe:
        client = build_client(fast)
        try:
            crawler = Crawler(fast, client, fast.limiter(), turn=turn)
            crawler._clock = lambda: now[0]
            return await crawler.check(server.url(1, "/r302?held=1"))
        finally:
            await client.aclose()

    probe = anyio.run(main)
    assert probe.result.verdict.value == "ok" and probe.result.attempts == 2
    # Not 30 s: the next run must not take it for a slow URL (schedule.SLOW_MS).
    assert probe.result.elapsed_ms < 1000


def test_head_policy_learns_only_from_refusals_and_contradictions() -> None:
    policy = HeadPolicy()
    policy.learn("a", 404, 404)  # HEAD and GET agree: HEAD is truthful here
    assert policy.use_head("a")
    policy.learn("b", 405, 200)
    policy.learn("C", 404, 200)
    policy.learn("d", None, 200)  # HEAD broke the connection
    assert not policy.use_head("b") and not policy.use_head("c") and not policy.use_head("d")
    assert set(policy.learnt()) == {"b", "c", "d"}


def test_known_hang_is_started_first(server: Server, fast: CrawlSettings) -> None:
    settings = dataclasses.replace(fast, host_concurrency=1)
    urls = [server.url(1, f"/ok?order={i}") for i in range(4)]
    history = {urls[2]: record(urls[2], "timeout"), urls[3]: record(urls[3], attempts=2)}
    anyio.run(lambda: crawl(urls, settings, history=history))
    paths = [p for m, h, p in server.methods if "order=" in p]
    assert paths[:2] == ["/ok?order=2", "/ok?order=3"]


def test_host_refusing_head_is_asked_with_get_only(
    server: Server, fast: CrawlSettings, tmp_path: Path
) -> None:
    cache = tmp_path / "c.sqlite3"
    settings = dataclasses.replace(fast, host_concurrency=1, no_cache=False, cache_path=cache)
    urls = [server.url(2, "/nohead?learn=1")] + [server.url(2, f"/ok?learn={i}") for i in range(6)]
    outcome = anyio.run(check_links, refs_from_text("\n".join(urls), "l.txt"), settings)
    assert {r.verdict.value for r in outcome.results} == {"ok"}
    heads = [p for m, h, p in server.methods if m == "HEAD" and "learn=" in p]
    # HEAD /nohead, then at most the URLs the host's other worker had already started
    # (two workers per host slot): the rest are GET only.
    assert heads[0] == "/nohead?learn=1" and len(heads) <= 3
    assert not {f"/ok?learn={i}" for i in range(3, 6)} & set(heads)
    with Cache(cache) as db:
        assert "405" in db.get("links-head", "127.0.0.4")
    # The next run remembers: not one HEAD to that host.
    again = [server.url(2, f"/ok?again={i}") for i in range(3)]
    anyio.run(check_links, refs_from_text("\n".join(again), "l.txt"), settings)
    assert [m for m, h, p in server.methods if "again=" in p] == ["GET"] * 3
