"""One hand-made report that every reporter test renders, so outputs stay comparable.

Shaped like a real online run: every failing link also has its finding (as the crawl
makes them), and one redirected link was waived, so it has a verdict but no finding.
"""

from __future__ import annotations

import typing as t

import pytest

from validator.findings import Finding, LinkHistory, LinkResult, Location, Report, Verdict
from validator.links.verdicts import rule_for

MPT = "catalog/models/language/mpt-7b.yaml"
STARCODER = "catalog/models/code/starcoder.yaml"


def link_findings(link: LinkResult, message: str) -> list[Finding]:
    """The findings a crawl makes for ``link``: one per place, evidence as the crawl's."""
    evidence: dict[str, t.Any] = {
        "url": link.url,
        "verdict": link.verdict.value,
        "status": link.status,
    }
    if link.history:
        evidence["history"] = link.history.to_dict()
    return [
        Finding(
            str(rule_for(link.verdict)),
            message,
            loc.file,
            loc.line,
            loc.column,
            loc.entry,
            evidence=evidence,
        )
        for loc in link.locations
    ]


def make_report() -> Report:
    """Findings of all three severities in two files, plus four checked links."""
    report = Report(files_checked=3, entries_checked=2, waived=1)
    gone = LinkResult(
        url="https://example.org/gone",
        verdict=Verdict.DEAD,
        status=404,
        attempts=1,
        locations=(Location(MPT, 30, 12, entry="mpt-7b", field="paper"),),
        history=LinkHistory(
            first_failed="2026-11-25T02:00:00+00:00",
            consecutive_failures=4,
            last_checked="2026-11-28T02:00:00+00:00",
        ),
    )
    slow = LinkResult(
        url="https://example.org/slow",
        verdict=Verdict.TIMEOUT,
        error="read timeout after 20s",
        attempts=3,
        locations=(Location(STARCODER, 25, 9, entry="starcoder", field="try-it"),),
        history=LinkHistory(
            first_failed="2026-11-28T02:00:00+00:00",
            consecutive_failures=1,
            last_checked="2026-11-28T02:00:00+00:00",
        ),
    )
    report.extend(
        [
            Finding(
                rule="license-unknown",
                message="license 'apache-3.0' is not defined in catalog/licenses.yaml",
                file=MPT,
                line=12,
                column=5,
                entry="mpt-7b",
                hint="did you mean 'apache-2.0'?",
                path="$.licenses[0]",
            ),
            *link_findings(gone, "https://example.org/gone is dead (HTTP 404)"),
            *link_findings(slow, "https://example.org/slow timed out: read timeout after 20s"),
            Finding(
                rule="hub-repo-gated",
                message="bigcode/starcoder is gated: its card was read, its files "
                "(config.json | tokenizer) were not",
                file=STARCODER,
                line=8,
                column=5,
                entry="starcoder",
                evidence={"repo": "bigcode/starcoder"},
            ),
        ]
    )
    report.links = [
        gone,
        LinkResult(
            url="https://example.com/ok",
            verdict=Verdict.OK,
            status=200,
            attempts=1,
            locations=(Location(STARCODER, 8, 10, entry="starcoder", field="checkpoint"),),
        ),
        # Waived in its entry: a verdict in the inventory, no finding, in no format.
        LinkResult(
            url="https://example.net/moved",
            verdict=Verdict.REDIRECTED,
            status=301,
            final_url="https://example.net/new",
            locations=(Location(STARCODER, 14, 10, entry="starcoder", field="paper"),),
        ),
        slow,
    ]
    return report


@pytest.fixture
def report() -> Report:
    """A fresh copy of the shared report."""
    return make_report()
