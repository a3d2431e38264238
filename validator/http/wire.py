"""The crawler's own HTTP/1.1 client: asyncio protocols and the httptools parser.

A link check asks one question per request (status and headers, sometimes the start of
a page), and at zero latency the layers between the crawler and the socket were most of
its CPU time: httpx (request and response models, hooks, cookies), httpcore (a state
machine per connection, traces, locks), h11 (a pure-Python parser validating every
header) and anyio's streams. Measured over 10,000 URLs on 100 loopback hosts, a raw
asyncio client parsed by h11 costs 270 us per request, one parsed by httptools (the C
parser uvicorn uses, llhttp from Node.js) 80 us, and the full httpx stack ~1,000 us.

So the crawler sends its requests through :class:`WireClient` instead, keeping every
rule of the httpx path: the same connection policy (:class:`SafeNetworkBackend`
resolves each name and refuses private addresses; TLS verifies against the original
host name), the same per-origin pools (:mod:`validator.http.pool`), the same default
headers and cookie jar as the client it is built from, the same ``Location`` guard,
and the same errors (:mod:`validator.http.errors`). A response is read raw, like
``httpx.Response.aiter_raw``, so :func:`~validator.http.client.read_limited` decodes
it with its limit. Tests and other callers that inject an ``httpx`` transport keep the
httpx path; ``tests/http/test_http_wire.py`` runs both paths over the same loopback
servers and compares what the crawler sees.
"""

from __future__ import annotations

import asyncio
import ssl
import typing as t

import anyio
import httpx

from validator.http.backend import SafeNetworkBackend, connect_failure
from validator.http.client import (
    pool_limits,
    safe_backend,
    set_aside_unusable_location,
    verifying_context,
)
from validator.http.connection import NotAvailable, WireConnection, WireResponse
from validator.http.errors import (
    NetworkError,
    ProtocolFailure,
    tls_failure,
)
from validator.http.pool import OriginPool, OriginPools
from validator.http.settings import CrawlSettings

ENABLED = True
"""Whether a crawl with its own client sends over this module. Tests that mock httpx with
respx (which this path goes around) turn it off; see ``tests/conftest.py``."""


class WireClient:
    """Sends the crawler's requests; see the module docstring.

    ``defaults`` and ``cookies`` are the httpx client's own, so both paths send the
    same headers and share one jar.
    """

    def __init__(
        self,
        backend: SafeNetworkBackend,
        ssl_context: ssl.SSLContext,
        *,
        defaults: httpx.Headers,
        cookies: httpx.Cookies,
        limits: httpx.Limits,
        connect_timeout: float,
    ) -> None:
        self._backend = backend
        self._ssl = ssl_context
        self._cookies = cookies
        self._connect_timeout = connect_timeout
        self._expiry = limits.keepalive_expiry or 0.0
        self._pools: OriginPools[WireConnection] = OriginPools(
            lambda _origin: OriginPool.for_limits(limits)
        )
        self._defaults = {name.lower(): (name, value) for name, value in defaults.items()}
        self._default_block = _header_lines(self._defaults.values())

    async def send(self, method: str, url: httpx.URL, headers: t.Mapping[str, str]) -> WireResponse:
        """Send one request to ``url``; the response's body is still to be read."""
        lines = self._lines(method, url, headers)
        head = b"%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n" % (
            method.encode("ascii"),
            url.raw_path,
            url.netloc,
            lines,
        )
        pool = await self._pools.pool(url.raw_scheme, url.raw_host, url.port)
        connection = await pool.acquire()
        while True:
            if connection is None:
                connection = await self._open(pool, url)
            try:
                response = await connection.request(head, method == "HEAD")
                break
            except NotAvailable:
                connection = None  # closed while idle: once more on a fresh connection
            except BaseException:
                pool.release()
                raise
        set_aside_unusable_location(response.headers, response.status_code, url)
        if "set-cookie" in response.headers:
            self._cookies.extract_cookies(
                httpx.Response(
                    response.status_code,
                    headers=response.headers,
                    request=httpx.Request(method, url),
                )
            )
        return response

    def _lines(self, method: str, url: httpx.URL, headers: t.Mapping[str, str]) -> bytes:
        """The header lines after ``Host``: the client's defaults, then the request's."""
        if not headers and not self._cookies.jar:
            return self._default_block
        merged = dict(self._defaults)
        for name, value in headers.items():
            merged[name.lower()] = (name, value)
        if self._cookies.jar:
            request = httpx.Request(method, url)
            self._cookies.set_cookie_header(request)
            if "cookie" in request.headers:
                merged.setdefault("cookie", ("Cookie", request.headers["cookie"]))
        return _header_lines(merged.values())

    async def _open(self, pool: OriginPool[WireConnection], url: httpx.URL) -> WireConnection:
        """A new connection to ``url``'s origin, or the pool's room given back."""
        try:
            return await self._connect(pool, url.host, url.port or _default_port(url), url.scheme)
        except BaseException:
            pool.release()
            raise

    async def _connect(
        self, pool: OriginPool[WireConnection], host: str, port: int, scheme: str
    ) -> WireConnection:
        addresses = await self._backend.resolve(host, port)
        loop = asyncio.get_running_loop()
        tls = self._ssl if scheme == "https" else None
        last: BaseException | None = None
        for ip in addresses:
            connection = WireConnection(pool, self._expiry)
            try:
                with anyio.fail_after(self._connect_timeout):
                    await loop.create_connection(
                        lambda c=connection: c,
                        ip,
                        port,
                        ssl=tls,
                        server_hostname=host if tls is not None else None,
                    )
                return connection
            except ssl.SSLError as exc:
                raise tls_failure(exc) from exc
            except (OSError, TimeoutError) as exc:
                last = exc
        raise connect_failure(host, port, last) from last

    async def aclose(self) -> None:
        await self._pools.aclose()


def wire_client(settings: CrawlSettings, client: httpx.AsyncClient) -> WireClient:
    """The wire client that sends what ``client`` (from ``build_client``) would send."""
    return WireClient(
        safe_backend(settings),
        verifying_context(),
        defaults=client.headers,
        cookies=client.cookies,
        limits=pool_limits(settings),
        connect_timeout=settings.connect_timeout,
    )


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


def _header_lines(pairs: t.Iterable[tuple[str, str]]) -> bytes:
    """``Name: value`` lines; a CR or LF in a header would split the request: refused."""
    out = []
    for name, value in pairs:
        if any(c in name or c in value for c in "\r\n\0"):
            raise ProtocolFailure(f"header {name!r} contains a line break; not sent")
        out.append(f"{name}: {value}\r\n")
    return "".join(out).encode("latin-1", "replace")


__all__ = ["NetworkError", "WireClient", "WireResponse", "wire_client"]
