"""Sharding: every host in exactly one shard, and merged shard reports equal one run."""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.links.linkserver import HOSTS, Server
from validator.cli import main
from validator.links.shards import owns, parse_shard, shard_of

# No URL here hangs, so the timeout costs nothing; it is long so that a loaded machine
# cannot turn a slow answer into a timeout in one of the runs being compared.
FAST = ["--timeout", "10", "--max-retries", "1", "--host-interval", "0", "--allow-private"]
PATHS = ["/ok", "/missing", "/gone", "/r301", "/r302", "/loop-a", "/nohead", "/forbidden"]


def test_parse_shard() -> None:
    assert parse_shard("2/4") == (2, 4)
    for bad in ("0/4", "5/4", "2", "a/b", "-1/3"):
        with pytest.raises(ValueError):
            parse_shard(bad)


def test_the_hash_is_stable_and_every_host_has_one_shard() -> None:
    # Fixed values: a change of hash would silently move hosts between CI shards (and
    # Python's hash() would move them on every run).
    hosts = ("huggingface.co", "github.com", "arxiv.org")
    assert [shard_of(h, 4) for h in hosts] == [2, 4, 1]
    assert [shard_of(h, 7) for h in hosts] == [6, 7, 5]
    assert shard_of("HuggingFace.co", 4) == 2
    urls = [f"https://h{i}.example/x" for i in range(200)] + ["mailto:a@b.example", "docs/x.md"]
    for n in (1, 2, 4, 7):
        owners = [[i for i in range(1, n + 1) if owns((i, n), url)] for url in urls]
        assert all(len(o) == 1 for o in owners)
    assert owns((1, 3), "mailto:a@b.example") and owns((1, 3), "docs/x.md")


def _normal(data: t.Any) -> t.Any:
    """The report without what differs between two runs of the same crawl: timings and
    the clock times of this run (a failure first seen now carries now)."""
    if isinstance(data, dict):
        return {
            k: _normal(v)
            for k, v in data.items()
            if k not in ("elapsed_ms", "last_checked", "first_failed")
        }
    if isinstance(data, list):
        return [_normal(v) for v in data]
    return data


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def test_merged_shards_equal_the_unsharded_report(server: Server, tmp_path: Path) -> None:
    urls = [server.url(h, p) for h in range(len(HOSTS)) for p in PATHS]
    urls += [server.url(1, "/ok#intro"), server.url(2, "/ok#nowhere"), "mailto:team@example.org"]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n")
    whole = tmp_path / "whole.json"
    code, out = _run(["links", str(listing), *FAST, "--no-cache", "--output", f"json:{whole}"])
    assert code == 1, out  # dead links
    expected = _normal(json.loads(whole.read_text()))
    total = expected["summary"]["links"]["checked"]
    assert total >= len(urls) - 1
    for n in (1, 2, 4, 7):
        parts = []
        for i in range(1, n + 1):
            part = tmp_path / f"s{i}of{n}.json"
            args = ["links", str(listing), *FAST, "--no-cache", "--shard", f"{i}/{n}"]
            _run([*args, "--output", f"json:{part}"])
            parts.append(str(part))
        checked = [len(json.loads(Path(p).read_text())["links"]) for p in parts]
        assert sum(checked) == total  # every URL in exactly one shard
        merged = tmp_path / f"merged{n}.json"
        code, out = _run(["report", "merge", *parts, "--output", f"json:{merged}"])
        assert code == 1, out
        assert _normal(json.loads(merged.read_text())) == expected, n


def test_merge_exit_code_and_formats(server: Server, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{server.url(0, '/ok')}\n{server.url(1, '/r301')}\n")
    parts = []
    for i in (1, 2):
        part = tmp_path / f"p{i}.json"
        _run(["links", str(listing), *FAST, "--no-cache", "--shard", f"{i}/2", "--output",
              f"json:{part}"])  # fmt: skip
        parts.append(str(part))
    code, out = _run(["report", "merge", *parts, "--format", "text"])
    assert code == 0, out  # a redirect is a warning
    assert "link-redirected" in out
    code, out = _run(["report", "merge", *parts, "--fail-on", "warning", "--format", "sarif"])
    assert code == 1 and json.loads(out)["runs"][0]["results"]


def test_merge_refuses_what_is_not_a_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 9}')
    code, out = _run(["report", "merge", str(bad)])
    assert code == 2 and "bad.json: not a version 1 JSON report" in out
    assert len(out.strip().splitlines()) == 1


def test_shard_option_is_checked() -> None:
    code, out = _run(["links", "--shard", "5/4", "x.txt"])
    assert code == 2 and "I must be between 1 and N" in out


def test_run_logs_of_shards_add_up_night_by_night() -> None:
    from validator.findings import RunSummary
    from validator.report.merge import merge_runs

    a = [RunSummary("2026-11-28T03:17:05Z", 10, 1), RunSummary("2026-11-29T03:17:04Z", 11, 2)]
    b = [RunSummary("2026-11-29T03:17:09Z", 5, 0)]
    assert merge_runs([a, b]) == [
        RunSummary("2026-11-28T03:17:05Z", 10, 1),
        RunSummary("2026-11-29T03:17:09Z", 16, 2),
    ]


def test_merge_keeps_one_shards_outage(tmp_path: Path) -> None:
    """Shard 2 reached nothing: the merge says so and exits 3, not 1 on half the data."""
    from validator.findings import Finding, LinkResult, Report, Verdict
    from validator.report.json import JsonReporter

    dead = LinkResult("https://a.example/x", Verdict.DEAD, 404, error="HTTP 404")
    first = Report(
        findings=[Finding("link-dead", "dead link https://a.example/x", "f.md", 1, 1)],
        links=[dead],
        files_checked=1,
    )
    notice = "Network unavailable: none of the 1 host could be reached (b.example: no DNS)"
    second = Report(
        links=[LinkResult("https://b.example/y", Verdict.ERROR, error="no DNS")],
        files_checked=1,
        network_unavailable=notice,
    )
    parts = []
    for i, report in enumerate((first, second), 1):
        part = tmp_path / f"p{i}.json"
        part.write_text(JsonReporter().format(report), encoding="utf-8")
        parts.append(str(part))
    result = CliRunner().invoke(main, ["report", "merge", *parts, "--format", "json"])
    assert result.exit_code == 3, result.output
    expected = f"Network unavailable in shard report 2 of 2, so its links were not judged: {notice}"
    assert json.loads(result.stdout)["summary"]["network_unavailable"] == expected
    assert expected in result.stderr
