"""Benchmark `validator links` (and, with --peers, lychee and others) on a loopback farm.

    python benchmarks/links/bench.py                 # ours: farm, scale and one-host runs
    python benchmarks/links/bench.py --peers         # also lychee (and linkinator,
                                                     # markdown-link-check, LinkChecker)
    python benchmarks/links/bench.py --only farm     # one scenario: farm | scale | one-host

Scenarios:

* farm: 1,000 URLs over 20 Zipf-weighted hosts, 100 ms per answer, faults (404/410,
  redirects and loops, 503 once, 429 with Retry-After, hangs, HEAD refused or lying,
  10 GiB bodies, fragments). Every tool gets a 10 s timeout, 2 retries, 10 in flight
  and 50 ms between requests per host. Ours runs twice: cold (no cache), then with
  the first run's history in the cache but nothing reused (``cache-ttl = 0``), which
  is what a nightly job sees once yesterday's results have expired. The farm is reset
  between that first run and the timed one, so its 503s and 429s come back: both runs
  are asked the same work and held to the same bounds.
* rerun: 1,000 URLs checked once, then again within the cache TTL (three times):
  wall time including process start, and the requests the farm saw.
* scale: 100,000 URLs over 1,000 hosts, zero latency, all alive, no interval
  (throughput and peak RSS).
* one-host: 10,000 URLs on one host, zero latency, 2 ms apart (the per-host schedule
  alone).

Per tool: wall time, the ratios to the lower bounds the farm's plan implies (see
``plan.py``: "oracle", for a checker that knows every URL; "blind", for one that
knows nothing and starts URLs in listed order), wrong verdicts against the known
truth (exact verdicts for ours, broken/ok for peers), the most requests in flight at
one host (counted by the farm), peak RSS, and the requests the host that sets the
bound received in the timed run ("sent"; then sent/needed for the five busiest hosts).
Only loopback is touched.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import subprocess
import sys
import tempfile
import typing as t
from pathlib import Path

import measure
import peers
from measure import FarmProcess, run_timed, wrong
from plan import Limits, blind_bound, host_plans, kind_of, lower_bound, make_urls

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
Runner = t.Callable[[Path, dict[str, str], t.Callable[[], object]], "peers.Result"]
"""``(workdir, truth, reset)``: ``reset`` clears the farm's counts and once-faults."""


def run_validator(
    workdir: Path, truth: dict[str, str], extra: list[str], cache: Path | None = None
) -> peers.Result:
    urls = workdir / "urls.txt"
    urls.write_text("\n".join(truth) + "\n")
    report = workdir / "report.json"
    cmd = [sys.executable, "-m", "validator", "links", str(urls), "--output", f"json:{report}"]
    cmd += ["--allow-private", "--no-progress", "--timeout", "10", "--max-retries", "2"]
    if cache is None:
        cmd.append("--no-cache")
    else:  # history kept, nothing reused: as on a night after the TTL ran out
        config = cache.parent / "bench.toml"
        config.write_text("cache-ttl = 0\n")
        cmd += ["--cache-path", str(cache), "--config", str(config)]
    wall, rss, _ = run_timed([*cmd, *extra], cwd=ROOT)
    data = json.loads(report.read_text())
    return wall, rss, {link["url"]: link["verdict"] for link in data["links"]}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: nproc={os.cpu_count()}, {cpu}, Python {platform.python_version()}, "
        f"load {load:.2f} at start"
    )


def scenario(
    name: str,
    n: int,
    hosts: int,
    latency: float,
    faults: bool,
    interval: float,
    tools: list[tuple[str, Runner, bool]],
    conc: int = 10,
) -> dict[str, float]:
    """Run each tool against a fresh farm state; return walls by tool."""
    farm = FarmProcess(hosts, latency)
    walls: dict[str, float] = {}
    try:
        truth = make_urls(n, hosts, farm.port, seed=7, faults=faults)
        lim = Limits(interval, latency, conc, 10.0)
        bound, worst = lower_bound(truth, lim)
        blind, blind_worst = blind_bound(truth, lim), blind_bound(truth, lim, worst=True)
        plans = host_plans(truth)
        busiest = plans[0]
        print(
            f"\n## {name}: {n:,} URLs, {hosts} hosts, {latency * 1000:.0f} ms latency, "
            f"{conc} in flight and {interval * 1000:g} ms apart per host\n"
            f"busiest host {busiest.host}: {busiest.urls} URLs, {busiest.requests} requests "
            f"needed, {busiest.pauses:g} s of Retry-After, hangs listed at "
            f"{[p + 1 for p in busiest.hung]} of {busiest.urls}\n"
            f"lower bounds: oracle {bound:.2f} s (knows every URL; set by {worst.host}); "
            f"blind {blind:.2f} s (knows nothing, starts URLs in listed order); "
            f"blind worst case {blind_worst:.2f} s (every hang last)"
        )
        print(
            f"{'tool':<28}{'wall s':>8}{'x oracle':>9}{'x blind':>8}{'wrong':>7}"
            f"{'peak/host':>11}{'RSS MB':>8}{'URLs/s':>9}{'sent':>7}"
        )
        for tool, runner, exact in tools:
            farm.call("/__reset")
            farm_cpu, load = farm.cpu(), os.getloadavg()[0]
            with tempfile.TemporaryDirectory() as tmp:
                res = runner(Path(tmp), truth, lambda: farm.call("/__reset"))
            farm_cpu = farm.cpu() - farm_cpu
            if res is None:
                print(f"{tool:<28} (not installed)")
                continue
            wall, rss, got = res
            walls[tool] = wall
            stats = farm.call("/__stats")
            sent = stats["requests"]
            peaks = [v for k, v in stats["max_in_flight"].items() if k != "127.0.0.1"]
            peak = max(peaks, default=0)
            bad = wrong(truth, got, exact)
            # A run with history knows what the blind bound assumes it does not.
            own = "-" if "history" in tool else f"{wall / blind if blind else 0:.2f}"
            print(
                f"{tool:<28}{wall:>8.2f}{wall / bound if bound else 0:>9.2f}{own:>8}{len(bad):>7}"
                f"{f'{peak} ({conc})':>11}{rss:>8}{n / wall:>9.0f}"
                f"{sent.get(worst.host.split(':')[0], 0):>7}"
            )
            print(
                f"   CPU: the tool {measure.last_cpu:.1f} s ({1e6 * measure.last_cpu / n:.0f} us "
                f"per URL), the farm {farm_cpu:.1f} s{' (both runs)' if 'history' in tool else ''}"
                f"; load {load:.2f} -> {os.getloadavg()[0]:.2f}"
            )
            print(
                "   sent/needed at the busiest hosts:",
                ", ".join(f"{sent.get(p.host.split(':')[0], 0)}/{p.requests}" for p in plans[:5]),
            )
            if bad and exact:
                print("   wrong:", [(u, truth[u], got.get(u)) for u in bad[:5]])
            elif bad:
                kinds = collections.Counter(f"{kind_of(u)}{'#' in u and '#' or ''}" for u in bad)
                print("   wrong by kind:", dict(kinds.most_common()))
    finally:
        farm.stop()
    return walls


def ours(extra: list[str], history: bool = False) -> Runner:
    def runner(workdir: Path, truth: dict[str, str], reset: t.Callable[[], object]) -> peers.Result:
        if not history:
            return run_validator(workdir, truth, extra)
        cache = workdir / "cache.sqlite3"
        run_validator(workdir, truth, extra, cache)  # yesterday's run, not timed
        # Today's farm is yesterday's again: the 503s and 429s come back, so this run
        # is asked exactly what the cold run is, and held to the same bounds. (Without
        # the reset the once-faults are spent and the run needs fewer requests and no
        # pause, which the plan's bound does not count: the 0.98x of an earlier round.)
        reset()
        return run_validator(workdir, truth, extra, cache)

    return runner


def farm_scenario(with_peers: bool) -> None:
    interval, conc = 0.05, 10
    tools: list[tuple[str, Runner, bool]] = [
        ("validator links (cold)", ours([]), True),
        ("validator links (history)", ours([], history=True), True),
    ]
    if with_peers:
        tools += [
            ("lychee", lambda w, tr, _r: peers.run_lychee(w, tr, interval, conc), False),
            ("linkinator", lambda w, tr, _r: peers.run_linkinator(w, tr), False),
            ("markdown-link-check", lambda w, tr, _r: peers.run_mlc(w, tr), False),
            ("LinkChecker", lambda w, tr, _r: peers.run_linkchecker(w, tr), False),
        ]
    walls = scenario("farm", 1000, 20, 0.1, True, interval, tools, conc)
    if "lychee" in walls:
        for tool in ("validator links (cold)", "validator links (history)"):
            print(f"lychee / {tool}: {walls['lychee'] / walls[tool]:.2f}x")


def rerun_scenario() -> None:
    """1,000 URLs checked, then checked again within the TTL: requests and wall."""
    farm = FarmProcess(20, 0.1)
    try:
        truth = make_urls(1000, 20, farm.port, seed=7, faults=False)
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            cache = workdir / "cache.sqlite3"
            urls = workdir / "urls.txt"
            urls.write_text("\n".join(truth) + "\n")
            cmd = [sys.executable, "-m", "validator", "links", str(urls), "--allow-private"]
            cmd += ["--no-progress", "--cache-path", str(cache), "--output", "json:r.json"]
            first, _, _ = run_timed(cmd, cwd=workdir)
            farm.call("/__reset")
            walls = [run_timed(cmd, cwd=workdir)[0] for _ in range(3)]
            sent = sum(farm.call("/__stats")["requests"].values())
        print(
            f"\n## cached rerun: 1,000 URLs, 20 hosts, 100 ms latency, within the TTL\n"
            f"first run {first:.2f} s; reruns {', '.join(f'{w:.2f}' for w in walls)} s "
            f"(process start included), {sent} requests in 3 reruns"
        )
    finally:
        farm.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--peers", action="store_true", help="also run installed peers")
    parser.add_argument(
        "--only", choices=["farm", "rerun", "scale", "one-host"], help="one scenario"
    )
    args = parser.parse_args()
    print(machine())
    version = (
        subprocess.run(
            [peers.PEER_VENV_BIN / "lychee", "--version"], capture_output=True, text=True
        ).stdout.strip()
        if (peers.PEER_VENV_BIN / "lychee").exists()
        else "lychee not installed"
    )
    print(version)
    if args.only in (None, "farm"):
        farm_scenario(args.peers)
    if args.only in (None, "rerun"):
        rerun_scenario()
    if args.only in (None, "scale"):
        tools = [("validator links", ours(["--host-interval", "0"]), True)]
        scenario("scale", 100_000, 1000, 0.0, False, 0.0, tools)
    if args.only in (None, "one-host"):
        tools = [("validator links", ours(["--host-interval", "0.002"]), True)]
        scenario("one-host", 10_000, 1, 0.0, False, 0.002, tools)


if __name__ == "__main__":
    main()
