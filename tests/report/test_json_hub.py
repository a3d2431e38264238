"""The JSON report carries one verdict per Hub repo when the Hub check ran."""

import json

from validator.findings import Report
from validator.hub.result import RepoResult, RepoVerdict
from validator.report import get_reporter


def test_hub_repos_and_their_verdict_counts() -> None:
    hub = [
        RepoResult("mosaicml/mpt-7b", "model", RepoVerdict.OK),
        RepoResult("bigscience/bloom", "model", RepoVerdict.OK),
        RepoResult("bigcode/starcoder", "model", RepoVerdict.GATED, gated="manual"),
    ]
    data = json.loads(get_reporter("json").format(Report(hub=hub)))
    # Typed in the report, plain data in JSON, sorted by repo id.
    assert data["hub"] == [r.to_dict() for r in sorted(hub, key=lambda r: r.repo)]
    assert data["hub"][0]["gated"] == "manual"
    assert data["summary"]["hub"] == {"repos": 3, "verdicts": {"ok": 2, "gated": 1}}
    assert json.loads(get_reporter("json").format(Report()))["hub"] is None
