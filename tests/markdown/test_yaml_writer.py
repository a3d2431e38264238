"""The YAML writer: files read back to the same data, with quotes only where needed."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest

from validator.catalog.source import parse_text
from validator.markdown import yamlout


def _read_back(text: str) -> t.Any:
    return parse_text(text, Path("x.yaml"), "x.yaml").data


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("MPT-7B", "MPT-7B"),
        ("https://huggingface.co/mosaicml/mpt-7b#how-is-this-model-different", None),
        ("Introducing MPT-7B: A New Standard", '"Introducing MPT-7B: A New Standard"'),
        ("2023-05", "2023-05"),
        ("2023-05-12", '"2023-05-12"'),  # would read as a date in plain YAML 1.1
        ("yes", '"yes"'),
        ("0.25", '"0.25"'),
        ("[bracketed]", '"[bracketed]"'),
        ("SantaCoder: don't reach for the stars!", '"SantaCoder: don\'t reach for the stars!"'),
        ("a # not a comment", '"a # not a comment"'),
        ("", '""'),
    ],
)
def test_strings_are_quoted_only_when_needed(value: str, written: str | None) -> None:
    assert yamlout.scalar(value) == (written if written is not None else value)
    assert _read_back(f"k: {yamlout.scalar(value)}\n") == {"k": value}


def test_layout_and_round_trip() -> None:
    shared = {"name": "a", "url": "https://example.org/a"}
    data = {
        "id": "x",
        "checkpoints": [shared, shared],  # the same object twice: written out twice
        "params_b": {"min": 0.111, "max": 13},
        "context_length": {"value": 84000, "mechanism": "alibi"},
        "licenses": ["apache-2.0", {"id": "mit", "url": "https://example.org/mit"}],
        "hub_ids": ["apache-2.0"],
        "spdx": None,
        "aside": True,
    }
    text = yamlout.dump(data, "../schema/model.schema.json")
    assert text == (
        "# yaml-language-server: $schema=../schema/model.schema.json\n"
        "id: x\n"
        "checkpoints:\n"
        "  - name: a\n"
        "    url: https://example.org/a\n"
        "  - name: a\n"
        "    url: https://example.org/a\n"
        "params_b: {min: 0.111, max: 13}\n"
        "context_length:\n"
        "  value: 84000\n"
        "  mechanism: alibi\n"
        "licenses:\n"
        "  - apache-2.0\n"
        "  - id: mit\n"
        "    url: https://example.org/mit\n"
        "hub_ids: [apache-2.0]\n"
        "spdx: null\n"
        "aside: true\n"
    )
    assert "&" not in text and "*" not in text
    assert _read_back(text) == data
