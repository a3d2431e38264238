"""``validator report merge A.json B.json ...``: shard reports back into one report.

The nightly workflow checks the catalog in N shards (``--shard I/N``, every host in
exactly one shard) and merges their JSON reports here; the merged report is written
in any format (``--output FORMAT[:PATH]``) and the exit code comes from the merged
findings, as if one run had checked everything (:mod:`validator.report.merge`).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from validator.cli import main
from validator.cli.exits import exit_code, fail, output_specs, write_report
from validator.cli.options import report_options, selection
from validator.cli.verbosity import say
from validator.rulebook import RULES
from validator.selection import SelectionError, enabled_rules
from validator.stdio import shown_name


@main.group("report")
def report_group() -> None:
    """Work with JSON reports written by --output json:PATH."""


@report_group.command("merge")
@click.argument(
    "reports", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True)
)
@report_options
def merge_command(
    reports: tuple[Path, ...], output_format: str, outputs: tuple[str, ...], fail_on: str
) -> None:
    """Merge the JSON reports of shards (--shard I/N) into one report ('-': stdin).

    Findings are deduplicated and sorted, links and Hub results kept once each, the
    summary recomputed. -q prints nothing on stdout when the merged report is clean;
    -v says on stderr which reports were merged and what the selection dropped.

    Exit codes: 0 clean; 1 merged findings at or above --fail-on; 2 unreadable report;
    3 a shard found the network unavailable (its links were not judged).
    """
    from validator.findings import Severity
    from validator.report.merge import ReportFormatError, merge_reports, read_report

    specs = output_specs(output_format, outputs)
    try:
        merged = merge_reports([read_report(path) for path in reports])
        enabled = enabled_rules(selection())  # --select/--ignore act on the merged findings
    except (ReportFormatError, SelectionError) as exc:
        fail(str(exc))
    kept = [f for f in merged.findings if f.rule in enabled or f.rule not in RULES]
    say(
        f"merged {len(reports)} report{'s' if len(reports) != 1 else ''} "
        f"({', '.join(shown_name(path) for path in reports)}): {len(kept)} findings kept, "
        f"{len(merged.findings) - len(kept)} dropped by --select/--ignore; "
        f"rules on: {len(enabled)} of {len(RULES)}"
    )
    merged = dataclasses.replace(merged, findings=kept)
    write_report(merged, specs)
    sys.exit(int(exit_code(merged, Severity.parse(fail_on))))


__all__ = ["merge_command", "report_group"]
