"""Each Hub rule: pure comparisons on recorded shapes, then through the whole check with
respx-mocked Hub answers (one synthetic entry per case)."""

from __future__ import annotations

import textwrap
import typing as t
from pathlib import Path

import anyio
import httpx
import pytest
import respx

from tests.hub.conftest import RecordingLimiter, RecordingSleep, load_licenses
from tests.tls import verifying
from validator.catalog.model import Entry
from validator.catalog.source import parse_text
from validator.findings import Finding, Severity
from validator.hub import HubOutcome, HubSettings, check_catalog_hub, context_from_config
from validator.hub.licenses import hub_license
from validator.hub.repos import RepoKind, parse_hub_url
from validator.hub.rules import context_matches, params_match

EP = "https://hub.test"


def entry(yaml_text: str, name: str = "entry.yaml") -> Entry:
    text = textwrap.dedent(yaml_text).lstrip()
    return Entry(parse_text(text, Path(name), f"catalog/{name}"))


MODEL = textwrap.dedent("""\
    id: m
    kind: language-model
    name: M
    released: 2023-05
    checkpoints:
      - name: m
        url: https://huggingface.co/org/m
    params_b: 7
    context_length:
      value: 2048
    licenses: [apache-2.0]
""")


def info(repo: str = "org/m", **extra: t.Any) -> dict[str, t.Any]:
    """An /api/models answer shaped like reference §5.1."""
    body: dict[str, t.Any] = {
        "_id": "621ffdc036468d709f174338", "id": repo, "modelId": repo,
        "author": repo.split("/")[0], "private": False, "gated": False, "disabled": False,
        "tags": ["transformers", "license:apache-2.0"],
        "cardData": {"license": "apache-2.0"},
        "createdAt": "2022-03-02T23:29:04.000Z",
        "safetensors": {"parameters": {"BF16": 6_900_000_000}, "total": 6_900_000_000},
    }  # fmt: skip
    body.update(extra)
    return body


def mock_repo(
    repo: str = "org/m",
    *,
    api: dict[str, t.Any] | None = None,
    config: dict[str, t.Any] | None = None,
    commits: list[dict[str, t.Any]] | None = None,
    kind: str = "models",
) -> None:
    respx.get(f"{EP}/api/{kind}/{repo}").respond(200, json=api if api is not None else info(repo))
    if config is not None:
        respx.get(f"{EP}/{repo}/resolve/main/config.json").respond(200, json=config)
    else:
        respx.get(f"{EP}/{repo}/resolve/main/config.json").respond(
            404, headers={"X-Error-Code": "EntryNotFound"}
        )
    respx.get(f"{EP}/api/{kind}/{repo}/commits/main").respond(
        200, json=commits if commits is not None else [{"id": "1", "date": "2023-05-01T00:00:00Z"}]
    )


def check(*entries: Entry) -> HubOutcome:
    async def main() -> HubOutcome:
        async with httpx.AsyncClient(verify=verifying()) as http:
            return await check_catalog_hub(
                list(entries), load_licenses(), HubSettings(endpoint=EP), client=http,
                sleep=RecordingSleep(), limiter=RecordingLimiter(),
            )  # fmt: skip

    return anyio.run(main)


def only(outcome: HubOutcome, rule: str) -> Finding:
    assert [f.rule for f in outcome.findings] == [rule], outcome.findings
    return outcome.findings[0]


NEOX = {"model_type": "gpt_neox", "max_position_embeddings": 2048}


# --------------------------------------------------------------------- pure pieces


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://huggingface.co/bigscience/bloom", ("model", "bigscience/bloom")),
        ("https://huggingface.co/bigcode/santacoder/blob/main/README.md#model-summary",
         ("model", "bigcode/santacoder")),
        ("https://huggingface.co/datasets/bigcode/starcoderdata",
         ("dataset", "bigcode/starcoderdata")),
        ("https://huggingface.co/cerebras", ("org", "cerebras")),
        ("https://huggingface.co/blog/starcoder", None),
        ("https://huggingface.co/spaces/bigcode/bigcode-model-license-agreement", None),
        ("https://huggingface.co/datasets", None),
        ("https://github.com/bigscience/bloom", None),
        # dot segments name no repo: "org/.." would ask the API for /api/models
        ("https://huggingface.co/org/..", None),
        ("https://huggingface.co/org/%2E%2E", None),
        ("https://huggingface.co/datasets/org/.", None),
        ("https://huggingface.co/../org", None),
    ],
)  # fmt: skip
def test_parse_hub_url(url: str, expected: tuple[str, str] | None) -> None:
    repo = parse_hub_url(url)
    assert (None if repo is None else (repo.kind.value, repo.id)) == expected


@pytest.mark.parametrize(
    ("config", "value", "key"),
    [
        ({"model_type": "gpt_neox", "max_position_embeddings": 2048}, 2048,
         "max_position_embeddings"),
        ({"model_type": "mpt", "max_seq_len": 2048, "max_position_embeddings": 1}, 2048,
         "max_seq_len"),
        ({"model_type": "gpt2", "n_positions": 1024, "n_ctx": 1024}, 1024, "n_positions"),
        ({"model_type": "gpt_bigcode", "n_positions": 8192}, 8192, "n_positions"),
        ({"model_type": "rwkv", "context_length": 1024}, 1024, "context_length"),
        ({"model_type": "chatglm", "seq_length": 32768}, 32768, "seq_length"),
        ({"model_type": "gptj", "n_ctx": 2048}, 2048, "n_ctx"),  # legacy key, trusted here
        # reference §4.2: no usable key in these families
        ({"model_type": "t5", "n_positions": 512}, None, None),
        ({"model_type": "bloom", "seq_length": 2048}, None, None),
        ({"model_type": "RefinedWebModel", "architectures": ["RWForCausalLM"]}, None, None),
        ({"architectures": ["T5ForConditionalGeneration"], "n_positions": 512}, None, None),
        # CodeGen's n_ctx is used "without any real effect"
        ({"model_type": "codegen", "n_ctx": 4096}, None, None),
        ({"model_type": "codegen", "n_ctx": 4096, "n_positions": 2048}, 2048, "n_positions"),
        ({"model_type": "mystery"}, None, None),
        ({"model_type": "llama", "max_position_embeddings": True}, None, None),
    ],
)  # fmt: skip
def test_context_key_per_family(
    config: dict[str, t.Any], value: int | None, key: str | None
) -> None:
    found = context_from_config(config)
    assert (found.value, found.key) == (value, key)


def test_context_matching_forms() -> None:
    assert context_matches(2048, 2048)
    assert context_matches(8000, 8192)  # "8k" is how rows write 8192
    assert not context_matches(2048, 4096)
    assert context_matches([512, 2048], 2048)
    assert context_matches({"min": 256, "max": 2048}, 1024)
    assert not context_matches({"min": 256, "max": 2048}, 4096)
    assert not context_matches("infinity", 2048)


def test_thousands_match_only_the_power_of_two_they_round() -> None:
    # "2k" is how rows write 2048, "65k" how they write 65536; it is not a window
    # swallowing every config value from 2048 to 3071 (or 4000 to 4999).
    assert context_matches(2000, 2048)
    assert context_matches(65000, 65536)
    assert context_matches(64000, 65536)
    assert context_matches(16000, 16384)
    assert not context_matches(2000, 3000)
    assert not context_matches(2000, 2500)
    assert not context_matches(4000, 4999)
    assert not context_matches(8000, 8100)
    assert not context_matches([2000, 4000], 3000)


def test_params_tolerance() -> None:
    assert params_match(7, 6.65)  # MPT-7B
    assert not params_match(7, 12.85)
    assert params_match([3, 7, 12], 11.8)
    assert params_match({"min": 0.06, "max": 11}, 11.27)  # Flan-T5-XXL inside the widened range
    assert not params_match({"min": 0.06, "max": 11}, 20)


def test_hub_license_forms() -> None:
    assert hub_license({"cardData": {"license": "MIT"}}).ids == ("mit",)  # type: ignore[union-attr]
    listed = hub_license({"cardData": {"license": ["apache-2.0", "cc-by-sa-3.0"]}})
    assert listed is not None and listed.ids == ("apache-2.0", "cc-by-sa-3.0")
    other = hub_license({"cardData": {"license": "other", "license_name": "my-license-1.0",
                                      "license_link": "LICENSE"}})  # fmt: skip
    assert other is not None and other.ids == ("my-license-1.0",) and other.link == "LICENSE"
    assert hub_license({"cardData": {"license": "other"}}) is None  # nothing to compare
    assert hub_license({"cardData": {"license": ["unknown"]}}) is None
    # no cardData license: the Hub's computed license: tag (reference §1.2)
    tagged = hub_license({"cardData": {}, "tags": ["license:openrail++"]})
    assert tagged is not None and tagged.ids == ("openrail++",)
    assert hub_license({}) is None


# --------------------------------------------------------------------- each rule


@respx.mock
def test_consistent_entry_says_nothing() -> None:
    mock_repo(config=NEOX)
    outcome = check(entry(MODEL))
    assert outcome.findings == []
    assert outcome.verdicts() == {"org/m": "ok"}
    assert outcome.repos[0].checks == ("license", "context", "release")


@respx.mock
def test_hub_license_mismatch() -> None:
    mock_repo(api=info(cardData={"license": "mit"}), config=NEOX)
    e = entry(MODEL)
    finding = only(check(e), "hub-license-mismatch")
    assert finding.severity is Severity.ERROR
    assert finding.line == e.position(("licenses", 0))[0]
    assert finding.evidence["catalog"] == "apache-2.0" and finding.evidence["hub"] == "mit"
    assert finding.evidence["url"] == f"{EP}/api/models/org/m"
    assert finding.evidence["fix"] == {"old": "apache-2.0", "new": "mit"}


@respx.mock
def test_checkpoint_license_wins_over_entry_license() -> None:
    mock_repo(api=info(cardData={"license": "cc-by-sa-3.0"}), config=NEOX)
    text = MODEL.replace(
        "    url: https://huggingface.co/org/m\n",
        "    url: https://huggingface.co/org/m\n    license: cc-by-sa-3.0\n",
    ).replace("licenses: [apache-2.0]", "licenses: [apache-2.0, cc-by-sa-3.0]")
    assert check(entry(text)).findings == []
    mock_repo(api=info(cardData={"license": "apache-2.0"}), config=NEOX)
    e = entry(text)
    finding = only(check(e), "hub-license-mismatch")
    assert finding.path == "$.checkpoints[0].license"
    assert finding.line == e.position(("checkpoints", 0, "license"))[0]


@respx.mock
def test_hub_license_ambiguous() -> None:
    mock_repo(config=NEOX)
    e = entry(MODEL.replace("licenses: [apache-2.0]", "licenses: [apache-2.0, mit]"))
    finding = only(check(e), "hub-license-ambiguous")
    assert finding.severity is Severity.WARNING and finding.path == "$.licenses"
    assert "m: 'apache-2.0'" in finding.message


@respx.mock
def test_hub_context_mismatch() -> None:
    mock_repo(config={"model_type": "llama", "max_position_embeddings": 4096})
    e = entry(MODEL)
    finding = only(check(e), "hub-context-mismatch")
    assert finding.line == e.position(("context_length", "value"))[0]
    assert finding.evidence["catalog"] == 2048 and finding.evidence["hub"] == 4096
    assert finding.evidence["key"] == "max_position_embeddings"
    assert finding.evidence["url"] == f"{EP}/org/m/resolve/main/config.json"


@respx.mock
def test_context_not_stated_is_not_a_mismatch() -> None:
    mock_repo(config={"model_type": "t5", "n_positions": 512})
    assert check(entry(MODEL)).findings == []


@respx.mock
def test_extrapolated_context_compares_trained_or_says_info() -> None:
    mpt = {"model_type": "mpt", "max_seq_len": 2048}
    alibi = MODEL.replace("  value: 2048\n", "  value: 84000\n  mechanism: alibi\n")
    mock_repo(config=mpt)
    finding = only(check(entry(alibi)), "hub-context-trained")
    assert finding.severity is Severity.INFO
    assert "84000 (ALiBi)" in finding.message and "trained: 2048" in (finding.hint or "")
    mock_repo(config=mpt)
    assert (
        check(
            entry(alibi.replace("mechanism: alibi\n", "mechanism: alibi\n  trained: 2048\n"))
        ).findings
        == []
    )
    mock_repo(config=mpt)
    e = entry(alibi.replace("mechanism: alibi\n", "mechanism: alibi\n  trained: 4096\n"))
    finding = only(check(e), "hub-context-mismatch")
    assert finding.line == e.position(("context_length", "trained"))[0]
    assert finding.evidence["fix"] == {"old": 4096, "new": 2048}


@respx.mock
def test_hub_params_mismatch_and_bin_only_silence() -> None:
    big = {"parameters": {"F16": 13_000_000_000}, "total": 13_000_000_000}
    mock_repo(api=info(safetensors=big), config=NEOX)
    e = entry(MODEL)
    finding = only(check(e), "hub-params-mismatch")
    assert finding.line == e.position(("params_b",))[0]
    assert finding.evidence == {
        "repo": "org/m", "catalog": 7, "hub": 13_000_000_000, "url": f"{EP}/api/models/org/m",
        "fix": {"old": 7, "new": 13.0},
    }  # fmt: skip
    api = info()
    del api["safetensors"]  # .bin-only repo (reference §1.2)
    mock_repo(api=api, config=NEOX)
    assert check(entry(MODEL.replace("params_b: 7", "params_b: 70"))).findings == []


@respx.mock
def test_hub_release_before_repo_uses_the_first_commit_not_created_at() -> None:
    respx.get(f"{EP}/api/models/org/m").respond(
        200, json=info(createdAt="2022-03-02T23:29:04.000Z")
    )
    respx.get(f"{EP}/org/m/resolve/main/config.json").respond(200, json=NEOX)
    # the more specific route first: respx tries routes in order
    respx.get(f"{EP}/api/models/org/m/commits/main", params={"p": "1"}).respond(
        200, json=[{"id": "1", "date": "2023-08-14T10:00:00.000Z"}]
    )
    respx.get(f"{EP}/api/models/org/m/commits/main").respond(
        200, json=[{"id": "2", "date": "2023-09-01T00:00:00Z"}],
        headers={"Link": f'<{EP}/api/models/org/m/commits/main?p=1>; rel="next"'},
    )  # fmt: skip
    e = entry(MODEL)
    finding = only(check(e), "hub-release-before-repo")
    assert finding.line == e.position(("released",))[0]
    assert finding.evidence["hub"] == "2023-08-14T10:00:00Z"
    assert finding.evidence["catalog"] == "2023-05"


@respx.mock
def test_no_release_finding_when_the_model_was_also_published_off_the_hub() -> None:
    mock_repo(config=NEOX, commits=[{"id": "1", "date": "2023-08-14T10:00:00Z"}])
    on_github = MODEL.replace(
        "checkpoints:\n", "checkpoints:\n  - name: code\n    url: https://github.com/org/m\n"
    )
    assert check(entry(on_github)).findings == []  # T5: GitHub in 2019, Hub repo in 2022
    assert [f.rule for f in check(entry(MODEL)).findings] == ["hub-release-before-repo"]


@respx.mock
def test_repo_missing_gated_disabled_renamed_unavailable() -> None:
    respx.get(f"{EP}/api/models/org/gone").respond(
        404, headers={"X-Error-Code": "RepoNotFound"}, json={"error": "Repository not found"}
    )
    respx.get(f"{EP}/api/models/org/off").respond(
        403, headers={"X-Error-Message": "Access to this resource is disabled."}
    )
    respx.get(f"{EP}/api/models/org/old").respond(307, headers={"Location": "/api/models/org/new"})
    mock_repo("org/new", config=NEOX)
    mock_repo("org/gate", api=info("org/gate", gated="manual"))
    respx.get(f"{EP}/org/gate/resolve/main/config.json").respond(
        401, headers={"X-Error-Code": "GatedRepo"}
    )
    respx.get(f"{EP}/api/models/org/busy").respond(500)
    urls = "".join(
        f"  - name: {n}\n    url: https://huggingface.co/org/{n}\n"
        for n in ("gone", "off", "old", "gate", "busy")
    )
    e = entry(MODEL.replace("  - name: m\n    url: https://huggingface.co/org/m\n", urls))
    outcome = check(e)
    rules = {(f.path, f.rule, f.severity) for f in outcome.findings}
    assert rules == {
        ("$.checkpoints[0].url", "hub-repo-missing", Severity.ERROR),
        ("$.checkpoints[1].url", "hub-repo-disabled", Severity.WARNING),
        ("$.checkpoints[2].url", "hub-repo-renamed", Severity.WARNING),
        ("$.checkpoints[3].url", "hub-repo-gated", Severity.INFO),
        ("$.checkpoints[4].url", "hub-unavailable", Severity.WARNING),
    }
    assert outcome.verdicts() == {
        "org/gone": "missing", "org/off": "disabled", "org/old": "renamed",
        "org/gate": "gated", "org/busy": "error",
    }  # fmt: skip
    renamed = next(f for f in outcome.findings if f.rule == "hub-repo-renamed")
    assert renamed.evidence["hub"] == "org/new"
    assert "https://huggingface.co/org/new" in (renamed.hint or "")


def test_org_only_link_needs_no_request() -> None:
    e = entry(MODEL.replace("https://huggingface.co/org/m", "https://huggingface.co/org"))
    with respx.mock(assert_all_mocked=True) as router:
        outcome = check(e)
        assert router.calls.call_count == 0
    # The offline rule hf-org-only reports it; the Hub check only records the verdict.
    assert outcome.findings == []
    assert [(r.repo, r.verdict.value) for r in outcome.repos] == [("org", "org-only")]
    assert parse_hub_url("https://huggingface.co/org") is not None
    assert t.cast(t.Any, parse_hub_url("https://huggingface.co/org")).kind is RepoKind.ORG


@respx.mock
def test_dataset_license_list() -> None:
    respx.get(f"{EP}/api/datasets/org/d").respond(
        200, json={"id": "org/d", "cardData": {"license": ["unknown"]}, "tags": ["license:unknown"]}
    )
    respx.get(f"{EP}/api/datasets/org/d/commits/main").respond(200, json=[])
    e = entry("""\
        id: d
        kind: instruction-dataset
        name: D
        released: 2023-05
        datasets:
          - name: d
            url: https://huggingface.co/datasets/org/d
        licenses: [mit]
    """)
    outcome = check(e)
    assert outcome.findings == []  # "unknown" is not a license to compare
    assert outcome.verdicts() == {"datasets/org/d": "ok"}


@respx.mock
def test_disabled_flag_in_a_200_answer() -> None:
    mock_repo(api=info(disabled=True), config=NEOX)
    outcome = check(entry(MODEL))
    assert [f.rule for f in outcome.findings] == ["hub-repo-disabled"]
    assert outcome.verdicts() == {"org/m": "disabled"}


@respx.mock
def test_an_endpoint_timing_out_on_connect_is_network_unavailable() -> None:
    respx.route(host="hub.test").mock(side_effect=httpx.ConnectTimeout("timed out"))
    other = entry(MODEL.replace("org/m", "org/n"), "other.yaml")
    outcome = check(entry(MODEL), other)
    assert outcome.network_unavailable and "cannot reach" in outcome.network_unavailable
    assert outcome.findings == [] and outcome.repos == []
    assert outcome.requests == 4  # the probe and its 3 retries; org/n is never asked


@respx.mock
def test_repo_ids_are_quoted_in_request_urls() -> None:
    # an id holding '#' or '?' must not turn into a fragment or a query of the request
    route = respx.route(host="hub.test").respond(404, headers={"X-Error-Code": "RepoNotFound"})
    outcome = check(entry(MODEL.replace("org/m", "org/m%23x")))
    assert [c.request.url.raw_path for c in route.calls] == [b"/api/models/org/m%23x"]
    assert outcome.verdicts() == {"org/m#x": "missing"}


@respx.mock
def test_a_bare_401_on_config_of_a_gated_repo_is_gated() -> None:
    # reference §1.4: the Hub answers 401 to unauthenticated callers of gated repos; a
    # 401 without X-Error-Code for a repo whose card says gated is not "no config.json"
    respx.get(f"{EP}/api/models/org/m").respond(200, json=info("org/m", gated="auto"))
    respx.get(f"{EP}/org/m/resolve/main/config.json").respond(
        401, headers={"X-Error-Message": "Invalid username or password."}
    )
    respx.get(f"{EP}/api/models/org/m/commits/main").respond(
        200, json=[{"id": "1", "date": "2023-05-01T00:00:00Z"}]
    )
    outcome = check(entry(MODEL))
    assert outcome.verdicts() == {"org/m": "gated"}
    assert only(outcome, "hub-repo-gated").message.startswith("org/m is gated (auto)")
