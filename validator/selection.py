"""Which rules a run reports: ``--select``/``--ignore``/``--extend-ignore``, as in ruff.

A selector is a rule id (``duplicate-name``), a prefix that ends at a ``-`` of ids
(``link``, ``waiver``, ``release-date``: every rule whose id starts with it followed
by ``-``) or ``ALL``. The configuration (``[tool.validator] select = [...]``,
``ignore``, ``extend-ignore``) is one layer and the command line another, applied on
top: a layer's ``select`` replaces what is selected (the configuration's ``ignore``
goes with it, as a new base), its ``ignore`` and ``extend-ignore`` take rules away.
Nothing selected means every rule. An unknown selector is an error that suggests the
closest rule id.
"""

from __future__ import annotations

import dataclasses
import difflib
import typing as t

from validator.rulebook import RULES


class SelectionError(ValueError):
    """A selector names no rule; the message suggests the closest id."""


def check_selectors(values: t.Iterable[str], where: str) -> tuple[str, ...]:
    """``values`` as selectors, each naming at least one rule of the rule book."""
    out = []
    for value in values:
        if not isinstance(value, str) or not _matching(value):
            close = difflib.get_close_matches(str(value), sorted(RULES), n=1, cutoff=0.5)
            hint = f" (did you mean '{close[0]}'?)" if close else " (see `validator rules`)"
            raise SelectionError(f"{where}: {value!r} is not a rule id or prefix{hint}")
        out.append(value)
    return tuple(out)


def _matching(selector: str) -> set[str]:
    if selector == "ALL":
        return set(RULES)
    return {rule for rule in RULES if rule == selector or rule.startswith(f"{selector}-")}


@dataclasses.dataclass(frozen=True)
class Selection:
    """One layer of selectors (configuration or command line)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()

    def rules(self, base: frozenset[str] = frozenset(RULES)) -> frozenset[str]:
        """The rules this layer leaves on, starting from ``base``."""
        chosen = set(base)
        if self.select is not None:
            chosen = set().union(*(_matching(s) for s in self.select))
        for selector in (*self.ignore, *self.extend_ignore):
            chosen -= _matching(selector)
        return frozenset(chosen)


def enabled_rules(*layers: Selection) -> frozenset[str]:
    """The rules on after every layer, lowest first (configuration, then command line)."""
    chosen = frozenset(RULES)
    for layer in layers:
        chosen = layer.rules(chosen)
    return chosen


__all__ = ["Selection", "SelectionError", "check_selectors", "enabled_rules"]
