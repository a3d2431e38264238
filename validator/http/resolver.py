"""Name resolution once per host and run, shared by every URL of the host.

Without it every URL resolved its host on its own, and a failing resolver was asked
again for each URL and each retry: on a runner without network the bundled catalog
took 25 s to reach "network unavailable" (101 URLs, 19 hosts, 3 retries with backoff
each, 41 URLs of huggingface.co spaced by the host interval). :class:`HostResolver`
looks each host up once (concurrent callers wait for the same lookup), bounds a stalled
lookup by a timeout, gives up on a resolver that answers nothing at all or nothing but
failures (:meth:`HostResolver.outage`), and keeps the answer for the run: the
addresses, or the failure, which every later request of the host gets at once and does
not retry (the system resolver retries on its own before it reports EAI_AGAIN).

A crawl that is handed a :class:`HostResolver` in ``CrawlSettings.resolver`` settles
each URL's host name before it asks for one of the host's request slots (:func:`settle`),
so the URLs of a host that does not resolve never wait for those slots. Addresses are
judged (private, loopback...) by :class:`~validator.http.backend.SafeNetworkBackend`
at every connect, as before; this module only answers "which addresses".
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import socket
import typing as t

import anyio

from validator.http import backend
from validator.http.errors import NetworkError, ResolverError, resolution_error
from validator.http.settings import DEFAULT_CONNECT_TIMEOUT, CrawlSettings, Resolver

STALL_AFTER = 1.0
STALL_QUORUM = 3
"""A resolver with this many lookups in flight and not one answer after ``STALL_AFTER``
seconds is stalled (a firewall dropping DNS packets): a working resolver answers a
name it has cached in milliseconds, and a catalog's hosts are never all uncached."""

OUTAGE_AFTER = 0.5
"""A lookup still pending this long is given up on when the resolver has answered
nothing but failures so far (:meth:`HostResolver.outage`): some resolvers without an
upstream answer most names at once and let a few (``www.`` names with a CNAME to
chase) run into their 5 s retry, only to fail them too."""

Sleep = t.Callable[[float], t.Awaitable[None]]


class _Failure:
    """A lookup that failed: re-raised as a fresh, non-retryable error per caller."""

    def __init__(self, host: str, cause: socket.gaierror | None, message: str) -> None:
        self.host = host
        self.cause = cause
        self.message = message

    def error(self) -> NetworkError:
        if self.cause is not None:
            error = resolution_error(self.host, self.cause)
        else:
            error = ResolverError(self.message)
        error.retryable = False  # the run's answer for this host: asking again won't help
        return error


class HostResolver:
    """Resolves each host name once per run; see the module docstring.

    ``resolve`` is the underlying lookup (default: the system resolver in a thread);
    ``timeout`` bounds one lookup of a name that is slow to answer. A resolver that
    answers nothing at all is found sooner: when ``stall_quorum`` or more hosts are being
    looked up and not one lookup has come back after ``stall_after`` seconds, the
    resolver is taken as stalled and every lookup of the run fails at once. Likewise a
    lookup still pending after ``outage_after`` seconds is given up on while
    :meth:`outage` holds. ``sleep`` waits for both (injected by tests).
    """

    def __init__(
        self,
        resolve: Resolver | None = None,
        *,
        timeout: float = DEFAULT_CONNECT_TIMEOUT,
        stall_after: float = STALL_AFTER,
        stall_quorum: int = STALL_QUORUM,
        outage_after: float | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self._resolve = resolve
        self.timeout = timeout
        self.stall_after = stall_after
        self.stall_quorum = stall_quorum
        self.outage_after = OUTAGE_AFTER if outage_after is None else outage_after
        self._sleep = sleep or anyio.sleep
        self._answers: dict[str, list[str] | _Failure] = {}
        self._pending: dict[str, anyio.Event] = {}
        self._answered = False
        """Some lookup came back (addresses or an error): the resolver is alive."""
        self._resolved = False
        """Some lookup came back with addresses: the resolver works."""
        self._failed = 0
        """Lookups that failed for a reason of the network's (not an IDN codec's)."""
        self._news = anyio.Event()
        """Set (and replaced) each time a lookup comes back."""
        self.stalled = False
        self.lookups = 0
        """How many times the underlying resolver was asked (for tests and stats)."""

    async def __call__(self, host: str, port: int) -> list[str]:
        """The addresses of ``host``; raise the run's :class:`NetworkError` for it."""
        key = host.lower().rstrip(".")
        while key in self._pending:  # another task is looking it up: share its answer
            await self._pending[key].wait()
        if key not in self._answers:
            done = self._pending[key] = anyio.Event()
            try:
                self._answers[key] = await self._lookup(host, port)
            finally:
                del self._pending[key]
                done.set()
        answer = self._answers[key]
        if isinstance(answer, _Failure):
            raise answer.error()
        return list(answer)

    def outage(self) -> bool:
        """Whether the resolver looks cut off: not one name resolved, ``stall_quorum`` or
        more lookups failed, and they are at least half of those asked. A single success
        anywhere ends this for the run, so a dead domain among live ones is still judged
        per URL (on its own answer) and a working network is never called unavailable."""
        failed = self._failed
        return not self._resolved and failed >= self.stall_quorum and 2 * failed >= self.lookups

    def failure(self, host: str) -> NetworkError | None:
        """The error every request of ``host`` gets in this run, if its lookup failed."""
        answer = self._answers.get(host.lower().rstrip("."))
        return answer.error() if isinstance(answer, _Failure) else None

    async def _lookup(self, host: str, port: int) -> list[str] | _Failure:
        """One lookup; its failure is final for the run. The system resolver has already
        asked each name server ``attempts`` times (resolv.conf) before EAI_AGAIN."""
        try:
            return await self._ask_watched(host, port)
        except _GivenUp as exc:
            failed, asked = exc.args
            return _Failure(
                host,
                None,
                f"cannot resolve {host}: no answer within {self.outage_after:g} s, and "
                f"{failed} of {asked} lookups failed with not one name resolved",
            )
        except TimeoutError:
            return _Failure(
                host, None, f"cannot resolve {host}: no answer within {self.timeout:g} s"
            )
        except _Stalled:
            return _Failure(
                host,
                None,
                f"cannot resolve {host}: the resolver answered none of "
                f"{self.stall_quorum} or more lookups within {self.stall_after:g} s",
            )
        except socket.gaierror as exc:
            return _Failure(host, exc, str(exc))
        except UnicodeError as exc:  # an IDN label the codec refuses
            return _Failure(host, socket.gaierror(socket.EAI_NONAME, str(exc)), str(exc))
        except OSError as exc:
            return _Failure(host, None, f"cannot resolve {host}: {exc}")

    async def _ask_watched(self, host: str, port: int) -> list[str]:
        """One lookup, bounded by ``timeout`` and given up when the resolver stalls."""
        if self.stalled:
            raise _Stalled
        self.lookups += 1
        outcome: list[list[str] | Exception] = []
        given_up: list[tuple[int, int]] = []  # failed and asked lookups when given up
        try:
            with anyio.fail_after(self.timeout):
                async with anyio.create_task_group() as group:

                    async def ask() -> None:
                        try:
                            resolve = self._resolve or backend.system_resolver
                            outcome.append(await resolve(host, port))
                        except (OSError, UnicodeError) as exc:
                            outcome.append(exc)
                        self._answered = True
                        group.cancel_scope.cancel()

                    async def watch_stall() -> None:
                        await self._sleep(self.stall_after)
                        if not self._answered and len(self._pending) >= self.stall_quorum:
                            self.stalled = True
                        if self.stalled:
                            group.cancel_scope.cancel()

                    async def watch_outage() -> None:
                        await self._sleep(self.outage_after)
                        if await self._outage_concluded():
                            given_up.append((self._failed, self.lookups))
                            group.cancel_scope.cancel()

                    group.start_soon(ask)
                    group.start_soon(watch_stall)
                    group.start_soon(watch_outage)
        finally:
            self._record(outcome)
        if given_up and not outcome:
            raise _GivenUp(*given_up[0])
        if not outcome:
            raise _Stalled
        if isinstance(outcome[0], Exception):
            raise outcome[0]
        return outcome[0]

    async def _outage_concluded(self) -> bool:
        """Whether :meth:`outage` holds now or once more lookups come back; ``False`` as
        soon as a name resolves (then a pending lookup gets its full ``timeout``)."""
        while not self._resolved:
            if self.outage():
                return True
            await self._news.wait()
        return False

    def _record(self, outcome: list[list[str] | Exception]) -> None:
        """Count what a lookup came back with, and wake the watchers."""
        answer = outcome[0] if outcome else None
        if isinstance(answer, list):
            self._resolved = True
        elif not isinstance(answer, UnicodeError):  # a timeout, a stall, an OSError
            self._failed += 1
        news, self._news = self._news, anyio.Event()
        news.set()


class _Stalled(Exception):
    """Internal: the resolver answers nothing (see :class:`HostResolver`)."""


class _GivenUp(Exception):
    """Internal: the resolver answers nothing but failures (:meth:`HostResolver.outage`)."""


@functools.lru_cache(maxsize=4096)
def _is_literal(host: str) -> bool:
    """Whether ``host`` is an IP address (asked once per attempt: parsed once per host)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


async def settle(resolver: HostResolver, host: str, port: int) -> NetworkError | None:
    """Look ``host`` up now (a literal IP needs no lookup); the failure, if any."""
    if _is_literal(host):
        return None
    try:
        await resolver(host, port)
    except NetworkError as exc:
        return exc
    return None


def run_resolver(settings: CrawlSettings) -> HostResolver | None:
    """The run's shared resolver, when the run installed one (:func:`per_run`)."""
    return settings.resolver if isinstance(settings.resolver, HostResolver) else None


def per_run(settings: CrawlSettings) -> CrawlSettings:
    """``settings`` with a fresh :class:`HostResolver` for one run (wrapping any hook)."""
    if isinstance(settings.resolver, HostResolver):
        return settings
    resolver = HostResolver(settings.resolver, timeout=settings.connect_timeout)
    return dataclasses.replace(settings, resolver=resolver)


__all__ = ["HostResolver", "per_run", "run_resolver", "settle"]
