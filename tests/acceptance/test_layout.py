"""The developers' guide, checked: modules under 400 lines, functions of cyclomatic
complexity at most 15, no rule severity outside the rule book, only cli/ exits, and one
way to fail a command."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "validator"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


OVER_400: set[str] = set()
"""Modules known to be over the limit, to be split by their owners: a ratchet that
fails both when another module grows past 400 lines and when one of these is split
(then delete it from this set)."""


def test_every_module_is_under_400_lines() -> None:
    lengths = {str(p.relative_to(PACKAGE)): len(_text(p).splitlines()) for p in MODULES}
    assert {name for name, n in lengths.items() if n >= 400} == OVER_400


OVER_15: set[str] = set()
"""Functions known to be over the limit, to be cut down by their owners: the same
ratchet as ``OVER_400`` (delete a name once its function is within the limit)."""


def test_no_function_is_above_complexity_15() -> None:
    # radon's count (`radon cc -s validator`): every boolean operator and comprehension
    # branch counts, so it is stricter than ruff's C901 (mccabe), which passed
    # functions radon puts above 20. Closures count in the function that holds them.
    from radon.complexity import cc_visit

    over: set[str] = set()
    for path in MODULES:
        for block in cc_visit(_text(path)):
            methods = getattr(block, "methods", None)
            for function in methods if methods is not None else [block]:
                if function.complexity > 15:
                    over.add(f"{path.relative_to(PACKAGE)}:{function.fullname}")
    assert over == OVER_15


def test_severities_are_stated_only_in_the_rule_book() -> None:
    # A finding's severity comes from validator/rulebook.py; the one deliberate
    # override is --fail-after (validator/links/history.py).
    stated = re.compile(
        r"(severity|override)\s*=\s*Severity\.|Severity\.(ERROR|WARNING|INFO),\s*$", re.M
    )
    places = {
        str(p.relative_to(PACKAGE))
        for p in MODULES
        if stated.search(_text(p)) and p.name != "rulebook.py"
    }
    assert places == set()


def test_only_the_cli_exits_and_it_fails_one_way() -> None:
    exits = re.compile(r"\bsys\.exit\(|raise SystemExit\b")
    outside = {str(p.relative_to(PACKAGE)) for p in MODULES if exits.search(_text(p))}
    assert {p for p in outside if not p.startswith("cli/")} == set()
    helpers = {
        str(p.relative_to(PACKAGE)) for p in MODULES if re.search(r"^def _?fail\(", _text(p), re.M)
    }
    assert helpers == {"cli/exits.py"}
