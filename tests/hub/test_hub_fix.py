"""``--fix-from-hub``: the Hub's value lands on the finding's line, nothing else moves."""

from __future__ import annotations

import dataclasses
import shutil
import typing as t
from pathlib import Path

import anyio

from tests.hub.conftest import CATALOG, PLANTED, RecordingLimiter, RecordingSleep, load_licenses
from tests.hub.fakehub.server import FakeHub
from validator.catalog.model import Entry
from validator.catalog.source import load
from validator.hub import HubOutcome, HubSettings, apply_hub_fixes, check_catalog_hub

FIXABLE = {
    "hub-license-mismatch",
    "hub-context-mismatch",
    "hub-params-mismatch",
    "hub-repo-renamed",
}


def copy(tmp_path: Path, *sources: Path) -> list[Path]:
    out = []
    for source in sources:
        target = tmp_path / source.name
        shutil.copy(source, target)
        out.append(target)
    return out


def check(hub: FakeHub, files: list[Path]) -> HubOutcome:
    entries = [Entry(load(p, str(p))) for p in files]

    async def main() -> HubOutcome:
        return await check_catalog_hub(
            entries, load_licenses(), HubSettings(endpoint=hub.endpoint),
            sleep=RecordingSleep(), limiter=RecordingLimiter(),
        )  # fmt: skip

    return anyio.run(main)


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.splitlines(), after.splitlines()
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_fixes_edit_only_the_value(fake_hub: FakeHub, tmp_path: Path) -> None:
    files = copy(
        tmp_path,
        CATALOG / "models" / "language" / "bloom.yaml",
        PLANTED / "planted-mpt.yaml",
        PLANTED / "planted-renamed.yaml",
        PLANTED / "planted-params.yaml",
        PLANTED / "planted-context.yaml",
        PLANTED / "planted-late.yaml",
    )
    before = {p.name: p.read_text() for p in files}
    outcome = check(fake_hub, files)
    report = apply_hub_fixes(outcome.findings, FIXABLE)
    after = {p.name: p.read_text() for p in files}

    assert changed_lines(before["bloom.yaml"], after["bloom.yaml"]) == [
        ("  - id: openrail-m-v1", "  - id: bigscience-bloom-rail-1.0")
    ]
    assert changed_lines(before["planted-mpt.yaml"], after["planted-mpt.yaml"]) == [
        ("  trained: 2048  # config says otherwise", "  trained: 4096  # config says otherwise")
    ]
    assert changed_lines(before["planted-renamed.yaml"], after["planted-renamed.yaml"]) == [
        (
            "    url: https://huggingface.co/planted/old-name",
            "    url: https://huggingface.co/planted/new-name",
        )
    ]
    assert changed_lines(before["planted-params.yaml"], after["planted-params.yaml"]) == [
        ("params_b: 7", "params_b: 12.8")
    ]
    assert changed_lines(before["planted-context.yaml"], after["planted-context.yaml"]) == [
        ("  value: 2048", "  value: 4096")
    ]
    # the release rule is not fixable: the first commit is not the release date
    assert after["planted-late.yaml"] == before["planted-late.yaml"]

    bloom = files[0]
    line = next(f.line for f in outcome.findings if f.rule == "hub-license-mismatch")
    assert f"{bloom}:{line}: hub-license-mismatch: openrail-m-v1 -> bigscience-bloom-rail-1.0" in (
        report
    )
    assert len(report) == 5

    # checking again: the fixed disagreements are gone, the others stay
    again = check(fake_hub, files).findings
    assert [(Path(f.file).name, f.rule) for f in again] == [
        ("planted-late.yaml", "hub-release-before-repo")
    ]


def test_only_chosen_rules_are_fixed(fake_hub: FakeHub, tmp_path: Path) -> None:
    files = copy(tmp_path, PLANTED / "planted-params.yaml", PLANTED / "planted-context.yaml")
    before = [p.read_text() for p in files]
    outcome = check(fake_hub, files)
    report = apply_hub_fixes(outcome.findings, {"hub-context-mismatch"})
    assert len(report) == 1 and "hub-context-mismatch: 2048 -> 4096" in report[0]
    assert files[0].read_text() == before[0]
    assert apply_hub_fixes(outcome.findings, set()) == []


def test_a_line_edited_since_the_check_is_skipped(fake_hub: FakeHub, tmp_path: Path) -> None:
    (path,) = copy(tmp_path, PLANTED / "planted-params.yaml")
    outcome = check(fake_hub, [path])
    path.write_text(path.read_text().replace("params_b: 7", "params_b: 12.5"))
    report = apply_hub_fixes(outcome.findings, {"hub-params-mismatch"})
    assert report == [f"{path}:10: hub-params-mismatch: skipped, the line no longer holds '7'"]
    assert "params_b: 12.5" in path.read_text()


def test_quoted_and_flow_values(tmp_path: Path) -> None:
    from validator.findings import Finding

    path = tmp_path / "e.yaml"
    path.write_text('licenses: [apache-2.0, "mit"]  # two\nparams_b: 70\n')
    base = Finding("hub-license-mismatch", "m", str(path), 1, 24)
    findings = [
        dataclasses.replace(base, evidence={"fix": {"old": "mit", "new": "cc-by-sa-3.0"}}),
        dataclasses.replace(
            base,
            rule="hub-params-mismatch",
            line=2,
            column=11,
            evidence={"fix": {"old": 70, "new": 7.0}},
        ),  # fmt: skip
    ]
    apply_hub_fixes(findings, FIXABLE)
    assert path.read_text() == 'licenses: [apache-2.0, "cc-by-sa-3.0"]  # two\nparams_b: 7\n'


def _finding(path: Path, rule: str, line: int, column: int, old: object, new: object) -> t.Any:
    from validator.findings import Finding, Severity

    return Finding(rule, "m", str(path), line, column,
        evidence={"fix": {"old": old, "new": new}}, override=Severity.WARNING
    )  # fmt: skip


def test_a_stale_value_is_not_found_in_the_comment(tmp_path: Path) -> None:
    # the value was edited since the check; the old one survives only in a comment
    path = tmp_path / "e.yaml"
    text = "context_length:\n  value: 4096  # was 2048\n"
    path.write_text(text)
    report = apply_hub_fixes([_finding(path, "hub-context-mismatch", 2, 3, 2048, 8192)], FIXABLE)
    assert path.read_text() == text
    assert report == [f"{path}:2: hub-context-mismatch: skipped, the line no longer holds '2048'"]


def test_a_stale_value_is_not_taken_from_another_key_on_the_line(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    text = "context_length: {trained: 2048, value: 4096}\n"
    path.write_text(text)
    # the finding is about `value` (column 33), which no longer holds 2048
    report = apply_hub_fixes([_finding(path, "hub-context-mismatch", 1, 33, 2048, 8192)], FIXABLE)
    assert path.read_text() == text
    assert "skipped" in report[0]


def test_two_hub_values_for_one_field_are_refused(tmp_path: Path) -> None:
    # one params_b, two checkpoints of other sizes: which one is "the" value is a choice
    path = tmp_path / "e.yaml"
    text = "params_b: 7  # two checkpoints\n"
    path.write_text(text)
    report = apply_hub_fixes(
        [
            _finding(path, "hub-params-mismatch", 1, 1, 7, 3.0),
            _finding(path, "hub-params-mismatch", 1, 1, 7, 12.8),
        ],
        FIXABLE,
    )
    assert path.read_text() == text
    assert report == [
        f"{path}:1: hub-params-mismatch: skipped, the Hub gives several values for this "
        "field (3, 12.8): choose one by hand"
    ]
