"""Fixtures for the Hub cross-check tests: the fake Hub, catalogs, a recording sleep."""

from __future__ import annotations

import contextlib
import typing as t
from pathlib import Path

import pytest

from tests.hub.fakehub.server import FakeHub
from validator.catalog.model import Entry, LicenseBook
from validator.catalog.source import load

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
PLANTED = Path(__file__).parent / "fakehub" / "fixtures" / "planted-catalog"


def load_entries(folder: Path, base: Path = ROOT) -> list[Entry]:
    """Every entry file under ``folder`` (not licenses.yaml), shown relative to ``base``."""
    out = []
    for path in sorted(folder.rglob("*.yaml")):
        if path.name == "licenses.yaml":
            continue
        try:
            display = str(path.relative_to(base))
        except ValueError:
            display = str(path)
        out.append(Entry(load(path, display)))
    return out


def load_licenses(path: Path = CATALOG / "licenses.yaml") -> LicenseBook:
    return LicenseBook.from_source(load(path, "catalog/licenses.yaml"))


class RecordingSleep:
    """Stands in for ``anyio.sleep``: records the waits, never waits."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class RecordingLimiter:
    """Stands in for ``validator.http.HostLimiter``: records back-offs, never waits."""

    def __init__(self) -> None:
        self.back_offs: list[tuple[str, float]] = []
        self.slots = 0

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> t.AsyncIterator[None]:
        self.slots += 1
        yield

    def back_off(self, host: str, seconds: float) -> None:
        self.back_offs.append((host, seconds))


@pytest.fixture
def limiter() -> RecordingLimiter:
    return RecordingLimiter()


@pytest.fixture
def fake_hub() -> t.Iterator[FakeHub]:
    with FakeHub() as hub:
        yield hub


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def licenses() -> LicenseBook:
    return load_licenses()
