"""GitHub Actions workflow-command annotations: ``::error file=…,line=…::message``.

GitHub shows only 10 error, 10 warning and 10 notice annotations per step and drops the
rest silently (actions/toolkit ``docs/problem-matchers.md``), so this reporter chooses:
errors before warnings before notices, each in file order, at most ten per level, then
one ``::notice::`` that counts what was left out and points at the job summary.

Escaping follows actions/toolkit ``packages/core/src/command.ts`` exactly: ``%`` first
(so a literal ``%0A`` stays literal), then CR and LF; properties also escape ``:`` and
``,`` because those delimit the command. Everything printed here comes from catalog
files or remote servers, so nothing unescaped can start a new command line.
"""

from __future__ import annotations

import dataclasses
import typing as t

from validator.findings import Finding, LinkResult, Location, Report, Severity, Verdict
from validator.report.base import Reporter
from validator.rulebook import RULES

ANNOTATIONS_PER_LEVEL = 10
"""GitHub's per-step display limit for each of error, warning and notice."""

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a workflow-command message (the part after ``::``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow-command property value (``key=value``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing to show at one place: a finding, or a failing link at one location.

    Every reporter that places problems in files (annotations, SARIF, JUnit) reads
    them through :func:`problems`, so a dead link reported both as a finding and as a
    link result is shown once.
    """

    rule: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    entry: str | None
    hint: str | None = None
    link: LinkResult | None = None

    def sort_key(self) -> tuple[int, str, int, int, str, str]:
        """Most important first: severity, then file order."""
        return (-int(self.severity), self.file, self.line, self.column, self.rule, self.message)


def link_rule(link: LinkResult) -> str:
    """The rule id a failing link is reported under, e.g. ``link-dead``."""
    return f"link-{link.verdict.value}"


_LINK_PHRASES = {
    Verdict.DEAD: "is dead",
    Verdict.ERROR: "failed",
    Verdict.TIMEOUT: "timed out",
    Verdict.FRAGMENT_MISSING: "has no such fragment",
}


def link_message(link: LinkResult) -> str:
    """One sentence saying what is wrong with a link."""
    phrase = _LINK_PHRASES.get(link.verdict, f"is {link.verdict.value}")
    status = f" (HTTP {link.status})" if link.status is not None else ""
    error = f": {link.error}" if link.error else ""
    return f"{link.url} {phrase}{status}{error}"


def _finding_problem(f: Finding) -> Problem:
    return Problem(f.rule, f.severity, f.message, f.file, f.line, f.column, f.entry, f.hint)


def _covered(findings: t.Sequence[Finding], link: LinkResult, loc: Location) -> bool:
    """Whether a finding already reports this link at this place."""
    return any(
        f.file == loc.file
        and f.line == loc.line
        and (f.evidence.get("url") == link.url or link.url in f.message)
        for f in findings
    )


def problems(report: Report) -> list[Problem]:
    """Findings plus failing links at each of their locations, most important first."""
    out = [_finding_problem(f) for f in report.findings]
    for link in report.links or ():
        if not link.verdict.is_failure:
            continue
        for loc in link.locations:
            if _covered(report.findings, link, loc):
                continue
            rule = link_rule(link)
            known = RULES.get(rule)
            out.append(
                Problem(
                    rule=rule,
                    severity=known.severity if known else Severity.ERROR,
                    message=link_message(link),
                    file=loc.file,
                    line=loc.line,
                    column=loc.column,
                    entry=loc.entry,
                    link=link,
                )
            )
    return sorted(out, key=Problem.sort_key)


def annotation(problem: Problem) -> str:
    """One workflow-command line for one problem."""
    props = [f"file={escape_property(problem.file)}"]
    if problem.line > 0:
        props.append(f"line={problem.line}")
        # Toolkit drops falsy values, so only 1-based columns are sent.
        if problem.column > 0:
            props.append(f"col={problem.column}")
    title = problem.rule if problem.entry is None else f"{problem.rule} ({problem.entry})"
    props.append(f"title={escape_property(title)}")
    message = problem.message if not problem.hint else f"{problem.message}\nhint: {problem.hint}"
    return f"::{_COMMANDS[problem.severity]} {','.join(props)}::{escape_data(message)}"


class GithubReporter(Reporter):
    """At most ten annotations per level, chosen by importance, then a count of the rest."""

    name = "github"

    def format(self, report: Report) -> str:
        """Annotation lines for stdout (empty string when there is nothing to show)."""
        chosen: list[Problem] = []
        hidden: list[Problem] = []
        shown: dict[Severity, int] = dict.fromkeys(_COMMANDS, 0)
        for problem in problems(report):
            if shown[problem.severity] >= ANNOTATIONS_PER_LEVEL:
                hidden.append(problem)
            else:
                shown[problem.severity] += 1
                chosen.append(problem)
        if hidden and shown[Severity.INFO] == ANNOTATIONS_PER_LEVEL:
            # The closing count is a notice too: keep a notice slot free for it, or
            # GitHub would drop the one line that says findings are missing.
            last_notice = max(i for i, p in enumerate(chosen) if p.severity is Severity.INFO)
            hidden.append(chosen.pop(last_notice))
        lines = [annotation(p) for p in chosen]
        if hidden:
            lines.append(f"::notice::{len(hidden)} more findings: see the job summary")
        return "".join(line + "\n" for line in lines)
