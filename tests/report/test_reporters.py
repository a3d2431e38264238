"""Exact-output tests: every reporter renders the shared report to a reviewed file.

The expected files under ``expected/`` were checked by hand; a change in any output
shows up as a diff here. Regenerate one deliberately with ``UPDATE_EXPECTED=1``.
"""

from __future__ import annotations

import json
import os
import typing as t
from pathlib import Path

import pytest

from validator.findings import Report
from validator.report import REPORTERS, get_reporter

EXPECTED = Path(__file__).parent / "expected"

CASES: list[tuple[str, str, dict[str, t.Any]]] = [
    ("text", "report.txt", {}),
    ("json", "report.json", {}),
    ("markdown", "report.md", {"blob_base_url": "https://github.com/o/r/blob/abc123"}),
    ("markdown", "report-relative.md", {}),
    ("github", "annotations.txt", {}),
    ("sarif", "report.sarif", {"root": Path("/repo")}),
    ("junit", "report.xml", {}),
]


@pytest.mark.parametrize(("name", "expected", "options"), CASES)
def test_exact_output(report: Report, name: str, expected: str, options: dict[str, t.Any]) -> None:
    out = get_reporter(name, **options).format(report)
    path = EXPECTED / expected
    if os.environ.get("UPDATE_EXPECTED"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_registry_keeps_every_format() -> None:
    assert list(REPORTERS) == ["text", "json", "markdown", "github", "sarif", "junit", "html"]
    for name, cls in REPORTERS.items():
        assert cls.name == name


@pytest.mark.parametrize("name", ["markdown", "github", "sarif", "junit"])
def test_clean_report(name: str) -> None:
    out = get_reporter(name).format(Report(files_checked=1, entries_checked=1))
    if name == "github":
        assert out == ""
    elif name == "markdown":
        assert "No findings." in out
    elif name == "sarif":
        assert json.loads(out)["runs"][0]["results"] == []
    else:
        assert 'tests="0" failures="0"' in out


def test_cli_format_choices_match_the_registry() -> None:
    from validator.cli.options import FORMATS

    assert list(FORMATS) == list(REPORTERS)


def test_docs_samples_are_the_expected_outputs() -> None:
    # docs/github.md shows the annotations and the job summary of the shared report.
    doc = (Path(__file__).parents[2] / "docs" / "github.md").read_text(encoding="utf-8")
    for name in ("annotations.txt", "report.md"):
        assert (EXPECTED / name).read_text(encoding="utf-8") in doc, name
