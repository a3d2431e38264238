"""Consistency rules: the checks JSON Schema cannot express.

Each rule module exports ``check(context) -> Iterable[Finding]``; :data:`RULES` documents
every rule id the tool can emit (offline, link and Hub rules alike), so waivers can be
checked against it and reporters (SARIF) can describe rules. Rules run only on files that
passed the schema check, so they can trust the shape of the data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import pkgutil
import typing as t

from validator.catalog.loader import collector_paused
from validator.catalog.model import Catalog, Entry
from validator.findings import Finding
from validator.rulebook import RULES, RuleInfo

__all__ = ["RULES", "RuleContext", "RuleInfo", "run_offline"]


@dataclasses.dataclass(frozen=True)
class RuleContext:
    """What rules see: the catalog and today's date (injectable for tests)."""

    catalog: Catalog
    today: dt.date

    def entries(self) -> list[Entry]:
        """All entries of the run."""
        return self.catalog.entries


Check = t.Callable[[RuleContext], t.Iterable[Finding]]


def offline_checks() -> list[Check]:
    """The ``check`` of every module in this package that has one, by module name.

    A new rule module is found here without being listed; the order only decides the
    order findings are made in (every reporter sorts them).
    """
    checks: list[Check] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        check = getattr(module, "check", None)
        if callable(check):
            checks.append(check)
    return checks


def run_offline(catalog: Catalog, today: dt.date | None = None) -> list[Finding]:
    """Run every offline rule over entries that passed the schema check."""
    context = RuleContext(catalog=catalog, today=today or dt.date.today())
    findings: list[Finding] = []
    with collector_paused():
        for check in offline_checks():
            findings.extend(check(context))
    return findings
