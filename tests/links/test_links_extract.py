"""URL extraction with positions: Markdown, text, catalog YAML; and --fix rewriting."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from validator.links import collect_paths, refs_from_markdown, refs_from_text
from validator.links.fix import rewrite_text


def test_markdown_links_autolinks_and_bare_urls() -> None:
    text = (
        "# Title\n"
        'See [the paper](https://arxiv.org/abs/2305.1 "t") and <https://a.example/x>.\n'
        "Bare: https://b.example/y, and (https://en.wikipedia.org/wiki/Foo_(bar)).\n"
        "```\nhttps://in-code.example/\n```\n"
        "Inline `https://code.example/` is not a link.\n"
        "[ref]: https://c.example/z\n"
    )
    refs = refs_from_markdown(text, "README.md")
    assert [(r.url, r.location.line, r.location.column) for r in refs] == [
        ("https://arxiv.org/abs/2305.1", 2, 17),
        ("https://a.example/x", 2, 56),
        ("https://b.example/y", 3, 7),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", 3, 33),
        ("https://c.example/z", 8, 8),
    ]


def test_text_one_url_per_line() -> None:
    refs = refs_from_text("# comment\n\n  https://a.example/\nhttps://b.example/\n", "l.txt")
    assert [(r.url, r.location.line, r.location.column) for r in refs] == [
        ("https://a.example/", 3, 3),
        ("https://b.example/", 4, 1),
    ]


def test_catalog_yaml_fields_and_positions(tmp_path: Path) -> None:
    entry = tmp_path / "mpt-7b.yaml"
    entry.write_text(
        "id: mpt-7b\nkind: language-model\nname: MPT-7B\n"
        "checkpoints:\n  - name: MPT-7B\n    url: https://huggingface.co/mosaicml/mpt-7b\n"
        "papers:\n  - title: Blog\n    url: https://www.mosaicml.com/blog/mpt-7b\n"
        "licenses:\n  - id: openrail\n    url: https://example.org/license\n",
        encoding="utf-8",
    )
    collected = collect_paths([tmp_path])
    got = [(r.url, r.location.field, r.location.line, r.location.entry) for r in collected.refs]
    assert got == [
        ("https://huggingface.co/mosaicml/mpt-7b", "checkpoint", 6, "mpt-7b"),
        ("https://www.mosaicml.com/blog/mpt-7b", "paper", 9, "mpt-7b"),
        ("https://example.org/license", "license", 12, "mpt-7b"),
    ]
    assert collected.refs[0].location.path == "$.checkpoints[0].url"


def test_rewrite_touches_only_the_url() -> None:
    text = (
        "# keep this comment\n"
        "checkpoints:\n"
        "  - url: https://old.example/a   # trailing comment\n"
        "  - url: 'https://old.example/a/longer'\n"
    )
    new, missed = rewrite_text(text, [(3, 5, "https://old.example/a", "https://new.example/a")])
    assert missed == []
    assert new == text.replace("https://old.example/a   #", "https://new.example/a   #")
    _, missed = rewrite_text(text, [(4, 5, "https://old.example/a", "https://x.example/")])
    assert missed == [0]  # a prefix of a longer URL is never rewritten


@pytest.mark.parametrize(
    ("line", "new", "expected"),
    [
        # The quoting style stays; characters it cannot hold as-is are escaped.
        (
            "url: 'https://old.example/a'\n",
            "https://new.example/it's",
            "url: 'https://new.example/it''s'\n",
        ),
        (
            'url: "https://old.example/a"\n',
            'https://new.example/a\\b"c',
            'url: "https://new.example/a\\\\b\\"c"\n',
        ),
        (
            "url: https://old.example/a\n",
            "https://new.example/a,b",
            "url: https://new.example/a,b\n",
        ),
        # In a flow sequence a plain ',' would split the value: quote it.
        (
            "urls: [https://old.example/a, https://c.example/]\n",
            "https://new.example/a,b",
            "urls: ['https://new.example/a,b', https://c.example/]\n",
        ),
    ],
)
def test_rewrite_keeps_yaml_valid(line: str, new: str, expected: str) -> None:
    out, missed = rewrite_text(line, [(1, 1, "https://old.example/a", new)])
    assert missed == []
    assert out == expected
    key = line.split(":", 1)[0]
    value = yaml.safe_load(out)[key]
    assert (value[0] if isinstance(value, list) else value) == new
