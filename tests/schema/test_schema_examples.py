"""Every schema against example files: positives must pass, negatives must fail for their reason.

Adding a case is adding a file under ``positive/<schema>/`` or ``negative/<schema>/``;
a negative file names the error it expects in a ``# expect: <text>`` comment so it
cannot pass by failing for some other reason. The bundled catalog is one more set of
positives, so a schema change that would break real data fails here first.
"""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from validator.catalog.source import load

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
SCHEMA_DIR = ROOT / "schema"
CATALOG_DIR = ROOT / "catalog"
_FOLDER_SCHEMA = {"models": "model", "datasets": "dataset", "evals": "eval"}


def _schemas() -> dict[str, dict[str, t.Any]]:
    return {
        path.name.removesuffix(".schema.json"): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMA_DIR.glob("*.schema.json"))
    }


SCHEMAS = _schemas()
# No schema carries an `$id`: each one's base URI is where it is read from, so the
# registry names them by file name, as `$ref: defs.schema.json#...` does.
REGISTRY: Registry = Registry().with_resources(
    (f"{name}.schema.json", Resource.from_contents(schema)) for name, schema in SCHEMAS.items()
)


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(SCHEMAS[name], registry=REGISTRY)


def _cases(kind: str) -> list[t.Any]:
    return [
        pytest.param(path.parent.name, path, id=path.relative_to(HERE).as_posix())
        for path in sorted((HERE / kind).glob("*/*.yaml"))
    ]


def _catalog_cases() -> list[t.Any]:
    cases = []
    for path in sorted(CATALOG_DIR.rglob("*.yaml")):
        top = path.relative_to(CATALOG_DIR).parts[0]
        cases.append(
            pytest.param(_FOLDER_SCHEMA.get(top, "licenses"), path, id=f"catalog/{path.name}")
        )
    return cases


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(SCHEMAS[name])
    # An absolute `$id` would become the base of every relative `$ref`, so tools that
    # read the file from disk (check-jsonschema, editors) would look for defs.schema.json
    # at that address instead of next to the file (tests/schema/test_schema_tools.py).
    assert "$id" not in SCHEMAS[name]


def _walk(node: t.Any, path: str = "") -> t.Iterator[tuple[str, t.Any]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_strict_and_documented(name: str) -> None:
    for path, node in _walk(SCHEMAS[name]):
        if node.get("type") == "object":
            closed = node.get("additionalProperties") is False
            assert closed or node.get("unevaluatedProperties") is False, path
        for key, prop in (node.get("properties") or {}).items():
            if "if" in path.split("/"):
                continue  # conditions select a branch; they declare nothing
            assert prop.get("description"), f"{name}{path}/properties/{key} has no description"


@pytest.mark.parametrize(("schema", "path"), _cases("positive") + _catalog_cases())
def test_positive_example_is_valid(schema: str, path: Path) -> None:
    errors = [e.message for e in _validator(schema).iter_errors(load(path).data)]
    assert errors == []


@pytest.mark.parametrize(("schema", "path"), _cases("negative"))
def test_negative_example_fails_for_its_reason(schema: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = next(
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("# expect:")
    )
    errors = [e.message for e in _validator(schema).iter_errors(load(path).data)]
    assert errors, "expected the schema to reject this file"
    assert any(expected in message for message in errors), errors


@pytest.mark.parametrize(("schema", "path"), _catalog_cases())
def test_catalog_file_names_its_schema_for_editors(schema: str, path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first.removeprefix(prefix)).resolve()
    assert target == (SCHEMA_DIR / f"{schema}.schema.json").resolve()


def test_every_schema_has_examples_both_ways() -> None:
    for name in SCHEMAS:
        if name == "defs":
            continue
        assert list((HERE / "positive" / name).glob("*.yaml")), name
        assert list((HERE / "negative" / name).glob("*.yaml")), name
