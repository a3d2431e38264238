"""Every run reads its configuration and refuses empty input, offline too.

Before, offline ``validate`` never read ``--config`` (a missing file, invalid TOML or
``timeout = "x"`` exited 0 while ``links`` exited 2 on the same file), and a path with
no catalog file in it passed as "0 files": a typo in CI's paths turned it green.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.hostile.markers import PLANTED_HEADERS
from validator.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tool.validator]\ntimeout = "x"\n', "pyproject.toml:2: tool.validator.timeout: expected"),
        ("[tool.validator\n", "pyproject.toml:1:16: invalid TOML: Expected ']'"),
        (
            "[project]\nname = 'x'\n\n[tool.validator]\nmax-retries = 2\ntimeot = 3\n",
            "pyproject.toml:6: unknown key 'tool.validator.timeot' (did you mean 'timeout'?)",
        ),
        (
            '[tool.validator.hosts."example.org"]\nconcurency = 2\n',
            "pyproject.toml:1: unknown key 'tool.validator.hosts.\"example.org\".concurency'",
        ),
    ],
)
def test_offline_validate_reads_the_config_like_every_command(
    repo: Path, text: str, message: str
) -> None:
    (repo / "pyproject.toml").write_text(text, encoding="utf-8")
    for command in (["validate"], ["validate", "catalog/models/code/starcoder.yaml"]):
        code, err = _run(*command)
        assert code == 2, err
        assert err.startswith("validator: ") and message in err
        assert err.count("\n") == 1  # one line, no traceback


def test_a_missing_config_file_is_a_usage_error_offline(repo: Path) -> None:
    code, err = _run("validate", "--config", "nope.toml")
    assert code == 2
    assert err == "validator: nope.toml: config file not found\n"


def test_a_valid_config_still_passes_offline(repo: Path) -> None:
    (repo / ".validator.toml").write_text("timeout = 5\n" + PLANTED_HEADERS, encoding="utf-8")
    code, err = _run("validate")
    assert code == 0, err


def test_no_catalog_files_is_an_error_unless_allowed(repo: Path) -> None:
    code, err = _run("validate", "docs")
    assert code == 2
    assert err == "validator: no catalog files under docs\n"
    result = CliRunner().invoke(main, ["validate", "docs", "--allow-empty"])
    assert result.exit_code == 0
    assert "in 0 files" in result.output


def test_links_on_an_empty_folder_is_an_error_unless_allowed(repo: Path) -> None:
    (repo / "empty").mkdir()
    code, err = _run("links", "empty", "--no-cache")
    assert code == 2
    assert err == "validator: no files to check under empty\n"
    code, _err = _run("links", "empty", "--no-cache", "--allow-empty")
    assert code == 0
