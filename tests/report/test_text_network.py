"""Offline runs say so once, instead of listing every link as failing."""

from validator.findings import Finding, LinkResult, Location, Report, Severity, Verdict
from validator.report import get_reporter
from validator.report.text import TextReporter

from .conftest import link_findings


def test_network_unavailable_is_one_sentence_not_a_list_of_links() -> None:
    report = Report(
        links=[LinkResult("https://example.org/a", Verdict.ERROR, error="unknown host")],
        files_checked=1,
        entries_checked=1,
        network_unavailable="Network unavailable: none of the 1 hosts could be reached.",
    )
    assert get_reporter("text").format(report) == (
        "0 errors, 0 warnings, 0 infos in 1 file (1 entry); links not judged. "
        "Network unavailable: none of the 1 hosts could be reached.\n"
    )


def test_links_with_findings_are_listed_with_status_and_target() -> None:
    place = (Location("a.yaml", 3, 5, "a"),)
    old = LinkResult(
        "https://example.org/old",
        Verdict.REDIRECTED,
        301,
        "https://example.org/new",
        locations=place,
    )
    gone = LinkResult("https://example.org/gone", Verdict.DEAD, 404, locations=place)
    waived = LinkResult("https://example.org/waived", Verdict.DEAD, 404, locations=place)
    report = Report(
        links=[LinkResult("https://example.org/ok", Verdict.OK, status=200), old, gone, waived],
        files_checked=1,
        entries_checked=1,
        waived=1,
    )
    report.extend(link_findings(old, "moved") + link_findings(gone, "gone"))
    assert get_reporter("text").format(report) == (
        "a.yaml\n"
        "  3:5      error   link-dead [a]: gone\n"
        "  3:5      warning link-redirected [a]: moved\n"
        "\n"
        "links\n"
        "  dead             404 https://example.org/gone\n"
        "  redirected       301 https://example.org/old -> https://example.org/new\n"
        "\n"
        "1 error, 1 warning, 0 infos in 1 file (1 entry), 1 waived; 4 links checked, 1 failing\n"
    )


def test_untrusted_text_cannot_start_a_workflow_command_or_paint_the_terminal() -> None:
    # Catalog text (file names, quoted values, URLs) and server errors come from pull
    # requests and remote hosts: a raw newline would let them start a line such as
    # "::stop-commands::x" (silencing every annotation after it) on the same stdout
    # the runner reads commands from, and ESC would drive the reader's terminal.
    evil = "\n::stop-commands::t0k\r\n::error file=x::fake\x1b[2J\u2028\x85"
    report = Report(files_checked=1, entries_checked=1)
    report.add(
        Finding(
            "r",
            f"value {evil}",
            f"cat/a{evil}.yaml",
            3,
            1,
            f"e{evil}",
            evil,
            override=Severity.ERROR,
        )
    )
    report.links = [
        LinkResult(
            "https://x.test/a",
            Verdict.ERROR,
            final_url=f"https://x.test/b{evil}",
            error=f"boom{evil}",
        )
    ]
    out = TextReporter(color=True).format(report)
    for line in out.splitlines():
        assert not line.lstrip().startswith("::"), line
    assert "\x1b[2J" not in out and "\u2028" not in out and "\x85" not in out
    assert "value \\n::stop-commands::t0k\\r\\n::error file=x::fake\\x1b[2J\\u2028\\x85" in out
