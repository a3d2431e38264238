"""Every format tells the same story: the cross-format matrix.

Each command (``links``, ``validate --online``) runs once per scenario through the real
CLI and pipeline, writing all seven formats at once (``--output FORMAT:PATH``); only the
network is replaced, by an online stage that judges the entry's URLs as a crawl would
(the real verdict -> finding code makes the findings). For each output the test reads
back what that format presents as a problem, and whether it carries the run-level
outage notice, and asserts one answer for all seven (the issue's six and HTML):

* clean: no problem, no notice, exit 0;
* unwaived failure: the one ``link-dead``, exit 1;
* waived failure: no problem anywhere (its URL appears in no format but the JSON
  inventory), "1 waived", exit 0;
* outage: no problem, the notice in every format, exit 3;
* real outage: the real crawler with no network (the test guard resolves no public
  name) and a link to a host that refuses link checkers (``blocked`` without a
  request): still no problem in any format, only the notice, exit 3.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.cli import main
from validator.findings import LinkResult, Verdict
from validator.options import RunOptions
from validator.pipeline import OnlineOutcome, OnlineTargets

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEAD = "https://example.org/blog/2023/05/tiny"
OUTAGE = "Network unavailable: none of the 2 hosts could be reached (example.org: unknown host)"
TWEET = "https://twitter.com/example/status/1"
REAL_OUTAGE = (  # the same host every run: the first by name, not the first to fail
    "Network unavailable: none of the {hosts} hosts could be reached (arxiv.org: unknown host"
    " arxiv.org (tests may not resolve 'arxiv.org')), so no link was judged."
)
REAL_HOSTS = {"links": 6, "validate": 6}  # both check the license glossary's URLs too
FORMATS = ("text", "json", "markdown", "github", "sarif", "junit", "html")
WAIVER = """waivers:
  - rule: link-dead
    reason: The blog is gone; the entry keeps it as the citation of record.
"""


def fake_stage(outage: bool):  # type: ignore[no-untyped-def]
    """An online stage that judges every URL without a network, as the crawler would."""

    def stage(targets: OnlineTargets, options: RunOptions) -> OnlineOutcome:
        from validator.links import refs_from_entries
        from validator.links.verdicts import finding_for

        refs = targets.refs if targets.refs is not None else refs_from_entries(targets.entries)
        results, findings = [], []
        for url in sorted({r.url for r in refs}):
            places = [r for r in refs if r.url == url]
            if outage:
                verdict, error = Verdict.ERROR, "unknown host"
            else:
                verdict, error = (Verdict.DEAD, "HTTP 404") if url == DEAD else (Verdict.OK, None)
            result = LinkResult(
                url, verdict, 404 if verdict is Verdict.DEAD else None, error=error,
                locations=tuple(r.location for r in places),
            )  # fmt: skip
            results.append(result)
            if not outage:
                findings += [f for r in places if (f := finding_for(result, r)) is not None]
        return OnlineOutcome(
            findings=findings,
            links=results,
            network_unavailable=OUTAGE if outage else None,
            families={"links"},
            entries={entry.file for entry in targets.entries},
        )

    return stage


def problems(fmt: str, text: str) -> list[str]:
    """The rule ids a format presents as problems, one per problem shown."""
    if fmt == "text":
        return re.findall(r"^  \S+ +(?:error|warning|info) +(\S+) ", text, re.M)
    if fmt == "json":
        return [f["rule"] for f in json.loads(text)["findings"]]
    if fmt == "markdown":
        rows = re.findall(r"^\| (?:dead|error|timeout|fragment-missing) \|", text, re.M)
        return re.findall(r"^- \*\*\w+\*\* `([^`]+)`", text, re.M) + ["row"] * len(rows)
    if fmt == "github":
        return re.findall(r"^::\w+ file=.*?title=([^:( ]+)", text, re.M)
    if fmt == "sarif":
        return [r["ruleId"] for r in json.loads(text)["runs"][0]["results"]]
    if fmt == "html":
        rows = re.findall(r'<tr class="failing">', text)
        return re.findall(r'<tr class="finding">.*?<code>([^<]+)</code>', text) + ["row"] * len(
            rows
        )
    root = ET.fromstring(text)
    lines = [
        line
        for node in root.iter()
        if node.tag in ("failure", "system-out") and node.text
        for line in node.text.splitlines()
    ]
    return [line.split()[2].rstrip(":") for line in lines]


def notice(fmt: str, text: str, outage: str = OUTAGE) -> bool:
    """Whether a format carries the run-level outage notice."""
    OUTAGE = outage  # noqa: N806 - the notice this scenario expects
    if fmt == "json":
        return json.loads(text)["summary"].get("network_unavailable") == OUTAGE
    if fmt == "sarif":
        invocations = json.loads(text)["runs"][0].get("invocations", [])
        notes = [n for i in invocations for n in i["toolExecutionNotifications"]]
        return [n["message"]["text"] for n in notes] == [OUTAGE]
    if fmt == "junit":
        return [e.text for e in ET.fromstring(text).iter("system-err")] == [OUTAGE]
    marks = {
        "text": f"links not judged. {OUTAGE}\n",
        "markdown": f"> **Notice:** {OUTAGE}\n",
        "github": f"::notice title=validator::{OUTAGE}\n",
        "html": f'<p class="banner" role="alert">{html.escape(OUTAGE)}</p>',
    }
    return marks[fmt] in text


@pytest.mark.parametrize("command", ["links", "validate"])
@pytest.mark.parametrize(
    "scenario", ["clean", "unwaived failure", "waived failure", "outage", "real outage"]
)
def test_every_format_tells_the_same_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, scenario: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "catalog").mkdir()
    shutil.copy(EXAMPLES / "licenses.yaml", tmp_path / "catalog" / "licenses.yaml")
    entry = (EXAMPLES / "positive" / "tiny-model.yaml").read_text(encoding="utf-8")
    if scenario == "clean":
        entry = entry.replace(DEAD, "https://example.org/blog/2023/05/tiny-ok")
    if scenario == "waived failure":
        entry += WAIVER
    if scenario == "real outage":
        entry = entry.replace(
            "  - title: Paper\n", f"  - title: Tweet\n    url: {TWEET}\n" + "  - title: Paper\n"
        )
    (tmp_path / "catalog" / "tiny-model.yaml").write_text(entry, encoding="utf-8")
    outage = scenario in ("outage", "real outage")
    real = REAL_OUTAGE.format(hosts=REAL_HOSTS[command])
    expected_notice = real if scenario == "real outage" else OUTAGE
    if scenario != "real outage":
        monkeypatch.setattr("validator.pipeline._default_online", lambda: fake_stage(outage))

    args = [command, "catalog"] + (["--online", "--no-hub"] if command == "validate" else [])
    if scenario == "real outage":
        args += ["--no-cache", "--max-retries", "0"]
    outputs = [f"--output={fmt}:{fmt}.out" for fmt in FORMATS]
    result = CliRunner().invoke(main, [*args, *outputs])
    assert "Traceback" not in result.output, result.output

    expected = ["link-dead"] if scenario == "unwaived failure" else []
    code = {"clean": 0, "unwaived failure": 1, "waived failure": 0}.get(scenario, 3)
    assert result.exit_code == code, result.output
    told = {}
    for fmt in FORMATS:
        text = (tmp_path / f"{fmt}.out").read_text(encoding="utf-8")
        shown = problems(fmt, text)
        # Markdown and HTML list a failing link twice: the finding and its table row.
        told[fmt] = [rule for rule in shown if rule != "row"]
        if fmt in ("markdown", "html"):
            assert shown.count("row") == len(expected), text
        assert notice(fmt, text, expected_notice) is outage, (fmt, text)
        # an outage judged no link: no format's summary counts links as checked
        assert ("links checked" in text or "links-checked" in text) is False or not outage, fmt
        if scenario in ("waived failure", "outage", "real outage") and fmt != "json":
            # JSON's links list and HTML's per-host table are inventories, not problems.
            shown_text = re.sub(r'<section id="hosts">.*?</section>', "", text, flags=re.S)
            shown_text = shown_text.replace(expected_notice, "")
            shown_text = shown_text.replace(html.escape(expected_notice), "")
            assert DEAD not in shown_text and "example.org" not in shown_text, (fmt, text)
            assert TWEET not in shown_text, (fmt, text)
    assert told == dict.fromkeys(FORMATS, expected)
    summary = json.loads((tmp_path / "json.out").read_text(encoding="utf-8"))["summary"]
    assert summary["waived"] == (1 if scenario == "waived failure" else 0)
    # links counts entries as validate does: the license glossary is no entry
    assert summary["entries"] == 1
    cases = ET.fromstring((tmp_path / "junit.out").read_text(encoding="utf-8")).iter("testcase")
    assert [case.get("name") for case in cases] == ["tiny-model"]
    assert (expected_notice in result.stderr) is outage
