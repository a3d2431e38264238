"""Value rules: ranges read from low to high."""

from __future__ import annotations

import typing as t

from validator.findings import Finding
from validator.rules import RuleContext

# Fields holding a number, a list, or a {min, max} range (docs/catalog-format.md).
_RANGED = (("params_b",), ("context_length", "value"), ("context_length", "trained"))


def check(context: RuleContext) -> t.Iterator[Finding]:
    """``range-inverted`` wherever min > max."""
    for entry in context.entries():
        for path in _RANGED:
            value = entry.value_at(path)
            if not isinstance(value, dict):
                continue
            low, high = value.get("min"), value.get("max")
            if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
                yield entry.finding(
                    "range-inverted",
                    f"range {low} - {high} has min greater than max",
                    (*path, "min"),
                    hint=f"write it as {{min: {high}, max: {low}}}",
                    evidence={"min": low, "max": high},
                )
