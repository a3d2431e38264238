"""Fixtures for link tests: the loopback server and fast crawl settings."""

from __future__ import annotations

import typing as t

import pytest

from tests.links.linkserver import Server
from validator.http import CrawlSettings


@pytest.fixture(scope="module")
def server() -> t.Iterator[Server]:
    srv = Server().start()
    yield srv
    srv.stop()


@pytest.fixture
def fast() -> CrawlSettings:
    """Small timeouts and backoffs; only the test hosts count as public."""
    return CrawlSettings(
        timeout=1.5,
        connect_timeout=0.5,
        max_retries=2,
        retry_wait=0.05,
        max_backoff=2.0,
        host_interval=0.0,
        private_allowlist=("127.0.0.2/32", "127.0.0.3/32", "127.0.0.4/32"),
        no_cache=True,
    )
