"""Headless Chromium driven over the DevTools protocol: one browser for several pages.

Chromium is started once with ``--remote-debugging-pipe`` (commands on its fd 3,
answers and events on its fd 4, each a JSON text ended by a NUL byte) and each page is
loaded in a tab of its own: its DOM after the load event, every console message,
uncaught error and browser log entry it caused, and a screenshot of the window. A
browser start is most of the cost of a render (~1 s of CPU), so the HTML report tests
share one (``tests/report/test_html_browser.py``).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
import typing as t
from pathlib import Path

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
]

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Debian's package first; the other names cover hosted runners (same flags, same DOM)."""

TIMEOUT = 60.0
"""Seconds a page may take to load (a loaded CI machine; a page here takes ~0.1 s)."""


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, BROWSERS)), None)
    if not found:
        pytest.fail(
            "chromium not found: install it with `apt-get update && apt-get install -y "
            "chromium` (as root; `bash .ci/run` does this), or set CHROMIUM to its path"
        )
    return found


class Rendered(t.NamedTuple):
    dom: str
    """The page's DOM after its load event (``document.documentElement.outerHTML``)."""
    console: list[str]
    """``kind: text`` per console call, uncaught error and browser log entry."""


class Browser:
    """One headless Chromium; :meth:`render` loads a page in a fresh tab."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.size = size
        self._profile = tempfile.TemporaryDirectory()
        self._log = tempfile.TemporaryFile()  # the browser's stderr, shown if it fails
        to_browser, self._commands = map(_high, os.pipe())  # the browser reads its fd 3
        self._answers, from_browser = map(_high, os.pipe())  # and writes its fd 4
        self._process = subprocess.Popen(
            [
                "bash",  # dash cannot redirect a file descriptor above 9
                "-c",
                f'exec "$@" 3<&{to_browser} 4>&{from_browser}',  # the pipes as fds 3 and 4
                "bash",
                chromium(),
                *FLAGS,
                f"--user-data-dir={self._profile.name}",
                f"--window-size={size[0]},{size[1]}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            pass_fds=(to_browser, from_browser),
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, t.Any]] = []

    def _stderr(self) -> str:
        self._log.seek(0)
        return "; its stderr ends: " + self._log.read()[-2000:].decode("utf-8", "replace")

    def _send(self, method: str, params: dict[str, t.Any], session: str | None = None) -> int:
        self._next_id += 1
        message: dict[str, t.Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._commands, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise RuntimeError(
                f"Chromium ended (exit {self._process.wait()}){self._stderr()}"
            ) from None
        return self._next_id

    def _receive(self, deadline: float) -> dict[str, t.Any]:
        while b"\0" not in self._buffer:
            wait = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._answers], [], [], wait)
            if not ready:
                raise TimeoutError(f"no answer from Chromium within {TIMEOUT} s{self._stderr()}")
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise RuntimeError(f"Chromium ended (exit {self._process.wait()}){self._stderr()}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return t.cast(dict[str, t.Any], json.loads(message))

    def call(self, method: str, session: str | None = None, **params: t.Any) -> t.Any:
        """Send a command and return its result; events meanwhile are kept."""
        wanted = self._send(method, params, session)
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._receive(deadline)
            if message.get("id") != wanted:
                self._events.append(message)
            elif "error" in message:
                raise RuntimeError(f"{method}: {message['error']}")
            else:
                return message.get("result", {})

    def _wait_for(self, method: str, session: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == method and e.get("sessionId") == session
                      for e in self._events):  # fmt: skip
            self._events.append(self._receive(deadline))

    def render(self, page: Path, screenshot: Path) -> Rendered:
        """Load ``page`` from disk in a new tab; write the window's PNG to ``screenshot``."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session)
        width, height = self.size
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.call("Page.navigate", session, url=page.resolve().as_uri())
        self._wait_for("Page.loadEventFired", session)
        dom = self.call(
            "Runtime.evaluate",
            session,
            expression="document.documentElement.outerHTML",
            returnByValue=True,
        )["result"]["value"]
        shot = self.call("Page.captureScreenshot", session, format="png")
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        # Anything logged up to now: round trips flush what the page still had queued.
        self.call("Runtime.evaluate", session, expression="0")
        self.call("Target.closeTarget", targetId=target)
        mine = [e for e in self._events if e.get("sessionId") == session]
        self._events = [e for e in self._events if e.get("sessionId") != session]
        return Rendered(str(dom), [line for e in mine if (line := _console_line(e))])

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._commands)
        os.close(self._answers)
        self._log.close()
        self._profile.cleanup()


def _high(fd: int) -> int:
    """``fd`` moved to a number above 9, clear of the 3 and 4 the browser is given."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def _console_line(event: dict[str, t.Any]) -> str | None:
    params = event.get("params", {})
    if event.get("method") == "Runtime.consoleAPICalled":
        text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
        return f"console.{params['type']}: {text}"
    if event.get("method") == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        thrown = details.get("exception", {}).get("description") or details.get("text", "")
        return f"uncaught: {thrown}"
    if event.get("method") == "Log.entryAdded":
        entry = params["entry"]
        return f"log.{entry['level']} ({entry['source']}): {entry['text']}"
    return None
