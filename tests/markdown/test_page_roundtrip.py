"""Seed page -> catalog -> page keeps every row, license summary and eval link.

The comparison reads both pages with a deliberately naive splitter written here, not
with ``validator.markdown.page``, so a bug shared by the importer and the renderer
cannot hide itself. Rows may move (tables are sorted by release date), so each table
is compared as a multiset of rows.
"""

from __future__ import annotations

import collections
import re
import typing as t
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.catalog.source import parse_text
from validator.markdown.importer import import_page
from validator.markdown.render import render_folder

ROOT = Path(__file__).parents[2]
SEED = ROOT / "tests" / "fixtures" / "seed" / "open-models.md"
CATALOG = ROOT / "catalog"
RENDERED = ROOT / "docs" / "open-models.md"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _tables(text: str) -> list[collections.Counter[tuple[str, ...]]]:
    """Body rows of each pipe table, padded to the header width, as multisets."""
    tables: list[collections.Counter[tuple[str, ...]]] = []
    width = 0
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.strip().startswith("|"):
            continue
        cells = [_norm(c) for c in line.strip().strip("|").split("|")]
        if i + 1 < len(lines) and re.fullmatch(r"[\s|:-]+", lines[i + 1]) and "-" in lines[i + 1]:
            tables.append(collections.Counter())
            width = len(cells)
        elif not re.fullmatch(r"[\s|:-]+", line):
            cells += [""] * (width - len(cells))
            tables[-1][tuple(cells)] += 1
    return tables


def _bullets(text: str, heading: str) -> collections.Counter[str]:
    """Bullet items under a heading, continuation lines joined."""
    items: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.strip().startswith("#"):
            inside = heading in line
        elif inside and line.startswith("- "):
            items.append(line[2:])
        elif inside and items and line.strip() and not line.startswith("|"):
            items[-1] += " " + line
        elif not line.strip():
            inside = inside and not items
    return collections.Counter(_norm(item) for item in items)


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rendered(seed: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("catalog")
    for name, content in import_page(seed).files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return render_folder(folder)


def test_every_table_row_comes_back(seed: str, rendered: str) -> None:
    before, after = _tables(seed), _tables(rendered)
    assert len(before) == len(after) == 5
    assert [sum(t.values()) for t in before] == [18, 6, 2, 3, 1]
    for old, new in zip(before, after, strict=True):
        assert old == new


def test_license_glossary_comes_back(seed: str, rendered: str) -> None:
    before = _bullets(seed, "What Do the Licenses Mean?")
    assert len(before) == 5
    assert _bullets(rendered, "What Do the Licenses Mean?") == before


def test_eval_list_comes_back(seed: str, rendered: str) -> None:
    before = _bullets(seed, "Evals on open LLMs")
    assert len(before) == 6
    assert _bullets(rendered, "Evals on open LLMs") == before


def test_prose_comes_back(seed: str, rendered: str) -> None:
    generated = {*_bullets(seed, "Licenses Mean"), *_bullets(seed, "Evals")}

    def prose(text: str) -> list[str]:
        """Lines outside tables and the generated lists (a glossary item spans two lines)."""
        lines = [_norm(line) for line in text.splitlines() if line.strip()]
        kept = [line for line in lines if not line.startswith(("|", "- "))]
        return [line for line in kept if not any(line in item for item in generated)]

    assert prose(rendered) == prose(seed)


# Values the bundled catalog corrects, each because the page itself shows the right one
# (file -> key -> (value on the page, value in the catalog)). Anything else that differs
# from a fresh import is a silent change and fails the test below.
CORRECTIONS = {
    "models/language/gpt-j-6b.yaml": {"released": ("2023-06", "2021-06")},
}
# Keys a maintainer adds on top of the page: they carry no page value.
CURATION_KEYS = ("waivers", "based_on", "notes")


def test_bundled_catalog_keeps_every_value_of_the_page(seed: str) -> None:
    """The bundled catalog is the import plus curation: no page value silently changed."""
    imported = import_page(seed).files
    bundled = {
        path.relative_to(CATALOG).as_posix(): path.read_text(encoding="utf-8")
        for path in CATALOG.rglob("*")
        if path.is_file()
    }
    assert sorted(bundled) == sorted(imported)

    def data(name: str, text: str) -> t.Any:
        return parse_text(text, Path(name), name).data

    for name, text in imported.items():
        if not name.endswith(".yaml"):
            # Curation of the template: our page lists rows by release date (the default)
            # with one header spelling, so the markers drop the seed's order and header.
            assert bundled[name] == re.sub(
                r"(<!-- generated: [a-z-]+)(; [^>]*)? -->", r"\1 -->", text
            )
            continue
        ours, fresh = data(name, bundled[name]), data(name, text)
        for key in CURATION_KEYS:
            ours.pop(key, None)
            fresh.pop(key, None)
        for key, (page_value, value) in CORRECTIONS.get(name, {}).items():
            assert (fresh[key], ours[key]) == (page_value, value), name
            ours[key] = page_value
        for checkpoint in ours.get("checkpoints") or []:
            checkpoint.pop("license", None)  # which checkpoint carries which license
        assert ours == fresh, name

    mpt = data("mpt-7b.yaml", bundled["models/language/mpt-7b.yaml"])
    assert [c.get("license") for c in mpt["checkpoints"]] == ["apache-2.0", "cc-by-sa-3.0"]


def test_bundled_page_is_in_sync() -> None:
    from validator.cli import main

    result = CliRunner().invoke(
        main, ["render", "--catalog", str(CATALOG), "--check", str(RENDERED)]
    )
    assert result.exit_code == 0, result.output


def test_modified_page_is_stale(tmp_path: Path) -> None:
    from validator.cli import main

    page = tmp_path / "open-models.md"
    page.write_text(RENDERED.read_text(encoding="utf-8").replace("| 161 |", "| 162 |"))
    result = CliRunner().invoke(main, ["render", "--catalog", str(CATALOG), "--check", str(page)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{page} is stale: run `validator render --catalog {CATALOG} --out {page}`"
    )
    assert "-| OpenAssistant Conversations Dataset" in result.output
    assert "| 161 | Apache 2.0 |" in result.output
