"""The JSON report carries one verdict per Hub repo when the Hub check ran."""

import json

from validator.findings import Report
from validator.report import get_reporter


def test_hub_repos_and_their_verdict_counts() -> None:
    hub = [
        {"repo": "bigscience/bloom", "verdict": "ok"},
        {"repo": "bigcode/starcoder", "verdict": "gated"},
        {"repo": "mosaicml/mpt-7b", "verdict": "ok"},
    ]
    data = json.loads(get_reporter("json").format(Report(hub=hub)))
    assert data["hub"] == hub
    assert data["summary"]["hub"] == {"repos": 3, "verdicts": {"ok": 2, "gated": 1}}
    assert json.loads(get_reporter("json").format(Report()))["hub"] is None
