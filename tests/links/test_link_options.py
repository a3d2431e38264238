"""What the peers' users rely on: include/exclude, ignore file, disable comments,
--remap, --base-url, --root-dir and --exclude-path (our own cases)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.cli import main
from validator.config import ConfigError, load_config
from validator.http import CrawlSettings
from validator.links.filters import FilterError, UrlFilters, ignore_patterns, parse_remap
from validator.links.markdown import parse_markdown


def links_json(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["links", *args, "--no-cache", "--format", "json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.startswith("{") else {}


def verdicts(report: dict) -> dict[str, tuple[str, str | None]]:
    return {link["url"]: (link["verdict"], link["error"]) for link in report["links"]}


def test_disable_comments_as_markdown_link_check_users_write_them() -> None:
    text = (
        "[a](a.md)\n"
        "<!-- validator-disable -->\n"
        "[b](b.md)\n"
        "[c](c.md)\n"
        "<!-- validator-enable -->\n"
        "[d](d.md) <!-- validator-disable-line -->\n"
        "<!-- validator-disable-next-line -->\n"
        "[e](e.md)\n"
        "[f](f.md)\n"
        "<!-- markdown-link-check-disable-next-line -->\n"
        "[g](g.md)\n"
        "```\n<!-- validator-disable -->\n```\n"
        "[h](h.md)\n"
        "<!-- validator-disable -->\n"
        "[i](i.md)\n"
    )
    assert [link.url for link in parse_markdown(text).links] == ["a.md", "f.md", "h.md"]


def test_include_wins_over_exclude() -> None:
    filters = UrlFilters(
        excludes=(re.compile(r"^https://a\.example/"),),
        includes=(re.compile(r"/keep$"),),
    )
    assert filters.excluded("https://a.example/drop") == r"^https://a\.example/"
    assert filters.excluded("https://a.example/keep") is None
    assert filters.excluded("https://b.example/x") is None


def test_ignore_file_patterns_with_comments(tmp_path: Path) -> None:
    ignore = tmp_path / ".validatorignore"
    ignore.write_text("# internal hosts\n\n^https://intranet\\.\n  localhost  \n")
    assert ignore_patterns(ignore, explicit=True) == ("^https://intranet\\.", "localhost")
    assert ignore_patterns(tmp_path / "none", explicit=False) == ()
    with pytest.raises(FilterError, match="cannot read the ignore file"):
        ignore_patterns(tmp_path / "none", explicit=True)
    ignore.write_text("ok\n(unclosed\n")
    with pytest.raises(FilterError, match=r"\.validatorignore:2: invalid regex"):
        ignore_patterns(ignore, explicit=True)


def test_remap_and_base_url_rewrite() -> None:
    filters = UrlFilters(
        remaps=(parse_remap(r"^https://old\.example/(?P<p>.*) https://new.example/\g<p>"),),
        base_url="https://site.example",
    )
    assert filters.rewrite("https://old.example/a/b") == "https://new.example/a/b"
    assert filters.rewrite("/docs/x.html") == "https://site.example/docs/x.html"
    assert filters.rewrite("//cdn.example/x") == "//cdn.example/x"  # not root-relative
    assert filters.rewrite("docs/x.md") == "docs/x.md"
    with pytest.raises(FilterError, match="expected 'REGEX REPLACEMENT'"):
        parse_remap("only-a-regex")


def test_options_end_to_end_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "LICENSE").write_text("MIT\n")
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "copy.md").write_text("# Copy\n")
    (tmp_path / "README.md").write_text(
        "[root](/LICENSE) [mirror](https://docs.example/copy.md#copy) "
        "[intranet](https://intranet.example/x) [kept](https://intranet.example/public)\n"
    )
    (tmp_path / ".validatorignore").write_text("# not reachable from CI\n^https://intranet\\.\n")
    code, report = links_json(
        "README.md",
        "--root-dir",
        "site",
        "--remap",
        r"^https://docs\.example/(.*) local/\1",
        "--include",
        "/public$",
        "--exclude",
        "^https://intranet\\.example/public",  # --include still wins
        "--timeout",
        "0.5",
    )
    got = verdicts(report)
    assert got["site/LICENSE"] == ("ok", None)  # /LICENSE from --root-dir
    assert got["local/copy.md#copy"] == ("ok", None)  # remapped to a local copy
    assert got["https://intranet.example/x"] == ("skipped", "excluded by '^https://intranet\\.'")
    assert got["https://intranet.example/public"][0] != "skipped"  # included: checked


def test_base_url_makes_root_relative_links_web_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "index.html").write_text('<a href="/docs/page.html">p</a>')
    code, report = links_json(
        "index.html", "--base-url", "https://site.example/", "--exclude", "site\\.example"
    )
    assert verdicts(report) == {
        "https://site.example/docs/page.html": ("skipped", "excluded by 'site\\.example'")
    }


def test_exclude_path_skips_input_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs" / "vendor").mkdir(parents=True)
    (tmp_path / "docs" / "a.md").write_text("[x](gone-a.md)\n")
    (tmp_path / "docs" / "vendor" / "b.md").write_text("[x](gone-b.md)\n")
    code, report = links_json("docs", "--exclude-path", "/vendor/")
    assert list(verdicts(report)) == ["docs/gone-a.md"]
    assert report["summary"]["files"] == 1


def test_bad_remap_and_missing_ignore_file_are_one_line_usage_errors(tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("[x](y.md)\n")
    for args in (["--remap", "no-replacement"], ["--ignore-file", str(tmp_path / "nope")]):
        result = CliRunner().invoke(main, ["links", str(doc), "--no-cache", *args])
        assert result.exit_code == 2, result.output
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output


def test_config_keys(tmp_path: Path) -> None:
    (tmp_path / ".validator.toml").write_text(
        "include = ['/keep$']\nexclude-path = ['^vendor/']\nignore-file = 'links.ignore'\n"
        "remap = ['^https://a\\.example/ https://b.example/']\n"
        "base-url = 'https://site.example'\nroot-dir = 'public'\n"
    )
    settings = load_config(start=tmp_path).crawl_settings()
    assert settings.includes == ("/keep$",)
    assert settings.exclude_paths == ("^vendor/",)
    assert settings.ignore_file == tmp_path / "links.ignore"
    assert settings.remaps == ("^https://a\\.example/ https://b.example/",)
    assert settings.base_url == "https://site.example"
    assert settings.root_dir == tmp_path / "public"
    (tmp_path / ".validator.toml").write_text("remap = ['nospace']\n")
    with pytest.raises(ConfigError, match="remap"):
        load_config(start=tmp_path)
    assert CrawlSettings().remaps == ()
