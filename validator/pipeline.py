"""The one run: every command's checks in one order, ending in one Report.

``validate``, ``validate --online`` and ``links`` all call :func:`run`; the CLI only
turns its options into a :class:`~validator.options.RunOptions` and the report into
an exit code. Stages, in order:

1. **collect** the inputs: ``validate`` loads catalog files and checks each against
   its JSON Schema; ``links`` reads catalog, Markdown, HTML and text files (or stdin)
   for their URLs. Input that cannot be read becomes findings; the rest goes on.
2. **offline** consistency rules (``validate``) on the entries that passed the schema,
   and the local links and anchors of the Markdown in ``docs/`` beside a whole catalog.
3. **online** checks (``--online``, and always for ``links``): the link crawl and the
   Hugging Face cross-check, concurrently (:mod:`validator.online`), on every entry or,
   in pull-request mode, on the entries whose files changed.
4. **waivers**, once, on everything found: a finding waived with a reason is counted,
   not listed, so no reporter ever sees it.
5. the :class:`~validator.findings.Report`; then the fixes asked for (``links --fix``,
   ``--fix-from-hub``), whose messages come back as :attr:`Run.notes`.

It returns data: it never prints and never exits. Every expected failure (a missing
path, a bad config, an unusable cache, a bad git ref) is a :class:`RunError` with one
line to show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import typing as t
from pathlib import Path

from validator.catalog.context import given_only, load_context_entries, stdin_paths, with_context
from validator.catalog.model import Catalog, Entry
from validator.findings import Finding, LinkResult, Report, RunSummary
from validator.hub.result import RepoResult
from validator.options import RunOptions
from validator.rules import RULES, run_offline
from validator.rules.waivers import apply_waivers
from validator.schema import SchemaSet, default_schema_dir
from validator.selection import enabled_rules

if t.TYPE_CHECKING:
    from validator.catalog.source import Source
    from validator.config import Config
    from validator.links.extract import LinkRef


class RunError(Exception):
    """The run cannot start or go on (bad path, config, cache, git ref): one line."""


@dataclasses.dataclass
class Inputs:
    """What the collect stage read."""

    findings: list[Finding]
    """Problems reading the input (syntax, encoding, schema...)."""
    entries: list[Entry]
    """Every entry read, valid or not (for counts and per-entry formats)."""
    valid: list[Entry]
    """Entries whose data the rules can trust; waivers and online checks use these."""
    catalog: Catalog
    """The valid entries with the license book."""
    files: int
    refs: list[LinkRef] | None = None
    """``links``: every URL of every input. ``None``: the URLs of the entries."""
    anchors: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    """Anchors of the Markdown and HTML documents read, for local ``#fragment`` links."""
    deleted: set[Path] = dataclasses.field(default_factory=set)
    """Pull-request mode: entry files the change deleted."""
    changed: list[Entry] | None = None
    """Pull-request mode: the valid entries whose files the change touched."""
    context: list[Entry] = dataclasses.field(default_factory=list)
    """The rest of the catalog when only some of its files were given: the offline
    rules see it (``based_on`` targets, duplicates), findings on it are not reported."""
    glossary: Source | None = None
    """The license glossary when it was given (not only found) and is schema-valid:
    the online crawl checks its URLs beside the entries'."""


@dataclasses.dataclass
class OnlineTargets:
    """What the online stage checks: entries (Hub), URLs (crawl) and the license book."""

    entries: list[Entry]
    catalog: Catalog
    refs: list[LinkRef] | None = None
    """Every URL to crawl; ``None`` means every URL of ``entries``."""
    anchors: dict[str, set[str]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(repr=False)
class OnlineOutcome:
    """What the online stage adds to a run."""

    findings: list[Finding] = dataclasses.field(default_factory=list)
    links: list[LinkResult] | None = None
    hub: list[RepoResult] | None = None
    network_unavailable: str | None = None
    runs: list[RunSummary] | None = None
    hosts: dict[str, dict[str, int | float]] | None = None
    """Per-host crawl figures, when ``--host-stats`` asked."""
    saved_requests: int = 0
    """Links whose verdict came from the Hub check's answer instead of a request."""
    families: set[str] = dataclasses.field(default_factory=set)
    """Rule families that ran (``links``, ``hub``), for waiver bookkeeping."""
    entries: set[str] = dataclasses.field(default_factory=set)
    """Files of the entries the online checks covered."""

    def __repr__(self) -> str:
        # Short on purpose: when asyncio's runner puts back the SIGINT handler, the
        # signal module formats the old handler (which holds the finished main task,
        # whose result this is) into an error message it then drops. A full repr of
        # 100,000 link results took 2 s of CPU in every run.
        links = len(self.links) if self.links is not None else None
        return f"OnlineOutcome(links={links}, findings={len(self.findings)})"


OnlineStage = t.Callable[[OnlineTargets, RunOptions], OnlineOutcome]


@dataclasses.dataclass
class Run:
    """A finished run: the report, what the fixes said, and the entries (for tests)."""

    report: Report
    valid_entries: list[Entry]
    notes: list[str] = dataclasses.field(default_factory=list)
    """One line per fix applied or skipped, for stderr."""
    config_path: Path | None = None
    """The configuration file the run read (``None``: defaults)."""
    rules_enabled: int = len(RULES)
    """How many rules of the rule book the selection left on."""


def run(
    options: RunOptions, *, today: dt.date | None = None, online_stage: OnlineStage | None = None
) -> Run:
    """Run every stage ``options`` ask for and return what was found.

    ``online_stage`` defaults to :func:`validator.online.run_online` (tests inject a
    fake). Raises :class:`RunError` for input or setup that cannot be used at all.
    """
    errors = _errors(options)
    config = _guarded(errors, lambda: _read_config(options))  # every run, offline too
    enabled = enabled_rules(config.selection, options.selection)
    inputs = _guarded(errors, lambda: _collect(options))
    if not inputs.files and not options.allow_empty:
        what = "catalog files" if options.command == "validate" else "files to check"
        raise RunError(f"no {what} under {' '.join(map(str, options.paths))}")
    findings = list(inputs.findings)
    ran = {"offline"} if options.command == "validate" else set()
    if "offline" in ran:
        full = with_context(inputs.catalog, inputs.context)
        offline = given_only(run_offline(full, today), inputs.context)
        findings += _with_deletions(offline, inputs.deleted)
        findings += _docs_links(options, inputs)
    online = OnlineOutcome()
    if options.online:
        stage = online_stage or _default_online()
        online = _guarded(errors, lambda: stage(_targets(inputs), options))
        findings += online.findings
        ran |= online.families

    def rule_ran(rule: str, entry: Entry) -> bool:
        family = RULES[rule].family
        on = rule in enabled and family in ran
        return on and (family == "offline" or entry.file in online.entries)

    def selected(found: list[Finding]) -> list[Finding]:  # --select / --ignore
        return [f for f in found if f.rule in enabled or f.rule not in RULES]

    waivers = apply_waivers(selected(findings), inputs.valid, rule_ran)
    kept, notes = _fix_redirects(options, selected(waivers.findings), online.links, inputs)
    report = Report(
        findings=kept,
        links=online.links,
        hub=online.hub,
        files_checked=inputs.files,
        entries_checked=len(inputs.entries),
        network_unavailable=online.network_unavailable,
        waived=waivers.waived,
        entries=[(entry.file, entry.id) for entry in inputs.entries],
        runs=online.runs,
        hosts=online.hosts,
        saved_requests=online.saved_requests,
    )
    if options.fix_from_hub:
        from validator.hub import apply_hub_fixes

        notes += apply_hub_fixes(report.findings, set(options.fix_from_hub))
    return Run(
        report=report,
        valid_entries=inputs.valid,
        notes=notes,
        config_path=config.path,
        rules_enabled=len(enabled),
    )


def validate(options: RunOptions, **kwargs: t.Any) -> Run:
    """:func:`run` under the name it had when only ``validate`` used it."""
    return run(options, **kwargs)


# --------------------------------------------------------------------------- stages


def _read_config(options: RunOptions) -> Config:
    """Read and validate the configuration, so a broken one fails every run the same
    way, not only the online ones that use it (they read it again: it is small)."""
    return options.config()


def _collect(options: RunOptions) -> Inputs:
    return _collect_links(options) if options.command == "links" else _collect_catalog(options)


def _collect_catalog(options: RunOptions) -> Inputs:
    """Catalog files: load, schema-check; in pull-request mode, read the change."""
    from validator.catalog.loader import load_catalog

    paths, texts = stdin_paths(options.paths, options.stdin, options.stdin_filename)
    loaded = load_catalog(paths, texts)
    schemas = SchemaSet(options.schema_dir or default_schema_dir())
    findings = list(loaded.findings)
    broken: set[str] = set()
    for source in loaded.sources:
        problems = schemas.check(source)
        if problems:
            broken.add(source.display)
            findings.extend(problems)
    catalog = loaded.catalog
    valid = [entry for entry in catalog.entries if entry.file not in broken]
    inputs = Inputs(
        findings=findings,
        entries=list(catalog.entries),
        valid=valid,
        catalog=Catalog(entries=valid, licenses=catalog.licenses, root=catalog.root),
        files=loaded.files,
        context=load_context_entries(paths, catalog.root, schemas),
    )
    if options.changed_since:
        from validator.github.changes import changed_entry_files

        changes = changed_entry_files(options.changed_since, Path.cwd())
        changed = {p.resolve() for p in changes.changed}
        inputs.deleted = set(changes.gone)
        inputs.changed = [e for e in valid if e.path.resolve() in changed]
    book = catalog.licenses
    if book is not None and book.source in loaded.sources and book.source.display not in broken:
        inputs.glossary = book.source
    return inputs


def _docs_links(options: RunOptions, inputs: Inputs) -> list[Finding]:
    """The local links and anchors of the Markdown in ``docs/`` beside a whole catalog."""
    from validator.links.offline import check_docs, docs_folder

    docs = docs_folder(options.paths, inputs.catalog.root)
    return check_docs(docs).findings if docs is not None else []


def _collect_links(options: RunOptions) -> Inputs:
    """Any inputs of ``validator links``: their URLs, and the catalog entries among them."""
    from validator.links.extract import collect_paths

    settings = options.config().crawl_settings(options.crawl)
    collected = collect_paths(
        options.paths,
        stdin=options.stdin,
        stdin_format=options.input_format,
        exclude_paths=settings.exclude_paths,
    )
    entries = list({id(r.entry): r.entry for r in collected.refs if r.entry is not None}.values())
    return Inputs(
        findings=list(collected.findings),
        entries=entries,
        valid=entries,
        catalog=Catalog(entries=entries),
        files=collected.files,
        refs=list(collected.refs),
        anchors=collected.anchors,
    )


def _targets(inputs: Inputs) -> OnlineTargets:
    entries = inputs.valid if inputs.changed is None else inputs.changed
    refs = inputs.refs
    if refs is None and inputs.glossary is not None and inputs.changed is None:
        from validator.links.extract import refs_from_entries, refs_from_glossary

        refs = refs_from_entries(entries) + refs_from_glossary(inputs.glossary)
    return OnlineTargets(entries=entries, catalog=inputs.catalog, refs=refs, anchors=inputs.anchors)


def _default_online() -> OnlineStage:
    from validator.online import run_online

    return run_online


def _errors(options: RunOptions) -> tuple[type[Exception], ...]:
    """The errors that mean "this run cannot go on", imported only for the stages asked."""
    from validator.catalog.loader import CatalogPathError
    from validator.config import ConfigError
    from validator.credentials import CredentialError
    from validator.schema import SchemaSetupError

    errors: tuple[type[Exception], ...] = (
        CatalogPathError,
        SchemaSetupError,
        ConfigError,
        CredentialError,
    )
    if options.changed_since:
        from validator.github.changes import ChangesError

        errors += (ChangesError,)
    if options.command == "links":
        from validator.links.extract import InputError

        errors += (InputError, FileNotFoundError)
    if options.online:
        from validator.links.filters import FilterError

        # The cache: cannot be created, is not a database, is locked.
        errors += (FilterError, CacheError, sqlite3.Error)
    return errors


class CacheError(OSError):
    """The SQLite cache cannot be used (raised by the online stage with its path)."""


T = t.TypeVar("T")


def _guarded(errors: tuple[type[Exception], ...], step: t.Callable[[], T]) -> T:
    """Run one stage; an error that means "cannot run" becomes one :class:`RunError`."""
    try:
        return step()
    except errors as exc:
        raise RunError(str(exc)) from exc


def _fix_redirects(
    options: RunOptions,
    findings: list[Finding],
    links: list[LinkResult] | None,
    inputs: Inputs,
) -> tuple[list[Finding], list[str]]:
    """``links --fix``: rewrite permanent redirects; a fixed URL is no finding any more."""
    if not options.fix_redirects or links is None or inputs.refs is None:
        return findings, []
    from validator.links import fix_redirects

    fixed = fix_redirects(links, inputs.refs)
    done = {(file, line) for file, line, _old, _new in fixed.changed}
    kept = [f for f in findings if not (f.rule == "link-redirected" and (f.file, f.line) in done)]
    files = len({c[0] for c in fixed.changed})
    notes = [f"fixed {len(fixed.changed)} redirected URL(s) in {files} file(s)"]
    notes += [
        f"{file}:{line}: not rewritten (text changed?): {url}" for file, line, url in fixed.skipped
    ]
    notes += [f"{file}: not rewritten: {reason}" for file, reason in fixed.files_skipped]
    return kept, notes


def _with_deletions(findings: list[Finding], deleted: set[Path]) -> list[Finding]:
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
