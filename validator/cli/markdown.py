"""The ``import`` and ``render`` commands: the page <-> catalog bridge on the command line.

Both commands only read and write files; the work happens in ``validator.markdown``.
Every expected failure (missing page, unreadable catalog file, a file that would be
overwritten) becomes one line on stderr and exit code 2, so scripts and CI logs show
the file to fix instead of a traceback.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from validator.cli import main
from validator.cli.exits import fail
from validator.cli.verbosity import quiet, say, verbose
from validator.exitcodes import ExitCode
from validator.markdown.importer import ImportProblem, import_page
from validator.markdown.render import RenderError, render_folder
from validator.stdio import is_dash

MAX_DIFF_LINES = 40
"""A stale page shows this much of the diff; the rest is one `render --out` away."""


def _read(path: Path, what: str) -> str:
    """The text of ``path``; ``-`` is standard input."""
    if is_dash(path):
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{path}: {what} not found")
    except IsADirectoryError:
        fail(f"{path}: is a folder, expected a {what}")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot read {what}: {exc}")


def _diff(current: str, rendered: str, fromfile: str, tofile: str) -> list[str]:
    """A unified diff that also shows a difference in the final newline (as git does)."""
    out: list[str] = []
    for line in difflib.unified_diff(
        current.splitlines(keepends=True),
        rendered.splitlines(keepends=True),
        fromfile=fromfile,
        tofile=tofile,
    ):
        out.append(line.rstrip("\r\n"))
        if not line.endswith("\n"):
            out.append("\\ No newline at end of file")
    return out


@main.command("import")
@click.argument("page", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Catalog folder to write (created if missing).",
)
@click.option("--force", is_flag=True, help="Overwrite catalog files that already exist.")
def import_command(page: Path, out: Path, force: bool) -> None:
    """Turn PAGE (Markdown in the seed page's format) into catalog YAML files.

    Every row becomes an entry; a cell the schema cannot model is kept verbatim and
    reported at PAGE:line:column ('-': PAGE from stdin). Exit 0 when the page imported
    exactly, 1 with findings, 2 when PAGE is not a page of this shape. -q drops the
    closing "wrote N files" line; -v names each file written, on stderr.
    """
    text = _read(page, "page")
    try:
        result = import_page(text, str(page))
    except ImportProblem as exc:
        fail(f"{page}: {exc}")
    targets = {out / name: content for name, content in sorted(result.files.items())}
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        fail(
            f"{existing[0]}: already exists ({len(existing)} of {len(targets)} files would be "
            "overwritten); use --force to replace them"
        )
    try:
        for path, content in targets.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            say(f"wrote {path}")
    except OSError as exc:
        fail(f"{exc.filename or out}: cannot write: {exc.strerror or exc}")
    for finding in result.findings:
        click.echo(
            f"{finding.file}:{finding.line}:{finding.column}: {finding.severity.label} "
            f"{finding.rule} [{finding.entry}]: {finding.message}"
        )
    if not quiet():
        click.echo(
            f"wrote {len(targets)} files to {out}"
            + (f"; {_cells_need_a_look(len(result.findings))}" if result.findings else "")
        )
    if result.findings:
        raise SystemExit(ExitCode.FINDINGS)


def _cells_need_a_look(count: int) -> str:
    return "1 cell needs a look" if count == 1 else f"{count} cells need a look"


@main.command("render")
@click.option(
    "--catalog",
    "catalog",
    default=Path("catalog"),
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Catalog folder to render.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Write the page here ('-': standard output).",
)
@click.option(
    "--check",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Compare with this page instead ('-': standard input); exit 1 when it is stale.",
)
def render_command(catalog: Path, out: Path | None, check: Path | None) -> None:
    """Write the Markdown page from the catalog, or check that a page is up to date.

    -q drops the "wrote" and "up to date" lines (a stale page is still shown); -v says on
    stderr what was rendered and shows the whole diff of a stale page.
    """
    if (out is None) == (check is None):
        fail("render: give exactly one of --out PATH or --check PATH")
    try:
        text = render_folder(catalog)
    except RenderError as exc:
        fail(str(exc))
    say(f"rendered {catalog}: {len(text.splitlines())} lines")
    if out is not None and is_dash(out):
        click.echo(text, nl=False)  # the page on stdout, nothing else there
        return
    if out is not None:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"{out}: cannot write: {exc.strerror or exc}")
        if not quiet():
            click.echo(f"wrote {out}")
        return
    assert check is not None
    current = _read(check, "page")
    if current == text:
        if not quiet():
            click.echo(f"{check} is up to date with {catalog}")
        return
    diff = _diff(current, text, str(check), f"rendered from {catalog}")
    shown = len(diff) if verbose() else MAX_DIFF_LINES
    click.echo(f"{check} is stale: run `validator render --catalog {catalog} --out {check}`")
    click.echo("\n".join(diff[:shown]))
    if len(diff) > shown:
        click.echo(f"... {len(diff) - shown} more diff lines (-v shows them)")
    raise SystemExit(ExitCode.FINDINGS)
