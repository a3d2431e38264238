"""Helpers for the HTML report tests: the bundled catalog's last three nights, a parser.

Three crawls of every URL of ``catalog/`` run through the project's own pipeline,
link checker and SQLite cache (respx answers instead of the internet), one per night,
so the cache's run log holds three nights; the third night's report is returned.
:func:`parse` builds a strict element tree with the standard library's HTML parser.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import shutil
import tempfile
import typing as t
from html.parser import HTMLParser
from pathlib import Path

import anyio
import httpx
import respx

from validator.findings import Report
from validator.http import CrawlSettings
from validator.links import check_links, refs_from_entries
from validator.options import RunOptions
from validator.pipeline import OnlineOutcome, OnlineTargets, run

ROOT = Path(__file__).resolve().parents[2]
NIGHTS = (dt.date(2026, 11, 26), dt.date(2026, 11, 27), dt.date(2026, 11, 28))
FAILING = ({3: 404}, {3: 404, 10: 500}, {3: 404, 10: 500, 20: 404})
"""Per night: index into the catalog's sorted distinct URLs -> the status it answers."""


def _stage(cache: Path, night: dt.date, failing: dict[int, int]):  # type: ignore[no-untyped-def]
    when = dt.datetime.combine(night, dt.time(3, 17), dt.UTC).timestamp()
    settings = CrawlSettings(
        cache_path=cache, cache_ttl=0, max_retries=0, host_interval=0.0, progress=False
    )

    def stage(targets: OnlineTargets, options: RunOptions) -> OnlineOutcome:
        entries = targets.entries
        refs = refs_from_entries(entries)
        urls = sorted({ref.url for ref in refs})
        with respx.mock:
            for index, status in failing.items():  # the first matching route answers
                respx.route(url=urls[index].split("#")[0]).mock(return_value=httpx.Response(status))
            respx.route().mock(return_value=httpx.Response(200))
            outcome = anyio.run(lambda: check_links(refs, settings, now=when))
        return OnlineOutcome(
            findings=outcome.findings,
            links=outcome.results,
            runs=outcome.runs,
            families={"links"},
            entries={entry.file for entry in entries},
        )

    return stage


@functools.cache
def three_nights() -> Report:
    """The bundled catalog run three nights in a row into a fresh cache; the last report.

    Built once per test session (three crawls of 93 URLs are the slow part) and not to
    be modified by a test. The runs go over a copy of ``catalog/`` with no ``docs/``
    beside it: the docs' own links are not on the page, and checking them on each
    night was half the CPU. File paths read as in the repository (``catalog/...``).
    """
    options = RunOptions(paths=(Path("catalog"),), online=True, hub=False)
    report = Report()
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        shutil.copytree(ROOT / "catalog", Path(tmp) / "catalog")
        for night, failing in zip(NIGHTS, FAILING, strict=True):
            stage = _stage(Path(tmp) / "cache.sqlite3", night, failing)
            report = run(options, today=night, online_stage=stage).report
    return report


class Node:
    """An element of the parsed page: tag, attributes, children and text."""

    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs = tag, attrs
        self.children: list[Node] = []
        self.text = ""

    def iter(self) -> t.Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if n.tag == tag and all(n.attrs.get(k) == v for k, v in attrs.items())
        ]

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)


VOID = {"meta", "br", "link", "img", "input", "hr", "source", "wbr"}


class Tree(HTMLParser):
    """A strict little tree builder: any mismatched end tag fails the test."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Node("#text", {}))
        self.stack[-1].children[-1].text = data


def parse(page: str) -> Node:
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert [n.tag for n in tree.stack] == ["#document"], "unclosed elements"
    return tree.root


def stats(root: Node) -> dict[str, int]:
    return {
        str(n.attrs["id"]).removeprefix("stat-"): int(str(n.attrs["data-count"]))
        for n in root.find_all("li")
        if str(n.attrs.get("id", "")).startswith("stat-")
    }
