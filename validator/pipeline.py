"""The validate run: load, check offline, optionally check online, return a Report.

This is the core entry point the CLI calls. It owns the order of the stages and the
waiver bookkeeping, and returns data: it never prints and never exits. Stages:

1. load every file (unparseable files become findings, the rest go on);
2. JSON Schema check of every parsed file;
3. offline consistency rules on the entries that passed the schema;
4. with ``online``: the link crawl and the Hugging Face cross-check, concurrently, on
   all entries or, in pull-request mode, on the entries whose files changed;
5. waivers, then the :class:`~validator.findings.Report`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t
from pathlib import Path

from validator.catalog.loader import LoadResult, load_catalog
from validator.catalog.model import Catalog, Entry
from validator.findings import Finding, LinkResult, Report, RunSummary
from validator.hub.result import RepoResult
from validator.options import ValidateOptions
from validator.rules import RULES, run_offline
from validator.rules.waivers import apply_waivers
from validator.schema import SchemaSet, default_schema_dir


@dataclasses.dataclass
class OnlineOutcome:
    """What the online stage adds to a run."""

    findings: list[Finding] = dataclasses.field(default_factory=list)
    links: list[LinkResult] | None = None
    hub: list[RepoResult] | None = None
    network_unavailable: str | None = None
    runs: list[RunSummary] | None = None
    families: set[str] = dataclasses.field(default_factory=set)
    """Rule families that ran (``links``, ``hub``), for waiver bookkeeping."""
    entries: set[str] = dataclasses.field(default_factory=set)
    """Files of the entries the online checks covered."""


OnlineStage = t.Callable[[list[Entry], Catalog, ValidateOptions], OnlineOutcome]


@dataclasses.dataclass
class Run:
    """A finished run: the report and the loaded catalog (for fixes)."""

    report: Report
    loaded: LoadResult
    valid_entries: list[Entry]


def validate(
    options: ValidateOptions,
    *,
    today: dt.date | None = None,
    schema_dir: Path | None = None,
    online_stage: OnlineStage | None = None,
    changed_files: set[Path] | None = None,
    deleted_files: set[Path] | None = None,
) -> Run:
    """Run the checks ``options`` ask for and return everything found.

    ``changed_files`` (pull-request mode) limits the online checks to those entries;
    ``deleted_files`` names entry files the change removed, so a reference to one of
    them is reported as a deletion rather than a typo.
    """
    loaded = load_catalog(list(options.paths))
    schemas = SchemaSet(schema_dir or default_schema_dir())
    findings = list(loaded.findings)
    broken: set[str] = set()
    for source in loaded.sources:
        problems = schemas.check(source)
        if problems:
            broken.add(source.display)
            findings.extend(problems)
    catalog = loaded.catalog
    valid = [entry for entry in catalog.entries if entry.file not in broken]
    checked = Catalog(entries=valid, licenses=catalog.licenses, root=catalog.root)
    findings.extend(_with_deletions(run_offline(checked, today), deleted_files))

    online = OnlineOutcome()
    if options.online and online_stage is not None:
        targets = valid
        if changed_files is not None:
            resolved = {p.resolve() for p in changed_files}
            targets = [e for e in valid if e.path.resolve() in resolved]
        online = online_stage(targets, checked, options)
        findings.extend(online.findings)

    def rule_ran(rule: str, entry: Entry) -> bool:
        family = RULES[rule].family
        if family == "offline":
            return True
        return family in online.families and entry.file in online.entries

    outcome = apply_waivers(findings, valid, rule_ran)
    report = Report(
        findings=outcome.findings,
        links=online.links,
        hub=online.hub,
        files_checked=loaded.files,
        entries_checked=len(catalog.entries),
        network_unavailable=online.network_unavailable,
        waived=outcome.waived,
        entries=[(entry.file, entry.id) for entry in catalog.entries],
        runs=online.runs,
    )
    return Run(report=report, loaded=loaded, valid_entries=valid)


def _with_deletions(findings: list[Finding], deleted: set[Path] | None) -> list[Finding]:
    """Reword ``reference-unknown`` when the change itself deleted the referenced entry."""
    if not deleted:
        return findings
    gone = {p.stem for p in deleted}
    out = []
    for f in findings:
        ref = f.evidence.get("reference") if f.rule == "reference-unknown" else None
        if ref in gone:
            f = dataclasses.replace(
                f,
                message=f"based_on names '{ref}', whose entry this change deletes",
                hint="keep the entry, or update every entry that references it",
                evidence={**f.evidence, "deleted": True},
            )
        out.append(f)
    return out
