"""Identity rules: ids match file names, nothing is listed twice, references resolve."""

from __future__ import annotations

import collections
import typing as t

from validator.catalog.model import MODEL_KINDS, Entry
from validator.findings import Finding
from validator.rules import RuleContext

# URLs that identify an entry: the same checkpoint in two entries is a duplicate row.
# Paper/blog and context-length links are shared on purpose (a model and its
# instruction dataset cite the same blog post), so they are not compared.
_IDENTIFYING_FIELDS = ("checkpoint", "dataset", "eval")
MODEL_TABLES = frozenset(MODEL_KINDS)


def normalize_url(url: str) -> str:
    """Compare URLs without scheme case, a trailing slash or ``www.``."""
    low = url.strip()
    scheme, sep, rest = low.partition("://")
    host, slash, path = rest.partition("/")
    host = host.lower().removeprefix("www.")
    path = (slash + path).rstrip("/")
    return f"{scheme.lower()}{sep}{host}{path}"


def check(context: RuleContext) -> t.Iterator[Finding]:
    """All identity findings for the run."""
    entries = context.entries()
    yield from _filename(entries)
    yield from _duplicate_ids(entries)
    yield from _duplicate_names(entries)
    yield from _duplicate_urls(entries)
    yield from _references(entries)


def _filename(entries: list[Entry]) -> t.Iterator[Finding]:
    for entry in entries:
        stem = entry.path.stem
        if isinstance(entry.data.get("id"), str) and entry.data["id"] != stem:
            yield entry.finding(
                "id-filename-mismatch",
                f"id '{entry.data['id']}' differs from the file name '{entry.path.name}'",
                ("id",),
                hint=f"rename the file to {entry.data['id']}.yaml or set id: {stem}",
            )


def _duplicate_ids(entries: list[Entry]) -> t.Iterator[Finding]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in seen:
            first = seen[entry.id]
            yield entry.finding(
                "duplicate-id",
                f"id '{entry.id}' is already used by {first.file}:{first.position(('id',))[0]}",
                ("id",),
                hint="every entry needs its own id",
            )
        else:
            seen[entry.id] = entry


def _duplicate_names(entries: list[Entry]) -> t.Iterator[Finding]:
    seen: dict[tuple[str | None, str], Entry] = {}
    for entry in entries:
        name = entry.data.get("name")
        if not isinstance(name, str):
            continue
        key = (entry.kind, " ".join(name.split()).lower())
        if key in seen:
            first = seen[key]
            yield entry.finding(
                "duplicate-name",
                f"name '{name}' is already used by {first.file} ({first.id})",
                ("name",),
                hint="merge the two entries, or make the names tell them apart",
            )
        else:
            seen[key] = entry


def _duplicate_urls(entries: list[Entry]) -> t.Iterator[Finding]:
    owners: dict[str, list[tuple[Entry, tuple[str | int, ...]]]] = collections.defaultdict(list)
    for entry in entries:
        for ref in entry.urls():
            if ref.field in _IDENTIFYING_FIELDS:
                owners[normalize_url(ref.url)].append((entry, ref.path))
    for places in owners.values():
        first_entry, first_path = places[0]
        for entry, path in places[1:]:
            if entry.kind != first_entry.kind and {entry.kind, first_entry.kind} <= MODEL_TABLES:
                continue  # one model in two tables: model-in-two-tables says so, as info
            where = f"{first_entry.file}:{first_entry.position(first_path)[0]}"
            yield entry.finding(
                "duplicate-url",
                f"{entry.value_at(path)} is already listed at {where}",
                path,
                hint="list each checkpoint, dataset or eval once",
            )


def _references(entries: list[Entry]) -> t.Iterator[Finding]:
    ids = {entry.id for entry in entries}
    for entry in entries:
        for i, ref in enumerate(entry.data.get("based_on") or []):
            if isinstance(ref, str) and ref not in ids:
                yield entry.finding(
                    "reference-unknown",
                    f"based_on names '{ref}', which is not an entry of the catalog",
                    ("based_on", i),
                    hint="fix the id, or remove the reference if that entry was deleted",
                    evidence={"reference": ref},
                )
