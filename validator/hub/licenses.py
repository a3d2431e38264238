"""The license comparison: the Hub card's license against the catalog's.

Pure: an entry, the facts fetched for its repos, the license glossary in; findings
out (``hub-license-mismatch`` per checkpoint or dataset, ``hub-license-ambiguous``
per entry). Card fields are read as the reference describes them (§1.2, §3.3).
"""

from __future__ import annotations

import dataclasses
import typing as t

from validator.catalog.model import Entry, LicenseBook
from validator.findings import Finding
from validator.hub.facts import Pair, hub_finding, repo_label


@dataclasses.dataclass(frozen=True)
class HubLicense:
    """A card's license as the rules compare it."""

    ids: tuple[str, ...]
    """Comparable ids, lower case: ``cardData.license`` values, with ``other`` replaced
    by ``license_name`` when the card gives one."""
    raw: t.Any
    """Exactly what the card says (string or list), for evidence."""
    name: str | None = None
    link: str | None = None


def _card_values(
    info: t.Mapping[str, t.Any], card: t.Mapping[str, t.Any]
) -> tuple[list[str], t.Any]:
    """The license values a card states and its raw form: ``cardData.license`` (string
    or list), else the Hub's ``license:`` tags."""
    raw = card.get("license")
    if isinstance(raw, str):
        return [raw], raw
    if isinstance(raw, list):
        return [v for v in raw if isinstance(v, str)], raw
    tags = info.get("tags")
    values = [
        tag.removeprefix("license:")
        for tag in (tags if isinstance(tags, list) else [])
        if isinstance(tag, str) and tag.startswith("license:")
    ]
    return values, values[0] if len(values) == 1 else values or None


def _comparable(values: t.Iterable[str], name: str | None) -> list[str]:
    """Lower-case ids; ``other`` becomes ``license_name`` (§3.3), ``unknown`` nothing."""
    ids: list[str] = []
    for value in values:
        low = value.strip().lower()
        if low == "other":
            if name:  # §3.3: license: other + license_name: my-license-1.0
                ids.append(name.strip().lower())
        elif low and low != "unknown":
            ids.append(low)
    return ids


def _text_field(card: t.Mapping[str, t.Any], key: str) -> str | None:
    value = card.get(key)
    return value if isinstance(value, str) else None


def hub_license(info: t.Mapping[str, t.Any] | None) -> HubLicense | None:
    """Read ``cardData.license`` (string or list, §1.2/§3.3); fall back to the Hub's
    ``license:`` tags. ``None`` when nothing comparable is stated (absent, ``unknown``,
    or ``other`` without ``license_name``)."""
    if not info:
        return None
    card = info.get("cardData")
    card = card if isinstance(card, dict) else {}
    values, raw = _card_values(info, card)
    name = _text_field(card, "license_name")
    ids = _comparable(values, name)
    if not ids:
        return None
    return HubLicense(tuple(dict.fromkeys(ids)), raw, name, _text_field(card, "license_link"))


def _map_license(hub_id: str, book: LicenseBook | None) -> str | None:
    """The catalog license id a Hub id means (``hub_ids``, then names and aliases)."""
    if book is None:
        return None
    found = book.by_hub_id(hub_id) or book.by_name(hub_id)
    return found.id if found else None


def _matches(hub: HubLicense, catalog_ids: t.Sequence[str], book: LicenseBook | None) -> bool:
    wanted = {c.lower() for c in catalog_ids}
    for hub_id in hub.ids:
        mapped = _map_license(hub_id, book)
        if (mapped and mapped.lower() in wanted) or hub_id in wanted:
            return True
    return False


def _hub_license_text(hub: HubLicense, book: LicenseBook | None) -> str:
    parts = []
    for hub_id in hub.ids:
        mapped = _map_license(hub_id, book)
        parts.append(f"'{hub_id}'" + (f" (= {mapped})" if mapped and mapped != hub_id else ""))
    return " or ".join(parts)


def _license_hint(hub: HubLicense, mapped: list[str], catalog_ids: t.Sequence[str]) -> str:
    if len(mapped) == 1 and len(catalog_ids) == 1 and len(hub.ids) == 1:
        return (
            f"if the Hub is right, use '{mapped[0]}' here (--fix-from-hub "
            "hub-license-mismatch); if the card is wrong, waive the rule with the reason"
        )
    if not mapped:
        return (
            f"'{hub.ids[0]}' is in no license's hub_ids in catalog/licenses.yaml: add the "
            "license to the glossary (or the id to the matching license) and use it here"
        )
    return "use the license the Hub card states, or waive the rule with the reason"


def _mismatch(
    entry: Entry,
    pair: Pair,
    hub: HubLicense,
    catalog_ids: t.Sequence[str],
    path: tuple[str | int, ...],
    book: LicenseBook | None,
) -> Finding:
    """``hub-license-mismatch`` for one repo whose card disagrees with ``catalog_ids``."""
    ref, facts = pair
    mapped = [m for m in (_map_license(h, book) for h in hub.ids) if m]
    label = repo_label(ref, facts)
    evidence: dict[str, t.Any] = {
        "repo": label,
        "catalog": catalog_ids[0] if len(catalog_ids) == 1 else list(catalog_ids),
        "hub": hub.raw,
        "hub_catalog_ids": mapped,
        "url": facts.api_url,
    }
    if hub.name or hub.link:
        evidence["license_name"] = hub.name
        evidence["license_link"] = hub.link
    if len(mapped) == 1 and len(catalog_ids) == 1 and len(hub.ids) == 1:
        evidence["fix"] = {"old": catalog_ids[0], "new": mapped[0]}
    which = "checkpoint's license" if path[-1] == "license" else "entry's license"
    return hub_finding(
        entry, "hub-license-mismatch",
        f"{label}: the Hub card says {_hub_license_text(hub, book)}, the {which} is "
        f"{', '.join(catalog_ids)}",
        path, hint=_license_hint(hub, mapped, catalog_ids), evidence=evidence,
    )  # fmt: skip


def license_findings(
    entry: Entry, pairs: t.Sequence[Pair], book: LicenseBook | None
) -> list[Finding]:
    """``hub-license-mismatch`` per checkpoint/dataset, ``hub-license-ambiguous`` per entry."""
    out: list[Finding] = []
    entry_ids = entry.license_ids()
    unassigned: list[tuple[str, str]] = []
    for ref, facts in pairs:
        hub = hub_license(facts.info)
        if hub is None:
            continue
        own = ref.item.get("license") if ref.path[0] == "checkpoints" else None
        path: tuple[str | int, ...]
        if isinstance(own, str):
            catalog_ids, path = [own], (ref.path[0], ref.path[1], "license")
        else:
            catalog_ids = entry_ids
            path = ("licenses", 0) if len(entry_ids) == 1 else ("licenses",)
            if len(entry_ids) > 1:
                unassigned.append((str(ref.item.get("name") or facts.repo_id),
                                   _hub_license_text(hub, book)))  # fmt: skip
        if catalog_ids and not _matches(hub, catalog_ids, book):
            out.append(_mismatch(entry, (ref, facts), hub, catalog_ids, path, book))
    if unassigned:
        out.append(_ambiguous(entry, entry_ids, unassigned, pairs))
    return out


def _ambiguous(
    entry: Entry,
    entry_ids: t.Sequence[str],
    unassigned: t.Sequence[tuple[str, str]],
    pairs: t.Sequence[Pair],
) -> Finding:
    listing = "; ".join(f"{name}: {text}" for name, text in unassigned)
    return hub_finding(
        entry, "hub-license-ambiguous",
        f"the entry lists {len(entry_ids)} licenses ({', '.join(entry_ids)}) but its "
        f"checkpoints do not say which is theirs; on the Hub: {listing}",
        ("licenses",),
        hint="give each checkpoint its own `license:` (a license id from licenses.yaml)",
        evidence={"catalog": list(entry_ids), "hub": dict(unassigned),
                  "url": [f.api_url for _r, f in pairs]},
    )  # fmt: skip
