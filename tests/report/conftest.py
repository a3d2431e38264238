"""One hand-made report that every reporter test renders, so outputs stay comparable."""

from __future__ import annotations

import pytest

from validator.findings import Finding, LinkHistory, LinkResult, Location, Report, Severity, Verdict

MPT = "catalog/models/language/mpt-7b.yaml"
STARCODER = "catalog/models/code/starcoder.yaml"


def make_report() -> Report:
    """Findings of all three severities in three files, plus four checked links."""
    report = Report(files_checked=3, entries_checked=2)
    report.extend(
        [
            Finding(
                rule="license-unknown",
                severity=Severity.ERROR,
                message="license 'apache-3.0' is not defined in catalog/licenses.yaml",
                file=MPT,
                line=12,
                column=5,
                entry="mpt-7b",
                hint="did you mean 'apache-2.0'?",
                path="$.licenses[0]",
            ),
            Finding(
                rule="release-date-vs-url",
                severity=Severity.WARNING,
                message="release date 2023-05 is 23 months from 2021-06, the date in its "
                "paper/blog URL",
                file=MPT,
                line=4,
                column=11,
                entry="mpt-7b",
            ),
            Finding(
                rule="hub-context-mismatch",
                severity=Severity.ERROR,
                message="catalog says 4096, config.json says 8192 | n_positions",
                file=STARCODER,
                line=20,
                column=9,
                entry="starcoder",
                evidence={"catalog": 4096, "hub": 8192},
            ),
            Finding(
                rule="hub-repo-gated",
                severity=Severity.INFO,
                message="bigcode/starcoder is gated: its card was read, its files were not",
                file=STARCODER,
                line=8,
                column=5,
                entry="starcoder",
            ),
        ]
    )
    report.links = [
        LinkResult(
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
        ),
        LinkResult(
            url="https://example.com/ok",
            verdict=Verdict.OK,
            status=200,
            attempts=1,
            locations=(Location(STARCODER, 8, 10, entry="starcoder", field="checkpoint"),),
        ),
        LinkResult(
            url="https://example.net/moved",
            verdict=Verdict.REDIRECTED,
            status=301,
            final_url="https://example.net/new",
            locations=(Location(STARCODER, 14, 10, entry="starcoder", field="paper"),),
        ),
        LinkResult(
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
        ),
    ]
    return report


@pytest.fixture
def report() -> Report:
    """A fresh copy of the shared report."""
    return make_report()
