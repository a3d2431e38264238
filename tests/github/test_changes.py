"""``changed_entry_files`` against a real temporary git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from validator.github.changes import ChangesError, changed_entry_files


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "catalog" / "models").mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    for name in ("keep", "edit", "drop", "move"):
        (root / "catalog" / "models" / f"{name}.yaml").write_text(
            f"id: {name}\nkind: language-model\nname: {name.title()} model with enough text\n",
            encoding="utf-8",
        )
    (root / "README.md").write_text("readme\n", encoding="utf-8")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "base")
    _git(root, "tag", "base")
    return root


def test_added_modified_renamed_and_deleted(repo: Path) -> None:
    models = repo / "catalog" / "models"
    (models / "edit.yaml").write_text("id: edit\nchanged: true\n", encoding="utf-8")
    (models / "new model.yaml").write_text("id: new\n", encoding="utf-8")
    _git(repo, "rm", "-q", "catalog/models/drop.yaml")
    _git(repo, "mv", "catalog/models/move.yaml", "catalog/models/moved.yaml")
    (repo / "README.md").write_text("changed\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "change")
    # Uncommitted edits count too: the diff is against the working tree.
    (models / "keep.yaml").write_text("id: keep\ntouched: true\n", encoding="utf-8")

    changes = changed_entry_files("base", repo)
    root = repo.resolve()
    assert changes.root == root
    assert changes.changed == {
        root / "catalog/models/edit.yaml",
        root / "catalog/models/new model.yaml",
        root / "catalog/models/moved.yaml",
        root / "catalog/models/keep.yaml",
    }
    assert changes.deleted == {root / "catalog/models/drop.yaml"}
    assert changes.renamed == {
        root / "catalog/models/move.yaml": root / "catalog/models/moved.yaml"
    }
    assert changes.gone == {root / "catalog/models/drop.yaml", root / "catalog/models/move.yaml"}
    assert changes.is_changed(models / "edit.yaml")
    assert not changes.is_changed(repo / "README.md")


def test_no_changes(repo: Path) -> None:
    changes = changed_entry_files("HEAD", repo / "catalog")
    assert (changes.changed, changes.deleted, changes.renamed) == (frozenset(), frozenset(), {})


@pytest.mark.parametrize("ref", ["origin/nope", "-rf", "", "HEAD~5"])
def test_bad_ref_is_a_clear_error(repo: Path, ref: str) -> None:
    with pytest.raises(ChangesError) as info:
        changed_entry_files(ref, repo)
    message = str(info.value)
    assert "\n" not in message
    assert repr(ref) in message


def test_outside_a_repository(tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(ChangesError, match="is not in a git repository"):
        changed_entry_files("HEAD", outside)


def test_new_files_not_yet_added_count_as_changed(repo: Path) -> None:
    # Locally, a contributor runs --changed-since before `git add`: the new entry's
    # links must be checked too. Ignored files stay out.
    models = repo / "catalog" / "models"
    (models / "brand new.yaml").write_text("id: brand-new\n", encoding="utf-8")
    (repo / ".gitignore").write_text("scratch.yaml\n", encoding="utf-8")
    (models / "scratch.yaml").write_text("id: scratch\n", encoding="utf-8")
    changes = changed_entry_files("base", repo)
    assert changes.changed == {repo.resolve() / "catalog/models/brand new.yaml"}
