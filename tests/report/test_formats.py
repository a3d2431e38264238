"""Shape checks beyond exact output: SARIF required fields, JUnit well-formedness, folding."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from validator.findings import Finding, LinkResult, Location, Report, Severity, Verdict
from validator.report.junit import JunitReporter
from validator.report.markdown import DETAILS_AFTER, MarkdownReporter
from validator.report.sarif import SarifReporter

from .conftest import link_findings


def test_sarif_has_what_code_scanning_requires(report: Report) -> None:
    # check-jsonschema ships no SARIF schema offline, so the fields GitHub's
    # "SARIF support for code scanning" table requires are asserted one by one.
    log = json.loads(SarifReporter(root=Path("/repo")).format(report))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "validator" and driver["semanticVersion"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert len(run["results"]) == len(report.findings) == 4
    for result in run["results"]:
        assert result["ruleId"] == ids[result["ruleIndex"]]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        physical = result["locations"][0]["physicalLocation"]
        assert not physical["artifactLocation"]["uri"].startswith("/")
        assert physical["region"]["startLine"] >= 1


def test_sarif_makes_absolute_paths_relative() -> None:
    report = Report()
    report.add(Finding("r", "m", "/repo/catalog/x.yaml", 2, 1, override=Severity.ERROR))
    log = json.loads(SarifReporter(root=Path("/repo")).format(report))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "catalog/x.yaml"}


def test_junit_strips_xml_illegal_characters_and_parses(report: Report) -> None:
    report.add(
        Finding(
            "r", 'bad \x00\x1b[31mbyte\x7f <&">', "c.yaml", 1, 1, "e\x0b", override=Severity.ERROR
        )
    )
    out = JunitReporter().format(report)
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    assert root.get("tests") == "3" and root.get("failures") == "2"
    case = root.find("./testsuite[@name='c.yaml']/testcase")
    assert case is not None and case.get("name") == "e"
    failure = case.find("failure")
    assert failure is not None and failure.get("message") == 'bad [31mbyte\x7f <&">'


def test_junit_lists_entries_whose_links_all_pass() -> None:
    link = LinkResult("https://x.test", Verdict.OK, 200, locations=(Location("m.yaml", 3, 1, "m"),))
    root = ET.fromstring(JunitReporter().format(Report(links=[link])))
    case = root.find("./testsuite/testcase")
    assert case is not None
    assert (case.get("name"), case.get("classname"), list(case)) == ("m", "m.yaml", [])


def test_markdown_folds_long_lists_into_details() -> None:
    report = Report(links=[])
    report.extend(
        Finding("r", f"m{i}", "a.yaml", i + 1, 1, entry="a", override=Severity.ERROR)
        for i in range(DETAILS_AFTER + 3)
    )
    dead = [
        LinkResult(
            f"https://x.test/{i:02}", Verdict.DEAD, 404, locations=(Location(f"b{i}.yaml", 1, 1),)
        )
        for i in range(12)
    ]
    report.links = dead
    for link in dead:
        report.extend(link_findings(link, f"{link.url} is dead"))
    out = MarkdownReporter().format(report)
    assert "<details><summary>3 more findings</summary>" in out
    assert "<details><summary>12 failing links</summary>" in out
    assert out.count("</details>") == 2
    # The folded finding still links to its line.
    assert "[line 13](a.yaml#L13): m12" in out


def test_markdown_escapes_html_and_table_breaks() -> None:
    report = Report()
    report.add(Finding("r", "<script>|x\ny", "a.yaml", 1, 1, entry="a", override=Severity.ERROR))
    assert "&lt;script&gt;\\|x y" in MarkdownReporter().format(report)


def test_markdown_links_quote_unusual_file_names() -> None:
    report = Report()
    report.add(Finding("r", "m", "cat alog/a (1).yaml", 2, 1, entry="a", override=Severity.ERROR))
    out = MarkdownReporter(blob_base_url="https://h/o/r/blob/s").format(report)
    assert "(https://h/o/r/blob/s/cat%20alog/a%20%281%29.yaml#L2)" in out


def _sarif_uri(file: str) -> str:
    report = Report()
    report.add(Finding("r", "m", file, 2, 1, override=Severity.ERROR))
    log = json.loads(SarifReporter(root=Path("/repo")).format(report))
    physical = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    return str(physical["artifactLocation"]["uri"])


def test_sarif_uris_are_percent_encoded_relative_references() -> None:
    # artifactLocation.uri is a URI reference: a space must be %20, '%' and '#' must be
    # escaped, and a ':' in the first segment would read as a URI scheme.
    assert _sarif_uri("catalog/my models/a b.yaml") == "catalog/my%20models/a%20b.yaml"
    assert _sarif_uri("/repo/cat alog/x#1 100%.yaml") == "cat%20alog/x%231%20100%25.yaml"
    assert _sarif_uri("c:x.yaml") == "c%3Ax.yaml"
    assert _sarif_uri("./catalog/é.yaml") == "catalog/%C3%A9.yaml"


def test_sarif_results_are_written_as_json_dumps_writes_their_data() -> None:
    # The reporter writes each result's text directly (50,000 results: 2 s of CPU
    # saved); it must be the text of the result's data, whatever the strings hold.
    awkward = ['a "quoted" \\ message', "é\x00\x01\u2028", "},{", "", "x\ny"]
    findings = [
        Finding(rule, message, file, line=line, column=column, entry=entry, override=severity)
        for rule, message, file, line, column, entry, severity in [
            ("link-dead", awkward[0], "docs/a b.md", 3, 9, None, None),
            ("made-up-rule", awkward[1], "/repo/x.yaml", 0, 0, "gpt-x", Severity.WARNING),
            ("link-dead", awkward[2], "c:x.md", 7, 0, awkward[3] or "e", Severity.INFO),
            ("link-dead", awkward[4], "z.md", 1, 1, awkward[1], None),
        ]
    ]
    report = Report(findings=findings)
    text = SarifReporter(root=Path("/repo")).format(report)
    log = json.loads(text)
    assert len(log["runs"][0]["results"]) == 4
    assert json.dumps(log, indent=2, ensure_ascii=False) + "\n" == text
    (made_up,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "made-up-rule"]
    assert made_up["properties"] == {"entry": "gpt-x"}
    assert made_up["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert SarifReporter().format(Report()).count('"results": []') == 1
