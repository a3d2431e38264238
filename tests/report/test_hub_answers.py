"""What the Hub answered for the crawl stays visible: ``answered_by`` on each link and
the summary's ``saved_requests`` (summed over merged shards, said in the text summary)."""

from __future__ import annotations

import json

from validator.findings import LinkResult, Location, Report, Verdict
from validator.report.json import JsonReporter
from validator.report.merge import merge_reports, report_from_dict


def _shard(url: str, saved: int, answered_by: str | None) -> Report:
    link = LinkResult(
        url,
        Verdict.OK,
        status=200,
        answered_by=answered_by,
        locations=(Location("catalog/a.yaml", 3, 5, entry="a", field="checkpoint"),),
    )
    return Report(links=[link], saved_requests=saved)


def _round_trip(report: Report) -> Report:
    return report_from_dict(json.loads(JsonReporter().format(report)))


def test_merge_sums_saved_requests_and_keeps_answered_by() -> None:
    api = "GET https://huggingface.co/api/models/o/a -> 200"
    one = _round_trip(_shard("https://huggingface.co/o/a", 1, api))
    two = _round_trip(_shard("https://github.com/o/b", 0, None))
    merged = json.loads(JsonReporter().format(merge_reports([one, two])))
    assert merged["summary"]["links"]["saved_requests"] == 1
    by_url = {link["url"]: link for link in merged["links"]}
    assert by_url["https://huggingface.co/o/a"]["answered_by"] == api
    assert "answered_by" not in by_url["https://github.com/o/b"]


def test_merge_of_shards_that_saved_nothing_says_nothing() -> None:
    merged = merge_reports([_round_trip(_shard("https://x.example/", 0, None))])
    assert "saved_requests" not in merged.summary()["links"]


def test_text_summary_says_how_many_links_the_hub_answered() -> None:
    from validator.report.text import TextReporter

    saved = TextReporter().format(_shard("https://huggingface.co/o/a", 1, "GET x -> 200"))
    assert saved.rstrip().endswith("1 link checked, 0 failing (1 answered by the Hub check)")
    none = TextReporter().format(_shard("https://x.example/", 0, None))
    assert none.rstrip().endswith("1 link checked, 0 failing")
