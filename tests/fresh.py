"""What a fresh interpreter imports, step by step: one interpreter for every such test.

Three tests ask what a new process has imported after some work (the option
declarations, a pre-commit run on one file, an offline run on the whole catalog). A
fresh interpreter costs ~0.4 s of CPU on a clean clone (no bytecode cache), so one
runs the steps in order and prints ``sys.modules`` after each; the tests share it
(:func:`modules_after`, cached per worker; the tests are in the xdist group
:data:`GROUP`, so one worker runs them all). A step sees what the steps before it
imported, so each check is at least as strict as in an interpreter of its own: a module
one step must not import may not have come from an earlier step either.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

GROUP = "fresh-interpreter"

STEPS = {
    # the CLI's option declarations and the plain-data modules they need
    "options": (
        "import validator.http.settings, validator.hub.result, validator.hub.urls\n"
        "import validator.cli.options\n"
    ),
    # a pre-commit run on one valid entry file: no docs check, no schema errors to word
    "one-entry": (
        "from validator.options import RunOptions\n"
        "from validator.pipeline import run\n"
        "result = run(RunOptions(paths=(Path('catalog/models/language/mpt-7b.yaml'),)))\n"
        "assert not result.report.findings, result.report.findings\n"
    ),
    # offline validation of the whole bundled catalog, which is clean
    "catalog": (
        "result = run(RunOptions(command='validate', paths=(ROOT / 'catalog',)))\n"
        "assert not result.report.findings, result.report.findings\n"
    ),
}

_SCRIPT = "import json, sys\nfrom pathlib import Path\nROOT = Path({root!r})\n{steps}"
_REPORT = "print(json.dumps([{name!r}, sorted(sys.modules)]), flush=True)\n"


@functools.cache
def _run() -> dict[str, frozenset[str]]:
    steps = "".join(code + _REPORT.format(name=name) for name, code in STEPS.items())
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT.format(root=str(ROOT), steps=steps)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return {name: frozenset(mods) for name, mods in map(json.loads, done.stdout.splitlines())}


def modules_after(step: str) -> frozenset[str]:
    """The modules a fresh interpreter holds after ``step`` and the steps before it."""
    return _run()[step]
