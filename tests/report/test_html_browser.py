"""The HTML report in a real browser: headless Chromium loads the page from disk.

Chromium (Debian's ``chromium`` package; ``.ci/run`` installs it) renders the bundled
catalog's last three nights; the test reads the rendered DOM, the console (every
console call, uncaught error and browser log entry, over the DevTools protocol:
``tests/report/browser.py``) and keeps a screenshot in ``artifacts/`` for CI. One
browser serves both tests (its start is most of a render's cost). Without Chromium the
tests fail and say how to install it: they never skip.
"""

from __future__ import annotations

import struct
import typing as t
from pathlib import Path

import pytest

from tests.report.browser import Browser
from tests.report.htmlnights import ROOT, parse, stats, three_nights
from validator.report.html import HtmlReporter

ARTIFACTS = ROOT / "artifacts"
SIZE = (1280, 2200)

# One worker runs both tests and the Nu checker's (test_html.py): one browser, and
# three_nights() built once.
pytestmark = [pytest.mark.heavy, pytest.mark.xdist_group("three-nights")]


@pytest.fixture(scope="module")
def browser() -> t.Iterator[Browser]:
    started = Browser(SIZE)
    try:
        yield started
    finally:
        started.close()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_report_renders_in_chromium(browser: Browser) -> None:
    report = three_nights()
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / "html-report.html"
    page.write_text(HtmlReporter().format(report), encoding="utf-8")
    shot = ARTIFACTS / "html-report.png"
    shot.unlink(missing_ok=True)

    dom, console = browser.render(page, shot)

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


def test_console_capture_sees_errors(browser: Browser, tmp_path: Path) -> None:
    # The "no console errors" assertion above is only worth something if it can fail.
    page = tmp_path / "noisy.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><p>x</p><img src="absent.png" alt="">'
        "<script>console.error('noisy page'); missing();</script></body></html>",
        encoding="utf-8",
    )
    _dom, console = browser.render(page, tmp_path / "noisy.png")
    assert any("noisy page" in line for line in console)  # a console call
    assert any("missing is not defined" in line for line in console)  # an uncaught error
    assert any(line.startswith("log.error (network)") for line in console), console  # the log
