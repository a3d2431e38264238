"""A run over some files of a catalog: the rest of the catalog is read-only context.

A pre-commit hook or an editor passes only the files that changed (or an unsaved
buffer on standard input), while the references, duplicates and licenses they name
live in other files. Those other entries are loaded and schema-checked silently, the
offline rules see them, and only findings about the files given are reported.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

from validator.catalog.model import Catalog, Entry
from validator.catalog.source import Source, SourceError, parse_text, read_text
from validator.findings import Finding

if t.TYPE_CHECKING:
    from validator.schema import SchemaSet

STDIN_NAME = Path("<stdin>.yaml")
"""How text on standard input is named when no ``--stdin-filename`` says where it goes."""


def stdin_paths(
    paths: t.Sequence[Path], stdin: str | None, stdin_filename: Path | None
) -> tuple[list[Path], dict[Path, str]]:
    """``-`` among ``paths`` is standard input, standing for ``stdin_filename``."""
    out = list(paths)
    if stdin is None or Path("-") not in out:
        return out, {}
    name = stdin_filename or STDIN_NAME
    return [name if p == Path("-") else p for p in out], {name: stdin}


def load_context_entries(paths: list[Path], root: Path | None, schemas: SchemaSet) -> list[Entry]:
    """The catalog's other entries that pass their schema, when only some were given."""
    from validator.catalog.loader import discover, load_context

    if root is None or _whole(paths, root):
        return []
    given = discover([p for p in paths if p.exists()]) + paths

    def read(file: Path, display: str) -> Source:
        return _conforming(file, display, schemas)

    return [Entry(s) for s in load_context(root, given, read)]


def _whole(paths: list[Path], root: Path) -> bool:
    """Whether a given folder holds the whole catalog: then no file is left for context
    (and walking and matching thousands of files to find none is most of a run)."""
    resolved = root.resolve()
    return any(p.is_dir() and p.resolve() in (resolved, *resolved.parents) for p in paths)


_Key = tuple[Path, Path, str, str, str]
_REMEMBERED: dict[_Key, Source | None] = {}
"""Context files already parsed and schema-checked in this process (None: unusable), by
path as given and resolved (the schema may follow the folder), display, schema
fingerprint and text. An editor or a test session validates file after file of one
catalog; each run would otherwise parse and check all of its other files again."""
_REMEMBER_AT_MOST = 4096


def _conforming(file: Path, display: str, schemas: SchemaSet) -> Source:
    """One context file parsed and schema-checked; :class:`SourceError` if it cannot be
    read or parsed, or does not pass its schema (it is then left out, like a broken one).
    The text is read every time, so an edited file is parsed and checked afresh."""
    key = (file, file.resolve(), display, schemas.fingerprint, read_text(file))
    if key not in _REMEMBERED:
        if len(_REMEMBERED) >= _REMEMBER_AT_MOST:
            _REMEMBERED.clear()
        _REMEMBERED[key] = _parse_and_check(file, display, key[4], schemas)
    found = _REMEMBERED[key]
    if found is None:
        raise SourceError("schema", "unusable as context: unparsable or not its schema's")
    return found


def _parse_and_check(file: Path, display: str, text: str, schemas: SchemaSet) -> Source | None:
    try:
        source = parse_text(text, file, display)
    except SourceError:
        return None
    return None if schemas.check(source) else source


def with_context(catalog: Catalog, context: list[Entry]) -> Catalog:
    """The catalog the offline rules see: context first, so that a duplicate between a
    given file and a context file is reported on the given one (the later)."""
    if not context:
        return catalog
    entries = [*context, *catalog.entries]
    return Catalog(entries=entries, licenses=catalog.licenses, root=catalog.root)


def given_only(findings: list[Finding], context: list[Entry]) -> list[Finding]:
    """Findings about the files given, not about the context around them."""
    files = {entry.file for entry in context}
    return [f for f in findings if f.file not in files] if files else findings
