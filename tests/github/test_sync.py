"""Nightly report issue scenarios against the fake GitHub API on loopback."""

from __future__ import annotations

import dataclasses
import typing as t

import httpx
import pytest

from validator import USER_AGENT
from validator.findings import Finding, LinkHistory, LinkResult, Location, Report, Verdict
from validator.github.api import GitHubAPIError, GitHubClient
from validator.github.sync import (
    BODY_BUDGET,
    BODY_LIMIT,
    MARKER,
    ReportError,
    load_failures,
    sync,
)
from validator.report.json import report_to_dict

from ..report.conftest import link_findings
from ..tls import verifying
from .conftest import Clock
from .fakeapi import FakeGitHub

LABEL = "catalog-report"
FILE = "catalog/models/language/mpt-7b.yaml"


def dead(
    url: str, runs: int, line: int = 30, first: str = "2026-11-25T02:00:00+00:00"
) -> LinkResult:
    return LinkResult(
        url=url,
        verdict=Verdict.DEAD,
        status=404,
        locations=(Location(FILE, line, 9, entry="mpt-7b", field="paper"),),
        history=LinkHistory(
            first_failed=first,
            consecutive_failures=runs,
            last_checked="2026-11-28T02:00:00+00:00",
        ),
    )


def night(*links: LinkResult, error: bool = True) -> dict[str, t.Any]:
    """A nightly JSON report: each failing link with its finding, as a crawl makes them."""
    report = Report(files_checked=1, entries_checked=1, links=list(links))
    for link in links:
        report.extend(link_findings(link, f"dead link {link.url}"))
    if error:
        report.add(
            Finding(
                "license-unknown",
                "unknown license id 'x'",
                FILE,
                12,
                5,
                entry="mpt-7b",
                path="$.licenses[0]",
            )
        )
    report.add(Finding("release-date-vs-url", "dates differ", FILE, 4, 1, "mpt-7b"))
    return report_to_dict(report)


def run(client: GitHubClient, report: dict[str, t.Any], **kw: t.Any) -> t.Any:
    kw.setdefault("fail_after", 3)
    kw.setdefault("today", "2026-11-28")
    kw.setdefault("echo", lambda _line: None)
    return sync(client, report, label=LABEL, title="Catalog report", **kw)


def test_first_failing_night_creates_one_issue_and_the_label(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    result = run(client, night(dead("https://x.test/gone", 3), dead("https://x.test/flaky", 1)))
    assert result.action == "create" and result.number == 1
    assert [(c.method, c.path) for c in fake.writes()] == [
        ("POST", "/repos/octo/catalog/labels"),
        ("POST", "/repos/octo/catalog/issues"),
    ]
    assert fake.labels[LABEL]["color"] == "b60205"
    (issue,) = fake.open_issues()
    assert issue["title"] == "Catalog report" and issue["labels"] == [{"name": LABEL}]
    body = issue["body"]
    assert body.startswith(MARKER)
    assert "## Catalog report: 2 failures" in body
    assert "https://x.test/gone" in body and "2026-11-25 (3 runs)" in body
    # A link failing for fewer than --fail-after runs is flaky, not a failure.
    assert "flaky" not in body
    assert "`license-unknown`" in body and "dates differ" not in body
    listed = next(c for c in fake.calls if c.path.endswith("/issues"))
    headers = {k.lower(): v for k, v in listed.headers.items()}
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"
    assert headers["user-agent"] == USER_AGENT
    assert headers["authorization"] == "Bearer test-token"
    assert listed.query["labels"] == [LABEL] and listed.query["state"] == ["open"]


def test_existing_label_is_not_created_again(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.labels[LABEL] = {"name": LABEL}
    run(client, night())
    assert [c.path for c in fake.writes()] == ["/repos/octo/catalog/issues"]


def test_second_night_with_the_same_failures_changes_nothing(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    run(client, night(dead("https://x.test/gone", 3)))
    before = len(fake.writes())
    # Another night: ages grow, the set of failures does not.
    result = run(client, night(dead("https://x.test/gone", 4)), today="2026-11-29")
    assert result.action == "none" and result.number == 1
    assert len(fake.writes()) == before


def test_a_new_failure_updates_the_body_and_is_marked_new(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    run(client, night(dead("https://x.test/gone", 3)))
    result = run(
        client,
        night(
            dead("https://x.test/gone", 4),
            dead("https://x.test/newly", 3, line=40, first="2026-11-27T02:00:00+00:00"),
        ),
        today="2026-11-29",
    )
    assert result.action == "update"
    writes = fake.writes()[-2:]
    assert [(c.method, c.path) for c in writes] == [
        ("PATCH", "/repos/octo/catalog/issues/1"),
        ("POST", "/repos/octo/catalog/issues/1/comments"),
    ]
    assert set(writes[0].body) == {"body"}  # labels untouched
    rows = [line for line in fake.issues[1]["body"].splitlines() if line.startswith("| ")]
    newly = next(r for r in rows if "x.test/newly" in r)
    gone = next(r for r in rows if "x.test/gone" in r)
    assert newly.startswith("| **new** |") and "2026-11-27 (3 runs)" in newly
    assert gone.startswith("|  |") and "2026-11-25 (4 runs)" in gone
    assert "[catalog/models/language/mpt-7b.yaml:40](" in newly
    assert fake.comments[1] == [
        "1 new failure on 2026-11-29 (3 in total): see the updated description."
    ]


def test_a_clean_night_closes_the_issue_with_a_comment(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    run(client, night(dead("https://x.test/gone", 3)))
    result = run(client, night(error=False), today="2026-11-30")
    assert result.action == "close"
    assert fake.issues[1]["state"] == "closed"
    assert fake.issues[1]["state_reason"] == "completed"
    assert fake.comments[1] == [
        "All clear on 2026-11-30: no failing links or checks left. Closing."
    ]
    # And a further clean night does nothing.
    before = len(fake.calls)
    assert run(client, night(error=False)).action == "none"
    assert len(fake.writes()) == 4 and len(fake.calls) == before + 2  # GET /user, list


def test_flaky_links_alone_do_not_open_an_issue(fake: FakeGitHub, client: GitHubClient) -> None:
    assert run(client, night(dead("https://x.test/flaky", 2), error=False)).action == "none"
    assert fake.writes() == []


def test_network_unavailable_changes_nothing(fake: FakeGitHub, client: GitHubClient) -> None:
    run(client, night(dead("https://x.test/gone", 3)))
    report = night(error=False)
    report["summary"]["network_unavailable"] = "no DNS"
    assert run(client, report).action == "none"
    assert fake.issues[1]["state"] == "open"


def test_a_very_long_report_is_truncated_under_the_limit(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    links = [dead(f"https://x.test/{'long-path-' * 8}{i}", 5, line=i + 1) for i in range(2000)]
    result = run(client, night(*links), artifact_url="https://github.test/run/1#artifacts")
    assert result.action == "create"
    body = fake.issues[1]["body"]
    assert len(body) < BODY_LIMIT and len(body.encode("utf-16-le")) // 2 < BODY_LIMIT
    last = body.rstrip("\n").splitlines()[-1]
    shown = sum(1 for line in body.splitlines() if line.startswith("| ") and "x.test" in line)
    assert 0 < shown < 2000
    # 2000 links and the license finding: what is not shown is counted.
    assert last == (
        f"_Truncated: {2001 - shown} more failures not shown; "
        "see the full report: https://github.test/run/1#artifacts._"
    )
    # The hidden key list still covers every failure, so the next night compares fully.
    assert run(client, night(*links)).action == "none"


def test_a_rate_limited_call_is_retried_after_the_wait(
    fake: FakeGitHub, client: GitHubClient, clock: Clock
) -> None:
    fake.fail_next(
        "GET",
        r"/repos/octo/catalog/issues",
        403,
        {"retry-after": "7"},
        {
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
            "before you try again.",
            "documentation_url": "https://docs.github.com",
        },
    )
    assert run(client, night()).action == "create"
    assert clock.sleeps[0] == 7.0
    assert [c.method for c in fake.calls[:2]] == ["GET", "GET"]


def test_primary_limit_waits_for_the_reset(
    fake: FakeGitHub, client: GitHubClient, clock: Clock
) -> None:
    reset = int(clock.now) + 30
    fake.fail_next(
        "GET",
        r".*/issues",
        403,
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
        {"message": "API rate limit exceeded"},
    )
    run(client, night())
    assert clock.sleeps[0] == pytest.approx(31.0)


def test_waits_beyond_the_cap_fail_instead(
    fake: FakeGitHub, client: GitHubClient, clock: Clock
) -> None:
    fake.fail_next("GET", r".*/issues", 429, {"retry-after": "3600"}, {"message": "slow down"})
    with pytest.raises(GitHubAPIError, match="^list issues: HTTP 429: rate limited for 3600s"):
        run(client, night())
    assert clock.sleeps == []


@pytest.mark.parametrize("status", [401, 404, 422])
def test_never_retries_what_cannot_change(
    fake: FakeGitHub, client: GitHubClient, status: int
) -> None:
    fake.fail_next("POST", r".*/issues", status, {"retry-after": "1"}, {"message": "no"})
    with pytest.raises(GitHubAPIError) as info:
        run(client, night())
    assert (info.value.call, info.value.status) == ("create issue", status)
    assert sum(1 for c in fake.calls if c.method == "POST" and c.path.endswith("/issues")) == 1


def test_server_errors_are_retried_a_limited_number_of_times(
    fake: FakeGitHub, client: GitHubClient, clock: Clock
) -> None:
    for _ in range(3):
        fake.fail_next("GET", r".*/issues", 502, {}, {"message": "Server Error"})
    with pytest.raises(GitHubAPIError, match="HTTP 502"):
        run(client, night())
    assert clock.sleeps == [2.0, 4.0]


def test_wrong_token_is_one_clear_error(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.token = "other"
    with pytest.raises(GitHubAPIError) as info:
        run(client, night())
    assert str(info.value) == "list issues: HTTP 401: Requires authentication"


def test_dry_run_writes_nothing(fake: FakeGitHub, client: GitHubClient) -> None:
    lines: list[str] = []
    result = run(client, night(dead("https://x.test/gone", 3)), dry_run=True, echo=lines.append)
    assert result.action == "create"
    assert fake.writes() == []
    assert lines[0] == "dry run: create (2 failures and no open report issue)"
    assert lines[1] == "would create label 'catalog-report'"
    assert lines[2].startswith(MARKER)


def test_finds_the_issue_on_a_later_page_and_skips_pull_requests(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.add_issue("PR", f"{MARKER} not an issue", [LABEL], pull_request=True)
    for i in range(120):
        fake.add_issue(f"other {i}", "no marker", [LABEL])
    run(client, night())
    ours = fake.issues[max(fake.issues)]
    result = run(client, night(dead("https://x.test/gone", 3)))
    assert (result.action, result.number) == ("update", ours["number"])
    lists = [c for c in fake.calls if c.method == "GET" and c.path.endswith("/issues")]
    assert [c.query.get("page") for c in lists[-2:]] == [None, ["2"]]


def test_duplicate_report_issues_are_closed(fake: FakeGitHub, client: GitHubClient) -> None:
    first = fake.add_issue("Catalog report", f"{MARKER}\nold", [LABEL])
    second = fake.add_issue("Catalog report", f"{MARKER}\nold", [LABEL])
    result = run(client, night())
    assert result.number == first["number"]
    assert second["state"] == "closed" and second["state_reason"] == "duplicate"


def test_a_bad_report_is_a_report_error() -> None:
    with pytest.raises(ReportError):
        load_failures({"version": 2}, fail_after=1)
    with pytest.raises(ReportError):
        load_failures({"version": 1, "findings": "x", "links": None}, fail_after=1)


def test_a_link_counts_once_however_many_places_cite_it() -> None:
    link = dead("https://x.test/gone", 1)
    link = dataclasses.replace(link, locations=(*link.locations, Location(FILE, 50, 9, "mpt-7b")))
    report = night(link, error=False)
    assert len(report["findings"]) == 3  # two places of the link, one warning
    assert load_failures(report, fail_after=3) == []
    (failure,) = load_failures(report, fail_after=1)
    assert (failure.what, failure.line, failure.message) == (
        "https://x.test/gone",
        30,
        "dead (HTTP 404)",
    )


def test_a_waived_link_opens_no_issue(fake: FakeGitHub, client: GitHubClient) -> None:
    # The link failed, but its finding was waived: it is in `links`, not in `findings`.
    report = night(error=False)
    report["links"] = [dead("https://x.test/gone", 5).to_dict()]
    assert load_failures(report, fail_after=1) == []
    assert run(client, report).action == "none" and fake.writes() == []


def test_the_body_limit_is_counted_in_utf16_units_as_github_does(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    # Astral characters (emoji, CJK extension B...) are one code point in Python but
    # two UTF-16 code units in GitHub's count: 60,000 code points can be 120,000 units.
    links = [dead(f"https://x.test/{'😀' * 40}{i}", 5, line=i + 1) for i in range(2000)]
    result = run(client, night(*links), artifact_url="https://github.test/run/1#artifacts")
    assert result.action == "create"
    body = fake.issues[1]["body"]
    assert len(body.encode("utf-16-le")) // 2 <= BODY_BUDGET
    assert body.rstrip("\n").splitlines()[-1].startswith("_Truncated: ")


def test_a_label_created_meanwhile_is_not_an_error(fake: FakeGitHub, client: GitHubClient) -> None:
    # Another run (or a maintainer) creates the label between our GET (404) and POST:
    # GitHub answers 422 already_exists, and the issue must still be created.
    fake.fail_next(
        "POST",
        r".*/labels",
        422,
        {},
        {
            "message": "Validation Failed",
            "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}],
            "documentation_url": "https://docs.github.com/rest/issues/labels#create-a-label",
        },
    )
    result = run(client, night())
    assert result.action == "create"
    assert [(c.method, c.path) for c in fake.writes()] == [
        ("POST", "/repos/octo/catalog/labels"),
        ("POST", "/repos/octo/catalog/issues"),
    ]


def test_other_label_validation_errors_still_fail(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.fail_next(
        "POST",
        r".*/labels",
        422,
        {},
        {
            "message": "Validation Failed",
            "errors": [{"resource": "Label", "code": "invalid", "field": "color"}],
        },
    )
    with pytest.raises(GitHubAPIError, match="^create label: HTTP 422"):
        run(client, night())
    assert fake.open_issues() == []


class _LoseFirstAnswer(httpx.BaseTransport):
    """Deliver every request, but lose the answer to the first one matching ``method``."""

    def __init__(self, method: str) -> None:
        self.inner = httpx.HTTPTransport()
        self.method = method
        self.lost = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method == self.method and not self.lost:
            self.lost = True
            response.read()
            raise httpx.ReadTimeout("timed out reading the answer", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def test_a_create_whose_answer_was_lost_is_not_sent_twice(fake: FakeGitHub, clock: Clock) -> None:
    # The POST reached GitHub (the issue exists) but the answer timed out: sending it
    # again would open a second report issue, so the sync lists and finds it instead.
    fake.labels[LABEL] = {"name": LABEL}
    transport = _LoseFirstAnswer("POST")
    with httpx.Client(transport=transport, timeout=5.0) as http:
        client = GitHubClient(
            fake.repo, token=fake.token, api_url=fake.url, client=http, sleep=clock.sleep
        )
        result = run(client, night())
    assert (result.action, result.number) == ("create", 1)
    assert len(fake.issues) == 1
    assert sum(1 for c in fake.calls if c.method == "POST" and c.path.endswith("/issues")) == 1


def test_a_connection_that_failed_before_sending_is_retried(fake: FakeGitHub, clock: Clock) -> None:
    class RefuseFirst(httpx.BaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.HTTPTransport()
            self.refused = False

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "POST" and not self.refused:
                self.refused = True
                raise httpx.ConnectError("connection refused", request=request)
            return self.inner.handle_request(request)

        def close(self) -> None:
            self.inner.close()

    fake.labels[LABEL] = {"name": LABEL}
    with httpx.Client(transport=RefuseFirst(), timeout=5.0) as http:
        client = GitHubClient(
            fake.repo, token=fake.token, api_url=fake.url, client=http, sleep=clock.sleep
        )
        assert run(client, night()).action == "create"
    assert len(fake.issues) == 1


def test_github_enterprise_api_url_with_a_path_prefix(clock: Clock) -> None:
    # GHES sets GITHUB_API_URL=https://HOST/api/v3: every call, and the pagination
    # links, must keep the prefix.
    fake = FakeGitHub(api_path="/api/v3").start()
    try:
        for i in range(120):
            fake.add_issue(f"other {i}", "no marker", [LABEL])
        with httpx.Client(timeout=5.0, verify=verifying()) as http:
            client = GitHubClient(
                fake.repo, token=fake.token, api_url=fake.url + "/", client=http, sleep=clock.sleep
            )
            assert run(client, night()).action == "create"
            assert run(client, night()).action == "none"
        assert all(
            c.path.startswith("/api/v3/repos/octo/catalog/") or c.path == "/api/v3/user"
            for c in fake.calls
        )
        assert any(c.query.get("page") == ["2"] for c in fake.calls)
    finally:
        fake.stop()
