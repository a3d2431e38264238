"""Benchmark of the offline `validator validate`: wall time and peak memory.

Generates catalogs of 1,000 and 10,000 entries by copying the bundled entries under new
ids (same shape, same rules fire), then runs the real command in a fresh interpreter,
so the figures include interpreter start-up as a user sees it. Each case runs
``--repeat`` times; the best wall time and the highest peak RSS are reported.

    python benchmarks/validate_bench.py [--sizes 1000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "catalog"


def make_catalog(size: int, into: Path) -> Path:
    """A catalog of ``size`` entries built from the bundled ones, plus the glossary."""
    shutil.copy(CATALOG / "licenses.yaml", into / "licenses.yaml")
    templates = sorted(p for p in CATALOG.rglob("*.yaml") if p.name != "licenses.yaml")
    for i in range(size):
        template = templates[i % len(templates)]
        rel = template.relative_to(CATALOG).parent
        new_id = f"{template.stem}-{i:05d}"
        text = template.read_text(encoding="utf-8")
        text = text.replace(f"id: {template.stem}\n", f"id: {new_id}\n", 1)
        # Unique names and URLs, so duplicate rules do not fire on every copy.
        text = text.replace("\nname: ", f"\nname: n{i:05d} ", 1)
        text = text.replace("huggingface.co/", f"huggingface.co/b{i:05d}")
        folder = into / rel
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    return into


def run_once(target: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one `validator validate` process."""
    cmd = [sys.executable, "-m", "validator", "validate", str(target), "--format", "json"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would keep the max of all).
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"validator failed ({code}): {err[:400]}")
    return wall, usage.ru_maxrss / 1024


def measure(label: str, target: Path, entries: int, repeat: int) -> None:
    """Run one case ``repeat`` times in fresh processes and print a table row."""
    walls, peak = [], 0.0
    for _ in range(repeat):
        wall, rss = run_once(target)
        walls.append(wall)
        peak = max(peak, rss)
    per_entry = min(walls) / entries * 1000 if entries else 0.0
    print(f"| {label} | {entries:,} | {min(walls):.2f} s | {per_entry:.3f} ms | {peak:.0f} MiB |")


def main() -> None:
    """Parse arguments, build the catalogs, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("| catalog | entries | best wall (incl. start-up) | per entry | peak RSS |")
    print("|---|---|---|---|---|")
    bundled = sum(1 for p in CATALOG.rglob("*.yaml") if p.name != "licenses.yaml")
    measure("bundled", CATALOG, bundled, args.repeat)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            measure("generated", make_catalog(size, Path(tmp)), size, args.repeat)


if __name__ == "__main__":
    main()
