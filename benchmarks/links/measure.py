"""Running things and measuring them: the farm process, a timed child, scoring."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from plan import BROKEN

HERE = Path(__file__).resolve().parent


class FarmProcess:
    """The farm in its own process, on a random port; a port already taken (the farm
    exits at once) is retried on another, so a busy machine does not fail the run."""

    def __init__(self, hosts: int, latency: float) -> None:
        for _ in range(5):
            self.port = 20000 + random.randrange(20000)
            ready = Path(tempfile.mkdtemp()) / "ready"
            args = [str(HERE / "farm.py"), str(hosts), str(self.port), str(latency), str(ready)]
            self.proc = subprocess.Popen([sys.executable, *args])
            for _ in range(1200):
                if ready.exists() or self.proc.poll() is not None:
                    break
                time.sleep(0.05)
            if ready.exists():
                return
            self.proc.kill()
            self.proc.wait(5)
        raise SystemExit("bench: the link farm did not start (5 ports tried)")

    def cpu(self) -> float:
        """CPU seconds (user + system) the farm has used so far (Linux; 0 elsewhere)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def call(self, path: str) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
            return json.loads(r.read() or b"{}") if path.startswith("/__stats") else {}

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(5)


last_cpu = 0.0
"""CPU seconds (user + system) of the last child :func:`run_timed` waited for."""


def run_timed(
    cmd: list[str], cwd: Path | None = None, timeout: float = 900
) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB (this child), stdout."""
    wall, rss, _cpu, out = run_measured(cmd, cwd, timeout)
    return wall, rss, out


def run_measured(
    cmd: list[str], cwd: Path | None = None, timeout: float = 900
) -> tuple[float, int, float, str]:
    """Wall seconds, peak RSS in MB, CPU seconds (user + sys) of the child, stdout.

    CPU time is the figure to compare on a shared machine: wall time grows with the
    load, CPU time much less."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd)
        deadline = start + timeout
        while True:
            pid, _status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
            time.sleep(0.02)
        wall = time.monotonic() - start
        global last_cpu
        last_cpu = usage.ru_utime + usage.ru_stime
        out.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return wall, usage.ru_maxrss // 1024, cpu, out.read().decode("utf-8", "replace")


def wrong(truth: dict[str, str], got: dict[str, str], exact: bool) -> list[str]:
    """URLs judged wrongly: exact verdicts for ours, broken/ok for peers."""
    out = []
    for url, want in truth.items():
        have = got.get(url)
        if exact:
            bad = have != want
        else:
            bad = have is None or (have == "broken") != (want in BROKEN)
        if bad:
            out.append(url)
    return out
