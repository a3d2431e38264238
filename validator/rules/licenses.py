"""License rules: every license an entry names is defined in the glossary."""

from __future__ import annotations

import difflib
import typing as t

from validator.findings import Finding
from validator.rules import RuleContext


def check(context: RuleContext) -> t.Iterator[Finding]:
    """``license-unknown`` for entry-level and per-checkpoint license ids."""
    book = context.catalog.licenses
    if book is None:
        return
    known = [lic.id for lic in book.licenses]
    for entry in context.entries():
        places: list[tuple[str, tuple[str | int, ...]]] = []
        for i, lic in enumerate(entry.data.get("licenses") or []):
            if isinstance(lic, str):
                places.append((lic, ("licenses", i)))
            elif isinstance(lic, dict) and isinstance(lic.get("id"), str):
                places.append((lic["id"], ("licenses", i, "id")))
        for i, checkpoint in enumerate(entry.data.get("checkpoints") or []):
            if isinstance(checkpoint, dict) and isinstance(checkpoint.get("license"), str):
                places.append((checkpoint["license"], ("checkpoints", i, "license")))
        for license_id, path in places:
            if book.get(license_id) is None:
                close = difflib.get_close_matches(license_id, known, n=1, cutoff=0.5)
                alias = book.by_name(license_id)
                hint = (
                    f"did you mean '{alias.id}'?"
                    if alias
                    else f"did you mean '{close[0]}'?"
                    if close
                    else "add the license to catalog/licenses.yaml first"
                )
                yield entry.finding(
                    "license-unknown",
                    f"license '{license_id}' is not defined in {book.source.display}",
                    path,
                    hint=hint,
                )
