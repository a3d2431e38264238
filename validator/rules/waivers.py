"""Waivers: an entry may silence a named rule, but only with a written reason.

A waiver is itself checked: one without a reason, one naming a rule that does not exist,
and one for a rule that ran on the entry and no longer fires are all findings, so
waivers cannot quietly outlive the problem they excused.
"""

from __future__ import annotations

import dataclasses
import difflib
import typing as t

from validator.catalog.model import Entry
from validator.findings import Finding
from validator.rules import RULES

WAIVER_RULES = {rule for rule in RULES if rule.startswith("waiver-")}


@dataclasses.dataclass
class WaiverOutcome:
    """Findings that remain, plus how many were waived."""

    findings: list[Finding]
    waived: int


def apply_waivers(
    findings: list[Finding],
    entries: t.Sequence[Entry],
    rule_ran: t.Callable[[str, Entry], bool],
) -> WaiverOutcome:
    """Drop findings waived with a reason and add findings about the waivers themselves.

    ``rule_ran(rule, entry)`` tells whether a rule was evaluated on an entry in this run
    (online rules only run with ``--online``), so an offline run never calls a waiver
    for a link or Hub rule unused.
    """
    by_file = {entry.file: entry for entry in entries}
    fired: set[tuple[str, str]] = set()
    kept: list[Finding] = []
    waived = 0
    for finding in findings:
        entry = by_file.get(finding.file)
        if entry is None or finding.rule in WAIVER_RULES:
            kept.append(finding)
            continue
        fired.add((entry.file, finding.rule))
        reason = entry.waived_rules().get(finding.rule)
        if reason:
            waived += 1
        else:
            kept.append(finding)
    for entry in entries:
        kept.extend(_check_waivers(entry, fired, rule_ran))
    return WaiverOutcome(findings=kept, waived=waived)


def _check_waivers(
    entry: Entry, fired: set[tuple[str, str]], rule_ran: t.Callable[[str, Entry], bool]
) -> t.Iterator[Finding]:
    first: dict[str, int] = {}
    # The waiver rules are offline rules: a run without them (``links``) only says
    # when a waiver of a rule it ran is unused.
    audit = rule_ran("waiver-missing-reason", entry)
    for i, waiver in enumerate(entry.data.get("waivers") or []):
        if not isinstance(waiver, dict) or not isinstance(waiver.get("rule"), str):
            continue  # the schema reports malformed waivers
        rule = waiver["rule"]
        reason = waiver.get("reason")
        if rule in first:
            if not audit:
                continue
            yield entry.finding(
                "waiver-duplicate",
                f"waiver for '{rule}' repeats the one at line {first[rule]}",
                ("waivers", i),
                hint="keep one waiver per rule; put every reason in it",
            )
            continue
        first[rule] = entry.position(("waivers", i))[0]
        if rule not in RULES:
            if not audit:
                continue
            close = difflib.get_close_matches(rule, list(RULES), n=1, cutoff=0.5)
            yield entry.finding(
                "waiver-unknown-rule",
                f"waiver names rule '{rule}', which does not exist",
                ("waivers", i, "rule"),
                hint=f"did you mean '{close[0]}'?" if close else "see docs/rules.md for rule ids",
            )
            continue
        if not isinstance(reason, str) or not reason.strip():
            if not audit:
                continue
            yield entry.finding(
                "waiver-missing-reason",
                f"waiver for '{rule}' has no reason",
                ("waivers", i),
                hint="say why the finding is acceptable: `reason: ...`",
            )
        elif rule_ran(rule, entry) and (entry.file, rule) not in fired:
            yield entry.finding(
                "waiver-unused",
                f"waiver for '{rule}' is no longer needed: the rule does not fire",
                ("waivers", i, "rule"),
                hint="delete the waiver",
            )
