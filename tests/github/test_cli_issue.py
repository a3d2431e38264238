"""``validator issue sync`` end to end in-process, against the fake GitHub API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.cli import main

from .fakeapi import FakeGitHub
from .test_sync import dead, night


@pytest.fixture
def env(fake: FakeGitHub) -> dict[str, str]:
    return {"GITHUB_TOKEN": fake.token, "GITHUB_API_URL": fake.url, "GITHUB_SHA": "abc"}


def _report(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_sync_creates_then_closes(fake: FakeGitHub, env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    path = _report(tmp_path, night(dead("https://x.test/gone", 3)))
    args = ["issue", "sync", "--report", str(path), "--repo", fake.repo, "--fail-after", "3"]
    result = runner.invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "created issue #1: https://github.test/octo/catalog/issues/1 "
        "(2 failures and no open report issue)\n"
    )
    assert "https://github.com/octo/catalog/blob/abc/catalog/models" in fake.issues[1]["body"]
    path = _report(tmp_path, night(error=False))
    result = runner.invoke(main, args, env=env)
    assert result.exit_code == 0
    assert result.output.startswith("closed issue #1")


def test_dry_run_needs_no_token_to_plan(fake: FakeGitHub, tmp_path: Path) -> None:
    # The fake wants a token for every call; the dry run still fails on the read
    # and says so in one line, having written nothing.
    path = _report(tmp_path, night())
    result = CliRunner().invoke(
        main,
        ["issue", "sync", "--report", str(path), "--repo", fake.repo, "--dry-run"],
        env={"GITHUB_API_URL": fake.url},
    )
    assert result.exit_code == 1
    assert (
        result.output
        == "validator: GitHub refused: list issues: HTTP 401: Requires authentication\n"
    )
    assert fake.writes() == []


def test_dry_run_prints_the_plan(fake: FakeGitHub, env: dict[str, str], tmp_path: Path) -> None:
    path = _report(tmp_path, night())
    result = CliRunner().invoke(
        main, ["issue", "sync", "--report", str(path), "--repo", fake.repo, "--dry-run"], env=env
    )
    assert result.exit_code == 0
    assert result.output.startswith("dry run: create (1 failure and no open report issue)\n")
    assert "<!-- validator-report:v1 -->" in result.output
    assert fake.writes() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "validator: cannot read report"),
        ("{not json", "validator: report {path} is not JSON"),
        ('{"version": 9}', "validator: report {path}: not a validator JSON report (version 1)"),
    ],
)
def test_bad_report_is_a_usage_error(
    fake: FakeGitHub, env: dict[str, str], tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["issue", "sync", "--report", str(path), "--repo", fake.repo], env=env
    )
    assert result.exit_code == 2
    assert result.output.startswith(message.format(path=path))
    assert result.output.count("\n") == 1
    assert fake.calls == []


def test_missing_token_and_bad_repo(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")  # the planted marker (tests/conftest.py)
    path = _report(tmp_path, night())
    runner = CliRunner()
    result = runner.invoke(main, ["issue", "sync", "--report", str(path), "--repo", "x/y"])
    assert (result.exit_code, result.output) == (
        2,
        "validator: GITHUB_TOKEN is not set (needed to write issues)\n",
    )
    result = runner.invoke(
        main, ["issue", "sync", "--report", str(path), "--repo", "nope"], env={"GITHUB_TOKEN": "t"}
    )
    assert (result.exit_code, result.output) == (
        2,
        "validator: repository must be OWNER/NAME, got 'nope'\n",
    )


def test_api_refusal_exits_1_naming_the_call(
    fake: FakeGitHub, env: dict[str, str], tmp_path: Path
) -> None:
    fake.fail_next("POST", r".*/issues", 410, {}, {"message": "Issues are disabled for this repo"})
    path = _report(tmp_path, night())
    result = CliRunner().invoke(
        main, ["issue", "sync", "--report", str(path), "--repo", fake.repo], env=env
    )
    assert result.exit_code == 1
    assert result.output == (
        "validator: GitHub refused: create issue: HTTP 410: Issues are disabled for this repo\n"
    )


def test_no_network_is_exit_3_even_for_a_dry_run(tmp_path: Path) -> None:
    # Before, an unreachable API said "GitHub refused" and exited 1, the findings code.
    import socket

    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = _report(tmp_path, night(dead("https://x.test/gone", 3)))
    for extra in (["--dry-run"], []):
        result = CliRunner().invoke(
            main,
            ["issue", "sync", "--report", str(path), "--repo", "o/r", *extra],
            env={"GITHUB_API_URL": f"http://127.0.0.1:{port}", "GITHUB_TOKEN": "t0ken"},
        )
        assert result.exit_code == 3, result.output
        assert result.stderr.startswith("validator: network unavailable: ")
        assert "GitHub refused" not in result.output


def test_report_can_come_from_stdin(fake: FakeGitHub, env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main,
        ["issue", "sync", "--report", "-", "--repo", fake.repo, "--dry-run"],
        env=env,
        input=json.dumps(night()),
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("dry run: create (1 failure and no open report issue)\n")


def test_sync_quiet_drops_the_closing_line_and_verbose_says_what_it_read(
    fake: FakeGitHub, env: dict[str, str], tmp_path: Path
) -> None:
    path = _report(tmp_path, night(dead("https://x.test/gone", 3)))
    args = ["issue", "sync", "--report", "-", "--repo", fake.repo, "--fail-after", "3"]
    result = CliRunner().invoke(main, [*args, "-q"], env=env, input=path.read_text())
    assert (result.exit_code, result.output) == (0, "")
    assert fake.issues[1]["state"] == "open"  # quiet, not idle
    result = CliRunner().invoke(main, [*args, "-v"], env=env, input=path.read_text())
    assert result.exit_code == 0
    assert result.stderr == (
        "validator: report <stdin>: 3 findings, 1 link\n"
        f"validator: repository {fake.repo}; label 'catalog-report'; dry run: False\n"
    )
    assert result.stdout.startswith("nothing to do") or result.stdout.startswith("updated")
