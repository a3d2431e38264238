"""The YAML reader: data, positions, and a one-line error with a place for each bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from validator.catalog.source import MAX_FILE_BYTES, SourceError, json_path, load, parse_text


def parse(text: str):  # noqa: ANN201 - test helper
    return parse_text(text, Path("x.yaml"), "x.yaml")


def test_positions_are_one_based_and_point_at_keys_and_items() -> None:
    source = parse("id: a\ncheckpoints:\n  - name: x\n    url: https://e.org\n")
    assert source.data == {"id": "a", "checkpoints": [{"name": "x", "url": "https://e.org"}]}
    assert source.position(("id",)) == (1, 1)
    assert source.position(("checkpoints", 0)) == (3, 5)
    assert source.position(("checkpoints", 0, "url")) == (4, 5)
    # A missing path falls back to its nearest ancestor.
    assert source.position(("checkpoints", 0, "license")) == (3, 5)


def test_dates_stay_strings_and_numbers_stay_numbers() -> None:
    source = parse("released: 2023-05-04\nmonth: 2023-05\nparams: 0.111\nctx: 2048\nok: true\n")
    assert source.data == {
        "released": "2023-05-04",
        "month": "2023-05",
        "params": 0.111,
        "ctx": 2048,
        "ok": True,
    }


@pytest.mark.parametrize(
    ("text", "rule", "line", "column", "words"),
    [
        ("a: 1\nb: [\n", "yaml-syntax", 3, 1, "YAML syntax error"),
        (
            "a: 1\nb: 2\na: 3\n",
            "yaml-duplicate-key",
            3,
            1,
            "duplicate key 'a' (first defined at line 1)",
        ),
        ("a: &x 1\nb: *x\n", "yaml-anchor", 1, 4, "anchor 'x'"),
        ("base: {c: 1}\nother:\n  <<: {c: 2}\n", "yaml-anchor", 3, 3, "merge keys"),
        ("", "yaml-empty", 1, 1, "empty"),
        ("# only a comment\n", "yaml-empty", 1, 1, "no YAML document"),
        ("a: 1\n---\nb: 2\n", "yaml-syntax", 2, 1, "another document"),
        # Deeper than Python's recursion limit allows (libyaml stops at 1000 levels).
        ("a:\n" + "- " * 990 + "x\n", "yaml-too-deep", 2, 127, "nested more than 64"),
        ("id: a\nname: b\x00c\n", "yaml-syntax", 2, 8, "#x0000"),
    ],
)
def test_bad_yaml_gives_rule_place_and_one_line(
    text: str, rule: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(SourceError) as info:
        parse(text)
    error = info.value
    assert (error.rule, error.line, error.column) == (rule, line, column)
    assert words in error.message
    assert "\n" not in error.message


@pytest.mark.parametrize(
    ("text", "line", "column", "what"),
    [
        ("&top\na: 1\n", 1, 1, "anchor 'top'"),
        ("a: [&x 1, *x]\n", 1, 5, "anchor 'x'"),
        ("a: {b: &x 1, c: *x}\n", 1, 8, "anchor 'x'"),
        ('a: {"b":&x 1}\n', 1, 9, "anchor 'x'"),
        ("a:\n  - &x 1\n  - *x\n", 2, 5, "anchor 'x'"),
        ("a:\n\t- 1\nb: *x\n", 0, 0, ""),  # a syntax error first: reported as one
    ],
)
def test_anchors_and_aliases_are_found_wherever_yaml_allows_them(
    text: str, line: int, column: int, what: str
) -> None:
    with pytest.raises(SourceError) as info:
        parse(text)
    if what:
        assert (info.value.rule, info.value.line, info.value.column) == (
            "yaml-anchor",
            line,
            column,
        )
        assert what in info.value.message


def test_ampersands_and_stars_in_text_are_no_anchors() -> None:
    text = "a: R & D\nb: https://x.example/?a=1&b=2\nc: '**bold**'\nd: 2*3\n"
    assert parse(text).data == {
        "a": "R & D",
        "b": "https://x.example/?a=1&b=2",
        "c": "**bold**",
        "d": "2*3",
    }


@pytest.mark.parametrize(
    ("text", "words"),
    [("- a\n- b\n", "a list"), ("hello\n", "a string"), ("42\n", "a number")],
)
def test_a_file_that_is_not_a_mapping_says_so(text: str, words: str) -> None:
    with pytest.raises(SourceError) as info:
        parse(text)
    assert (info.value.rule, info.value.line, info.value.column) == ("yaml-not-mapping", 1, 1)
    assert f"holds {words}" in info.value.message


def test_non_utf8_file_names_the_byte_and_place(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"id: a\nname: caf\xe9\n")
    with pytest.raises(SourceError) as info:
        load(path)
    assert (info.value.rule, info.value.line, info.value.column) == ("file-encoding", 2, 10)
    assert "0xe9" in info.value.message


def test_oversize_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    with pytest.raises(SourceError) as info:
        load(path)
    assert info.value.rule == "file-too-large"
    assert f"{MAX_FILE_BYTES:,}" in info.value.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    with pytest.raises(SourceError) as info:
        load(fifo)
    assert (info.value.rule, info.value.message) == ("file-unreadable", "not a regular file")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffid: a\n".encode())
    assert load(path).data == {"id": "a"}


def test_json_path_rendering() -> None:
    assert json_path(()) == "$"
    assert json_path(("checkpoints", 1, "url")) == "$.checkpoints[1].url"
