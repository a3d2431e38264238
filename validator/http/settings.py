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

if t.TYPE_CHECKING:
    from validator.http.limiter import HostLimiter

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
# With adaptive-pace on, a quick and clean host may go up to 50 requests per second
# (lychee's adaptive rate limiter only ever slows down; this is our stated ceiling).
DEFAULT_MIN_HOST_INTERVAL = 0.02
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
class Knob:
    """How one crawl setting is given: config-file key, command-line option, checks.

    Declared once, on the :class:`CrawlSettings` field; the config loader
    (:mod:`validator.config`) and the click options (:mod:`validator.cli.options`) are
    generated from it, so a setting cannot be spelt or bounded two ways.
    """

    kind: str
    """``seconds`` (>= ``minimum``), ``count`` (>= 0), ``positive`` (>= 1), ``bool``,
    ``str``, ``path``, ``folder``, ``strings``, ``networks`` (CIDR), ``regexes``,
    ``remaps`` (``'REGEX
    REPLACEMENT'``), ``statuses``, ``headers``, ``hosts``."""
    key: str | None = None
    """Config-file key; ``None``: command line only."""
    flag: str | None = None
    """Command-line option (``--timeout``); ``None``: config file only."""
    help: str = ""
    minimum: float = 0
    """Lowest value for ``seconds``."""
    append: bool = False
    """The command line adds to the config file's list instead of replacing it."""


def _knob(default: t.Any = dataclasses.MISSING, *, factory: t.Any = dataclasses.MISSING,
          **knob: t.Any) -> t.Any:  # fmt: skip
    return dataclasses.field(
        default=default, default_factory=factory, metadata={"knob": Knob(**knob)}
    )


def knobs_of(cls: type) -> dict[str, Knob]:
    """Field name -> its :class:`Knob`, in declaration order, for a settings dataclass."""
    return {f.name: f.metadata["knob"] for f in dataclasses.fields(cls) if "knob" in f.metadata}


@dataclasses.dataclass(frozen=True)
class HostSettings:
    """Overrides for one host name (exact match, e.g. ``huggingface.co``).

    ``None`` means "use the global value". ``headers`` are sent only to this host, and
    credential headers only to the origin the URL names (never along a redirect to
    another scheme, host or port), which is where tokens belong.
    """

    concurrency: int | None = _knob(None, kind="positive", key="concurrency")
    interval: float | None = _knob(None, kind="seconds", key="interval")
    headers: t.Mapping[str, str] = _knob(factory=dict, kind="headers", key="headers")
    accept: frozenset[int] | None = _knob(None, kind="statuses", key="accept")


@dataclasses.dataclass(frozen=True)
class CrawlSettings:
    """Everything the network layer needs for one run (each knob declared once here)."""

    timeout: float = _knob(
        DEFAULT_TIMEOUT, kind="seconds", key="timeout", flag="--timeout", minimum=0.1,
        help="Seconds a URL may spend in requests, retries included [20].",
    )  # fmt: skip
    """Seconds one URL may spend in requests, across all attempts (waits excluded)."""
    connect_timeout: float = _knob(
        DEFAULT_CONNECT_TIMEOUT, kind="seconds", key="connect-timeout", minimum=0.1,
        flag="--connect-timeout", help="Seconds for one connection attempt [10].",
    )  # fmt: skip
    """Seconds for one TCP/TLS connection attempt."""
    max_retries: int = _knob(
        DEFAULT_MAX_RETRIES, kind="count", key="max-retries", flag="--max-retries",
        help="Retries after timeouts, resets, 5xx and 429 [3].",
    )  # fmt: skip
    retry_wait: float = _knob(DEFAULT_RETRY_WAIT, kind="seconds", key="retry-wait")
    """First backoff in seconds; doubles per retry, with jitter."""
    max_backoff: float = _knob(DEFAULT_MAX_BACKOFF, kind="seconds", key="max-backoff")
    """Cap for any wait, computed or asked for by the server (Retry-After...)."""
    max_redirects: int = _knob(DEFAULT_MAX_REDIRECTS, kind="count", key="max-redirects")
    concurrency: int = _knob(
        DEFAULT_CONCURRENCY, kind="positive", key="concurrency", flag="--concurrency",
        help="Requests in flight in total [64].",
    )  # fmt: skip
    host_concurrency: int = _knob(
        DEFAULT_HOST_CONCURRENCY, kind="positive", key="host-concurrency",
        flag="--host-concurrency", help="Requests in flight per host [10].",
    )  # fmt: skip
    host_interval: float = _knob(
        DEFAULT_HOST_INTERVAL, kind="seconds", key="host-interval", flag="--host-interval",
        help="Minimum seconds between requests to one host [0.05].",
    )  # fmt: skip
    """Minimum seconds between two request starts at one host."""
    adaptive_pace: bool = _knob(
        False, kind="bool", key="adaptive-pace", flag="--adaptive-pace/--no-adaptive-pace",
        help="Pace each host by its answers, between min-host-interval and slower [off].",
    )  # fmt: skip
    """Faster for quick, clean hosts (down to ``min_host_interval``), slower on 429/503
    or slowdowns (:mod:`validator.http.pace`); off: ``host_interval`` always."""
    min_host_interval: float = _knob(DEFAULT_MIN_HOST_INTERVAL, kind="seconds",
                                     key="min-host-interval")  # fmt: skip
    """The fastest adaptive pace: never less than this between two starts at one host."""
    hosts: t.Mapping[str, HostSettings] = _knob(factory=dict, kind="hosts", key="hosts")
    blocked_hosts: tuple[str, ...] = _knob(
        DEFAULT_BLOCKED_HOSTS, kind="strings", key="blocked-hosts"
    )
    """Hosts known to refuse checkers: verdict ``blocked`` without a request."""
    accept: frozenset[int] = _knob(DEFAULT_ACCEPT, kind="statuses", key="accept")
    check_fragments: bool = _knob(True, kind="bool", key="check-fragments")
    max_body_bytes: int = _knob(DEFAULT_MAX_BODY_BYTES, kind="positive", key="max-body-bytes")
    cache_path: Path | None = _knob(
        None, kind="path", key="cache-path", flag="--cache-path",
        help="SQLite cache file [.validator/cache.sqlite3].",
    )  # fmt: skip
    """SQLite cache file; ``None`` = :func:`default_cache_path` at run time."""
    no_cache: bool = _knob(
        False, kind="bool", flag="--no-cache", help="Neither read nor write the cache."
    )
    cache_ttl: float = _knob(DEFAULT_CACHE_TTL, kind="seconds", key="cache-ttl")
    allow_private: bool = _knob(
        False, kind="bool", key="allow-private", flag="--allow-private",
        help="Allow private, loopback and link-local addresses.",
    )  # fmt: skip
    """Allow private, loopback, link-local and reserved addresses (tests, intranets)."""
    private_allowlist: tuple[str, ...] = _knob((), kind="networks", key="private-allowlist")
    """Networks (CIDR) treated as public even when private, e.g. ``10.1.2.0/24``."""
    fail_after: int | None = _knob(
        None, kind="positive", key="fail-after", flag="--fail-after",
        help="A failing link is an error only after N consecutive failing runs.",
    )  # fmt: skip
    """A failing link is an error only after this many consecutive failing runs."""
    excludes: tuple[str, ...] = _knob(
        (), kind="regexes", key="exclude", flag="--exclude", append=True,
        help="Do not check URLs matching REGEX (repeatable).",
    )  # fmt: skip
    """Regexes (``re.search``) of URLs not to check: verdict ``skipped``."""
    includes: tuple[str, ...] = _knob(
        (), kind="regexes", key="include", flag="--include", append=True,
        help="Check URLs matching REGEX even when excluded (repeatable).",
    )  # fmt: skip
    """Regexes of URLs checked even when an exclude matches (lychee's ``--include``)."""
    exclude_paths: tuple[str, ...] = _knob(
        (), kind="regexes", key="exclude-path", flag="--exclude-path", append=True,
        help="Do not read input files whose path matches REGEX (repeatable).",
    )  # fmt: skip
    """Regexes of input file paths (as shown, ``/``-separated) that ``links`` skips."""
    ignore_file: Path | None = _knob(
        None, kind="path", key="ignore-file", flag="--ignore-file",
        help="File of URL regexes to exclude, one per line ('-': stdin) [.validatorignore].",
    )  # fmt: skip
    """Exclude regexes, one per line, ``#`` comments; ``None``: ``.validatorignore``
    in the working directory when it exists."""
    remaps: tuple[str, ...] = _knob(
        (), kind="remaps", key="remap", flag="--remap", append=True,
        help="Check another URL instead: 'REGEX REPLACEMENT' (repeatable).",
    )  # fmt: skip
    """``'REGEX REPLACEMENT'`` rules applied to each URL before it is checked."""
    base_url: str | None = _knob(
        None, kind="str", key="base-url", flag="--base-url",
        help="Prefix for root-relative links (/docs/x) of a rendered site.",
    )  # fmt: skip
    """Turns root-relative links into web URLs; without it they are local paths."""
    root_dir: Path | None = _knob(
        None, kind="folder", key="root-dir", flag="--root-dir",
        help="Folder that /absolute local links start from [working directory].",
    )  # fmt: skip
    """Where ``/absolute`` local links are looked up (lychee's ``--root-dir``)."""
    user_agent: str = _knob(USER_AGENT, kind="str", key="user-agent")
    headers: t.Mapping[str, str] = _knob(factory=dict, kind="headers", key="headers")
    """Headers for every host; credential headers among them go only to the origin a
    URL names, never along a redirect to another (:mod:`validator.credentials`)."""
    progress: bool = _knob(
        False, kind="bool", flag="--progress/--no-progress",
        help="Progress bar [on a terminal, off in CI].",
    )  # fmt: skip
    shard: tuple[int, int] | None = _knob(
        None, kind="shard", flag="--shard",
        help="Check only the hosts of shard I of N (1 <= I <= N; a stable hash of the "
        "host name picks its shard); join the reports with 'validator report merge'.",
    )  # fmt: skip
    """``(I, N)``: crawl only hosts that hash to shard I (:mod:`validator.links.shards`)."""
    host_stats: bool = _knob(
        False, kind="bool", flag="--host-stats",
        help="Per-host figures (requests, retries, 429s, latency, pace): a table on "
        "stderr, and 'hosts' in the JSON report.",
    )  # fmt: skip
    resolver: Resolver | None = dataclasses.field(default=None, compare=False, repr=False)
    """Name resolution hook (tests); default: the system resolver via anyio."""

    @staticmethod
    def knobs() -> dict[str, Knob]:
        """Field name -> its :class:`Knob`, in declaration order."""
        return knobs_of(CrawlSettings)

    def host(self, host: str) -> HostSettings:
        """The overrides for ``host`` (empty when none are configured)."""
        return self.hosts.get(host.lower()) or _NO_OVERRIDES

    def limiter(self) -> HostLimiter:
        """A per-host limiter with these limits and pace."""
        from validator.http.limiter import HostLimiter

        return HostLimiter(
            concurrency=self.concurrency,
            host_limits=self.host_limits,
            adaptive=self.adaptive_pace,
            fastest=self.min_host_interval,
        )

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
