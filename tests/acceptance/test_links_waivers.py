"""`validator links` applies waivers through the same pipeline as `validate`, and only
judges the waivers of the rules it ran."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.acceptance.test_matrix import EXAMPLES, fake_stage
from validator.cli import main


def _catalog(tmp: Path, waivers: str) -> None:
    (tmp / "catalog").mkdir()
    shutil.copy(EXAMPLES / "licenses.yaml", tmp / "catalog" / "licenses.yaml")
    entry = (EXAMPLES / "positive" / "tiny-model.yaml").read_text(encoding="utf-8")
    (tmp / "catalog" / "tiny-model.yaml").write_text(entry + waivers, encoding="utf-8")


def _rules(*args: str) -> list[str]:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert "Traceback" not in result.output
    return [f["rule"] for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def offline_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("validator.pipeline._default_online", lambda: fake_stage(False))
    return tmp_path


def test_a_waiver_without_reason_waives_nothing_and_only_validate_says_why(
    offline_network: Path,
) -> None:
    _catalog(offline_network, "waivers:\n  - rule: link-dead\n")
    assert _rules("links", "catalog") == ["link-dead"]
    assert sorted(_rules("validate", "catalog", "--online", "--no-hub")) == [
        "link-dead",
        "waiver-missing-reason",
    ]


def test_links_calls_a_waiver_of_a_link_rule_unused_but_not_one_of_an_offline_rule(
    offline_network: Path,
) -> None:
    waivers = (
        "waivers:\n"
        "  - rule: link-dead\n    reason: kept as the citation of record\n"
        "  - rule: link-timeout\n    reason: slow host\n"
        "  - rule: duplicate-name\n    reason: two releases share a name\n"
    )
    _catalog(offline_network, waivers)
    assert _rules("links", "catalog") == ["waiver-unused"]  # link-timeout, not the others
    assert sorted(_rules("validate", "catalog", "--online", "--no-hub")) == [
        "waiver-unused",
        "waiver-unused",
    ]
