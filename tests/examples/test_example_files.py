"""Positive and negative example files, driven through the real CLI.

Adding a case is adding a file (and, for a negative one, its expected findings below).
Every negative file must report its rule at the exact place, in one line, with no
traceback, while the other files of the same run are still checked.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.catalog.source import MAX_FILE_BYTES
from validator.cli import main

HERE = Path(__file__).parent
POSITIVE = sorted((HERE / "positive").glob("*.yaml"))
NEGATIVE = HERE / "negative"

# file (relative to negative/) -> findings that must be reported: (rule, line, column)
EXPECTED: dict[str, list[tuple[str, int, int]]] = {
    "yaml-syntax.yaml": [("yaml-syntax", 3, 7)],
    "duplicate-key.yaml": [("yaml-duplicate-key", 10, 1)],
    "anchor.yaml": [("yaml-anchor", 4, 7)],
    "empty.yaml": [("yaml-empty", 1, 1)],
    "comments-only.yaml": [("yaml-empty", 1, 1)],
    "not-utf8.yaml": [("file-encoding", 3, 10)],
    "deep-nesting.yaml": [("yaml-too-deep", 7, 127)],
    "nul-byte.yaml": [("yaml-syntax", 4, 10)],
    "list-key.yaml": [("yaml-syntax", 4, 3)],
    "tab-indent.yaml": [("yaml-syntax", 6, 1)],
    "top-level-list.yaml": [("yaml-not-mapping", 2, 1)],
    "top-level-scalar.yaml": [("yaml-not-mapping", 2, 1)],
    "unknown-key.yaml": [("schema", 4, 1), ("schema", 2, 1)],
    "ftp-url.yaml": [("schema", 8, 5)],
    "bad-month.yaml": [("schema", 5, 1)],
    "missing-released.yaml": [("schema", 2, 1)],
    "tokens-on-instruction.yaml": [("schema", 6, 1)],
    "range-half.yaml": [("schema", 10, 1)],
    "license-wrong-shape.yaml": [("schema", 10, 12)],
    "context-one-item-list.yaml": [("schema", 11, 3)],
    "future-date.yaml": [("release-date-future", 5, 1)],
    "impossible-day.yaml": [("release-date-invalid", 5, 1)],
    "range-inverted.yaml": [("range-inverted", 10, 12)],
    "unknown-license.yaml": [("license-unknown", 9, 12)],
    "hf-malformed.yaml": [("hf-url-malformed", 8, 5)],
    "hf-org-only.yaml": [("hf-org-only", 8, 5)],
    "context-source-mismatch.yaml": [("context-source-mismatch", 12, 3)],
    "release-vs-url.yaml": [("release-date-vs-url", 5, 1)],
    "waiver-no-reason.yaml": [("waiver-missing-reason", 11, 5)],
    "waiver-unused.yaml": [("waiver-unused", 11, 5)],
    "waiver-unknown-rule.yaml": [("waiver-unknown-rule", 11, 5)],
    "waiver-blank-reason.yaml": [("waiver-missing-reason", 11, 5)],
    "waiver-twice.yaml": [("waiver-duplicate", 13, 5)],
    "waiver-twice-first-reasoned.yaml": [("waiver-duplicate", 13, 5)],
    "id-filename-mismatch.yaml": [("id-filename-mismatch", 2, 1)],
    "duplicates/dup-b.yaml": [("duplicate-id", 2, 1), ("duplicate-url", 8, 5)],
    "checkpoint-size-vs-params.yaml": [("checkpoint-size-vs-params", 9, 5)],
    "checkpoint-variant-vs-row.yaml": [("checkpoint-variant-vs-row", 6, 1)],
    "license-wrong-for-family.yaml": [("license-wrong-for-family", 8, 5)],
    "license-unnamed.yaml": [("license-unnamed", 10, 5)],
    "release-date-year-only.yaml": [("release-date-year-only", 5, 1)],
    "release-date-vs-row-url.yaml": [("release-date-vs-row-url", 5, 1)],
    "two-tables/language.yaml": [("model-in-two-tables", 8, 5)],
    "raw-cell-stale.yaml": [("raw-cell-stale", 12, 3)],
}
COMPANIONS = {"duplicates/dup-a.yaml", "two-tables/code.yaml"}
"""Files that only make a neighbour's case (the first of two duplicates)."""

# Messages that also carry a hint worth keeping exact.
HINTS = {
    "unknown-key.yaml": "did you mean 'name'?",
    "unknown-license.yaml": "did you mean 'apache-2.0'?",
    "waiver-unknown-rule.yaml": "did you mean 'hf-org-only'?",
}


# Messages worth keeping exact: they are what a person reads first.
MESSAGES = {
    "unknown-key.yaml": "unknown key 'nmae' at the top level",
    "ftp-url.yaml": "$.checkpoints[0].url value 'ftp://example.org/model' is not in the "
    "expected form",
    "duplicate-key.yaml": "duplicate key 'name' (first defined at line 4)",
    "not-utf8.yaml": "file is not UTF-8 (byte 0xe9)",
    "tab-indent.yaml": "YAML syntax error: a tab is used for indentation; YAML indents with "
    "spaces only",
    "tokens-on-instruction.yaml": "tokens_t only applies to pretraining-dataset entries, "
    "not to kind 'instruction-dataset'",
    "range-half.yaml": "missing required key 'max' in $.params_b",
    "context-one-item-list.yaml": "$.context_length.value must list at least 2 items",
    "license-wrong-shape.yaml": "$.licenses[0] must be a string or a mapping, not 7",
    "top-level-list.yaml": "the file holds a list, not a mapping of keys to values",
    "checkpoint-size-vs-params.yaml": "checkpoint 'open_llama_13b' is 13B by its name, "
    "which Params (B) does not list",
    "checkpoint-variant-vs-row.yaml": "the row is named 'Phi-3 small/medium' but none of its "
    "checkpoints is a 'small' one",
    "license-wrong-for-family.yaml": "checkpoint 'Falcon-180B' is published under "
    "Falcon-180B TII License, but the row lists apache-2.0",
}


def run_json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["validate", "--format", "json", *args])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.output)


def test_every_negative_file_has_an_expectation() -> None:
    files = {p.relative_to(NEGATIVE).as_posix() for p in NEGATIVE.rglob("*.yaml")}
    assert files - COMPANIONS == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_negative_file_reports_rule_at_place(name: str) -> None:
    # A case in a sub-folder needs its neighbours (e.g. the first of two duplicates).
    target = NEGATIVE / name if "/" not in name else (NEGATIVE / name).parent
    code, report = run_json(str(target), "--fail-on", "info")
    assert code == 1
    found = {(f["rule"], f["line"], f["column"]) for f in report["findings"]}
    for expected in EXPECTED[name]:
        assert expected in found, f"{name}: {expected} not in {sorted(found)}"
    for f in report["findings"]:
        assert "\n" not in f["message"]
        assert Path(f["file"]).resolve().is_relative_to(target.resolve())
    if name in HINTS:
        assert HINTS[name] in {f["hint"] for f in report["findings"]}
    if name in MESSAGES:
        assert MESSAGES[name] in {f["message"] for f in report["findings"]}


def test_one_run_over_all_negatives_reports_every_file() -> None:
    code, report = run_json(str(NEGATIVE))
    assert code == 1
    assert report["summary"]["files"] == len(list(NEGATIVE.rglob("*.yaml")))
    reported = {f["file"].split("negative/")[-1] for f in report["findings"]}
    assert set(EXPECTED) <= reported


@pytest.mark.parametrize("path", POSITIVE, ids=lambda p: p.name)
def test_positive_file_is_clean(path: Path) -> None:
    code, report = run_json(str(path), "--fail-on", "info")
    assert report["findings"] == []
    assert code == 0


def test_oversize_file_is_one_finding_and_others_still_checked(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"id: big\nnotes: " + b"x" * MAX_FILE_BYTES + b"\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    code, report = run_json(str(big), str(bad))
    assert code == 1
    rules = sorted((f["rule"], Path(f["file"]).name) for f in report["findings"])
    assert rules == [("file-too-large", "big.yaml"), ("yaml-syntax", "bad.yaml")]


def test_symlink_loop_and_dangling_link_are_findings_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "dangling.yaml").symlink_to("nowhere.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")  # a folder loop: not followed
    (tmp_path / "bad.yaml").write_text("id: [\n", encoding="utf-8")
    code, report = run_json(str(tmp_path))
    assert code == 1
    rules = sorted((f["rule"], Path(f["file"]).name) for f in report["findings"])
    assert rules == [
        ("file-unreadable", "dangling.yaml"),
        ("file-unreadable", "loop.yaml"),
        ("yaml-syntax", "bad.yaml"),
    ]
    assert report["summary"]["files"] == 3


def test_missing_license_book_is_a_warning_not_silence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")  # the walk up stops here
    model = (POSITIVE[0].parent / "tiny-model.yaml").read_text(encoding="utf-8")
    (tmp_path / "tiny-model.yaml").write_text(model, encoding="utf-8")
    code, report = run_json(str(tmp_path), "--fail-on", "warning")
    assert code == 1
    found = [(f["rule"], f["line"], f["column"]) for f in report["findings"]]
    assert found == [("license-book-missing", 26, 1)]


def test_broken_license_book_above_the_paths_is_reported(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "licenses.yaml").write_text("licenses: [\n", encoding="utf-8")
    (tmp_path / "models").mkdir()
    model = (POSITIVE[0].parent / "tiny-model.yaml").read_text(encoding="utf-8")
    (tmp_path / "models" / "tiny-model.yaml").write_text(model, encoding="utf-8")
    code, report = run_json(str(tmp_path / "models"))
    assert code == 1
    found = [(f["rule"], Path(f["file"]).name) for f in report["findings"]]
    assert found == [("yaml-syntax", "licenses.yaml")]


def test_unreadable_file_is_a_finding_and_others_still_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("id: locked\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("id: [\n", encoding="utf-8")
    # CI runs as root, which reads files whatever their mode: make the read fail the way
    # a chmod 000 file fails for everyone else.
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, report = run_json(str(tmp_path))
    assert code == 1
    found = sorted((f["rule"], Path(f["file"]).name, f["message"]) for f in report["findings"])
    assert found == [
        ("file-unreadable", "locked.yaml", "cannot read file: Permission denied"),
        ("yaml-syntax", "bad.yaml", found[1][2]),
    ]


def test_missing_path_is_a_usage_error_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "no such file or directory" in result.output
