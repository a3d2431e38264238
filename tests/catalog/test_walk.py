"""One walk of a catalog folder: validate, links and render see the same files."""

from __future__ import annotations

from pathlib import Path

from validator.catalog.loader import discover, walk
from validator.links import collect_paths
from validator.markdown.render import load_folder

ENTRY = "id: {id}\nkind: language-model\nname: {id}\n"


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    (root / "models").mkdir(parents=True)
    (root / "models" / "a.yaml").write_text(ENTRY.format(id="a"), encoding="utf-8")
    (root / "models" / "b.YML").write_text(ENTRY.format(id="b"), encoding="utf-8")
    (root / "licenses.yaml").write_text("licenses: []\n", encoding="utf-8")
    (root / "notes.md").write_text("see https://example.org/\n", encoding="utf-8")
    (root / "models" / "gone.yaml").symlink_to(root / "nowhere.yaml")
    return root


def test_every_reader_walks_the_same_yaml_files(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    yaml = walk(root)
    assert [p.relative_to(root).as_posix() for p in yaml] == [
        "licenses.yaml",
        "models/a.yaml",
        "models/b.YML",
        "models/gone.yaml",  # a broken link is kept, so it is reported
    ]
    assert discover([root]) == yaml
    collected = collect_paths([root])
    assert collected.files == 5  # the four YAML files and the Markdown page
    assert [f.file.endswith("gone.yaml") for f in collected.findings] == [True]


def test_render_reads_yml_entries_too(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    (root / "models" / "gone.yaml").unlink()
    view = load_folder(root)
    assert sorted(e.id for e in view.entries) == ["a", "b"]
    assert view.licenses is not None
