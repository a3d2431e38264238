"""Release month against the dates a row's other URLs carry.

``release-date-vs-url`` compares the release month with the paper/blog links. The
rest of a row dates itself too: a context-length source or checkpoint link on arXiv
(``/abs/``, ``/pdf/`` or ``/html/2404.14619v2``), a blog path ``/2023/04/``, a date in
a repo or file name (``...-2024-05-01``, ``20240501``) or a ``-2407`` version suffix on
a Hugging Face repo (year and month, as Mistral names its releases).
"""

from __future__ import annotations

import re
import typing as t

from validator.findings import Finding
from validator.hub.urls import parse_hf_url
from validator.rules import RuleContext
from validator.rules.dates import MAX_MONTHS_APART, parse_release, url_month

_ARXIV_HTML = re.compile(r"arxiv\.org/html/(?P<yymm>\d{4})\.\d{4,5}", re.IGNORECASE)
_NAME_DATE = re.compile(r"(?<!\d)(20[12]\d)-?(0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])(?!\d)")
_VERSION_SUFFIX = re.compile(r"-(2[3-9])(0[1-9]|1[0-2])$")
"""A Hub repo name ending ``-YYMM`` (``Mistral-Nemo-Instruct-2407``)."""
_FIELDS = ("checkpoint", "context-length-source", "try-it")
"""Fields checked here (papers are release-date-vs-url's)."""


def carried_month(url: str) -> tuple[int, int] | None:
    """The (year, month) a URL dates itself to, if any."""
    found = url_month(url)
    if found:
        return found
    html = _ARXIV_HTML.search(url)
    if html:
        month = int(html["yymm"][2:])
        return (2000 + int(html["yymm"][:2]), month) if 1 <= month <= 12 else None
    link = parse_hf_url(url)
    for pattern, text in ((_NAME_DATE, url), (_VERSION_SUFFIX, link.name if link else None)):
        match = pattern.search(text) if text else None
        if match:
            year = int(match.group(1))
            return (year if year > 100 else 2000 + year, int(match.group(2)))
    return None


def check(context: RuleContext) -> t.Iterator[Finding]:
    """``release-date-vs-row-url``: one finding per entry, at the farthest URL."""
    for entry in context.entries():
        released = entry.data.get("released")
        parsed = parse_release(released) if isinstance(released, str) else None
        if parsed is None:
            continue
        year, month, _ = parsed
        worst: tuple[int, str, tuple[int, int], tuple[str | int, ...]] | None = None
        for ref in entry.urls():
            carried = carried_month(ref.url) if ref.field in _FIELDS else None
            if carried is None:
                continue
            apart = abs((year * 12 + month) - (carried[0] * 12 + carried[1]))
            if apart > MAX_MONTHS_APART and (worst is None or apart > worst[0]):
                worst = (apart, ref.url, carried, ref.path)
        if worst is not None:
            apart, url, carried, path = worst
            yield entry.finding(
                "release-date-vs-row-url",
                f"release date {released} is {apart} months from "
                f"{carried[0]}-{carried[1]:02d}, the date in {url}",
                ("released",),
                hint="check the release month; the row's own links date it otherwise",
                evidence={
                    "catalog": released,
                    "url": url,
                    "url_date": f"{carried[0]}-{carried[1]:02d}",
                },
            )
