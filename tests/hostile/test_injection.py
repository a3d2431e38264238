"""Untrusted text is inert wherever it is written.

A catalog file name, an entry id, a message carrying a server's words: in the text
report no line may start a workflow command; in Markdown (job summary, report issue)
no ``@mention`` may notify, no ``#123`` may link, no HTML may render, and no value
may break out of its code span.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from tests.github.test_sync import night
from validator.cli import main
from validator.escape import inert_lines, md_code, md_text
from validator.findings import Finding, Report
from validator.github.sync import plan_sync
from validator.report.markdown import MarkdownReporter
from validator.report.text import TextReporter

HOSTILE = "@octocat fixes #123 <img src=x onerror=alert(1)> `x` @org/team"
BREAKOUT = "a`` @octocat ``b"


def _no_command_lines(text: str) -> None:
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line


def test_a_forged_file_name_never_starts_a_log_line(tmp_path: Path) -> None:
    """Before: ``::warning title=x::FORGED.yaml`` printed at a line start forged an
    annotation in the Actions log."""
    forged = tmp_path / "::warning title=x::FORGED.yaml"
    forged.write_text("id: x\nkind: eval\nname: X\nnmae: typo\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(forged)])
    assert result.exit_code in (0, 1), result.output
    assert "FORGED.yaml" in result.stdout
    _no_command_lines(result.stdout)
    _no_command_lines(result.stderr)


def test_text_report_lines_cannot_start_commands() -> None:
    report = Report(files_checked=1)
    report.add(Finding("schema", "::error::forged in a message", "::notice::f.yaml", 1, 1))
    report.add(Finding("schema", "x", "  ::set-output name=a::b", 2, 1))
    _no_command_lines(TextReporter().format(report))


@pytest.mark.parametrize("line", ["::x", "  ::x", "\t::x", "a ::x", ":x", ""])
def test_inert_lines_only_touches_command_starts(line: str) -> None:
    out = inert_lines(line)
    assert not out.lstrip().startswith("::")
    if not line.lstrip().startswith("::"):
        assert out == line


def _outside_code(markdown: str) -> str:
    """The text GitHub would render outside code spans and blocks, and raw HTML."""
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    html = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    return html


def _assert_inert(markdown: str) -> None:
    outside = _outside_code(markdown)
    assert not re.search(r"(?<![\w\u200b])@[A-Za-z0-9]", outside), outside
    assert not re.search(r"(?<![\w\u200b&])#[0-9]", outside), outside
    assert "<img" not in outside and "onerror" not in outside.replace("onerror=", "")


def test_md_text_neutralises_mentions_references_and_html() -> None:
    out = md_text(HOSTILE)
    _assert_inert(out)
    assert out.replace("\u200b", "").startswith("@octocat fixes #123 &lt;img")


@pytest.mark.parametrize("value", [BREAKOUT, "`", "``", " `a` ", "@x", "a|b"])
def test_md_code_cannot_be_broken_out_of(value: str) -> None:
    out = md_code(value)
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert html.count("<code>") == 1, html
    _assert_inert(out)


def test_markdown_report_and_issue_body_are_inert() -> None:
    """Before: an @name in a catalog value pinged that account every night."""
    report = Report(files_checked=1)
    report.add(Finding("schema", HOSTILE, "catalog/@octocat.yaml", 3, 1, entry=BREAKOUT))
    _assert_inert(MarkdownReporter().format(report))

    data = night()
    data["findings"].append(
        {**data["findings"][0], "message": HOSTILE, "entry": BREAKOUT, "severity": "error"}
    )
    plan = plan_sync(data, None, fail_after=1, today="2026-11-28")
    assert plan.body is not None and "octocat" in plan.body
    _assert_inert(plan.body)
