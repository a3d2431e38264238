"""Workflow policy as tests: least privilege, pinned actions, no risky triggers.

The schema and zizmor checks run in ``.ci/check-workflows.sh``; these assertions pin
the project's own rules, which no schema knows about.
"""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def _load(path: Path) -> dict[t.Any, t.Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _triggers(data: dict[t.Any, t.Any]) -> dict[str, t.Any]:
    # YAML 1.1 reads the key `on` as True.
    on = data.get("on", data.get(True))
    return on if isinstance(on, dict) else dict.fromkeys(on)


def test_the_three_workflows_exist() -> None:
    assert [p.name for p in WORKFLOWS] == ["catalog.yml", "ci.yml", "nightly.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_timeouts(path: Path) -> None:
    data = _load(path)
    assert data["permissions"] == {}
    assert "pull_request_target" not in _triggers(data)
    for name, job in data["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), name
        grants = job["permissions"]
        assert grants.get("contents") == "read", name
        writes = {k for k, v in grants.items() if v == "write"}
        expected = {"issues"} if (path.name, name) == ("nightly.yml", "sync") else set()
        assert writes == expected, name


@pytest.mark.parametrize("path", [*WORKFLOWS, ROOT / "action.yml"], ids=lambda p: p.name)
def test_actions_pinned_to_commit_shas(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    uses = [line.split("uses:", 1)[1].strip() for line in text.splitlines() if "uses: " in line]
    uses = [u for u in uses if not u.startswith("open-models/")]
    assert uses
    for ref in uses:
        assert PINNED.match(ref), ref


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_do_not_persist_credentials(path: Path) -> None:
    for job in _load(path)["jobs"].values():
        for step in job["steps"]:
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_nightly_is_serialised_and_keeps_its_cache() -> None:
    data = _load(ROOT / ".github" / "workflows" / "nightly.yml")
    assert data["concurrency"] == {"group": "nightly-report", "cancel-in-progress": False}
    assert set(_triggers(data)) == {"schedule", "workflow_dispatch"}
    steps = data["jobs"]["check"]["steps"]
    assert any(str(s.get("uses", "")).startswith("actions/cache@") for s in steps)


def test_nightly_shards_the_crawl_and_syncs_the_merged_report_once() -> None:
    data = _load(ROOT / ".github" / "workflows" / "nightly.yml")
    inputs = _triggers(data)["workflow_dispatch"]["inputs"]
    assert inputs["shards"]["default"] == 4
    jobs = data["jobs"]
    assert (
        jobs["check"]["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.list) }}"
    )
    runs = {
        name: " ".join(str(s.get("run", "")) for s in job["steps"]) for name, job in jobs.items()
    }
    assert '--shard "${SHARD}/${SHARDS}"' in runs["check"]
    assert "validator report merge shards/report-*.json" in runs["merge"]
    assert jobs["merge"]["needs"] == "check" and jobs["sync"]["needs"] == "merge"
    syncing = [name for name, text in runs.items() if "validator issue sync" in text]
    assert syncing == ["sync"]
    # The list of shards is computed from the input; default 4 when run on schedule.
    plan = jobs["plan"]["steps"][0]
    assert plan["env"]["SHARDS"] == "${{ inputs.shards || 4 }}"
    assert 'seq -s, 1 "$SHARDS"' in plan["run"]
