"""The shipped pre-commit hook on a clean catalog, in a temporary git repository.

The hook is the one in ``.pre-commit-hooks.yaml`` (id, entry, files, types, serial),
run by pre-commit itself. Only its ``language`` is changed: ``python`` would make
pre-commit build a virtualenv and download this package's dependencies, so the test
runs it as a ``repo: local`` hook with ``language: system`` and this interpreter, which
has the package installed. No network is used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _local_hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = dict(next(h for h in hooks if h["id"] == "validate"))
    command, _, rest = str(hook["entry"]).partition(" ")
    assert command == "validator"
    hook["entry"] = f"{sys.executable} -m validator {rest}"
    hook["language"] = "system"
    return hook


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(ROOT / "catalog", repo / "catalog")
    config = {"repos": [{"repo": "local", "hooks": [_local_hook()]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    return repo


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, env=_env(repo))


def _env(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(repo.parent / "pre-commit-home")
    env["HOME"] = str(repo.parent)  # no user git config or hooks leak in
    return env


def _pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never", *args],
        cwd=repo,
        env=_env(repo),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_clean_catalog_passes_all_files(repo: Path) -> None:
    everything = _pre_commit(repo, "--all-files")
    assert everything.returncode == 0, everything.stdout + everything.stderr
    assert "validate catalog entries" in everything.stdout
    assert "Passed" in everything.stdout


def test_a_broken_staged_entry_fails_the_hook_and_a_clean_one_beside_it_passes(
    repo: Path,
) -> None:
    """Two staged entries whose ``based_on`` targets are in other files: only they are
    passed to the hook (one run, ~0.7 s of CPU less than a run each), and only the
    broken one is reported; the other's target is found in the catalog around it."""
    broken = "catalog/models/code/starchat-alpha.yaml"
    clean = "catalog/models/language/open-assistant-pythia-family.yaml"
    assert "based_on: [pythia]" in (repo / clean).read_text(encoding="utf-8")
    entry = repo / broken
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("based_on: [starcoder]", "based_on: [gone]"), encoding="utf-8")
    _git(repo, "add", "-A")
    result = _pre_commit(repo, "--files", broken, clean)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert result.stdout.count("reference-unknown") == 1, result.stdout
    assert broken in result.stdout and clean not in result.stdout, result.stdout  # by file
    assert "in 2 files (2 entries)" in result.stdout, result.stdout  # both were checked
