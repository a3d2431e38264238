"""The shared network layer: settings, safe client, per-host limits, retries, cache.

Used by the link crawler (``validator.links``) and the Hugging Face client. Everything
here is generic HTTP; nothing knows about catalogs or verdicts.
"""

from __future__ import annotations

import typing as t

from validator.lazy import export

if t.TYPE_CHECKING:
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

# Imported on first use: the settings (declared once, read by the CLI and the config
# loader) must not pull httpx and anyio into the offline path.
_HOME = {
    "Cache": "cache",
    "ConnectFailedError": "errors",
    "CrawlSettings": "settings",
    "HostLimiter": "limiter",
    "HostSettings": "settings",
    "LinkRecord": "cache",
    "NetworkError": "errors",
    "ProtocolFailure": "errors",
    "RETRY_STATUSES": "retry",
    "RequestTimeout": "errors",
    "Resolver": "settings",
    "ResolverError": "errors",
    "SafeNetworkBackend": "backend",
    "SafeTransport": "client",
    "UnknownHostError": "errors",
    "UnsafeAddressError": "errors",
    "backoff_delay": "retry",
    "build_client": "client",
    "default_cache_path": "settings",
    "is_public_address": "backend",
    "parse_ratelimit": "retry",
    "parse_reset": "retry",
    "parse_retry_after": "retry",
    "read_limited": "client",
    "same_origin_host": "client",
    "server_delay": "retry",
    "should_retry_status": "retry",
    "strip_cross_host_auth": "client",
    "system_resolver": "backend",
    "translate": "errors",
}


def __getattr__(name: str) -> t.Any:
    return export(__name__, _HOME, name)


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
