"""Benchmark: 100,000 links (1,000 distinct URLs) on one Markdown page, every format.

    python benchmarks/links/occurrences.py [--formats text,json,...] [--distinct 1000]

One Markdown page cites 1,000 distinct URLs on 10 loopback farm hosts 100 times each:
half of them dead (404), so 50,000 occurrences are findings and every reporter has
long occurrence lists to write. ``validator links`` runs once per output format, with
no cache; for each: wall time (process start included), CPU time (user + sys: the
figure to compare on a shared machine), peak RSS and the load average at its start.
The bar (issue 12): every format within 15 s and 400 MB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from measure import FarmProcess, run_measured
from plan import host_ip

FORMATS = ("text", "json", "markdown", "github", "sarif", "junit", "html")
LIMIT_SECONDS = 15.0
LIMIT_MB = 400


def page(port: int, distinct: int, repeat: int) -> str:
    urls = [
        f"http://{host_ip(i % 10)}:{port}/{'dead' if i % 2 else 'ok'}/{i}" for i in range(distinct)
    ]
    lines = ["# Links", ""]
    for round_ in range(repeat):
        lines.extend(f"- [{round_}.{i}]({url})" for i, url in enumerate(urls))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--distinct", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    farm = FarmProcess(10, 0.0)
    failed = False
    try:
        with tempfile.TemporaryDirectory() as tmp:
            doc = Path(tmp) / "links.md"
            doc.write_text(page(farm.port, args.distinct, args.repeat), encoding="utf-8")
            links = args.distinct * args.repeat
            print(f"{links:,} links, {args.distinct:,} distinct; bar {LIMIT_SECONDS:g} s, "
                  f"{LIMIT_MB} MB")  # fmt: skip
            for fmt in args.formats.split(","):
                out = Path(tmp) / f"out.{fmt}"
                cmd = [sys.executable, "-m", "validator", "links", str(doc), "--allow-private",
                       "--no-cache", "--no-progress", "--host-interval", "0",
                       "--max-retries", "0", "--output", f"{fmt}:{out}"]  # fmt: skip
                load = os.getloadavg()[0]
                wall, rss, cpu, _ = run_measured(cmd, cwd=Path(__file__).resolve().parents[2])
                size = out.stat().st_size if out.exists() else 0
                ok = wall <= LIMIT_SECONDS and rss <= LIMIT_MB and size > 0
                failed = failed or not ok
                verdict = "ok" if ok else "OVER"
                print(f"{fmt:<9} {wall:6.1f} s wall {cpu:6.1f} s CPU {rss:5d} MB  "
                      f"{size / 1e6:7.1f} MB written  load {load:.1f}  {verdict}")  # fmt: skip
    finally:
        farm.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
