"""An async client for the three Hub questions the cross-check asks.

``GET /api/{models|datasets}/{id}`` (card metadata, ``safetensors``, ``gated``),
``GET /{id}/resolve/main/config.json`` (the context length) and
``GET /api/{models|datasets}/{id}/commits/main`` (the first commit). The client is
deliberately thin and does four things the Hub needs and plain httpx does not:

* **Redirects by hand.** A renamed repo answers ``307`` with a *relative* ``Location``
  (reference §1.5); we follow it, keep the chain so callers can report the new id, and
  send the token only while the request stays on the endpoint's origin.
* **Retries with the Hub's own back-off signals** for 408/429/5xx and transport errors
  (reference §2.3): on 429 the ``RateLimit`` header's ``t`` when ``r=0``, else
  ``Retry-After``, else exponential back-off; a wait longer than ``max_wait`` gives up
  and reports ``rate-limited`` rather than stalling the run.
* **Host limits shared with the crawler**: an injected limiter with
  ``async with limiter.slot(host)`` and ``limiter.back_off(host, seconds)``
  (:class:`validator.http.HostLimiter`; a fresh one when running standalone).
* **ETag revalidation** through :class:`~validator.hub.cache.EtagCache`.

Status codes are *not* interpreted here beyond retrying; :func:`problem_of` turns a
final answer into a verdict so the rules stay free of HTTP details.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import typing as t

import httpx

from validator import timing
from validator.credentials import redact
from validator.http.errors import translate
from validator.http.limiter import HostLimiter
from validator.http.redirects import RedirectChain, is_redirect, location_of
from validator.http.retry import RETRY_STATUSES as SHARED_RETRY_STATUSES
from validator.http.retry import backoff_delay, server_delay
from validator.hub.cache import CachedResponse, EtagCache
from validator.hub.settings import HubSettings

MAX_REDIRECTS = 5
# HFH retries (408, 429, 500, 502, 503, 504) (reference §2.3); the shared set adds 425
RETRY_STATUSES = SHARED_RETRY_STATUSES
BACKOFF_BASE = 1.0
BACKOFF_MAX = 8.0
"""HFH ``http_backoff``: base 1 s, doubling, at most 8 s (reference §2.3)."""

# HFH parse_ratelimit_headers (reference §2.4): '"api";r=0;t=55'
_RATELIMIT = re.compile(r'"(?P<bucket>\w+)"\s*;\s*r\s*=\s*(?P<r>\d+)\s*;\s*t\s*=\s*(?P<t>\d+)')
_RATELIMIT_POLICY_Q = re.compile(r"\bq\s*=\s*(\d+)")
_RATELIMIT_POLICY_W = re.compile(r"\bw\s*=\s*(\d+)")

Sleep = t.Callable[[float], t.Awaitable[None]]


class Limiter(t.Protocol):
    """The crawler's per-host limiter (``validator.http.HostLimiter``) as we use it."""

    def slot(self, host: str) -> t.AsyncContextManager[t.Any]:
        """Hold one of the host's concurrent slots."""
        ...

    def back_off(self, host: str, seconds: float) -> t.Any:
        """Make every user of ``host`` wait ``seconds`` (may be sync or async)."""
        ...


@dataclasses.dataclass(frozen=True)
class RateLimit:
    """The IETF-draft ``RateLimit``/``RateLimit-Policy`` pair the Hub sends (§2.4)."""

    bucket: str
    remaining: int
    reset: int
    """Seconds until the window resets."""
    quota: int | None = None
    window: int | None = None

    @classmethod
    def parse(cls, headers: httpx.Headers) -> RateLimit | None:
        """Read the headers; ``None`` when absent or malformed."""
        match = _RATELIMIT.search(headers.get("ratelimit", ""))
        if not match:
            return None
        policy = headers.get("ratelimit-policy", "")
        q = _RATELIMIT_POLICY_Q.search(policy)
        w = _RATELIMIT_POLICY_W.search(policy)
        return cls(
            bucket=match["bucket"],
            remaining=int(match["r"]),
            reset=int(match["t"]),
            quota=int(q[1]) if q else None,
            window=int(w[1]) if w else None,
        )

    def describe(self) -> str:
        """Human text, after HFH's 429 message (reference §2.4)."""
        text = f"'{self.bucket}' rate limit: retry after {self.reset} s"
        if self.quota is not None and self.window is not None:
            text += f" ({self.remaining}/{self.quota} requests left in the {self.window} s window)"
        return text


def wait_for(response: httpx.Response, attempt: int) -> float:
    """How long to wait before retrying ``response`` (attempt counts from 0).

    The server's own word first (``Retry-After``, or ``RateLimit``'s ``t`` when ``r=0``,
    read by the shared :func:`validator.http.retry.server_delay`); HFH adds one second
    to the ``RateLimit`` reset (reference §2.3), and so do we. Otherwise exponential
    back-off from 1 s, capped at 8 s like HFH's ``http_backoff``.
    """
    delay = server_delay(response.headers)
    if delay is not None:
        if "retry-after" not in response.headers and "ratelimit" in response.headers:
            delay += 1.0
        return delay
    return backoff(attempt)


def backoff(attempt: int) -> float:
    """Exponential back-off with jitter for attempt ``attempt`` (from 0), capped."""
    return backoff_delay(attempt + 1, base=BACKOFF_BASE, cap=BACKOFF_MAX)


@dataclasses.dataclass(frozen=True)
class HubResponse:
    """The final answer to one GET, after retries and redirects."""

    url: str
    """What was asked for."""
    final_url: str
    status: int | None
    """``None`` when no HTTP answer came back at all (see ``transport_error``)."""
    body: bytes = b""
    headers: httpx.Headers = dataclasses.field(default_factory=httpx.Headers)
    redirects: tuple[tuple[int, str], ...] = ()
    attempts: int = 1
    transport_error: str | None = None
    connect_failed: bool = False
    """The failure was reaching the host at all (DNS, refused, no route, or a connect
    timeout: a black-holed network times out instead of refusing)."""
    gave_up_wait: float | None = None
    """Set when a 429/503 asked us to wait longer than ``max_wait``."""
    from_cache: bool = False

    @property
    def error_code(self) -> str | None:
        """``X-Error-Code`` (``RepoNotFound``, ``GatedRepo``, ``EntryNotFound``... §1.4)."""
        code: str | None = self.headers.get("x-error-code")
        return code

    @property
    def error_message(self) -> str | None:
        """``X-Error-Message``, or the JSON body's ``error`` (reference §1.4)."""
        message: str | None = self.headers.get("x-error-message")
        if message:
            return message
        data = self.json()
        if isinstance(data, dict) and isinstance(data.get("error"), str):
            return t.cast(str, data["error"])
        return None

    @property
    def rate_limit(self) -> RateLimit | None:
        """Parsed ``RateLimit`` headers of the last answer."""
        return RateLimit.parse(self.headers)

    def json(self) -> t.Any:
        """The body as JSON, or ``None`` when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:  # JSONDecodeError and UnicodeDecodeError both subclass it
            return None

    def link(self, rel: str) -> str | None:
        """A ``Link`` header target by relation, resolved against ``final_url``."""
        value = self.headers.get("link")
        if not value:
            return None
        for part in value.split(","):
            match = re.match(r"\s*<([^>]*)>\s*;(.*)", part)
            if match and re.search(rf'rel\s*=\s*"?{re.escape(rel)}"?(\s|;|$)', match[2]):
                return str(httpx.URL(self.final_url).join(match[1]))
        return None


def default_limiter(settings: HubSettings) -> HostLimiter:
    """The shared per-host limiter, sized for the Hub when running standalone."""
    return HostLimiter(
        concurrency=settings.concurrency, host_limits=lambda _host: (settings.concurrency, 0.0)
    )


class HubClient:
    """GET with the Hub's redirect, auth, retry, limit and cache rules (see module doc)."""

    def __init__(
        self,
        settings: HubSettings,
        client: httpx.AsyncClient,
        *,
        limiter: Limiter | None = None,
        cache: EtagCache | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.settings = settings
        self.client = client
        self._sleep: Sleep = sleep or timing.sleep
        self.limiter: Limiter = limiter or default_limiter(settings)
        self.cache = cache
        self.requests = 0
        """Requests actually sent (for tests and the run summary)."""

    def url(self, path: str) -> str:
        """``path`` under the endpoint."""
        return f"{self.settings.endpoint}/{path.lstrip('/')}"

    async def get(self, url: str, *, use_cache: bool = True) -> HubResponse:
        """GET ``url``, following redirects (reference §1.5) and retrying (§2.3).

        Redirects follow the shared policy (:mod:`validator.http.redirects`): relative
        targets resolved, loops and non-HTTP targets refused, at most ``MAX_REDIRECTS``
        hops; a chain that must stop ends at the redirect answer itself.
        """
        current = httpx.URL(url)
        chain = RedirectChain(current, MAX_REDIRECTS)
        attempts = 0
        while True:
            answer = await self._get_with_retries(current, use_cache)
            attempts += answer.attempts
            location = location_of(answer.headers)
            nxt = (
                chain.next_hop(current, t.cast(int, answer.status), location)
                if is_redirect(answer.status, location) and location
                else None
            )
            if not isinstance(nxt, httpx.URL):
                return dataclasses.replace(
                    answer, url=url, redirects=tuple(chain.hops), attempts=attempts
                )
            current = nxt

    def _headers(self, url: httpx.URL, cached: CachedResponse | None) -> dict[str, str]:
        headers = {"user-agent": self.settings.user_agent, "accept": "application/json"}
        if self.settings.sends_token_to(url):
            headers["authorization"] = f"Bearer {self.settings.token}"
        if cached is not None:
            headers["if-none-match"] = cached.etag
        return headers

    async def _get_with_retries(self, url: httpx.URL, use_cache: bool) -> HubResponse:
        auth = self.settings.sends_token_to(url)
        cached = self.cache.get(str(url), auth) if self.cache and use_cache else None
        headers = self._headers(url, cached)
        last_error: Exception | None = None
        for attempt in range(self.settings.max_retries + 1):
            try:
                async with self.limiter.slot(url.host):
                    self.requests += 1
                    response = await self.client.get(
                        url, headers=headers, follow_redirects=False, timeout=self.settings.timeout
                    )
            except httpx.TransportError as exc:
                # ConnectError: DNS, refused, no route; TimeoutException, ReadError...:
                # the host answered nothing usable. Retried alike, except a failure the
                # run already settled (the host's name did not resolve this run).
                last_error = exc
                if attempt < self.settings.max_retries and translate(exc).retryable:
                    await self._sleep(backoff(attempt))
                    continue
                break
            if response.status_code == 304 and cached is not None:
                return HubResponse(
                    url=str(url), final_url=str(url), status=200, body=cached.body,
                    headers=_with_link(response.headers, cached.link),
                    attempts=attempt + 1, from_cache=True,
                )  # fmt: skip
            if response.status_code in RETRY_STATUSES:
                final = await self._wait_to_retry(url, response, attempt)
                if final is None:
                    continue
                return final
            self._remember(url, auth, response, use_cache)
            return self._answer(url, response, attempt)
        return self._no_answer(url, last_error)

    def _no_answer(self, url: httpx.URL, error: Exception | None) -> HubResponse:
        """The answer when no HTTP answer came back (the token never in the text)."""
        return HubResponse(
            url=str(url), final_url=str(url), status=None,
            attempts=self.settings.max_retries + 1,
            transport_error=(
                redact(f"{type(error).__name__}: {error}", [self.settings.token])
                if error else None
            ),
            connect_failed=isinstance(error, httpx.ConnectError | httpx.ConnectTimeout),
        )  # fmt: skip

    async def _wait_to_retry(
        self, url: httpx.URL, response: httpx.Response, attempt: int
    ) -> HubResponse | None:
        """Wait before retrying a 408/429/5xx; the final answer when not retrying."""
        wait = wait_for(response, attempt)
        if wait > self.settings.max_wait:
            # Give up on this request only: blocking the host for minutes would
            # stall the crawler too, and the Hub's buckets (api, resolvers,
            # pages) are separate (reference §2.4).
            return self._answer(url, response, attempt, gave_up=wait)
        if response.status_code == 429:
            await _maybe_await(self.limiter.back_off(url.host, wait))
        if attempt >= self.settings.max_retries:
            return self._answer(url, response, attempt)
        await self._sleep(wait)
        return None

    def _remember(
        self, url: httpx.URL, auth: bool, response: httpx.Response, use_cache: bool
    ) -> None:
        """Keep a 200 with an ETag for revalidation next time."""
        etag = response.headers.get("etag")
        if self.cache is not None and use_cache and response.status_code == 200 and etag:
            link = response.headers.get("link", "")
            self.cache.put(str(url), auth, CachedResponse(etag, response.content, link))

    @staticmethod
    def _answer(
        url: httpx.URL, response: httpx.Response, attempt: int, gave_up: float | None = None
    ) -> HubResponse:
        return HubResponse(
            url=str(url), final_url=str(url), status=response.status_code,
            body=response.content, headers=response.headers, attempts=attempt + 1,
            gave_up_wait=gave_up,
        )  # fmt: skip


def _with_link(headers: httpx.Headers, link: str) -> httpx.Headers:
    out = httpx.Headers(headers)
    if link and "link" not in out:
        out["link"] = link
    return out


async def _maybe_await(value: t.Any) -> None:
    if inspect.isawaitable(value):
        await value
