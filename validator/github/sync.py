"""The nightly report issue: exactly one open issue that tracks what is broken.

Link rot is noisy, so the nightly job keeps one issue rather than opening a new one
every night (what lychee's documented example does). The issue is found by what a
user cannot forge by quoting: the hidden marker at the very start of its body, the
label, and its author being the account that syncs (:func:`is_report_issue`); an
issue that merely quotes the marker is never touched. Creating is idempotent: after a
5xx or a lost answer the sync lists again before creating, and closes any duplicate
it made itself (:func:`create_once`). The body
also carries a hidden list of failure keys, so the next run can tell new failures from
persistent ones, and a digest of the full set, so an unchanged night writes nothing.

* failures, no issue       → create it (creating the label first if missing);
* failures changed         → rewrite the body, new ones marked **new**, and comment
                             when there are new ones (a body edit notifies nobody);
* nothing changed          → no write at all;
* clean, issue open        → comment and close it as completed;
* clean, no issue          → nothing.

Which failures count is :mod:`validator.github.failures` (from the report's findings
only); the body is :mod:`validator.github.body`. A run that could reach no network at
all changes nothing: it says nothing about the links.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t

from validator.github.api import GitHubAPIError, GitHubClient, Issue
from validator.github.body import (
    BODY_BUDGET,
    BODY_LIMIT,
    MARKER,
    digest,
    previous_keys,
    render_body,
    utf16_length,
)
from validator.github.failures import (
    Failure,
    ReportError,
    json_dict,
    json_int,
    json_str,
    load_failures,
)

DEFAULT_LABEL = "catalog-report"
DEFAULT_TITLE = "Catalog report: failing links and checks"
LABEL_COLOR = "b60205"
LABEL_DESCRIPTION = "Nightly catalog report, kept up to date by `validator issue sync`"


@dataclasses.dataclass(frozen=True)
class Plan:
    """What sync will do, decided before any write (``--dry-run`` prints it)."""

    action: t.Literal["create", "update", "close", "none"]
    reason: str
    issue: Issue | None = None
    body: str | None = None
    comment: str | None = None
    failures: tuple[Failure, ...] = ()
    new: frozenset[str] = frozenset()


@dataclasses.dataclass(frozen=True)
class SyncResult:
    """What sync did."""

    action: str
    reason: str
    number: int | None = None
    url: str | None = None


def plan_sync(
    report: t.Mapping[str, t.Any],
    issue: Issue | None,
    *,
    fail_after: int,
    today: str,
    blob_base_url: str | None = None,
    artifact_url: str | None = None,
) -> Plan:
    """Decide the one action for this night, without touching GitHub."""
    summary = json_dict(report.get("summary"))
    failures = load_failures(report, fail_after=fail_after)
    if summary.get("network_unavailable"):
        reason = f"network unavailable in this run: {summary['network_unavailable']}"
        return Plan("none", reason, issue)
    if not failures:
        if issue is None:
            return Plan("none", "clean, and no report issue is open")
        closing = f"All clear on {today}: no failing links or checks left. Closing."
        return Plan("close", "clean: closing the report issue", issue, comment=closing)
    old_keys, old_digest = previous_keys(str(issue.get("body") or "")) if issue else (set(), None)
    if issue is not None and old_digest == digest(failures):
        reason = "failures unchanged since the last run"
        return Plan("none", reason, issue, failures=tuple(failures))
    new = frozenset(f.key for f in failures if f.short_key not in old_keys)
    body = render_body(
        failures,
        new,
        today=today,
        fail_after=fail_after,
        blob_base_url=blob_base_url,
        artifact_url=artifact_url,
    )
    n = len(failures)
    if issue is None:
        reason = f"{n} failure{'s' if n != 1 else ''} and no open report issue"
        return Plan("create", reason, None, body, None, tuple(failures), new)
    comment: str | None = None
    if new:
        plural = "s" if len(new) != 1 else ""
        comment = (
            f"{len(new)} new failure{plural} on {today} ({n} in total): "
            "see the updated description."
        )
    reason = f"failures changed: {len(new)} new, {n} in total"
    return Plan("update", reason, issue, body, comment, tuple(failures), new)


@dataclasses.dataclass(frozen=True)
class Author:
    """Who may have written the report issue: the token's own login when GitHub says
    it, else a bot account (the Actions ``GITHUB_TOKEN`` writes as
    ``github-actions[bot]``, and no person can write as a bot)."""

    login: str | None

    def wrote(self, issue: Issue) -> bool:
        """Whether ``issue`` was opened by this account."""
        user = issue.get("user")
        if not isinstance(user, dict):
            return False
        if self.login is not None:
            return bool(user.get("login") == self.login)
        return user.get("type") == "Bot"


def is_report_issue(issue: Issue, label: str, author: Author) -> bool:
    """The marker *starts* the body, the label is on it, and the syncing account wrote
    it: an issue that only quotes the marker, or a person's copy, is never ours."""
    body = str(issue.get("body") or "")
    labels = {str(x.get("name")) for x in issue.get("labels") or [] if isinstance(x, dict)}
    return body.startswith(MARKER) and label in labels and author.wrote(issue)


def find_report_issue(
    client: GitHubClient, label: str, author: Author
) -> tuple[Issue | None, list[Issue]]:
    """The oldest open report issue (see :func:`is_report_issue`), and any duplicates."""
    ours = [i for i in client.list_open_issues(label) if is_report_issue(i, label, author)]
    ours.sort(key=lambda i: int(i.get("number", 0)))
    return (ours[0] if ours else None), ours[1:]


def create_once(client: GitHubClient, title: str, body: str, label: str, author: Author) -> Issue:
    """Create the report issue without ever making two.

    GitHub sometimes creates the issue and then answers 5xx, or the answer is lost;
    the client then does not resend. Here we list again: the issue found is the one
    we made; only when none is there is the create sent once more.
    """
    try:
        return client.create_issue(title, body, [label])
    except GitHubAPIError as exc:
        if exc.status is not None and exc.status < 500:
            raise
        found, _ = find_report_issue(client, label, author)
        if found is not None:
            return found
        return client.create_issue(title, body, [label])


def sync(
    client: GitHubClient,
    report: t.Mapping[str, t.Any],
    *,
    label: str = DEFAULT_LABEL,
    title: str = DEFAULT_TITLE,
    fail_after: int = 1,
    artifact_url: str | None = None,
    blob_base_url: str | None = None,
    dry_run: bool = False,
    today: str | None = None,
    echo: t.Callable[[str], None] = print,
) -> SyncResult:
    """Bring the report issue in line with ``report``; with ``dry_run`` only say how."""
    day = today or dt.datetime.now(dt.UTC).date().isoformat()
    load_failures(report, fail_after=fail_after)  # a bad report fails before any call
    author = Author(client.viewer())
    issue, duplicates = find_report_issue(client, label, author)
    plan = plan_sync(
        report,
        issue,
        fail_after=fail_after,
        today=day,
        blob_base_url=blob_base_url,
        artifact_url=artifact_url,
    )
    number = json_int(issue.get("number")) if issue else None
    url = json_str(issue.get("html_url")) if issue else None
    if dry_run:
        _say_plan(client, plan, duplicates, label, echo)
        return SyncResult(plan.action, plan.reason, number, url)
    _close_duplicates(client, (issue, duplicates), number)
    if plan.action == "create":
        assert plan.body is not None
        if client.get_label(label) is None:
            client.create_label(label, color=LABEL_COLOR, description=LABEL_DESCRIPTION)
        created = create_once(client, title, plan.body, label, author)
        number, url = json_int(created.get("number")), json_str(created.get("html_url"))
        _close_duplicates(client, find_report_issue(client, label, author), number)
    elif number is not None:
        _update_or_close(client, plan, number)
    return SyncResult(plan.action, plan.reason, number, url)


def _say_plan(
    client: GitHubClient,
    plan: Plan,
    duplicates: t.Sequence[Issue],
    label: str,
    echo: t.Callable[[str], None],
) -> None:
    """``--dry-run``: what sync would do, and the body it would write."""
    echo(f"dry run: {plan.action} ({plan.reason})")
    for dup in duplicates:
        echo(f"would close duplicate issue #{dup.get('number')}")
    if plan.action == "create" and client.get_label(label) is None:
        echo(f"would create label {label!r}")
    if plan.comment:
        echo(f"would comment: {plan.comment}")
    if plan.body:
        echo(plan.body.rstrip("\n"))


def _update_or_close(client: GitHubClient, plan: Plan, number: int) -> None:
    """Apply an ``update`` (body, then a comment when there are new failures) or a
    ``close`` (comment, then close as completed); ``none`` writes nothing."""
    if plan.action == "update":
        assert plan.body is not None
        client.update_issue(number, body=plan.body)
        if plan.comment:
            client.comment(number, plan.comment)
    elif plan.action == "close":
        assert plan.comment is not None
        client.comment(number, plan.comment)
        client.update_issue(number, state="closed", state_reason="completed")


def _close_duplicates(
    client: GitHubClient, found: tuple[Issue | None, list[Issue]], keep: int | None
) -> None:
    """Close every report issue but ``keep`` (all are the syncing account's own)."""
    first, rest = found
    for dup in ([first] if first is not None else []) + rest:
        dup_number = int(dup["number"])
        if keep is None or dup_number == keep:
            continue
        client.comment(dup_number, f"Duplicate of #{keep}: one report issue is kept open.")
        client.update_issue(dup_number, state="closed", state_reason="duplicate")


__all__ = [
    "BODY_BUDGET",
    "BODY_LIMIT",
    "DEFAULT_LABEL",
    "DEFAULT_TITLE",
    "MARKER",
    "Failure",
    "Plan",
    "ReportError",
    "SyncResult",
    "load_failures",
    "plan_sync",
    "render_body",
    "sync",
    "utf16_length",
]
