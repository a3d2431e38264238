"""JSON report, version 1: the stable machine-readable shape.

``{"version": 1, "tool": {...}, "summary": {...}, "findings": [...], "links": [...],
"hub": [...]}``. ``links`` is ``null`` when no crawl ran, ``hub`` when no Hub check ran.
Field names are a contract: add, never rename.
"""

from __future__ import annotations

import json
import typing as t
import uuid

from validator import __version__
from validator.findings import Report
from validator.report.base import Reporter

JSON_REPORT_VERSION = 1


def report_to_dict(report: Report, *, links: t.Any = True) -> dict[str, t.Any]:
    """The JSON-compatible form of a report (also read back by ``issue sync``).

    ``links=True`` puts the link results in; anything else stands in their place
    (:class:`JsonReporter` writes them one at a time).

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
        else [link.to_dict() for link in sorted(report.links, key=lambda r: r.url)]
        if links is True
        else links,
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
        """Render the report as JSON version 1.

        The link results are encoded one at a time (the same bytes as one
        ``json.dumps`` of the whole report): a crawl of 100,000 URLs would otherwise
        hold every link as a dict and millions of string pieces at once.
        """
        if not report.links:
            return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
        mark = f"links-{uuid.uuid4().hex}"
        text = json.dumps(report_to_dict(report, links=mark), indent=2, ensure_ascii=False)
        items = ",\n    ".join(
            json.dumps(link.to_dict(), indent=2, ensure_ascii=False).replace("\n", "\n    ")
            for link in sorted(report.links, key=lambda r: r.url)
        )
        return text.replace(f'"{mark}"', f"[\n    {items}\n  ]", 1) + "\n"
