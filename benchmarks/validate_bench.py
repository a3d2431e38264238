"""Benchmark of the offline `validator validate`: wall time and peak memory.

Generates catalogs of 1,000 and 10,000 entries from whole copies of the bundled catalog
(see :func:`make_catalog`), then runs the real command in a fresh interpreter, so the
figures include interpreter start-up as a user sees it. Each case runs ``--repeat``
times; the best wall time, the highest peak RSS and the findings reported are shown.
The bundled run includes the docs' local-link check (``docs/`` beside ``catalog/``).

    python benchmarks/validate_bench.py [--sizes 1000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "catalog"


_URL = re.compile(r"https?://[^\s)\"'<>]+")
_BASED_ON = re.compile(r"^based_on: \[(.*)\]$", re.MULTILINE)
_NAME = re.compile(r"^name: (.*)$", re.MULTILINE)


def _copy_url(url: str, group: int) -> str:
    """The URL made unique to copy ``group``: a query parameter, path and host kept, so
    every rule reads it as it reads the original (Hub repo, arXiv id, dated path)."""
    base, hash_, fragment = url.partition("#")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}copy={group}{hash_}{fragment}"


def _copy_name(match: re.Match[str], group: int) -> str:
    value = match.group(1)
    if value[:1] in "\"'" and value[-1:] == value[:1]:
        return f"name: {value[:-1]} (copy {group}){value[-1]}"
    return f"name: {value} (copy {group})"


def make_catalog(size: int, into: Path) -> Path:
    """A catalog of ``size`` entries: whole copies of the bundled catalog (the last one
    partial) plus the glossary.

    Copy ``g`` renames every entry ``<id>-g<g>`` (its file too), points ``based_on`` at
    the same copy's entries, and makes names and URLs unique to it, so the copies are
    as clean as the bundled catalog: the duplicate rules do not fire on every copy, and
    the run validates 10,000 entries, not 10,000 artefacts of the generator. The table's
    findings column shows what a run still reported.
    """
    shutil.copy(CATALOG / "licenses.yaml", into / "licenses.yaml")
    templates = sorted(p for p in CATALOG.rglob("*.yaml") if p.name != "licenses.yaml")
    for i in range(size):
        group, template = divmod(i, len(templates))
        source = templates[template]
        rel = source.relative_to(CATALOG).parent
        new_id = f"{source.stem}-g{group:04d}"
        text = source.read_text(encoding="utf-8")
        text = text.replace(f"\nid: {source.stem}\n", f"\nid: {new_id}\n", 1)
        text = _BASED_ON.sub(
            lambda m, g=group: (
                "based_on: ["
                + ", ".join(f"{ref.strip()}-g{g:04d}" for ref in m.group(1).split(","))
                + "]"
            ),
            text,
        )
        text = _NAME.sub(lambda m, g=group: _copy_name(m, g), text, count=1)
        text = _URL.sub(lambda m, g=group: _copy_url(m.group(0), g), text)
        folder = into / rel
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    return into


def run_once(target: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, findings) of one `validator validate` process."""
    cmd = [sys.executable, "-m", "validator", "validate", str(target), "--format", "json"]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would keep the max of all).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        report = out.read()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"validator failed ({code}): {err[:400]}")
    return wall, usage.ru_maxrss / 1024, len(json.loads(report)["findings"])


def measure(label: str, target: Path, entries: int, repeat: int) -> None:
    """Run one case ``repeat`` times in fresh processes and print a table row."""
    walls, peak, findings = [], 0.0, 0
    for _ in range(repeat):
        wall, rss, findings = run_once(target)
        walls.append(wall)
        peak = max(peak, rss)
    per_entry = min(walls) / entries * 1000 if entries else 0.0
    print(
        f"| {label} | {entries:,} | {min(walls):.2f} s | {per_entry:.3f} ms | {peak:.0f} MiB "
        f"| {findings} |"
    )


def main() -> None:
    """Parse arguments, build the catalogs, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # As an installed package runs: pip compiles the bytecode at install time. Without
    # this, a checkout run with PYTHONDONTWRITEBYTECODE=1 compiles every changed module
    # in every process (0.1 to 0.2 s each time).
    compileall.compile_dir(ROOT / "validator", quiet=1)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("| catalog | entries | best wall (incl. start-up) | per entry | peak RSS | findings |")
    print("|---|---|---|---|---|---|")
    bundled = sum(1 for p in CATALOG.rglob("*.yaml") if p.name != "licenses.yaml")
    measure("bundled", CATALOG, bundled, args.repeat)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            measure("generated", make_catalog(size, Path(tmp)), size, args.repeat)


if __name__ == "__main__":
    main()
