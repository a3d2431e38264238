"""Reading JSON reports back and merging shard reports into one.

``validator links --shard I/N`` (and ``validate --online --shard I/N``) checks only
the hosts that hash to shard I; ``validator report merge`` puts the N JSON reports
back together:

* findings: the union, each distinct finding once (shards all run the offline checks,
  so those arrive N times), in the stable order every reporter uses;
* links: one result per URL (a host lives in exactly one shard);
* hub: one result per repo (the Hub check runs in the shard that owns its host);
* summary: recomputed from the merged lists; files and entries are those of the
  largest shard (every shard reads the same inputs); ``waived`` likewise the largest
  count, since offline waivers act in every shard;
* network unavailable when any shard says so: a shard that reached nothing judged
  none of its hosts, so the merged report carries its notice (and exits 3) rather
  than pass over links nobody checked;
* the run log (each shard's cache keeps its own): the k-th latest run of every shard
  added together, so the nightly history counts the whole catalog.

Reading is strict: a file that is not a JSON report of version 1 is one
:class:`ReportFormatError` naming the file.
"""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

from validator.findings import (
    Finding,
    LinkHistory,
    LinkResult,
    Location,
    Report,
    RunSummary,
    Verdict,
)
from validator.hub.result import RepoPlace, RepoResult, RepoVerdict
from validator.rulebook import RULES, Severity

SUPPORTED_VERSION = 1


class ReportFormatError(Exception):
    """A report file that cannot be read back; the message names the file."""


def _finding(data: t.Mapping[str, t.Any]) -> Finding:
    rule = str(data["rule"])
    stated = Severity.parse(str(data["severity"]))
    known = RULES.get(rule)
    # The rule book's severity unless the report states another (``--fail-after``).
    override = None if known is not None and known.severity is stated else stated
    return Finding(
        rule=rule,
        message=str(data["message"]),
        file=str(data["file"]),
        line=int(data.get("line") or 0),
        column=int(data.get("column") or 0),
        entry=data.get("entry"),
        hint=data.get("hint"),
        path=data.get("path"),
        evidence=dict(data.get("evidence") or {}),
        override=override,
    )


def _link(data: t.Mapping[str, t.Any]) -> LinkResult:
    history = data.get("history") or {}
    return LinkResult(
        url=str(data["url"]),
        verdict=Verdict(data["verdict"]),
        status=data.get("status"),
        final_url=data.get("final_url"),
        redirects=tuple((int(r["status"]), str(r["url"])) for r in data.get("redirects") or ()),
        attempts=int(data.get("attempts") or 0),
        elapsed_ms=int(data.get("elapsed_ms") or 0),
        error=data.get("error"),
        answered_by=data.get("answered_by"),
        locations=tuple(Location(**loc) for loc in data.get("locations") or ()),
        history=LinkHistory(**history) if history else None,
    )


def _repo(data: t.Mapping[str, t.Any]) -> RepoResult:
    return RepoResult(
        repo=str(data["repo"]),
        kind=str(data["kind"]),
        verdict=RepoVerdict(data["verdict"]),
        url=data.get("url"),
        new_id=data.get("new_id"),
        status=data.get("status"),
        detail=data.get("detail"),
        gated=data.get("gated"),
        places=tuple(RepoPlace(**p) for p in data.get("places") or ()),
        checks=tuple(data.get("checks") or ()),
    )


def report_from_dict(data: t.Any) -> Report:
    """A :class:`Report` from its JSON form (version 1); raises ``ValueError``."""
    if not isinstance(data, dict) or data.get("version") != SUPPORTED_VERSION:
        raise ValueError(f"not a version {SUPPORTED_VERSION} JSON report")
    try:
        summary = data.get("summary") or {}
        links, hub = data.get("links"), data.get("hub")
        return Report(
            findings=[_finding(f) for f in data.get("findings") or ()],
            links=None if links is None else [_link(item) for item in links],
            hub=None if hub is None else [_repo(item) for item in hub],
            files_checked=int(summary.get("files") or 0),
            entries_checked=int(summary.get("entries") or 0),
            network_unavailable=summary.get("network_unavailable"),
            waived=int(summary.get("waived") or 0),
            hosts=data.get("hosts"),
            runs=_runs(data.get("runs")),
            saved_requests=_saved_requests(summary),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"malformed report: {type(exc).__name__}: {exc}") from None


def _saved_requests(summary: t.Mapping[str, t.Any]) -> int:
    """Crawl requests the Hub's answers made unnecessary (absent when none were)."""
    links = summary.get("links") or {}
    return int(links.get("saved_requests") or 0)


def _runs(data: t.Any) -> list[RunSummary] | None:
    if data is None:
        return None
    runs = [RunSummary.from_dict(item) for item in data]
    return [run for run in runs if run is not None]


def merge_runs(logs: t.Sequence[list[RunSummary]]) -> list[RunSummary]:
    """Shard run logs as one: the k-th latest run of each shard added together."""
    depth = max((len(log) for log in logs), default=0)
    merged = []
    for back in range(depth, 0, -1):
        same = [log[-back] for log in logs if len(log) >= back]
        merged.append(
            RunSummary(
                at=max(run.at for run in same),
                checked=sum(run.checked for run in same),
                failing=sum(run.failing for run in same),
            )
        )
    return merged


def read_report(path: Path) -> Report:
    """Read one JSON report file; :class:`ReportFormatError` with the file's name."""
    from validator.jsonfile import JsonFileError, load_json, shown_name

    try:
        data = load_json(path, "report")
    except JsonFileError as exc:
        raise ReportFormatError(str(exc)) from None
    try:
        return report_from_dict(data)
    except ValueError as exc:
        raise ReportFormatError(f"{shown_name(path)}: {exc}") from None


def _finding_key(finding: Finding) -> str:
    return json.dumps(finding.to_dict(), sort_keys=True, ensure_ascii=False, default=str)


_T = t.TypeVar("_T")


def _union(parts: t.Iterable[t.Sequence[_T] | None], key: t.Callable[[_T], str]) -> list[_T] | None:
    """Each item once (the first shard's copy), sorted by ``key``; ``None`` when no
    shard carried the list at all (that check did not run)."""
    merged: dict[str, _T] | None = None
    for part in parts:
        if part is None:
            continue
        merged = merged if merged is not None else {}
        for item in part:
            merged.setdefault(key(item), item)
    return None if merged is None else [merged[k] for k in sorted(merged)]


def _merged_hosts(reports: t.Sequence[Report]) -> dict[str, dict[str, int | float]] | None:
    tables = [r.hosts for r in reports if r.hosts is not None]
    return {host: row for table in tables for host, row in table.items()} if tables else None


def _merged_outage(notices: t.Sequence[str | None]) -> str | None:
    """The run-level notice: a shard's outage leaves its hosts unjudged, so it stands."""
    failed = [(i, notice) for i, notice in enumerate(notices, 1) if notice]
    if not failed:
        return None
    if len(failed) == len(notices):
        return failed[0][1]
    shards = ", ".join(str(i) for i, _ in failed)
    which = "shard report" if len(failed) == 1 else "shard reports"
    return (
        f"Network unavailable in {which} {shards} of {len(notices)}, so its links were "
        f"not judged: {failed[0][1]}"
    )


def merge_reports(reports: t.Sequence[Report]) -> Report:
    """One report from several shard reports (see the module docstring)."""
    findings: dict[str, Finding] = {}
    for report in reports:
        for finding in report.findings:
            findings.setdefault(_finding_key(finding), finding)
    logs = [r.runs for r in reports if r.runs is not None]
    return Report(
        findings=sorted(findings.values(), key=Finding.sort_key),
        links=_union((r.links for r in reports), lambda link: link.url),
        hub=_union((r.hub for r in reports), lambda repo: repo.repo),
        files_checked=max((r.files_checked for r in reports), default=0),
        entries_checked=max((r.entries_checked for r in reports), default=0),
        network_unavailable=_merged_outage([r.network_unavailable for r in reports]),
        waived=max((r.waived for r in reports), default=0),
        hosts=_merged_hosts(reports),
        runs=merge_runs(logs) if logs else None,
        saved_requests=sum(r.saved_requests for r in reports),
    )
