"""``validator validate``: the offline checks, and with ``--online`` the crawl and Hub check."""

from __future__ import annotations

import typing as t
from pathlib import Path

import click

from validator.cli import EXIT_CODES_HELP, main
from validator.cli.exits import fail, output_specs, report_and_exit
from validator.cli.options import (
    config_option,
    crawl_options,
    overrides_from_options,
    report_options,
    selection,
    standard_input,
)
from validator.findings import Severity
from validator.options import RunOptions
from validator.selection import SelectionError
from validator.stdio import is_dash


@main.command("validate", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
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
@config_option
@crawl_options
@click.option("--schema-dir", type=click.Path(path_type=Path, file_okay=False), hidden=True)
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path, dir_okay=False),
    help="With the path '-': the catalog file the text on standard input stands for "
    "(an editor's unsaved buffer); the rest of the catalog is its context.",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Succeed when PATHs hold no file to check (by default that is an error, exit 2).",
)
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
    allow_empty: bool,
    stdin_filename: Path | None,
    **crawl: t.Any,
) -> None:
    """Check catalog files: YAML, schema and consistency rules (default: ./catalog).

    Offline and fast unless --online is given; then every URL is crawled and every
    Hugging Face checkpoint is compared with its model card (HF_ENDPOINT, HF_TOKEN).
    """
    from validator.pipeline import RunError, run

    specs = output_specs(output_format, outputs)
    try:
        rules = selection()
    except SelectionError as exc:
        fail(str(exc))
    if fix_rules and not online:
        fail("--fix-from-hub needs --online")
    if any(is_dash(path) for path in paths) and stdin_filename is None:
        fail("`validate -` needs --stdin-filename PATH: the catalog file the text stands for")
    try:
        crawl_overrides = overrides_from_options(**crawl)
    except click.BadParameter as exc:
        fail(exc.format_message())
    stdin = standard_input(paths, config_path, crawl_overrides)
    options = RunOptions(
        paths=paths or (Path("catalog"),),
        fail_on=Severity.parse(fail_on),
        online=online,
        links=links,
        hub=hub,
        changed_since=changed_since,
        config_path=config_path,
        config_stdin=stdin.config,
        crawl=stdin.crawl,
        fix_from_hub=fix_rules,
        schema_dir=schema_dir,
        allow_empty=allow_empty,
        selection=rules,
        stdin=stdin.text,
        stdin_filename=stdin_filename,
    )
    try:
        result = run(options)
    except RunError as exc:
        fail(str(exc))
    report_and_exit(result, specs, options.fail_on)
