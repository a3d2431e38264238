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

Failures are read from the report's findings only (waived ones are not there): a link
finding counts only after ``fail_after`` consecutive failing runs (from the crawler's
history in its evidence), so a flaky host does not open issues; error findings of
other rules count at once. A run that could reach no network at all changes nothing: it
says nothing about the links. Bodies stay under GitHub's 65,536-character limit:
rows are cut on a line boundary at a 60,000 budget, counted in UTF-16 code units as
GitHub counts them (not Python code points), with a count and a link to the full
report artifact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import typing as t

from validator import __version__
from validator.escape import failure_age, file_link, md_text
from validator.findings import Verdict
from validator.github.api import GitHubClient, Issue
from validator.rulebook import RULES

MARKER = "<!-- validator-report:v1 -->"
BODY_LIMIT = 65_536
BODY_BUDGET = 60_000
"""Characters we allow ourselves, counted as GitHub does: in UTF-16 code units."""
DEFAULT_LABEL = "catalog-report"
DEFAULT_TITLE = "Catalog report: failing links and checks"
LABEL_COLOR = "b60205"
LABEL_DESCRIPTION = "Nightly catalog report, kept up to date by `validator issue sync`"
KEYS_BUDGET = 30_000
"""Room for the hidden key list; beyond it only the digest decides what changed."""

_FAILING = frozenset(v.value for v in Verdict if v.is_failure)

_KEYS_RE = re.compile(r"<!-- validator-failures: ([0-9a-f ]*) -->")
_DIGEST_RE = re.compile(r"<!-- validator-digest: ([0-9a-f]+) -->")


class ReportError(Exception):
    """The report file is not a validator JSON report (version 1): one line."""


@dataclasses.dataclass(frozen=True)
class Failure:
    """One thing that needs a maintainer: a failing link or an error finding."""

    key: str
    kind: t.Literal["link", "finding"]
    what: str
    """The URL of a link, the rule id of a finding."""
    message: str
    file: str
    line: int
    entry: str | None
    first_failed: str | None = None
    runs: int | None = None

    @property
    def short_key(self) -> str:
        """What the body stores: a short hash, safe inside an HTML comment."""
        return hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:12]


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


def _int(value: t.Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _dict(value: t.Any) -> dict[str, t.Any]:
    return value if isinstance(value, dict) else {}


def _str(value: t.Any) -> str | None:
    return value if isinstance(value, str) else None


def _link_failure(
    f: dict[str, t.Any], errors: t.Mapping[str, t.Any], fail_after: int
) -> Failure | None:
    """The failure a link finding stands for, when its link failed long enough."""
    evidence = _dict(f.get("evidence"))
    url, verdict = evidence.get("url"), evidence.get("verdict")
    if not isinstance(url, str) or verdict not in _FAILING:
        return None
    history = _dict(evidence.get("history"))
    runs = _int(history.get("consecutive_failures"))
    # No history (no cache) means this run is the only one we know of.
    if (runs or 1) < fail_after:
        return None
    status = _int(evidence.get("status"))
    message = str(verdict) + (f" (HTTP {status})" if status is not None else "")
    if _str(errors.get(url)):
        message += f": {errors[url]}"
    return Failure(
        key=f"link {url}",
        kind="link",
        what=url,
        message=message,
        file=str(f.get("file", "")),
        line=_int(f.get("line")) or 0,
        entry=_str(f.get("entry")),
        first_failed=_str(history.get("first_failed")),
        runs=runs,
    )


def _check_failure(f: dict[str, t.Any]) -> Failure | None:
    """The failure an error finding of any other rule stands for."""
    if f.get("severity") != "error":
        return None
    rule, file = str(f.get("rule", "")), str(f.get("file", ""))
    entry = _str(f.get("entry"))
    where = _str(f.get("path")) or str(f.get("message", ""))
    return Failure(
        key=f"finding {rule} {file} {entry or ''} {where}",
        kind="finding",
        what=rule,
        message=str(f.get("message", "")),
        file=file,
        line=_int(f.get("line")) or 0,
        entry=entry,
    )


def load_failures(report: t.Mapping[str, t.Any], *, fail_after: int) -> list[Failure]:
    """Failures that count, read from the report's findings alone.

    A finding of a link rule whose link failed counts once per URL (at its first
    place) after ``fail_after`` failing runs; any other finding counts when it is an
    error. Waived findings are not in the report, so they never open an issue; the
    ``links`` list is only read for the error text of a failing link.
    """
    if not isinstance(report, dict) or report.get("version") != 1:
        raise ReportError("not a validator JSON report (version 1)")
    findings, links = report.get("findings"), report.get("links")
    if not isinstance(findings, list) or not (links is None or isinstance(links, list)):
        raise ReportError("report has no findings list")
    errors: dict[str, t.Any] = {
        str(link.get("url")): link.get("error") for link in links or [] if isinstance(link, dict)
    }
    failures: dict[str, Failure] = {}
    for f in findings:
        if not isinstance(f, dict):
            raise ReportError("report has a finding that is not an object")
        rule = RULES.get(str(f.get("rule", "")))
        if rule is not None and rule.family == "links":
            failure = _link_failure(f, errors, fail_after)
        else:
            failure = _check_failure(f)
        if failure is not None:
            failures.setdefault(failure.key, failure)
    return sorted(failures.values(), key=lambda x: (x.kind, x.file, x.line, x.key))


def digest(failures: t.Iterable[Failure]) -> str:
    """A fingerprint of the whole failure set (order-independent)."""
    keys = "\n".join(sorted({f.key for f in failures}))
    return hashlib.sha256(keys.encode("utf-8")).hexdigest()[:16]


def previous_keys(body: str) -> tuple[set[str], str | None]:
    """Short keys and digest stored in an issue body by an earlier run."""
    keys = _KEYS_RE.search(body)
    found = _DIGEST_RE.search(body)
    return (set(keys.group(1).split()) if keys else set(), found.group(1) if found else None)


def utf16_length(text: str) -> int:
    """``text``'s length as GitHub counts it (JavaScript ``length``: UTF-16 code units).

    Python's ``len()`` counts code points, so an astral character (emoji, rare CJK)
    is one for Python and two for GitHub's 65,536-character body limit.
    """
    return len(text.encode("utf-16-le")) // 2


def _age(f: Failure) -> str:
    return failure_age(f.first_failed, f.runs)


def _where(f: Failure, blob_base_url: str | None) -> str:
    if not f.file:
        return "-"
    label = f"{md_text(f.file)}:{f.line}" if f.line else md_text(f.file)
    entry = f" `{md_text(f.entry)}`" if f.entry else ""
    return f"[{label}]({file_link(f.file, f.line, blob_base_url)}){entry}"


def render_body(
    failures: t.Sequence[Failure],
    new: t.Collection[str],
    *,
    today: str,
    fail_after: int,
    blob_base_url: str | None = None,
    artifact_url: str | None = None,
    budget: int = BODY_BUDGET,
) -> str:
    """The issue body: marker, hidden keys, counts, then rows cut to ``budget``."""
    keys = " ".join(sorted({f.short_key for f in failures}))
    if len(keys) > KEYS_BUDGET:
        keys = keys[: keys.rfind(" ", 0, KEYS_BUDGET)]
    n_new = sum(1 for f in failures if f.key in new)
    head = [
        MARKER,
        f"<!-- validator-failures: {keys} -->",
        f"<!-- validator-digest: {digest(failures)} -->",
        f"## Catalog report: {len(failures)} failure{'s' if len(failures) != 1 else ''}",
        "",
        f"Updated {today} by validator {__version__}: **{n_new} new**, "
        f"{len(failures) - n_new} persisting. A link counts after {fail_after} consecutive "
        "failing run" + ("s." if fail_after != 1 else "."),
    ]
    if artifact_url:
        head += [
            "",
            f"Full report: {artifact_url} (open `report.html` for link health by host "
            "and the failing links per night)",
        ]
    head.append("")

    def mark(f: Failure) -> str:
        return "**new**" if f.key in new else ""

    # New ones first: they are what a reader opens the issue for.
    ordered = sorted(failures, key=lambda f: f.key not in new)
    sections: list[tuple[list[str], list[str]]] = [
        (
            [
                "### Failing links",
                "",
                "| | URL | problem | where | failing since |",
                "|---|---|---|---|---|",
            ],
            [
                f"| {mark(f)} | {md_text(f.what)} | {md_text(f.message)} | "
                f"{_where(f, blob_base_url)} | {_age(f)} |"
                for f in ordered
                if f.kind == "link"
            ],
        ),
        (
            ["### Failing checks", "", "| | rule | where | message |", "|---|---|---|---|"],
            [
                f"| {mark(f)} | `{md_text(f.what)}` | {_where(f, blob_base_url)} "
                f"| {md_text(f.message)} |"
                for f in ordered
                if f.kind == "finding"
            ],
        ),
    ]
    see = f"see the full report: {artifact_url}" if artifact_url else "see the workflow run"
    # Keep room for the closing note, whatever the count.
    note_room = utf16_length(f"\n_Truncated: 9999999 more failures not shown; {see}._\n")
    lines = list(head)
    size = sum(utf16_length(x) + 1 for x in lines)
    shown = 0
    room = True
    for header, rows in sections:
        if not rows or not room:
            continue
        block_size = sum(utf16_length(x) + 1 for x in header)
        if size + block_size + note_room > budget:
            room = False
            continue
        lines.extend(header)
        size += block_size
        for row in rows:
            row_size = utf16_length(row) + 1
            if size + row_size + note_room > budget:
                room = False
                break
            lines.append(row)
            size += row_size
            shown += 1
        lines.append("")
        size += 1
    if shown < len(failures):
        lines.append(f"_Truncated: {len(failures) - shown} more failures not shown; {see}._")
    return "\n".join(lines).rstrip("\n") + "\n"


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
    summary = _dict(report.get("summary"))
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
    number = _int(issue.get("number")) if issue else None
    url = _str(issue.get("html_url")) if issue else None
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
        number, url = _int(created.get("number")), _str(created.get("html_url"))
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
