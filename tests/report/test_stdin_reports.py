"""``-`` reads a JSON report from standard input, under the same limits as a file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator import jsonfile
from validator.cli import main
from validator.jsonfile import JsonFileError, load_json
from validator.report.merge import ReportFormatError, read_report

EXAMPLES = Path(__file__).parents[1] / "examples" / "positive"


def _report() -> str:
    result = CliRunner().invoke(main, ["validate", str(EXAMPLES), "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.output


def test_report_merge_reads_a_report_from_stdin() -> None:
    text = _report()
    result = CliRunner().invoke(main, ["report", "merge", "-", "--format", "json"], input=text)
    assert result.exit_code == 0, result.output
    merged, given = json.loads(result.output), json.loads(text)
    assert merged["summary"]["files"] == given["summary"]["files"] == 4


def test_a_bad_report_on_stdin_is_named_stdin() -> None:
    result = CliRunner().invoke(main, ["report", "merge", "-"], input="{not json")
    assert result.exit_code == 2
    assert result.output.startswith("validator: report <stdin> is not JSON: ")
    with pytest.raises(ReportFormatError, match=r"^<stdin>: not a version 1 JSON report"):
        _read_stdin_report(b"{}")


def _read_stdin_report(data: bytes) -> object:
    import sys

    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    try:
        return read_report(Path("-"))
    finally:
        sys.stdin = old


def test_stdin_has_the_file_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonfile, "MAX_BYTES", 8)
    assert load_json(Path("-"), "report", io.BytesIO(b'{"a": 1}')) == {"a": 1}
    with pytest.raises(JsonFileError) as caught:
        load_json(Path("-"), "report", io.BytesIO(b'{"a": 12}'))
    assert str(caught.value) == "report <stdin>: more than the 8 bytes a report may be"
