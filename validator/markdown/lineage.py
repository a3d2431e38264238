"""Which imported rows derive from which: ``based_on`` set at import.

A fine-tune's row often cites its base model's card for the context length (StarChat
cites ``bigcode/starcoder``, FLOR cites ``bigscience/bloom-1b1``) or names the base in its
own text (FastChat-T5, "Apache 2.0 with usage restriction inherited from BLOOM"). Without
``based_on`` each such row would start with a false ``context-source-mismatch``.
"""

from __future__ import annotations

import re
import typing as t

from validator.hub.urls import parse_hf_url

MIN_NAME = 3
"""Shorter entry names (``T5`` is 2) match too much text to count as a mention."""


def _repos(entry: t.Mapping[str, t.Any]) -> set[tuple[str, str]]:
    out = set()
    for checkpoint in entry.get("checkpoints") or []:
        repo = parse_hf_url(checkpoint["url"]) if isinstance(checkpoint, dict) else None
        if repo and repo.kind == "model" and repo.name:
            out.add((repo.owner.lower(), repo.name.lower()))
    return out


def _sources(entry: t.Mapping[str, t.Any]) -> list[str]:
    context = entry.get("context_length")
    items = context if isinstance(context, list) else [context] if context else []
    return [i["source"] for i in items if isinstance(i, dict) and "source" in i]


def _texts(entry: t.Mapping[str, t.Any]) -> list[str]:
    """The row's own words: its name and the qualifiers of its licenses."""
    out = [str(entry.get("name", ""))]
    out += [r.get("qualifier", "") for r in entry.get("licenses") or [] if isinstance(r, dict)]
    out += [str(v) for k, v in (entry.get("raw") or {}).items() if k == "licenses"]
    return out


def _cited_bases(entry: t.Mapping[str, t.Any], repos: dict[str, set[tuple[str, str]]]) -> list[str]:
    own = repos[entry["id"]]
    found = []
    for source in _sources(entry):
        cited = parse_hf_url(source)
        if not cited or cited.kind != "model" or not cited.name:
            continue
        key = (cited.owner.lower(), cited.name.lower())
        if key in own:
            continue
        for other_id, other in repos.items():
            if other_id != entry["id"] and any(
                org == key[0] and key[1].startswith(name) for org, name in other
            ):
                found.append(other_id)
    return found


def _named_bases(
    entry: t.Mapping[str, t.Any], models: t.Sequence[t.Mapping[str, t.Any]]
) -> list[str]:
    best: tuple[int, str] | None = None
    for other in models:
        name = str(other.get("name", ""))
        if other is entry or len(name) < MIN_NAME or name.casefold() == entry["name"].casefold():
            continue
        pattern = r"(?<![\w.-])" + re.escape(name) + r"(?![\w.])"
        if any(re.search(pattern, text, re.IGNORECASE) for text in _texts(entry)):
            if best is None or len(name) > best[0]:
                best = (len(name), other["id"])
    return [best[1]] if best else []


def link_bases(entries: list[dict[str, t.Any]]) -> None:
    """Set ``based_on`` on model entries whose row cites or names another entry."""
    models = [e for e in entries if str(e.get("kind", "")).endswith("-model")]
    repos = {e["id"]: _repos(e) for e in models}
    for entry in models:
        bases = _cited_bases(entry, repos) + _named_bases(entry, models)
        unique = list(dict.fromkeys(b for b in bases if b != entry["id"]))
        if unique:
            entry["based_on"] = unique
