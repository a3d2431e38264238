"""Consistency rules on small in-memory catalogs (the example files cover the CLI path)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from validator.catalog.model import Catalog, Entry
from validator.catalog.source import parse_text
from validator.findings import Severity
from validator.hub.urls import parse_hf_url
from validator.rules import run_offline
from validator.rules.dates import url_month
from validator.rules.identity import normalize_url
from validator.rules.provenance import carried_month
from validator.rules.waivers import apply_waivers

TODAY = dt.date(2026, 11, 28)


def entry(text: str, name: str = "m.yaml") -> Entry:
    return Entry(parse_text(text, Path(name), name))


def model(extra: str = "", *, id: str = "m", url: str = "https://huggingface.co/org/m") -> str:
    return (
        f"id: {id}\nkind: language-model\nname: {id}\nreleased: 2023-05\n"
        f"checkpoints:\n  - name: c\n    url: {url}\nlicenses: [apache-2.0]\n{extra}"
    )


@pytest.mark.parametrize(
    ("url", "month"),
    [
        ("https://arxiv.org/abs/2304.01373", (2023, 4)),
        ("https://arxiv.org/pdf/2304.01373.pdf", (2023, 4)),
        ("https://arxiv.org/abs/2305.02309v2", (2023, 5)),
        ("https://ai.googleblog.com/2022/10/ul2-20b.html", (2022, 10)),
        ("https://www.databricks.com/blog/2023/04/12/dolly", (2023, 4)),
        ("https://github.com/BlinkDL/RWKV-LM", None),
        ("https://example.org/2023/13/x", None),
        # Old-style arXiv ids (before 2007): archive/YYMMNNN, 19xx from 91 on.
        ("https://arxiv.org/abs/cs/0301001", (2003, 1)),
        ("https://arxiv.org/abs/hep-th/9901001v3", (1999, 1)),
        ("https://arxiv.org/pdf/cs.CL/0612004", (2006, 12)),
        ("https://arxiv.org/abs/2304.01373v2", (2023, 4)),
        # Blogs that do not pad the month.
        ("https://example.org/blog/2023/5/launch", (2023, 5)),
        ("https://example.org/blog/2023/5/12/launch", (2023, 5)),
    ],
)
def test_dates_carried_by_urls(url: str, month: tuple[int, int] | None) -> None:
    assert url_month(url) == month


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://huggingface.co/mosaicml/mpt-7b", ("model", "mosaicml", "mpt-7b")),
        ("https://huggingface.co/cerebras", ("model", "cerebras", None)),
        ("https://huggingface.co/datasets/laion/OIG", ("dataset", "laion", "OIG")),
        ("https://huggingface.co/spaces/bigcode/x", ("space", "bigcode", "x")),
        ("https://huggingface.co/blog/starcoder", None),
        ("https://discuss.huggingface.co/t/x/3602", None),
    ],
)
def test_hugging_face_url_parts(url: str, repo: tuple[str, str, str | None] | None) -> None:
    link = parse_hf_url(url)
    assert (None if link is None else (link.kind, link.owner, link.name)) == repo


@pytest.mark.parametrize("section", ["chat", "blog", "models", "search", "posts"])
def test_site_sections_are_no_owner_for_the_offline_rule_and_the_hub_check_alike(
    section: str,
) -> None:
    from validator.hub.repos import parse_hub_url

    url = f"https://huggingface.co/{section}"
    findings = run_offline(Catalog([entry(model(url=url))]), TODAY)
    assert [f.rule for f in findings] == ["hf-url-malformed"]  # not "hf-org-only"
    assert parse_hub_url(url) is None  # not an org-only link either


def test_url_normalisation_ignores_trailing_slash_www_and_scheme_case() -> None:
    assert normalize_url("HTTPS://www.Example.org/a/") == normalize_url("https://example.org/a")
    assert normalize_url("https://example.org/a") != normalize_url("https://example.org/b")


def test_context_source_of_a_base_model_is_accepted_with_based_on() -> None:
    base = entry(
        model(id="starcoder", url="https://huggingface.co/bigcode/starcoder"), "starcoder.yaml"
    )
    ctx = "context_length:\n  value: 8192\n  source: https://huggingface.co/bigcode/starcoder\n"
    chat = model(ctx, id="chat", url="https://huggingface.co/HuggingFaceH4/chat")
    without = run_offline(Catalog([base, entry(chat, "chat.yaml")]), TODAY)
    assert [f.rule for f in without] == ["context-source-mismatch"]
    with_base = run_offline(
        Catalog([base, entry(chat + "based_on: [starcoder]\n", "chat.yaml")]), TODAY
    )
    assert with_base == []


def test_context_source_of_another_model_in_the_same_org_is_flagged() -> None:
    ctx = "context_length:\n  value: 2048\n  source: https://huggingface.co/org/other#x\n"
    findings = run_offline(Catalog([entry(model(ctx))]), TODAY)
    assert [(f.rule, f.line) for f in findings] == [("context-source-mismatch", 11)]
    assert "org/other" in findings[0].message


def test_unknown_reference_is_an_error() -> None:
    findings = run_offline(Catalog([entry(model("based_on: [nowhere]\n"))]), TODAY)
    assert [(f.rule, f.severity) for f in findings] == [("reference-unknown", Severity.ERROR)]


def test_waiver_with_reason_silences_and_is_counted() -> None:
    text = model(
        "waivers:\n  - rule: hf-org-only\n    reason: the page links the org\n",
        url="https://huggingface.co/org",
    )
    e = entry(text)
    findings = run_offline(Catalog([e]), TODAY)
    assert [f.rule for f in findings] == ["hf-org-only"]
    outcome = apply_waivers(findings, [e], lambda rule, entry: True)
    assert outcome.findings == []
    assert outcome.waived == 1


def test_waiver_for_an_online_rule_is_not_unused_in_an_offline_run() -> None:
    e = entry(model("waivers:\n  - rule: hub-license-mismatch\n    reason: card is wrong\n"))
    offline = apply_waivers([], [e], lambda rule, entry: rule.startswith("hf-"))
    assert offline.findings == []
    online = apply_waivers([], [e], lambda rule, entry: True)
    assert [f.rule for f in online.findings] == ["waiver-unused"]


def test_a_repeated_waiver_is_reported_and_never_undoes_the_reasoned_one() -> None:
    text = model(
        "waivers:\n  - rule: hf-org-only\n    reason: the page links the org\n"
        "  - rule: hf-org-only\n",
        url="https://huggingface.co/org",
    )
    e = entry(text)
    outcome = apply_waivers(run_offline(Catalog([e]), TODAY), [e], lambda rule, entry: True)
    assert [(f.rule, f.line) for f in outcome.findings] == [("waiver-duplicate", 12)]
    assert outcome.waived == 1


@pytest.mark.parametrize(
    ("url", "sizes"),
    [
        ("https://huggingface.co/org/m-13b", [13.0]),
        # Links below the repo: the size is in the repo name, not in "main" or "README.md".
        ("https://huggingface.co/org/m-13b/tree/main", [13.0]),
        ("https://huggingface.co/org/m-13b/blob/main/README.md", [13.0]),
        ("https://huggingface.co/org/m-7b/blob/main/weights-13b.bin", []),
        ("https://hf.co/org/m-13b/tree/main", [13.0]),
        ("https://huggingface.co/org-13b", []),  # an organisation page names no checkpoint
        # Outside the Hub only the checkpoint's own name counts, as before.
        ("https://example.org/models/m-13b", []),
    ],
)
def test_checkpoint_size_is_read_from_the_hub_repo_name(url: str, sizes: list[float]) -> None:
    findings = run_offline(Catalog([entry(model("params_b: 7\n", url=url))]), TODAY)
    wrong = [f.evidence["sizes"] for f in findings if f.rule == "checkpoint-size-vs-params"]
    assert wrong == ([sizes] if sizes else [])


@pytest.mark.parametrize(
    ("url", "month"),
    [
        ("https://huggingface.co/mistralai/Mistral-Nemo-Instruct-2407", (2024, 7)),
        ("https://huggingface.co/mistralai/Mistral-Nemo-Instruct-2407/tree/main", (2024, 7)),
        ("https://hf.co/mistralai/Mistral-Nemo-Instruct-2407", (2024, 7)),
        ("https://huggingface.co/org-2407", None),  # an organisation, not a versioned repo
        ("https://example.org/models/x-2407", None),
    ],
)
def test_version_suffix_is_read_from_the_hub_repo_name(
    url: str, month: tuple[int, int] | None
) -> None:
    assert carried_month(url) == month
