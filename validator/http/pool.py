"""Keep-alive connections: one small pool per origin, idle connections on a stack.

httpcore's own ``AsyncConnectionPool`` re-examines every pooled connection on every
request and on every response close (``is_idle``, ``has_expired``, which polls the
socket through anyio's attribute lookup). Profiled at zero latency (10,000 URLs over
100 hosts) that bookkeeping was a third of the crawl's CPU time. Here a request takes
the most recently returned idle connection (checking only that one), or opens a new
one; a closed response gives its connection back when it is reusable. Connections
are httpcore's own (:class:`httpcore.AsyncHTTPConnection`: connect, TLS, HTTP/1.1), so
the wire behaviour is httpcore's; only the choice of connection is ours.

:class:`OriginPools` keeps one :class:`OriginPool` per origin (scheme, host, port),
so a crawl over a thousand hosts never looks beyond one host's own few connections,
and closes the idle pools beyond :attr:`OriginPools.MAX_IDLE_POOLS`, least recently
used first, so such a crawl does not hold a thousand idle sockets open.
"""

from __future__ import annotations

import collections
import typing as t

import anyio
import httpcore
import httpx

Connection = httpcore.AsyncHTTPConnection
OriginKey = tuple[bytes, bytes, int | None]


class PooledConnection(t.Protocol):
    """What a pool needs of a connection: httpcore's, or the crawler's own (``wire``)."""

    def is_available(self) -> bool: ...
    def has_expired(self) -> bool: ...
    def is_idle(self) -> bool: ...
    async def aclose(self) -> None: ...


C = t.TypeVar("C", bound=PooledConnection)


class OriginPool(t.Generic[C]):
    """Connections to one origin: at most ``max_connections`` in use at once (a request
    beyond waits for one to come back) and at most ``max_idle`` kept open idle.

    :meth:`acquire` waits for room and hands out the newest reusable idle connection
    (or ``None``: the caller opens one); :meth:`give_back` returns it, or
    :meth:`release` gives up the room when no connection was made.
    """

    def __init__(
        self, make: t.Callable[[], C] | None = None, *, max_connections: int, max_idle: int
    ) -> None:
        self._make = make
        self._max = max(1, max_connections)
        self._max_idle = max_idle
        self._idle: list[C] = []
        self._busy = 0
        self._waiting: collections.deque[anyio.Event] = collections.deque()
        self._closed = False

    @classmethod
    def for_limits(
        cls, limits: httpx.Limits, make: t.Callable[[], C] | None = None
    ) -> OriginPool[C]:
        """A pool sized by httpx's ``limits`` (``None``: unbounded, as in httpcore)."""
        most = limits.max_connections or 1024
        idle = limits.max_keepalive_connections
        keep = most if idle is None else min(idle, most)
        return cls(make, max_connections=most, max_idle=keep)

    @property
    def idle(self) -> bool:
        """Whether no request is using a connection of this pool."""
        return self._busy == 0

    async def acquire(self) -> C | None:
        """Room for one request: the newest reusable idle connection, or ``None``."""
        while self._busy >= self._max:
            waiter = anyio.Event()
            self._waiting.append(waiter)
            try:
                await waiter.wait()
            except BaseException:
                if waiter.is_set():
                    self._wake()  # woken, then cancelled: the turn goes to the next
                else:
                    self._waiting.remove(waiter)
                raise
        self._busy += 1
        try:
            return await self._reusable()
        except BaseException:
            self._release()
            raise

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        """Send ``request`` on an idle httpcore connection, or on a new one."""
        assert self._make is not None, "a pool of httpcore connections has a factory"
        connection = await self.acquire()
        reused = connection is not None
        try:
            while True:
                if connection is None:
                    connection = self._make()
                try:
                    response = await t.cast(Connection, connection).handle_async_request(request)
                    break
                except httpcore.ConnectionNotAvailable:
                    # closed by the server between our check and the request: a fresh
                    # connection once (httpcore's pool retries the same way)
                    if not reused:
                        raise
                    await _close(connection)
                    connection, reused = None, False
        except BaseException:
            if connection is not None:
                await _close(connection)
            self._release()
            raise
        assert isinstance(response.stream, t.AsyncIterable)  # an async connection's body
        stream = _ReturningStream(response.stream, self, t.cast(Connection, connection))
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=stream,
            extensions=response.extensions,
        )

    async def _reusable(self) -> C | None:
        """The newest idle connection still good for a request, closing stale ones."""
        while self._idle:
            connection = self._idle.pop()
            if connection.is_available() and not connection.has_expired():
                return connection
            await _close(connection)
        return None

    async def give_back(self, connection: C) -> None:
        """A response is closed: keep its connection when it can serve another request."""
        try:
            if not self._closed and connection.is_idle() and len(self._idle) < self._max_idle:
                self._idle.append(connection)
            else:
                await _close(connection)
        finally:
            self._release()

    def release(self) -> None:
        """Give up the room :meth:`acquire` made when no connection could be opened."""
        self._release()

    def _release(self) -> None:
        self._busy -= 1
        self._wake()

    def _wake(self) -> None:
        if self._waiting:
            self._waiting.popleft().set()

    async def aclose(self) -> None:
        """Close every idle connection; one in use closes when its response does."""
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            await _close(connection)


async def _close(connection: PooledConnection) -> None:
    with anyio.CancelScope(shield=True):
        await connection.aclose()


class _ReturningStream:
    """A response body that hands its connection back to the pool once closed."""

    def __init__(
        self, stream: t.AsyncIterable[bytes], pool: OriginPool[t.Any], connection: Connection
    ) -> None:
        self._stream = stream
        self._pool = pool
        self._connection: Connection | None = connection

    async def __aiter__(self) -> t.AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            with anyio.CancelScope(shield=True):
                closer = getattr(self._stream, "aclose", None)
                if closer is not None:
                    await closer()
        finally:
            await self._pool.give_back(connection)


class OriginPools(t.Generic[C]):
    """One :class:`OriginPool` per origin (scheme, host, port); see the module docstring.

    ``make_pool(origin)`` builds the pool of an origin on its first request.
    """

    MAX_IDLE_POOLS = 64
    """Pools kept beyond this are closed when idle, least recently used first, so a list
    spanning thousands of hosts does not hold thousands of idle sockets open."""

    def __init__(self, make_pool: t.Callable[[httpcore.Origin], OriginPool[C]]) -> None:
        self._make_pool = make_pool
        self._pools: collections.OrderedDict[OriginKey, OriginPool[C]] = collections.OrderedDict()

    async def pool(self, scheme: bytes, host: bytes, port: int | None) -> OriginPool[C]:
        """The pool of an origin, created on first use (closing idle ones beyond the cap)."""
        key = (scheme, host, port)
        pool = self._pools.get(key)
        if pool is None:
            origin = httpcore.Origin(scheme, host, port or (443 if scheme == b"https" else 80))
            pool = self._pools[key] = self._make_pool(origin)
            await self._close_idle_pools()
        else:
            self._pools.move_to_end(key)
        return pool

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        """Send ``request`` through its origin's pool, created on first use."""
        url = request.url
        pool = await self.pool(url.scheme, url.host, url.port)
        return await pool.handle_async_request(request)

    async def _close_idle_pools(self) -> None:
        excess = len(self._pools) - self.MAX_IDLE_POOLS
        for key, pool in list(self._pools.items()):
            if excess <= 0:
                break
            if pool.idle:
                del self._pools[key]
                await pool.aclose()
                excess -= 1

    async def __aenter__(self) -> OriginPools:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every pool."""
        pools = list(self._pools.values())
        self._pools.clear()
        for pool in pools:
            await pool.aclose()
