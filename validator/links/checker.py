"""The crawl: each distinct URL checked once, politely, with one verdict.

Per URL (see ``docs/links.md`` for the reasons behind each step):

1. Not http(s), excluded by a regex, or on a host known to refuse checkers: no request
   (``skipped`` / ``blocked``). A success younger than the cache TTL: reused.
2. ``HEAD`` first (linkinator, link-check, urlchecker do the same); ``GET`` when HEAD
   is refused or answers anything but an accepted status (405/501 from servers that
   do not implement HEAD, but also 403/404 from servers that treat it differently, and
   a connection reset or garbled reply to HEAD).
   A URL with a checkable ``#fragment`` goes straight to ``GET``: HEAD has no body.
3. Redirects followed by hand up to ``max_redirects``, each hop recorded, loops
   detected, credentials sent only to the host they were configured for.
4. Each attempt waits for a slot at its host (:class:`~validator.http.HostLimiter`);
   timeouts, resets, 5xx and 429 are retried with exponential backoff and jitter;
   ``Retry-After`` and rate-limit headers pause the whole host. ``timeout`` is a budget
   for the URL across attempts, so a hanging response costs one timeout, not four.
5. Bodies are read only to look for a fragment, and never beyond ``max_body_bytes``.

When not one host answered and some failures were network-level (no DNS, no route),
the run reports ``network_unavailable`` and calls nothing dead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
import time
import typing as t

import anyio
import httpx

from validator.findings import Finding, LinkResult, Location, RunSummary, Severity, Verdict
from validator.http import (
    Cache,
    CrawlSettings,
    HostLimiter,
    LinkRecord,
    NetworkError,
    ProtocolFailure,
    RequestTimeout,
    UnknownHostError,
    backoff_delay,
    build_client,
    read_limited,
    server_delay,
    should_retry_status,
    translate,
)
from validator.links import anchors, runlog
from validator.links.extract import LinkRef

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})  # RFC 9110 §15.4.2, RFC 7538
DEAD_STATUSES = frozenset({404, 410})
# Bot walls: 401/403 from WAFs, LinkedIn's 999; linkinator skips 999 and 403 with
# cf-mitigated (PRs #686, #709). Unverifiable, never dead.
BLOCKED_STATUSES = frozenset({401, 403, 999})


@dataclasses.dataclass
class LinkOutcome:
    """What a crawl found: one result per distinct URL and findings per occurrence."""

    results: list[LinkResult]
    findings: list[Finding]
    network_unavailable: str | None = None
    """One sentence when nothing at all could be reached; then nothing is called dead."""
    host_stats: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)
    """Per host: requests sent and the highest number in flight at once."""
    runs: list[RunSummary] | None = None
    """The cache's run log, this run last (``None`` without a cache)."""

    @property
    def failed(self) -> bool:
        """Whether any finding is an error."""
        return any(f.severity is Severity.ERROR for f in self.findings)


@dataclasses.dataclass
class _Check:
    """Mutable state of one URL's check."""

    url: str
    started: float
    budget: float
    spent: float = 0.0
    attempts: int = 0
    redirects: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    error_kind: str | None = None
    reached: bool = False

    def remaining(self) -> float:
        return self.budget - self.spent


@dataclasses.dataclass
class _Answer:
    """The final response of a redirect chain (body only when asked for)."""

    status: int
    url: httpx.URL
    headers: httpx.Headers
    body: bytes = b""
    truncated: bool = False


def _iso(ts: float) -> str:
    return (
        dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )


def _permanent_target(url: str, redirects: t.Sequence[tuple[int, str]]) -> str | None:
    """The URL the catalog should carry: the end of the leading permanent hops."""
    target = None
    for status, location in redirects:
        if status not in PERMANENT_REDIRECTS:
            break
        target = location
    if target is None:
        return None
    fragment = httpx.URL(url).fragment
    if fragment and "#" not in target:  # RFC 9110 §10.2.2: the fragment carries over
        target = f"{target}#{fragment}"
    return target


class Crawler:
    """Checks URLs with one client and one limiter; see the module docstring."""

    def __init__(
        self, settings: CrawlSettings, client: httpx.AsyncClient, limiter: HostLimiter
    ) -> None:
        self.settings = settings
        self.client = client
        self.limiter = limiter
        self._excludes = [re.compile(p) for p in settings.excludes]
        self._blocked = {h.lower() for h in settings.blocked_hosts}

    async def check(self, url: str) -> LinkResult:
        """Check one URL and return its result (without locations or history)."""
        state = _Check(url=url, started=time.monotonic(), budget=self.settings.timeout)
        result = await self._check(url, state)
        return dataclasses.replace(
            result,
            attempts=state.attempts,
            redirects=tuple(state.redirects),
            elapsed_ms=int((time.monotonic() - state.started) * 1000),
            history={"_kind": state.error_kind, "_reached": state.reached},
        )

    async def _check(self, url: str, state: _Check) -> LinkResult:
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            return LinkResult(url, Verdict.ERROR, error=f"invalid URL: {exc}")
        if parsed.scheme not in ("http", "https"):
            return LinkResult(url, Verdict.SKIPPED, error=f"{parsed.scheme or 'no'} scheme")
        if not parsed.host:
            return LinkResult(url, Verdict.ERROR, error="invalid URL: no host")
        for pattern in self._excludes:
            if pattern.search(url):
                return LinkResult(url, Verdict.SKIPPED, error=f"excluded by '{pattern.pattern}'")
        if parsed.host.lower() in self._blocked:
            return LinkResult(
                url, Verdict.BLOCKED, error=f"{parsed.host} refuses link checkers; not verified"
            )
        fragment = parsed.fragment
        want_fragment = self.settings.check_fragments and anchors.checkable(fragment, parsed.host)
        target = parsed.copy_with(fragment=None)

        if want_fragment:
            answer = await self._follow("GET", target, state, read_body=True)
        else:
            answer = await self._follow("HEAD", target, state, read_body=False)
            refused = isinstance(answer, _Answer) and answer.status not in self._accepted(
                answer.url
            )
            # A rate limit is about us, not the method: asking again with GET only adds load.
            refused = refused and isinstance(answer, _Answer) and answer.status != 429
            # A server that resets or garbles HEAD may still serve GET.
            refused = refused or isinstance(answer, ProtocolFailure)
            if refused:
                # HEAD refused or not trusted: ask again with GET, from the start.
                state.redirects.clear()
                answer = await self._follow("GET", target, state, read_body=False)
        if isinstance(answer, NetworkError):
            return self._failure(url, answer, state)
        return self._judge(url, answer, fragment if want_fragment else "", state)

    def _accepted(self, url: httpx.URL) -> frozenset[int]:
        return self.settings.accepted(url.host)

    def _failure(self, url: str, error: NetworkError, state: _Check) -> LinkResult:
        state.error_kind = error.kind if error.network_level else None
        if isinstance(error, UnknownHostError):
            return LinkResult(url, Verdict.DEAD, error=error.message)
        if isinstance(error, RequestTimeout):
            return LinkResult(url, Verdict.TIMEOUT, error=error.message)
        return LinkResult(url, Verdict.ERROR, error=error.message)

    def _judge(self, url: str, answer: _Answer, fragment: str, state: _Check) -> LinkResult:
        status = answer.status
        final = str(answer.url) if state.redirects else None
        common: dict[str, t.Any] = {"status": status, "final_url": final}
        if status in self._accepted(answer.url):
            if fragment and anchors.is_html(answer.headers.get("content-type", "")):
                if not answer.truncated and not anchors.has_fragment(answer.body, fragment):
                    return LinkResult(
                        url,
                        Verdict.FRAGMENT_MISSING,
                        error=f"no element with id or name '{fragment}' in the page",
                        **common,
                    )
            if _permanent_target(url, state.redirects):
                return LinkResult(url, Verdict.REDIRECTED, **common)
            return LinkResult(url, Verdict.OK, **common)
        if status in DEAD_STATUSES:
            return LinkResult(url, Verdict.DEAD, error=f"HTTP {status}", **common)
        if status in BLOCKED_STATUSES or "cf-mitigated" in answer.headers:
            why = "bot protection" if status != 401 else "login required"
            return LinkResult(
                url, Verdict.BLOCKED, error=f"HTTP {status}: {why}; not verified", **common
            )
        if status == 429:
            return LinkResult(
                url, Verdict.BLOCKED, error="HTTP 429: rate limited; not verified", **common
            )
        if status in REDIRECT_STATUSES:
            return LinkResult(url, Verdict.ERROR, error=f"HTTP {status} without Location", **common)
        return LinkResult(url, Verdict.ERROR, error=f"HTTP {status}", **common)

    async def _follow(
        self, method: str, url: httpx.URL, state: _Check, *, read_body: bool
    ) -> _Answer | NetworkError:
        """Send ``method`` to ``url`` and follow redirects, recording each hop."""
        seen = {str(url)}
        current = url
        while True:
            answer = await self._attempts(method, current, state, read_body=read_body)
            if isinstance(answer, NetworkError):
                return answer
            location = answer.headers.get("location")
            if answer.status not in REDIRECT_STATUSES or not location:
                return answer
            try:
                nxt = current.join(location.strip()).copy_with(fragment=None)
            except httpx.InvalidURL:
                return NetworkError(f"invalid redirect target {location!r}")
            state.redirects.append((answer.status, str(nxt)))
            if nxt.scheme not in ("http", "https"):
                return NetworkError(f"redirect to unsupported scheme {nxt.scheme}")
            if str(nxt) in seen:
                return NetworkError(f"redirect loop back to {nxt}")
            if len(state.redirects) > self.settings.max_redirects:
                return NetworkError(f"more than {self.settings.max_redirects} redirects")
            seen.add(str(nxt))
            current = nxt

    def _headers(self, url: httpx.URL, read_body: bool) -> dict[str, str]:
        # Per-host headers (tokens) are looked up for *this* hop's host only, so they
        # never follow a redirect to another host.
        headers = dict(self.settings.host(url.host).headers)
        if read_body:
            headers.setdefault("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        return headers

    async def _attempts(
        self, method: str, url: httpx.URL, state: _Check, *, read_body: bool
    ) -> _Answer | NetworkError:
        """One request with retries; returns the last answer or error."""
        host = url.host
        settings = self.settings
        retry = 0
        while True:
            remaining = state.remaining()
            if remaining <= 0:
                return RequestTimeout(f"no answer within {settings.timeout:g} s")
            state.attempts += 1
            outcome: _Answer | NetworkError
            async with self.limiter.slot(host):
                started = time.monotonic()
                with anyio.move_on_after(remaining) as scope:
                    outcome = await self._send(method, url, read_body)
                state.spent += time.monotonic() - started
            if scope.cancelled_caught:
                outcome = RequestTimeout(f"no answer within {settings.timeout:g} s")
            retry += 1
            can_retry = retry <= settings.max_retries and state.remaining() > 0
            if isinstance(outcome, NetworkError):
                state.reached = state.reached or outcome.peer_reached
                if not (outcome.retryable and can_retry):
                    return outcome
                await anyio.sleep(
                    backoff_delay(retry, base=settings.retry_wait, cap=settings.max_backoff)
                )
                continue
            state.reached = True
            if not should_retry_status(outcome.status):
                return outcome
            asked = server_delay(outcome.headers)
            if asked is not None and asked <= 0:
                # "Retry-After: 0" or a date already past: no wait asked, so our own
                # backoff applies (otherwise the retries go out as one burst).
                asked = None
            if asked is not None:
                if asked > settings.max_backoff:
                    return outcome  # beyond our cap: give up now rather than stall the run
                self.limiter.back_off(host, asked)  # slow the whole host, not only this URL
            elif outcome.status == 429:
                self.limiter.back_off(
                    host, backoff_delay(retry, base=settings.retry_wait, cap=settings.max_backoff)
                )
            if not can_retry:
                return outcome
            if asked is None:
                await anyio.sleep(
                    backoff_delay(retry, base=settings.retry_wait, cap=settings.max_backoff)
                )
            # With a server-given delay the host pause makes slot() wait.

    async def _send(self, method: str, url: httpx.URL, read_body: bool) -> _Answer | NetworkError:
        request = self.client.build_request(method, url, headers=self._headers(url, read_body))
        try:
            response = await self.client.send(request, stream=True)
        except (httpx.HTTPError, NetworkError, OSError) as exc:
            return translate(exc)
        try:
            body, truncated = b"", False
            wanted = (
                read_body
                and response.status_code in self._accepted(url)
                and anchors.is_html(response.headers.get("content-type", ""))
            )
            if wanted:
                body, truncated = await read_limited(response, self.settings.max_body_bytes)
            elif _cheap_to_drain(method, response):
                # A response read to its end leaves its connection in the pool; one closed
                # early costs the next request to this host a new TCP (and TLS) handshake.
                # Raw bytes, never decoded: a small gzip body may inflate to gigabytes.
                async for _ in response.aiter_raw():
                    pass
        except (httpx.HTTPError, OSError) as exc:
            return translate(exc)
        finally:
            await response.aclose()
        return _Answer(response.status_code, url, response.headers, body, truncated)


DRAIN_LIMIT = 64 * 1024
"""Bodies up to this declared size are read to keep the connection (never a checkpoint)."""


def _cheap_to_drain(method: str, response: httpx.Response) -> bool:
    """Whether reading the rest of a response is cheaper than a new connection.

    A HEAD answer has no body (RFC 9110 §9.3.2); a redirect or error page declares a
    small ``Content-Length``. A body of unknown length is never read: it could be a
    10 GB checkpoint.
    """
    if method == "HEAD":
        return True
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= DRAIN_LIMIT


# -- the run ---------------------------------------------------------------------------


def _distinct(refs: t.Sequence[LinkRef]) -> dict[str, list[LinkRef]]:
    by_url: dict[str, list[LinkRef]] = {}
    for ref in refs:
        by_url.setdefault(ref.url, []).append(ref)
    return by_url


def _order_by_host(urls: t.Iterable[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for url in urls:
        try:
            host = httpx.URL(url).host.lower()
        except httpx.InvalidURL:
            host = ""
        groups.setdefault(host, []).append(url)
    return groups


def _progress(total: int, enabled: bool) -> t.Any:
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )


async def crawl(
    urls: t.Sequence[str],
    settings: CrawlSettings,
    *,
    client: httpx.AsyncClient | None = None,
    limiter: HostLimiter | None = None,
) -> tuple[dict[str, LinkResult], dict[str, dict[str, int]]]:
    """Check every URL once (no cache, no findings): the raw results and host stats.

    Work is spread by host: each host gets as many workers as its concurrency allows
    (twice that, so a worker sleeping in backoff does not idle the host), which keeps
    memory flat for 10,000 URLs instead of 10,000 waiting tasks.
    """
    if limiter is None:
        limiter = HostLimiter(concurrency=settings.concurrency, host_limits=settings.host_limits)
    results: dict[str, LinkResult] = {}
    own_client = client is None
    http = client or build_client(settings)
    progress = _progress(len(urls), settings.progress)
    task_id = progress.add_task("checking links", total=len(urls)) if progress else None
    try:
        crawler = Crawler(settings, http, limiter)
        groups = _order_by_host(urls)

        async def worker(queue: list[str]) -> None:
            while queue:
                url = queue.pop()
                results[url] = await crawler.check(url)
                if progress is not None:
                    progress.advance(task_id)

        if progress is not None:
            progress.start()
        async with anyio.create_task_group() as tg:
            for host, group in groups.items():
                group.reverse()  # pop() from the end keeps file order
                workers = min(len(group), 2 * settings.host_limits(host)[0])
                for _ in range(workers):
                    tg.start_soon(worker, group)
    finally:
        if progress is not None:
            progress.stop()
        if own_client:
            await http.aclose()
    return results, limiter.stats()


def _network_unavailable(results: t.Iterable[LinkResult]) -> str | None:
    reached = False
    network_failures: list[LinkResult] = []
    for r in results:
        meta = r.history
        reached = reached or bool(meta.get("_reached"))
        if meta.get("_kind"):
            network_failures.append(r)
    if reached or not network_failures:
        return None
    hosts = {_host(r.url) for r in network_failures}
    example = network_failures[0]
    return (
        f"Network unavailable: none of the {len(hosts)} host{'s' if len(hosts) != 1 else ''} "
        f"could be reached ({_host(example.url)}: {example.error}), so no link was judged."
    )


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host
    except httpx.InvalidURL:
        return url


def _finding_for(
    result: LinkResult, ref: LinkRef, severity_override: Severity | None
) -> Finding | None:
    verdict = result.verdict
    evidence: dict[str, object] = {
        "url": result.url,
        "verdict": verdict.value,
        "status": result.status,
    }
    if result.history:
        evidence["history"] = dict(result.history)
    failures = int(result.history.get("consecutive_failures", 0) or 0)
    since = result.history.get("first_failed")
    streak = f" (failing for {failures} runs since {since})" if failures > 1 else ""
    rule: str
    severity: Severity
    hint: str | None = None
    if verdict is Verdict.DEAD:
        rule, severity = "link-dead", Severity.ERROR
        message = f"dead link {result.url}: {result.error}{streak}"
        hint = "replace the URL (an archived copy at web.archive.org may do) or remove it"
    elif verdict is Verdict.ERROR:
        rule, severity = "link-error", Severity.WARNING
        message = f"link {result.url} failed: {result.error}{streak}"
    elif verdict is Verdict.TIMEOUT:
        rule, severity = "link-timeout", Severity.WARNING
        message = f"link {result.url} timed out: {result.error}{streak}"
    elif verdict is Verdict.FRAGMENT_MISSING:
        rule, severity = "link-fragment-missing", Severity.WARNING
        message = f"link {result.url}: {result.error}{streak}"
        hint = "point the link at an anchor that exists, or drop the #fragment"
    elif verdict is Verdict.REDIRECTED:
        rule, severity = "link-redirected", Severity.WARNING
        target = _permanent_target(result.url, result.redirects)
        message = f"link {result.url} moved permanently to {target}"
        hint = "run `validator links --fix` to rewrite it to the new URL"
        evidence["new_url"] = target
    elif verdict is Verdict.BLOCKED:
        rule, severity = "link-blocked", Severity.INFO
        message = f"link {result.url} could not be verified: {result.error}"
    else:
        return None
    if verdict.is_failure and severity_override is not None:
        severity = severity_override
    return ref.finding(rule, severity, message, hint=hint, evidence=evidence)


def _apply_history(
    results: dict[str, LinkResult],
    records: dict[str, LinkRecord],
    now: float,
    judged: bool,
) -> tuple[dict[str, LinkResult], list[LinkRecord]]:
    """Attach history to each result; return the records to store."""
    out: dict[str, LinkResult] = {}
    to_store: list[LinkRecord] = []
    for url, result in results.items():
        old = records.get(url)
        cached = bool(result.history.get("from_cache"))
        if cached and old is not None:
            history = {
                "first_failed": None,
                "consecutive_failures": 0,
                "last_checked": _iso(old.checked_at),
                "from_cache": True,
            }
            out[url] = dataclasses.replace(result, history=history)
            continue
        first_failed = old.first_failed if old else None
        failures = old.consecutive_failures if old else 0
        if result.verdict.is_failure and judged:
            failures += 1
            first_failed = first_failed if first_failed is not None else now
        elif result.verdict in (Verdict.OK, Verdict.REDIRECTED):
            failures, first_failed = 0, None
        history = {
            "first_failed": _iso(first_failed) if first_failed is not None else None,
            "consecutive_failures": failures,
            "last_checked": _iso(now),
        }
        out[url] = dataclasses.replace(result, history=history)
        if result.verdict is not Verdict.SKIPPED and judged:
            to_store.append(
                LinkRecord(
                    url=url,
                    verdict=result.verdict.value,
                    result=_result_to_cache(result),
                    checked_at=now,
                    first_failed=first_failed,
                    consecutive_failures=failures,
                )
            )
    return out, to_store


def _result_to_cache(result: LinkResult) -> dict[str, t.Any]:
    data = result.to_dict()
    data.pop("locations", None)
    data.pop("history", None)
    return data


def _result_from_cache(url: str, data: t.Mapping[str, t.Any]) -> LinkResult | None:
    try:
        return LinkResult(
            url=url,
            verdict=Verdict(data["verdict"]),
            status=data.get("status"),
            final_url=data.get("final_url"),
            redirects=tuple((int(r["status"]), str(r["url"])) for r in data.get("redirects", [])),
            attempts=0,
            elapsed_ms=0,
            error=data.get("error"),
            history={"from_cache": True},
        )
    except (KeyError, ValueError, TypeError):
        return None


async def check_links(
    refs: t.Sequence[LinkRef],
    settings: CrawlSettings,
    *,
    client: httpx.AsyncClient | None = None,
    limiter: HostLimiter | None = None,
    now: float | None = None,
) -> LinkOutcome:
    """Check every distinct URL of ``refs``; results, findings and network status."""
    by_url = _distinct(refs)
    clock = time.time() if now is None else now
    cache = None if settings.no_cache else Cache(settings.resolved_cache_path())
    try:
        records = cache.load_links(by_url) if cache else {}
        reused: dict[str, LinkResult] = {}
        for url, record in records.items():
            fresh = clock - record.checked_at <= settings.cache_ttl
            if fresh and record.verdict in (Verdict.OK.value, Verdict.REDIRECTED.value):
                cached = _result_from_cache(url, record.result)
                if cached is not None:
                    reused[url] = cached
        todo = [url for url in by_url if url not in reused]
        fetched, stats = await crawl(todo, settings, client=client, limiter=limiter)
        unavailable = _network_unavailable(fetched.values())
        raw = {**fetched, **reused}
        if unavailable:
            # Not the links' fault: an unknown host is not "dead" when no host answered.
            raw = {
                url: dataclasses.replace(r, verdict=Verdict.ERROR) if r.history.get("_kind") else r
                for url, r in raw.items()
            }
        with_history, to_store = _apply_history(raw, records, clock, judged=not unavailable)
        if cache and to_store:
            cache.save_links(to_store)
        runs = None
        if cache and unavailable:
            runs = runlog.load_runs(cache)  # nothing was judged: nothing to record
        elif cache:
            runs = runlog.record_run(cache, raw.values(), clock)
    finally:
        if cache:
            cache.close()

    results: list[LinkResult] = []
    findings: list[Finding] = []
    for url, occurrences in by_url.items():
        result = with_history[url]
        result = dataclasses.replace(
            result, locations=tuple(_dedupe_locations(r.location for r in occurrences))
        )
        results.append(result)
        if unavailable and result.verdict.is_failure:
            continue  # one run-level sentence instead of a finding per link
        override = None
        if settings.fail_after and result.verdict.is_failure:
            failures = int(result.history.get("consecutive_failures", 0) or 0)
            override = Severity.ERROR if failures >= settings.fail_after else Severity.WARNING
        for ref in occurrences:
            finding = _finding_for(result, ref, override)
            if finding is not None:
                findings.append(finding)
    return LinkOutcome(results, findings, unavailable, stats, runs)


def _dedupe_locations(locations: t.Iterable[Location]) -> list[Location]:
    return list(dict.fromkeys(locations))
