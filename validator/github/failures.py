"""The failures a report issue tracks, read from a JSON report's findings.

A finding of a link rule whose link failed counts once per URL, after ``fail_after``
consecutive failing runs (the crawl's history in its evidence); any other finding
counts when it is an error. Waived findings are not in a report, so they never open
an issue; the ``links`` inventory is only read for a failing link's error text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import typing as t

from validator.findings import Verdict
from validator.rulebook import RULES

_FAILING = frozenset(v.value for v in Verdict if v.is_failure)


class ReportError(Exception):
    """The report file is not a validator JSON report (version 1): one line."""


@dataclasses.dataclass(frozen=True)
class Failure:
    """One thing that needs a maintainer: a failing link or an error finding."""

    key: str
    kind: t.Literal["link", "finding"]
    what: str
    """The URL of a link, the rule id of a finding."""
    message: str
    file: str
    line: int
    entry: str | None
    first_failed: str | None = None
    runs: int | None = None

    @property
    def short_key(self) -> str:
        """What the body stores: a short hash, safe inside an HTML comment."""
        return hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:12]


def json_int(value: t.Any) -> int | None:
    """``value`` if it is a JSON integer (not a bool), else ``None``."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def json_dict(value: t.Any) -> dict[str, t.Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def json_str(value: t.Any) -> str | None:
    """``value`` if it is a JSON string, else ``None``."""
    return value if isinstance(value, str) else None


def _link_failure(
    f: dict[str, t.Any], errors: t.Mapping[str, t.Any], fail_after: int
) -> Failure | None:
    """The failure a link finding stands for, when its link failed long enough."""
    evidence = json_dict(f.get("evidence"))
    url, verdict = evidence.get("url"), evidence.get("verdict")
    if not isinstance(url, str) or verdict not in _FAILING:
        return None
    history = json_dict(evidence.get("history"))
    runs = json_int(history.get("consecutive_failures"))
    # No history (no cache) means this run is the only one we know of.
    if (runs or 1) < fail_after:
        return None
    status = json_int(evidence.get("status"))
    message = str(verdict) + (f" (HTTP {status})" if status is not None else "")
    if json_str(errors.get(url)):
        message += f": {errors[url]}"
    return Failure(
        key=f"link {url}",
        kind="link",
        what=url,
        message=message,
        file=str(f.get("file", "")),
        line=json_int(f.get("line")) or 0,
        entry=json_str(f.get("entry")),
        first_failed=json_str(history.get("first_failed")),
        runs=runs,
    )


def _check_failure(f: dict[str, t.Any]) -> Failure | None:
    """The failure an error finding of any other rule stands for."""
    if f.get("severity") != "error":
        return None
    rule, file = str(f.get("rule", "")), str(f.get("file", ""))
    entry = json_str(f.get("entry"))
    where = json_str(f.get("path")) or str(f.get("message", ""))
    return Failure(
        key=f"finding {rule} {file} {entry or ''} {where}",
        kind="finding",
        what=rule,
        message=str(f.get("message", "")),
        file=file,
        line=json_int(f.get("line")) or 0,
        entry=entry,
    )


def load_failures(report: t.Mapping[str, t.Any], *, fail_after: int) -> list[Failure]:
    """Failures that count, read from the report's findings alone.

    A finding of a link rule whose link failed counts once per URL (at its first
    place) after ``fail_after`` failing runs; any other finding counts when it is an
    error. Waived findings are not in the report, so they never open an issue; the
    ``links`` list is only read for the error text of a failing link.
    """
    if not isinstance(report, dict) or report.get("version") != 1:
        raise ReportError("not a validator JSON report (version 1)")
    findings, links = report.get("findings"), report.get("links")
    if not isinstance(findings, list) or not (links is None or isinstance(links, list)):
        raise ReportError("report has no findings list")
    errors: dict[str, t.Any] = {
        str(link.get("url")): link.get("error") for link in links or [] if isinstance(link, dict)
    }
    failures: dict[str, Failure] = {}
    for f in findings:
        if not isinstance(f, dict):
            raise ReportError("report has a finding that is not an object")
        rule = RULES.get(str(f.get("rule", "")))
        if rule is not None and rule.family == "links":
            failure = _link_failure(f, errors, fail_after)
        else:
            failure = _check_failure(f)
        if failure is not None:
            failures.setdefault(failure.key, failure)
    return sorted(failures.values(), key=lambda x: (x.kind, x.file, x.line, x.key))


__all__ = ["Failure", "ReportError", "load_failures"]
