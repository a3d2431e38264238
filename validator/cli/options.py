"""Click options shared by the commands that crawl (``links`` and ``validate --online``).

Kept apart from the commands so that importing the CLI stays cheap: nothing here
touches httpx or anyio.
"""

from __future__ import annotations

import os
import re
import sys
import typing as t
from pathlib import Path

import click

from validator.options import CrawlOverrides

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def use_color(stream: object = sys.stdout) -> bool:
    """ANSI colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes the run fail (exit 1).",
)
"""``--fail-on``, the same for every command that reports findings."""


FORMATS = ("text", "json", "markdown", "github", "sarif", "junit", "html")
"""The reporter names (validator.report.REPORTERS), listed here to keep imports light."""


def report_options(func: F) -> F:
    """``--format``, ``--output`` (repeatable) and ``--fail-on``, for every reporting command."""
    options = [
        click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            default="text",
            show_default=True,
            help="Report format on stdout (when no --output is given).",
        ),
        click.option(
            "--output",
            "outputs",
            multiple=True,
            metavar="FORMAT[:PATH]",
            help="Write a report in FORMAT to PATH (stdout without PATH). Repeatable: "
            "--output text --output json:report.json. In GitHub Actions the Markdown "
            "report also goes to the job summary.",
        ),
        fail_on_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


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
