"""The crawl of one URL: requests, redirects, retries, one verdict.

Per URL (see ``docs/links.md`` for the reasons behind each step):

1. Not http(s), excluded by a regex, or on a host known to refuse checkers: no request
   (``skipped`` / ``blocked``).
2. ``HEAD`` first (linkinator, link-check, urlchecker do the same); ``GET`` when HEAD
   is refused or answers anything but an accepted status (405/501 from servers that
   do not implement HEAD, but also 403/404 from servers that treat it differently, and
   a connection reset or garbled reply to HEAD). A host that refused HEAD or answered
   it unlike GET is asked with GET only from then on (:mod:`validator.links.methods`).
   A URL with a checkable ``#fragment`` goes straight to ``GET``: HEAD has no body.
3. Redirects followed by hand up to ``max_redirects`` (:mod:`validator.http.redirects`),
   each hop recorded, loops detected, credentials sent only to the host they were
   configured for.
4. Each attempt waits for a slot at its host (:class:`~validator.http.HostLimiter`);
   timeouts, resets, 5xx and 429 are retried with exponential backoff and jitter;
   ``Retry-After`` and rate-limit headers pause the whole host. ``timeout`` is a budget
   for the URL across attempts, so a hanging response costs one timeout, not four.
5. Bodies are read only to look for a fragment, and never beyond ``max_body_bytes``.

Which URLs go out when is not decided here: :mod:`validator.links.queues` hands URLs
to :class:`Crawler` host by host. Cache, history and findings come after, in
:mod:`validator.links.history` and :mod:`validator.links.verdicts`.
"""

from __future__ import annotations

import dataclasses
import functools
import time
import typing as t

import httpx

from validator import timing
from validator.credentials import HopHeaders
from validator.findings import LinkResult, Verdict
from validator.http import (
    CrawlSettings,
    HostLimiter,
    NetworkError,
    ProtocolFailure,
    RequestTimeout,
    backoff_delay,
    read_limited,
    server_delay,
    should_retry_status,
    translate,
)
from validator.http.client import RawResponse
from validator.http.deadline import Deadlines
from validator.http.redirects import (
    REDIRECT_STATUSES,
    RedirectChain,
    bad_port,
    location_of,
)
from validator.http.resolver import run_resolver, settle
from validator.http.urls import parse_url, without_fragment
from validator.http.wire import WireClient
from validator.links import anchors
from validator.links.filters import UrlFilters
from validator.links.judge import Answer, verdict_of_answer, verdict_of_error
from validator.links.methods import HeadPolicy

Sleep = t.Callable[[float], t.Awaitable[None]]
Turn = t.Callable[[str, str], t.Awaitable[None]]
"""``turn(url, host)``: wait until the next request of ``url``, to ``host``, may go."""


@dataclasses.dataclass(frozen=True)
class Probe:
    """One URL's result plus what the crawl learnt about the network on the way."""

    result: LinkResult
    network_failure: str | None = None
    """The kind of network-level failure (no DNS, no route...) the verdict rests on."""
    reached: bool = False
    """Whether any peer answered at all (an HTTP status, or a TLS/protocol reply)."""


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
    held: float = 0.0
    """Seconds a follow-up waited for its host's last URL to start."""
    origin: httpx.URL | None = None
    """The URL as parsed once: credentials go only to its origin."""

    def remaining(self) -> float:
        return self.budget - self.spent


@dataclasses.dataclass(frozen=True)
class _Excluded:
    """A redirect chain stopped before a hop the user excluded."""

    url: str
    pattern: str


class Crawler:
    """Checks URLs with one client and one limiter; see the module docstring.

    ``sleep`` (retry back-off) is injectable so tests never wait; the time budget per
    URL is real time, like the deadline that enforces it.
    """

    def __init__(
        self,
        settings: CrawlSettings,
        client: httpx.AsyncClient,
        limiter: HostLimiter,
        *,
        sleep: Sleep = timing.sleep,
        head: HeadPolicy | None = None,
        turn: Turn | None = None,
        wire: WireClient | None = None,
    ) -> None:
        self.settings = settings
        self._wire = wire  # the lean HTTP/1.1 path; None: every request through httpx
        self._turn = turn  # follow-ups' place in the host's queue (links.schedule)
        self.head = head if head is not None else HeadPolicy()
        self.client = client
        self.limiter = limiter
        self._clock = time.monotonic
        self._sleep = sleep
        self._resolver = run_resolver(settings)
        self._filters = UrlFilters.from_settings(settings)
        self._blocked = {h.lower() for h in settings.blocked_hosts}
        self._deadlines = Deadlines()
        self._hop_headers = HopHeaders(settings.headers, lambda host: settings.host(host).headers)
        self._accepted_at = functools.cache(settings.accepted)  # asked 2-3 times a URL

    async def check(self, url: str) -> Probe:
        """Check one URL: its result (without locations or history) and network facts."""
        state = _Check(url=url, started=self._clock(), budget=self.settings.timeout)
        result = await self._check(url, state)
        return Probe(result, network_failure=state.error_kind, reached=state.reached)

    def _facts(self, state: _Check) -> dict[str, t.Any]:
        """What every result carries besides its verdict (given to its one constructor)."""
        elapsed = int((self._clock() - state.started - state.held) * 1000)
        redirects = tuple(state.redirects)
        return {"attempts": state.attempts, "redirects": redirects, "elapsed_ms": elapsed}

    def _precheck(self, url: str) -> tuple[Verdict, str] | httpx.URL:
        """The verdict and error of a URL not to request, or the parsed URL to ask."""
        try:
            parsed = parse_url(url)
        except httpx.InvalidURL as exc:
            return Verdict.ERROR, f"invalid URL: {exc}"
        if parsed.scheme not in ("http", "https"):
            return Verdict.SKIPPED, f"{parsed.scheme or 'no'} scheme"
        if not parsed.host:
            return Verdict.ERROR, "invalid URL: no host"
        if bad_port(parsed):
            return Verdict.ERROR, f"invalid URL: port {parsed.port}"
        excluded = self._filters.excluded(url)
        if excluded is not None:
            return Verdict.SKIPPED, f"excluded by '{excluded}'"
        if parsed.host.lower() in self._blocked:
            return Verdict.BLOCKED, f"{parsed.host} refuses link checkers; not verified"
        return parsed

    async def _check(self, url: str, state: _Check) -> LinkResult:
        parsed = self._precheck(url)
        if isinstance(parsed, tuple):
            return LinkResult(url, parsed[0], error=parsed[1], **self._facts(state))
        state.origin = parsed
        fragment = parsed.fragment
        want_fragment = self.settings.check_fragments and anchors.checkable(fragment, parsed.host)
        target = without_fragment(parsed) if "#" in url else parsed

        if want_fragment:
            answer = await self._follow("GET", target, state, read_body=True)
        elif not self.head.use_head(target.host):
            answer = await self._follow("GET", target, state, read_body=False)
        else:
            answer = await self._follow("HEAD", target, state, read_body=False)
            if self._refused(answer):
                # HEAD refused or not trusted: ask again with GET, from the start.
                head = answer.status if isinstance(answer, Answer) else None
                self.head.learn(target.host, head, None)  # a refusal is known at once
                answer = await self._follow("GET", target, state, read_body=False)
                got = answer.status if isinstance(answer, Answer) else None
                self.head.learn(target.host, head, got)
        if isinstance(answer, _Excluded):
            error = f"redirects to {answer.url}, excluded by '{answer.pattern}'"
            return LinkResult(url, Verdict.SKIPPED, error=error, **self._facts(state))
        if isinstance(answer, NetworkError):
            return self._failure(url, answer, state)
        return self._judge(url, answer, fragment if want_fragment else "", state)

    def _refused(self, answer: Answer | NetworkError | _Excluded) -> bool:
        """Whether a HEAD answer is not to be trusted, so GET should ask again."""
        if isinstance(answer, ProtocolFailure):
            return True  # a server that resets or garbles HEAD may still serve GET
        if not isinstance(answer, Answer):
            return False
        # A rate limit is about us, not the method: asking again with GET only adds load.
        return answer.status not in self._accepted(answer.url) and answer.status != 429

    def _accepted(self, url: httpx.URL) -> frozenset[int]:
        return self._accepted_at(url.host)

    def _failure(self, url: str, error: NetworkError, state: _Check) -> LinkResult:
        state.error_kind = error.kind if error.network_level else None
        return verdict_of_error(url, error, **self._facts(state))

    def _judge(self, url: str, answer: Answer, fragment: str, state: _Check) -> LinkResult:
        accepted = self._accepted(answer.url)
        return verdict_of_answer(url, answer, fragment, accepted, **self._facts(state))

    async def _follow(
        self, method: str, url: httpx.URL, state: _Check, *, read_body: bool
    ) -> Answer | NetworkError | _Excluded:
        """Send ``method`` to ``url`` and follow redirects, recording each hop."""
        chain = RedirectChain(url, self.settings.max_redirects)
        state.redirects = chain.hops
        current = url
        while True:
            answer = await self._attempts(method, current, state, read_body=read_body)
            if isinstance(answer, NetworkError):
                return answer
            location = location_of(answer.headers) if answer.status in REDIRECT_STATUSES else None
            if not location:  # no redirect (whose headers are not looked up: a scan each)
                return answer
            nxt = chain.next_hop(current, answer.status, location)
            if isinstance(nxt, str):
                return NetworkError(nxt)
            excluded = self._filters.excluded(str(nxt))
            if excluded is not None:
                # Never request a target the user excluded (linkinator applies its
                # skip rules to every hop): the link is judged no further.
                return _Excluded(str(nxt), excluded)
            current = nxt

    def _headers(self, url: httpx.URL, read_body: bool, origin: httpx.URL) -> dict[str, str]:
        headers = self._hop_headers.for_hop(url, origin)  # credentials: to the origin only
        if read_body:
            headers.setdefault("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        return headers

    def _backoff(self, retry: int) -> float:
        settings = self.settings
        return backoff_delay(retry, base=settings.retry_wait, cap=settings.max_backoff)

    async def _attempts(
        self, method: str, url: httpx.URL, state: _Check, *, read_body: bool
    ) -> Answer | NetworkError:
        """One request with retries; returns the last answer or error."""
        settings = self.settings
        retry = 0
        while True:
            remaining = state.remaining()
            if remaining <= 0:
                return RequestTimeout(f"no answer within {settings.timeout:g} s")
            outcome = await self._attempt(method, url, state, remaining, read_body, retry > 0)
            retry += 1
            can_retry = retry <= settings.max_retries and state.remaining() > 0
            if isinstance(outcome, NetworkError):
                state.reached = state.reached or outcome.peer_reached
                if not (outcome.retryable and can_retry):
                    return outcome
                await self._sleep(self._backoff(retry))
                continue
            state.reached = True
            if not should_retry_status(outcome.status):
                return outcome
            wait = self._pause_host(url.host, outcome, retry)
            if wait == _GIVE_UP or not can_retry:
                return outcome
            if wait is not None:
                await self._sleep(wait)
            # With a server-given delay the host pause makes slot() wait.

    async def _attempt(
        self,
        method: str,
        url: httpx.URL,
        state: _Check,
        remaining: float,
        read_body: bool,
        retry: bool,
    ) -> Answer | NetworkError:
        """One request in one host slot, within the URL's remaining budget."""
        state.attempts += 1
        if state.attempts > 1 and self._turn is not None:
            held = self._clock()
            await self._turn(state.url, url.host)
            state.held += self._clock() - held  # not the URL's time: not "slow" next run
        if self._resolver is not None:
            # The host's name, once per run and outside its request slots: a name that
            # does not resolve fails each URL of the host at once (validator.http.resolver).
            known = await settle(self._resolver, url.host, url.port or 443)
            if known is not None:
                return known
        async with self.limiter.slot(url.host) as ticket:
            started = self._clock()
            with self._deadlines.within(remaining) as limit:  # not an anyio scope: ~20 us
                origin = state.origin if state.origin is not None else url
                outcome = await self._send(method, url, read_body, origin)
            if limit.expired:
                outcome = RequestTimeout(f"no answer within {self.settings.timeout:g} s")
            state.spent += self._clock() - started
            ticket.status = outcome.status if isinstance(outcome, Answer) else None
            ticket.retry = retry
        return outcome

    def _pause_host(self, host: str, outcome: Answer, retry: int) -> float | None:
        """Act on a retryable status: pause the host when asked (or on 429).

        Returns our own backoff to sleep before retrying, ``None`` when the server gave
        the delay (the host pause does the waiting), or ``_GIVE_UP`` when the server
        asks for longer than ``max_backoff``.
        """
        asked = server_delay(outcome.headers)
        if asked is not None and asked <= 0:
            # "Retry-After: 0" or a date already past: no wait asked, so our own
            # backoff applies (otherwise the retries go out as one burst).
            asked = None
        if asked is not None:
            if asked > self.settings.max_backoff:
                return _GIVE_UP  # beyond our cap: give up now rather than stall the run
            self.limiter.back_off(host, asked)  # slow the whole host, not only this URL
            return None
        if outcome.status == 429:
            self.limiter.back_off(host, self._backoff(retry))
        return self._backoff(retry)

    async def _send(
        self, method: str, url: httpx.URL, read_body: bool, origin: httpx.URL
    ) -> Answer | NetworkError:
        headers = self._headers(url, read_body, origin)
        try:
            response = await self._open(method, url, headers)
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
        except (httpx.HTTPError, NetworkError, OSError) as exc:
            return translate(exc)
        finally:
            await response.aclose()
        return Answer(response.status_code, url, response.headers, body, truncated)

    async def _open(self, method: str, url: httpx.URL, headers: dict[str, str]) -> RawResponse:
        """Send a request; the body is left to read (see :mod:`validator.http.wire`)."""
        if self._wire is not None:
            return await self._wire.send(method, url, headers)
        request = self.client.build_request(method, url, headers=headers)
        return await self.client.send(request, stream=True)


_GIVE_UP = -1.0
"""Sentinel of :meth:`Crawler._pause_host`: the server asked for too long a wait."""

DRAIN_LIMIT = 64 * 1024
"""Bodies up to this declared size are read to keep the connection (never a checkpoint)."""


def _cheap_to_drain(method: str, response: RawResponse) -> bool:
    """Whether reading the rest of a response is cheaper than a new connection.

    A HEAD answer has no body (RFC 9110 §9.3.2); a redirect or error page declares a
    small ``Content-Length``. A body of unknown length is never read: it could be a
    10 GB checkpoint.
    """
    if method == "HEAD":
        return True
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= DRAIN_LIMIT
