"""The JSON reporter writes link results one at a time, byte for byte as one dump."""

from __future__ import annotations

import json

from validator.findings import LinkHistory, LinkResult, Location, Report, Verdict
from validator.report.json import JsonReporter, report_to_dict


def test_streamed_links_are_the_same_bytes_as_one_dump() -> None:
    links = [
        LinkResult(
            f'http://h{i % 3}.example/é{i}\n"q"',
            Verdict.OK if i % 2 else Verdict.DEAD,
            status=200,
            redirects=((301, "http://x.example/"),) if i % 4 == 0 else (),
            locations=(Location("f.md", i, 1, "e", "link"),) if i % 5 else (),
            history=LinkHistory(consecutive_failures=i) if i % 3 else None,
        )
        for i in range(40)
    ]
    for report in (Report(links=links), Report(links=[]), Report()):
        whole = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
        assert JsonReporter().format(report) == whole
