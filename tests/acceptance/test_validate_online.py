"""`validator validate --online` end to end: the real CLI against loopback servers.

The fake Hub (tests/hub/fakehub) serves every repo the bundled catalog links, with the
seed's planted disagreements; HF_ENDPOINT points the tool at it. Nothing leaves the
machine: tests/conftest.py refuses every non-loopback connection, which is also how
the "no network at all" case is made.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import typing as t
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from tests.hub.fakehub.server import FakeHub, load_repos
from validator.cli import main

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--max-retries", "0", "--timeout", "5", "--no-cache"]


def run(*args: str) -> tuple[int, dict[str, t.Any], str]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", *args])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout), result.stderr


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> t.Iterator[FakeHub]:
    monkeypatch.chdir(ROOT)
    with FakeHub() as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
        yield hub


def test_hub_check_reports_each_planted_disagreement_once_at_its_line(fake_hub: FakeHub) -> None:
    # One retry: gpt-neox-20b answers 429 (Retry-After) once, then 200.
    code, report, _ = run("catalog", "--online", "--no-links", *FAST, "--max-retries", "1")
    found = sorted((f["rule"], f["file"], f["line"]) for f in report["findings"])
    assert found == [
        ("hub-context-trained", "catalog/models/code/replit-code.yaml", 14),
        ("hub-context-trained", "catalog/models/language/mpt-7b.yaml", 19),
        ("hub-license-mismatch", "catalog/models/language/bloom.yaml", 17),
        ("hub-repo-gated", "catalog/models/code/starcoder.yaml", 8),
    ]
    bloom = next(f for f in report["findings"] if f["rule"] == "hub-license-mismatch")
    assert bloom["severity"] == "error" and bloom["entry"] == "bloom"
    assert bloom["evidence"]["hub"] == "bigscience-bloom-rail-1.0"
    assert bloom["evidence"]["url"].startswith(fake_hub.endpoint)
    assert bloom["hint"]
    assert report["links"] is None  # --no-links
    assert code == 1  # the license mismatch is an error


def test_hub_findings_are_waivable_like_every_rule(fake_hub: FakeHub, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    bloom = catalog / "models" / "language" / "bloom.yaml"
    bloom.write_text(
        bloom.read_text(encoding="utf-8")
        + "  - rule: hub-license-mismatch\n    reason: kept as the page says\n",
        encoding="utf-8",
    )
    code, report, _ = run(str(catalog), "--online", "--no-links", *FAST)
    assert "hub-license-mismatch" not in {f["rule"] for f in report["findings"]}
    assert report["summary"]["waived"] == 5  # 4 bundled waivers + this one
    assert code == 0


def test_no_network_at_all_exits_3_with_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, report, stderr = run("catalog", "--online", *FAST)
    assert code == 3
    assert report["summary"]["network_unavailable"].startswith("Network unavailable")
    assert stderr.count("\n") == 1 and "Network unavailable" in stderr
    assert not [f for f in report["findings"] if f["rule"] in ("link-dead", "hub-repo-missing")]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_pull_request_mode_checks_only_changed_entries_online(
    fake_hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "catalog", repo / "catalog")
    git(repo, "init", "-q")
    git(repo, "-c", "user.email=t@e", "-c", "user.name=t", "add", ".")
    git(repo, "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-qm", "base")
    bloom = repo / "catalog" / "models" / "language" / "bloom.yaml"
    bloom.write_text(bloom.read_text(encoding="utf-8") + "notes: touched\n", encoding="utf-8")
    (repo / "catalog" / "models" / "language" / "pythia.yaml").unlink()  # OA is based_on it
    monkeypatch.chdir(repo)

    code, report, _ = run("catalog", "--online", "--no-links", "--changed-since", "HEAD", *FAST)
    found = sorted((f["rule"], f["entry"]) for f in report["findings"])
    # Online checks ran on bloom only (mpt-7b's and replit's hub findings are absent);
    # the offline checks ran on everything and saw the deleted base model.
    assert found == [
        ("hub-license-mismatch", "bloom"),
        ("reference-unknown", "open-assistant-pythia-family"),
    ]
    deleted = next(f for f in report["findings"] if f["rule"] == "reference-unknown")
    assert "this change deletes" in deleted["message"]
    assert code == 1


def test_bad_changed_since_ref_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["validate", "--changed-since", "no-such-ref-xyz"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "no-such-ref-xyz" in result.stderr


def test_link_crawl_findings_sit_at_the_url_lines(tmp_path: Path) -> None:
    """Entry URLs and the license glossary's URLs are crawled, each judged at its line."""
    from tests.links.linkserver import Server

    server = Server().start()
    try:
        (tmp_path / "licenses.yaml").write_text(
            "licenses:\n  - id: apache-2.0\n    name: Apache 2.0\n    spdx: Apache-2.0\n"
            f"    url: {server.url(1, '/gone-license')}\n    hub_ids: [apache-2.0]\n",
            encoding="utf-8",
        )
        entry = tmp_path / "models" / "language" / "m.yaml"
        entry.parent.mkdir(parents=True)
        entry.write_text(
            "id: m\nkind: language-model\nname: M\nreleased: 2023-05\n"
            f"checkpoints:\n  - name: c\n    url: {server.url(0, '/missing')}\n"
            f"papers:\n  - title: p\n    url: {server.url(1, '/ok')}\n"
            "licenses: [apache-2.0]\n"
            f"try_it:\n  - name: t\n    url: {server.url(2, '/r301')}\n",
            encoding="utf-8",
        )
        code, report, _ = run(str(tmp_path), "--online", "--no-hub", "--allow-private", *FAST)
    finally:
        server.stop()
    found = sorted(
        (Path(f["file"]).name, f["rule"], f["severity"], f["line"], f["column"])
        for f in report["findings"]
    )
    assert found == [
        ("licenses.yaml", "link-dead", "error", 5, 5),
        ("m.yaml", "link-dead", "error", 7, 5),
        ("m.yaml", "link-redirected", "warning", 14, 5),
    ]
    verdicts = {link["url"]: link["verdict"] for link in report["links"]}
    assert verdicts == {
        server.url(0, "/missing"): "dead",
        server.url(1, "/ok"): "ok",
        server.url(2, "/r301"): "redirected",
        server.url(1, "/gone-license"): "dead",
    }
    assert code == 1


def test_links_command_writes_several_outputs_in_one_run(tmp_path: Path) -> None:
    from tests.links.linkserver import Server

    server = Server().start()
    try:
        urls = tmp_path / "urls.txt"
        urls.write_text(f"{server.url(0, '/ok')}\n{server.url(1, '/gone')}\n", encoding="utf-8")
        out = tmp_path / "report.json"
        result = CliRunner().invoke(
            main,
            ["links", str(urls), "--allow-private", *FAST, "--output", "text",
             "--output", f"json:{out}"],
        )  # fmt: skip
    finally:
        server.stop()
    assert result.exit_code == 1  # 410 Gone is dead, an error
    assert f"dead             410 {server.url(1, '/gone')}" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {link["verdict"] for link in report["links"]} == {"ok", "dead"}
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("link-dead", 2)]


def test_fix_from_hub_writes_the_hub_value_and_keeps_the_rest(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    bloom = catalog / "models" / "language" / "bloom.yaml"
    before = bloom.read_text(encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["validate", str(catalog), "--online", "--no-links", *FAST, "--max-retries", "1",
         "--fix-from-hub", "hub-license-mismatch", "--format", "json"],
    )  # fmt: skip
    after = bloom.read_text(encoding="utf-8")
    pairs = zip(before.splitlines(), after.splitlines(), strict=True)  # same line count
    changed = [(a, b) for a, b in pairs if a != b]
    assert len(changed) == 1 and "bigscience-bloom-rail-1.0" in changed[0][1]
    assert "hub-license-mismatch" in result.stderr  # one line per change
    # The run that fixed it still reports what it found; the next run is clean of it.
    code, report, _ = run(str(catalog), "--online", "--no-links", *FAST, "--max-retries", "1")
    assert "hub-license-mismatch" not in {f["rule"] for f in report["findings"]}


def test_one_request_per_fact_the_crawl_takes_the_hub_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The bundled catalog's huggingface.co URLs are remapped onto the fake Hub, so the
    # crawl and the Hub check talk to one host, as they do in production.
    monkeypatch.chdir(ROOT)
    repos = load_repos()
    for repo in repos.values():
        repo.plant.pop("429", None)  # a retry after 429 asks again on purpose
    with FakeHub(repos) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
        remap = rf"https://huggingface\.co/ {hub.endpoint}/"
        only_hub = r"^https?://(?!127\.0\.0\.1)"
        _, report, _ = run("catalog", "--online", *FAST, "--remap", remap, "--exclude", only_hub)
        seen = [(s.method, urlsplit(s.path).path, urlsplit(s.path).query) for s in hub.seen]
    repeated = [req for req, n in Counter(seen).items() if n > 1]
    assert repeated == []  # no request to the Hub host twice
    answered = [link for link in report["links"] if "answered_by" in link]
    paths = {path for _method, path, _query in seen}
    for link in answered:
        page = urlsplit(link["url"]).path
        assert page not in paths  # the checkpoint page was never requested
        assert link["answered_by"].startswith(f"GET {hub.endpoint}/api/")
        assert link["history"]["last_checked"]  # judged this run, history kept
    assert "/api/datasets/OpenAssistant/oasst1" in paths
    assert len(answered) == 25  # 20 model + 5 dataset checkpoints, the gated one too
    assert report["summary"]["links"]["saved_requests"] == len(answered)
    crawled = [link for link in report["links"] if link["verdict"] != "skipped"]
    assert len(crawled) > len(answered)  # other pages on the host were still crawled


def test_nothing_saved_says_nothing(fake_hub: FakeHub) -> None:
    # Without the Hub check there is nothing to hand over: no figure in the summary.
    only_hub = r"^https?://(?!127\.0\.0\.1)"
    _, report, _ = run("catalog", "--online", "--no-hub", *FAST, "--exclude", only_hub)
    assert "saved_requests" not in report["summary"]["links"]
