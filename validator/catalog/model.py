"""The catalog in memory: entries (plain dicts with positions) and the license book.

Entries stay plain data as loaded from YAML; schema validation has already vouched for
their shape by the time rules read them, so there is no second object model to keep in
step with the schema. An :class:`Entry` knows where each of its values sits, so every
check can build a :class:`~validator.findings.Finding` that points at the right line.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t
from pathlib import Path

from validator.catalog.source import Source, json_path
from validator.findings import Finding, Severity

MODEL_KINDS = ("language-model", "code-model")
DATASET_KINDS = ("pretraining-dataset", "instruction-dataset", "alignment-dataset")
EVAL_KINDS = ("eval",)
KIND_FOLDERS: dict[str, str] = {
    "language-model": "models/language",
    "code-model": "models/code",
    "pretraining-dataset": "datasets/pretraining",
    "instruction-dataset": "datasets/instruction",
    "alignment-dataset": "datasets/alignment",
    "eval": "evals",
}

# Where URLs live in an entry: (list field, url key, location field name).
_URL_LISTS: tuple[tuple[str, str], ...] = (
    ("checkpoints", "checkpoint"),
    ("papers", "paper"),
    ("try_it", "try-it"),
    ("datasets", "dataset"),
)


_RAW_FIELDS = {
    "checkpoints": "checkpoint",
    "papers": "paper",
    "try_it": "try-it",
    "datasets": "dataset",
    "context_length": "context-length-source",
    "licenses": "license",
}
"""Cells kept verbatim in ``raw`` whose URLs are checked like the field's own."""
_RAW_URL = re.compile(r"https?://[^\s()\[\]<>]+(?:\([^\s()]*\)[^\s()\[\]<>]*)*")


@dataclasses.dataclass(frozen=True)
class UrlRef:
    """One URL inside an entry, with the field it belongs to and its JSON path."""

    url: str
    field: str
    path: tuple[str | int, ...]


@dataclasses.dataclass
class Entry:
    """One catalog entry: a dict from one YAML file, plus where its values are."""

    source: Source
    _urls: tuple[UrlRef, ...] | None = dataclasses.field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def data(self) -> dict[str, t.Any]:
        """The entry's values (a dict once the schema check passed)."""
        return self.source.data if isinstance(self.source.data, dict) else {}

    @property
    def id(self) -> str:
        """The entry id (falls back to the file stem for broken files)."""
        value = self.data.get("id")
        return value if isinstance(value, str) else self.source.path.stem

    @property
    def kind(self) -> str | None:
        """The entry kind, e.g. ``language-model``."""
        value = self.data.get("kind")
        return value if isinstance(value, str) else None

    @property
    def file(self) -> str:
        """The file as shown in findings."""
        return self.source.display

    @property
    def path(self) -> Path:
        """The file on disk."""
        return self.source.path

    def position(self, path: t.Sequence[str | int] = ()) -> tuple[int, int]:
        """1-based (line, column) of a value, or of its nearest ancestor."""
        return self.source.position(path)

    def value_at(self, path: t.Sequence[str | int]) -> t.Any:
        """The value at a JSON path inside the entry, or ``None`` when absent."""
        node: t.Any = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def waived_rules(self) -> dict[str, str]:
        """Rules this entry waives, mapped to the written reason ("" when missing)."""
        out: dict[str, str] = {}
        for waiver in self.data.get("waivers") or []:
            if isinstance(waiver, dict) and isinstance(waiver.get("rule"), str):
                reason = waiver.get("reason")
                if not out.get(waiver["rule"]):  # a repeat never undoes a reasoned waiver
                    out[waiver["rule"]] = reason.strip() if isinstance(reason, str) else ""
        return out

    def finding(
        self,
        rule: str,
        message: str,
        path: t.Sequence[str | int] = (),
        *,
        hint: str | None = None,
        evidence: t.Mapping[str, t.Any] | None = None,
        override: Severity | None = None,
    ) -> Finding:
        """A finding about this entry, placed at ``path`` inside it (severity: the rule's)."""
        line, column = self.position(path)
        return Finding(
            rule=rule,
            override=override,
            message=message,
            file=self.file,
            line=line,
            column=column,
            entry=self.id,
            hint=hint,
            path=json_path(path),
            evidence=dict(evidence or {}),
        )

    def urls(self) -> t.Iterator[UrlRef]:
        """Every URL the entry carries, with the field it sits in, in file order.

        Found once per entry (entries are not changed after loading): most offline rules
        look at an entry's URLs, which made finding them a tenth of a large run.
        """
        if self._urls is None:
            self._urls = tuple(self._find_urls())
        return iter(self._urls)

    def _find_urls(self) -> t.Iterator[UrlRef]:
        data = self.data
        for list_key, field in _URL_LISTS:
            yield from _item_urls(data.get(list_key), "url", field, list_key)
        ctx = data.get("context_length")
        if isinstance(ctx, dict) and isinstance(ctx.get("source"), str):
            yield UrlRef(ctx["source"], "context-length-source", ("context_length", "source"))
        yield from _item_urls(ctx, "source", "context-length-source", "context_length")
        yield from _item_urls(data.get("licenses"), "url", "license", "licenses")
        if isinstance(data.get("url"), str):
            yield UrlRef(data["url"], "eval" if self.kind == "eval" else "link", ("url",))
        yield from self._raw_urls()

    def _raw_urls(self) -> t.Iterator[UrlRef]:
        """URLs of cells kept only as page text (``raw`` without the modelled field)."""
        raw = self.data.get("raw")
        for key, field in _RAW_FIELDS.items():
            text = raw.get(key) if isinstance(raw, dict) else None
            if isinstance(text, str) and key not in self.data:
                for url in _RAW_URL.findall(text):
                    yield UrlRef(url, field, ("raw", key))

    def license_ids(self) -> list[str]:
        """The entry-level license ids, in order."""
        out = []
        for lic in self.data.get("licenses") or []:
            if isinstance(lic, str):
                out.append(lic)
            elif isinstance(lic, dict) and isinstance(lic.get("id"), str):
                out.append(lic["id"])
        return out


@dataclasses.dataclass(frozen=True)
class License:
    """One license of the glossary."""

    id: str
    name: str
    spdx: str | None
    url: str | None
    hub_ids: tuple[str, ...]
    aliases: tuple[str, ...]
    summary: str | None
    hub_license_name: str | None = None
    osi: bool | None = None
    urls: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    """Regular expressions for checkpoint URLs and names of models under this license."""


@dataclasses.dataclass
class LicenseBook:
    """The license glossary (``catalog/licenses.yaml``) with lookups by every name."""

    source: Source
    licenses: list[License]

    def get(self, license_id: str) -> License | None:
        """The license with this catalog id."""
        return next((lic for lic in self.licenses if lic.id == license_id), None)

    def by_hub_id(self, hub_id: str) -> License | None:
        """The catalog license that a Hugging Face license id means, if any: one of its
        ``hub_ids``, or the ``license_name`` a card gives with ``license: other``."""
        wanted = hub_id.strip().lower()
        return next(
            (
                lic
                for lic in self.licenses
                if wanted in lic.hub_ids or wanted == (lic.hub_license_name or "").lower()
            ),
            None,
        )

    def by_name(self, text: str) -> License | None:
        """Find a license by id, display name or alias (case and spacing ignored)."""
        key = " ".join(text.split()).lower()
        for lic in self.licenses:
            names = (lic.id, lic.name, *lic.aliases, *([lic.spdx] if lic.spdx else []))
            if key in (" ".join(n.split()).lower() for n in names):
                return lic
        return None

    def position_of(self, license_id: str) -> tuple[int, int]:
        """Where a license is defined in licenses.yaml."""
        for i, lic in enumerate(self.licenses):
            if lic.id == license_id:
                return self.source.position(("licenses", i, "id"))
        return (1, 1)

    @classmethod
    def from_source(cls, source: Source) -> LicenseBook:
        """Build from a loaded (and schema-checked) ``licenses.yaml``."""
        items = source.data.get("licenses", []) if isinstance(source.data, dict) else []
        licenses = [
            License(
                id=str(item.get("id")),
                name=str(item.get("name", item.get("id"))),
                spdx=item.get("spdx"),
                url=item.get("url"),
                hub_ids=tuple(str(h).lower() for h in item.get("hub_ids") or ()),
                aliases=tuple(str(a) for a in item.get("aliases") or ()),
                summary=item.get("summary"),
                hub_license_name=item.get("hub_license_name"),
                osi=item.get("osi"),
                urls=tuple(str(u) for u in item.get("urls") or ()),
                models=tuple(str(m) for m in item.get("models") or ()),
            )
            for item in items
            if isinstance(item, dict)
        ]
        return cls(source=source, licenses=licenses)


@dataclasses.dataclass
class Catalog:
    """All entries of a run, and the license book when one was found."""

    entries: list[Entry]
    licenses: LicenseBook | None = None
    root: Path | None = None

    def by_kind(self, *kinds: str) -> list[Entry]:
        """Entries of the given kinds, in load order."""
        return [e for e in self.entries if e.kind in kinds]


def _item_urls(items: t.Any, key: str, field: str, list_key: str) -> t.Iterator[UrlRef]:
    """``item[key]`` of every mapping in the list ``items`` that has a string there."""
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and isinstance(item.get(key), str):
            yield UrlRef(item[key], field, (list_key, i, key))
