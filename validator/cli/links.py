"""``validator links [PATH...]``: check every URL of catalog, Markdown and text files.

Like ``validate``, the command only turns its options into a
:class:`~validator.options.RunOptions` and the report into an exit code: the run is
:func:`validator.pipeline.run`, so waivers and ``--fail-after`` act the same way.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import click

from validator.cli import main
from validator.cli.exits import fail, output_specs, report_and_exit
from validator.cli.options import (
    config_option,
    crawl_options,
    overrides_from_options,
    report_options,
    selection,
    standard_input,
)
from validator.selection import SelectionError

DEFAULT_PATHS = (Path("catalog"),)


@main.command("links")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@crawl_options
@config_option
@report_options
@click.option(
    "--input-format",
    type=click.Choice(["markdown", "html", "text"]),
    default="markdown",
    show_default=True,
    help="How to read standard input, given as the path '-'.",
)
@click.option(
    "--fix",
    is_flag=True,
    default=False,
    help="Rewrite permanently redirected URLs in the catalog YAML files.",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Succeed when PATHs hold no file to check (by default that is an error, exit 2).",
)
def links_command(
    paths: tuple[Path, ...],
    config_path: Path | None,
    output_format: str,
    outputs: tuple[str, ...],
    fail_on: str,
    input_format: str,
    fix: bool,
    allow_empty: bool,
    **crawl: t.Any,
) -> None:
    """Check every URL in PATHs (default: catalog/).

    PATHs are catalog folders or YAML files, Markdown (.md .markdown .mdx .qmd .Rmd),
    HTML (.html .htm) or text (.txt) files, or '-' for standard input. Local links and
    #anchors are checked on disk. Exit codes: 0 clean; 1 failing links; 2 usage or
    configuration error; 3 network unavailable.
    """
    from validator.findings import Severity
    from validator.options import RunOptions
    from validator.pipeline import RunError, run

    specs = output_specs(output_format, outputs)
    try:
        rules = selection()
    except SelectionError as exc:
        fail(str(exc))
    try:
        crawl_overrides = overrides_from_options(**crawl)
    except click.BadParameter as exc:
        fail(exc.format_message())
    stdin = standard_input(paths, config_path, crawl_overrides)
    options = RunOptions.for_links(
        paths or DEFAULT_PATHS,
        fail_on=Severity.parse(fail_on),
        config_path=config_path,
        config_stdin=stdin.config,
        crawl=stdin.crawl,
        fix_redirects=fix,
        stdin=stdin.text,
        input_format=input_format,
        allow_empty=allow_empty,
        selection=rules,
    )
    try:
        result = run(options)
    except RunError as exc:
        fail(str(exc))
    report_and_exit(result, specs, options.fail_on)


__all__ = ["links_command"]
