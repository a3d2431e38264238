"""The HTML report in a real browser: headless Chromium loads the page from disk.

Chromium (Debian's ``chromium`` package; ``.ci/run`` installs it) renders the bundled
catalog's last three nights; the test reads the rendered DOM (``--dump-dom``), the
console (``--enable-logging=stderr --v=0`` prints each console message as a
``CONSOLE`` line, uncaught errors included) and keeps a screenshot in ``artifacts/``
for CI. Without Chromium the test fails and says how to install it: it never skips.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.report.htmlnights import ROOT, parse, stats, three_nights
from validator.report.html import HtmlReporter

ARTIFACTS = ROOT / "artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]
SIZE = (1280, 2200)


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Debian's package first; the other names cover hosted runners (same flags, same DOM)."""


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, BROWSERS)), None)
    if not found:
        pytest.fail(
            "chromium not found: install it with `apt-get update && apt-get install -y "
            "chromium` (as root; `bash .ci/run` does this), or set CHROMIUM to its path"
        )
    return found


def render(page: Path, screenshot: Path) -> tuple[str, list[str]]:
    """Load ``page`` from disk; return the rendered DOM and the console lines."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                chromium(),
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={SIZE[0]},{SIZE[1]}",
                f"--screenshot={screenshot}",
                "--dump-dom",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.heavy
@pytest.mark.xdist_group("three-nights")  # three_nights() is built once per worker
def test_report_renders_in_chromium() -> None:
    report = three_nights()
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / "html-report.html"
    page.write_text(HtmlReporter().format(report), encoding="utf-8")
    shot = ARTIFACTS / "html-report.png"
    shot.unlink(missing_ok=True)

    dom, console = render(page, shot)

    assert console == []
    root = parse(dom)
    assert stats(root) == {
        "errors": 2,
        "warnings": 1,
        "infos": 2,
        "waived": 4,
        "files": 37,
        "entries": 36,
        "links-checked": 93,
        "links-failing": 3,
    }
    (svg,) = [n for n in root.find_all("svg") if n.attrs.get("id") == "history-chart"]
    titles = [rect.find_all("title")[0].all_text() for rect in svg.find_all("rect")]
    assert titles == [
        "2026-11-26: 1 failing link of 93",
        "2026-11-27: 2 failing links of 93",
        "2026-11-28: 3 failing links of 93",
    ]
    ages = [
        row.find_all("td")[-1].all_text() for row in root.find_all("tr", **{"class": "failing"})
    ]
    assert sorted(ages) == ["2026-11-26 (3 runs)", "2026-11-27 (2 runs)", "2026-11-28 (1 run)"]
    assert png_size(shot) == SIZE


@pytest.mark.heavy
def test_console_capture_sees_errors(tmp_path: Path) -> None:
    # The "no console errors" assertion above is only worth something if it can fail.
    page = tmp_path / "noisy.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        "<body><p>x</p><script>console.error('noisy page'); missing();</script></body></html>",
        encoding="utf-8",
    )
    _dom, console = render(page, tmp_path / "noisy.png")
    assert any("noisy page" in line for line in console)
    assert any("missing is not defined" in line for line in console)
