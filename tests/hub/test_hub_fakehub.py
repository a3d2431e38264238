"""End to end against the fake Hub: the bundled catalog and the planted cases.

Acceptance (issue 4): with the endpoint pointed at the fake Hub, each planted
disagreement is reported once, at the right file and line, with evidence and hint, and
nothing is said about consistent entries.
"""

from __future__ import annotations

import socket
from pathlib import Path

import anyio
import pytest

from tests.hub.conftest import (
    CATALOG,
    PLANTED,
    RecordingLimiter,
    RecordingSleep,
    load_entries,
    load_licenses,
)
from tests.hub.fakehub.server import APPROVED_TOKEN, FakeHub
from validator.catalog.model import Entry
from validator.findings import Finding, Severity
from validator.hub import HubOutcome, HubSettings, check_catalog_hub


def run(
    entries: list[Entry],
    settings: HubSettings,
    sleep: RecordingSleep,
    limiter: RecordingLimiter | None = None,
) -> HubOutcome:
    """One check with the real client stack; ``limiter=None`` uses the shared HostLimiter."""
    licenses = load_licenses()

    async def main() -> HubOutcome:
        return await check_catalog_hub(entries, licenses, settings, sleep=sleep, limiter=limiter)

    return anyio.run(main)


def by_entry(entries: list[Entry]) -> dict[str, Entry]:
    return {e.id: e for e in entries}


def where(entry: Entry, *path: str | int) -> tuple[str, int]:
    return (entry.file, entry.position(path)[0])


def summary(findings: list[Finding]) -> set[tuple[str, int, str]]:
    return {(f.file, f.line, f.rule) for f in findings}


def assert_complete(finding: Finding) -> None:
    """Every Hub finding carries evidence (catalog, hub, url) and a hint."""
    assert finding.hint, finding
    assert {"catalog", "hub", "url"} <= set(finding.evidence), finding
    assert finding.entry and finding.line > 0 and finding.path


# --------------------------------------------------------------------- bundled catalog


def test_bundled_catalog_reports_each_disagreement_once(
    fake_hub: FakeHub, sleep: RecordingSleep, limiter: RecordingLimiter
) -> None:
    entries = load_entries(CATALOG)
    e = by_entry(entries)
    settings = HubSettings.from_env({"HF_ENDPOINT": fake_hub.endpoint + "/"}, cache_path=None)
    outcome = run(entries, settings, sleep, limiter)

    expected = {
        # the seed's planted truth: BigCode OpenRAIL-M cited for BLOOM's RAIL license
        (*where(e["bloom"], "licenses", 0), "hub-license-mismatch"),
        # StarCoder is gated: card read, config.json not
        (*where(e["starcoder"], "checkpoints", 0, "url"), "hub-repo-gated"),
        # ALiBi rows: config.json states the trained length the catalog does not record
        (*where(e["mpt-7b"], "context_length", "value"), "hub-context-trained"),
        (*where(e["replit-code"], "context_length", "value"), "hub-context-trained"),
        # The HF checkpoints of T5 and UL2 are the later Flan releases
    }
    assert summary(outcome.findings) == expected
    assert len(outcome.findings) == len(expected)  # once each
    for finding in outcome.findings:
        assert_complete(finding)

    bloom = next(f for f in outcome.findings if f.rule == "hub-license-mismatch")
    assert bloom.severity is Severity.ERROR
    assert bloom.evidence["catalog"] == "openrail-m-v1"
    assert bloom.evidence["hub"] == "bigscience-bloom-rail-1.0"
    assert bloom.evidence["url"] == f"{fake_hub.endpoint}/api/models/bigscience/bloom"
    assert bloom.evidence["fix"] == {"old": "openrail-m-v1", "new": "bigscience-bloom-rail-1.0"}
    assert bloom.path == "$.licenses[0]"

    mpt = next(f for f in outcome.findings if f.entry == "mpt-7b")
    assert mpt.evidence["hub"] == 2048 and mpt.evidence["key"] == "max_seq_len"
    assert "trained: 2048" in (mpt.hint or "")

    verdicts = outcome.verdicts()
    assert verdicts["bigcode/starcoder"] == "gated"
    assert verdicts["cerebras"] == verdicts["togethercomputer"] == "org-only"
    others = {k: v for k, v in verdicts.items()
              if k not in ("bigcode/starcoder", "cerebras", "togethercomputer")}  # fmt: skip
    assert set(others.values()) == {"ok"}
    # every Hugging Face repo the catalog links to is served by a fixture
    assert len(others) == 24
    assert outcome.network_unavailable is None
    # gpt-neox-20b answers 429 (RateLimit r=0;t=0) once per URL: waited t+1, then fine
    assert 1.0 in sleep.waits
    assert (("127.0.0.1", 1.0)) in limiter.back_offs  # the whole host pauses, not one request


def test_fixtures_cover_every_hub_repo_of_the_catalog(fake_hub: FakeHub) -> None:
    from validator.hub.repos import RepoKind, collect_refs

    refs = collect_refs(load_entries(CATALOG))
    wanted = {
        (r.repo.kind.value, r.repo.id.lower()) for r in refs if r.repo.kind is not RepoKind.ORG
    }
    assert wanted <= set(fake_hub.repos)


# --------------------------------------------------------------------- planted cases


def test_planted_cases(fake_hub: FakeHub, sleep: RecordingSleep, limiter: RecordingLimiter) -> None:
    entries = load_entries(PLANTED)
    e = by_entry(entries)
    settings = HubSettings(endpoint=fake_hub.endpoint)
    outcome = run(entries, settings, sleep, limiter)

    expected = {
        (*where(e["planted-gated"], "checkpoints", 0, "url"), "hub-repo-gated"),
        (*where(e["planted-gated-api"], "checkpoints", 0, "url"), "hub-repo-gated"),
        (*where(e["planted-missing"], "checkpoints", 0, "url"), "hub-repo-missing"),
        (*where(e["planted-missing"], "checkpoints", 1, "url"), "hub-repo-missing"),
        (*where(e["planted-disabled"], "checkpoints", 0, "url"), "hub-repo-disabled"),
        (*where(e["planted-renamed"], "checkpoints", 0, "url"), "hub-repo-renamed"),
        (*where(e["planted-rate-limits"], "checkpoints", 1, "url"), "hub-unavailable"),
        (*where(e["planted-license-other"], "licenses", 0), "hub-license-mismatch"),
        (*where(e["planted-license-list-mismatch"], "licenses", 0), "hub-license-mismatch"),
        (*where(e["planted-ambiguous"], "licenses"), "hub-license-ambiguous"),
        (*where(e["planted-context"], "context_length", "value"), "hub-context-mismatch"),
        (*where(e["planted-mpt"], "context_length", "trained"), "hub-context-mismatch"),
        (*where(e["planted-params"], "params_b"), "hub-params-mismatch"),
        (*where(e["planted-late"], "released"), "hub-release-before-repo"),
    }
    assert summary(outcome.findings) == expected
    assert len(outcome.findings) == len(expected)
    for finding in outcome.findings:
        assert_complete(finding)
    found = {f.entry: f for f in outcome.findings if f.entry != "planted-missing"}

    verdicts = outcome.verdicts()
    assert verdicts["planted/gated-model"] == "gated"
    assert verdicts["planted/gated-api"] == "gated"
    assert verdicts["planted/missing-401"] == verdicts["planted/missing-404"] == "missing"
    assert verdicts["planted/disabled"] == "disabled"
    assert verdicts["planted/old-name"] == "renamed"
    assert verdicts["planted/rate-limited-once"] == "ok"
    assert verdicts["planted/rate-limited-always"] == "rate-limited"
    assert verdicts["planted"] == "org-only"
    renamed = next(r for r in outcome.repos if r.repo == "planted/old-name")
    assert renamed.new_id == "planted/new-name"
    assert found["planted-renamed"].evidence["fix"] == {
        "old": "https://huggingface.co/planted/old-name",
        "new": "https://huggingface.co/planted/new-name",
    }
    # license: other + license_name: not in the glossary, the hint says what to do
    other = found["planted-license-other"]
    assert other.evidence["license_name"] == "planted-community-license"
    assert other.evidence["license_link"] == "LICENSE"
    assert "licenses.yaml" in (other.hint or "")
    # ambiguity names which checkpoint has which license
    assert "bin-only: 'apache-2.0'" in found["planted-ambiguous"].message
    # context: like with like (trained vs trained); the fix targets `trained`
    assert found["planted-mpt"].evidence["fix"] == {"old": 2048, "new": 4096}
    assert found["planted-params"].evidence["hub"] == 12_850_000_000
    # the first commit is the last page's last commit (5 commits, pages of 2)
    late = found["planted-late"]
    assert late.evidence["hub"] == "2023-08-14T09:00:00Z"
    assert late.evidence["url"].endswith("/commits/main?p=2")
    # 429-always asked for 601 s: given up at once, nothing slept that long
    assert all(w <= settings.max_wait for w in sleep.waits)
    # what the answers say of the checkpoint URLs as links (the crawl asks no more)
    links = outcome.links

    def link(entry: str, index: int = 0) -> tuple[str, int | None, str | None] | None:
        result = links.get(e[entry].data["checkpoints"][index]["url"])
        return (result.verdict.value, result.status, result.final_url) if result else None

    assert link("planted-missing") == ("dead", 401, None)
    assert link("planted-missing", 1) == ("dead", 404, None)
    assert link("planted-renamed") == ("ok", 200, "https://huggingface.co/planted/new-name")
    assert link("planted-gated") == ("ok", 200, None)  # the page is there, its files gated
    assert link("planted-disabled") is None  # nothing sure about the page: crawled
    assert link("planted-rate-limits", 1) is None
    missing = links[e["planted-missing"].data["checkpoints"][0]["url"]]
    assert missing.answered_by == f"GET {fake_hub.endpoint}/api/models/planted/missing-401 -> 401"


def test_hf_endpoint_and_token_from_environment(
    fake_hub: FakeHub, sleep: RecordingSleep, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.endpoint)
    monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", APPROVED_TOKEN)
    monkeypatch.delenv("HF_TOKEN")  # the planted marker would win over the older variable
    entries = [by_entry(load_entries(PLANTED))[n] for n in ("planted-gated", "planted-cdn")]
    settings = HubSettings.from_env()
    assert settings.endpoint == fake_hub.endpoint and settings.token == APPROVED_TOKEN
    outcome = run(entries, settings, sleep)
    # with an approved token the gated repo's config.json is readable: nothing to say
    assert outcome.findings == []
    assert outcome.verdicts()["planted/gated-model"] == "ok"
    sent = [s for s in fake_hub.seen if "authorization" in {k.lower() for k in s.headers}]
    assert sent and all(not s.path.startswith("/cdn/") for s in sent)
    # the CDN hop (another host) was fetched, without the token
    cdn = fake_hub.requests_to("/cdn/")
    assert len(cdn) == 1
    assert "authorization" not in {k.lower() for k in cdn[0].headers}


def test_second_run_revalidates_with_etags(
    fake_hub: FakeHub, sleep: RecordingSleep, tmp_path: Path
) -> None:
    entries = [by_entry(load_entries(CATALOG))["bloom"]]
    settings = HubSettings(endpoint=fake_hub.endpoint, cache_path=tmp_path / "hub.sqlite3")
    first = run(entries, settings, sleep)
    before = len(fake_hub.seen)
    second = run(entries, settings, sleep)
    again = fake_hub.seen[before:]
    assert again and all("If-None-Match" in s.headers or "if-none-match" in s.headers
                         for s in again)  # fmt: skip
    assert summary(first.findings) == summary(second.findings)
    assert [f.evidence for f in first.findings] == [f.evidence for f in second.findings]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_endpoint_is_network_unavailable(sleep: RecordingSleep) -> None:
    entries = load_entries(CATALOG)
    settings = HubSettings(endpoint=f"http://127.0.0.1:{_closed_port()}", max_retries=1)
    outcome = run(entries, settings, sleep)
    assert outcome.network_unavailable and "cannot reach" in outcome.network_unavailable
    assert outcome.repos == []
    assert outcome.findings == []
    assert outcome.requests == 2  # the probe and its one retry, nothing more


def test_bundled_catalog_waivers_name_existing_rules() -> None:
    """Waivers in the catalog must name rule ids that exist (else they silence nothing)."""
    from validator.rulebook import RULES

    for entry in load_entries(CATALOG):
        for rule in entry.waived_rules():
            assert rule in RULES, f"{entry.file}: waiver names unknown rule {rule!r}"


def test_an_unusable_cache_path_only_costs_revalidation(
    fake_hub: FakeHub, sleep: RecordingSleep, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    entries = [by_entry(load_entries(CATALOG))["bloom"]]
    settings = HubSettings(endpoint=fake_hub.endpoint, cache_path=blocker / "hub.sqlite3")
    outcome = run(entries, settings, sleep)
    assert [f.rule for f in outcome.findings] == ["hub-license-mismatch"]
