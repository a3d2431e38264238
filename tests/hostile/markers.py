"""Marker secrets: planted for every test, searched for in everything a command writes.

``tests/conftest.py`` plants them in the environment of every test and, after every
``CliRunner.invoke``, searches stdout, stderr, the exception, and every file the command
created or changed (under the test's folder, its ``tmp_path`` when it has one; at each
``--output FORMAT:PATH``; in the GitHub step summary).
"""

from __future__ import annotations

import gzip
import os
import typing as t
from pathlib import Path

MARKERS = {
    "HF_TOKEN": "hf_MARKERsecretHUB0001",
    "GITHUB_TOKEN": "ghp_MARKERsecretGH0002",
    "AUTH": "MARKERsecretAUTH0003",
    "COOKIE": "MARKERsecretCOOKIE0004",
    "PROXY": "MARKERsecretPROXY0005",
}
"""Values planted as secrets; no output of any command may ever contain one."""

PLANTED = {
    "HF_TOKEN": MARKERS["HF_TOKEN"],
    "GITHUB_TOKEN": MARKERS["GITHUB_TOKEN"],
    "TEST_AUTH": MARKERS["AUTH"],
    "TEST_COOKIE": MARKERS["COOKIE"],
    "TEST_PROXY": MARKERS["PROXY"],
}
"""Environment every test starts with (a test needing another token, or none, overrides)."""

PLANTED_HEADERS = (
    'headers = { Authorization = "Bearer ${TEST_AUTH}", Cookie = "${TEST_COOKIE}", '
    '"Proxy-Authorization" = "Basic ${TEST_PROXY}" }\n'
)
"""A top-level config line sending the planted markers: tests that build a config add it."""

Snapshot = dict[Path, tuple[int, int]]


def leaked(text: str | bytes) -> list[str]:
    """The marker secrets found in ``text`` (also their first half: a cut secret leaks)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return [v for v in MARKERS.values() if v in text or v[: len(v) // 2 + 2] in text]


def written_places(
    folder: Path, args: t.Sequence[str], envs: t.Iterable[t.Mapping[str, str | None] | None]
) -> list[Path]:
    """Where a command may write: the test's folder, its ``--output`` paths, the step summary."""
    places = [folder]
    for i, arg in enumerate(args):
        spec = args[i + 1] if arg == "--output" and i + 1 < len(args) else None
        spec = arg.removeprefix("--output=") if arg.startswith("--output=") else spec
        if spec and ":" in spec:
            places.append(Path(spec.split(":", 1)[1]))
    for env in envs:
        summary = (env or {}).get("GITHUB_STEP_SUMMARY")
        if summary:
            places.append(Path(summary))
    return [p.absolute() for p in places]


def snapshot(places: t.Iterable[Path]) -> Snapshot:
    """Size and modification time of every file at or under ``places``."""
    seen: Snapshot = {}
    for place in places:
        files = [place] if place.is_file() else place.rglob("*") if place.is_dir() else []
        for path in files:
            if path.is_file() and not path.is_symlink():
                stat = path.stat()
                seen[path] = (stat.st_mtime_ns, stat.st_size)
    return seen


def _text(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError):
            return data
    return data


def leaked_in_files(before: Snapshot, after: Snapshot) -> list[str]:
    """``path: marker`` for each new or changed file holding a marker secret."""
    changed = [p for p, stamp in after.items() if before.get(p) != stamp]
    return [f"{os.fspath(p)}: {m}" for p in changed for m in leaked(_text(p))]
