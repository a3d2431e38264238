"""Crawl settings: one frozen value that every network user in the tool reads.

The link checker and the Hugging Face client share these knobs (timeouts, retries,
per-host politeness, safety, cache). Defaults are named constants so the docs, the
config loader and the tests agree; each one cites the peer whose default it follows
(see ``docs/links.md``).
"""

from __future__ import annotations

import dataclasses
import os
import typing as t
from pathlib import Path

from validator import USER_AGENT

# lychee: 20 s total, 10 s connect (lychee-lib/src/client.rs). Our total is a budget per
# URL across all its attempts, so a hanging host costs one timeout, not four.
DEFAULT_TIMEOUT = 20.0
DEFAULT_CONNECT_TIMEOUT = 10.0
# lychee `--max-retries 3`, `--retry-wait-time 1` doubling (lychee-lib/src/retry.rs).
DEFAULT_MAX_RETRIES = 3
DEFAULT_RETRY_WAIT = 1.0
# lychee caps rate-limit backoff at 60 s (ratelimit/host/host.rs MAXIMUM_BACKOFF).
DEFAULT_MAX_BACKOFF = 60.0
# lychee follows 10 redirects, linkinator 20, link-check 8.
DEFAULT_MAX_REDIRECTS = 10
# Global in-flight requests: lychee 128, linkinator 100; 64 saturates a 2-core runner
# long before any single host's limit matters.
DEFAULT_CONCURRENCY = 64
# Per host: lychee `--host-concurrency 10`, `--host-request-interval 50ms`
# (LinkChecker: 10 req/s per host, which is the same order).
DEFAULT_HOST_CONCURRENCY = 10
DEFAULT_HOST_INTERVAL = 0.05
# LinkChecker `maxfilesizeparse` = 1 MiB: enough for any HTML page whose anchors we
# check; a checkpoint URL may point at a 10 GB file (lychee #2034).
DEFAULT_MAX_BODY_BYTES = 1 << 20
# lychee `--max-cache-age 1d`.
DEFAULT_CACHE_TTL = 24 * 3600.0
# lychee excludes twitter.com by default (filter/mod.rs); x.com answers 4xx to robots.
DEFAULT_BLOCKED_HOSTS = ("twitter.com", "www.twitter.com", "x.com", "www.x.com")
# lychee's `--accept` default is 100..=103,200..=299; informational codes never reach us.
DEFAULT_ACCEPT = frozenset(range(200, 300))

CACHE_DIR_ENV = "VALIDATOR_CACHE_DIR"
CACHE_FILE_NAME = "cache.sqlite3"

Resolver = t.Callable[[str, int], t.Awaitable[list[str]]]
"""``(host, port) -> [ip, ...]``; raise :class:`socket.gaierror` for an unknown name."""


def default_cache_path() -> Path:
    """``$VALIDATOR_CACHE_DIR/cache.sqlite3`` when set, else ``.validator/cache.sqlite3``."""
    base = os.environ.get(CACHE_DIR_ENV)
    return Path(base) / CACHE_FILE_NAME if base else Path(".validator") / CACHE_FILE_NAME


@dataclasses.dataclass(frozen=True)
class HostSettings:
    """Overrides for one host name (exact match, e.g. ``huggingface.co``).

    ``None`` means "use the global value". ``headers`` are sent only to this host, and
    credential headers only to the origin the URL names (never along a redirect to
    another scheme, host or port), which is where tokens belong.
    """

    concurrency: int | None = None
    interval: float | None = None
    headers: t.Mapping[str, str] = dataclasses.field(default_factory=dict)
    accept: frozenset[int] | None = None


@dataclasses.dataclass(frozen=True)
class CrawlSettings:
    """Everything the network layer needs for one run."""

    timeout: float = DEFAULT_TIMEOUT
    """Seconds one URL may spend in requests, across all attempts (waits excluded)."""
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    """Seconds for one TCP/TLS connection attempt."""
    max_retries: int = DEFAULT_MAX_RETRIES
    retry_wait: float = DEFAULT_RETRY_WAIT
    """First backoff in seconds; doubles per retry, with jitter."""
    max_backoff: float = DEFAULT_MAX_BACKOFF
    """Cap for any wait, computed or asked for by the server (Retry-After...)."""
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    concurrency: int = DEFAULT_CONCURRENCY
    host_concurrency: int = DEFAULT_HOST_CONCURRENCY
    host_interval: float = DEFAULT_HOST_INTERVAL
    """Minimum seconds between two request starts at one host."""
    hosts: t.Mapping[str, HostSettings] = dataclasses.field(default_factory=dict)
    excludes: tuple[str, ...] = ()
    """Regexes (``re.search``) of URLs not to check: verdict ``skipped``."""
    blocked_hosts: tuple[str, ...] = DEFAULT_BLOCKED_HOSTS
    """Hosts known to refuse checkers: verdict ``blocked`` without a request."""
    accept: frozenset[int] = DEFAULT_ACCEPT
    check_fragments: bool = True
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    cache_path: Path | None = None
    """SQLite cache file; ``None`` = :func:`default_cache_path` at run time."""
    no_cache: bool = False
    cache_ttl: float = DEFAULT_CACHE_TTL
    allow_private: bool = False
    """Allow private, loopback, link-local and reserved addresses (tests, intranets)."""
    private_allowlist: tuple[str, ...] = ()
    """Networks (CIDR) treated as public even when private, e.g. ``10.1.2.0/24``."""
    fail_after: int | None = None
    """A failing link is an error only after this many consecutive failing runs."""
    user_agent: str = USER_AGENT
    headers: t.Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Headers for every host; credential headers among them go only to the origin a
    URL names, never along a redirect to another (:mod:`validator.credentials`)."""
    progress: bool = False
    resolver: Resolver | None = dataclasses.field(default=None, compare=False, repr=False)
    """Name resolution hook (tests); default: the system resolver via anyio."""

    def host(self, host: str) -> HostSettings:
        """The overrides for ``host`` (empty when none are configured)."""
        return self.hosts.get(host.lower()) or _NO_OVERRIDES

    def host_limits(self, host: str) -> tuple[int, float]:
        """``(concurrency, interval)`` in force for ``host``."""
        o = self.host(host)
        return (
            o.concurrency if o.concurrency is not None else self.host_concurrency,
            o.interval if o.interval is not None else self.host_interval,
        )

    def accepted(self, host: str) -> frozenset[int]:
        """Status codes that count as alive at ``host`` (per-host ``accept`` replaces)."""
        o = self.host(host)
        return o.accept if o.accept is not None else self.accept

    def resolved_cache_path(self) -> Path:
        """Where the cache lives for this run."""
        return self.cache_path if self.cache_path is not None else default_cache_path()


_NO_OVERRIDES = HostSettings()
