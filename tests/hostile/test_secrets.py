"""Secrets are bound to an origin, checked when read, and never printed.

Marker secrets are planted in ``HF_TOKEN``, ``GITHUB_TOKEN`` and the config's credential
headers; every command is run against loopback servers that redirect across ports and
hosts; every byte the commands write (stdout, stderr, report files) is searched for
the markers, and every request the servers saw is checked for where the credentials
went.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
from pathlib import Path

import click
import httpx
import pytest
from click.testing import CliRunner

from tests.hostile.conftest import MARKERS, leaked
from tests.hostile.rawserver import RawServer, Request, respond
from validator.cli import main
from validator.config import ConfigError, load_config
from validator.credentials import CredentialError, check_secret, headers_for_hop, redact
from validator.github.api import GitHubClient
from validator.hub import HubSettings

FORMATS = ("text", "json", "markdown", "github", "sarif", "junit")


def _config(tmp_path: Path, host: str = "127.0.0.1") -> Path:
    path = tmp_path / ".validator.toml"
    path.write_text(
        "max-retries = 0\nhost-interval = 0\ntimeout = 3\n"
        'headers = { Cookie = "${TEST_COOKIE}", "Proxy-Authorization" = "Basic ${TEST_PROXY}" }\n'
        f'[hosts."{host}"]\n'
        'headers = { Authorization = "Bearer ${TEST_AUTH}", X-Plain = "kept" }\n',
        encoding="utf-8",
    )
    return path


def _plant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_AUTH", MARKERS["AUTH"])
    monkeypatch.setenv("TEST_COOKIE", MARKERS["COOKIE"])
    monkeypatch.setenv("TEST_PROXY", MARKERS["PROXY"])
    monkeypatch.setenv("HF_TOKEN", MARKERS["HF_TOKEN"])
    monkeypatch.setenv("GITHUB_TOKEN", MARKERS["GITHUB_TOKEN"])


def _credentials(request: Request) -> set[str]:
    return {
        name
        for name in ("authorization", "cookie", "proxy-authorization")
        if name in request.headers and leaked(request.headers[name])
    }


def _redirecting(server: RawServer, target: str) -> None:
    def start(request: Request, sock: socket.socket) -> None:
        respond(sock, 301, headers={"Location": target}, method=request.method)

    def end(request: Request, sock: socket.socket) -> None:
        respond(sock, 200, b"<html>ok</html>", {"Content-Type": "text/html"}, method=request.method)

    server.routes["/start"] = start
    server.routes["/end"] = end


@pytest.mark.parametrize(
    "target_origin",
    [1, 2],
    ids=["other-port-same-host", "other-host"],
)
def test_credentials_never_follow_a_redirect_to_another_origin(
    raw_server: RawServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    target_origin: int,
) -> None:
    """Global and per-host credential headers reach the first origin only."""
    _plant(monkeypatch)
    monkeypatch.chdir(tmp_path)
    _redirecting(raw_server, raw_server.url("/end", target_origin))
    # the per-host table names the redirect's target host too: port and scheme still count
    _config(tmp_path)
    urls = tmp_path / "urls.txt"
    urls.write_text(raw_server.url("/start") + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["links", str(urls), "--allow-private", "--no-cache", "--format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    first = raw_server.seen("/start")
    assert first and all(
        _credentials(r) == {"authorization", "cookie", "proxy-authorization"} for r in first
    )
    assert all(r.headers.get("x-plain") == "kept" for r in first)
    hops = raw_server.seen("/end")
    assert hops, "the redirect was not followed"
    assert all(_credentials(r) == set() for r in hops), [r.headers for r in hops]
    assert not leaked(result.output)


def test_same_origin_redirect_keeps_credentials(
    raw_server: RawServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plant(monkeypatch)
    monkeypatch.chdir(tmp_path)
    _redirecting(raw_server, "/end")
    _config(tmp_path)
    urls = tmp_path / "urls.txt"
    urls.write_text(raw_server.url("/start") + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["links", str(urls), "--allow-private", "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    assert all(_credentials(r) == {"authorization", "cookie", "proxy-authorization"}
               for r in raw_server.seen("/end"))  # fmt: skip


@pytest.mark.parametrize(
    ("start", "hop", "kept"),
    [
        ("http://h:1/a", "http://h:1/b", True),
        ("http://h:1/a", "http://h:2/b", False),
        ("https://h/a", "http://h/b", False),
        ("http://h/a", "https://h/b", False),
        ("https://h/a", "https://h:443/b", True),
        ("https://h/a", "https://H/b", True),
        ("https://h/a", "https://g/b", False),
    ],
)
def test_origin_is_scheme_host_and_port(start: str, hop: str, kept: bool) -> None:
    headers = {"Authorization": "a", "cookie": "c", "Proxy-Authorization": "p", "Accept": "x"}
    out = headers_for_hop(headers, httpx.URL(start), httpx.URL(hop))
    assert out["Accept"] == "x"
    assert ("Authorization" in out and "cookie" in out and "Proxy-Authorization" in out) is kept


@pytest.mark.parametrize(
    "value",
    [MARKERS["HF_TOKEN"] + "\n", "hf_" + "\n" + MARKERS["HF_TOKEN"], MARKERS["HF_TOKEN"] + "é",
     MARKERS["HF_TOKEN"] + "\x00", MARKERS["HF_TOKEN"] + "\x7f", "\u200b" + MARKERS["HF_TOKEN"]],
    ids=["trailing-newline", "inner-newline", "non-ascii", "nul", "del", "zero-width"],
)  # fmt: skip
def test_bad_secret_is_one_line_naming_the_variable_never_the_value(value: str) -> None:
    with pytest.raises(CredentialError) as info:
        check_secret("HF_TOKEN", value)
    message = str(info.value)
    assert message.startswith("HF_TOKEN ") and "\n" not in message
    assert not leaked(message)


def test_hub_settings_refuse_a_pasted_newline() -> None:
    with pytest.raises(CredentialError, match="^HUGGING_FACE_HUB_TOKEN holds a line break"):
        HubSettings.from_env({"HUGGING_FACE_HUB_TOKEN": MARKERS["HF_TOKEN"] + "\n"})
    assert HubSettings.from_env({"HF_TOKEN": MARKERS["HF_TOKEN"]}).token == MARKERS["HF_TOKEN"]


def test_github_client_refuses_a_non_ascii_token() -> None:
    with pytest.raises(CredentialError, match="^GITHUB_TOKEN holds a non-ASCII"):
        GitHubClient("o/n", token=MARKERS["GITHUB_TOKEN"] + "ü")


def test_config_header_from_a_bad_variable_names_key_and_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plant(monkeypatch)
    monkeypatch.setenv("TEST_AUTH", MARKERS["AUTH"] + "\r\nX-Injected: 1")
    _config(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_config(start=tmp_path)
    message = str(info.value)
    assert "Authorization (from ${TEST_AUTH}) holds a line break" in message
    assert ".validator.toml" in message and not leaked(message) and "\n" not in message


def test_redact_masks_every_occurrence() -> None:
    assert redact("a SECRET b SECRET", ["SECRET", None, ""]) == "a *** b ***"


# -- every command, every output -------------------------------------------------------


def _outputs(tmp_path: Path) -> list[str]:
    """``--output`` specs writing every format to files under ``tmp_path``."""
    return [arg for f in FORMATS for arg in ("--output", f"{f}:{tmp_path / ('out.' + f)}")]


def _all_written(tmp_path: Path, result: object) -> str:
    texts = [getattr(result, "stdout", ""), getattr(result, "stderr", "")]
    texts += [p.read_text("utf-8", "replace") for p in tmp_path.rglob("out.*") if p.is_file()]
    return "\n".join(texts)


@pytest.mark.parametrize("bad", [False, True], ids=["good-secrets", "pasted-newline"])
def test_links_command_never_prints_a_secret(
    raw_server: RawServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: bool
) -> None:
    _plant(monkeypatch)
    if bad:
        monkeypatch.setenv("TEST_AUTH", MARKERS["AUTH"] + "\n")
    monkeypatch.chdir(tmp_path)
    _redirecting(raw_server, raw_server.url("/end", 2))

    def echo(request: Request, sock: socket.socket) -> None:
        # a hostile server reflects what it was sent into the reason phrase and body
        reflected = " ".join(request.headers.values())
        respond(sock, f"HTTP/1.1 500 {reflected[:200]}", reflected.encode(), method=request.method)

    raw_server.routes["/echo"] = echo
    _config(tmp_path)
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{raw_server.url('/start')}\n{raw_server.url('/echo', 2)}\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["links", str(urls), "--allow-private", "--no-cache", *_outputs(tmp_path)]
    )
    assert result.exit_code == 2 if bad else result.exit_code in (0, 1), result.output
    assert not leaked(_all_written(tmp_path, result))


def test_validate_online_with_a_bad_hf_token_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", MARKERS["HF_TOKEN"] + "\n")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    catalog = Path(__file__).parents[2] / "catalog"
    result = CliRunner().invoke(
        main, ["validate", "--online", "--no-links", str(catalog), *_outputs(tmp_path)]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "HF_TOKEN holds a line break" in lines[0]
    assert not leaked(_all_written(tmp_path, result))


@pytest.mark.parametrize("suffix", ["\n", "é", ""], ids=["newline", "non-ascii", "refused"])
def test_issue_sync_never_prints_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", MARKERS["GITHUB_TOKEN"] + suffix)
    # nothing listens on port 9: the call fails, and its message must not carry the token
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"version": 1, "findings": [], "summary": {}}))
    result = CliRunner().invoke(main, ["issue", "sync", "--report", str(report), "--repo", "o/n"])
    assert result.exit_code in (2, 3)  # a refused token (2), or no answer at all (3)
    assert len(result.stderr.strip().splitlines()) == 1
    if suffix:
        assert "GITHUB_TOKEN holds" in result.stderr
    assert not leaked(_all_written(tmp_path, result))


# -- the suite-wide check itself (tests/conftest.py) can fail ---------------------------


@click.command()
@click.option("--output", "outputs", multiple=True)
@click.option("--leak", type=click.Choice(["stdout", "file", "gzip", "output", "summary"]))
@click.option("--secret", default="HF_TOKEN")
def _leaky(outputs: tuple[str, ...], leak: str | None, secret: str) -> None:
    """Writes the planted secret ``secret`` to the place named by ``leak``."""
    value = os.environ[secret].encode()
    here = Path(os.environ["LEAKY_DIR"])
    places = {
        "stdout": None,
        "file": here / "cache" / "entry.json",
        "gzip": here / "report.json.gz",
        "output": Path(outputs[0].split(":", 1)[1]) if outputs else None,
        "summary": Path(os.environ.get("GITHUB_STEP_SUMMARY", here / "none")),
    }
    target = places.get(leak or "")
    if leak == "stdout":
        click.echo(b"token: " + value)
    elif target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.compress(value) if leak == "gzip" else b"x" + value)


@pytest.mark.parametrize("leak", ["stdout", "file", "gzip", "output", "summary"])
@pytest.mark.parametrize("secret", ["HF_TOKEN", "GITHUB_TOKEN", "TEST_AUTH"])
def test_the_suite_wide_check_catches_a_planted_secret_wherever_written(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    leak: str,
    secret: str,
) -> None:
    monkeypatch.setenv("LEAKY_DIR", str(tmp_path))
    elsewhere = tmp_path_factory.mktemp("elsewhere")  # not under tmp_path: found by its option
    args = ["--leak", leak, "--secret", secret, "--output", f"json:{elsewhere / 'r.json'}"]
    env = {"GITHUB_STEP_SUMMARY": str(elsewhere / "summary.md")}
    with pytest.raises(AssertionError, match="planted secret"):
        CliRunner().invoke(_leaky, args, env=env)
    assert CliRunner().invoke(_leaky, ["--secret", secret], env=env).exit_code == 0


def test_the_suite_wide_check_ignores_what_the_test_itself_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEAKY_DIR", str(tmp_path))
    (tmp_path / "fixture.txt").write_text(MARKERS["HF_TOKEN"])  # an input, not an output
    assert CliRunner().invoke(_leaky, []).exit_code == 0
