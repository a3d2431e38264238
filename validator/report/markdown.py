"""GitHub-flavoured Markdown for people: job summaries, PR comments, the nightly issue.

Counts come first so a reader knows at a glance whether to scroll. Findings follow,
grouped by entry, each linking to its file line: with ``blob_base_url`` (for example
``https://github.com/OWNER/REPO/blob/SHA``, built from ``GITHUB_SERVER_URL``,
``GITHUB_REPOSITORY`` and ``GITHUB_SHA``) the links are absolute, else relative to the
repository root. Long groups fold into ``<details>`` so one broken entry cannot bury the
rest. Text from catalog files and servers is escaped (:mod:`validator.escape`) so it
cannot break the table or inject HTML. Problems come from the findings alone: the
failing-links table lists the links that still have a finding (waived ones do not),
and a network outage is one banner, not a list of links.
"""

from __future__ import annotations

import typing as t

from validator.escape import failure_age, file_link, md_code, md_text
from validator.findings import Finding, LinkResult, Report, Severity
from validator.report.base import Reporter

DETAILS_AFTER = 10
"""Items shown before the rest of a list folds into ``<details>``."""


def history_age(link: LinkResult) -> str:
    """``2026-11-20 (4 runs)`` from the crawler's failure history, or ``-``."""
    if link.history is None:
        return "-"
    return failure_age(link.history.first_failed, link.history.consecutive_failures)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


class MarkdownReporter(Reporter):
    """Counts, findings by entry with file-line links, and a table of failing links."""

    name = "markdown"

    def __init__(
        self, *, color: bool = False, blob_base_url: str | None = None, **options: t.Any
    ) -> None:
        super().__init__(color=color, **options)
        self.blob_base_url = blob_base_url

    def format(self, report: Report) -> str:
        """The whole report as GitHub-flavoured Markdown."""
        lines = ["## Catalog validation", ""]
        lines.extend(self._counts(report))
        findings = report.sorted_findings()
        flagged = report.link_findings()
        failing = report.failing_links()
        if not findings and not failing:
            lines.extend(["No findings.", ""])
        if findings:
            lines.extend(self._findings(findings))
        if failing:
            lines.extend(self._links(failing, flagged))
        return "\n".join(lines).rstrip("\n") + "\n"

    def _counts(self, report: Report) -> list[str]:
        heads = ["errors", "warnings", "infos", "files", "entries"]
        cells: list[int | str] = [
            report.count(Severity.ERROR),
            report.count(Severity.WARNING),
            report.count(Severity.INFO),
            report.files_checked,
            report.entries_checked,
        ]
        if report.network_unavailable:
            heads += ["links"]  # as the text summary says: an outage judged no link
            cells += ["not judged"]
        elif report.links is not None:
            heads += ["links checked", "links failing"]
            cells += [len(report.links), len(report.failing_links())]
        out = [
            "| " + " | ".join(heads) + " |",
            "|" + "---:|" * len(heads),
            "| " + " | ".join(str(c) for c in cells) + " |",
            "",
        ]
        if report.network_unavailable:
            out += [f"> **Notice:** {md_text(report.network_unavailable)}", ""]
        return out

    def _findings(self, findings: list[Finding]) -> list[str]:
        out = ["### Findings by entry", ""]
        groups: dict[tuple[str, str | None], list[Finding]] = {}
        for f in findings:
            groups.setdefault((f.file, f.entry), []).append(f)
        # Files in order; within a file, findings without an entry first, then entries.
        for (file, entry), items in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1] or "")):
            where = f"[{md_text(file)}]({file_link(file, 0, self.blob_base_url)})"
            title = f"{md_code(entry)} · {where}" if entry else where
            out += [f"#### {title}", ""]
            rendered = [self._finding(f) for f in items]
            out += self._folded(rendered, f"{len(items) - DETAILS_AFTER} more findings")
        return out

    def _finding(self, f: Finding) -> str:
        place = f"line {f.line}" if f.line > 0 else "file"
        link = file_link(f.file, f.line, self.blob_base_url)
        text = f"- **{f.severity.label}** `{f.rule}` at [{place}]({link}): {md_text(f.message)}"
        if f.hint:
            text += f"<br>hint: {md_text(f.hint)}"
        return text

    def _folded(self, items: list[str], summary: str) -> list[str]:
        if len(items) <= DETAILS_AFTER:
            return [*items, ""]
        return [
            *items[:DETAILS_AFTER],
            "",
            f"<details><summary>{summary}</summary>",
            "",
            *items[DETAILS_AFTER:],
            "",
            "</details>",
            "",
        ]

    def _links(self, failing: list[LinkResult], flagged: dict[str, list[Finding]]) -> list[str]:
        head = [
            "| verdict | URL | status | where | failing since |",
            "|---|---|---|---|---|",
        ]
        rows = [self._link_row(r, flagged[r.url]) for r in failing]
        out = ["### Failing links", ""]
        if len(rows) <= DETAILS_AFTER:
            return [*out, *head, *rows, ""]
        return [
            *out,
            f"<details><summary>{_plural(len(rows), 'failing link')}</summary>",
            "",
            *head,
            *rows,
            "",
            "</details>",
            "",
        ]

    def _link_row(self, r: LinkResult, findings: list[Finding]) -> str:
        # The places are the findings' (a waiver in one entry hides only that place).
        places = "<br>".join(
            f"[{md_text(f.file)}:{f.line}]({file_link(f.file, f.line, self.blob_base_url)})"
            + (f" {md_code(f.entry)}" if f.entry else "")
            for f in findings
        )
        parts = [str(r.status)] if r.status is not None else []
        if r.error:
            parts.append(md_text(r.error))
        status = " ".join(parts) or "-"
        return (
            f"| {r.verdict.value} | {md_text(r.url)} | {status} | {places or '-'} "
            f"| {history_age(r)} |"
        )
