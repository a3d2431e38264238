"""validator.http and validator.hub import their parts on first use (so the offline
path and the CLI's option declarations never pull in httpx): every exported name
still resolves, and importing the plain-data modules stays light."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("package", ["validator.http", "validator.hub"])
def test_every_exported_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    with pytest.raises(AttributeError):
        _ = module.no_such_name


@pytest.mark.heavy  # a fresh interpreter: started early, not last
def test_settings_and_hub_results_import_without_httpx() -> None:
    code = (
        "import sys\n"
        "import validator.http.settings, validator.hub.result, validator.hub.urls\n"
        "import validator.cli.options\n"
        "print('httpx' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.heavy  # a fresh interpreter: started early, not last
def test_validating_one_entry_file_reads_no_markdown_and_no_jsonschema() -> None:
    """A pre-commit run on one valid file: no docs check, no schema errors to word."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from validator.options import RunOptions\n"
        "from validator.pipeline import run\n"
        "result = run(RunOptions(paths=(Path('catalog/models/language/mpt-7b.yaml'),)))\n"
        "assert not result.report.findings, result.report.findings\n"
        "print(sorted(m for m in ('markdown_it', 'jsonschema', 'validator.links.extract')"
        " if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.strip() == "[]"
