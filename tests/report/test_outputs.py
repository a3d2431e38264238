"""``--output FORMAT[:PATH]`` parsing, writing, and the GitHub step-summary default."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from validator.findings import Finding, Report, Severity
from validator.report.outputs import (
    STEP_SUMMARY_BUDGET,
    OutputError,
    OutputSpec,
    cap_markdown,
    parse_output_spec,
    write_outputs,
)


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("text", OutputSpec("text")),
        ("JSON:report.json", OutputSpec("json", Path("report.json"))),
        ("markdown:-", OutputSpec("markdown")),
        ("sarif:out/x:y.sarif", OutputSpec("sarif", Path("out/x:y.sarif"))),
    ],
)
def test_parse_output_spec(text: str, spec: OutputSpec) -> None:
    assert parse_output_spec(text) == spec


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yaml:x", "unknown output format 'yaml' in 'yaml:x' (known: text, json, markdown"),
        ("json:", "empty path in 'json:'"),
        ("", "unknown output format ''"),
    ],
)
def test_parse_output_spec_errors_are_one_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")) as info:
        parse_output_spec(text)
    assert "\n" not in str(info.value)


def test_one_run_writes_several_outputs(report: Report, tmp_path: Path) -> None:
    stdout = io.StringIO()
    specs = [
        parse_output_spec("text"),
        parse_output_spec("github"),
        parse_output_spec(f"json:{tmp_path}/sub/report.json"),
    ]
    write_outputs(report, specs, color=True, environ={}, stdout=stdout)
    text = stdout.getvalue()
    assert "\x1b[" in text  # colour on stdout when asked
    assert text.index("2 errors, 1 warning") < text.index("::error file=")
    data = json.loads((tmp_path / "sub" / "report.json").read_text(encoding="utf-8"))
    assert data["summary"]["errors"] == 2


def test_files_never_get_colour(report: Report, tmp_path: Path) -> None:
    write_outputs(report, [OutputSpec("text", tmp_path / "r.txt")], color=True, environ={})
    assert "\x1b[" not in (tmp_path / "r.txt").read_text(encoding="utf-8")


def test_step_summary_gets_markdown_by_default(report: Report, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    environ = {
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_SHA": "abc",
    }
    write_outputs(report, [OutputSpec("text")], color=False, environ=environ, stdout=io.StringIO())
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## Catalog validation\n")
    assert "(https://github.example/o/r/blob/abc/catalog/models/code/starcoder.yaml#L25)" in text


def test_no_default_summary_when_markdown_was_asked_for(report: Report, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    environ = {"GITHUB_STEP_SUMMARY": str(summary)}
    write_outputs(report, [OutputSpec("markdown", tmp_path / "r.md")], color=False, environ=environ)
    assert not summary.exists()
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("## Catalog validation")


def test_step_summary_is_capped_in_utf8_bytes(tmp_path: Path) -> None:
    report = Report()
    # Multi-byte text: a character count would pass while the byte count fails.
    report.extend(
        Finding("r", "é" * 200 + f" {i}", "a.yaml", i + 1, 1, entry="a", override=Severity.ERROR)
        for i in range(5000)
    )
    summary = tmp_path / "summary.md"
    write_outputs(report, [], color=False, environ={"GITHUB_STEP_SUMMARY": str(summary)})
    data = summary.read_bytes()
    assert len(data) <= STEP_SUMMARY_BUDGET < 1024 * 1024
    text = data.decode("utf-8")
    assert text.rstrip().endswith("more lines not shown._")
    assert text.count("<details>") == text.count("</details>")


def test_cap_markdown_counts_the_lines_left_out() -> None:
    text = "".join(f"line {i}\n" for i in range(100))
    capped = cap_markdown(text, limit=200)
    kept = capped.split("\n\n_Report truncated")[0].splitlines()
    assert capped.endswith(f"_Report truncated, {100 - len(kept)} more lines not shown._\n")
    assert cap_markdown(text, limit=10_000) == text


def test_unwritable_path_is_a_domain_error(report: Report, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="^cannot write"):
        write_outputs(
            report, [OutputSpec("json", tmp_path / "file" / "x.json")], color=False, environ={}
        )


def test_markdown_aimed_at_the_step_summary_is_appended_once(
    report: Report, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier\n", encoding="utf-8")
    specs = [OutputSpec("markdown", tmp_path / "r.md"), OutputSpec("markdown", summary)]
    write_outputs(report, specs, color=False, environ={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier\n## Catalog validation")
    assert text.count("## Catalog validation") == 1


def _big_report() -> Report:
    report = Report()
    report.extend(
        Finding("r", "é" * 200 + f" {i}", "a.yaml", i + 1, 1, entry="a", override=Severity.ERROR)
        for i in range(5000)
    )
    return report


def test_step_summary_cap_counts_what_the_step_already_wrote(tmp_path: Path) -> None:
    # The 1 MiB limit is per step, for everything appended to the file: an earlier
    # command in the same step (or a second run of the validator) already used some.
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * 99 + b"\n" + b"earlier step\n" * 60_000)
    write_outputs(_big_report(), [], color=False, environ={"GITHUB_STEP_SUMMARY": str(summary)})
    data = summary.read_bytes()
    assert len(data) <= STEP_SUMMARY_BUDGET
    assert data.decode("utf-8").rstrip().endswith("more lines not shown._")


def test_two_outputs_into_the_step_summary_stay_under_the_limit(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    specs = [OutputSpec("text", summary)]  # plus the default Markdown summary
    write_outputs(_big_report(), specs, color=False, environ={"GITHUB_STEP_SUMMARY": str(summary)})
    assert len(summary.read_bytes()) <= STEP_SUMMARY_BUDGET


def test_a_full_step_summary_gets_nothing_more(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"y\n" * (STEP_SUMMARY_BUDGET // 2))
    write_outputs(_big_report(), [], color=False, environ={"GITHUB_STEP_SUMMARY": str(summary)})
    assert len(summary.read_bytes()) < 1024 * 1024


def test_big_reports_are_written_in_pieces_and_whole(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from validator.report import get_reporter, outputs

    monkeypatch.setattr(outputs, "WRITE_CHUNK", 7)  # many pieces
    whole = get_reporter("json").format(report)
    stdout = io.StringIO()
    specs = [parse_output_spec("json"), parse_output_spec(f"json:{tmp_path}/r.json")]
    write_outputs(report, specs, color=False, environ={}, stdout=stdout)
    assert stdout.getvalue() == whole
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == whole


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain", "plain"),
        ("Zürich — 東京", "Zürich — 東京"),
        ("bad-\udcff.yaml é", "bad-\\udcff.yaml é"),
    ],
)
def test_printable_escapes_lone_surrogates_only(text: str, shown: str) -> None:
    from validator.escape import printable

    assert printable(text) == shown
    assert printable(text).encode("utf-8")
