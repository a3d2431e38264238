"""Fixtures for the hostile-world suite: misbehaving loopback servers, marker secrets."""

from __future__ import annotations

import typing as t

import pytest

from tests.hostile.markers import MARKERS, leaked
from tests.hostile.rawserver import RawServer

__all__ = ["MARKERS", "leaked"]


@pytest.fixture
def raw_server() -> t.Iterator[RawServer]:
    """Two ports on 127.0.0.1 and one on 127.0.0.2: three origins."""
    server = RawServer(("127.0.0.1",), ports=2)
    server._listen("127.0.0.2")
    with server:
        yield server
