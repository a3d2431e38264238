"""Command line: click options in, an options object to the core, an exit code out.

This package is the only place that exits the process. Each command lives in its own
module and registers itself on :data:`main`; the modules are imported at the bottom so
that adding a command is adding a module and one import line.
"""

from __future__ import annotations

import click

from validator import __version__
from validator.exitcodes import ExitCode

EXIT_CODES_HELP = (
    "Exit codes: "
    f"{ExitCode.OK.value} clean; "
    f"{ExitCode.FINDINGS.value} findings at or above --fail-on (or a stale page); "
    f"{ExitCode.USAGE.value} usage, configuration or unreadable input; "
    f"{ExitCode.NETWORK_UNAVAILABLE.value} network unavailable in online checks."
)


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="validator")
def main() -> None:
    """Validate, link-check and cross-check a catalog of open LLMs."""


# Command modules register themselves on `main` when imported.
from validator.cli import issue, links, markdown, validate  # noqa: E402,F401
