"""``validator links [PATH...]``: check every URL of catalog, Markdown and text files.

Also home of :func:`crawl_options` and :func:`overrides_from_options`, which
``validator validate --online`` reuses so both commands take the same crawl flags.
"""

from __future__ import annotations

import os
import re
import sys
import typing as t
from pathlib import Path

import anyio
import click

from validator.cli import main
from validator.config import ConfigError, load_config
from validator.exitcodes import ExitCode
from validator.findings import Report, Severity, Verdict
from validator.links import check_links, collect_paths, fix_redirects
from validator.options import CrawlOverrides
from validator.report import get_reporter

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

DEFAULT_PATHS = (Path("catalog"),)


def crawl_options(func: F) -> F:
    """Add the crawl flags to a click command (read them with overrides_from_options)."""
    options = [
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            default=None,
            help="Seconds a URL may spend in requests, retries included [20].",
        ),
        click.option(
            "--connect-timeout",
            type=click.FloatRange(min=0.1),
            default=None,
            help="Seconds for one connection attempt [10].",
        ),
        click.option(
            "--max-retries",
            type=click.IntRange(min=0),
            default=None,
            help="Retries after timeouts, resets, 5xx and 429 [3].",
        ),
        click.option(
            "--concurrency",
            type=click.IntRange(min=1),
            default=None,
            help="Requests in flight in total [64].",
        ),
        click.option(
            "--host-concurrency",
            type=click.IntRange(min=1),
            default=None,
            help="Requests in flight per host [10].",
        ),
        click.option(
            "--host-interval",
            type=click.FloatRange(min=0),
            default=None,
            help="Minimum seconds between requests to one host [0.05].",
        ),
        click.option(
            "--cache-path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="SQLite cache file [.validator/cache.sqlite3].",
        ),
        click.option(
            "--no-cache", is_flag=True, default=False, help="Neither read nor write the cache."
        ),
        click.option(
            "--allow-private",
            is_flag=True,
            default=False,
            help="Allow private, loopback and link-local addresses.",
        ),
        click.option(
            "--fail-after",
            type=click.IntRange(min=1),
            default=None,
            help="A failing link is an error only after N consecutive failing runs.",
        ),
        click.option(
            "--exclude",
            "excludes",
            multiple=True,
            metavar="REGEX",
            help="Do not check URLs matching REGEX (repeatable).",
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Progress bar [on a terminal, off in CI].",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def overrides_from_options(**kwargs: t.Any) -> CrawlOverrides:
    """The :class:`CrawlOverrides` for the kwargs :func:`crawl_options` added.

    Extra kwargs are ignored, so a command can pass all of its own. Raises
    :class:`click.BadParameter` for an invalid ``--exclude`` regex.
    """
    excludes = tuple(kwargs.get("excludes") or ())
    for pattern in excludes:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise click.BadParameter(
                f"invalid regex {pattern!r}: {exc}", param_hint="--exclude"
            ) from None
    return CrawlOverrides(
        timeout=kwargs.get("timeout"),
        connect_timeout=kwargs.get("connect_timeout"),
        max_retries=kwargs.get("max_retries"),
        concurrency=kwargs.get("concurrency"),
        host_concurrency=kwargs.get("host_concurrency"),
        host_interval=kwargs.get("host_interval"),
        cache_path=kwargs.get("cache_path"),
        no_cache=bool(kwargs.get("no_cache")),
        allow_private=bool(kwargs.get("allow_private")),
        fail_after=kwargs.get("fail_after"),
        excludes=excludes,
        progress=kwargs.get("progress"),
    )


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
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="Lowest finding severity that makes the exit code 1.",
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
    fail_on: str,
    fix: bool,
    **crawl: t.Any,
) -> None:
    """Check every URL in PATHs (default: catalog/).

    PATHs are catalog folders or YAML files, Markdown files, or text files with one URL
    per line. Exit codes: 0 clean; 1 failing links; 2 usage or configuration error;
    3 network unavailable.
    """
    try:
        overrides = overrides_from_options(**crawl)
        config = load_config(config_path)
        settings = config.crawl_settings(overrides)
    except ConfigError as exc:
        _fail(str(exc))
    except click.BadParameter as exc:
        _fail(exc.format_message())
    try:
        collected = collect_paths(paths or DEFAULT_PATHS)
    except FileNotFoundError as exc:
        _fail(str(exc))
    try:
        outcome = anyio.run(check_links, collected.refs, settings)
    except OSError as exc:  # e.g. the cache file cannot be created
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
    )
    color = output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    click.echo(get_reporter(output_format, color=color).format(report), nl=False)
    if outcome.network_unavailable:
        click.echo(outcome.network_unavailable, err=True)
        sys.exit(int(ExitCode.NETWORK_UNAVAILABLE))
    if report.failed(Severity.parse(fail_on)):
        sys.exit(int(ExitCode.FINDINGS))
    sys.exit(int(ExitCode.OK))


__all__ = ["Verdict", "crawl_options", "links_command", "overrides_from_options"]
