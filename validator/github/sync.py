"""The nightly report issue: exactly one open issue that tracks what is broken.

Link rot is noisy, so the nightly job keeps one issue rather than opening a new one
every night (what lychee's documented example does). The issue is found by a label
*and* a hidden marker in its body (stable even when someone edits the title). The body
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

from validator.github.api import GitHubClient, Issue
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


def find_report_issue(client: GitHubClient, label: str) -> tuple[Issue | None, list[Issue]]:
    """The oldest open issue with ``label`` and the marker, and any duplicates."""
    ours = [i for i in client.list_open_issues(label) if MARKER in str(i.get("body") or "")]
    ours.sort(key=lambda i: int(i.get("number", 0)))
    return (ours[0] if ours else None), ours[1:]


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
    issue, duplicates = find_report_issue(client, label)
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
        echo(f"dry run: {plan.action} ({plan.reason})")
        for dup in duplicates:
            echo(f"would close duplicate issue #{dup.get('number')}")
        if plan.action == "create" and client.get_label(label) is None:
            echo(f"would create label {label!r}")
        if plan.comment:
            echo(f"would comment: {plan.comment}")
        if plan.body:
            echo(plan.body.rstrip("\n"))
        return SyncResult(plan.action, plan.reason, number, url)

    for dup in duplicates:
        dup_number = int(dup["number"])
        client.comment(dup_number, f"Duplicate of #{number}: one report issue is kept open.")
        client.update_issue(dup_number, state="closed", state_reason="duplicate")
    if plan.action == "create":
        assert plan.body is not None
        if client.get_label(label) is None:
            client.create_label(label, color=LABEL_COLOR, description=LABEL_DESCRIPTION)
        created = client.create_issue(title, plan.body, [label])
        number, url = json_int(created.get("number")), json_str(created.get("html_url"))
    elif plan.action == "update":
        assert plan.body is not None and number is not None
        client.update_issue(number, body=plan.body)
        if plan.comment:
            client.comment(number, plan.comment)
    elif plan.action == "close":
        assert number is not None and plan.comment is not None
        client.comment(number, plan.comment)
        client.update_issue(number, state="closed", state_reason="completed")
    return SyncResult(plan.action, plan.reason, number, url)


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
