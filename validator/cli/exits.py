"""The CLI's ways out: one line on stderr for a failure, an exit code for a report.

Every command fails through :func:`fail` (``validator: <message>``, one line, never a
traceback) and ends a checking run through :func:`report_and_exit`, which writes the
outputs and maps the report to :class:`~validator.exitcodes.ExitCode`. The messages
are written by the core; they may quote file names and server text, so they are made
inert with :func:`validator.escape.clean`.
"""

from __future__ import annotations

import os
import sys
import typing as t

import click

from validator.escape import clean, inert_lines
from validator.exitcodes import ExitCode

if t.TYPE_CHECKING:
    from validator.findings import Report, Severity
    from validator.pipeline import Run
    from validator.report.outputs import OutputSpec

PREFIX = "validator: "
"""How every line the CLI writes to stderr about a failure starts."""


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> t.NoReturn:
    """Print ``validator: <message>`` on one line of stderr and exit with ``code``."""
    click.echo(PREFIX + clean(message), err=True)
    sys.exit(int(code))


def note(message: str) -> None:
    """One informational line on stderr (a fix applied, a fix skipped)."""
    click.echo(inert_lines(clean(message)), err=True)


def output_specs(output_format: str, outputs: t.Sequence[str]) -> list[OutputSpec]:
    """The ``--output`` specs, or ``--format`` on stdout; a bad spec fails the command."""
    from validator.report.outputs import OutputSpec, parse_output_spec

    try:
        return [parse_output_spec(text) for text in outputs] or [OutputSpec(output_format)]
    except ValueError as exc:
        fail(str(exc))


def exit_code(report: Report, fail_on: Severity) -> ExitCode:
    """3 when nothing could be reached, 1 for a finding at or above ``fail_on``, else 0."""
    if report.network_unavailable:
        return ExitCode.NETWORK_UNAVAILABLE
    return ExitCode.FINDINGS if report.failed(fail_on) else ExitCode.OK


def report_and_exit(run: Run, specs: t.Sequence[OutputSpec], fail_on: Severity) -> t.NoReturn:
    """Print the run's notes, write every output, and exit with the report's code."""
    from validator.cli.verbosity import quiet, say
    from validator.rulebook import RULES
    from validator.stdio import shown_name

    report = run.report
    config = shown_name(run.config_path) if run.config_path else "none (defaults)"
    say(f"config: {config}; rules on: {run.rules_enabled} of {len(RULES)}")
    for line in [] if quiet() else run.notes:
        note(line)
    if report.hosts is not None:
        from validator.report.hosts import host_table

        click.echo(host_table(report.hosts), err=True, nl=False)
    write_report(report, specs)
    sys.exit(int(exit_code(report, fail_on)))


def write_report(report: Report, specs: t.Sequence[OutputSpec]) -> None:
    """Write every output of ``report``; a failure to write fails the command. With
    ``-q`` a clean report is not printed on stdout (files are still written)."""
    from validator.cli.options import use_color
    from validator.cli.verbosity import quiet
    from validator.report.outputs import OutputError, write_outputs

    if quiet() and not report.findings and not report.network_unavailable:
        specs = [spec for spec in specs if spec.path is not None]
    try:
        write_outputs(report, specs, color=use_color(), environ=os.environ)
    except OutputError as exc:
        fail(str(exc))
    if report.network_unavailable:
        click.echo(PREFIX + clean(report.network_unavailable), err=True)


__all__ = [
    "PREFIX",
    "exit_code",
    "fail",
    "note",
    "output_specs",
    "report_and_exit",
    "write_report",
]
