"""Configuration errors and the `validator links` command end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.links.linkserver import Server
from validator.cli import main
from validator.config import ConfigError, load_config
from validator.options import CrawlOverrides


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_config(start=tmp_path).crawl_settings(CrawlOverrides())
    assert settings.timeout == 20.0 and settings.host_concurrency == 10


def test_pyproject_table_and_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.validator]\ntimeout = 30\nmax-retries = 1\nexclude = ['^https://a\\.example/']\n"
        "accept = [200, '300..=399']\n"
        "[tool.validator.hosts.'huggingface.co']\nconcurrency = 2\ninterval = 0.5\n",
        encoding="utf-8",
    )
    config = load_config(start=tmp_path)
    settings = config.crawl_settings(CrawlOverrides({"timeout": 5.0, "excludes": ("b",)}))
    assert settings.timeout == 5.0  # command line wins
    assert settings.max_retries == 1  # file over default
    assert settings.excludes == ("^https://a\\.example/", "b")
    assert 301 in settings.accept and 404 not in settings.accept
    assert settings.host_limits("huggingface.co") == (2, 0.5)


def test_dot_validator_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.validator]\ntimeout = 30\n")
    (tmp_path / ".validator.toml").write_text("timeout = 7\n")
    assert load_config(start=tmp_path).crawl_settings().timeout == 7


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max_retries = 2\n", "unknown key 'max_retries' (did you mean 'max-retries'?)"),
        ("timout = 2\n", "(did you mean 'timeout'?)"),
        ("timeout = 'x'\n", "timeout: expected a number"),
        ("exclude = ['(']\n", "exclude: invalid regex"),
        ("accept = ['2xx']\n", "accept: '2xx' is not a status code"),
        ("[hosts.'a.example']\nconcurency = 1\n", "unknown key 'hosts.\"a.example\".concurency'"),
        ("timeout = \n", "invalid TOML"),
        ("timeout = nan\n", "timeout: expected seconds >= 0"),
        ("[hosts.'a.example']\ninterval = nan\n", 'hosts."a.example".interval: expected seconds'),
    ],
)
def test_config_errors_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".validator.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(start=tmp_path)
    assert message in str(info.value)
    assert ".validator.toml" in str(info.value)
    assert "\n" not in str(info.value)


def test_header_tokens_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_TOKEN")  # the planted marker (tests/conftest.py): no token first
    (tmp_path / ".validator.toml").write_text(
        "[hosts.'huggingface.co']\nheaders = { Authorization = 'Bearer ${HF_TOKEN}' }\n"
    )
    assert load_config(start=tmp_path).crawl_settings().host("huggingface.co").headers == {}
    monkeypatch.setenv("HF_TOKEN", "t0k")
    headers = load_config(start=tmp_path).crawl_settings().host("huggingface.co").headers
    assert headers == {"Authorization": "Bearer t0k"}


FAST = ["--timeout", "1.5", "--max-retries", "1", "--host-interval", "0", "--allow-private"]


def test_cli_text_report_and_exit_1(server: Server, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.url(0, '/ok')}\n{server.url(0, '/missing')}\n")
    result = CliRunner().invoke(main, ["links", str(urls), *FAST, "--no-cache"])
    assert result.exit_code == 1, result.output
    assert "link-dead" in result.output
    assert "2 links checked, 1 failing" in result.output


def test_cli_json_report(server: Server, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.url(0, '/ok')}\n")
    result = CliRunner().invoke(main, ["links", str(urls), *FAST, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    link = data["links"][0]
    assert link["verdict"] == "ok" and link["status"] == 200
    assert set(link["history"]) >= {"first_failed", "consecutive_failures", "last_checked"}


def test_cli_fix_rewrites_permanent_redirects(server: Server, tmp_path: Path) -> None:
    entry = tmp_path / "m.yaml"
    old = server.url(0, "/r301")
    entry.write_text(f"# a comment that must stay\nid: m\nkind: eval\nname: M\nurl: {old}  # why\n")
    result = CliRunner().invoke(main, ["links", str(entry), *FAST, "--no-cache", "--fix"])
    assert result.exit_code == 0, result.output
    text = entry.read_text()
    assert text == (
        f"# a comment that must stay\nid: m\nkind: eval\nname: M\n"
        f"url: {server.url(0, '/ok')}  # why\n"
    )


def test_cli_network_unavailable_exits_3(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"  # the test guard makes every public name unresolvable
    urls.write_text("https://huggingface.co/x\nhttps://arxiv.org/abs/1\n")
    result = CliRunner().invoke(main, ["links", str(urls), "--max-retries", "0", "--no-cache"])
    assert result.exit_code == 3, result.output
    assert "Network unavailable" in result.stderr


def test_config_not_utf8_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / ".validator.toml").write_bytes(b"timeout = 3\n# caf\xe9\n")
    with pytest.raises(ConfigError) as info:
        load_config(start=tmp_path)
    assert ".validator.toml" in str(info.value) and "UTF-8" in str(info.value)
    assert "\n" not in str(info.value)


def test_cli_unusable_cache_is_one_line_exit_2(tmp_path: Path) -> None:
    """A cache that cannot be created at all (its folder is a file) stops the run;
    a damaged one is healed instead (tests/hostile/test_caches.py)."""
    urls = tmp_path / "urls.txt"
    urls.write_text("https://huggingface.co/x\n")
    (tmp_path / "folder").write_text("a file where the cache's folder should be")
    cache = tmp_path / "folder" / "cache.sqlite3"
    result = CliRunner().invoke(main, ["links", str(urls), "--cache-path", str(cache)])
    assert result.exit_code == 2, result.output
    assert "cache" in result.stderr and str(cache) in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["links", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("concurrencyy = 2\n")
    result = runner.invoke(main, ["links", str(tmp_path), "--config", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "concurrency" in result.stderr
    regex = runner.invoke(main, ["links", str(tmp_path), "--exclude", "("])
    assert regex.exit_code == 2 and "invalid regex" in regex.stderr


def test_every_crawl_setting_is_declared_once_for_file_and_command_line(tmp_path: Path) -> None:
    from validator.cli.options import overrides_from_options
    from validator.config import KNOWN_KEYS
    from validator.http.settings import CrawlSettings

    knobs = CrawlSettings.knobs()
    help_text = CliRunner().invoke(main, ["links", "--help"]).output
    for name, knob in knobs.items():
        assert knob.key or knob.flag, name
        if knob.key:
            assert knob.key in KNOWN_KEYS
            if knob.kind not in ("str", "path", "folder", "strings", "regexes", "headers"):
                (tmp_path / ".validator.toml").write_text(f'{knob.key} = "x"\n')
                with pytest.raises(ConfigError, match=knob.key):
                    load_config(start=tmp_path)
        if knob.flag:
            assert knob.flag.split("/")[0] in help_text
    assert overrides_from_options(progress=False).values == {"progress": False}
    assert overrides_from_options(no_cache=False, timeout=None).values == {}
    given = overrides_from_options(no_cache=True, excludes=("a",), fail_after=2).values
    assert given == {"no_cache": True, "excludes": ("a",), "fail_after": 2}


def test_cli_host_stats_text_and_json(server: Server, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(f"{server.url(1, f'/ok?stats={i}')}\n" for i in range(3)))
    report = tmp_path / "r.json"
    args = ["links", str(urls), *FAST, "--no-cache", "--host-stats", "--output", f"json:{report}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    table = result.stderr.splitlines()
    assert table[0].split()[:4] == ["host", "requests", "retries", "429s"]
    assert table[1].split()[:2] == ["127.0.0.3", "3"]
    hosts = json.loads(report.read_text())["hosts"]
    assert hosts["127.0.0.3"]["requests"] == 3
    assert set(hosts["127.0.0.3"]) >= {"median_ms", "p95_ms", "pace_ms", "retries"}
    plain = CliRunner().invoke(main, ["links", str(urls), *FAST, "--no-cache", "--format", "json"])
    assert "hosts" not in json.loads(plain.stdout)
