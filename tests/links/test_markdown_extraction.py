"""What counts as a link in Markdown, HTML and text, and where it is (our own cases).

Each case names the behaviour it pins; docs/links.md compares it with markdown-link-check,
linkinator and lychee.
"""

from __future__ import annotations

import random
import re

import pytest

from validator.links import autolinks
from validator.links.autolinks import find_bare_urls
from validator.links.extract import refs_from_text
from validator.links.html import scan_html, srcset_urls
from validator.links.markdown import parse_markdown


def links(text: str) -> list[tuple[str, int, int]]:
    return [(link.url, link.line, link.column) for link in parse_markdown(text).links]


def urls(text: str) -> list[str]:
    return [link.url for link in parse_markdown(text).links]


def test_inline_reference_collapsed_and_shortcut_links_at_their_use() -> None:
    text = (
        "Inline [one](a.md) and [two][r2], [three][] and [four].\n"
        "\n"
        "[r2]: b.md\n"
        "[three]: c.md\n"
        "[four]: <d e.md> 'title'\n"
        "[unused]: https://unused.example/\n"
    )
    assert links(text) == [("a.md", 1, 14), ("b.md", 1, 24), ("c.md", 1, 35), ("d e.md", 1, 49)]


def test_images_and_badges_inside_links() -> None:
    text = "[![CI](https://ci.example/badge.svg)](https://ci.example/run) ![logo](img/logo.png)\n"
    assert links(text) == [
        ("https://ci.example/badge.svg", 1, 8),
        ("https://ci.example/run", 1, 39),
        ("img/logo.png", 1, 71),
    ]


def test_link_text_is_not_a_link() -> None:
    assert urls("[https://a.example/x](https://b.example/)") == ["https://b.example/"]
    assert urls("<https://c.example/>") == ["https://c.example/"]


@pytest.mark.parametrize(
    "text",
    [
        "```\nhttps://fenced.example/\n```\n",
        "~~~md\n[x](https://fenced.example/)\n~~~\n",
        "    https://indented.example/\n",
        "Inline `https://code.example/` span.\n",
        "Double ``a `https://code.example/` b`` span.\n",
        "<!-- https://comment.example/ [x](y.md) -->\n",
        '<pre>\nhttps://pre.example/ <a href="https://pre.example/a">a</a>\n</pre>\n',
        "A <code>https://code.example/</code> tag.\n",
        '<script>\nvar u = "https://script.example/";\n</script>\n',
        "<style>\nbody { background: url(https://style.example/) }\n</style>\n",
        "Inline <!-- https://comment.example/ --> comment.\n",
        "<kbd>https://kbd.example/</kbd> and <samp>https://samp.example/</samp>\n",
    ],
)
def test_code_comments_and_verbatim_html_are_not_links(text: str) -> None:
    assert urls(text) == []


def test_escaped_backticks_do_not_make_code() -> None:
    # markdown-link-check's hash-links case: \` is a literal backtick, so the text is prose.
    assert urls("See \\`https://a.example/x\\` here.") == ["https://a.example/x"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Go to https://a.example/x.", ["https://a.example/x"]),
        ("(see https://w.example/Foo_(bar))", ["https://w.example/Foo_(bar)"]),
        ("Is it https://a.example/q?", ["https://a.example/q"]),
        ("https://a.example/path_", ["https://a.example/path"]),  # GFM drops a trailing _
        ("https://a.example/_/foo", ["https://a.example/_/foo"]),
        ("visit www.example.com/x, now", ["http://www.example.com/x"]),
        (
            "IPv6 http://[::1]:8080/x and http://[2001:db8::1]/",
            ["http://[::1]:8080/x", "http://[2001:db8::1]/"],
        ),
        ("a/https://inner.example/x is one path", []),
        ("https://a.example/x&amp;y&gt; end", ["https://a.example/x&amp;y"]),
        ("http://localhost:8000/ works", ["http://localhost:8000/"]),
        ("https://bad_domain.example_x/ no", []),
        ("**https://bold.example/**", ["https://bold.example/"]),
        ("x.com (+ www.) and https://.", []),
        (
            r"http://msdn.example/library/ms535874\(v=vs.85\).aspx",
            ["http://msdn.example/library/ms535874(v=vs.85).aspx"],
        ),
        (
            "https://a.example/@team/x and https://b.example/p/@me",
            ["https://a.example/@team/x", "https://b.example/p/@me"],
        ),
    ],
)
def test_bare_urls_follow_gfm_autolink_rules(text: str, expected: list[str]) -> None:
    assert [b.url for b in find_bare_urls(text)] == expected


def test_markdown_entities_are_decoded_in_destinations() -> None:
    assert urls("[q](https://a.example/?a=1&amp;b=2)") == ["https://a.example/?a=1&b=2"]
    assert urls('<a href="https://a.example/?a=1&amp;b=2">q</a>') == ["https://a.example/?a=1&b=2"]


def test_html_blocks_and_inline_html_with_places() -> None:
    text = (
        'Para with <a href="inline.html">x</a>.\n'
        "\n"
        "<div>\n"
        '  <img src="a.png" srcset="/cdn/format=webp,width=640/https://img.example/a.jpg 640w,'
        ' b.png 2x">\n'
        "</div>\n"
    )
    assert links(text) == [
        ("inline.html", 1, 20),
        ("a.png", 4, 13),
        ("/cdn/format=webp,width=640/https://img.example/a.jpg", 4, 28),
        ("b.png", 4, 28),
    ]


def test_markdown_between_html_blocks_is_still_markdown() -> None:
    text = "<details>\n\n[inner](https://inner.example/)\n\n</details>\n"
    assert urls(text) == ["https://inner.example/"]


@pytest.mark.parametrize(
    "html",
    [
        '<html lang="en" prefix="og: https://ogp.me/ns#">',
        '<link rel="preconnect" href="https://fonts.example">',
        '<link href="https://fonts.example" rel="dns-prefetch">',
        '<img srcset="v2@1.5x.png">',
        "<p>https://text.example/ in html text is not a link</p>",
        '<meta name="x" content="not a link">',
        '<link href="/@global/global.css" rel="stylesheet">',
        '<link rel="stylesheet" href="old.css" disabled>',
    ],
)
def test_html_attributes_that_are_not_links(html: str) -> None:
    assert scan_html(html).links == []


def test_html_link_attributes() -> None:
    html = (
        '<a href="a.html">a</a><img src="i.png"><source srcset="s1.png 1x, s2.png 2x">'
        '<video poster="p.png" src="v.mp4"></video><blockquote cite="c.html"></blockquote>'
        '<link rel="stylesheet" href="style.css"><iframe src="f.html"></iframe>'
        '<script src="app.js"></script>'
    )
    assert [link.url for link in scan_html(html).links] == [
        "a.html",
        "i.png",
        "s1.png",
        "s2.png",
        "p.png",
        "v.mp4",
        "c.html",
        "style.css",
        "f.html",
        "app.js",
    ]


def test_srcset_commas_inside_urls() -> None:
    assert srcset_urls("a.jpg 1x,b.jpg 2x") == ["a.jpg", "b.jpg"]
    assert srcset_urls("/x/format=webp,width=640/y.jpg 640w, z.jpg") == [
        "/x/format=webp,width=640/y.jpg",
        "z.jpg",
    ]


def test_tables_strikethrough_lists_and_quotes() -> None:
    text = (
        "| a | b |\n|---|---|\n| [c](c.md) | https://t.example/ |\n"
        "\n"
        "- item ~~[old](old.md)~~\n"
        "  > quoted https://q.example/\n"
    )
    assert links(text) == [
        ("c.md", 3, 7),
        ("https://t.example/", 3, 15),
        ("old.md", 5, 16),
        ("https://q.example/", 6, 12),
    ]


def test_mailto_and_tel_are_extracted_for_the_judge() -> None:
    assert urls("[m](mailto:a@b.example) <c@d.example> [t](tel:+1-555)") == [
        "mailto:a@b.example",
        "mailto:c@d.example",
        "tel:+1-555",
    ]


def test_footnotes_and_math_are_not_links() -> None:
    assert urls("Text[^note].\n\n[^note]: not a link\n") == []
    assert urls("A footnote is[^actually] a link.\n\n[^actually]: not") == []
    assert urls("$$\n[\\psi](\\mathbf{L})\n$$\n[after](a.md)\n") == ["a.md"]
    assert urls("$$[\\psi](\\mathbf{L})$$\n") == []


def test_anchors_of_a_document() -> None:
    text = (
        "# A Test\n## A test\n### Some `code` in a heading\n"
        "## Step 7 - Lint & Test\n## Über *emphasis* and [link](x.md)\n"
        '<span id="the-end">End</span> <a name="legacy"></a>\n'
        "```\n# not a heading\n```\n"
        "Setext\n======\n"
    )
    assert parse_markdown(text).anchors == {
        "a-test",
        "a-test-1",
        "some-code-in-a-heading",
        "step-7---lint--test",
        "über-emphasis-and-link",
        "the-end",
        "legacy",
        "setext",
    }


def test_mdx_components_and_custom_elements_link_with_href_src_cite() -> None:
    text = (
        "import Callout from './callout.js';\n\n"
        '<CardGroup cols={1}>\n  <Card\n    title="Example"\n    href="https://card.example/"\n'
        "  >\n    Some text\n  </Card>\n</CardGroup>\n\n"
        '<even-weirder fake-attr src="https://src.example/" cite="https://cite.example/">'
        "</even-weirder>\n"
    )
    assert links(text) == [
        ("https://card.example/", 6, 11),
        ("https://src.example/", 12, 30),
        ("https://cite.example/", 12, 58),
    ]


def test_markdown_inside_an_html_block_needs_blank_lines() -> None:
    # CommonMark (and GitHub): without blank lines it is all one HTML block, no links.
    assert (
        urls("<div>\n[md](https://a.example/)\n</div>\n<span>[x](https://b.example/)</span>") == []
    )
    assert urls("<div>\n\n[md](https://a.example/)\n\n</div>") == ["https://a.example/"]


def test_anchors_as_markdown_link_check_users_write_them() -> None:
    text = (
        "<a id=\"by_id\"></a> <a name='by_name'></a>\n\n"
        '<div id="outer">\n  <div id="inner"></div>\n</div>\n\n'
        '<!--\n<a id="in_comment"></a>\n-->\n\n'
        'In code `<a id="in_code"></a>` and escaped \\`<a id="escaped"></a>\\`.\n\n'
        "## --docker\n## Product Owner / Design Approval\n"
        "### [Heading with a link](https://a.example/)\n## This header is [linked](#somewhere)\n"
        "## L. Is it in the base image?\n### `Code` ``Heading\n"
    )
    assert parse_markdown(text).anchors == {
        "by_id",
        "by_name",
        "outer",
        "inner",
        "escaped",
        "--docker",
        "product-owner--design-approval",
        "heading-with-a-link",
        "this-header-is-linked",
        "l-is-it-in-the-base-image",
        "code-heading",
    }


def test_a_line_that_is_one_plain_url_is_found_as_the_rules_find_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(3)
    pieces = ["a", "Z", "9", "-", ".", "_", "~", "/", "%", ":", "8080", "é", "(", ")", ";", "?"]
    texts = [
        f"{rng.choice(['http', 'https', 'HTTP'])}://"
        + "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14)))
        for _ in range(3000)
    ]
    ends = ["", "/", "x", ".", ")", "_", "~", "%", ";", "&gt;", "\\(", "-"]
    texts += [
        f"https://{rng.choice(['a', 'a.b', 'a-b.c9', '127.0.0.1', 'a.', 'a_b.c'])}"
        + rng.choice(["", ":8080", ":"])
        + rng.choice(["", "/", "/ok/1", "/a.b/c~d", "/%20x"])
        + rng.choice(ends)
        for _ in range(2000)
    ]
    texts += ["http://127.0.0.10:8080/ok/1", "https://a.example", "https://a_b.example/x"]
    fast = [autolinks.find_bare_urls(t, any_scheme=a) for t in texts for a in (False, True)]
    fast_refs = refs_from_text("\n".join(texts), "urls.txt")
    assert sum(autolinks._PLAIN.fullmatch(t) is not None for t in texts) > 300
    monkeypatch.setattr(autolinks, "_PLAIN", re.compile(r"(?!)"))  # the rules alone
    slow = [autolinks.find_bare_urls(t, any_scheme=a) for t in texts for a in (False, True)]
    assert fast == slow
    assert fast_refs == refs_from_text("\n".join(texts), "urls.txt")
