"""The importer on small inline pages, one quirk of the seed's hand-written Markdown each."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest

from validator.catalog.source import parse_text
from validator.markdown.importer import ImportProblem, import_page

MODEL_HEADER = (
    "| Language Model | Release Date | Checkpoints | Paper/Blog | Params (B) "
    "| Context Length | License | Try it |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
)
ROW = (
    "| {name} | 2023/05 | [ck](https://example.org/ck) | [Paper](https://example.org/p) "
    "| 7 | 2048 | Apache 2.0 | |\n"
)


def _files(page: str) -> dict[str, t.Any]:
    files = import_page(page).files
    return {
        name: parse_text(text, Path(name), name).data if name.endswith(".yaml") else text
        for name, text in files.items()
    }


def _models(page: str) -> dict[str, dict[str, t.Any]]:
    return {
        name.rsplit("/", 1)[1].removesuffix(".yaml"): data
        for name, data in _files(page).items()
        if name.startswith("models/")
    }


def _licenses(page: str) -> dict[str, dict[str, t.Any]]:
    return {item["id"]: item for item in _files(page)["licenses.yaml"]["licenses"]}


def test_ids_are_kebab_case_names_and_unique() -> None:
    page = MODEL_HEADER + ROW.format(name="Open Assistant (Pythia family)")
    page += ROW.format(name="GPT-J-6B") + ROW.format(name="GPT-J 6B")
    assert sorted(_models(page)) == ["gpt-j-6b", "gpt-j-6b-2", "open-assistant-pythia-family"]


def test_licence_spelling_and_padded_header_cells() -> None:
    page = (
        "|  Language Model  | Release Date |Checkpoints| Paper/Blog | Params (B) "
        "|   Context Length   | Licence | Try it        |\n"
        "| --- | --- | --- | --- | --- |----------------| --- |-----------|\n"
    ) + ROW.format(name="X")
    assert _models(page)["x"]["licenses"] == ["apache-2.0"]


def test_missing_trailing_cell_reads_as_empty() -> None:
    page = MODEL_HEADER + (
        "| Falcon | 2023/05 | [Falcon-7B](https://huggingface.co/tiiuae/falcon-7b) "
        "| Paper coming soon | 7, 40 | 2048 | Apache 2.0 |    \n"
    )
    model = _models(page)["falcon"]
    assert "try_it" not in model
    assert model["papers"] == [{"title": "Paper coming soon"}]  # plain text: no url
    assert model["params_b"] == [7, 40]


def test_tabs_in_a_cell() -> None:
    page = MODEL_HEADER + ROW.format(name="Tab\tbed  Model")
    assert _models(page)["tab-bed-model"]["name"] == "Tab bed Model"


def test_heading_indented_by_a_space_still_names_the_table() -> None:
    page = (
        " ## Open LLM datasets for pre-training\n\n"
        "| Name | Release Date | Paper/Blog | Dataset | Tokens (T) | License |\n"
        "| --- | --- | --- | --- | --- | ---- | \n"
        "| RedPajama | 2023/04 | [Blog](https://example.org/b) "
        "| [RedPajama-Data](https://example.org/d) | 1.2 | Apache 2.0 |\n"
    )
    files = _files(page)
    data = files["datasets/pretraining/redpajama.yaml"]
    assert data["kind"] == "pretraining-dataset"
    assert data["tokens_t"] == 1.2
    assert "## Open LLM datasets for pre-training\n" in files["page.md.in"]
    assert "<!-- generated: pretraining-dataset -->" in files["page.md.in"]


def test_hidden_day_in_a_date() -> None:
    page = MODEL_HEADER + ROW.format(name="X").replace("2023/05", "2023/05<!--12-->")
    assert _models(page)["x"]["released"] == "2023-05-12"


def test_several_links_and_an_aside() -> None:
    page = MODEL_HEADER + (
        "| C | 2023/03 | [A, one](https://example.org/a), [B](https://example.org/b) "
        "| [Blog](https://example.org/blog) ([Paper](https://arxiv.org/abs/2304.03208)) "
        "| 0.111 - 13 | [2048](https://example.org/ctx) | Apache 2.0 | |\n"
    )
    model = _models(page)["c"]
    assert model["checkpoints"] == [
        {"name": "A, one", "url": "https://example.org/a"},
        {"name": "B", "url": "https://example.org/b"},
    ]
    assert model["papers"] == [
        {"title": "Blog", "url": "https://example.org/blog"},
        {"title": "Paper", "url": "https://arxiv.org/abs/2304.03208", "aside": True},
    ]
    assert model["params_b"] == {"min": 0.111, "max": 13}
    assert model["context_length"] == {"value": 2048, "source": "https://example.org/ctx"}


def test_two_licenses_leave_checkpoint_licenses_to_a_person() -> None:
    page = MODEL_HEADER + (
        "| MPT-7B | 2023/05 | [MPT-7B](https://huggingface.co/mosaicml/mpt-7b), "
        "[MPT-7B-Instruct](https://huggingface.co/mosaicml/mpt-7b-instruct) | [B](https://e.org/b) "
        "| 7 | [84k (ALiBi)](https://e.org/c) | Apache 2.0, CC BY-SA-3.0 | |\n"
    )
    model = _models(page)["mpt-7b"]
    assert model["licenses"] == ["apache-2.0", "cc-by-sa-3.0"]
    assert all("license" not in checkpoint for checkpoint in model["checkpoints"])
    assert model["context_length"]["mechanism"] == "alibi"


def test_linked_license_keeps_its_link() -> None:
    link = "https://huggingface.co/spaces/bigcode/bigcode-model-license-agreement"
    page = MODEL_HEADER + ROW.format(name="X").replace("Apache 2.0", f"[OpenRAIL-M v1]({link})")
    assert _models(page)["x"]["licenses"] == [{"id": "openrail-m-v1", "url": link}]


def test_unknown_license_text_is_kept_whole_with_one_finding() -> None:
    cell = "TII Falcon LLM License, free for research, paid above 1M revenue"
    page = MODEL_HEADER + ROW.format(name="X").replace("Apache 2.0", cell)
    result = import_page(page, "p.md")
    assert [(f.rule, f.line, f.column) for f in result.findings] == [
        ("import-license-unknown", 3, page.splitlines()[2].index(cell) + 1)
    ]
    assert _models(page)["x"]["licenses"] == [{"id": "other", "name": cell}]
    assert "tii-falcon-llm-license" not in _licenses(page)  # prose never becomes an id


def test_license_prose_is_a_qualifier_and_links_are_known_by_url() -> None:
    cell = (
        "[Custom](https://github.com/facebookresearch/llama/blob/main/LICENSE) "
        "Free if you have under 700M users"
    )
    page = MODEL_HEADER + ROW.format(name="X").replace("Apache 2.0", cell)
    model = _models(page)["x"]
    assert model["licenses"] == [
        {
            "id": "llama-2",
            "url": "https://github.com/facebookresearch/llama/blob/main/LICENSE",
            "qualifier": "Free if you have under 700M users",
        }
    ]
    assert model["raw"] == {"licenses": cell}  # the page's own spelling, written back
    assert import_page(page).findings == []


def test_known_licenses_split_at_commas_only_when_each_piece_is_known() -> None:
    page = MODEL_HEADER + ROW.format(name="X").replace("Apache 2.0", "Apache 2.0, CC BY-SA-3.0")
    assert _models(page)["x"]["licenses"] == ["apache-2.0", "cc-by-sa-3.0"]


def test_glossary_items_give_urls_and_summaries_in_page_order() -> None:
    page = (
        "### What Do the Licenses Mean?\n\n"
        "- [MIT](https://en.wikipedia.org/wiki/MIT_License): Short and simple.\n"
        "- [Apache 2.0](https://example.org/apache): Allows use\n"
        "for any purpose.\n"
        "- [Some License](https://example.org/some): Unknown to the importer.\n\n"
        "Prose after the list.\n"
    )
    licenses = _licenses(page)
    assert list(licenses)[:3] == ["mit", "apache-2.0", "some-license"]
    assert licenses["apache-2.0"]["summary"] == "Allows use for any purpose."
    assert licenses["apache-2.0"]["url"] == "https://example.org/apache"
    assert licenses["apache-2.0"]["spdx"] == "Apache-2.0"
    assert licenses["openrail-m-v1"]["hub_ids"] == ["bigcode-openrail-m"]
    assert licenses["bigscience-bloom-rail-1.0"]["spdx"] is None
    template = _files(page)["page.md.in"]
    assert template == (
        "### What Do the Licenses Mean?\n\n<!-- generated: licenses -->\n\nProse after the list.\n"
    )


def test_eval_list_becomes_eval_entries() -> None:
    page = (
        "## Evals on open LLMs\n\n"
        "- [Leaderboard by lmsys.org](https://chat.lmsys.org/?leaderboard)\n"
        "- [TextSynth Server Benchmarks](https://bellard.org/ts_server/)\n"
    )
    files = _files(page)
    assert files["evals/leaderboard-by-lmsys-org.yaml"] == {
        "id": "leaderboard-by-lmsys-org",
        "kind": "eval",
        "name": "Leaderboard by lmsys.org",
        "url": "https://chat.lmsys.org/?leaderboard",
    }
    assert "evals/textsynth-server-benchmarks.yaml" in files


def test_samples_with_thousands_separator() -> None:
    page = (
        "## Open LLM datasets for instruction-tuning\n\n"
        "| Name | Release Date |  Paper/Blog | Dataset | Samples (K) | License |\n"
        "| --- | --- | --- | --- | --- | ---- | \n"
        "| OIG (Open Instruction Generalist)   | 2023/03 | [THE OIG DATASET](https://laion.ai/b) "
        "| [OIG](https://huggingface.co/datasets/laion/OIG) | 44,000 | Apache 2.0 |\n"
    )
    data = _files(page)["datasets/instruction/oig-open-instruction-generalist.yaml"]
    assert data["samples_k"] == 44000
    assert data["kind"] == "instruction-dataset"


def test_unreadable_cell_is_kept_raw_with_a_finding_at_its_line_and_column() -> None:
    page = MODEL_HEADER + ROW.format(name="X").replace("| 7 |", "| about 7 |")
    result = import_page(page, "p.md")
    assert [(f.file, f.line, f.column, f.rule) for f in result.findings] == [
        ("p.md", 3, page.splitlines()[2].index("about 7") + 1, "import-cell-unmodelled")
    ]
    model = _models(page)["x"]
    assert "params_b" not in model
    assert model["raw"] == {"params_b": "about 7"}


def test_every_unreadable_cell_is_reported_in_one_run() -> None:
    row = ROW.format(name="X").replace("| 7 |", "| about 7 |").replace("2023/05", "May 2023")
    result = import_page(MODEL_HEADER + row + row.replace("X", "Y"))
    assert [(f.line, f.rule) for f in result.findings] == [(3, "import-cell-unmodelled")] * 2 + [
        (4, "import-cell-unmodelled")
    ] * 2


def test_surplus_cell_is_kept() -> None:
    page = MODEL_HEADER + ROW.format(name="X").replace("| |\n", "| | surplus |\n")
    assert _models(page)["x"]["raw"] == {"surplus": ["surplus"]}
    assert [f.rule for f in import_page(page).findings] == ["import-cell-unmodelled"]


def test_unknown_column_is_not_dropped() -> None:
    page = MODEL_HEADER.replace("Try it", "Stars") + ROW.format(name="X")
    with pytest.raises(ImportProblem, match="unknown column 'Stars'"):
        import_page(page)


def test_link_text_with_brackets_stays_a_link() -> None:
    page = MODEL_HEADER + (
        "| D | 2023/03 | [D [7B]](https://example.org/d) "
        "| [Blog [v2]](https://example.org/blog) ([Paper [arXiv]](https://arxiv.org/abs/2304.1)) "
        "| 7 | 2048 | Apache 2.0 | |\n"
        "\n## Evals on open LLMs\n\n- [Board [beta]](https://example.org/board)\n"
    )
    files = _files(page)
    model = files["models/language/d.yaml"]
    assert model["checkpoints"] == [{"name": "D [7B]", "url": "https://example.org/d"}]
    assert model["papers"] == [
        {"title": "Blog [v2]", "url": "https://example.org/blog"},
        {"title": "Paper [arXiv]", "url": "https://arxiv.org/abs/2304.1", "aside": True},
    ]
    assert files["evals/board-beta.yaml"]["url"] == "https://example.org/board"


def test_a_field_edited_without_its_raw_text_is_reported(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from validator.cli import main

    page = MODEL_HEADER + ROW.format(name="X").replace("Apache 2.0", "apache-2.0")
    folder = tmp_path / "catalog"
    for name, text in import_page(page).files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    model = folder / "models" / "language" / "x.yaml"
    assert "raw:\n  licenses: apache-2.0\n" in model.read_text(encoding="utf-8")
    clean = CliRunner().invoke(main, ["validate", str(folder), "--fail-on", "info"])
    assert clean.exit_code == 0, clean.output
    model.write_text(
        model.read_text(encoding="utf-8").replace("licenses: [apache-2.0]", "licenses: [mit]")
    )
    stale = CliRunner().invoke(main, ["validate", str(folder)])
    assert "raw-cell-stale" in stale.output
