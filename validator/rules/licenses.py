"""License rules: every license an entry names is defined in the glossary."""

from __future__ import annotations

import difflib
import typing as t

from validator.catalog.model import Entry, LicenseBook
from validator.findings import Finding
from validator.rules import RuleContext


def _places(entry: Entry) -> t.Iterator[tuple[str, tuple[str | int, ...]]]:
    """Every license id the entry names, with its path: entry level and per checkpoint."""
    for i, lic in enumerate(entry.data.get("licenses") or []):
        if isinstance(lic, str):
            yield lic, ("licenses", i)
        elif isinstance(lic, dict) and isinstance(lic.get("id"), str):
            yield lic["id"], ("licenses", i, "id")
    for i, checkpoint in enumerate(entry.data.get("checkpoints") or []):
        if isinstance(checkpoint, dict) and isinstance(checkpoint.get("license"), str):
            yield checkpoint["license"], ("checkpoints", i, "license")


def _hint(license_id: str, book: LicenseBook) -> str:
    alias = book.by_name(license_id)
    if alias:
        return f"did you mean '{alias.id}'?"
    known = [lic.id for lic in book.licenses]
    close = difflib.get_close_matches(license_id, known, n=1, cutoff=0.5)
    return (
        f"did you mean '{close[0]}'?" if close else "add the license to catalog/licenses.yaml first"
    )


def check(context: RuleContext) -> t.Iterator[Finding]:
    """``license-unknown`` for entry-level and per-checkpoint license ids."""
    book = context.catalog.licenses
    if book is None:
        return
    for entry in context.entries():
        for license_id, path in _places(entry):
            if book.get(license_id) is None:
                yield entry.finding(
                    "license-unknown",
                    f"license '{license_id}' is not defined in {book.source.display}",
                    path,
                    hint=_hint(license_id, book),
                )
