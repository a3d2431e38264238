"""The README's sample outputs are real: each is re-run and compared, character for character."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from validator.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_console_sample_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    block = re.search(r"```console\n\$ validator (.+?)\n(.*?)```", README, re.S)
    assert block is not None
    result = CliRunner().invoke(main, shlex.split(block.group(1)))
    assert result.stdout == block.group(2)


def test_annotation_sample_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    block = re.search(r"```text\n(::.*?)```", README, re.S)
    command = re.search(r"```console\n\$ validator (.+?)\n", README)
    assert block is not None and command is not None
    result = CliRunner().invoke(main, [*shlex.split(command.group(1)), "--format", "github"])
    assert result.stdout == block.group(1)
