"""JSON report, version 1: the stable machine-readable shape.

``{"version": 1, "tool": {...}, "summary": {...}, "findings": [...], "links": [...],
"hub": [...]}``. ``links`` is ``null`` when no crawl ran, ``hub`` when no Hub check ran.
Field names are a contract: add, never rename.
"""

from __future__ import annotations

import functools
import json
import typing as t

from validator import __version__
from validator.findings import LinkResult, Report
from validator.report import jsontext
from validator.report.base import Reporter

JSON_REPORT_VERSION = 1


def report_to_dict(report: Report) -> dict[str, t.Any]:
    """The JSON-compatible form of a report (also read back by ``issue sync``).

    ``runs`` (the cache's run log, this run last) is present only when a crawl used a
    cache; ``hosts`` (per-host crawl figures) only when ``--host-stats`` asked.
    """
    links = None if report.links is None else [link.to_dict() for link in _links(report)]
    return _shape(report, [f.to_dict() for f in report.sorted_findings()], links)


def _links(report: Report) -> list[t.Any]:
    return sorted(report.links or [], key=lambda r: r.url)


def _shape(report: Report, findings: t.Any, links: t.Any) -> dict[str, t.Any]:
    out = {
        "version": JSON_REPORT_VERSION,
        "tool": {"name": "validator", "version": __version__},
        "summary": report.summary(),
        "findings": findings,
        "links": links,
        "hub": None
        if report.hub is None
        else [repo.to_dict() for repo in sorted(report.hub, key=lambda r: r.repo)],
    }
    if report.runs is not None:
        out["runs"] = [run.to_dict() for run in report.runs]
    if report.hosts is not None:
        out["hosts"] = {host: dict(figures) for host, figures in sorted(report.hosts.items())}
    return out


_FINDINGS, _LINKS = "\x00findings\x00", "\x00links\x00"


def _dumps(value: t.Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _list(items: t.Iterable[t.Any]) -> list[str]:
    """A top-level key's list, as ``indent=2`` writes it, one item encoded at a time:
    the pieces, joined once with the rest of the report."""
    parts = ["[\n    "]
    for item in items:
        parts += (jsontext.dumps(item, "    "), ",\n    ")
    if len(parts) == 1:
        return ["[]"]
    parts[-1] = "\n  ]"
    return parts


_ENCODE = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


def _scalar(value: t.Any) -> str:
    """A JSON scalar as ``json.dumps`` writes it (``ensure_ascii=False``)."""
    if value is None:
        return "null"
    if value.__class__ is str:
        return _ENCODE(value)
    if value.__class__ is int:
        return int.__repr__(value)
    return jsontext.dumps(value)


def _object(pairs: t.Iterable[tuple[str, t.Any]], indent: str) -> str:
    """A flat JSON object (scalar values) at ``indent``; ``{}`` when empty."""
    inner = ",\n" + indent + "  "
    body = inner.join(f"{_ENCODE(key)}: {_scalar(value)}" for key, value in pairs)
    return f"{{{inner[1:]}{body}\n{indent}}}" if body else "{}"


_LINK_KEYS = (
    *("url", "verdict", "status", "final_url", "redirects"),
    *("attempts", "elapsed_ms", "error", "history", "locations"),
)
_HOP_KEYS = ("status", "url")
_PLACE_KEYS = ("file", "line", "column", "entry", "field", "path")


@functools.lru_cache(maxsize=8)
def _shapes(indent: str) -> tuple[str, str, str, str, str, str]:
    """A link's text at ``indent``, ``%s`` for each value (``LinkResult.to_dict``'s keys,
    in its order): the link up to its last key, ``answered_by``, a hop, a place, and
    what opens, separates and closes a list of hops or places."""
    i1, i2, i3 = indent + "  ", indent + "    ", indent + "      "

    def keys(names: tuple[str, ...], inner: str) -> str:
        return f",\n{inner}".join(f'"{name}": %s' for name in names)

    hop = f"{{\n{i3}{keys(_HOP_KEYS, i3)}\n{i2}}}"
    place = f"{{\n{i3}{keys(_PLACE_KEYS, i3)}\n{i2}}}"
    return f"{{\n{i1}{keys(_LINK_KEYS, i1)}", f',\n{i1}"answered_by": %s', hop, place, i2, i1


def _link_text(link: LinkResult, histories: dict[int, str]) -> jsontext.Verbatim:
    """``link.to_dict()`` as JSON text, filled into its shape: through the general writer
    100,000 links took ~38 us each, ~10 us here. ``histories``: the text of each history
    (most links share one). ``tests/report/test_json_links_streamed.py`` holds it to
    ``json.dumps`` of ``to_dict``, so a field added to one and not the other fails."""

    def write(indent: str) -> str:
        head, answered, hop, place, i2, i1 = _shapes(indent)
        history = histories.get(id(link.history))
        if history is None:
            pairs = link.history.to_dict().items() if link.history else ()
            history = histories[id(link.history)] = _object(pairs, i1)
        hops = [hop % (_scalar(status), _scalar(url)) for status, url in link.redirects]
        places = [
            place % tuple(map(_scalar, (p.file, p.line, p.column, p.entry, p.field, p.path)))
            for p in link.locations
        ]
        text = head % (
            _scalar(link.url),
            _ENCODE(link.verdict.value),
            _scalar(link.status),
            _scalar(link.final_url),
            _items(hops, i2, i1),
            _scalar(link.attempts),
            _scalar(link.elapsed_ms),
            _scalar(link.error),
            history,
            _items(places, i2, i1),
        )
        if link.answered_by:
            text += answered % _scalar(link.answered_by)
        return f"{text}\n{indent}}}"

    return jsontext.Verbatim(write)


def _items(texts: list[str], inner: str, indent: str) -> str:
    """A JSON list of written items, ``[]`` when empty."""
    return f"[\n{inner}" + f",\n{inner}".join(texts) + f"\n{indent}]" if texts else "[]"


class JsonReporter(Reporter):
    """Pretty-printed JSON, stable key order, trailing newline."""

    name = "json"

    def format(self, report: Report) -> str:
        """Render the report as JSON version 1.

        The same text as ``json.dumps(report_to_dict(report), indent=2)``, but the long
        lists (findings, links) are encoded item by item: the whole report never exists
        as one tree of dicts plus the encoder's millions of pieces.
        """
        marked = _shape(report, _FINDINGS, None if report.links is None else _LINKS)
        head, rest = _dumps(marked).split(_dumps(_FINDINGS), 1)
        findings = _list(f.to_dict() for f in report.sorted_findings())
        if report.links is None:
            return "".join([head, *findings, rest, "\n"])
        middle, tail = rest.split(_dumps(_LINKS), 1)
        histories: dict[int, str] = {}
        links = _list(_link_text(link, histories) for link in _links(report))
        # one join: the text exists once, not once per concatenation
        return "".join([head, *findings, middle, *links, tail, "\n"])
