"""Offline runs say so once, instead of listing every link as failing."""

from validator.findings import LinkResult, Report, Verdict
from validator.report import get_reporter


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


def test_links_needing_attention_are_listed_with_status_and_target() -> None:
    report = Report(
        links=[
            LinkResult("https://example.org/ok", Verdict.OK, status=200),
            LinkResult(
                "https://example.org/old", Verdict.REDIRECTED, 301, "https://example.org/new"
            ),
            LinkResult("https://example.org/gone", Verdict.DEAD, 404),
        ],
        files_checked=1,
        entries_checked=1,
    )
    assert get_reporter("text").format(report) == (
        "links\n"
        "  dead             404 https://example.org/gone\n"
        "  redirected       301 https://example.org/old -> https://example.org/new\n"
        "\n"
        "0 errors, 0 warnings, 0 infos in 1 file (1 entry); 3 links checked, 1 failing\n"
    )
