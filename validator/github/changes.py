"""Pull-request mode: which catalog files changed against a base ref.

Online checks are slow and hit other people's servers, so on a pull request they run
only on entries whose files were added, modified or renamed; the offline checks still
run on everything, because a change in one file can break a reference in another.
Deleted (and renamed-away) files are reported so the caller can flag entries that
others still reference.

The answer comes from ``git diff --name-status -M -z <ref>``: the ref against the
working tree, which in a pull-request checkout is the merge commit, so the diff
against ``origin/<base>`` is exactly what the pull request changes. Untracked files
(``git ls-files --others --exclude-standard``) count as added, so a local run sees a
new entry before ``git add``. ``-z`` keeps unusual file names intact.
"""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

from validator.catalog.loader import YAML_SUFFIXES

GIT_TIMEOUT = 60.0


class ChangesError(Exception):
    """The change set cannot be computed (bad ref, not a repository, no git): one line."""


@dataclasses.dataclass(frozen=True)
class ChangeSet:
    """YAML files changed against a ref; all paths absolute and resolved.

    ``changed`` holds added, modified, type-changed, copied and renamed files (under
    their new names); ``deleted`` the removed ones; ``renamed`` maps old to new paths
    (the old name is gone too, see :attr:`gone`).
    """

    ref: str
    root: Path
    changed: frozenset[Path] = frozenset()
    deleted: frozenset[Path] = frozenset()
    renamed: dict[Path, Path] = dataclasses.field(default_factory=dict)

    @property
    def gone(self) -> frozenset[Path]:
        """Files that no longer exist under their old name: deleted or renamed away."""
        return self.deleted | frozenset(self.renamed)

    def is_changed(self, path: Path) -> bool:
        """Whether ``path`` (relative to the working directory or absolute) changed."""
        return path.resolve() in self.changed


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except FileNotFoundError as e:
        raise ChangesError("git is not installed: --changed-since needs it") from e
    except subprocess.TimeoutExpired as e:
        raise ChangesError(f"git {args[0]} took longer than {GIT_TIMEOUT:.0f}s") from e


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "no message"


def _is_entry(path: str) -> bool:
    return path.endswith(YAML_SUFFIXES)


def _repo_top(ref: str, repo_root: Path) -> Path:
    """The resolved top of the repository holding ``repo_root``, once ``ref`` is known."""
    if not ref or ref.startswith("-"):
        raise ChangesError(f"invalid git ref {ref!r}")
    top = _git(["rev-parse", "--show-toplevel"], repo_root)
    if top.returncode != 0:
        raise ChangesError(f"{repo_root} is not in a git repository: {_first_line(top.stderr)}")
    root = Path(top.stdout.decode("utf-8").strip()).resolve()
    verify = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], root
    )
    if verify.returncode != 0:
        raise ChangesError(
            f"unknown git ref {ref!r}: fetch it first "
            "(in Actions: actions/checkout with fetch-depth: 0)"
        )
    return root


def _read_name_status(
    fields: list[str], root: Path
) -> tuple[set[Path], set[Path], dict[Path, Path]]:
    """Changed, deleted and renamed entry files from ``git diff --name-status -M -z`` fields."""
    changed: set[Path] = set()
    deleted: set[Path] = set()
    renamed: dict[Path, Path] = {}
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i][0]
        if status in "RC":
            old, new = fields[i + 1], fields[i + 2]
            i += 3
            if _is_entry(new):
                changed.add(root / new)
            if status == "R" and _is_entry(old):
                renamed[root / old] = root / new
        else:
            path = fields[i + 1]
            i += 2
            if not _is_entry(path):
                continue
            if status == "D":
                deleted.add(root / path)
            elif status in "AMT":
                changed.add(root / path)
    return changed, deleted, renamed


def _untracked_entries(root: Path) -> set[Path]:
    """Entry files git does not track yet: `git diff` ignores them, but they are new."""
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    if untracked.returncode != 0:
        raise ChangesError(f"git ls-files failed: {_first_line(untracked.stderr)}")
    paths = untracked.stdout.decode("utf-8", "surrogateescape").split("\0")
    return {root / path for path in paths if path and _is_entry(path)}


def changed_entry_files(ref: str, repo_root: Path) -> ChangeSet:
    """The catalog (YAML) files changed in the working tree of ``repo_root`` against ``ref``.

    Raises :class:`ChangesError` for a ref git does not know (say, a base branch that
    was not fetched), a directory outside any repository, or a missing git.
    """
    root = _repo_top(ref, repo_root)
    diff = _git(["diff", "--name-status", "-M", "-z", "--no-ext-diff", ref, "--"], root)
    if diff.returncode != 0:
        raise ChangesError(f"git diff {ref} failed: {_first_line(diff.stderr)}")
    fields = diff.stdout.decode("utf-8", "surrogateescape").split("\0")
    changed, deleted, renamed = _read_name_status(fields, root)
    changed |= _untracked_entries(root)
    return ChangeSet(ref, root, frozenset(changed), frozenset(deleted), renamed)


__all__ = ["ChangeSet", "ChangesError", "changed_entry_files"]
