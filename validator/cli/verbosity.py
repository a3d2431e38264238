"""``-q/--quiet`` and ``-v/--verbose``: declared once, on every command of the tool.

:func:`add_to` gives a command (and, in a group, each of its subcommands) the two flags,
so ``validator -q rules`` and ``validator rules -q`` mean the same, as ruff's global
options do; :data:`validator.cli.main` adds them to each command it loads. The flags
are read with :func:`quiet` and :func:`verbose`. The meaning is the same everywhere:

* **quiet** keeps what the command exists to produce (findings, a stale page's diff, a
  page written to standard output, the rules asked for) and drops the rest: success
  lines, notes, the summary of a clean run;
* **verbose** adds, on stderr, what the run used and did (the configuration, how many
  rules were on, each file read or written).

Verbose lines start with the one prefix (``validator: ``), so stdout stays the report.
Giving both is a usage error (exit 2).
"""

from __future__ import annotations

import click

_FLAGS = {
    "quiet": (
        ("-q", "--quiet"),
        "Print only what the command is for (findings, the page asked for): no success "
        "line, no notes, nothing on stdout for a clean check.",
    ),
    "verbose": (
        ("-v", "--verbose"),
        "Also say on stderr what the run used and did (configuration, rules, files).",
    ),
}


def _remember(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """Record a given flag for the whole command line (``ctx.meta`` is shared by the
    group and its subcommands, so ``validator -q rules`` reaches ``rules``)."""
    if not value:
        return value  # not given here: keep what an outer level said
    other = "verbose" if param.name == "quiet" else "quiet"
    if ctx.meta.get(f"validator.{other}"):
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be combined", ctx)
    ctx.meta[f"validator.{param.name}"] = True
    return value


def _options() -> list[click.Option]:
    return [
        click.Option(
            list(flags),
            is_flag=True,
            default=False,
            show_default=False,
            expose_value=False,
            callback=_remember,
            help=text,
        )
        for flags, text in _FLAGS.values()
    ]


def add_to(command: click.Command) -> click.Command:
    """``command`` with ``-q`` and ``-v`` (idempotent), and each subcommand of a group."""
    if not any(param.name in _FLAGS for param in command.params):
        command.params.extend(_options())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_to(sub)
    return command


def _flag(name: str) -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(f"validator.{name}"))


def quiet() -> bool:
    """Whether ``-q/--quiet`` was given (anywhere on the command line)."""
    return _flag("quiet")


def verbose() -> bool:
    """Whether ``-v/--verbose`` was given (anywhere on the command line)."""
    return _flag("verbose")


def say(message: str) -> None:
    """One verbose line on stderr (``validator: ...``); nothing unless ``-v``."""
    if verbose():
        from validator.cli.exits import PREFIX, note

        note(PREFIX + message)


__all__ = ["add_to", "quiet", "say", "verbose"]
