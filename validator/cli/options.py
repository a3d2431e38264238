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

from validator.http.settings import CrawlSettings, Knob
from validator.links.filters import FilterError, parse_remap
from validator.options import CrawlOverrides
from validator.selection import Selection, check_selectors

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def use_color(stream: object = sys.stdout) -> bool:
    """Whether to write ANSI colour: ``--color always|never``; with ``auto`` (the
    default), never when ``NO_COLOR`` is set and not empty (no-color.org), always when
    ``FORCE_COLOR`` is set and not empty or ``0``, else only on a terminal."""
    mode = remembered("color") or "auto"
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def remembered(name: str) -> t.Any:
    """A convention option of the running command (``--color``, ``--select``...)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(f"validator.{name}") if ctx is not None else None


def _remember(ctx: click.Context, param: click.Parameter, value: t.Any) -> t.Any:
    ctx.meta[f"validator.{param.name}"] = value
    return value


def _rules_option(flag: str, help: str) -> t.Callable[[F], F]:
    return click.option(
        flag,
        multiple=True,
        metavar="RULE",
        expose_value=False,
        callback=_remember,
        help=help + " Rule ids, prefixes ('link', 'waiver') or ALL; repeat or separate "
        "with commas. Like ruff's; [tool.validator] has the same keys.",
    )


CONVENTION_OPTIONS = [
    _rules_option("--select", "Report only these rules (replaces the configuration's)."),
    _rules_option("--ignore", "Do not report these rules."),
    _rules_option("--extend-ignore", "Do not report these rules either."),
    click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        expose_value=False,
        callback=_remember,
        help="Colour in the text report; auto follows NO_COLOR, FORCE_COLOR and the terminal.",
    ),
]
"""Options every reporting command has, read through :func:`remembered`."""


def selection() -> Selection:
    """The command line's layer of rule selection; ``SelectionError`` for a bad id."""

    def values(name: str) -> tuple[str, ...]:
        raw = remembered(name) or ()
        parts = [part.strip() for item in raw for part in item.split(",")]
        return check_selectors([p for p in parts if p], f"--{name.replace('_', '-')}")

    given = remembered("select") or ()
    return Selection(
        select=values("select") if given else None,
        ignore=values("ignore"),
        extend_ignore=values("extend_ignore"),
    )


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Configuration file, '-' for standard input "
    "[.validator.toml, else pyproject.toml [tool.validator]].",
)
"""``--config``, the same for every command that reads the configuration."""


def standard_input(
    paths: t.Sequence[Path], config_path: Path | None
) -> tuple[str | None, bytes | None]:
    """What standard input holds for this run: the text of the path ``-``, or the
    configuration of ``--config -`` (read once here, as each stage reads it again)."""
    from validator.cli.exits import fail
    from validator.config import MAX_BYTES
    from validator.stdio import STDIN_NAME, TooLarge, is_dash, read_bytes

    text_wanted = any(is_dash(path) for path in paths)
    if config_path is None or not is_dash(config_path):
        return (sys.stdin.read() if text_wanted else None), None
    if text_wanted:
        fail("standard input can be read once: give the path '-' or '--config -', not both")
    try:
        return None, read_bytes(config_path, limit=MAX_BYTES, what="a configuration")
    except (OSError, TooLarge) as exc:
        fail(f"{STDIN_NAME}: cannot read the configuration: {exc}")


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
        *CONVENTION_OPTIONS,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _click_option(name: str, knob: Knob) -> t.Callable[[F], F]:
    """The click option a crawl setting's declaration asks for."""
    kind = knob.kind
    extra: dict[str, t.Any] = {}
    if kind == "bool":
        extra = {"is_flag": True, "default": False}
        if "/" in str(knob.flag):  # --x/--no-x: not given (None) differs from --no-x
            extra = {"default": None}
    elif kind in ("regexes", "remaps"):
        extra = {"multiple": True, "metavar": "REGEX" if kind == "regexes" else "'REGEX REPL'"}
    else:
        extra = {"type": _CLICK_TYPES[kind](knob), "default": None}
    return click.option(str(knob.flag), name, help=knob.help, **extra)


class _ShardType(click.ParamType):
    """``--shard I/N`` read as ``(I, N)``."""

    name = "I/N"

    def convert(self, value: t.Any, param: t.Any, ctx: t.Any) -> t.Any:
        from validator.links.shards import parse_shard

        if isinstance(value, tuple):
            return value
        try:
            return parse_shard(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


_CLICK_TYPES: dict[str, t.Callable[[Knob], t.Any]] = {
    "shard": lambda _k: _ShardType(),
    "seconds": lambda k: click.FloatRange(min=k.minimum),
    "count": lambda _k: click.IntRange(min=0),
    "positive": lambda _k: click.IntRange(min=1),
    "path": lambda _k: click.Path(dir_okay=False, path_type=Path),
    "folder": lambda _k: click.Path(file_okay=False, path_type=Path),
    "str": lambda _k: str,
}


def _flags() -> list[tuple[str, Knob]]:
    """``(CrawlSettings field, declaration)`` of every setting with a command-line flag."""
    return [(n, k) for n, k in CrawlSettings.knobs().items() if k.flag]


def crawl_options(func: F) -> F:
    """Add the crawl flags to a click command (read them with overrides_from_options).

    Generated from the ``CrawlSettings`` declarations (flag, help, bounds)."""
    for name, knob in reversed(_flags()):
        func = _click_option(name, knob)(func)
    return func


def overrides_from_options(**kwargs: t.Any) -> CrawlOverrides:
    """The :class:`CrawlOverrides` for the kwargs :func:`crawl_options` added.

    Extra kwargs are ignored, so a command can pass all of its own; options not given
    (``None``, an unset flag, no ``--exclude``) are left out. Raises
    :class:`click.BadParameter` for an invalid ``--exclude`` regex.
    """
    values: dict[str, t.Any] = {}
    for name, knob in _flags():
        value = kwargs.get(name)
        unset_flag = value is False and "/" not in str(knob.flag)
        if value is None or unset_flag or value == ():
            continue
        values[name] = tuple(value) if knob.kind in ("regexes", "remaps") else value
    for name, knob in _flags():
        for pattern in values.get(name, ()) if knob.kind == "regexes" else ():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise click.BadParameter(
                    f"invalid regex {pattern!r}: {exc}", param_hint=knob.flag
                ) from None
        for rule in values.get(name, ()) if knob.kind == "remaps" else ():
            try:
                parse_remap(rule)
            except FilterError as exc:
                raise click.BadParameter(str(exc), param_hint=knob.flag) from None
    return CrawlOverrides(values)
