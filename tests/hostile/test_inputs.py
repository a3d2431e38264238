"""Every input file has one error path: unreadable folders and files are findings,
deep or huge JSON and undecodable file names are one line, never a traceback."""

from __future__ import annotations

import errno
import json
import os
import typing as t
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.github.fakeapi import FakeGitHub
from tests.hostile.markers import PLANTED_HEADERS
from validator.cli import main

ENTRY = "id: {id}\nkind: eval\nname: {id}\nurl: https://example.com/{id}\n"


def _deny(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """``folder`` cannot be listed (by monkeypatch: chmod does not stop root)."""
    real_scandir, real_listdir = os.scandir, os.listdir

    def check(path: t.Any) -> None:
        if isinstance(path, int):  # a folder opened by descriptor (shutil.rmtree's way)
            return
        if Path(os.fsdecode(path)).resolve() == folder.resolve():
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))

    def scandir(path: t.Any = ".") -> t.Any:
        check(path)
        return real_scandir(path)

    def listdir(path: t.Any = ".") -> t.Any:
        check(path)
        return real_listdir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)


@pytest.mark.parametrize("command", ["validate", "links"])
def test_an_unreadable_folder_is_a_finding_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """Before: skipped silently, exit 0, its broken entry never reported."""
    catalog = tmp_path / "catalog"
    (catalog / "locked").mkdir(parents=True)
    (catalog / "ok.yaml").write_text(ENTRY.format(id="ok"))
    (catalog / "locked" / "bad.yaml").write_text("id: [unclosed\n")
    _deny(monkeypatch, catalog / "locked")
    args = [command, str(catalog), "--format", "json"]
    if command == "links":
        args += ["--no-cache", "--max-retries", "0"]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    data = json.loads(result.stdout)
    unreadable = [f for f in data["findings"] if f["rule"] == "file-unreadable"]
    assert len(unreadable) == 1, data["findings"]
    assert unreadable[0]["file"].endswith("locked")
    assert unreadable[0]["message"] == "cannot read folder: Permission denied"
    assert result.exit_code in (1, 3)  # links: no network in the tests


def test_deeply_nested_report_is_one_line(tmp_path: Path) -> None:
    """Before: a RecursionError."""
    report = tmp_path / "deep.json"
    report.write_text('{"version": 1, "findings": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = CliRunner().invoke(
        main, ["issue", "sync", "--report", str(report), "--repo", "o/n", "--dry-run"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"validator: report {report} is not a report: JSON nested too deeply"
    )


def test_private_allowlist_that_is_not_a_network_is_one_line(tmp_path: Path) -> None:
    """Before: a traceback."""
    (tmp_path / ".validator.toml").write_text(
        'private-allowlist = ["not-a-network"]\n' + PLANTED_HEADERS
    )
    urls = tmp_path / "urls.txt"
    urls.write_text("https://a.example/\n")
    result = CliRunner().invoke(
        main, ["links", str(urls), "--config", str(tmp_path / ".validator.toml")]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'not-a-network' is not a network" in lines[0]


FORMATS = ("text", "json", "markdown", "github", "sarif", "junit", "html")


def test_undecodable_file_names_in_every_writer_and_issue_sync(tmp_path: Path) -> None:
    """Before: the Markdown and SARIF writers and issue sync crashed on such a name."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    name = os.path.join(os.fsencode(folder), b"\xff-bad.yaml")
    with open(name, "wb") as handle:
        handle.write(b"id: x\nkind: eval\nname: X\nnmae: typo\n")
    outputs = [a for f in FORMATS for a in ("--output", f"{f}:{tmp_path / ('out.' + f)}")]
    result = CliRunner().invoke(main, ["validate", str(folder), *outputs])
    assert result.exit_code == 1, result.output
    for fmt in FORMATS:
        text = (tmp_path / f"out.{fmt}").read_bytes().decode("utf-8")  # valid UTF-8
        assert "bad.yaml" in text, fmt
    report = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert any("bad.yaml" in f["file"] for f in report["findings"])

    fake = FakeGitHub().start()
    try:
        result = CliRunner(env={"GITHUB_TOKEN": fake.token, "GITHUB_API_URL": fake.url}).invoke(
            main,
            ["issue", "sync", "--report", str(tmp_path / "out.json"), "--repo", fake.repo,
             "--fail-after", "1"],
        )  # fmt: skip
    finally:
        fake.stop()
    assert result.exit_code == 0, result.output
    (issue,) = fake.open_issues()
    assert "udcff-bad.yaml" in issue["body"]  # the undecodable byte, shown escaped
