"""validator.http and validator.hub import their parts on first use (so the offline
path and the CLI's option declarations never pull in httpx): every exported name
still resolves, and importing the plain-data modules stays light."""

from __future__ import annotations

import importlib

import pytest

from tests import fresh


@pytest.mark.parametrize("package", ["validator.http", "validator.hub"])
def test_every_exported_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    with pytest.raises(AttributeError):
        _ = module.no_such_name


@pytest.mark.heavy  # a fresh interpreter: started early, not last
@pytest.mark.xdist_group(fresh.GROUP)
def test_settings_and_hub_results_import_without_httpx() -> None:
    assert "httpx" not in fresh.modules_after("options")


@pytest.mark.heavy
@pytest.mark.xdist_group(fresh.GROUP)
def test_validating_one_entry_file_reads_no_markdown_and_no_jsonschema() -> None:
    """A pre-commit run on one valid file: no docs check, no schema errors to word."""
    loaded = fresh.modules_after("one-entry")
    assert not loaded & {"markdown_it", "jsonschema", "validator.links.extract"}
    assert "validator.pipeline" in loaded  # the step ran
