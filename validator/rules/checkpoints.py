"""Checkpoint rules: what the checkpoint names say against the row that lists them.

Checkpoint names carry sizes (``open_llama_13b``, ``OpenELM-270M``, ``dlite-v2-1_5b``)
and variants (``Phi-3-mini-4k-instruct``). Upstream's maintainers fixed rows whose
Params (B) cell left out a size its checkpoints have, and rows named for a variant
("Phi-3 small/medium") that link checkpoints of another one.
"""

from __future__ import annotations

import re
import typing as t

from validator.catalog.model import MODEL_KINDS, Entry
from validator.findings import Finding
from validator.hub.urls import parse_hf_url
from validator.rules import RuleContext

TOLERANCE = 0.15
"""Names round sizes (replit-code-v1-3b is 2.7B; DeciCoder-1B is 1.1B)."""
# 7B, 1.3b, 1_5b (a decimal written with "_"), 270M; not 8x7B (mixture) nor A2.7B (active).
_SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?([bBmM])(?![a-zA-Z0-9])")
_SEPARATED = re.compile(r"[-_ /(),]+")
_UNDERSCORE_DECIMAL = re.compile(r"(?<=\d)_(?=\d+[bBmM](?![a-zA-Z0-9]))")
MIN_MILLIONS = 10
"""``1M`` in a name is a context length (LWM-Text-1M); parameter counts in M are >= 10."""
VARIANTS = ("tiny", "nano", "mini", "small", "medium", "base", "large", "xl", "xxl", "lite")
"""Variant words a row name and its checkpoint names are compared on."""
_ROW_VARIANTS = tuple(v for v in VARIANTS if v != "base")
""""base" in a row name names the base model, not a variant."""


def sizes(text: str) -> list[float]:
    """Parameter sizes, in billions, written in a name or URL."""
    spaced = _SEPARATED.sub(" ", _UNDERSCORE_DECIMAL.sub(".", text))
    out = []
    for number, unit in _SIZE.findall(spaced):
        value = float(number)
        if unit in "mM":
            if value >= MIN_MILLIONS:
                out.append(value / 1000)
        else:
            out.append(value)
    return out


def _param_values(value: t.Any) -> tuple[list[float], tuple[float, float] | None]:
    if isinstance(value, dict):
        return [], (float(value["min"]), float(value["max"]))
    if isinstance(value, list):
        return [float(v) for v in value], None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [float(value)], None
    return [], None


def _fits(size: float, listed: list[float], span: tuple[float, float] | None) -> bool:
    if span is not None:
        return span[0] * (1 - TOLERANCE) <= size <= span[1] * (1 + TOLERANCE)
    return any(abs(size - p) <= TOLERANCE * p for p in listed)


def _checkpoint_name(checkpoint: t.Any) -> str:
    if not isinstance(checkpoint, dict):
        return ""
    # A Hub link's repo name carries the size too (not the last path segment: a
    # ``/tree/main`` or ``/blob/main/README.md`` link would give "main" or "README.md").
    link = parse_hf_url(str(checkpoint.get("url", "")))
    tail = link.name if link is not None and link.name else ""
    return f"{checkpoint.get('name', '')} {tail}"


def _size_findings(entry: Entry) -> t.Iterator[Finding]:
    listed, span = _param_values(entry.data.get("params_b"))
    if not listed and span is None:
        return
    for i, checkpoint in enumerate(entry.data.get("checkpoints") or []):
        own = checkpoint.get("params_b") if isinstance(checkpoint, dict) else None
        found = (
            [float(own)] if isinstance(own, int | float) else sizes(_checkpoint_name(checkpoint))
        )
        wrong = [s for s in dict.fromkeys(found) if not _fits(s, listed, span)]
        if wrong:
            shown = ", ".join(f"{s:g}B" for s in wrong)
            yield entry.finding(
                "checkpoint-size-vs-params",
                f"checkpoint '{checkpoint['name']}' is {shown} by its name, which Params (B) "
                "does not list",
                ("checkpoints", i, "name"),
                hint="add the size to params_b, or link the checkpoint of the listed size",
                evidence={"checkpoint": checkpoint.get("url"), "sizes": wrong},
            )


def _words(text: str) -> set[str]:
    return set(_SEPARATED.sub(" ", text.lower()).split())


def _missing_variants(entry: Entry, name: str, names: list[set[str]]) -> t.Iterator[Finding]:
    """A variant word in the row name that no checkpoint name carries."""
    for variant in sorted(_words(name) & set(_ROW_VARIANTS), key=_ROW_VARIANTS.index):
        if not any(variant in words for words in names):
            yield entry.finding(
                "checkpoint-variant-vs-row",
                f"the row is named '{name}' but none of its checkpoints is a '{variant}' one",
                ("checkpoints",),
                hint=f"link the {variant} checkpoints, or name the row after the ones it links",
                evidence={"variant": variant},
            )


def _row_sizes_unlinked(entry: Entry, name: str, linked: list[float]) -> t.Iterator[Finding]:
    """A size in the row name that none of the checkpoint sizes ``linked`` fits."""
    for size in sizes(name) if linked else []:
        if not _fits(size, linked, None):
            yield entry.finding(
                "checkpoint-variant-vs-row",
                f"the row is named '{name}' ({size:g}B) but its checkpoints are "
                f"{', '.join(f'{s:g}B' for s in dict.fromkeys(linked))}",
                ("checkpoints",),
                hint="link the checkpoints of the size the row names",
                evidence={"row_size": size},
            )


def _variant_findings(entry: Entry) -> t.Iterator[Finding]:
    name = str(entry.data.get("name", ""))
    checkpoints = [c for c in entry.data.get("checkpoints") or [] if isinstance(c, dict)]
    names = [_words(_checkpoint_name(c)) for c in checkpoints]
    if not checkpoints or not any(words & set(VARIANTS) for words in names):
        return  # the checkpoints do not name variants: nothing to compare
    yield from _missing_variants(entry, name, names)
    linked = [s for c in checkpoints for s in sizes(_checkpoint_name(c))]
    yield from _row_sizes_unlinked(entry, name, linked)


def check(context: RuleContext) -> t.Iterator[Finding]:
    """``checkpoint-size-vs-params`` and ``checkpoint-variant-vs-row``."""
    for entry in context.entries():
        if entry.kind in MODEL_KINDS:
            yield from _size_findings(entry)
            yield from _variant_findings(entry)
