"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

GitHub reads one run, the driver's rules and, per result, ``ruleId``, ``level``,
``message.text`` and the first location's relative ``artifactLocation.uri`` with a
``region.startLine`` (GitHub docs, "SARIF support for code scanning"). ``ruleId`` must
stay the same across runs for alerts to deduplicate, so rule ids are the validator's
own, described from the rule book. One result per finding and nothing else (waived
findings and link or Hub inventories are not findings); a network outage is one
``invocations[].toolExecutionNotifications`` entry. Paths stay repository-relative: an
absolute path is made relative to ``root`` (default: the working directory), and the
URI is percent-encoded (``a b.yaml`` → ``a%20b.yaml``).
"""

from __future__ import annotations

import functools
import typing as t
from json.encoder import encode_basestring as _quote
from pathlib import Path, PurePosixPath

from validator import __version__
from validator.escape import file_uri_path
from validator.findings import Finding, Report, Severity
from validator.report import jsontext
from validator.report.base import Reporter
from validator.rulebook import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/open-models/validator"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(file: str, root: Path) -> str:
    """``artifactLocation.uri``: a relative URI reference with forward slashes.

    It is a URI, not a path: spaces, ``%``, ``#``, ``?``, ``:`` and non-ASCII
    characters are percent-encoded (UTF-8), so ``a b.yaml`` is ``a%20b.yaml`` and a
    ``c:x.yaml`` does not read as a URI scheme. A path outside ``root`` stays an
    absolute ``file://`` URI.
    """
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError:
            return path.as_uri()
    posix = str(PurePosixPath(*path.parts)) if path.parts else file
    return file_uri_path(posix)


def _rule(rule: str, first: Finding) -> dict[str, t.Any]:
    known = RULES.get(rule)
    if known is None:  # a rule outside the book (only with an explicit severity)
        return {
            "id": rule,
            "name": rule,
            "shortDescription": {"text": rule.replace("-", " ").capitalize()},
            "fullDescription": {"text": f"A finding of the rule `{rule}`: {first.message}"},
            "help": {"text": first.hint or f"See the validator documentation for `{rule}`."},
            "defaultConfiguration": {"level": _LEVELS[first.severity]},
        }
    return {
        "id": rule,
        "name": rule,
        "shortDescription": {"text": known.title[:1024]},
        "fullDescription": {"text": f"{known.title} (validator rule `{rule}`; see docs/rules.md)"},
        "help": {"text": known.help_text},
        "helpUri": f"{INFORMATION_URI}/blob/main/{known.docs_anchor}",
        "defaultConfiguration": {"level": _LEVELS[known.severity]},
    }


def _result(f: Finding, index: int, uri: t.Callable[[str], str]) -> dict[str, t.Any]:
    region: dict[str, int] = {"startLine": max(f.line, 1)}
    if f.column > 0:
        region["startColumn"] = f.column
    result: dict[str, t.Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": _LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(f.file)},
                    "region": region,
                }
            }
        ],
    }
    if f.entry:
        result["properties"] = {"entry": f.entry}
    return result


def _result_text(f: Finding, index: int, uri: t.Callable[[str], str], indent: str) -> str:
    """``jsontext.dumps(_result(f, index, uri), indent)``, written directly: 50,000
    results went through the general writer at 2 s of CPU (tests/report/test_formats.py
    compares the two)."""
    k = indent + "  "
    column = f',\n{k}        "startColumn": {int(f.column)}' if f.column > 0 else ""
    properties = (
        f',\n{k}"properties": {{\n{k}  "entry": {_quote(f.entry)}\n{k}}}' if f.entry else ""
    )
    return (
        f'{{\n{k}"ruleId": {_quote(f.rule)},\n{k}"ruleIndex": {int(index)},\n'
        f'{k}"level": {_quote(_LEVELS[f.severity])},\n'
        f'{k}"message": {{\n{k}  "text": {_quote(f.message)}\n{k}}},\n'
        f'{k}"locations": [\n{k}  {{\n{k}    "physicalLocation": {{\n'
        f'{k}      "artifactLocation": {{\n{k}        "uri": {_quote(uri(f.file))}\n{k}      }},\n'
        f'{k}      "region": {{\n{k}        "startLine": {int(max(f.line, 1))}{column}\n'
        f"{k}      }}\n{k}    }}\n{k}  }}\n{k}]{properties}\n{indent}}}"
    )


def _results(found: list[Finding], index: dict[str, int], uri: t.Callable[[str], str]) -> t.Any:
    """The results list, for :func:`jsontext.dumps` to put in at its place."""

    def write(indent: str) -> str:
        if not found:
            return "[]"
        inner = indent + "  "
        items = (_result_text(f, index[f.rule], uri, inner) for f in found)
        return f"[\n{inner}" + f",\n{inner}".join(items) + f"\n{indent}]"

    return jsontext.Verbatim(write)


class SarifReporter(Reporter):
    """One run, one rule per rule id seen, one result per problem and place."""

    name = "sarif"

    def __init__(self, *, color: bool = False, root: Path | None = None, **options: t.Any) -> None:
        super().__init__(color=color, **options)
        self.root = root

    def format(self, report: Report) -> str:
        """The SARIF log as indented JSON with a trailing newline."""
        root = self.root or Path.cwd()
        found = report.sorted_findings()
        first: dict[str, Finding] = {}
        for f in found:
            first.setdefault(f.rule, f)
        rule_ids = sorted(first)
        index = {rule: i for i, rule in enumerate(rule_ids)}
        uri = functools.lru_cache(maxsize=None)(lambda file: _uri(file, root))  # per file once
        results = _results(found, index, uri)
        run: dict[str, t.Any] = {
            "tool": {
                "driver": {
                    "name": "validator",
                    "semanticVersion": __version__,
                    "informationUri": INFORMATION_URI,
                    "rules": [_rule(r, first[r]) for r in rule_ids],
                }
            },
            "results": results,
        }
        if report.network_unavailable:
            run["invocations"] = [
                {
                    "executionSuccessful": True,
                    "toolExecutionNotifications": [
                        {"level": "warning", "message": {"text": report.network_unavailable}}
                    ],
                }
            ]
        log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
        return jsontext.dumps(log) + "\n"
