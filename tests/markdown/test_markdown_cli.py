"""``validator import`` and ``validator render`` through click, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from validator.cli import main
from validator.exitcodes import ExitCode

PAGE = "\n".join(
    [
        "# Open Models",
        "",
        "| Language Model | Release Date | Checkpoints | Paper/Blog | Params (B) "
        "| Context Length | License | Try it |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        "| Dolly | 2023/04 | [dolly-v2-12b](https://huggingface.co/databricks/dolly-v2-12b) "
        "| [Free Dolly](https://www.databricks.com/blog) | 3, 7, 12 "
        "| [2048](https://github.com/databrickslabs/dolly#dolly) | MIT | |",
        "",
        "## Evals on open LLMs",
        "",
        "- [TextSynth Server Benchmarks](https://bellard.org/ts_server/)",
        "",
    ]
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _one_line_error(result: Result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_import_then_render_round_trips(page: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    result = run("import", str(page), "--out", str(catalog))
    assert result.exit_code == 0, result.output
    assert (catalog / "models/language/dolly.yaml").is_file()
    assert (catalog / "evals/textsynth-server-benchmarks.yaml").is_file()
    assert (catalog / "licenses.yaml").is_file()

    out = tmp_path / "rendered.md"
    assert run("render", "--catalog", str(catalog), "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == PAGE
    assert run("render", "--catalog", str(catalog), "--check", str(out)).exit_code == 0


def test_import_refuses_to_overwrite_without_force(page: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert run("import", str(page), "--out", str(catalog)).exit_code == 0
    entry = catalog / "models/language/dolly.yaml"
    entry.write_text("# hand edited\n", encoding="utf-8")

    refused = run("import", str(page), "--out", str(catalog))
    _one_line_error(refused, ExitCode.USAGE, "already exists", "--force")
    assert entry.read_text(encoding="utf-8") == "# hand edited\n"

    assert run("import", str(page), "--out", str(catalog), "--force").exit_code == 0
    assert entry.read_text(encoding="utf-8").startswith("# yaml-language-server:")


def test_import_missing_page(tmp_path: Path) -> None:
    missing = tmp_path / "nope.md"
    result = run("import", str(missing), "--out", str(tmp_path / "c"))
    _one_line_error(result, ExitCode.USAGE, str(missing), "not found")


def test_import_unreadable_page(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"\xff\xfe not utf-8")
    _one_line_error(run("import", str(page), "--out", str(tmp_path / "c")), 2, str(page))


def test_import_bad_cell_names_page_line_and_column_and_exits_1(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    text = PAGE.replace("3, 7, 12", "a few")
    page.write_text(text, encoding="utf-8")
    result = run("import", str(page), "--out", str(tmp_path / "c"))
    assert result.exit_code == ExitCode.FINDINGS
    column = text.splitlines()[4].index("a few") + 1
    assert result.output.splitlines()[0] == (
        f"{page}:5:{column}: warning import-cell-unmodelled [dolly]: params_b cell kept "
        "verbatim in raw.params_b: not a number: 'a few'"
    )
    rendered = tmp_path / "out.md"
    assert run("render", "--catalog", str(tmp_path / "c"), "--out", str(rendered)).exit_code == 0
    assert "| a few |" in rendered.read_text(encoding="utf-8")


def test_import_of_a_page_of_another_shape_exits_2(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("| file | commit |\n|---|---|\n| a | b |\n", encoding="utf-8")
    result = run("import", str(page), "--out", str(tmp_path / "c"))
    _one_line_error(result, ExitCode.USAGE, str(page), "unknown column 'file'")


def test_render_uses_catalog_under_working_directory(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("import", str(page), "--out", str(tmp_path / "catalog")).exit_code == 0
    monkeypatch.chdir(tmp_path)
    result = run("render", "--out", "out.md")
    assert result.exit_code == 0, result.output
    assert "| Dolly | 2023/04 |" in (tmp_path / "out.md").read_text(encoding="utf-8")


def test_render_stale_page_exits_1_with_diff(page: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert run("import", str(page), "--out", str(catalog)).exit_code == 0
    stale = tmp_path / "stale.md"
    stale.write_text(PAGE.replace("3, 7, 12", "3, 7"), encoding="utf-8")
    result = run("render", "--catalog", str(catalog), "--check", str(stale))
    assert result.exit_code == ExitCode.FINDINGS
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{stale} is stale")
    assert any(line.startswith("-| Dolly") and "| 3, 7 |" in line for line in lines)
    assert any(line.startswith("+| Dolly") and "| 3, 7, 12 |" in line for line in lines)


def test_render_check_shows_a_missing_final_newline(page: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert run("import", str(page), "--out", str(catalog)).exit_code == 0
    stale = tmp_path / "stale.md"
    stale.write_text(PAGE.rstrip("\n"), encoding="utf-8")
    result = run("render", "--catalog", str(catalog), "--check", str(stale))
    assert result.exit_code == ExitCode.FINDINGS
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{stale} is stale")
    assert "-- [TextSynth Server Benchmarks](https://bellard.org/ts_server/)" in lines
    assert "+- [TextSynth Server Benchmarks](https://bellard.org/ts_server/)" in lines
    assert "\\ No newline at end of file" in lines


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("id: [unclosed\n", "YAML syntax error"), ("a: &x 1\nb: *x\n", "anchor")],
)
def test_render_broken_catalog_file(tmp_path: Path, content: str, fragment: str) -> None:
    bad = tmp_path / "catalog" / "evals" / "bad.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text(content, encoding="utf-8")
    result = run("render", "--catalog", str(tmp_path / "catalog"), "--out", str(tmp_path / "x.md"))
    _one_line_error(result, ExitCode.USAGE, str(bad), fragment)


def test_render_unknown_license(page: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert run("import", str(page), "--out", str(catalog)).exit_code == 0
    entry = catalog / "models/language/dolly.yaml"
    entry.write_text(entry.read_text().replace("licenses: [mit]", "licenses: [wtfpl]"))
    result = run("render", "--catalog", str(catalog), "--out", str(tmp_path / "x.md"))
    _one_line_error(result, ExitCode.USAGE, str(entry), "'wtfpl'")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("name: Dolly", 'name: "Dolly\\nv2"'),  # a line break would split the table row
        ("name: dolly-v2-12b", 'name: "dolly]v2"'),  # would end the link text early
        ("url: https://www.databricks.com/blog", "url: https://www.databricks.com/a blog"),
        ("name: Dolly", 'name: "Dolly <!-- x"'),  # would open an HTML comment
    ],
)
def test_render_refuses_a_value_a_cell_cannot_show(
    page: Path, tmp_path: Path, old: str, new: str
) -> None:
    catalog = tmp_path / "catalog"
    assert run("import", str(page), "--out", str(catalog)).exit_code == 0
    entry = catalog / "models/language/dolly.yaml"
    text = entry.read_text(encoding="utf-8")
    assert old in text
    entry.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run("render", "--catalog", str(catalog), "--out", str(tmp_path / "x.md"))
    _one_line_error(result, ExitCode.USAGE, str(entry), "cannot be shown")


def test_render_entry_without_name(tmp_path: Path) -> None:
    bad = tmp_path / "catalog" / "evals" / "x.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text("id: x\nkind: eval\nurl: https://example.org\n", encoding="utf-8")
    result = run("render", "--catalog", str(tmp_path / "catalog"), "--out", str(tmp_path / "x.md"))
    _one_line_error(result, ExitCode.USAGE, str(bad), "name")


def test_render_without_template_uses_the_default_layout(page: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert run("import", str(page), "--out", str(catalog)).exit_code == 0
    (catalog / "page.md.in").unlink()
    out = tmp_path / "x.md"
    assert run("render", "--catalog", str(catalog), "--out", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "## Open LLMs for code" in text
    assert "| Dolly | 2023/04 |" in text
    assert "- [TextSynth Server Benchmarks](https://bellard.org/ts_server/)" in text


def test_render_missing_catalog_and_missing_check_page(tmp_path: Path) -> None:
    result = run("render", "--catalog", str(tmp_path / "none"), "--out", str(tmp_path / "x.md"))
    _one_line_error(result, ExitCode.USAGE, str(tmp_path / "none"))
    (tmp_path / "catalog").mkdir()
    missing = tmp_path / "missing.md"
    result = run("render", "--catalog", str(tmp_path / "catalog"), "--check", str(missing))
    _one_line_error(result, ExitCode.USAGE, str(missing), "not found")


def test_render_needs_exactly_one_of_out_and_check(tmp_path: Path) -> None:
    _one_line_error(run("render"), ExitCode.USAGE, "--out", "--check")


def test_dash_is_stdout_for_render_out_and_stdin_for_check_and_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, `render --out -` created a file named '-'.
    root = Path(__file__).resolve().parents[2]
    page = (root / "docs" / "open-models.md").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    catalog = str(root / "catalog")
    result = CliRunner().invoke(main, ["render", "--catalog", catalog, "--out", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout == page
    assert not (tmp_path / "-").exists()
    checked = CliRunner().invoke(main, ["render", "--catalog", catalog, "--check", "-"], input=page)
    assert checked.exit_code == 0, checked.output
    stale = CliRunner().invoke(main, ["render", "--catalog", catalog, "--check", "-"], input="x\n")
    assert stale.exit_code == 1
    imported = CliRunner().invoke(main, ["import", "-", "--out", "new"], input=page)
    assert imported.exit_code in (0, 1), imported.output
    assert len(list((tmp_path / "new").rglob("*.yaml"))) > 30


@pytest.mark.parametrize(
    ("page", "said"),
    [
        ("2025-02-9afcb339.md", "1 cell needs a look"),
        ("2023-11-675d94da.md", "2 cells need a look"),
    ],
)
def test_import_counts_the_cells_to_look_at_in_good_english(
    tmp_path: Path, page: str, said: str
) -> None:
    upstream = Path(__file__).parents[1] / "fixtures" / "upstream" / page
    result = run("import", str(upstream), "--out", str(tmp_path / "catalog"))
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].endswith(f"; {said}")
