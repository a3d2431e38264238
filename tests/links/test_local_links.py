"""Local links and #anchors, judged offline against the filesystem (our own cases)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.cli import main
from validator.findings import Location, Verdict
from validator.links.extract import collect_paths
from validator.links.local import LocalLinks, mailto_problem
from validator.links.offline import judge_offline

README = """\
# Project *Über* Guide

See the [guide](docs/guide.md), the [missing](docs/nope.md) page and [license](LICENSE).
Jump to [install](#install), [Install](#Install), [gone](#nowhere), [dup](#faq-1).
![logo](img/logo.png) ![no logo](img/none.png) [ref link][g] [bad ref][b] [top](#top)
[über](#project-über-guide) [encoded](#project-%C3%BCber-guide) [line](src/app.py#L10)
[in guide](docs/guide.md#step-1--setup) [bad anchor](docs/guide.md#step-9)
[dir](docs/) [dir anchor](docs/#guide-heading) [root](/LICENSE) [query](LICENSE?raw=1)
<a href="docs/page.html#intro">html</a> <a href="docs/page.html#Intro">case</a>
[legacy](#legacy-anchor) [punct](#whats-new-v20) [emoji](#ship-it-)
[empty dir](empty/) [empty dir anchor](empty/#x) <a href="docs/gh.html#setup">gh</a>

## Install
## FAQ
## FAQ
## What's new (v2.0)?
## Ship it 🚀
<a name="legacy-anchor"></a>

```
[in code](nowhere.md)
```

[g]: docs/guide.md#guide-heading
[b]: docs/guide.md#nope
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "img").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    (tmp_path / "docs" / "guide.md").write_text("# Guide heading\n## Step 1 – setup\n")
    (tmp_path / "docs" / "README.md").write_text("# Guide heading\n")
    (tmp_path / "docs" / "page.html").write_text('<h1 id="intro">Intro</h1>')
    (tmp_path / "docs" / "gh.html").write_text('<h2 id="user-content-setup">Setup</h2>')
    (tmp_path / "img" / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "src" / "app.py").write_text("print()\n")
    (tmp_path / "LICENSE").write_text("MIT\n")
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def verdicts(project: Path) -> dict[tuple[int, int], tuple[str, Verdict]]:
    collected = collect_paths([project / "README.md"])
    outcome = judge_offline(collected.refs, LocalLinks(root=project, anchors=collected.anchors))
    assert outcome.web == []
    return {
        (loc.line, loc.column): (result.url, result.verdict)
        for result in outcome.results
        for loc in result.locations
    }


def place(line: int, before: str) -> tuple[int, int]:
    """The 1-based line and column just after ``before`` on README line ``line``."""
    text = README.splitlines()[line - 1]
    return line, text.index(before) + len(before) + 1


def test_readme_gets_each_verdict_with_line_and_column(project: Path) -> None:
    ok, dead, missing = Verdict.OK, Verdict.DEAD, Verdict.FRAGMENT_MISSING
    assert verdicts(project) == {
        place(3, "[guide]("): ("docs/guide.md", ok),
        place(3, "[missing]("): ("docs/nope.md", dead),
        place(3, "[license]("): ("LICENSE", ok),
        place(4, "[install]("): ("README.md#install", ok),
        place(4, "[Install]("): ("README.md#Install", ok),  # GitHub finds headings ignoring case
        place(4, "[gone]("): ("README.md#nowhere", missing),
        place(4, "[dup]("): ("README.md#faq-1", ok),  # the second "FAQ"
        place(5, "![logo]("): ("img/logo.png", ok),
        place(5, "![no logo]("): ("img/none.png", dead),
        place(5, "none.png) "): ("docs/guide.md#guide-heading", ok),  # reference link, at its use
        place(5, "[ref link][g] "): ("docs/guide.md#nope", missing),
        place(5, "[top]("): ("README.md#top", ok),
        place(6, "[über]("): ("README.md#project-über-guide", ok),  # emphasis out, Unicode kept
        place(6, "[encoded]("): ("README.md#project-%C3%BCber-guide", ok),  # percent-decoded
        place(6, "[line]("): ("src/app.py#L10", ok),  # no anchors to check in a .py file
        place(7, "[in guide]("): ("docs/guide.md#step-1--setup", ok),  # the en dash is dropped
        place(7, "[bad anchor]("): ("docs/guide.md#step-9", missing),
        place(8, "[dir]("): ("docs", ok),  # a directory counts
        place(8, "[dir anchor]("): ("docs#guide-heading", ok),  # anchors of its README.md
        place(8, "[root]("): ("LICENSE", ok),  # /absolute: from the root
        place(8, "[query]("): ("LICENSE", ok),  # ?query ignored
        place(9, '<a href="'): ("docs/page.html#intro", ok),
        place(9, 'html</a> <a href="'): ("docs/page.html#Intro", missing),  # ids match exactly
        place(10, "[legacy]("): ("README.md#legacy-anchor", ok),  # <a name>
        place(10, "[punct]("): ("README.md#whats-new-v20", ok),  # punctuation dropped
        place(10, "[emoji]("): ("README.md#ship-it-", ok),  # emoji dropped, its space kept
        place(11, "[empty dir]("): ("empty", ok),
        place(11, "[empty dir anchor]("): ("empty#x", missing),  # no index file to hold it
        place(11, '<a href="'): ("docs/gh.html#setup", ok),  # GitHub's user-content- prefix
    }


def test_cli_reports_local_links_offline(project: Path) -> None:
    result = CliRunner().invoke(main, ["links", "README.md", "--no-cache", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    rules = sorted((f["rule"], f["line"], f["column"]) for f in report["findings"])
    assert rules == sorted(
        [
            ("link-dead", *place(3, "[missing](")),
            ("link-dead", *place(5, "![no logo](")),
            ("link-fragment-missing", *place(4, "[gone](")),
            ("link-fragment-missing", *place(5, "[ref link][g] ")),
            ("link-fragment-missing", *place(7, "[bad anchor](")),
            ("link-fragment-missing", *place(9, 'html</a> <a href="')),
            ("link-fragment-missing", *place(11, "[empty dir anchor](")),
        ]
    )
    assert "network_unavailable" not in report["summary"]
    dead = [f for f in report["findings"] if f["rule"] == "link-dead"]
    assert all("relative to this file" in f["hint"] for f in dead)  # not web.archive.org


def test_only_relative_links_are_still_counted(project: Path) -> None:
    (project / "only.md").write_text("[a](LICENSE) [b](gone.md)\n")
    result = CliRunner().invoke(main, ["links", "only.md", "--no-cache"])
    assert result.exit_code == 1
    assert "2 links checked, 1 failing" in result.output


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("mailto:linuxgeek@gmail.com?subject=test", None),
        ("mailto:alice@example.org,bob@example.net?subject=Test", None),
        ("mailto:?to=a@b.example", None),
        ("mailto:first.last%2Bx@example.co.uk", None),
        ("mailto:foo@bar@baz", "not an e-mail address: 'foo@bar@baz'"),
        ("mailto:foo@@bar@@baz,bob@example.net", "not an e-mail address: 'foo@@bar@@baz'"),
        ("mailto:", "no address"),
        ("mailto:a..b@example.org", "not an e-mail address: 'a..b@example.org'"),
    ],
)
def test_mailto_syntax_only(url: str, problem: str | None) -> None:
    assert mailto_problem(url) == problem


@pytest.mark.parametrize(
    ("url", "verdict", "reason"),
    [
        ("mailto:a@b.example", Verdict.OK, "address syntax checked only; no mail sent"),
        ("tel:+1-555-0100", Verdict.SKIPPED, "tel: not checked (not a web link)"),
        ("ftp://ftp.example.org/f", Verdict.SKIPPED, "ftp: not checked (not a web link)"),
        (
            "file:///etc/hosts",
            Verdict.SKIPPED,
            "file: not checked (file:// points at one machine's disk)",
        ),
        ("hhttppss://example.org", Verdict.SKIPPED, "hhttppss: not checked (not a web link)"),
    ],
)
def test_schemes(url: str, verdict: Verdict, reason: str) -> None:
    result = LocalLinks().judge(url, Location("README.md", 1, 1))
    assert (result.verdict, result.error) == (verdict, reason)


def test_file_url_in_the_catalog_is_a_finding(tmp_path: Path) -> None:
    entry = tmp_path / "m.yaml"
    entry.write_text(
        "id: m\nkind: language-model\nname: M\n"
        "checkpoints:\n  - name: M\n    url: file:///home/me/m.bin\n",
        encoding="utf-8",
    )
    collected = collect_paths([entry])
    outcome = judge_offline(collected.refs)
    assert [(f.rule, f.line) for f in outcome.findings] == [("link-file-url", 6)]


def test_unknown_file_kind_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_text("x")
    result = CliRunner().invoke(main, ["links", str(tmp_path / "notes.docx"), "--no-cache"])
    assert result.exit_code == 2
    assert "notes.docx: cannot tell what kind of file this is" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("markdown", "[a](gone.md) `https://x.example/`\n", ["gone.md"]),
        ("html", '<a href="gone.html">x</a>', ["gone.html"]),
        (
            "text",
            "see gone.md and mailto:a@b.example, ftp://f.example/x here",
            ["ftp://f.example/x"],
        ),
    ],
)
def test_stdin_with_input_format(
    fmt: str, text: str, expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main,
        ["links", "-", "--input-format", fmt, "--no-cache", "--format", "json"],
        input=text,
    )
    report = json.loads(result.stdout)
    assert [link["url"] for link in report["links"]] == expected


@pytest.mark.parametrize("suffix", [".md", ".markdown", ".mdx", ".qmd", ".Rmd"])
def test_markdown_flavours_are_read_as_markdown(suffix: str, tmp_path: Path) -> None:
    doc = tmp_path / f"doc{suffix}"
    doc.write_text("---\ntitle: x\n---\n\nSee [a](gone.md) and `https://code.example/`.\n")
    assert [r.url for r in collect_paths([doc]).refs] == ["gone.md"]


def test_text_files_are_searched_in_free_text(tmp_path: Path) -> None:
    doc = tmp_path / "notes.txt"
    doc.write_text("A line of prose with https://a.example/x, and (https://b.example/).\n")
    refs = collect_paths([doc]).refs
    assert [(r.url, r.location.column) for r in refs] == [
        ("https://a.example/x", 22),
        ("https://b.example/", 48),
    ]


def test_validate_judges_the_docs_local_links_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Path(__file__).resolve().parents[2]
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "licenses.yaml").write_text(
        (repo / "catalog" / "licenses.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text(
        "# Guide\n\nSee [format](format.md), [gone](gone.md), [anchor](#guide), "
        "[bad](#nope) and [web](https://a.example/).\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "format.md").write_text("# Format\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "catalog", "--format", "json"])
    report = json.loads(result.stdout)
    found = sorted((f["rule"], f["file"], f["line"]) for f in report["findings"])
    assert found == [
        ("link-dead", "docs/guide.md", 3),
        ("link-fragment-missing", "docs/guide.md", 3),
    ]
    assert result.exit_code == 1
    # Single entry files never read the docs.
    entry = tmp_path / "catalog" / "x.yaml"
    entry.write_text("id: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(entry), "--format", "json"])
    assert not [f for f in json.loads(result.stdout)["findings"] if f["file"].startswith("docs")]
