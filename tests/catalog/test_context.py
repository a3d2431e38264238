"""Checking some files of a catalog: the rest is context, never reported on.

A pre-commit hook and an editor pass only the files that changed; the references,
duplicates and licenses they name live in other files. Those are loaded read-only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.cli import main

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"


def _validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, result.output


def test_one_entry_whose_reference_lives_elsewhere_is_clean() -> None:
    # The case: starchat-alpha is based_on starcoder, which was not loaded.
    code, out = _validate(str(CATALOG / "models" / "code" / "starchat-alpha.yaml"))
    assert "reference-unknown" not in out
    assert code == 0, out
    assert "in 1 file (1 entry)" in out


def test_one_entry_of_each_folder_and_every_waived_one_pass_alone() -> None:
    folders = {path.parent for path in CATALOG.rglob("*.yaml")}
    paths = {sorted(folder.glob("*.yaml"))[0] for folder in folders}
    paths |= {p for p in CATALOG.rglob("*.yaml") if "waivers:" in p.read_text(encoding="utf-8")}
    assert len(paths) >= 8
    failing = []
    for path in sorted(paths):
        code, out = _validate(str(path))
        if code != 0:
            failing.append(f"{path.relative_to(ROOT)}: {out}")
    assert failing == []


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(CATALOG, tmp_path / "catalog")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")  # the catalog's repo
    monkeypatch.chdir(tmp_path)
    return tmp_path / "catalog"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_broken_context_file_is_not_reported(catalog: Path) -> None:
    broken = catalog / "models" / "language" / "mpt-7b.yaml"
    _edit(broken, "licenses: [apache-2.0", "licenses: [apache-3.0")
    code, out = _validate("catalog/models/code/starchat-alpha.yaml")
    assert code == 0, out
    assert "mpt-7b" not in out
    code, out = _validate("catalog/models/language/mpt-7b.yaml")
    assert code == 1
    assert "license-unknown" in out


def test_a_real_problem_in_the_given_file_is_still_found(catalog: Path) -> None:
    entry = catalog / "models" / "code" / "starchat-alpha.yaml"
    _edit(entry, "based_on: [starcoder]", "based_on: [starcoder-nonexistent]")
    code, out = _validate(str(entry.relative_to(catalog.parent)))
    assert code == 1
    assert "reference-unknown" in out and "starcoder-nonexistent" in out


def test_a_duplicate_of_a_context_entry_is_reported_on_the_given_file(catalog: Path) -> None:
    copy = catalog / "models" / "code" / "starcoder-copy.yaml"
    text = (catalog / "models" / "code" / "starcoder.yaml").read_text(encoding="utf-8")
    copy.write_text(text.replace("id: starcoder\n", "id: starcoder-copy\n", 1), encoding="utf-8")
    code, out = _validate("catalog/models/code/starcoder-copy.yaml", "--fail-on", "warning")
    assert code == 1
    assert "duplicate-name" in out
    assert "catalog/models/code/starcoder-copy.yaml" in out


def test_an_unsaved_buffer_on_stdin_is_checked_in_its_place(catalog: Path) -> None:
    # `validate -` read nothing from stdin before (a path named '-' did not exist).
    name = "catalog/models/code/starchat-alpha.yaml"
    text = (catalog.parent / name).read_text(encoding="utf-8")
    runner = CliRunner()
    clean = runner.invoke(main, ["validate", "-", "--stdin-filename", name], input=text)
    assert clean.exit_code == 0, clean.output
    assert "in 1 file (1 entry)" in clean.output
    edited = text.replace("based_on: [starcoder]", "based_on: [gone]")
    broken = runner.invoke(main, ["validate", "-", "--stdin-filename", name], input=edited)
    assert broken.exit_code == 1
    assert f"{name}\n" in broken.output and "based_on names 'gone'" in broken.output


def test_stdin_without_a_file_name_is_a_usage_error(catalog: Path) -> None:
    # Without a name the text has no id to match and no catalog to sit in: every
    # finding would be about '<stdin>.yaml', not about the entry.
    text = (catalog.parent / "catalog/models/code/starchat-alpha.yaml").read_text("utf-8")
    result = CliRunner().invoke(main, ["validate", "-"], input=text)
    assert result.exit_code == 2
    assert result.output == (
        "validator: `validate -` needs --stdin-filename PATH: "
        "the catalog file the text stands for\n"
    )


def test_a_context_file_edited_between_runs_of_one_process_is_read_afresh(
    catalog: Path,
) -> None:
    # Context files are remembered per process (an editor validates file after file);
    # an edit must still be seen by the next run, whether it breaks or mends the file.
    given = "catalog/models/code/starchat-alpha.yaml"
    starcoder = catalog / "models" / "code" / "starcoder.yaml"
    assert _validate(given)[0] == 0
    _edit(starcoder, "id: starcoder\n", "id: starcoder-renamed\n")
    code, out = _validate(given)
    assert code == 1 and "reference-unknown" in out
    _edit(starcoder, "id: starcoder-renamed\n", "id: starcoder\n")
    assert _validate(given)[0] == 0
    _edit(starcoder, "params_b: 15\n", "params_b: fifteen\n")  # now fails its schema
    code, out = _validate(given)
    assert code == 1 and "reference-unknown" in out


def test_context_remembered_under_one_schema_is_checked_again_under_another(
    catalog: Path, tmp_path: Path
) -> None:
    given = "catalog/models/code/starchat-alpha.yaml"
    assert _validate(given)[0] == 0
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schema", schemas)
    model = schemas / "model.schema.json"
    text = model.read_text(encoding="utf-8")
    assert text.startswith("{\n")
    not_starcoder = '"not": {"properties": {"id": {"const": "starcoder"}}, "required": ["id"]},'
    model.write_text("{" + not_starcoder + text[1:], encoding="utf-8")
    # Under these schemas starcoder fails and is no longer usable context.
    code, out = _validate(given, "--schema-dir", str(schemas))
    assert code == 1 and "reference-unknown" in out, out
    assert _validate(given)[0] == 0
