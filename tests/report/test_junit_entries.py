"""JUnit lists every checked entry, so a clean entry shows as a passing test case."""

from validator.findings import Finding, Report
from validator.report import get_reporter


def test_clean_entries_are_passing_cases_and_failing_ones_fail() -> None:
    report = Report(
        findings=[Finding("schema", "bad", "c/b.yaml", 3, 1, entry="b")],
        entries=[("c/a.yaml", "a"), ("c/b.yaml", "b")],
    )
    xml = get_reporter("junit").format(report)
    assert '<testsuites name="validator" tests="2" failures="1"' in xml
    assert '<testcase name="a" classname="c/a.yaml" file="c/a.yaml" />' in xml
    assert '<failure message="bad" type="schema">3:1 error schema: bad</failure>' in xml
