"""JSON report, version 1: the stable machine-readable shape.

``{"version": 1, "tool": {...}, "summary": {...}, "findings": [...], "links": [...],
"hub": [...]}``. ``links`` is ``null`` when no crawl ran, ``hub`` when no Hub check ran.
Field names are a contract: add, never rename.
"""

from __future__ import annotations

import json
import typing as t

from validator import __version__
from validator.findings import Report
from validator.report.base import Reporter

JSON_REPORT_VERSION = 1


def report_to_dict(report: Report) -> dict[str, t.Any]:
    """The JSON-compatible form of a report (also read back by ``issue sync``).

    ``runs`` (the cache's run log, this run last) is present only when a crawl used a
    cache; ``hosts`` (per-host crawl figures) only when ``--host-stats`` asked.
    """
    out = {
        "version": JSON_REPORT_VERSION,
        "tool": {"name": "validator", "version": __version__},
        "summary": report.summary(),
        "findings": [f.to_dict() for f in report.sorted_findings()],
        "links": None
        if report.links is None
        else [link.to_dict() for link in sorted(report.links, key=lambda r: r.url)],
        "hub": None
        if report.hub is None
        else [repo.to_dict() for repo in sorted(report.hub, key=lambda r: r.repo)],
    }
    if report.runs is not None:
        out["runs"] = [run.to_dict() for run in report.runs]
    if report.hosts is not None:
        out["hosts"] = {host: dict(figures) for host, figures in sorted(report.hosts.items())}
    return out


class JsonReporter(Reporter):
    """Pretty-printed JSON, stable key order, trailing newline."""

    name = "json"

    def format(self, report: Report) -> str:
        """Render the report as JSON version 1."""
        return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
