"""``-q/--quiet`` and ``-v/--verbose`` on every command, before or after its name.

Quiet keeps what a command is for and drops the rest; verbose adds, on stderr, what
the run used and did (``validator.cli.verbosity``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.test_stdio_options import _commands
from validator.cli import main
from validator.rulebook import RULES

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "seed" / "open-models.md"


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_quiet_and_verbose() -> None:
    commands = _commands()
    assert {"validate", "links", "render", "import", "rules", "issue sync", "report merge"} <= set(
        commands
    )
    for name, command in commands.items():
        flags = {opt for param in command.params for opt in param.opts}
        assert {"-q", "--quiet", "-v", "--verbose"} <= flags, name


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_flags_work_before_and_after_the_command(where: str) -> None:
    args = ["-q", "rules"] if where == "before" else ["rules", "-q"]
    code, out, _err = _run(*args)
    assert code == 0
    assert out.split() == list(RULES)  # quiet: the ids alone, one a line


@pytest.mark.parametrize("args", [["-q", "-v", "rules"], ["-q", "rules", "-v"], ["rules", "-vq"]])
def test_quiet_and_verbose_together_are_a_usage_error(args: list[str]) -> None:
    code, out, err = _run(*args)
    assert (code, out) == (2, "")
    assert err.startswith("validator: -q/--quiet and -v/--verbose cannot be combined")
    assert err.count("\n") == 1


def test_rules_verbose_adds_each_rules_help_and_quiet_explains_in_one_line() -> None:
    info = RULES["schema"]
    words = " ".join(info.help_text.split()[:6])
    assert words not in " ".join(_run("rules")[1].split())
    assert words in " ".join(_run("rules", "-v")[1].split())
    assert _run("rules", "schema", "-q")[1] == f"schema (error, offline): {info.summary}\n"


def test_render_quiet_and_verbose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    page = tmp_path / "page.md"
    assert _run("render", "--out", str(page), "-q")[1:] == ("", "")
    assert _run("render", "--check", str(page), "-q")[:2] == (0, "")
    code, out, err = _run("render", "--check", str(page), "-v")
    assert (code, out) == (0, f"{page} is up to date with catalog\n")
    lines = len(page.read_text(encoding="utf-8").splitlines())
    assert err == f"validator: rendered catalog: {lines} lines\n"
    page.write_text("stale\n", encoding="utf-8")
    code, out, _err = _run("render", "--check", str(page), "-q")
    assert code == 1 and "is stale" in out  # what the command is for stays
    assert out.endswith("more diff lines (-v shows them)\n")
    code, out, _err = _run("render", "--check", str(page), "-v")
    assert code == 1 and "more diff lines" not in out
    assert out.count("\n+") >= lines  # the whole diff


def test_import_quiet_and_verbose(tmp_path: Path) -> None:
    code, out, err = _run("import", str(SEED), "--out", str(tmp_path / "q"), "-q")
    assert "wrote" not in out and err == ""
    findings = out.splitlines()
    assert all(":" in line for line in findings)  # only the cells that need a look
    code, out, err = _run("import", str(SEED), "--out", str(tmp_path / "v"), "-v")
    written = sorted(path for path in (tmp_path / "v").rglob("*") if path.is_file())
    assert written
    assert sorted(err.splitlines()) == sorted(f"validator: wrote {path}" for path in written)
    assert out.splitlines()[:-1] == findings
    assert out.splitlines()[-1].startswith(f"wrote {len(written)} files to ")


def _clean_report(tmp_path: Path) -> Path:
    path = tmp_path / "clean.json"
    code, out, _err = _run("validate", "--format", "json")
    assert code == 0
    path.write_text(out, encoding="utf-8")
    return path


def test_report_merge_quiet_and_verbose(tmp_path: Path) -> None:
    report = _clean_report(tmp_path)
    assert _run("report", "merge", str(report), "-q") == (0, "", "")
    code, out, err = _run("report", "merge", str(report), "-", "-v", input=report.read_text())
    assert code == 0 and out.startswith("0 errors")
    assert err == (
        f"validator: merged 2 reports ({report}, <stdin>): 0 findings kept, "
        f"0 dropped by --select/--ignore; rules on: {len(RULES)} of {len(RULES)}\n"
    )
    written = tmp_path / "merged.json"
    assert _run("report", "merge", str(report), "-q", "--output", f"json:{written}")[1] == ""
    assert json.loads(written.read_text())["summary"]["errors"] == 0  # files still written
