"""GitHub Actions workflow-command annotations: ``::error file=…,line=…::message``.

One annotation per finding, nothing else: waived findings, link results and Hub
results are not problems here (they are not findings). A network outage is one
run-level ``::notice::``.

GitHub shows only 10 error, 10 warning and 10 notice annotations per step and drops the
rest silently (actions/toolkit ``docs/problem-matchers.md``), so this reporter chooses:
errors before warnings before notices, each in file order, at most ten per level, then
one ``::notice::`` that counts what was left out and points at the job summary.
Escaping (:func:`validator.escape.escape_data`, :func:`~validator.escape.escape_property`)
follows actions/toolkit ``command.ts``, so nothing printed here can start a new command.
"""

from __future__ import annotations

from validator.escape import escape_data, escape_property
from validator.findings import Finding, Report, Severity
from validator.report.base import Reporter

ANNOTATIONS_PER_LEVEL = 10
"""GitHub's per-step display limit for each of error, warning and notice."""

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def importance(f: Finding) -> tuple[int, str, int, int, str, str]:
    """Most important first: severity, then file order."""
    return (-int(f.severity), *f.sort_key())


def annotation(f: Finding) -> str:
    """One workflow-command line for one finding."""
    props = [f"file={escape_property(f.file)}"]
    if f.line > 0:
        props.append(f"line={f.line}")
        # Toolkit drops falsy values, so only 1-based columns are sent.
        if f.column > 0:
            props.append(f"col={f.column}")
    title = f.rule if f.entry is None else f"{f.rule} ({f.entry})"
    props.append(f"title={escape_property(title)}")
    message = f.message if not f.hint else f"{f.message}\nhint: {f.hint}"
    return f"::{_COMMANDS[f.severity]} {','.join(props)}::{escape_data(message)}"


class GithubReporter(Reporter):
    """At most ten annotations per level, chosen by importance, then a count of the rest."""

    name = "github"

    def format(self, report: Report) -> str:
        """Annotation lines for stdout (empty string when there is nothing to show)."""
        chosen: list[Finding] = []
        hidden: list[Finding] = []
        shown: dict[Severity, int] = dict.fromkeys(_COMMANDS, 0)
        # The outage notice takes a notice slot of its own.
        if report.network_unavailable:
            shown[Severity.INFO] += 1
        for f in sorted(report.findings, key=importance):
            if shown[f.severity] >= ANNOTATIONS_PER_LEVEL:
                hidden.append(f)
            else:
                shown[f.severity] += 1
                chosen.append(f)
        if hidden and shown[Severity.INFO] == ANNOTATIONS_PER_LEVEL:
            # The closing count is a notice too: keep a notice slot free for it, or
            # GitHub would drop the one line that says findings are missing.
            last_notice = max(i for i, f in enumerate(chosen) if f.severity is Severity.INFO)
            hidden.append(chosen.pop(last_notice))
        lines = []
        if report.network_unavailable:
            lines.append(f"::notice title=validator::{escape_data(report.network_unavailable)}")
        lines += [annotation(f) for f in chosen]
        if hidden:
            lines.append(f"::notice::{len(hidden)} more findings: see the job summary")
        return "".join(line + "\n" for line in lines)
