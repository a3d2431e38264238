"""docs/rules.md documents every rule id the tool can emit, with its severity."""

from pathlib import Path

from validator.rules import RULES

DOC = (Path(__file__).parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")


def test_every_rule_is_documented_with_its_severity() -> None:
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.severity.label} |" in DOC, rule.id
