"""Shards of a crawl: every host in exactly one of N, by a stable hash of its name.

``--shard I/N`` (1 <= I <= N) checks only the URLs whose host hashes to shard I, so
N machines (a CI matrix) can split a crawl and each host's politeness limits still
hold across the whole matrix: no two shards ever talk to the same host. The hash is
SHA-256 of the lower-cased host name, the same on every machine and Python run
(``hash()`` is randomised per process). URLs without a host (local files, anchors,
``mailto:``) belong to shard 1. ``validator report merge`` joins the shard reports.
"""

from __future__ import annotations

import hashlib
import typing as t

Shard = tuple[int, int]
"""``(index, count)``, 1-based: ``(2, 4)`` is ``--shard 2/4``."""


def parse_shard(text: str) -> Shard:
    """``"I/N"`` -> ``(I, N)``; ``ValueError`` with a one-line reason otherwise."""
    index, sep, count = text.strip().partition("/")
    if not sep or not index.strip().isdigit() or not count.strip().isdigit():
        raise ValueError(f"expected I/N such as 2/4, got {text!r}")
    i, n = int(index), int(count)
    if not 1 <= i <= n:
        raise ValueError(f"shard {i}/{n}: I must be between 1 and N")
    return i, n


def shard_of(host: str, count: int) -> int:
    """The shard (1..count) that owns ``host``; ``""`` (no host) is shard 1."""
    if not host or count <= 1:
        return 1
    digest = hashlib.sha256(host.lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def owns(shard: Shard | None, url: str) -> bool:
    """Whether ``url`` is checked in ``shard`` (every URL when not sharded)."""
    if shard is None:
        return True
    from validator.links.schedule import host_of  # httpx: only when a crawl runs

    return shard_of(host_of(url), shard[1]) == shard[0]


T = t.TypeVar("T")


def split(shard: Shard | None, items: t.Iterable[T], url: t.Callable[[T], str]) -> list[T]:
    """The ``items`` whose ``url(item)`` this shard owns."""
    return [item for item in items if owns(shard, url(item))]
