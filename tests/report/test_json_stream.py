"""The JSON reporter encodes its long lists item by item, to exactly ``json.dumps``'s text."""

import json

import pytest

from validator.findings import Finding, Report
from validator.hub.result import RepoResult, RepoVerdict
from validator.report import get_reporter
from validator.report.json import report_to_dict

from .conftest import make_report


def _hostile() -> Report:
    report = make_report()
    # A message holding what the encoder marks the lists with cannot move them.
    report.findings.append(Finding("link-dead", "\x00findings\x00 \x00links\x00 \n", "a.md", 1, 1))
    report.hub = [RepoResult("bigcode/starcoder", "model", RepoVerdict.GATED, gated="manual")]
    return report


@pytest.mark.parametrize(
    "report",
    [make_report(), Report(), Report(links=[]), _hostile()],
    ids=["full", "empty", "no-links", "marker-in-message"],
)
def test_streamed_json_is_json_dumps_of_the_dict(report: Report) -> None:
    want = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
    assert get_reporter("json").format(report) == want
