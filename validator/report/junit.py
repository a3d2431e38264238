"""JUnit XML: one test case per catalog entry, for CI systems that chart test results.

JUnit has no official specification; this follows testmoapp/junitxml (as lychee does):
root ``<testsuites>``, one ``<testsuite>`` per file, one ``<testcase>`` per entry with
``classname`` = file and ``name`` = entry id, a ``<failure>`` when the entry has
findings of severity error, warnings and infos in ``<system-out>``. Problems come from
the findings alone; a network outage is one ``<system-err>`` on the root.
The non-standard ``file`` and ``line`` attributes let annotation actions place failures.
Entries are the ones the report names (in findings or link locations); findings outside
any entry become a case named after the file. The tree is built with ElementTree, which
escapes markup; characters XML 1.0 cannot carry at all are removed first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

from validator.escape import xml_text
from validator.findings import Finding, Report, Severity
from validator.report.base import Reporter


def _case_line(p: Finding) -> str:
    where = f"{p.line}:{p.column}" if p.line else "-"
    return f"{where} {p.severity.label} {p.rule}: {p.message}"


def _cases(report: Report) -> dict[str, dict[str, list[Finding]]]:
    """file -> case name -> its findings; every checked entry is a case, passing or not."""
    cases: dict[str, dict[str, list[Finding]]] = {}
    for p in report.sorted_findings():
        name = p.entry or PurePosixPath(p.file).name
        cases.setdefault(p.file, {}).setdefault(name, []).append(p)
    for file, entry in report.entries:
        cases.setdefault(file, {}).setdefault(entry, [])
    for link in report.links or ():
        for loc in link.locations:
            if loc.entry:
                cases.setdefault(loc.file, {}).setdefault(loc.entry, [])
    return cases


def _case(suite: ET.Element, file: str, name: str, findings: list[Finding]) -> bool:
    """Add one ``<testcase>``; whether it failed (has errors)."""
    found = sorted(findings, key=lambda p: (p.line, p.column, p.rule))
    errors = [p for p in found if p.severity is Severity.ERROR]
    others = [p for p in found if p.severity is not Severity.ERROR]
    case = ET.SubElement(suite, "testcase", name=xml_text(name), classname=xml_text(file))
    case.set("file", xml_text(file))
    lines = [p.line for p in (errors or found) if p.line > 0]
    if lines:
        case.set("line", str(min(lines)))
    if errors:
        failure = ET.SubElement(
            case, "failure", message=xml_text(errors[0].message), type=xml_text(errors[0].rule)
        )
        failure.text = xml_text("\n".join(_case_line(p) for p in errors))
    if others:
        out = ET.SubElement(case, "system-out")
        out.text = xml_text("\n".join(_case_line(p) for p in others))
    return bool(errors)


def _counts(element: ET.Element, tests: int, failures: int) -> None:
    for key, value in (("tests", tests), ("failures", failures), ("errors", 0), ("skipped", 0)):
        element.set(key, str(value))


class JunitReporter(Reporter):
    """``<testsuites>`` → a suite per file → a case per entry."""

    name = "junit"

    def format(self, report: Report) -> str:
        """The XML document, UTF-8 declaration first, indented, trailing newline."""
        cases = _cases(report)
        root = ET.Element("testsuites", name="validator")
        total = failed = 0
        for file in sorted(cases):
            suite = ET.SubElement(root, "testsuite", name=xml_text(file))
            suite_failed = sum(_case(suite, file, n, cases[file][n]) for n in sorted(cases[file]))
            _counts(suite, len(cases[file]), suite_failed)
            total += len(cases[file])
            failed += suite_failed
        _counts(root, total, failed)
        if report.network_unavailable:
            ET.SubElement(root, "system-err").text = xml_text(report.network_unavailable)
        ET.indent(root)
        body = ET.tostring(root, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
