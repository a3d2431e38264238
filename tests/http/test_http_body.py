"""read_limited: decoded bytes never exceed the cap; undecodable bodies are not 'complete'."""

from __future__ import annotations

import gzip
import typing as t
import zlib

import anyio
import httpx
import pytest

from validator.http import read_limited

PAGE = b'<html><h2 id="usage">Usage</h2></html>'


def _read(content: bytes, encoding: str, limit: int = 1 << 20) -> tuple[bytes, bool]:
    async def go() -> tuple[bytes, bool]:
        response = httpx.Response(
            200, headers={"Content-Encoding": encoding}, stream=_Stream(content)
        )
        return await read_limited(response, limit)

    return anyio.run(go)


class _Stream(httpx.AsyncByteStream):
    def __init__(self, content: bytes) -> None:
        self.content = content

    async def __aiter__(self) -> t.AsyncIterator[bytes]:
        for i in range(0, len(self.content), 4096):
            yield self.content[i : i + 4096]


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (gzip.compress(PAGE), "gzip"),
        (zlib.compress(PAGE), "deflate"),
        # RFC 9110 says zlib-wrapped, but some servers send raw deflate; browsers read both.
        (_raw_deflate(PAGE), "deflate"),
        (PAGE, "identity"),
    ],
    # Named, not by their bytes: gzip stamps the time, and parallel workers must collect
    # the same test ids.
    ids=["gzip", "zlib-deflate", "raw-deflate", "identity"],
)
def test_encodings_decode(content: bytes, encoding: str) -> None:
    assert _read(content, encoding) == (PAGE, False)


def test_corrupt_body_is_not_reported_as_complete() -> None:
    # A body we cannot decode must not look like a complete page without the anchor.
    body, truncated = _read(b"\x1f\x8b\x08\x00garbage-not-gzip" * 4, "gzip")
    assert truncated


def test_bomb_stops_at_the_limit() -> None:
    body, truncated = _read(gzip.compress(b" " * (8 << 20)), "gzip", limit=1000)
    assert len(body) <= 1000
    assert truncated
