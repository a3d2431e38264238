"""Terminal text: findings grouped by file, a one-line summary at the end.

Colour uses ANSI codes only when asked (the CLI asks when stdout is a terminal and
``NO_COLOR`` is unset), so the same reporter feeds CI logs and tests unchanged. Text
from catalog files and servers is printed with its control characters escaped (see
:func:`validator.escape.clean`), so it stays on its line and cannot issue workflow
commands. Problems are the findings; the ``links`` section shows the crawl's verdict for
each link that has a finding (and the skipped ones), never a link on its own account.
"""

from __future__ import annotations

import itertools

from validator.escape import clean, inert_lines
from validator.findings import LinkResult, Report, Severity, Verdict
from validator.report.base import Reporter

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
_VERDICT_COLORS = {
    Verdict.DEAD: "31",
    Verdict.ERROR: "31",
    Verdict.TIMEOUT: "31",
    Verdict.FRAGMENT_MISSING: "31",
    Verdict.REDIRECTED: "33",
    Verdict.BLOCKED: "36",
    Verdict.SKIPPED: "2",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class TextReporter(Reporter):
    """Human-readable report for terminals and CI logs."""

    name = "text"

    def _paint(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def format(self, report: Report) -> str:
        """Findings by file, then links needing attention, then the summary line."""
        lines: list[str] = []
        findings = report.sorted_findings()
        for file, group in itertools.groupby(findings, key=lambda f: f.file):
            lines.append(self._paint("1", clean(file)))
            for f in group:
                where = f"{f.line}:{f.column}" if f.line else "-"
                sev = self._paint(_COLORS[f.severity], f"{f.severity.label:<7}")
                entry = f" [{clean(f.entry)}]" if f.entry else ""
                lines.append(f"  {where:<8} {sev} {clean(f.rule)}{entry}: {clean(f.message)}")
                if f.hint:
                    lines.append(f"           hint: {clean(f.hint)}")
            lines.append("")
        if report.links and not report.network_unavailable:
            # Offline, every link failed the same way: the summary's one sentence says it.
            flagged = report.link_findings()
            lines.extend(
                self._links(
                    [r for r in report.links if r.url in flagged or r.verdict is Verdict.SKIPPED]
                )
            )
        lines.append(self._summary(report))
        return inert_lines("\n".join(lines) + "\n")

    def _links(self, links: list[LinkResult]) -> list[str]:
        shown = [r for r in sorted(links, key=lambda r: r.url) if r.verdict is not Verdict.OK]
        if not shown:
            return []
        out = ["links"]
        for r in shown:
            status = f" {r.status}" if r.status is not None else ""
            detail = f" -> {clean(r.final_url)}" if r.final_url and r.final_url != r.url else ""
            err = f" ({clean(r.error)})" if r.error else ""
            verdict = self._paint(_VERDICT_COLORS.get(r.verdict, "0"), f"{r.verdict.value:<16}")
            out.append(f"  {verdict}{status} {clean(r.url)}{detail}{err}")
        out.append("")
        return out

    def _summary(self, report: Report) -> str:
        parts = [
            _plural(report.count(Severity.ERROR), "error"),
            _plural(report.count(Severity.WARNING), "warning"),
            _plural(report.count(Severity.INFO), "info"),
        ]
        text = (
            f"{', '.join(parts)} in {_plural(report.files_checked, 'file')} "
            f"({_plural(report.entries_checked, 'entry').replace('entrys', 'entries')})"
        )
        if report.waived:
            text += f", {report.waived} waived"
        if report.network_unavailable:
            text += f"; links not judged. {clean(report.network_unavailable)}"
        elif report.links is not None:
            failing = len(report.failing_links())
            text += f"; {_plural(len(report.links), 'link')} checked, {failing} failing"
            if report.saved_requests:
                text += f" ({report.saved_requests} answered by the Hub check)"
        return text
