"""jsonschema-rs (the fast path) and jsonschema (the reference) agree wherever the fast
path is trusted: on every code point for the regex classes our patterns use, on every
YAML fixture of the repository against every schema, and on mutations of the valid
ones (wrong types, edge numbers, tricky strings, keys removed and added).

A disagreement here means :mod:`validator.schema_fastpath` must send more values to
jsonschema, never that the fixture is wrong.
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
import typing as t
from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest

from tests import fresh
from validator.catalog.source import SourceError, load
from validator.schema import SchemaSet, default_schema_dir
from validator.schema_fastpath import UNSAFE_TEXT, FastCheck, plain, portable

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = SchemaSet(default_schema_dir())
NAMES = sorted(
    p.name for p in default_schema_dir().glob("*.schema.json") if p.name != "defs.schema.json"
)
EVERY_CODE_POINT = "every-code-point"
"""The xdist group of the tests that go over every code point: the list of 1.1 million
one-character strings is built in one worker, when the first of them runs (0.2 s)."""


@functools.cache
def _every_char() -> list[str]:
    """Every code point but the surrogates, one per item."""
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]


@functools.cache
def _every_string() -> str:
    """The same in one string."""
    return "".join(_every_char())


@functools.cache  # one per schema: building one costs ~2 ms, and 900 mutations ask
def _fast(name: str) -> FastCheck:
    fast = FastCheck.build(SCHEMAS.inlined(name))
    assert fast is not None, f"{name} is not fast-checked"
    return fast


def _reference_valid(name: str, data: t.Any) -> bool:
    return t.cast(bool, SCHEMAS.validator_for(name).is_valid(data))


def _rs_exceptions(pattern: str, rare: str) -> set[str]:
    """The single characters for which jsonschema-rs's ``pattern`` gives the ``rare``
    verdict ("match" or "miss"), in one call that reports only those."""
    schema = {"pattern": pattern} if rare == "miss" else {"not": {"pattern": pattern}}
    validator = jsonschema_rs.Draft202012Validator({"items": schema})
    every = _every_char()
    return {every[t.cast(int, e.instance_path[0])] for e in validator.iter_errors(every)}


def _python_exceptions(cls: str, rare: str) -> set[str]:
    """The same for Python's ``re`` (one class: a match is one character). A miss is
    found by a look-ahead, so only the few misses are returned, not a million matches."""
    pattern = cls if rare == "match" else f"(?!{cls})(?s:.)"
    return set(re.findall(pattern, _every_string()))


@pytest.mark.xdist_group(EVERY_CODE_POINT)
@pytest.mark.parametrize(
    ("cls", "rare"), [(r"\d", "match"), (r"\s", "match"), (r"\S", "miss"), (".", "miss")]
)
def test_regex_classes_agree_on_every_safe_code_point(cls: str, rare: str) -> None:
    differ = _python_exceptions(cls, rare) ^ _rs_exceptions(f"^{cls}$", rare)
    assert differ, "the engines are expected to differ somewhere (else drop the guard)"
    assert all(UNSAFE_TEXT.search(f"{c}x") for c in differ), sorted(
        c for c in differ if not UNSAFE_TEXT.search(f"{c}x")
    )


def test_dollar_before_a_final_newline_is_guarded() -> None:
    rs = jsonschema_rs.Draft202012Validator({"pattern": "^a$"})
    assert re.search("^a$", "a\n") and not rs.is_valid("a\n")
    assert UNSAFE_TEXT.search("a\n") and not plain("a\n") and not plain({"a\n": 1})
    assert plain("a\nb")


@pytest.mark.xdist_group(EVERY_CODE_POINT)
def test_plain_refuses_every_unsafe_character() -> None:
    every = _every_string()
    unsafe = set(UNSAFE_TEXT.findall(every)) | {chr(0xD800), chr(0xDFFF)}  # lone surrogates
    assert 100 < len(unsafe) < 1000
    for c in unsafe:
        assert not plain(f"x{c}y"), repr(c)
        assert not plain({"k": [f"{c}"]}), repr(c)
        assert not plain({f"{c}": 1}), repr(c)
    safe = "".join(filter(str.isprintable, UNSAFE_TEXT.sub("", every)))
    assert len(safe) > 100_000 and plain(safe)
    assert plain({"notes": "two\nlines", "n": [1, 2.5, None, True, 2**70]})
    assert not plain(float("nan")) and not plain([float("inf")]) and not plain({"d": {1, 2}})


def test_our_schemas_are_fast_checked_and_exotic_patterns_are_not() -> None:
    for name in NAMES:
        assert portable(SCHEMAS.inlined(name)), name
    for pattern in (r"^\w+$", r"(?i)^a$", r"^(a)\1$", r"\bword", r"(?<=a)b", r"\p{L}"):
        assert FastCheck.build({"pattern": pattern}) is None, pattern
    for pattern in (r"^\d{4}(-(0[1-9]|1[0-2]))?$", r"\S", r"^[a-z0-9][a-z0-9._+-]*$"):
        assert FastCheck.build({"pattern": pattern}) is not None, pattern


def test_formats_are_annotations_in_both() -> None:
    schema = {"type": "string", "format": "date"}
    fast = FastCheck.build(schema)
    assert fast is not None and fast.valid("not a date")
    assert jsonschema.Draft202012Validator(schema).is_valid("not a date")


def _fixtures() -> list[Path]:
    found = sorted((ROOT / "tests").rglob("*.yaml")) + sorted((ROOT / "catalog").rglob("*.yaml"))
    return [p for p in found if ".venv" not in p.parts]


def _schema_of(path: Path, source: t.Any) -> str | None:
    """The schema a run checks the file against (tests/schema/*/<name>/: that one)."""
    if path.parent.parent.parent.name == "schema" and path.parent.parent.name in (
        "positive",
        "negative",
    ):
        return f"{path.parent.name}.schema.json"
    return SCHEMAS.schema_name_for(source)


def test_every_fixture_gets_the_same_verdict_from_both() -> None:
    checked = valid = 0
    for path in _fixtures():
        try:
            source = load(path)
        except SourceError:
            continue  # not data at all (the hostile fixtures): no schema sees it
        name = _schema_of(path, source)
        if name is None:
            continue  # an unknown kind is a finding of its own; no schema runs
        assert plain(source.data) or path.name in _NOT_PLAIN, path
        reference = _reference_valid(name, source.data)
        assert _fast(name).valid(source.data) is reference, (path, name)
        checked += 1
        valid += reference
    assert checked > 100 and valid > 40 and checked - valid > 20, (checked, valid)


_NOT_PLAIN: set[str] = set()
"""Fixtures the fast path may not vouch for (none today: every one is fast-checked)."""

_TRICKY: list[t.Any] = [
    None, True, False, 0, -1, 1.0, 0.5, 2**64, -(10**30), 1e300, "", " ", "x", "2023",
    "2023-13", "2023-02-30", "1M", "4K", "https://", "http://x", "ftp://x", "apache-2.0",
    "Apache-2.0", "a b", "a_b", "-a", "a.", "\t", "é", "\u00a0", [], {}, ["a", "a"],
    [1, 1.0], [1, True], [{"a": 1}, {"a": 1.0}], {"min": 1, "max": 2}, {"value": 4096},
    {"value": "unlimited"}, {"id": "mit"}, {"url": "https://a.example/"},
]  # fmt: skip


def _leaves(node: t.Any, path: tuple[t.Any, ...] = ()) -> t.Iterator[tuple[t.Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))


def _replaced(data: t.Any, path: tuple[t.Any, ...], value: t.Any) -> t.Any:
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


def _mutations(data: t.Any) -> t.Iterator[t.Any]:
    turn = itertools.count()
    for path in _leaves(data):
        if not path:
            continue
        for _ in range(2):
            yield _replaced(data, path, _TRICKY[next(turn) % len(_TRICKY)])
        parent = _replaced(data, path, None)
        node = parent
        for part in path[:-1]:
            node = node[part]
        if isinstance(node, dict):
            del node[path[-1]]  # a key removed
            yield parent
            yield _replaced(data, (*path[:-1], "unknown_key"), 1)  # one added


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "tests" / "schema" / "positive").glob("*/*.yaml"))
    + sorted((ROOT / "tests" / "examples" / "positive").glob("*.yaml")),
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_mutations_of_valid_files_get_the_same_verdict_from_both(path: Path) -> None:
    data = load(path).data
    names = [n for n in NAMES if _reference_valid(n, data)]
    assert names, f"{path} is valid against no schema"
    compared = invalid = 0
    for mutated in _mutations(data):
        if not plain(mutated):
            continue
        reference = _reference_valid(names[0], mutated)
        assert _fast(names[0]).valid(mutated) is reference, mutated
        compared += 1
        invalid += not reference
    assert compared > 10 and invalid > 5, (compared, invalid)


@pytest.mark.heavy  # a fresh interpreter: started early, not last
@pytest.mark.xdist_group(fresh.GROUP)
def test_validating_a_clean_catalog_never_imports_jsonschema() -> None:
    loaded = fresh.modules_after("catalog")
    assert not loaded & {"jsonschema", "referencing"}
    assert "validator.schema_fastpath" in loaded  # the fast path did the work
