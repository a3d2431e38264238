"""License and table rules that need to know model families.

The license book (``catalog/licenses.yaml``) says, per license, which checkpoints are
published under it (``models``: Falcon-180B under the TII Falcon-180B license, Llama 2
under the Llama 2 Community License, Gemma under the Gemma terms). A row that links
such a checkpoint but lists another license is what upstream's maintainers fixed by
hand. Also here: a reference to the book's ``other`` license without a name, and one
model listed in two tables (info: the page may do it on purpose).
"""

from __future__ import annotations

import re
import typing as t

from validator.catalog.model import MODEL_KINDS, Entry, License
from validator.findings import Finding
from validator.rules import RuleContext
from validator.rules.identity import normalize_url

OTHER = "other"


def _patterns(licenses: list[License]) -> list[tuple[License, re.Pattern[str]]]:
    out = []
    for lic in licenses:
        for pattern in lic.models:
            try:
                out.append((lic, re.compile(pattern, re.IGNORECASE)))
            except re.error:
                continue  # a broken pattern is the schema's and the book's reviewer's job
    return out


def _family_findings(
    entry: Entry, patterns: list[tuple[License, re.Pattern[str]]]
) -> t.Iterator[Finding]:
    listed = set(entry.license_ids())
    for i, checkpoint in enumerate(entry.data.get("checkpoints") or []):
        if not isinstance(checkpoint, dict):
            continue
        own = checkpoint.get("license")
        held = {own} if isinstance(own, str) else listed
        text = f"{checkpoint.get('url', '')} {checkpoint.get('name', '')}"
        for lic, pattern in patterns:
            if pattern.search(text) and lic.id not in held and held:
                yield entry.finding(
                    "license-wrong-for-family",
                    f"checkpoint '{checkpoint.get('name')}' is published under {lic.name}, "
                    f"but the row lists {', '.join(sorted(held))}",
                    ("checkpoints", i, "url"),
                    hint=f"list {lic.id} (per checkpoint with `license:` if the row mixes "
                    "licenses), or waive with the source that says otherwise",
                    evidence={"expected": lic.id, "listed": sorted(held)},
                )
                break


def _unnamed(entry: Entry) -> t.Iterator[Finding]:
    for i, ref in enumerate(entry.data.get("licenses") or []):
        ref_id = ref if isinstance(ref, str) else ref.get("id") if isinstance(ref, dict) else None
        if ref_id == OTHER and not (isinstance(ref, dict) and ref.get("name")):
            yield entry.finding(
                "license-unnamed",
                "the license is 'other' (Custom) with no name: readers cannot tell which "
                "license it is",
                ("licenses", i),
                hint="add the license to licenses.yaml and use its id, or give `name:`",
            )


def _two_tables(models: list[Entry]) -> t.Iterator[Finding]:
    first: dict[str, tuple[Entry, int]] = {}
    for entry in models:
        for i, checkpoint in enumerate(entry.data.get("checkpoints") or []):
            url = checkpoint.get("url") if isinstance(checkpoint, dict) else None
            if not isinstance(url, str):
                continue
            key = normalize_url(url)
            seen = first.setdefault(key, (entry, i))
            if seen[0].kind != entry.kind:
                yield entry.finding(
                    "model-in-two-tables",
                    f"checkpoint {url} is also listed in the {seen[0].kind} table ({seen[0].id})",
                    ("checkpoints", i, "url"),
                    hint="keep it in both tables only on purpose (a model for code and text)",
                    evidence={"other_entry": seen[0].id},
                )


def check(context: RuleContext) -> t.Iterator[Finding]:
    """``license-wrong-for-family``, ``license-unnamed`` and ``model-in-two-tables``."""
    book = context.catalog.licenses
    patterns = _patterns(book.licenses) if book else []
    models = [e for e in context.entries() if e.kind in MODEL_KINDS]
    for entry in context.entries():
        yield from _unnamed(entry)
        if entry.kind in MODEL_KINDS:
            yield from _family_findings(entry, patterns)
    yield from _two_tables(models)
