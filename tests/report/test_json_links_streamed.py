"""The JSON reporter writes link results one at a time, byte for byte as one dump."""

from __future__ import annotations

import json
import random

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


def test_every_field_of_a_link_is_written_as_json_dumps_writes_it() -> None:
    rng = random.Random(5)
    odd = ["", "é\u2028", '\\"', "\x00\x1f\x7f", "𝄞", "a" * 3]
    shared = LinkHistory("2026-01-01T00:00:00Z", 2, "2026-01-02T00:00:00Z", from_cache=True)

    def text() -> str:
        return "".join(rng.choice(odd) for _ in range(rng.randrange(3)))

    links = [
        LinkResult(
            f"https://h.example/{i}{text()}",
            rng.choice(list(Verdict)),
            status=rng.choice([None, 200, 404]),
            final_url=rng.choice([None, text()]),
            redirects=tuple((rng.choice([301, 302]), text()) for _ in range(rng.randrange(3))),
            attempts=rng.randrange(4),
            elapsed_ms=rng.randrange(10**6),
            error=rng.choice([None, text()]),
            locations=tuple(
                Location(text(), rng.randrange(9), rng.randrange(9), rng.choice([None, "e"]))
                for _ in range(rng.randrange(3))
            ),
            history=rng.choice([None, shared, LinkHistory(consecutive_failures=i)]),
            answered_by=rng.choice([None, "", text()]),
        )
        for i in range(300)
    ]
    report = Report(links=links)
    whole = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
    assert JsonReporter().format(report) == whole
