"""Fixtures for the GitHub tests: a running fake API and clients that never really wait."""

from __future__ import annotations

import typing as t

import httpx
import pytest

from validator.github.api import GitHubClient

from ..tls import verifying
from .fakeapi import FakeGitHub


class Clock:
    """A fake clock that sleeping advances, recording every wait."""

    def __init__(self) -> None:
        self.now = 1_790_000_000.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake() -> t.Iterator[FakeGitHub]:
    server = FakeGitHub().start()
    yield server
    server.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(fake: FakeGitHub, clock: Clock) -> t.Iterator[GitHubClient]:
    with httpx.Client(timeout=5.0, verify=verifying()) as http:
        yield GitHubClient(
            fake.repo,
            token=fake.token,
            api_url=fake.url,
            client=http,
            sleep=clock.sleep,
            clock=clock.time,
        )
