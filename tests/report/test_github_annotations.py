"""Workflow-command escaping and the 10-per-level selection of the ``github`` reporter."""

from __future__ import annotations

from validator.escape import escape_data, escape_property
from validator.findings import Finding, LinkResult, Location, Report, Severity, Verdict
from validator.report.github import GithubReporter


def test_escape_data_matches_toolkit() -> None:
    # '%' first: a literal "%0A" must survive as text, not become a newline.
    assert escape_data("100% done: a, b\r\nnext %0A") == "100%25 done: a, b%0D%0Anext %250A"


def test_escape_property_also_escapes_colon_and_comma() -> None:
    assert escape_property("a:b,c%d\ne\rf") == "a%3Ab%2Cc%25d%0Ae%0Df"


def test_annotation_escapes_message_and_properties() -> None:
    report = Report()
    report.add(
        Finding(
            rule="odd,rule:x",
            override=Severity.ERROR,
            message="50% of 'a, b: c'\n::error::injected\r",
            file="dir,x/file:1.yaml",
            line=3,
            column=2,
            entry="e",
        )
    )
    assert GithubReporter().format(report) == (
        "::error file=dir%2Cx/file%3A1.yaml,line=3,col=2,title=odd%2Crule%3Ax (e)"
        "::50%25 of 'a, b: c'%0A::error::injected%0D\n"
    )


def test_line_zero_sends_no_line_or_column() -> None:
    report = Report()
    report.add(Finding("r", "m", "f.yaml", line=0, column=4, override=Severity.WARNING))
    assert GithubReporter().format(report) == "::warning file=f.yaml,title=r::m\n"


def _finding(i: int, severity: Severity, file: str = "a.yaml") -> Finding:
    return Finding("rule", f"message {i}", file, line=i + 1, column=1, override=severity)


def test_at_most_ten_per_level_errors_first_then_a_count() -> None:
    report = Report()
    report.extend(_finding(i, Severity.WARNING) for i in range(12))
    report.extend(_finding(i, Severity.ERROR, "b.yaml") for i in range(15))
    report.extend(_finding(i, Severity.INFO) for i in range(3))
    lines = GithubReporter().format(report).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == (
        ["::error"] * 10 + ["::warning"] * 10 + ["::notice"] * 3 + ["::notice::7"]
    )
    # Errors in file order: b.yaml lines 1..10 are shown, 11..15 are summarised.
    assert "line=1," in lines[0] and "line=10," in lines[9]
    assert lines[-1] == "::notice::7 more findings: see the job summary"


def test_the_count_keeps_a_notice_slot_free() -> None:
    report = Report()
    report.extend(_finding(i, Severity.INFO) for i in range(12))
    lines = GithubReporter().format(report).splitlines()
    assert len(lines) == 10
    assert lines[-1] == "::notice::3 more findings: see the job summary"


def test_links_are_annotated_from_their_findings_only() -> None:
    link = LinkResult(
        url="https://x.test/a",
        verdict=Verdict.DEAD,
        status=410,
        locations=(Location("a.yaml", 5, 9, entry="a"), Location("b.yaml", 7, 3, entry="b")),
    )
    ok = LinkResult(url="https://x.test/ok", verdict=Verdict.OK, locations=link.locations)
    report = Report(links=[link, ok])
    # Only b.yaml's place has a finding (a.yaml waived it): one annotation, nothing
    # made up from the link result.
    report.add(Finding("link-dead", "gone", "b.yaml", 7, 3, "b", evidence={"url": link.url}))
    assert GithubReporter().format(report) == (
        "::error file=b.yaml,line=7,col=3,title=link-dead (b)::gone\n"
    )


def test_an_outage_is_one_notice() -> None:
    report = Report(
        links=[LinkResult("https://x.test/a", Verdict.ERROR, error="unknown host")],
        network_unavailable="Network unavailable: none of the 1 host could be reached.",
    )
    assert GithubReporter().format(report) == (
        "::notice title=validator::Network unavailable: none of the 1 host could be reached.\n"
    )
