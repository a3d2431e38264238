"""Date rules: release dates are real, not in the future, and agree with their sources.

Paper and blog URLs often carry their own date: arXiv identifiers encode year and month
(``2304.01373`` is April 2023, see https://info.arxiv.org/help/arxiv_identifier.html) and
many blogs put ``/YYYY/MM/`` in the path. A release month more than three months away
from that date is usually a typo (the seed's GPT-J row says 2023/06; its blog URL says
2021/06).
"""

from __future__ import annotations

import datetime as dt
import re
import typing as t

from validator.findings import Finding
from validator.rules import RuleContext

MAX_MONTHS_APART = 3
# New-style ids (2007 on) are YYMM.NNNN[N]; old-style ids are archive[.class]/YYMMNNN.
_ARXIV = re.compile(
    r"arxiv\.org/(?:abs|pdf)/(?:(?P<new>\d{4})\.\d{4,5}|[a-z-]+(?:\.[a-z-]+)?/(?P<old>\d{4})\d{3})",
    re.IGNORECASE,
)
_PATH_DATE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/")


def parse_release(value: str) -> tuple[int, int, int | None] | None:
    """``YYYY-MM[-DD]`` as numbers; ``None`` when it is not a real date."""
    parts = value.split("-")
    try:
        year, month = int(parts[0]), int(parts[1])
        day = int(parts[2]) if len(parts) > 2 else None
        dt.date(year, month, day or 1)
    except (ValueError, IndexError):
        return None
    return year, month, day


def url_month(url: str) -> tuple[int, int] | None:
    """The (year, month) a paper or blog URL carries, if any."""
    arxiv = _ARXIV.search(url)
    if arxiv:
        yymm = arxiv["new"] or arxiv["old"]
        yy, month = int(yymm[:2]), int(yymm[2:])
        # Old-style ids began in 1991; new-style ones in 2007.
        year = 1900 + yy if arxiv["old"] and yy >= 91 else 2000 + yy
        return (year, month) if 1 <= month <= 12 else None
    path = _PATH_DATE.search(url)
    if path:
        return int(path.group(1)), int(path.group(2))
    return None


def check(context: RuleContext) -> t.Iterator[Finding]:
    """``release-date-invalid``, ``release-date-future`` and ``release-date-vs-url``."""
    today = context.today
    for entry in context.entries():
        released = entry.data.get("released")
        if not isinstance(released, str):
            continue
        if re.fullmatch(r"\d{4}", released):
            yield entry.finding(
                "release-date-year-only",
                f"release date '{released}' gives a year but no month",
                ("released",),
                hint="add the month from the release announcement (YYYY-MM)",
            )
            continue
        parsed = parse_release(released)
        if parsed is None:
            yield entry.finding(
                "release-date-invalid",
                f"release date '{released}' is not a real calendar date",
                ("released",),
                hint="write YYYY-MM or YYYY-MM-DD",
            )
            continue
        year, month, day = parsed
        if (year, month, day or 1) > (today.year, today.month, today.day):
            yield entry.finding(
                "release-date-future",
                f"release date {released} is in the future (today is {today.isoformat()})",
                ("released",),
                hint="a catalog lists released models; fix the date or wait for the release",
            )
        for i, paper in enumerate(entry.data.get("papers") or []):
            url = paper.get("url") if isinstance(paper, dict) else None
            if not isinstance(url, str):
                continue
            carried = url_month(url)
            if carried is None:
                continue
            apart = abs((year * 12 + month) - (carried[0] * 12 + carried[1]))
            if apart > MAX_MONTHS_APART:
                yield entry.finding(
                    "release-date-vs-url",
                    f"release date {released} is {apart} months from "
                    f"{carried[0]}-{carried[1]:02d}, the date in its paper/blog URL",
                    ("released",),
                    hint="check the release month against the source; waive with a reason if "
                    "the source predates the release on purpose",
                    evidence={
                        "catalog": released,
                        "url_date": f"{carried[0]}-{carried[1]:02d}",
                        "url": url,
                        "url_path": f"$.papers[{i}].url",
                    },
                )
