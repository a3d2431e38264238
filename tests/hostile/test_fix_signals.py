"""``links --fix`` killed by SIGINT or SIGTERM at random moments: every file old or new.

The command runs in a forked child process (the interpreter and its imports already
warm, so a run takes a fraction of a second) against a loopback server that answers
every old URL with a permanent redirect, over 16 catalog files of 36 KiB each (half
with CRLF line ends, some with a byte-order mark). Each signal is sent by
``os.kill`` at 10 random moments (the seed is printed on failure): half spread over a
whole run, half within the span in which a clean run rewrote its files; the SIGINT and
the SIGTERM run of a trial go at once (two cores, half the time). After each,
every file must be byte-for-byte the old one or the fixed one, no temporary file may
be left, no traceback printed, the exit code must be 130 (SIGINT) or 143 (SIGTERM)
when the signal came before the end, and the process must end within 5 s of it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sys
import time
import traceback
import typing as t
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.hostile.rawserver import RawServer
from tests.hostile.test_fix_files import _entry, _serve_redirects
from validator import textfile
from validator.__main__ import _exit_now, run
from validator.cli import main

FILES = 16
PAD = 500  # lines of padding: about 36 KiB per file
TRIALS = 10


def _catalog(folder: Path, server: RawServer, new: bool) -> dict[str, bytes]:
    folder.mkdir()
    out = {}
    for i in range(FILES):
        url = server.url(f"/{'new' if new else 'old'}/{i}")
        data = _entry(url, "\r\n" if i % 2 else "\n", bom=i % 5 == 0, pad=PAD)
        (folder / f"e{i:02d}.yaml").write_bytes(data)
        out[f"e{i:02d}.yaml"] = data
    return out


def _child(folder: Path, errors: Path) -> t.NoReturn:
    """In the forked child: run the real entry point, end with its exit code."""
    code = 70
    try:
        err = os.open(errors, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(err, 2)
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        sys.argv = [
            "validator", "links", str(folder), "--fix", "--allow-private", "--no-cache",
            "--max-retries", "0", "--host-interval", "0", "--format", "json",
        ]  # fmt: skip
        try:
            run()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(code)


def _start(folder: Path, errors: Path) -> int:
    """Fork a run. The signals wait (blocked) until the child has the handlers that
    ``python -m validator`` has from its first line: a signal in between would hit
    pytest's handlers, copied by the fork, not anything a user's process runs."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    pid = os.fork()
    if pid == 0:
        for signum in SIGNALS:
            signal.signal(signum, _exit_now)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        _child(folder, errors)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    return pid


def _wait(pid: int, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.005)
    return None


@pytest.fixture(scope="module")
def server() -> RawServer:
    srv = RawServer().start()
    _serve_redirects(srv, FILES)
    yield srv  # type: ignore[misc]
    srv.stop()


SIGNALS = (signal.SIGINT, signal.SIGTERM)


def test_fix_under_signals_leaves_every_file_old_or_new(server: RawServer, tmp_path: Path) -> None:
    """Each trial forks two runs at once, one for each signal, sent at the same moment."""
    old = _catalog(tmp_path / "old", server, new=False)
    new = _catalog(tmp_path / "new", server, new=True)
    warm = tmp_path / "warm"
    shutil.copytree(tmp_path / "old", warm)
    # one run in this process first: every lazy import done, so forked runs start warm
    CliRunner().invoke(main, ["links", str(warm), "--allow-private", "--no-cache"])
    bases = [tmp_path / f"base-{s.name}" for s in SIGNALS]
    started = time.time()
    pids = []
    for base in bases:
        shutil.copytree(tmp_path / "old", base)
        pids.append(_start(base, base.with_suffix(".err")))
    for pid, base in zip(pids, bases, strict=True):
        assert _wait(pid, 60) == 0, base.with_suffix(".err").read_text()
    whole = time.time() - started
    for base in bases:
        assert {p.name: p.read_bytes() for p in base.iterdir()} == new  # the fix is right
    written = [p.stat().st_mtime - started for base in bases for p in base.iterdir()]

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    moments = [0.0]  # as soon as both runs are started
    moments += [rng.uniform(0.0, 0.9 * whole) for _ in range(TRIALS // 2 - 1)]
    moments += [rng.uniform(0.9 * min(written), max(written)) for _ in range(TRIALS - len(moments))]
    interrupted = dict.fromkeys(SIGNALS, 0)
    for trial, moment in enumerate(sorted(moments)):
        folders = [tmp_path / f"trial{trial}-{s.name}" for s in SIGNALS]
        pids = []
        for folder in folders:
            shutil.copytree(tmp_path / "old", folder)
            pids.append(_start(folder, folder.with_suffix(".err")))
        time.sleep(moment)
        for pid, signum, folder in zip(pids, SIGNALS, folders, strict=True):
            os.kill(pid, signum)  # a child that already ended is a zombie: no error
            code = _wait(pid, 5)
            where = f"seed {seed}, {signum.name} at {moment:.3f} s"
            if code is None:
                os.kill(pid, signal.SIGKILL)
                pytest.fail(f"{where}: no exit within 5 s")
            err = folder.with_suffix(".err").read_text()
            assert "Traceback" not in err, f"{where}: {err}"
            if code != 0:
                interrupted[signum] += 1
                assert code == 128 + signum, f"{where}: exit {code}: {err}"
            for name, data in old.items():
                now = (folder / name).read_bytes()
                assert now in (data, new[name]), f"{where}: {name} is neither old nor new"
            assert not list(folder.glob(f".*{textfile.TEMP_SUFFIX}")), where
    # a loaded machine may run faster or slower than the clean run: most, not all, of
    # the signals must have come before the end for the test to mean something
    assert min(interrupted.values()) >= TRIALS // 3, f"seed {seed}: interrupted {interrupted}"
