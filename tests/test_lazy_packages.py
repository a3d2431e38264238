"""validator.http and validator.hub import their parts on first use (so the offline
path and the CLI's option declarations never pull in httpx): every exported name
still resolves, and importing the plain-data modules stays light."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["validator.http", "validator.hub"])
def test_every_exported_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    with pytest.raises(AttributeError):
        _ = module.no_such_name


def test_settings_and_hub_results_import_without_httpx() -> None:
    code = (
        "import sys\n"
        "import validator.http.settings, validator.hub.result, validator.hub.urls\n"
        "import validator.cli.options\n"
        "print('httpx' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
