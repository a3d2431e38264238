"""The shared network layer: settings, safe client, per-host limits, retries, cache.

Used by the link crawler (``validator.links``) and the Hugging Face client. Everything
here is generic HTTP; nothing knows about catalogs or verdicts.
"""

from __future__ import annotations

from validator.http.backend import SafeNetworkBackend, is_public_address, system_resolver
from validator.http.cache import Cache, LinkRecord
from validator.http.client import (
    SafeTransport,
    build_client,
    read_limited,
    same_origin_host,
    strip_cross_host_auth,
)
from validator.http.errors import (
    ConnectFailedError,
    NetworkError,
    ProtocolFailure,
    RequestTimeout,
    ResolverError,
    UnknownHostError,
    UnsafeAddressError,
    translate,
)
from validator.http.limiter import HostLimiter
from validator.http.retry import (
    RETRY_STATUSES,
    backoff_delay,
    parse_ratelimit,
    parse_reset,
    parse_retry_after,
    server_delay,
    should_retry_status,
)
from validator.http.settings import CrawlSettings, HostSettings, Resolver, default_cache_path

__all__ = [
    "RETRY_STATUSES",
    "Cache",
    "ConnectFailedError",
    "CrawlSettings",
    "HostLimiter",
    "HostSettings",
    "LinkRecord",
    "NetworkError",
    "ProtocolFailure",
    "RequestTimeout",
    "Resolver",
    "ResolverError",
    "SafeNetworkBackend",
    "SafeTransport",
    "UnknownHostError",
    "UnsafeAddressError",
    "backoff_delay",
    "build_client",
    "default_cache_path",
    "is_public_address",
    "parse_ratelimit",
    "parse_reset",
    "parse_retry_after",
    "read_limited",
    "same_origin_host",
    "server_delay",
    "should_retry_status",
    "strip_cross_host_auth",
    "system_resolver",
    "translate",
]
