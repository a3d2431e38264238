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


class JunitReporter(Reporter):
    """``<testsuites>`` → a suite per file → a case per entry."""

    name = "junit"

    def format(self, report: Report) -> str:
        """The XML document, UTF-8 declaration first, indented, trailing newline."""
        cases: dict[str, dict[str, list[Finding]]] = {}
        for p in report.sorted_findings():
            name = p.entry or PurePosixPath(p.file).name
            cases.setdefault(p.file, {}).setdefault(name, []).append(p)
        # Every checked entry is a test case, passing ones included.
        for file, entry in report.entries:
            cases.setdefault(file, {}).setdefault(entry, [])
        for link in report.links or ():
            for loc in link.locations:
                if loc.entry:
                    cases.setdefault(loc.file, {}).setdefault(loc.entry, [])

        root = ET.Element("testsuites", name="validator")
        total = failed = 0
        for file in sorted(cases):
            suite = ET.SubElement(root, "testsuite", name=xml_text(file))
            suite_failed = 0
            for name in sorted(cases[file]):
                found = sorted(cases[file][name], key=lambda p: (p.line, p.column, p.rule))
                errors = [p for p in found if p.severity is Severity.ERROR]
                others = [p for p in found if p.severity is not Severity.ERROR]
                case = ET.SubElement(
                    suite, "testcase", name=xml_text(name), classname=xml_text(file)
                )
                case.set("file", xml_text(file))
                lines = [p.line for p in (errors or found) if p.line > 0]
                if lines:
                    case.set("line", str(min(lines)))
                if errors:
                    suite_failed += 1
                    failure = ET.SubElement(
                        case,
                        "failure",
                        message=xml_text(errors[0].message),
                        type=xml_text(errors[0].rule),
                    )
                    failure.text = xml_text("\n".join(_case_line(p) for p in errors))
                if others:
                    out = ET.SubElement(case, "system-out")
                    out.text = xml_text("\n".join(_case_line(p) for p in others))
            count = len(cases[file])
            for key, value in (("tests", count), ("failures", suite_failed)):
                suite.set(key, str(value))
            suite.set("errors", "0")
            suite.set("skipped", "0")
            total += count
            failed += suite_failed
        root.set("tests", str(total))
        root.set("failures", str(failed))
        root.set("errors", "0")
        root.set("skipped", "0")
        if report.network_unavailable:
            ET.SubElement(root, "system-err").text = xml_text(report.network_unavailable)
        ET.indent(root)
        body = ET.tostring(root, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
