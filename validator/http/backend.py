"""A network backend that resolves names itself and refuses unsafe addresses.

Checking a URL's host name before the request is not enough: a public name can
resolve to ``127.0.0.1`` (or change between check and connect), and a redirect can
send us anywhere. So the check lives where the socket is opened: httpcore asks its
network backend for every TCP connection, including every redirect hop and every
retry, and this backend resolves the name, drops private, loopback, link-local,
multicast and reserved addresses, and connects to a remaining address by IP (TLS still
verifies the certificate against the original host name: httpcore passes
``server_hostname`` itself). None of the peers resolve and re-check the address
(``docs/links.md``; lychee's ``--exclude-all-private`` looks at literal IPs only).
"""

from __future__ import annotations

import ipaddress
import os
import select
import socket
import ssl
import threading
import typing as t

import anyio
import anyio.from_thread
import anyio.lowlevel
import httpcore

from validator.http.errors import (
    ConnectFailedError,
    NetworkError,
    RequestTimeout,
    UnsafeAddressError,
    resolution_error,
)
from validator.http.settings import Resolver

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known prefix


def is_public_address(address: IPAddress) -> bool:
    """Whether ``address`` is a global unicast address we may connect to by default.

    IPv6 forms that carry an IPv4 address (mapped ``::ffff:a.b.c.d``, 6to4
    ``2002:AABB:CCDD::``, NAT64 ``64:ff9b::a.b.c.d``) are judged by that IPv4 address:
    a 6to4 or NAT64 gateway connects to it for us.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public_address(address.ipv4_mapped)
        if address.sixtofour is not None:
            return is_public_address(address.sixtofour)
        if address in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.is_site_local:
            return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the system resolver, in order, in a daemon thread of its own.

    ``getaddrinfo`` cannot be interrupted: a resolver that never answers holds its
    thread for its own timeout (10 s with glibc's defaults). In anyio's worker pool
    that thread would keep the process alive after the run gave up on the lookup
    (:class:`~validator.http.resolver.HostResolver`); a daemon thread does not.
    """
    token = anyio.lowlevel.current_token()
    done = anyio.Event()
    box: list[t.Any] = []

    def lookup() -> None:
        try:
            box.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the waiting task below
            box.append(exc)
        try:
            anyio.from_thread.run_sync(done.set, token=token)
        except Exception:  # the run is over: nobody waits for this answer any more
            pass

    threading.Thread(target=lookup, name=f"resolve {host}", daemon=True).start()
    await done.wait()
    if isinstance(box[0], BaseException):
        raise box[0]
    infos = box[0]
    out: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        ip = str(sockaddr[0])
        if ip not in out:
            out.append(ip)
    return out


class SafeNetworkBackend(httpcore.AsyncNetworkBackend):
    """Wraps httpcore's anyio backend: resolve, filter, then connect by IP."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allowlist: t.Iterable[str] = (),
        resolver: Resolver | None = None,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.allowlist = tuple(ipaddress.ip_network(n, strict=False) for n in allowlist)
        self.resolver = resolver or system_resolver
        self.inner = inner or httpcore.AnyIOBackend()

    def allowed(self, address: IPAddress) -> bool:
        """Whether connecting to ``address`` is permitted by this backend's policy."""
        if self.allow_private or is_public_address(address):
            return True
        return any(address in net for net in self.allowlist)

    async def resolve(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` we may connect to; raise when there are none."""
        try:
            literal: IPAddress | None = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None:
            candidates = [str(literal)]
        else:
            try:
                candidates = await self.resolver(host, port)
            except socket.gaierror as exc:
                raise resolution_error(host, exc) from exc
            except UnicodeError as exc:
                raise resolution_error(host, socket.gaierror(socket.EAI_NONAME, str(exc))) from exc
        allowed = [ip for ip in candidates if self.allowed(ipaddress.ip_address(ip))]
        if not allowed:
            shown = ", ".join(candidates[:3]) or "nothing"
            raise UnsafeAddressError(
                f"{host} resolves to a private or reserved address ({shown}); "
                "refused (use --allow-private to check intranet links)"
            )
        return allowed

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: t.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve ``host``, then try each permitted address in turn."""
        addresses = await self.resolve(host, port)
        last: BaseException | None = None
        for ip in addresses:
            try:
                stream = await self.inner.connect_tcp(
                    ip,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
                return _KnownSocketStream(stream)
            except httpcore.ConnectTimeout as exc:
                last = exc
            except httpcore.ConnectError as exc:
                last = exc
        raise connect_failure(host, port, last) from last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: t.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Unix sockets are never a link target."""
        raise UnsafeAddressError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        """Delegate (httpcore uses it for its own connect retries)."""
        await self.inner.sleep(seconds)


class _KnownSocketStream(httpcore.AsyncNetworkStream):
    """A network stream whose socket is looked up once, not at every request.

    Before reusing an idle connection httpcore asks whether its socket is readable (the
    server hung up); through anyio that lookup builds a table of every socket attribute
    each time (3 % of a zero-latency crawl's CPU). Everything else is passed through.
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _KnownSocketStream(
            await self._inner.start_tls(ssl_context, server_hostname, timeout)
        )

    def get_extra_info(self, info: str) -> t.Any:
        if info == "socket":
            return self._socket
        if info == "is_readable":
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


def _readable(sock: socket.socket | None) -> bool:
    """Whether a read would not block: data, or the end (as httpcore decides it)."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True  # closed: the next read returns the end
    if not hasattr(select, "poll"):  # Windows
        return bool(select.select([fd], [], [], 0)[0])
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))


def connect_failure(host: str, port: int, last: BaseException | None) -> NetworkError:
    """The error when no address of ``host`` took the connection, for both clients
    (httpcore's connections through this backend, and :mod:`validator.http.wire`)."""
    if isinstance(last, httpcore.ConnectTimeout | TimeoutError):
        return _ConnectTimeout(f"connect to {host} timed out", phase="connect")
    return _ConnectError(f"cannot connect to {host}:{port}: {_innermost_reason(last)}")


def _innermost_reason(exc: BaseException | None) -> str:
    """The most specific OS error text in a chain ("Connection refused", not "All ...")."""
    reason = str(exc) if exc else "connection failed"
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno:
            # the system's words: asyncio's strerror is "Connect call failed ('ip', port)"
            reason = os.strerror(exc.errno)
        elif isinstance(exc, OSError) and exc.strerror:
            reason = exc.strerror
        nested = getattr(exc, "exceptions", None)  # ExceptionGroup from happy eyeballs
        exc = nested[0] if nested else (exc.__cause__ or exc.__context__)
    return reason


class _ConnectError(ConnectFailedError, httpcore.ConnectError):
    """A connect failure raised from inside httpcore (kept on ``__cause__``)."""


class _ConnectTimeout(RequestTimeout, httpcore.ConnectTimeout):
    """A connect timeout raised from inside httpcore."""


__all__ = [
    "NetworkError",
    "SafeNetworkBackend",
    "connect_failure",
    "is_public_address",
    "system_resolver",
]
