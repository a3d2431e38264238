"""One HTTP/1.1 connection of the crawler's own client, and the response it carries.

:class:`WireConnection` is an asyncio protocol that carries one request at a time and is
kept alive while the server allows; :class:`WireResponse` receives the httptools
parser's callbacks: status and headers at once, the body raw as it arrives, with the
socket paused while the crawler has not caught up. Closed or broken connections become
the errors of :mod:`validator.http.errors`, worded as the httpx path words them. The
client that opens and pools these connections is :mod:`validator.http.wire`.
"""

from __future__ import annotations

import asyncio
import collections
import time
import typing as t

import httptools
import httpx

from validator.http.errors import ProtocolFailure, describe_os_error
from validator.http.pool import OriginPool

HIGH_WATER = 256 * 1024
"""Buffered body bytes beyond which the socket is not read until the crawler catches up."""

_DISCONNECTED = "Server disconnected without sending a response."
_BODY_CUT = "peer closed connection without sending complete message body"


class NotAvailable(Exception):
    """A reused connection closed before answering: the request goes on a fresh one."""


class WireResponse:
    """One response: status and headers at once, the body raw as it arrives.

    The subset of ``httpx.Response`` the crawler reads: ``status_code``, ``headers``,
    :meth:`aiter_raw` and :meth:`aclose`.
    """

    def __init__(self, connection: WireConnection, head: bool) -> None:
        self.status_code = 0
        self.headers = httpx.Headers()
        self._connection = connection
        self._head = head
        self._raw: list[tuple[bytes, bytes]] = []
        self._chunks: collections.deque[bytes] = collections.deque()
        self._buffered = 0
        self._complete = False
        self._keep_alive = False
        self._until_close = False
        self._expected = ""
        self._received = 0
        self._informational = False
        self._got_bytes = False
        self._error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._started: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.parser = httptools.HttpResponseParser(self)

    # httptools callbacks ---------------------------------------------------------
    def on_message_begin(self) -> None:
        self._got_bytes = True

    def on_header(self, name: bytes, value: bytes) -> None:
        self._raw.append((name, value))

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        self._informational = 100 <= status < 200
        if self._informational:
            self._raw = []  # 100 Continue, 103 Early Hints: the answer is still to come
            return
        self.status_code = status
        self._keep_alive = self.parser.should_keep_alive()
        fields = {name.lower(): value for name, value in self._raw}
        self._expected = fields.get(b"content-length", b"").decode("latin-1")
        self._until_close = not self._expected and b"transfer-encoding" not in fields
        if self._head:
            self._complete = True  # a HEAD answer has no body, whatever it declares
        self._wake(self._started)

    def on_body(self, body: bytes) -> None:
        if self._complete:  # bytes after a HEAD answer: the connection is out of step
            self._keep_alive = False
            return
        self._chunks.append(body)
        self._buffered += len(body)
        self._received += len(body)
        if self._buffered > HIGH_WATER:
            self._connection.pause()
        self._wake(self._waiter)

    def on_message_complete(self) -> None:
        if self._informational:
            self._informational = False
            return
        self._complete = True
        self._wake(self._waiter)

    # connection events -----------------------------------------------------------
    def lost(self, exc: Exception | None) -> None:
        """The connection closed: the end of a body read to the close, or a failure."""
        if self._started.done() and (self._complete or self._until_close):
            self._complete = True
        elif not self._started.done() and not self._got_bytes:
            self._error = (
                NotAvailable()
                if self._connection.reused
                else ProtocolFailure(_DISCONNECTED if exc is None else _reset_text(exc))
            )
        else:
            self._error = ProtocolFailure(self._cut() if exc is None else _reset_text(exc))
        self._keep_alive = False
        self._wake(self._started if not self._started.done() else self._waiter)

    def _cut(self) -> str:
        """A body cut short, worded as h11 words it on the httpx path."""
        if not self._expected:
            return f"{_BODY_CUT}: incomplete chunked read"
        return f"{_BODY_CUT} (received {self._received} bytes, expected {self._expected})"

    def fail(self, error: BaseException) -> None:
        self._error = error
        self._keep_alive = False
        self._wake(self._started if not self._started.done() else self._waiter)

    @staticmethod
    def _wake(future: asyncio.Future[None] | None) -> None:
        if future is not None and not future.done():
            future.set_result(None)

    # the crawler's side ----------------------------------------------------------
    async def started(self) -> None:
        """Wait for the status line and headers."""
        await self._started
        if self._error is not None and not self.status_code:
            raise self._error
        self.headers = httpx.Headers(self._raw)

    async def aiter_raw(self) -> t.AsyncIterator[bytes]:
        """The body as it arrives, undecoded."""
        while True:
            if self._chunks:
                chunk = self._chunks.popleft()
                self._buffered -= len(chunk)
                if self._buffered <= HIGH_WATER // 2:
                    self._connection.resume()
                yield chunk
            elif self._complete:
                return
            elif self._error is not None:
                raise self._error
            else:
                self._waiter = asyncio.get_running_loop().create_future()
                await self._waiter

    @property
    def reusable(self) -> bool:
        """Whether the connection may carry another request after this answer."""
        return self._complete and self._keep_alive and self._error is None

    async def aclose(self) -> None:
        """Give the connection back to its pool (kept when it can serve again)."""
        await self._connection.finish(self)


class WireConnection(asyncio.Protocol):
    """One HTTP/1.1 connection: one request at a time, kept alive while the server allows."""

    def __init__(self, pool: OriginPool[WireConnection], expiry: float) -> None:
        self._pool = pool
        self._expiry = expiry
        self._transport: asyncio.Transport | None = None
        self._response: WireResponse | None = None
        self._closed = False
        self._paused = False
        self._expires = 0.0
        self.reused = False

    # asyncio.Protocol ------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = t.cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        response = self._response
        if response is None:  # bytes nobody asked for: never reuse this connection
            self._abort()
            return
        try:
            response.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            response.fail(ProtocolFailure("unexpected protocol switch"))
            self._abort()
        except httptools.HttpParserError as exc:
            response.fail(ProtocolFailure(f"invalid HTTP response: {exc}"))
            self._abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        if self._response is not None:
            self._response.lost(exc)

    # pooled connection -------------------------------------------------------------
    def is_available(self) -> bool:
        return not self._closed and self._response is None

    def has_expired(self) -> bool:
        return time.monotonic() > self._expires

    def is_idle(self) -> bool:
        return self.is_available()

    async def aclose(self) -> None:
        self._abort()

    # requests ----------------------------------------------------------------------
    async def request(self, head: bytes, is_head: bool) -> WireResponse:
        """Write a request; return once its status line and headers are in."""
        assert self._transport is not None and self._response is None
        response = self._response = WireResponse(self, is_head)
        try:
            self._transport.write(head)
            await response.started()
        except BaseException:
            self._response = None  # the connection closes: it is out of step
            self._abort()
            raise
        return response

    async def finish(self, response: WireResponse) -> None:
        """The crawler is done with ``response``: keep the connection or close it."""
        if self._response is not response:
            return
        if not response.reusable:
            self._abort()
        self._response = None
        self.reused = True
        self._expires = time.monotonic() + self._expiry
        if self._paused:
            self.resume()
        await self._pool.give_back(self)

    def pause(self) -> None:
        if not self._paused and self._transport is not None:
            self._paused = True
            self._transport.pause_reading()

    def resume(self) -> None:
        if self._paused and self._transport is not None and not self._closed:
            self._paused = False
            self._transport.resume_reading()

    def _abort(self) -> None:
        self._closed = True
        if self._transport is not None:
            self._transport.abort()


def _reset_text(exc: BaseException) -> str:
    """``connection reset`` and friends, worded as the httpx path words them."""
    return describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
