"""Check a built wheel and sdist beyond `twine check`: what a user gets when installing.

Usage: python .ci/check-dist.py DIST_DIR. Exits 1 with one line per problem.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

SCHEMAS = {"dataset", "defs", "eval", "licenses", "model"}
SCRIPTS = {"validator", "open-models-validator"}


def check_wheel(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(name.split("/")[0] for name in names if ".dist-info/" in name)
        metadata = HeaderParser().parsestr(archive.read(f"{info}/METADATA").decode())
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    wanted = {f"validator/schemas/{schema}.schema.json" for schema in SCHEMAS}
    wanted.add(f"{info}/licenses/LICENSE")
    problems = [f"{wheel.name}: {name} missing" for name in sorted(wanted - names)]
    problems += [
        f"{wheel.name}: console script {script!r} missing"
        for script in sorted(SCRIPTS)
        if f"{script} = validator.__main__:run" not in entry_points
    ]
    if metadata.get("License-Expression") != "Apache-2.0":
        problems.append(f"{wheel.name}: License-Expression is not Apache-2.0")
    problems += [
        f"{wheel.name}: no {field}"
        for field in ("Classifier", "Project-URL", "Keywords")
        if not metadata.get_all(field)
    ]
    description = metadata.get_payload()
    if "](docs/" in description or "](schema)" in description:
        problems.append(f"{wheel.name}: the description has relative links")
    return problems


def check_sdist(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[-1] for name in archive.getnames()}
    wanted = {"LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml"}
    wanted |= {f"validator/schemas/{schema}.schema.json" for schema in SCHEMAS}
    return [f"{sdist.name}: {name} missing" for name in sorted(wanted - names)]


def main(folder: Path) -> int:
    wheels = sorted(folder.glob("*.whl"))
    sdists = sorted(folder.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        print(f"check-dist: expected one wheel and one sdist in {folder}", file=sys.stderr)
        return 1
    problems = check_wheel(wheels[0]) + check_sdist(sdists[0])
    for problem in problems:
        print(f"check-dist: {problem}", file=sys.stderr)
    if not problems:
        print(f"check-dist: {wheels[0].name} and {sdists[0].name} are complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
