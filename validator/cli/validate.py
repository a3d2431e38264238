"""``validator validate``: the offline checks, and with ``--online`` the crawl and Hub check."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from validator.cli import EXIT_CODES_HELP, main
from validator.exitcodes import ExitCode
from validator.findings import Severity
from validator.options import ValidateOptions


def use_color(stream: object = sys.stdout) -> bool:
    """ANSI colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> None:
    """Print one line to stderr and exit: the CLI's only way out on bad input."""
    click.echo(f"validator: {message}", err=True)
    sys.exit(code)


@main.command("validate", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format on stdout.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes the run fail (exit 1).",
)
@click.option("--schema-dir", type=click.Path(path_type=Path, file_okay=False), hidden=True)
def validate_command(
    paths: tuple[Path, ...], output_format: str, fail_on: str, schema_dir: Path | None
) -> None:
    """Check catalog files: YAML, schema and consistency rules (default: ./catalog).

    Offline and fast: no network is used unless --online is given.
    """
    from validator.catalog.loader import CatalogPathError
    from validator.pipeline import validate
    from validator.report import get_reporter
    from validator.schema import SchemaSetupError

    options = ValidateOptions(
        paths=paths or (Path("catalog"),),
        fail_on=Severity.parse(fail_on),
    )
    try:
        run = validate(options, schema_dir=schema_dir)
    except (CatalogPathError, SchemaSetupError) as exc:
        fail(str(exc))
        return
    report = run.report
    click.echo(get_reporter(output_format, color=use_color()).format(report), nl=False)
    if report.network_unavailable:
        sys.exit(ExitCode.NETWORK_UNAVAILABLE)
    sys.exit(ExitCode.FINDINGS if report.failed(options.fail_on) else ExitCode.OK)
