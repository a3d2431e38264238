"""Finding catalog files on disk and loading them, one bad file never stopping the rest.

A path may be a folder (searched recursively for ``*.yaml``/``*.yml``) or a file.
Files that cannot be read or parsed become findings at their place; every other file is
still loaded, so one run reports everything that is wrong.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import os
import typing as t
from pathlib import Path

from validator.catalog.model import Catalog, Entry, LicenseBook
from validator.catalog.source import Source, SourceError, load, parse_text
from validator.findings import Finding

LICENSES_FILE = "licenses.yaml"
"""The license glossary's file name, at the catalog's root."""
YAML_SUFFIXES = (".yaml", ".yml")
"""Catalog files, whatever the case of the extension."""


class CatalogPathError(Exception):
    """A path given on the command line does not exist: a usage error, not a finding."""


@dataclasses.dataclass
class LoadResult:
    """The catalog that could be loaded, the findings about files that could not."""

    catalog: Catalog
    findings: list[Finding]
    sources: list[Source]
    """Every parsed file (entries and the license book), for the schema check."""
    files: int
    """How many files were looked at, parsed or not."""


def display_path(path: Path) -> str:
    """A path as people want to see it: relative to the working directory when inside it."""
    if not path.is_absolute():
        return str(path)
    text, cwd = str(path), os.getcwd()
    folder, name = os.path.split(text)
    try:
        if name in ("", ".", "..") or cwd == text or cwd.startswith(text + os.sep):
            return os.path.relpath(text, cwd)  # the folder itself, or one above it
        relative = _relative_folder(folder, cwd)
    except ValueError:  # another drive on Windows
        return text
    return name if relative == "." else os.path.join(relative, name)


@functools.lru_cache(maxsize=256)
def _relative_folder(folder: str, cwd: str) -> str:
    """``os.path.relpath`` once per folder, not once per file (a tenth of loading)."""
    return os.path.relpath(folder, cwd)


def walk(folder: Path, suffixes: t.Collection[str] = YAML_SUFFIXES) -> list[Path]:
    """The one walk of a catalog folder: every file below ``folder`` whose extension
    (in any case) is one of ``suffixes``, sorted by path.

    A broken or looping symlink is not a file, but it is a catalog file that cannot be
    read: it is kept so it is reported, not silently skipped. So is a folder that
    cannot be listed (its entries would be missed without a word): loading it fails
    with the OS's reason (:func:`validator.catalog.source.load`).
    """
    found: list[Path] = []
    pending = [os.fspath(folder)]
    while pending:  # os.scandir: file types come with the listing, no stat per file
        top = pending.pop()
        try:
            with os.scandir(top) as listing:
                children = list(listing)
        except OSError as exc:
            found.append(Path(exc.filename) if exc.filename is not None else folder)
            continue
        for child in children:
            if _suffix(child.name).lower() in suffixes and _is_file_or_link(child):
                found.append(Path(child.path))
            if _is_folder(child):
                pending.append(child.path)
    return sorted(found)


def _suffix(name: str) -> str:
    """``PurePath.suffix`` of a file name, without making a path of it."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _is_file_or_link(child: os.DirEntry[str]) -> bool:
    try:
        return child.is_symlink() or child.is_file()
    except OSError:
        return False


def _is_folder(child: os.DirEntry[str]) -> bool:
    """A folder to walk into (not a symlink to one, as os.walk does not follow them)."""
    try:
        return child.is_dir(follow_symlinks=False)
    except OSError:
        return False


def discover(paths: list[Path], texts: t.Collection[Path] = ()) -> list[Path]:
    """All YAML files under ``paths``, sorted, each once (``texts``: given as text, from
    standard input, whether or not a file of that name exists)."""
    found: dict[Path, None] = {}
    for path in paths:
        if path in texts:
            found.setdefault(path, None)
        elif path.is_dir():
            for child in walk(path):
                found.setdefault(child, None)
        elif path.exists():
            found.setdefault(path, None)
        else:
            raise CatalogPathError(f"{path}: no such file or directory")
    return list(found)


def _source_finding(display: str, error: SourceError) -> Finding:
    return Finding(
        rule=error.rule,
        message=error.message,
        file=display,
        line=error.line,
        column=error.column,
        hint=_SOURCE_HINTS.get(error.rule),
    )


_SOURCE_HINTS = {
    "yaml-anchor": "anchors and aliases hide values from reviewers; repeat the value instead",
    "yaml-duplicate-key": "remove one of the two keys; YAML would silently keep the last one",
    "file-encoding": "save the file as UTF-8",
    "yaml-not-mapping": "an entry is key: value lines (id: ..., kind: ..., name: ...)",
    "yaml-too-deep": "a catalog entry nests a few levels; look for a runaway list or mapping",
    "yaml-empty": "delete the file or fill in the entry",
    "file-too-large": "split the file: one catalog entry per file",
}


def find_licenses_file(paths: list[Path], files: list[Path]) -> Path | None:
    """The glossary: among the files given, else in a catalog root above them."""
    for file in files:
        if file.name == LICENSES_FILE:
            return file
    for path in paths:
        start = path if path.is_dir() else path.parent
        for folder in (start, *start.resolve().parents):
            candidate = folder / LICENSES_FILE
            if candidate.is_file():
                return candidate
            if (folder / "pyproject.toml").exists() or (folder / ".git").exists():
                break
    return None


def _no_license_book(entries: list[Entry]) -> list[Finding]:
    """One warning when entries name licenses but no glossary exists to check them."""
    naming = [entry for entry in entries if entry.license_ids()]
    if not naming:
        return []
    first = naming[0]
    line, column = first.position(("licenses",))
    return [
        Finding(
            rule="license-book-missing",
            message=f"no {LICENSES_FILE} found above the files checked: the license ids of "
            f"{len(naming)} entr{'y' if len(naming) == 1 else 'ies'} go unchecked",
            file=first.file,
            line=line,
            column=column,
            entry=first.id,
            hint=f"keep {LICENSES_FILE} at the catalog's root (docs/catalog-format.md)",
        )
    ]


def load_context(
    root: Path, given: t.Collection[Path], read: t.Callable[[Path, str], Source] = load
) -> list[Source]:
    """The other entry files under the catalog ``root``: read-only context for a run
    over some of its files (references, duplicates). A file that cannot be read is
    skipped: it is not what was asked about, and a whole-catalog run reports it."""
    skip = {path.resolve() for path in given}
    sources = []
    for file in walk(root):
        if file.name == LICENSES_FILE or file.resolve() in skip:
            continue
        try:
            sources.append(read(file, display_path(file)))
        except SourceError:
            continue
    return sources


def load_catalog(paths: list[Path], texts: t.Mapping[Path, str] | None = None) -> LoadResult:
    """Load every catalog file under ``paths``; the license book is found even if not given.

    ``texts`` gives the content of some paths instead of the disk (``validate -``: an
    editor's unsaved buffer, named by ``--stdin-filename``).

    The cyclic garbage collector is paused meanwhile (:func:`collector_paused`).
    """
    with collector_paused():
        return _load_catalog(paths, texts or {})


@contextlib.contextmanager
def collector_paused() -> t.Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk step.

    Loading and checking a catalog make hundreds of thousands of small objects (YAML
    nodes, values, positions, findings), none of them in a cycle (reference counting
    frees them); collecting while they pile up was a tenth of a 10,000-entry run.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_catalog(paths: list[Path], texts: t.Mapping[Path, str]) -> LoadResult:
    files = discover(paths, texts)
    findings: list[Finding] = []
    sources: list[Source] = []
    entries: list[Entry] = []
    book: LicenseBook | None = None
    licenses_path = find_licenses_file(paths, files)
    to_load = list(files)
    if licenses_path is not None and licenses_path not in files:
        to_load.append(licenses_path)  # needed for lookups; not itself reported on
    for file in to_load:
        shown = display_path(file)
        try:
            source = parse_text(texts[file], file, shown) if file in texts else load(file, shown)
        except SourceError as exc:
            # The glossary is reported even when found above the paths given: without
            # it no license id can be checked.
            if file in files or file == licenses_path:
                findings.append(_source_finding(shown, exc))
            continue
        if file == licenses_path:
            book = LicenseBook.from_source(source)
            if file in files:
                sources.append(source)
            continue
        sources.append(source)
        entries.append(Entry(source))
    if licenses_path is None:
        findings.extend(_no_license_book(entries))
    root = licenses_path.parent if licenses_path else None
    return LoadResult(
        catalog=Catalog(entries=entries, licenses=book, root=root),
        findings=findings,
        sources=sources,
        files=len(files),
    )
