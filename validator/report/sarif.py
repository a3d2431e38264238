"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

GitHub reads one run, the driver's rules and, per result, ``ruleId``, ``level``,
``message.text`` and the first location's relative ``artifactLocation.uri`` with a
``region.startLine`` (GitHub docs, "SARIF support for code scanning"). ``ruleId`` must
stay the same across runs for alerts to deduplicate, so rule ids are the validator's
own and failing links use ``link-<verdict>``. Paths stay repository-relative: an
absolute path is made relative to ``root`` (default: the working directory), and the
URI is percent-encoded (``a b.yaml`` → ``a%20b.yaml``).
"""

from __future__ import annotations

import json
import typing as t
import urllib.parse
from pathlib import Path, PurePosixPath

from validator import __version__
from validator.findings import Report, Severity
from validator.report.base import Reporter
from validator.report.github import Problem, problems
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
    return urllib.parse.quote(posix, safe="/")


def _rule(rule: str, first: Problem) -> dict[str, t.Any]:
    known = RULES.get(rule)
    short = known.summary if known else rule.replace("-", " ").capitalize()
    level = _LEVELS[known.severity if known else first.severity]
    if known is not None:
        full = f"{known.summary} (validator rule `{rule}`; see docs/rules.md)"
        help_text = first.hint or f"See docs/rules.md for the rule `{rule}`."
    elif first.link is not None:
        full = f"A catalog link failed its check with the verdict `{first.link.verdict.value}`."
        help_text = "Fix or replace the URL in the catalog entry, or add a waiver with a reason."
    else:
        full = f"A finding of the validator rule `{rule}`, for example: {first.message}"
        help_text = first.hint or f"See the validator documentation for the rule `{rule}`."
    return {
        "id": rule,
        "name": rule,
        "shortDescription": {"text": short[:1024]},
        "fullDescription": {"text": full},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": level},
    }


class SarifReporter(Reporter):
    """One run, one rule per rule id seen, one result per problem and place."""

    name = "sarif"

    def __init__(self, *, color: bool = False, root: Path | None = None, **options: t.Any) -> None:
        super().__init__(color=color, **options)
        self.root = root

    def format(self, report: Report) -> str:
        """The SARIF log as indented JSON with a trailing newline."""
        root = self.root or Path.cwd()
        found = sorted(problems(report), key=lambda p: (p.file, p.line, p.column, p.rule))
        first: dict[str, Problem] = {}
        for p in found:
            first.setdefault(p.rule, p)
        rule_ids = sorted(first)
        index = {rule: i for i, rule in enumerate(rule_ids)}
        results = []
        for p in found:
            region: dict[str, int] = {"startLine": max(p.line, 1)}
            if p.column > 0:
                region["startColumn"] = p.column
            result: dict[str, t.Any] = {
                "ruleId": p.rule,
                "ruleIndex": index[p.rule],
                "level": _LEVELS[p.severity],
                "message": {"text": p.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(p.file, root)},
                            "region": region,
                        }
                    }
                ],
            }
            if p.entry:
                result["properties"] = {"entry": p.entry}
            results.append(result)
        log = {
            "$schema": SARIF_SCHEMA,
            "version": SARIF_VERSION,
            "runs": [
                {
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
            ],
        }
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
