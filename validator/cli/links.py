"""``validator links [PATH...]``: check every URL of catalog, Markdown and text files.

Also home of :func:`crawl_options` and :func:`overrides_from_options`, which
``validator validate --online`` reuses so both commands take the same crawl flags.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import typing as t
from pathlib import Path

import click

from validator.cli import main
from validator.cli.options import (
    crawl_options,
    overrides_from_options,
    report_options,
    use_color,
)
from validator.exitcodes import ExitCode

DEFAULT_PATHS = (Path("catalog"),)


def _fail(message: str, code: ExitCode = ExitCode.USAGE) -> t.NoReturn:
    click.echo(f"validator links: {message}", err=True)
    sys.exit(int(code))


@main.command("links")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@crawl_options
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config file [.validator.toml or pyproject.toml].",
)
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
def links_command(
    paths: tuple[Path, ...],
    config_path: Path | None,
    output_format: str,
    outputs: tuple[str, ...],
    fail_on: str,
    input_format: str,
    fix: bool,
    **crawl: t.Any,
) -> None:
    """Check every URL in PATHs (default: catalog/).

    PATHs are catalog folders or YAML files, Markdown (.md .markdown .mdx .qmd .Rmd),
    HTML (.html .htm) or text (.txt) files, or '-' for standard input. Local links and
    #anchors are checked on disk. Exit codes: 0 clean; 1 failing links; 2 usage or
    configuration error; 3 network unavailable.
    """
    import functools

    import anyio

    from validator.config import ConfigError, load_config
    from validator.findings import Report, Severity
    from validator.links import check_links, collect_paths, fix_redirects
    from validator.links.extract import InputError
    from validator.links.local import LocalLinks
    from validator.report.outputs import (
        OutputError,
        OutputSpec,
        parse_output_spec,
        write_outputs,
    )

    try:
        specs = [parse_output_spec(text) for text in outputs] or [OutputSpec(output_format)]
    except ValueError as exc:
        _fail(str(exc))
    try:
        overrides = overrides_from_options(**crawl)
        config = load_config(config_path)
        settings = config.crawl_settings(overrides)
    except ConfigError as exc:
        _fail(str(exc))
    except click.BadParameter as exc:
        _fail(exc.format_message())
    stdin = sys.stdin.read() if any(str(p) == "-" for p in paths) else None
    try:
        collected = collect_paths(paths or DEFAULT_PATHS, stdin=stdin, stdin_format=input_format)
    except (FileNotFoundError, InputError) as exc:
        _fail(str(exc))
    local = LocalLinks(anchors=collected.anchors)
    try:
        outcome = anyio.run(functools.partial(check_links, collected.refs, settings, local=local))
    except (OSError, sqlite3.Error) as exc:  # cannot create it, not a database, locked
        _fail(f"cannot use the cache at {settings.resolved_cache_path()}: {exc}")

    findings = list(collected.findings) + outcome.findings
    if fix:
        fixed = fix_redirects(outcome.results, collected.refs)
        done = {(file, line) for file, line, _old, _new in fixed.changed}
        findings = [
            f for f in findings if not (f.rule == "link-redirected" and (f.file, f.line) in done)
        ]
        files = len({c[0] for c in fixed.changed})
        click.echo(f"fixed {len(fixed.changed)} redirected URL(s) in {files} file(s)", err=True)
        for file, line, url in fixed.skipped:
            click.echo(f"{file}:{line}: not rewritten (text changed?): {url}", err=True)

    report = Report(
        findings=findings,
        links=outcome.results,
        files_checked=collected.files,
        entries_checked=collected.entries,
        network_unavailable=outcome.network_unavailable,
        runs=outcome.runs,
    )
    try:
        write_outputs(report, specs, color=use_color(), environ=os.environ)
    except OutputError as exc:
        _fail(str(exc))
    if outcome.network_unavailable:
        click.echo(outcome.network_unavailable, err=True)
        sys.exit(int(ExitCode.NETWORK_UNAVAILABLE))
    if report.failed(Severity.parse(fail_on)):
        sys.exit(int(ExitCode.FINDINGS))
    sys.exit(int(ExitCode.OK))


__all__ = ["links_command"]
