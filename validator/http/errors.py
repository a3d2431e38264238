"""Domain errors of the network layer, translated from transport errors at the boundary.

Callers never catch ``httpx``/``httpcore``/``OSError`` types: :func:`translate` turns
whatever the transport raised into one of these, with a ``kind`` that says what it
means for a verdict and whether retrying can help::

    NetworkError
    ├── UnknownHostError       the name does not exist (NXDOMAIN): a dead link, no retry
    ├── ResolverError          the resolver itself failed (no DNS server, EAI_AGAIN)
    ├── UnsafeAddressError     resolved to a private/loopback/reserved address: refused
    ├── ConnectFailedError     refused, unreachable, reset during connect
    ├── RequestTimeout         connect or response took too long
    └── ProtocolFailure        the peer broke HTTP (reset mid-response, garbage)

``UnknownHostError``, ``ResolverError``, ``UnsafeAddressError`` also subclass
``httpcore.ConnectError`` so that the safe network backend can raise them from inside
httpcore; httpx then wraps them and :func:`translate` finds them again on ``__cause__``.
"""

from __future__ import annotations

import errno
import socket
import ssl

import httpcore
import httpx


class NetworkError(Exception):
    """A request that produced no HTTP response."""

    kind = "network"
    retryable = True
    network_level = False
    """True when the failure says more about our network than about the link."""
    peer_reached = False
    """True when some peer answered (TLS, bytes, a reset mid-response): the network works."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnknownHostError(NetworkError, httpcore.ConnectError):
    """The host name does not exist."""

    kind = "unknown-host"
    retryable = False
    network_level = True


class ResolverError(NetworkError, httpcore.ConnectError):
    """Name resolution is not working at all (temporary failure, no server)."""

    kind = "resolver"
    network_level = True


class UnsafeAddressError(NetworkError, httpcore.ConnectError):
    """The host resolved only to addresses we refuse to connect to."""

    kind = "unsafe-address"
    retryable = False


class ConnectFailedError(NetworkError):
    """The TCP/TLS connection could not be made."""

    kind = "connect"
    network_level = True


class RequestTimeout(NetworkError):
    """Connect or response exceeded its time."""

    kind = "timeout"

    def __init__(self, message: str, *, phase: str = "response") -> None:
        super().__init__(message)
        self.phase = phase
        # A connect timeout with no route looks exactly like an offline runner.
        self.network_level = phase == "connect"
        # A read/write timeout happens on an open connection.
        self.peer_reached = phase == "read"


class ProtocolFailure(NetworkError):
    """The peer answered, but not with usable HTTP."""

    kind = "protocol"
    peer_reached = True


# glibc: EAI_NONAME/EAI_NODATA mean "no such name"; EAI_AGAIN/EAI_FAIL mean the
# resolver could not answer (no network, no server), which is not the link's fault.
_UNKNOWN_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


def resolution_error(host: str, exc: socket.gaierror) -> NetworkError:
    """Classify a resolver failure for ``host``."""
    reason = exc.strerror or str(exc)
    if exc.errno in _UNKNOWN_NAME:
        return UnknownHostError(f"unknown host {host} ({reason})")
    return ResolverError(f"cannot resolve {host}: {reason}")


def describe_os_error(exc: OSError) -> str:
    """An OS error in a few words (``connection refused``, ``connection reset``...)."""
    names = {
        errno.ECONNREFUSED: "connection refused",
        errno.ENETUNREACH: "network unreachable",
        errno.EHOSTUNREACH: "host unreachable",
        errno.ECONNRESET: "connection reset",
    }
    return names.get(exc.errno or 0, exc.strerror or str(exc) or type(exc).__name__)


def _tls_cause(exc: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    cursor: BaseException | None = exc
    while cursor is not None and id(cursor) not in seen:
        seen.add(id(cursor))
        if isinstance(cursor, ssl.SSLError):
            return cursor
        cursor = cursor.__cause__ or cursor.__context__
    return None


def _own_error(exc: BaseException) -> NetworkError | None:
    """One of our own errors in the exception's chain (it wins, wherever it sits)."""
    seen: set[int] = set()
    cursor: BaseException | None = exc
    while cursor is not None and id(cursor) not in seen:
        seen.add(id(cursor))
        if isinstance(cursor, NetworkError):
            return cursor
        cursor = cursor.__cause__ or cursor.__context__
    return None


def _text(exc: BaseException) -> str:
    """The message to show: the OS error behind the exception when there is one."""
    text = str(exc) or type(exc).__name__
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, OSError) and not isinstance(cause, TimeoutError):
        return describe_os_error(cause)
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    return text


def _timeout(exc: BaseException) -> RequestTimeout | None:
    if isinstance(exc, httpx.ConnectTimeout | httpcore.ConnectTimeout):
        return RequestTimeout("connect timed out", phase="connect")
    if isinstance(
        exc, httpx.ReadTimeout | httpx.WriteTimeout | httpcore.ReadTimeout | httpcore.WriteTimeout
    ):
        return RequestTimeout("response timed out", phase="read")
    if isinstance(exc, httpx.TimeoutException | httpcore.TimeoutException | TimeoutError):
        return RequestTimeout("response timed out")
    return None


def tls_failure(tls: ssl.SSLError) -> ConnectFailedError:
    """A failed TLS handshake: the TCP connection was made, so the host, not our network."""
    failed = ConnectFailedError(f"TLS: {getattr(tls, 'reason', None) or tls}")
    failed.network_level = False
    failed.peer_reached = True
    return failed


def translate(exc: BaseException) -> NetworkError:
    """Map a transport exception (httpx, httpcore, OSError) to a :class:`NetworkError`."""
    own = _own_error(exc) or _timeout(exc)
    if own is not None:
        return own
    text = _text(exc)
    if isinstance(exc, httpx.ConnectError | httpcore.ConnectError):
        tls = _tls_cause(exc)
        if tls is not None:
            return tls_failure(tls)
        return ConnectFailedError(text)
    if isinstance(exc, socket.gaierror):
        return resolution_error("host", exc)
    if isinstance(exc, OSError):
        return ConnectFailedError(describe_os_error(exc))
    if isinstance(exc, httpx.TooManyRedirects):
        return ProtocolFailure("too many redirects")
    if isinstance(exc, httpx.TransportError | httpcore.NetworkError | httpcore.ProtocolError):
        return ProtocolFailure(text)
    return ProtocolFailure(f"{type(exc).__name__}: {text}")
