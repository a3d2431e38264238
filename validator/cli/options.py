"""Click options shared by the commands that crawl (``links`` and ``validate --online``).

Kept apart from the commands so that importing the CLI stays cheap: nothing here
touches httpx or anyio.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import typing as t
from pathlib import Path

import click

from validator.http.settings import CrawlSettings, Knob
from validator.links.filters import FilterError, parse_ignore, parse_remap
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


@dataclasses.dataclass(frozen=True)
class StandardInput:
    """What standard input holds for a run, read once here (each stage reads the
    configuration and the ignore file again): at most one of these."""

    text: str | None = None
    """The text of the path ``-``."""
    config: bytes | None = None
    """The configuration of ``--config -``."""
    crawl: CrawlOverrides = dataclasses.field(default_factory=CrawlOverrides)
    """The crawl options, the patterns of ``--ignore-file -`` among the excludes."""


def standard_input(
    paths: t.Sequence[Path], config_path: Path | None, crawl: CrawlOverrides
) -> StandardInput:
    """Read standard input for whichever one option names ``-``; fail when several do."""
    from validator.cli.exits import fail
    from validator.stdio import is_dash

    ignore_file = crawl.values.get("ignore_file")
    wanted = [
        name
        for name, given in (
            ("the path '-'", any(is_dash(path) for path in paths)),
            ("--config -", config_path is not None and is_dash(config_path)),
            ("--ignore-file -", ignore_file is not None and is_dash(ignore_file)),
        )
        if given
    ]
    if len(wanted) > 1:
        every = "both" if len(wanted) == 2 else "all"
        fail(f"standard input can be read once, but {' and '.join(wanted)} {every} ask for it")
    if not wanted:
        return StandardInput(crawl=crawl)
    if wanted[0] == "the path '-'":
        return StandardInput(text=sys.stdin.read(), crawl=crawl)
    raw = _read_stdin("the configuration" if wanted[0] == "--config -" else "the ignore file")
    if wanted[0] == "--config -":
        return StandardInput(config=raw, crawl=crawl)
    return StandardInput(crawl=_stdin_ignore_file(raw, crawl))


def _read_stdin(what: str) -> bytes:
    from validator.cli.exits import fail
    from validator.config import MAX_BYTES
    from validator.stdio import STDIN_NAME, TooLarge, read_bytes

    try:
        return read_bytes(Path("-"), limit=MAX_BYTES, what=what)
    except (OSError, TooLarge) as exc:
        fail(f"{STDIN_NAME}: cannot read {what}: {exc}")


def _stdin_ignore_file(raw: bytes, crawl: CrawlOverrides) -> CrawlOverrides:
    """``crawl`` with the patterns of ``--ignore-file -`` as excludes, and no ignore
    file left to read (the null device stands for it, so the default one is not read)."""
    from validator.cli.exits import fail
    from validator.stdio import STDIN_NAME

    try:
        patterns = parse_ignore(raw.decode("utf-8"), STDIN_NAME)
    except UnicodeDecodeError as exc:
        fail(f"{STDIN_NAME}: cannot read the ignore file: not UTF-8 (byte {exc.start})")
    except FilterError as exc:
        fail(str(exc))
    values = dict(crawl.values)
    values["excludes"] = tuple(values.get("excludes", ())) + patterns
    values["ignore_file"] = Path(os.devnull)
    return CrawlOverrides(values)


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


STREAMS = frozenset({"--ignore-file"})
"""Crawl flags naming a file that may be ``-``, standard input (:func:`standard_input`);
``--cache-path`` may not: it is an SQLite database, read and written in place."""


class _PlacePath(click.Path):
    """A file read and written in place (the cache): ``-`` is refused, not taken as a
    file named ``-``."""

    def convert(self, value: t.Any, param: t.Any, ctx: t.Any) -> t.Any:
        if str(value) == "-":
            self.fail("'-' cannot stand for this file: it is read and written in place", param, ctx)
        return super().convert(value, param, ctx)


def _path_type(knob: Knob) -> click.Path:
    if knob.flag in STREAMS:
        return click.Path(dir_okay=False, path_type=Path, allow_dash=True)
    return _PlacePath(dir_okay=False, path_type=Path)


_CLICK_TYPES: dict[str, t.Callable[[Knob], t.Any]] = {
    "shard": lambda _k: _ShardType(),
    "seconds": lambda k: click.FloatRange(min=k.minimum),
    "count": lambda _k: click.IntRange(min=0),
    "positive": lambda _k: click.IntRange(min=1),
    "path": _path_type,
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
