"""Command line: click options in, an options object to the core, an exit code out.

This package is the only place that exits the process. Each command lives in its own
module and registers itself on :data:`main` when imported; :data:`COMMAND_MODULES` says
which module holds which command, so a run imports only the module of its command
(``validate`` never pays for the Markdown importer or the link extractor) while
``--help`` still lists every command. Adding a command is adding a module and a line there.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import typing as t

import click

from validator import __version__
from validator.exitcodes import ExitCode

EXIT_CODES_HELP = (
    "Exit codes: "
    f"{ExitCode.OK.value} clean; "
    f"{ExitCode.FINDINGS.value} findings at or above --fail-on (or a stale page); "
    f"{ExitCode.USAGE.value} usage, configuration or unreadable input; "
    f"{ExitCode.NETWORK_UNAVAILABLE.value} network unavailable in online checks."
)


_TERMINATED: list[bool] = []
"""Set when SIGTERM arrived: the exit code is then 143 instead of 130."""


@contextlib.contextmanager
def _terminate_as_interrupt() -> t.Iterator[None]:
    """While a command runs, Ctrl-C and SIGTERM unwind (cleanup runs); a second SIGTERM
    exits at once."""

    def on_term(signum: int, frame: t.Any) -> None:
        # Act as Ctrl-C does, through whatever handles SIGINT now: Python's (raise
        # KeyboardInterrupt) or asyncio's (cancel the main task, then raise it).
        _TERMINATED.append(True)
        signal.signal(signal.SIGTERM, lambda *_: os._exit(128 + signal.SIGTERM))
        handler = signal.getsignal(signal.SIGINT)
        if not callable(handler):
            raise KeyboardInterrupt
        handler(signal.SIGINT, frame)

    try:
        previous_term = signal.signal(signal.SIGTERM, on_term)
        previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:  # not the main thread (an embedding): keep the handlers
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)


COMMAND_MODULES = {
    "import": "markdown",
    "issue": "issue",
    "links": "links",
    "render": "markdown",
    "report": "report",
    "rules": "rules",
    "validate": "validate",
}
"""Each command's module under ``validator.cli``, imported when the command is asked for."""


class _Main(click.Group):
    """The command group: an interrupted command exits 130 (SIGINT) or 143 (SIGTERM).

    Each write the tool makes is atomic (:mod:`validator.textfile`), so unwinding
    leaves every file old or new; the exit code tells the caller which signal it was.
    """

    def main(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """click's own errors (unknown option, bad value) in the one style of every
        failure: ``validator: <message>`` on one line of stderr, exit 2."""
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            click.echo(f"validator: {exc.format_message()}{hint}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            _exit_interrupted()
        sys.exit(code if isinstance(code, int) else 0)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, its module imported on first use (it registers itself), with
        the options every command has (:mod:`validator.cli.verbosity`)."""
        from validator.cli import verbosity

        module = COMMAND_MODULES.get(cmd_name)
        if cmd_name not in self.commands and module is not None:
            importlib.import_module(f"{__name__}.{module}")
        command = super().get_command(ctx, cmd_name)
        return verbosity.add_to(command) if command is not None else None

    def invoke(self, ctx: click.Context) -> t.Any:
        with _terminate_as_interrupt():
            try:
                return super().invoke(ctx)
            except KeyboardInterrupt:
                _exit_interrupted()
            except BaseExceptionGroup as group:  # raised inside a task group
                if group.subgroup(KeyboardInterrupt) is None:
                    raise
                _exit_interrupted()


def _exit_interrupted() -> t.NoReturn:
    terminated = bool(_TERMINATED)
    name = "SIGTERM" if terminated else "SIGINT"
    click.echo(f"validator: interrupted ({name})", err=True)
    sys.exit(128 + (signal.SIGTERM if terminated else signal.SIGINT))


@click.group(
    cls=_Main,
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="validator")
def main() -> None:
    """Validate, link-check and cross-check a catalog of open LLMs."""


def _with_verbosity() -> None:
    from validator.cli import verbosity

    verbosity.add_to(main)


_with_verbosity()
