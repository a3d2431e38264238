"""The plain-link-list fast path gives exactly what the full parser gives.

:mod:`validator.links.linklist` reads runs of ``- [text](url)`` lines without
markdown-it. Each case parses a document both ways and compares every link (URL,
kind, line, column) and anchor: the repository's own Markdown, every extraction case
of ``test_markdown_extraction.py`` placed around link lists, and generated documents
that put link lists in every context where CommonMark could read them differently.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from validator.links.markdown import _MD, parse_markdown

ROOT = Path(__file__).resolve().parents[2]

FAST = [
    "- [a](https://a.example/x)",
    "* [b c](http://127.0.0.1:8080/dead/1) - a tool, *great*",
    "+ [d](rel/path.md#frag) and [e](https://e.example/?q=1#z)",
    "- Name: [f](https://f.example/) (see notes)",
    "- [](https://empty-text.example/)",
    "- [ü](https://ü.example/ü) ~~old~~ _x_",
]
"""Lines the fast path takes (when another follows)."""

NEAR = [
    "- [a](https://a.example/x) https://bare.example/",
    "- [a](https://a.example/x) www.bare.example",
    "- [a](https://a.example/?a=1&amp;b=2)",
    "- [a](<https://a.example/x>)",
    "- [a](https://a.example/x 'title')",
    "- ![img](https://img.example/a.png)",
    "- [a [b]](https://a.example/)",
    "- [a `b`](https://a.example/)",
    "- [a](https://a.example/x) <b>",
    "- [ref]",
    "- [ref]: https://def.example/",
    "-  [two spaces](https://a.example/)",
    "-\t[tab](https://a.example/)",
    "- # [heading](https://h.example/)",
    "- 1. [nested](https://n.example/)",
    "- > [quoted](https://q.example/)",
    "- - [nested on one line](https://n.example/)",
    "> - [quoted item](https://q.example/)",
    "1. - [in an ordered item](https://o.example/)",
    "- [a](https://a.example/x)  ",
    "1. [ordered](https://o.example/)",
    "  - [indented](https://i.example/)",
    "- [a](https://a.example/\\_x)",
]
"""Lines it must leave to the full parser (or read identically)."""

CONTEXT = [
    "",
    "Paragraph text",
    "Paragraph with https://bare.example/ in it",
    "> quote",
    "> - [q](https://q.example/)",
    "- item",
    "- item\n  continued",
    "1. one",
    "  - nested",
    "```",
    "~~~md",
    "$$",
    "<div>",
    "<pre>",
    "<!-- validator-disable -->",
    "<!-- validator-disable-next-line -->",
    "<!-- validator-enable -->",
    "| a | b |\n|---|---|",
    "| a | b |",
    "# Heading",
    "Setext",
    "===",
    "---",
    "[ref]: https://def.example/",
    "    indented code",
    "\n",
    "continued lazily [x](https://lazy.example/)",
    "  indented continuation https://cont.example/",
    "\n    code after a blank https://code.example/",
    "\n  item paragraph after a blank https://para.example/",
    "* other marker",
    "+ [plus](https://plus.example/)",
]
"""What may stand before or after a run of link lines."""


def _same(text: str) -> None:
    fast, full = parse_markdown(text), parse_markdown(text, fast=False)
    assert fast.links == full.links, text
    assert fast.anchors == full.anchors, text


def test_the_fast_path_runs_for_a_list_of_plain_links() -> None:
    listed: list[tuple[str, int, int]] = []
    text = "\n".join(FAST) + "\n"
    _MD.parse(text, {"_listed": listed})
    # every line but the last (the full parser reads it), each link at its destination
    assert listed[:2] == [("https://a.example/x", 1, 7), ("http://127.0.0.1:8080/dead/1", 2, 9)]
    assert {line for _, line, _ in listed} == set(range(1, len(FAST)))
    _same(text)


def test_lines_it_must_not_take_are_left_to_the_full_parser() -> None:
    listed: list[tuple[str, int, int]] = []
    for near in NEAR:
        _MD.parse(f"{near}\n{near}\n{near}\n", {"_listed": listed})
        assert listed == [], near
        _same(f"{FAST[0]}\n{near}\n{FAST[1]}\n{FAST[2]}\n{near}\n")


def test_link_lists_in_every_context() -> None:
    run = "\n".join(FAST[:3])
    pairs = [(c, "") for c in CONTEXT] + [("", c) for c in CONTEXT] + [(c, c) for c in CONTEXT]
    for before, after in pairs:
        _same(f"{before}\n{run}\n{after}\n{FAST[3]}\n")
        _same(f"{before}\n\n{run}\n\n{after}\n")


def test_random_documents() -> None:
    pool = FAST + NEAR + CONTEXT
    rng = random.Random(12)
    for _ in range(300):
        _same("\n".join(rng.choice(pool) for _ in range(rng.randrange(2, 14))) + "\n")


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(ROOT).as_posix()
        for p in [*ROOT.glob("*.md"), *ROOT.glob("docs/*.md"), *ROOT.glob("tests/fixtures/*/*.md")]
    ),
)
def test_the_repository_markdown(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    _same(text)
    # and the same file with every bullet item made a plain link list
    lines = [f"- [{i}](https://l.example/{i})" if s.startswith("- ") else s for i, s in
             enumerate(text.splitlines())]  # fmt: skip
    _same("\n".join(lines) + "\n")
