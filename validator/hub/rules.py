"""The comparisons: catalog facts against what the Hub says, as findings.

Each function here is pure: it gets an entry, the Hub data fetched for the entry's
repos (:class:`RepoFacts`) and returns findings. No HTTP, no I/O, so every rule is
tested with plain dicts shaped like the reference's recorded responses.

Every finding carries ``evidence`` with at least ``catalog`` (our value), ``hub`` (the
Hub's value) and ``url`` (where the Hub said it), and, when the Hub's value can be
written back as-is, ``fix = {"old": ..., "new": ...}`` for ``--fix-from-hub``.
"""

from __future__ import annotations

import dataclasses
import typing as t

from validator.catalog.model import Entry
from validator.findings import Finding
from validator.hub.configs import ConfigLength, context_from_config
from validator.hub.facts import Pair, RepoFacts, hub_finding, repo_label
from validator.hub.urls import is_hub_host
from validator.rulebook import RULES, RuleInfo

HUB_RULES: dict[str, RuleInfo] = {rule.id: rule for rule in RULES.values() if rule.family == "hub"}
"""The Hub rules, as the rule book describes them."""

PARAMS_TOLERANCE = 0.10
"""Rows write rounded sizes ("7" for 6.65e9): within 10% of a listed value is a match."""

PLACEHOLDER_CREATED_AT = "2022-03-02T23:29:04.000Z"
"""``createdAt`` for every repo older than the Hub's creation tracking (reference §1.2);
the reason the release check reads the commit history instead."""


# --------------------------------------------------------------------------- context


@dataclasses.dataclass(frozen=True)
class CatalogContext:
    """``context_length`` as written: value, and how to read it."""

    value: t.Any
    mechanism: str | None = None
    trained: int | None = None
    uncertain: bool = False

    @classmethod
    def of(cls, entry: Entry) -> CatalogContext | None:
        """Read an entry's ``context_length`` (mapping form, or a bare value)."""
        raw = entry.data.get("context_length")
        if raw is None or isinstance(raw, list):
            return None  # one value per link (checked offline only; docs/adopting-upstream.md)
        if not isinstance(raw, dict):
            return cls(raw)
        trained = raw.get("trained")
        return cls(
            raw.get("value"),
            raw.get("mechanism") if isinstance(raw.get("mechanism"), str) else None,
            trained if isinstance(trained, int) and not isinstance(trained, bool) else None,
            raw.get("uncertain") is True,
        )

    @property
    def extrapolated(self) -> bool:
        """The value is reached beyond training (ALiBi, RNN, or "infinity")."""
        return bool(self.mechanism) or self.value == "infinity"

    def text(self) -> str:
        """The value as the catalog renders it, e.g. ``84000 (ALiBi)``."""
        value = self.value
        if isinstance(value, dict):
            shown = f"{value.get('min')} - {value.get('max')}"
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = str(value)
        if self.uncertain:
            shown += "?"
        if self.mechanism:
            shown += {"alibi": " (ALiBi)", "rnn": " (RNN)"}.get(
                self.mechanism, f" ({self.mechanism})"
            )
        return shown


def context_matches(catalog: t.Any, hub: int) -> bool:
    """Equal, in the list, or inside the ``{min, max}`` range.

    A value written in thousands (``8000``, shown as ``8k``) also matches the power-of-two
    length people round that way (8192; 65536 as ``64k`` or ``65k``). Only a multiple of
    1024 is rounded: a config saying 3000 is not the "2k" of a row.
    """
    if isinstance(catalog, bool):
        return False
    if isinstance(catalog, int):
        if catalog == hub:
            return True
        if catalog % 1000 or hub % 1024:
            return False
        return catalog in {hub // 1024 * 1000, hub // 1000 * 1000}
    if isinstance(catalog, list):
        return any(context_matches(v, hub) for v in catalog)
    if isinstance(catalog, dict):
        low, high = catalog.get("min"), catalog.get("max")
        if isinstance(low, int) and isinstance(high, int):
            return low <= hub <= high
    return False


def context_findings(entry: Entry, pairs: t.Sequence[Pair]) -> list[Finding]:
    """``hub-context-mismatch`` / ``hub-context-trained``, one per distinct config value."""
    ctx = CatalogContext.of(entry)
    if ctx is None:
        return []
    by_value: dict[int, list[tuple[str, ConfigLength, RepoFacts]]] = {}
    for ref, facts in pairs:
        if facts.config is None:
            continue
        length = context_from_config(facts.config)
        if length.value is not None:
            by_value.setdefault(length.value, []).append((repo_label(ref, facts), length, facts))
    out: list[Finding] = []
    for hub_value, sources in by_value.items():
        finding = _context_finding(entry, ctx, hub_value, sources)
        if finding is not None:
            out.append(finding)
    return out


Source = tuple[str, ConfigLength, RepoFacts]


def _context_finding(
    entry: Entry, ctx: CatalogContext, hub_value: int, sources: t.Sequence[Source]
) -> Finding | None:
    """The finding one config.json value means against the catalog's context length."""
    repos = ", ".join(dict.fromkeys(f"{label} ({length.key})" for label, length, _ in sources))
    urls = [facts.config_url for _l, _c, facts in sources]
    evidence: dict[str, t.Any] = {
        "repos": [label for label, _c, _f in sources],
        "hub": hub_value,
        "key": sources[0][1].key,
        "url": urls[0] if len(urls) == 1 else urls,
    }
    if ctx.extrapolated and ctx.trained is None:
        return hub_finding(
            entry, "hub-context-trained",
            f"config.json of {repos} states {hub_value} as the trained length; the catalog "
            f"gives {ctx.text()}, a length reached by extrapolation",
            ("context_length", "value"),
            hint=f"record the trained length: add `trained: {hub_value}` under context_length",
            evidence={**evidence, "catalog": ctx.text()},
        )  # fmt: skip
    if ctx.trained is not None:
        if ctx.trained == hub_value:
            return None
        evidence["catalog"] = ctx.trained
        evidence["fix"] = {"old": ctx.trained, "new": hub_value}
        return hub_finding(
            entry, "hub-context-mismatch",
            f"config.json of {repos} says the model was trained with {hub_value} tokens; "
            f"the catalog's trained length is {ctx.trained}"
            + (f" (extrapolating to {ctx.text()})" if ctx.extrapolated else ""),
            ("context_length", "trained"),
            hint=f"if config.json is right, write trained: {hub_value} "
                 "(--fix-from-hub hub-context-mismatch)",
            evidence=evidence,
        )  # fmt: skip
    if context_matches(ctx.value, hub_value):
        return None
    evidence["catalog"] = ctx.value
    if isinstance(ctx.value, int) and not isinstance(ctx.value, bool):
        evidence["fix"] = {"old": ctx.value, "new": hub_value}
        hint = (f"if config.json is right, write {hub_value} (--fix-from-hub "
                "hub-context-mismatch); if the model extrapolates further, say how with "
                "`mechanism:` and `trained:`")  # fmt: skip
    else:
        hint = f"add {hub_value} to the catalog's values, or explain the difference in notes"
    return hub_finding(
        entry, "hub-context-mismatch",
        f"config.json of {repos} says {hub_value} tokens; the catalog says {ctx.text()}",
        ("context_length", "value"), hint=hint, evidence=evidence,
    )  # fmt: skip


# --------------------------------------------------------------------------- params


def _params_values(raw: t.Any) -> tuple[list[float], tuple[float, float] | None]:
    def num(v: t.Any) -> float | None:
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None

    if isinstance(raw, dict):
        low, high = num(raw.get("min")), num(raw.get("max"))
        return [], (low, high) if low is not None and high is not None else None
    if isinstance(raw, list):
        return [v for v in (num(x) for x in raw) if v is not None], None
    single = num(raw)
    return ([single] if single is not None else []), None


def params_match(raw: t.Any, billions: float) -> bool:
    """Within 10% of a listed value, or inside the range (its ends widened by the same
    10%: a row's "0.06 - 11" covers Flan-T5-XXL's 11.3B)."""
    values, span = _params_values(raw)
    if any(abs(billions - v) <= PARAMS_TOLERANCE * v for v in values):
        return True
    if span is not None:
        low, high = span
        return low * (1 - PARAMS_TOLERANCE) <= billions <= high * (1 + PARAMS_TOLERANCE)
    return not values  # nothing comparable in the catalog: say nothing


def _short(billions: float) -> float:
    return float(f"{billions:.3g}")


def params_findings(entry: Entry, pairs: t.Sequence[Pair]) -> list[Finding]:
    """``hub-params-mismatch`` per model repo with ``safetensors.total`` (§1.2)."""
    raw = entry.data.get("params_b")
    if raw is None:
        return []
    out: list[Finding] = []
    for ref, facts in pairs:
        safetensors = (facts.info or {}).get("safetensors")
        total = safetensors.get("total") if isinstance(safetensors, dict) else None
        if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
            continue  # .bin-only repos have no safetensors key (§1.2): say nothing
        billions = total / 1e9
        if params_match(raw, billions):
            continue
        label = repo_label(ref, facts)
        evidence: dict[str, t.Any] = {
            "repo": label, "catalog": raw, "hub": total, "url": facts.api_url,
        }  # fmt: skip
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            evidence["fix"] = {"old": raw, "new": _short(billions)}
            hint = (f"if the checkpoint is the model, write {_short(billions)} "
                    "(--fix-from-hub hub-params-mismatch)")  # fmt: skip
        else:
            hint = "add the checkpoint's size to the list or range, or link the right checkpoint"
        out.append(hub_finding(
            entry, "hub-params-mismatch",
            f"{label} has {_short(billions)}B parameters (safetensors.total = {total:,}); "
            f"the catalog says {raw}",
            ("params_b",), hint=hint, evidence=evidence,
        ))  # fmt: skip
    return out


# --------------------------------------------------------------------------- release


def _month(value: t.Any) -> str | None:
    if isinstance(value, str) and len(value) >= 7 and value[4] == "-":
        return value[:7]
    return None


def release_findings(entry: Entry, pairs: t.Sequence[Pair]) -> list[Finding]:
    """``hub-release-before-repo``: the catalog's month is before every repo's first
    commit. Never ``createdAt``: it is a placeholder for old repos (§1.2)."""
    released = _month(entry.data.get("released"))
    dated = [(facts.first_commit, ref, facts) for ref, facts in pairs if facts.first_commit]
    if released is None or not dated or _published_elsewhere(entry):
        return []
    first, ref, facts = min(dated, key=lambda item: item[0] or "")
    if first is None or released >= first[:7]:
        return []
    label = repo_label(ref, facts)
    return [hub_finding(
        entry, "hub-release-before-repo",
        f"released {entry.data.get('released')}, but the earliest Hub repo of the entry, "
        f"{label}, got its first commit on {first[:10]}",
        ("released",),
        hint="check the release date; if the model was published elsewhere before its Hub "
             "repo existed, waive hub-release-before-repo with that reason",
        evidence={"repo": label, "catalog": entry.data.get("released"), "hub": first,
                  "url": facts.commits_url},
    )]  # fmt: skip


def _published_elsewhere(entry: Entry) -> bool:
    """Whether a checkpoint or dataset link lives off the Hub (T5 on GitHub, say).

    Such a model may well have been released before any Hub repo of it existed (T5's
    checkpoints came out in 2019; google/flan-t5-xxl was created in 2022), so the Hub's
    first commit says nothing about the release date.
    """
    return any(
        ref.field in ("checkpoint", "dataset") and not is_hub_host(ref.url) for ref in entry.urls()
    )
