"""The license book as the importer builds it: known licenses, the page's glossary, and
how a License cell maps onto license references.

Prose is never split into ids. A cell is split at commas only when every piece is a
license the book knows (``Apache 2.0, CC BY-SA-3.0``); a link is identified by the URL
it cites or by its text; text after a license (``Free if you have under 700M users...``)
is that license's ``qualifier``; a text the book does not know is kept whole under the
``other`` license (rendered as written) and reported by the importer.
"""

from __future__ import annotations

import copy
import functools
import importlib.resources
import re
import typing as t

import yaml

from validator.markdown import page as md

LICENSE_KEYS = (
    "id", "name", "spdx", "url", "hub_ids", "hub_license_name", "osi", "aliases", "urls",
    "models", "summary",
)  # fmt: skip
OTHER = "other"
"""The book's id for a license it does not know; a reference to it should carry a name."""


def known_licenses() -> list[dict[str, t.Any]]:
    """The licenses the importer knows (``validator/markdown/known-licenses.yaml``);
    a fresh copy each call, the file read once per process."""
    return copy.deepcopy(_known_licenses())


@functools.cache
def _known_licenses() -> list[dict[str, t.Any]]:
    resource = importlib.resources.files("validator.markdown") / "known-licenses.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
    data = yaml.load(resource.read_text(encoding="utf-8"), Loader=loader)
    return [dict(item) for item in data["licenses"]]


def _key(text: str) -> str:
    return md.normalize(text).lower()


class ImportBook:
    """Known licenses plus what the page's glossary says; resolves cell text to ids."""

    def __init__(self) -> None:
        self.items: list[dict[str, t.Any]] = known_licenses()
        self.unknown: list[str] = []
        """Cell texts the book did not know, in page order (one finding each)."""

    def find(self, name: str) -> dict[str, t.Any] | None:
        """The license a name, id, SPDX id or alias means (case and spacing ignored)."""
        key = _key(name)
        for item in self.items:
            names = (item["id"], item["name"], *(item.get("aliases") or ()), item.get("spdx"))
            if key in (_key(n) for n in names if n):
                return item
        return None

    def by_url(self, url: str) -> dict[str, t.Any] | None:
        """The license whose text lives at ``url`` (a known prefix)."""
        for item in self.items:
            for prefix in item.get("urls") or ():
                if url.lower().startswith(prefix.lower()):
                    return item
        return None

    def name_of(self, license_id: str) -> str | None:
        """How the tables write a license id."""
        found = next((i for i in self.items if i["id"] == license_id), None)
        return str(found["name"]) if found else None

    def add_glossary(self, name: str, url: str | None, summary: str) -> str:
        """Record a glossary item; returns its id."""
        known = self.find(name)
        if known is None:
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "license"
            known = {"id": slug, "name": name, "spdx": None}
            self.items.append(known)
        if url:
            known["url"] = url
        if summary:
            known["summary"] = summary
        return str(known["id"])

    # ------------------------------------------------------------------- cells

    def _prefix(self, text: str) -> tuple[dict[str, t.Any], str] | None:
        """A known license name at the start of ``text`` and the rest (its qualifier)."""
        best: tuple[dict[str, t.Any], str] | None = None
        for item in self.items:
            if item["id"] == OTHER:
                continue
            for name in (item["name"], item["id"], *(item.get("aliases") or ())):
                if _key(text).startswith(_key(name) + " ") and (
                    best is None or len(name) > len(best[1])
                ):
                    best = (item, name)
        if best is None:
            return None
        return best[0], text[len(best[1]) :].strip()

    def _link_ref(self, text: str, url: str) -> dict[str, t.Any]:
        found = self.by_url(url) or self.find(text)
        if found is None or found["id"] == OTHER:
            ref: dict[str, t.Any] = {"id": OTHER}
            if self.find(text) is None:  # "Custom" says nothing; a real name is kept
                ref["name"] = text
                self.unknown.append(text)
            ref["url"] = url
            return ref
        return {"id": found["id"], "url": url}

    def _text_refs(self, text: str) -> list[t.Any]:
        pieces = [p.strip() for p in text.split(",") if p.strip()]
        found = [self.find(p) for p in pieces]
        if pieces and all(f is not None and f["id"] != OTHER for f in found):
            return [f["id"] for f in found if f is not None]
        prefix = self._prefix(text)
        if prefix is not None:
            return [{"id": prefix[0]["id"], "qualifier": prefix[1]}]
        self.unknown.append(text)
        return [{"id": OTHER, "name": text}]

    def parse_cell(self, cell: str) -> list[t.Any]:
        """License references for a License cell, in cell order."""
        refs: list[t.Any] = []
        for part in md.parse_cell(cell):
            previous = refs[-1] if refs else None
            if part.url:
                refs.append(self._link_ref(part.text, part.url))
            elif isinstance(previous, dict) and "url" in previous and "qualifier" not in previous:
                previous["qualifier"] = part.text  # text after a link qualifies it
            else:
                refs += self._text_refs(part.text)
        return refs

    def ordered_items(self, glossary_first: list[str]) -> list[dict[str, t.Any]]:
        """Glossary licenses in page order (the rendered list keeps it), then the rest."""
        head = [i for name in glossary_first for i in self.items if i["id"] == name]
        tail = [i for i in self.items if i["id"] not in glossary_first]
        out = []
        for item in head + tail:
            ordered = {k: item[k] for k in LICENSE_KEYS if k in item}
            out.append(ordered)
        return out
