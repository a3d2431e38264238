"""``-`` wherever a file is read or written: the configuration, reports, pages, inputs.

The audit test walks every option of every command, so a new option that reads a
file without taking ``-`` fails here unless it says why it cannot.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from validator.cli import main

ROOT = Path(__file__).resolve().parents[2]
NEG = ROOT / "tests" / "examples" / "negative"
TWO = [str(NEG / "release-vs-url.yaml"), str(NEG / "unknown-key.yaml")]

NOT_A_STREAM = {
    ("validate", "stdin_filename"): "a name the text on stdin stands for, never read",
    ("validate", "cache_path"): "an SQLite database, read and written in place",
    ("links", "cache_path"): "an SQLite database, read and written in place",
}
"""Options that name a file but cannot be a stream, and why."""


def _commands() -> dict[str, click.Command]:
    """Every command by its path (``report merge``), groups' subcommands included."""
    ctx = click.Context(main)
    found: dict[str, click.Command] = {}
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            found.update({f"{name} {sub}": c for sub, c in command.commands.items()})
        else:
            found[name] = command
    return found


def test_every_option_that_names_a_file_takes_a_dash() -> None:
    lacking = []
    for name, command in _commands().items():
        for param in command.params:
            kind = param.type
            if not isinstance(kind, click.Path) or not kind.file_okay:
                continue  # not a path, or a folder (a stream cannot be one)
            if not kind.allow_dash and (name, param.name) not in NOT_A_STREAM:
                lacking.append(f"{name} {param.opts[0]}")
    assert lacking == []


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "config", ['ignore = ["schema"]\n', '[tool.validator]\nignore = ["schema"]\n']
)
def test_validate_reads_the_configuration_from_stdin(config: str) -> None:
    # Either shape: a .validator.toml, or a pyproject.toml's [tool.validator] table.
    code, out, err = _run("validate", *TWO, "--config", "-", "--format", "json", input=config)
    assert code == 0, err
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"release-date-vs-url"}


def test_a_bad_configuration_on_stdin_is_named_stdin_with_its_line() -> None:
    code, _out, err = _run("validate", *TWO, "--config", "-", input="\n\ntimout = 1\n")
    assert code == 2
    assert err == "validator: <stdin>:3: unknown key 'timout' (did you mean 'timeout'?)\n"
    code, _out, err = _run("validate", *TWO, "--config", "-", input="a = 1\nb = = 2\n")
    assert code == 2 and err == "validator: <stdin>:2:5: invalid TOML: Invalid value\n"


def test_links_reads_the_configuration_from_stdin(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("See <https://example.com/a>.\n", encoding="utf-8")
    code, out, err = _run(
        "links", str(page), "--no-cache", "--config", "-", "--format", "json", "-v",
        input="exclude = ['^https://example\\.com/']\n",
    )  # fmt: skip
    assert code == 0, err
    assert [link["verdict"] for link in json.loads(out)["links"]] == ["skipped"]
    assert "validator: config: <stdin>;" in err


def test_links_reads_the_ignore_file_from_stdin(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("See <https://example.com/a>.\n", encoding="utf-8")
    args = ["links", str(page), "--no-cache", "--ignore-file", "-", "--format", "json"]
    code, out, err = _run(*args, input="# ours\n^https://example\\.com/\n")
    assert code == 0, err
    assert [link["verdict"] for link in json.loads(out)["links"]] == ["skipped"]
    code, out, err = _run(*args, input="ok\n(unclosed\n")
    assert (code, out) == (2, "")
    assert err.startswith("validator: <stdin>:2: invalid regex '(unclosed': ")


@pytest.mark.parametrize("command", ["validate", "links"])
@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["-", "--config", "-"], "the path '-' and --config -"),
        (["--config", "-", "--ignore-file", "-"], "--config - and --ignore-file -"),
    ],
)
def test_stdin_is_read_once_so_two_dashes_conflict(
    command: str, args: list[str], named: str
) -> None:
    extra = ["--stdin-filename", "catalog/x.yaml"] if command == "validate" else []
    code, out, err = _run(command, *args, *extra, input="x")
    assert (code, out) == (2, "")
    assert err == f"validator: standard input can be read once, but {named} both ask for it\n"


@pytest.mark.parametrize("command", ["validate", "links"])
def test_a_dash_for_the_cache_is_refused_not_made_a_file(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = _run(command, str(NEG / "unknown-key.yaml"), "--cache-path", "-")
    assert code == 2
    assert "'-' cannot stand for this file" in err and err.count("\n") == 1
    assert not (tmp_path / "-").exists()
