"""The safe backend refuses unsafe addresses whatever name points at them."""

from __future__ import annotations

import ipaddress
import socket
import ssl

import anyio
import httpcore
import httpx
import pytest

from validator.http import (
    ResolverError,
    SafeNetworkBackend,
    UnknownHostError,
    UnsafeAddressError,
    is_public_address,
    translate,
)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("10.0.0.1", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),  # cloud metadata endpoint
        ("192.168.1.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("2606:4700::1111", True),
        ("0.0.0.0", False),
        ("fd12:3456::1", False),  # unique local (ULA)
        ("fec0::1", False),  # site-local (deprecated, still routed inside some networks)
        ("::ffff:169.254.169.254", False),
        # 6to4 and NAT64 carry an IPv4 address inside: judge that one.
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
        ("2002:5db8:d822::1", True),  # 6to4 of 93.184.216.34
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("64:ff9b::5db8:d822", True),  # NAT64 of 93.184.216.34 (IPv6-only runners, DNS64)
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def resolver_to(*ips: str):  # type: ignore[no-untyped-def]
    async def resolve(host: str, port: int) -> list[str]:
        return list(ips)

    return resolve


def test_name_resolving_to_private_is_refused() -> None:
    backend = SafeNetworkBackend(resolver=resolver_to("169.254.169.254"))
    with pytest.raises(UnsafeAddressError, match="private"):
        anyio.run(backend.resolve, "metadata.example", 80)


def test_private_addresses_are_dropped_public_kept() -> None:
    backend = SafeNetworkBackend(resolver=resolver_to("10.0.0.1", "93.184.216.34"))
    assert anyio.run(backend.resolve, "mixed.example", 80) == ["93.184.216.34"]


def test_allow_private_and_allowlist() -> None:
    assert anyio.run(SafeNetworkBackend(allow_private=True).resolve, "127.0.0.1", 80)
    allow = SafeNetworkBackend(allowlist=["127.0.0.2/32"])
    assert anyio.run(allow.resolve, "127.0.0.2", 80) == ["127.0.0.2"]
    with pytest.raises(UnsafeAddressError):
        anyio.run(allow.resolve, "127.0.0.3", 80)


def test_resolver_failures_are_classified() -> None:
    async def nxdomain(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async def offline(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    with pytest.raises(UnknownHostError):
        anyio.run(SafeNetworkBackend(resolver=nxdomain).resolve, "gone.example", 80)
    with pytest.raises(ResolverError):
        anyio.run(SafeNetworkBackend(resolver=offline).resolve, "any.example", 80)


def _chained(outer: BaseException, *causes: BaseException) -> BaseException:
    """``outer`` raised from ``causes[0]`` raised from ``causes[1]``... (as httpx does)."""
    chain = [outer, *causes]
    for exc, cause in zip(chain, chain[1:], strict=False):
        exc.__cause__ = cause
    return outer


def test_tls_failure_means_the_host_was_reached() -> None:
    # httpx.ConnectError <- httpcore.ConnectError <- ssl.SSLError: a TLS handshake
    # needs a TCP connection, so this is the host's fault, not a sign of no network.
    error = translate(
        _chained(
            httpx.ConnectError("x"),
            httpcore.ConnectError("x"),
            ssl.SSLCertVerificationError(1, "certificate verify failed"),
        )
    )
    assert not error.network_level and error.peer_reached
    refused = translate(
        _chained(httpx.ConnectError("x"), ConnectionRefusedError(111, "Connection refused"))
    )
    assert refused.network_level and not refused.peer_reached


def test_read_timeout_means_the_host_was_reached() -> None:
    assert translate(httpx.ReadTimeout("slow")).peer_reached
    assert not translate(httpx.ConnectTimeout("slow")).peer_reached
    assert translate(httpx.ConnectTimeout("slow")).network_level
