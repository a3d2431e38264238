"""CLI conventions users bring from ruff and friends: rule selection, listing and
explaining rules, colour switches, quiet and verbose."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import validator
from tests.hostile.markers import PLANTED_HEADERS
from validator.cli import main
from validator.rulebook import RULES

ROOT = Path(__file__).resolve().parents[2]
NEG = ROOT / "tests" / "examples" / "negative"
TWO = [str(NEG / "release-vs-url.yaml"), str(NEG / "unknown-key.yaml")]


def _run(*args: str, **env: str) -> tuple[int, str, str]:
    result = CliRunner(env=env or None).invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _rules_in(stdout: str) -> set[str]:
    return {f["rule"] for f in json.loads(stdout)["findings"]}


def test_ignore_and_select_by_rule_id_and_prefix() -> None:
    code, out, _ = _run("validate", *TWO, "--format", "json")
    assert _rules_in(out) == {"schema", "release-date-vs-url"} and code == 1
    code, out, _ = _run("validate", *TWO, "--format", "json", "--ignore", "schema")
    assert _rules_in(out) == {"release-date-vs-url"} and code == 0
    code, out, _ = _run("validate", *TWO, "--format", "json", "--select", "release-date")
    assert _rules_in(out) == {"release-date-vs-url"}
    code, out, _ = _run(
        "validate", *TWO, "--format", "json", "--select", "ALL", "--extend-ignore", "schema,yaml"
    )
    assert _rules_in(out) == {"release-date-vs-url"}


def test_an_unknown_rule_id_is_a_usage_error_with_a_suggestion() -> None:
    code, _out, err = _run("validate", "--ignore", "shcema")
    assert code == 2
    assert err == (
        "validator: --ignore: 'shcema' is not a rule id or prefix (did you mean 'schema'?)\n"
    )


def test_config_selection_and_command_line_layers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".validator.toml").write_text(
        'ignore = ["schema"]\n' + PLANTED_HEADERS, encoding="utf-8"
    )
    code, out, _ = _run("validate", *TWO, "--format", "json")
    assert _rules_in(out) == {"release-date-vs-url"} and code == 0
    # The command line's --select replaces the configuration's selection (ruff's way).
    code, out, _ = _run("validate", *TWO, "--format", "json", "--select", "schema")
    assert _rules_in(out) == {"schema"} and code == 1
    (tmp_path / ".validator.toml").write_text(
        'select = ["nope"]\n' + PLANTED_HEADERS, encoding="utf-8"
    )
    code, _out, err = _run("validate", *TWO)
    assert code == 2
    assert ".validator.toml:1: select: 'nope' is not a rule id or prefix" in err


def test_an_ignored_rule_makes_its_waivers_neither_used_nor_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waived = NEG / "waiver-unused.yaml"
    code, out, _ = _run("validate", str(waived), "--format", "json", "--fail-on", "info")
    assert "waiver-unused" in _rules_in(out)
    code, out, _ = _run(
        "validate", str(waived), "--format", "json", "--fail-on", "info", "--ignore", "waiver"
    )
    assert "waiver-unused" not in _rules_in(out)


def test_rules_lists_every_rule_of_the_rule_book() -> None:
    code, out, _ = _run("rules")
    assert code == 0
    for rule, info in RULES.items():
        assert f"{rule} " in out and info.summary in out
    code, out, _ = _run("rules", "--format", "json")
    assert [r["id"] for r in json.loads(out)] == list(RULES)


def test_rules_explains_one_rule_with_an_example() -> None:
    code, out, _ = _run("rules", "duplicate-name")
    info = RULES["duplicate-name"]
    assert code == 0
    assert out.startswith("duplicate-name (warning, offline)\n")
    assert info.summary in out and info.docs_anchor in out
    assert info.help_text in " ".join(out.split())
    assert textwrap.indent(info.example, "    ") in out
    assert "waivers:\n      - rule: duplicate-name\n" in out
    assert 'ignore = ["duplicate-name"]' in out
    code, _out, err = _run("rules", "duplicate-nam")
    assert code == 2
    assert err == "validator: no rule 'duplicate-nam' (did you mean 'duplicate-name'?)\n"


def test_every_rule_has_help_and_an_example() -> None:
    shipped = yaml.safe_load((Path(validator.__file__).parent / "rulehelp.yaml").read_text())
    assert list(shipped) == list(RULES)  # no help for a rule that does not exist
    for info in RULES.values():
        sentences = info.help_text.count(". ") + info.help_text.endswith(".")
        assert 2 <= sentences <= 5, info.id
        assert info.example.strip(), info.id
        assert info.id not in info.example or not info.waivable, info.id


@pytest.mark.parametrize(
    "rule", ["waiver-missing-reason", "waiver-unused", "yaml-syntax", "schema"]
)
def test_rules_does_not_suggest_waiving_what_no_entry_can_waive(rule: str) -> None:
    code, out, _ = _run("rules", rule)
    assert code == 0
    assert f"- rule: {rule}\n" not in out
    assert "An entry cannot waive it" in out
    assert f'ignore = ["{rule}"]' in out


@pytest.mark.parametrize(
    ("args", "env", "colour"),
    [
        ([], {}, False),  # not a terminal
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the explicit flag wins
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "0"}, False),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_follows_color_no_color_and_force_color(
    args: list[str], env: dict[str, str], colour: bool
) -> None:
    _code, out, _ = _run("validate", *TWO, *args, **env)
    assert ("\x1b[" in out) is colour


def test_quiet_prints_nothing_for_a_clean_run_and_verbose_says_what_ran() -> None:
    code, out, err = _run("validate", "-q")
    assert (code, out, err) == (0, "", "")
    code, out, _err = _run("validate", *TWO, "-q")
    assert code == 1 and "unknown key 'nmae'" in out  # findings are still shown
    code, _out, err = _run("validate", "-v", "--ignore", "link")
    links = sum(1 for rule in RULES if rule.startswith("link-"))
    assert f"rules on: {len(RULES) - links} of {len(RULES)}" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--nope"], "validator: No such option '--nope'."),
        (["validate", "--format", "xml"], "validator: Invalid value for '--format': 'xml'"),
        (["nosuch"], "validator: No such command 'nosuch'."),
    ],
)
def test_click_usage_errors_have_the_one_prefix(args: list[str], message: str) -> None:
    # Before: "Usage: ...\nTry ...\n\nError: No such option ..." on several lines.
    code, _out, err = _run(*args)
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1
    assert "Error:" not in err and "Usage:" not in err
