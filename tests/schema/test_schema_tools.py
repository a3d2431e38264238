"""Other tools can use our schemas as they are: check-jsonschema and editors.

check-jsonschema (and yaml-language-server) take a schema's ``$id`` as the base for its
relative ``$ref``s, and the file's own location when it has none. These tests run
check-jsonschema in-process, the way a user would call it, with no ``--base-uri``:
on the issue's command line, on every catalog file through the schema its
``# yaml-language-server: $schema=...`` comment names, and on a copy of the schema
folder somewhere else (the references must follow the files, not the repository).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "schema"
CATALOG_DIR = ROOT / "catalog"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")

# check-jsonschema is imported by the first test that runs it (~0.2 s), in one worker:
# the tests of this module go to the same one.
pytestmark = pytest.mark.xdist_group("check-jsonschema")


def _check_jsonschema(*args: str) -> Result:
    from check_jsonschema import main as check_jsonschema_main

    return CliRunner().invoke(check_jsonschema_main, list(args), catch_exceptions=False)


def _modeline_schemas() -> dict[Path, list[Path]]:
    """Catalog files grouped by the schema file their first line points to."""
    groups: dict[Path, list[Path]] = {}
    for path in sorted(CATALOG_DIR.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = MODELINE.match(first)
        assert match, f"{path}: first line is not a yaml-language-server modeline: {first!r}"
        schema = (path.parent / match.group(1)).resolve()
        groups.setdefault(schema, []).append(path)
    return groups


def test_issue_command_line_passes_without_base_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = _check_jsonschema(
        "--schemafile", "schema/model.schema.json", "catalog/models/language/mpt-7b.yaml"
    )
    assert result.exit_code == 0, result.output
    assert "validation done" in result.output


def test_every_schema_is_valid_for_check_jsonschema() -> None:
    schemas = sorted(str(path) for path in SCHEMA_DIR.glob("*.schema.json"))
    assert len(schemas) == 5
    result = _check_jsonschema("--check-metaschema", *schemas)
    assert result.exit_code == 0, result.output


@pytest.mark.heavy
def test_every_catalog_file_passes_the_schema_its_modeline_names() -> None:
    groups = _modeline_schemas()
    # Every entry schema is named by some catalog file (defs.schema.json only by $ref).
    assert {schema.name for schema in groups} == {
        "model.schema.json",
        "dataset.schema.json",
        "eval.schema.json",
        "licenses.schema.json",
    }
    for schema, files in groups.items():
        assert schema.parent == SCHEMA_DIR, f"{files[0]} names {schema}, outside schema/"
        result = _check_jsonschema("--schemafile", str(schema), *map(str, files))
        assert result.exit_code == 0, f"{schema.name}: {result.output}"


def test_schema_folder_copied_elsewhere_still_resolves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = tmp_path / "vendored" / "schemas"
    shutil.copytree(SCHEMA_DIR, copied)
    monkeypatch.chdir(tmp_path)  # neither the schemas' folder nor the repository
    entry = CATALOG_DIR / "models" / "code" / "starcoder.yaml"
    result = _check_jsonschema("--schemafile", str(copied / "model.schema.json"), str(entry))
    assert result.exit_code == 0, result.output


def test_a_reference_into_defs_is_really_applied(tmp_path: Path) -> None:
    # `id` is checked only through `$ref: defs.schema.json#/$defs/entry-id`: a bad id
    # failing proves the reference was resolved, not skipped.
    text = (CATALOG_DIR / "models" / "language" / "mpt-7b.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "mpt-7b.yaml"
    bad.write_text(text.replace("id: mpt-7b", "id: Not An Id", 1), encoding="utf-8")
    result = _check_jsonschema("--schemafile", str(SCHEMA_DIR / "model.schema.json"), str(bad))
    assert result.exit_code == 1, result.output
    assert "$.id" in result.output
