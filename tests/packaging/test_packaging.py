"""What a maintainer trusts before installing: license, metadata, changelog, image, hooks.

These are static checks of the files in the repository (fast, offline). Building the
wheel and sdist and running `twine check` on them is a step of `.ci/run`
(`.ci/check-dist.py` checks their contents); the Dockerfile is linted there with
hadolint, since no Docker engine is available to build it.
"""

from __future__ import annotations

import json
import re
import tomllib
import typing as t
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT: dict[str, t.Any] = PYPROJECT["project"]


def test_license_file_is_the_apache_2_text_the_metadata_declares() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert len(text.splitlines()) > 190  # the full text, not a notice pointing to it
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]


def test_metadata_has_classifiers_urls_and_keywords() -> None:
    classifiers = PROJECT["classifiers"]
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert "Environment :: Console" in classifiers
    # PEP 639: with a license expression, License :: classifiers are refused by builders.
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert PROJECT["requires-python"] == ">=3.11"
    urls = PROJECT["urls"]
    assert {"Homepage", "Source", "Issues", "Changelog"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())
    assert len(PROJECT["keywords"]) >= 5


def test_the_command_is_installed_under_both_names() -> None:
    scripts = PROJECT["scripts"]
    assert scripts["validator"] == "validator.__main__:run"
    assert scripts["open-models-validator"] == scripts["validator"]


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_readme_links_work_as_a_package_description() -> None:
    # On a package index the README is shown without the repository around it, so
    # a relative link (docs/rules.md) leads nowhere.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = _LINK.findall(readme)
    assert targets
    relative = [t for t in targets if not t.startswith(("https://", "http://", "#"))]
    assert relative == []
    prefix = PROJECT["urls"]["Source"] + "/"
    for target in targets:
        if target.startswith(prefix):  # points into this repository: the file exists
            path = target.removeprefix(prefix).split("/", 2)[-1].split("#")[0]
            assert (ROOT / path).exists(), target


_VERSION_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$")
_SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_changelog_keeps_a_changelog() -> None:
    lines = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Changelog"
    assert any("keepachangelog.com" in line for line in lines)
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[0] == "## [Unreleased]"
    versions = []
    for heading in headings[1:]:
        match = _VERSION_HEADING.match(heading)
        assert match, f"not a Keep a Changelog release heading: {heading!r}"
        versions.append(match.group(1))
    assert PROJECT["version"] in versions
    for line in lines:
        if line.startswith("### "):
            assert line.removeprefix("### ") in _SECTIONS, line
    for name in ["Unreleased", *versions]:  # every heading has its link reference
        assert any(line.startswith(f"[{name}]: https://") for line in lines), name


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        pending += " " + line.removesuffix("\\")
        if not line.endswith("\\"):
            keyword, _, rest = pending.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
            pending = ""
    return instructions


def test_dockerfile_is_pinned_non_root_and_runs_validator() -> None:
    instructions = _dockerfile()
    bases = [args for keyword, args in instructions if keyword == "FROM"]
    assert len(bases) == 1
    # An exact patch-level tag or a digest: never `latest` or a moving `3.11-slim`.
    pinned = re.fullmatch(r"python:(3\.(\d+)\.\d+)-slim-\w+(@sha256:[0-9a-f]{64})?", bases[0])
    assert pinned, bases[0]
    assert int(pinned.group(2)) >= 11  # requires-python
    users = [(i, args) for i, (keyword, args) in enumerate(instructions) if keyword == "USER"]
    assert users, "the image must not run as root"
    last_user_at, user = users[-1]
    assert user.split(":")[0] not in {"root", "0"}
    runs = [i for i, (keyword, _) in enumerate(instructions) if keyword == "RUN"]
    assert max(runs) < last_user_at  # nothing runs as root after the switch
    entrypoint = dict(instructions)["ENTRYPOINT"]
    assert json.loads(entrypoint) == ["validator"]


def test_dockerfile_copies_only_what_the_build_context_keeps() -> None:
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    kept = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert "*" in ignore  # everything else (.venv, .git, caches) stays out
    for keyword, args in _dockerfile():
        if keyword == "COPY":
            for source in args.split()[:-1]:
                assert source in kept, f"COPY {source}: excluded by .dockerignore"
                assert (ROOT / source).exists(), source
    # validator/schemas links to ../schema: the image needs both.
    assert (ROOT / "validator" / "schemas").is_symlink()
    assert {"validator", "schema"} <= kept


def test_pre_commit_hook_is_offline_and_matches_catalog_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    hook = by_id["validate"]
    assert hook["entry"].split()[:2] == ["validator", "validate"]
    assert "--online" not in hook["entry"] and "--online" not in hook.get("args", [])
    assert hook["language"] == "python"  # pre-commit installs this package for it
    files = re.compile(hook["files"])
    assert files.search("catalog/models/language/mpt-7b.yaml")
    assert files.search("catalog/licenses.yaml")
    assert not files.search("docs/open-models.md")
    assert not files.search(".github/workflows/ci.yml")
