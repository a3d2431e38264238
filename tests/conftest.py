"""Test-wide guards: no test may reach the internet, and no test waits for real.

Every socket connection and name lookup is checked: loopback addresses (127.0.0.0/8,
::1, "localhost") pass, anything else fails loudly. Integration tests start real
servers on loopback; unit tests use respx, which never opens a socket.
"""

from __future__ import annotations

import gc
import ipaddress
import itertools
import os
import socket
import sys
import time
import typing as t
from pathlib import Path

import click.testing
import pytest

from tests.hostile.markers import PLANTED, leaked, leaked_in_files, snapshot, written_places
from validator import timing

_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(host: t.Any) -> bool:
    if host in ("localhost", "localhost.", b"localhost"):
        return True
    try:
        return ipaddress.ip_address(host if isinstance(host, str) else host.decode()).is_loopback
    except (ValueError, AttributeError):
        return False


class InternetAccessError(RuntimeError):
    """Raised when a test tries to leave the machine."""


def _guarded_getaddrinfo(host: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
    if host is not None and not _is_loopback(host):
        raise socket.gaierror(socket.EAI_NONAME, f"tests may not resolve {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def _guarded_connect(self: socket.socket, address: t.Any) -> t.Any:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise InternetAccessError(f"tests may not connect to {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: t.Any) -> t.Any:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise InternetAccessError(f"tests may not connect to {address!r}")
    return _real_connect_ex(self, address)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``heavy`` tests first (a stable sort: the same order in every xdist worker)."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Hand what collection built (~100,000 objects: modules, test items, rewritten code,
    all alive to the end) to the permanent generation of Python's cyclic collector, so
    its full collections walk only what the tests make: ~0.6 s of CPU per worker, and
    ~0.2 s at exit. Garbage is collected first, so none of it is kept."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture(autouse=True)
def _httpx_path_under_respx(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """respx mocks httpx, and the crawler's own client goes around httpx
    (:mod:`validator.http.wire`): a test module that mocks with respx runs the httpx
    path. ``tests/http/test_http_wire.py`` shows both paths see the same answers."""
    if _mocks_httpx(request.module):
        # imported here, not at the top: the controller of an xdist run runs no test
        # and would import httpx and respx for nothing (~0.3 s before the workers start)
        from validator.http import wire

        monkeypatch.setattr(wire, "ENABLED", False)


_respx_users: dict[str, bool] = {}


def _mocks_httpx(module: t.Any) -> bool:
    """Whether ``module`` uses respx, itself or through a helper module it imports from."""
    name = getattr(module, "__name__", "")
    if name not in _respx_users:
        import respx

        homes = {vars(module).get("respx")}
        for value in vars(module).values():
            home = sys.modules.get(getattr(value, "__module__", None) or "")
            homes.add(vars(home).get("respx") if home is not None else None)
        _respx_users[name] = respx in homes
    return _respx_users[name]


@pytest.fixture(scope="session")
def _scratch_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scratch")


_scratch_numbers = itertools.count()


@pytest.fixture(autouse=True)
def _scratch(request: pytest.FixtureRequest, _scratch_root: Path) -> Path:
    """This test's own folder for what its commands write (the validator cache among it).

    The test's ``tmp_path`` when it uses one; otherwise a fresh name in this worker's
    temporary folder, created only if a command writes there: a ``tmp_path`` for every
    test would cost each of the thousand tests a numbered folder and a symlink.
    """
    if "tmp_path" in request.fixturenames:
        return t.cast(Path, request.getfixturevalue("tmp_path"))
    return _scratch_root / str(next(_scratch_numbers))


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, _scratch: Path) -> None:
    """Keep tests away from the developer's tokens, endpoints and cache."""
    for var in (
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
        "HF_ENDPOINT",
        "GITHUB_TOKEN",
        "GITHUB_API_URL",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_ACTIONS",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("VALIDATOR_CACHE_DIR", str(_scratch / "validator-cache"))
    # Marker secrets for every test (tests/hostile/markers.py): whatever a command
    # prints or writes is searched for them. A test needing no token deletes it.
    for var, value in PLANTED.items():
        monkeypatch.setenv(var, value)


_real_invoke = click.testing.CliRunner.invoke


def _checked_invoke(scratch: Path) -> t.Callable[..., t.Any]:
    def invoke(
        self: click.testing.CliRunner, cli: t.Any, args: t.Any = None, **kwargs: t.Any
    ) -> t.Any:
        argv = [str(a) for a in args] if isinstance(args, list | tuple) else []
        envs = [os.environ, self.env, kwargs.get("env")]
        places = written_places(scratch, argv, envs)
        before = snapshot(places)
        result = _real_invoke(self, cli, args, **kwargs)
        shown = [result.stdout_bytes, result.stderr_bytes or b"", str(result.exception or "")]
        found = [secret for text in shown for secret in leaked(text)]
        found += leaked_in_files(before, snapshot(places))
        assert not found, f"a command printed or wrote a planted secret: {found}"
        return result

    return invoke


@pytest.fixture(autouse=True)
def _no_secret_in_any_output(monkeypatch: pytest.MonkeyPatch, _scratch: Path) -> None:
    """Every command run by any test: no planted marker secret in what it printed or wrote."""
    monkeypatch.setattr(click.testing.CliRunner, "invoke", _checked_invoke(_scratch))


class FastForward(timing.Timing):
    """Waiting without waiting: each sleep is recorded and moves the clocks forward.

    Installed for every test (:func:`_fast_forward`), so back-off, host intervals and
    write spacing cost no real time; a test asserts on ``waits`` or ``skipped``.
    """

    def __init__(self) -> None:
        super().__init__(
            monotonic=lambda: time.monotonic() + self.skipped,
            wall=lambda: time.time() + self.skipped,
            sleep=self._sleep,
            blocking_sleep=self._blocking_sleep,
        )
        self.skipped = 0.0
        self.waits: list[float] = []

    def _blocking_sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.skipped += max(0.0, seconds)

    async def _sleep(self, seconds: float) -> None:
        import anyio.lowlevel

        self._blocking_sleep(seconds)
        await anyio.lowlevel.checkpoint()


@pytest.fixture(autouse=True)
def fast_forward() -> t.Iterator[FastForward]:
    """Every wait in the tool (validator.timing) is recorded instead of slept."""
    clock = FastForward()
    previous = timing.install(clock)
    try:
        yield clock
    finally:
        timing.install(previous)
