"""``validator validate``: the offline checks, and with ``--online`` the crawl and Hub check."""

from __future__ import annotations

import os
import sys
import typing as t
from pathlib import Path

import click

from validator.cli import EXIT_CODES_HELP, main
from validator.cli.options import (
    crawl_options,
    overrides_from_options,
    report_options,
    use_color,
)
from validator.exitcodes import ExitCode
from validator.findings import Severity
from validator.options import ValidateOptions


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> t.NoReturn:
    """Print one line to stderr and exit: the CLI's only way out on bad input."""
    click.echo(f"validator: {message}", err=True)
    sys.exit(code)


@main.command("validate", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@report_options
@click.option(
    "--online", is_flag=True, help="Also crawl every URL and cross-check Hugging Face cards."
)
@click.option("--links/--no-links", default=True, help="With --online: crawl links [on].")
@click.option("--hub/--no-hub", default=True, help="With --online: check the Hub [on].")
@click.option(
    "--changed-since",
    metavar="REF",
    help="Pull-request mode: offline checks on everything, online checks only on entry "
    "files changed since the git REF.",
)
@click.option(
    "--fix-from-hub",
    "fix_rules",
    multiple=True,
    metavar="RULE",
    help="With --online: write the Hub's value into the catalog for findings of RULE "
    "(e.g. hub-context-mismatch). Repeatable.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Configuration file [.validator.toml, else pyproject.toml [tool.validator]].",
)
@crawl_options
@click.option("--schema-dir", type=click.Path(path_type=Path, file_okay=False), hidden=True)
def validate_command(
    paths: tuple[Path, ...],
    output_format: str,
    outputs: tuple[str, ...],
    fail_on: str,
    online: bool,
    links: bool,
    hub: bool,
    changed_since: str | None,
    fix_rules: tuple[str, ...],
    config_path: Path | None,
    schema_dir: Path | None,
    **crawl: t.Any,
) -> None:
    """Check catalog files: YAML, schema and consistency rules (default: ./catalog).

    Offline and fast unless --online is given; then every URL is crawled and every
    Hugging Face checkpoint is compared with its model card (HF_ENDPOINT, HF_TOKEN).
    """
    from validator.report.outputs import OutputError, OutputSpec, parse_output_spec

    try:
        specs = [parse_output_spec(text) for text in outputs] or [OutputSpec(output_format)]
    except ValueError as exc:
        fail(str(exc))
    if fix_rules and not online:
        fail("--fix-from-hub needs --online")
    options = ValidateOptions(
        paths=paths or (Path("catalog"),),
        fail_on=Severity.parse(fail_on),
        online=online,
        links=links,
        hub=hub,
        changed_since=changed_since,
        config_path=config_path,
        crawl=overrides_from_options(**crawl),
        fix_from_hub=fix_rules,
    )
    run = _run(options, schema_dir)
    report = run.report
    if fix_rules:
        from validator.hub import apply_hub_fixes

        for line in apply_hub_fixes(report.findings, set(fix_rules)):
            click.echo(line, err=True)
    try:
        from validator.report.outputs import write_outputs

        write_outputs(report, specs, color=use_color(), environ=os.environ)
    except OutputError as exc:
        fail(str(exc))
    if report.network_unavailable:
        click.echo(f"validator: {report.network_unavailable}", err=True)
        sys.exit(ExitCode.NETWORK_UNAVAILABLE)
    sys.exit(ExitCode.FINDINGS if report.failed(options.fail_on) else ExitCode.OK)


def _run(options: ValidateOptions, schema_dir: Path | None) -> t.Any:
    """Run the pipeline; every domain error becomes one line and exit 2."""
    from validator.catalog.loader import CatalogPathError
    from validator.pipeline import validate
    from validator.schema import SchemaSetupError

    changed = deleted = None
    errors: tuple[type[Exception], ...] = (CatalogPathError, SchemaSetupError)
    try:
        if options.changed_since:
            from validator.github.changes import ChangesError, changed_entry_files

            errors += (ChangesError,)
            changes = changed_entry_files(options.changed_since, Path.cwd())
            changed, deleted = set(changes.changed), set(changes.gone)
        stage = None
        if options.online:
            from validator.config import ConfigError
            from validator.credentials import CredentialError
            from validator.online import run_online

            errors += (ConfigError, CredentialError)
            stage = run_online
        return validate(
            options,
            schema_dir=schema_dir,
            online_stage=stage,
            changed_files=changed,
            deleted_files=deleted,
        )
    except errors as exc:
        fail(str(exc))
