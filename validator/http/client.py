"""Building the shared ``httpx.AsyncClient`` and reading bodies safely.

One client per run, with a connection pool per origin
(:class:`~validator.http.pool.OriginPools`): our user agent, no automatic redirects
(callers follow hops themselves so they can record the chain and decide which headers
travel: RFC 9110 §15.4 leaves that to the client, and credentials must not reach
another origin), no proxy or ``.netrc`` from the
environment (a proxy would bypass the address check of
:class:`~validator.http.backend.SafeNetworkBackend`).

Bodies are read raw and decompressed here with a hard output limit, so neither a
10 GB checkpoint nor a gzip bomb is ever held in memory beyond ``limit`` bytes.
"""

from __future__ import annotations

import functools
import ssl
import typing as t
import zlib

import httpcore
import httpx

from validator.credentials import headers_for_hop, is_sensitive, same_origin
from validator.http.backend import SafeNetworkBackend
from validator.http.pool import OriginPool, OriginPools
from validator.http.resolver import HostResolver, run_resolver
from validator.http.settings import CrawlSettings

ACCEPT_ENCODING = "gzip, deflate"
"""Only encodings we can decompress with a limit ourselves (no br/zstd)."""


@functools.cache
def verifying_context() -> ssl.SSLContext:
    """The verifying TLS context (loading the CA bundle costs ~0.1 s: once, not per client)."""
    return httpx.create_ssl_context(trust_env=False)


def safe_backend(settings: CrawlSettings) -> SafeNetworkBackend:
    """The address policy and resolver of ``settings``: every connection goes through it.

    Each host is resolved once per client (once per run when the run shares a
    HostResolver through the settings): see validator.http.resolver.
    """
    resolver = run_resolver(settings) or HostResolver(
        settings.resolver, timeout=settings.connect_timeout
    )
    return SafeNetworkBackend(
        allow_private=settings.allow_private,
        allowlist=settings.private_allowlist,
        resolver=resolver,
    )


def pool_limits(settings: CrawlSettings) -> httpx.Limits:
    """Enough connections for every global slot plus keep-alive headroom."""
    return httpx.Limits(
        max_connections=settings.concurrency + 16,
        max_keepalive_connections=settings.concurrency + 16,
        keepalive_expiry=30.0,
    )


class SafeTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` whose pools use the safe backend, one per origin."""

    def __init__(self, settings: CrawlSettings, *, limits: httpx.Limits) -> None:
        ssl_context = verifying_context()  # one per process, shared by every pool and client
        super().__init__(verify=ssl_context, limits=limits, trust_env=False)
        backend = safe_backend(settings)

        def make_pool(origin: httpcore.Origin) -> OriginPool:
            def connect() -> httpcore.AsyncHTTPConnection:
                return httpcore.AsyncHTTPConnection(
                    origin,
                    ssl_context=ssl_context,
                    keepalive_expiry=limits.keepalive_expiry,
                    network_backend=backend,
                )

            return OriginPool.for_limits(limits, connect)

        # httpx only calls handle_async_request, aclose and the context methods on it.
        self._pool = OriginPools(make_pool)  # type: ignore[assignment]


def build_client(
    settings: CrawlSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The client every network user of the tool shares.

    ``transport`` replaces the safe transport (tests pass ``httpx.MockTransport`` or use
    respx). Timeouts are per phase from ``settings``; callers bound the total themselves.
    """
    limits = pool_limits(settings)
    timeout = httpx.Timeout(settings.timeout, connect=settings.connect_timeout, pool=None)
    client = httpx.AsyncClient(
        transport=transport or SafeTransport(settings, limits=limits),
        headers={
            "User-Agent": settings.user_agent,
            "Accept-Encoding": ACCEPT_ENCODING,
            # Credential headers are never client defaults: httpx would send them to
            # every host. The crawler adds them per hop, on the chain's origin only.
            **{k: v for k, v in settings.headers.items() if not is_sensitive(k)},
        },
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        event_hooks={"response": [_set_aside_unusable_location]},
    )
    client._cookies = _Cookies()  # the property's setter would copy it into a plain one
    return client


class _Cookies(httpx.Cookies):
    """The client's cookie jar, which looks at a response only when it sets a cookie.

    httpx hands every response to the jar, which first builds urllib request and
    response stand-ins (5 % of a zero-latency crawl's CPU); almost no checked page
    sets a cookie. ``Set-Cookie2`` is ignored by the standard policy anyway.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


UNUSABLE_LOCATION = "x-validator-unusable-location"
"""Where :func:`_set_aside_unusable_location` moves a ``Location`` httpx cannot take."""


async def _set_aside_unusable_location(response: httpx.Response) -> None:
    """The response hook of :func:`set_aside_unusable_location`."""
    set_aside_unusable_location(response.headers, response.status_code, response.request.url)


def set_aside_unusable_location(headers: httpx.Headers, status: int, url: httpx.URL) -> None:
    """Move a ``Location`` that httpx itself cannot turn into a request out of its way.

    Even when not following, httpx builds the next request of every redirect, and a
    ``Location: javascript:...`` (or ``mailto:``, ``data:``, a port out of range)
    makes that raise ``InvalidURL``, which is no ``HTTPError``: the whole crawl
    crashed. Under another name the header still reaches the redirect policy
    (:func:`validator.http.redirects.location_of`), which judges it. The crawler's
    own HTTP/1.1 client (:mod:`validator.http.wire`) applies the same rule, so both
    clients hand the crawler the same headers.
    """
    location = headers.get("location")
    if location is None or status not in range(300, 400):
        return
    try:
        target = httpx.URL(location)
        if target.scheme and not target.host:
            target.copy_with(host=url.host)
        url.join(target)
    except (httpx.InvalidURL, ValueError, TypeError):
        del headers["location"]
        headers[UNUSABLE_LOCATION] = location


def same_origin_host(a: httpx.URL, b: httpx.URL) -> bool:
    """Whether credentials for ``a`` may be sent to ``b`` (same scheme, host and port)."""
    return same_origin(a, b)


def strip_cross_host_auth(
    headers: t.Mapping[str, str], from_url: httpx.URL, to_url: httpx.URL
) -> dict[str, str]:
    """Headers safe to send to ``to_url`` after a redirect from ``from_url``.

    Drops ``Authorization``, ``Cookie`` and ``Proxy-Authorization`` when the origin
    (scheme, host, port) changes; see :mod:`validator.credentials`.
    """
    return headers_for_hop(headers, from_url, to_url)


_DEFLATE_PENDING: t.Any = object()


def _zlib_header(data: bytes) -> bool:
    """Whether ``data`` starts with a zlib header (RFC 1950), not raw deflate (RFC 1951).

    HTTP's ``deflate`` means zlib-wrapped, but some servers send raw deflate; browsers
    and curl accept both, so do we.
    """
    if len(data) < 2:
        return True
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


class BodyTooLarge(Exception):
    """Internal marker: the limit was reached (the caller gets ``truncated=True``)."""


class RawResponse(t.Protocol):
    """What the crawler reads of a response: ``httpx.Response`` or the wire client's."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> httpx.Headers: ...
    def aiter_raw(self) -> t.AsyncIterator[bytes]: ...
    async def aclose(self) -> None: ...


async def read_limited(response: RawResponse, limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` decoded bytes of a streamed response, then stop.

    Returns ``(body, truncated)``. Decompression uses ``max_length`` so a compressed
    chunk can never expand past the limit (a 10 MB gzip bomb stays 10 MB on the wire
    read and ``limit`` in memory). Unknown encodings yield ``b""``.
    """
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    decoder: t.Any
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = _DEFLATE_PENDING  # zlib-wrapped or raw: decided by the first bytes
    elif encoding in ("identity", ""):
        decoder = None
    else:
        return b"", True
    out = bytearray()
    raw_read = 0
    truncated = False
    try:
        async for chunk in response.aiter_raw():
            raw_read += len(chunk)
            if decoder is _DEFLATE_PENDING and chunk:
                decoder = zlib.decompressobj(
                    zlib.MAX_WBITS if _zlib_header(chunk) else -zlib.MAX_WBITS
                )
            if decoder is None:
                out += chunk[: limit - len(out)]
            elif chunk:
                try:
                    out += decoder.decompress(chunk, limit - len(out))
                except zlib.error:
                    truncated = True  # undecodable: never pass it off as the whole page
                    break
                if decoder.unconsumed_tail:
                    truncated = True
                    break
            if len(out) >= limit or raw_read >= limit:
                truncated = True
                break
    finally:
        await response.aclose()
    return bytes(out), truncated
