"""Benchmark `validator links` (and, optionally, peers) on a loopback link farm.

    python benchmarks/links/bench.py                 # validator only, three scenarios
    python benchmarks/links/bench.py --peers         # also linkinator, markdown-link-check,
                                                     # LinkChecker when installed

Scenarios: (1) 1,000 URLs over 20 hosts, 100 ms per response, ~10 % faults incl.
hanging responses; (2) 10,000 URLs over 40 hosts (peak RSS); (3) zero latency, all
alive (URLs per second). Hosts are 127.0.0.10+, Zipf-distributed (s = 1) like the real
web. Only loopback is touched. Prints per tool: wall time, peak RSS, the most requests
in flight at one host (counted by the farm), and correctness against the known truth;
plus the lower bound the farm implies: max(busiest host's URLs x max(interval,
latency / host concurrency), timeout).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PEERS_DIR = HERE / ".peers"  # npm install --prefix benchmarks/links/.peers linkinator ...
FAULTS = [  # (path kind, fragment, share, truth verdict)
    ("dead", "", 0.04, "dead"),
    ("gone", "", 0.01, "dead"),
    ("perm", "", 0.03, "redirected"),
    ("temp", "", 0.02, "ok"),
    ("flaky", "", 0.02, "ok"),
    ("limit", "", 0.01, "ok"),
    ("nohead", "", 0.01, "ok"),
    ("frag", "#intro", 0.02, "ok"),
    ("frag", "#missing", 0.02, "fragment-missing"),
    ("hang", "", 0.005, "timeout"),
]
BROKEN = {"dead", "timeout", "fragment-missing"}


def make_urls(n: int, hosts: int, port: int, seed: int, faults: bool) -> dict[str, str]:
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(hosts)]
    truth: dict[str, str] = {}
    for i in range(n):
        host = rng.choices(range(hosts), weights)[0]
        kind, frag, verdict = "ok", "", "ok"
        if faults:
            roll, acc = rng.random(), 0.0
            for k, f, share, v in FAULTS:
                acc += share
                if roll < acc:
                    kind, frag, verdict = k, f, v
                    break
        truth[f"http://127.0.0.{10 + host}:{port}/{kind}/{i}{frag}"] = verdict
    return truth


def lower_bound(
    truth: dict[str, str], interval: float, latency: float, conc: int, timeout: float
) -> float:
    per_host: dict[str, int] = {}
    for url in truth:
        host = url.split("/")[2]
        per_host[host] = per_host.get(host, 0) + 1
    busiest = max(per_host.values())
    hang = timeout if any(v == "timeout" for v in truth.values()) else 0.0
    return max(busiest * max(interval, latency / conc), hang)


class FarmProcess:
    """The farm in its own process, on a random port; a port already taken (the farm
    exits at once) is retried on another, so a busy machine does not fail the run."""

    def __init__(self, hosts: int, latency: float) -> None:
        for _ in range(5):
            self.port = 20000 + random.randrange(20000)
            ready = Path(tempfile.mkdtemp()) / "ready"
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    str(HERE / "farm.py"),
                    str(hosts),
                    str(self.port),
                    str(latency),
                    str(ready),
                ]
            )
            for _ in range(400):
                if ready.exists() or self.proc.poll() is not None:
                    break
                time.sleep(0.05)
            if ready.exists():
                return
            self.proc.kill()
            self.proc.wait(5)
        raise SystemExit("bench: the link farm did not start (5 ports tried)")

    def call(self, path: str) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as r:
            return json.loads(r.read() or b"{}") if path.startswith("/__stats") else {}

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(5)


def run_timed(
    cmd: list[str], cwd: Path | None = None, timeout: float = 900
) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB (this child), stdout."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
            time.sleep(0.02)
        wall = time.monotonic() - start
        out.seek(0)
        return wall, usage.ru_maxrss // 1024, out.read().decode("utf-8", "replace")


def score(truth: dict[str, str], got: dict[str, str], exact: bool) -> tuple[int, int]:
    right = 0
    for url, want in truth.items():
        have = got.get(url)
        if exact:
            right += have == want
        else:  # peers say broken / ok only
            right += (have == "broken") == (want in BROKEN) and have is not None
    return right, len(truth)


def run_validator(
    workdir: Path, truth: dict[str, str], extra: list[str]
) -> tuple[float, int, dict[str, str]]:
    urls = workdir / "urls.txt"
    urls.write_text("\n".join(truth) + "\n")
    cmd = [
        sys.executable,
        "-m",
        "validator",
        "links",
        str(urls),
        "--format",
        "json",
        "--allow-private",
        "--no-cache",
        "--no-progress",
        "--timeout",
        "10",
        *extra,
    ]
    wall, rss, out = run_timed(cmd, cwd=ROOT)
    data = json.loads(out)
    return wall, rss, {link["url"]: link["verdict"] for link in data["links"]}


def run_linkinator(
    workdir: Path, truth: dict[str, str]
) -> tuple[float, int, dict[str, str]] | None:
    binary = PEERS_DIR / "node_modules" / ".bin" / "linkinator"
    if not binary.exists():
        return None
    md = workdir / "urls.md"
    md.write_text("".join(f"- [{i}]({u})\n" for i, u in enumerate(truth)))
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
    md = workdir / "urls.md"
    md.write_text("".join(f"- [{i}]({u})\n" for i, u in enumerate(truth)))
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


def scenario(
    name: str,
    n: int,
    hosts: int,
    latency: float,
    faults: bool,
    peers: bool,
    extra: list[str],
    interval: float,
    conc: int = 10,
) -> None:
    farm = FarmProcess(hosts, latency)
    try:
        truth = make_urls(n, hosts, farm.port, seed=7, faults=faults)
        bound = lower_bound(truth, interval, latency, conc, 10.0)
        print(
            f"\n## {name}: {n} URLs, {hosts} hosts, {latency * 1000:.0f} ms latency; "
            f"lower bound {bound:.1f} s"
        )
        print(
            f"{'tool':<22}{'wall s':>8}{'x bound':>9}{'RSS MB':>8}{'max/host':>10}"
            f"{'correct':>14}{'URLs/s':>9}"
        )
        runners = [("validator links", lambda w: run_validator(w, truth, extra))]
        if peers:
            runners += [
                ("linkinator", lambda w: run_linkinator(w, truth)),
                ("markdown-link-check", lambda w: run_mlc(w, truth)),
                ("LinkChecker", lambda w: run_linkchecker(w, truth)),
            ]
        for tool, runner in runners:
            farm.call("/__reset")
            with tempfile.TemporaryDirectory() as tmp:
                res = runner(Path(tmp))
            if res is None:
                print(f"{tool:<22} (not installed)")
                continue
            wall, rss, got = res
            stats = farm.call("/__stats")
            busiest = max(
                (v for k, v in stats["max_in_flight"].items() if k != "127.0.0.1"), default=0
            )
            right, total = score(truth, got, exact=tool == "validator links")
            print(
                f"{tool:<22}{wall:>8.1f}{wall / bound if bound else 0:>9.2f}{rss:>8}{busiest:>10}"
                f"{f'{right}/{total}':>14}{total / wall:>9.0f}"
            )
            if tool == "validator links" and right != total:
                wrong = [(u, truth[u], got.get(u)) for u in truth if got.get(u) != truth[u]]
                print("   misclassified:", wrong[:5])
    finally:
        farm.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--peers", action="store_true", help="also run installed peers (slow)")
    parser.add_argument("--only", choices=["1k", "10k", "zero"], help="run one scenario")
    args = parser.parse_args()
    print(f"machine: nproc={os.cpu_count()}, python {sys.version.split()[0]}")
    if args.only in (None, "1k"):
        scenario("1k", 1000, 20, 0.1, True, args.peers, [], interval=0.05)
    if args.only in (None, "10k"):
        # The default 50 ms interval would make the busiest host (~2,300 URLs) take
        # ~2 minutes; this scenario measures memory, so the interval is lowered.
        scenario("10k", 10000, 40, 0.1, True, False, ["--host-interval", "0.005"], interval=0.005)
    if args.only in (None, "zero"):
        scenario(
            "zero latency",
            3000,
            40,
            0.0,
            False,
            False,
            ["--host-interval", "0", "--host-concurrency", "8"],
            interval=0.0,
            conc=8,
        )


if __name__ == "__main__":
    main()
