"""JSON Schema validation of catalog files, with errors a person can act on.

The schemas (draft 2020-12) live in the repository's ``schema/`` folder, one file per
entry kind plus shared ``$defs``; they carry no ``$id`` and reference each other by file
name (``defs.schema.json#/$defs/...``), which resolves next to the file for any tool
that reads them from disk; here through a registry of the folder's files, so validation
never fetches anything. Every ``$ref`` is inlined once per process.

Two engines, one verdict: jsonschema-rs answers "valid" in microseconds for the files it
may vouch for (:mod:`validator.schema_fastpath`); every other file goes to jsonschema,
whose errors :mod:`validator.schema_messages` rewrites for the people who edit catalog
files. jsonschema is imported only then, so validating a clean catalog never loads it.
"""

from __future__ import annotations

import hashlib
import json
import typing as t
from pathlib import Path
from urllib.parse import unquote

import jsonschema_rs

from validator.catalog.loader import LICENSES_FILE
from validator.catalog.model import KIND_FOLDERS
from validator.catalog.source import Source, json_path
from validator.findings import Finding
from validator.schema_fastpath import FastCheck, refuse_retrieval
from validator.schema_messages import describe, pick_branch

if t.TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

SCHEMA_FOR_KIND = {
    "language-model": "model.schema.json",
    "code-model": "model.schema.json",
    "pretraining-dataset": "dataset.schema.json",
    "instruction-dataset": "dataset.schema.json",
    "alignment-dataset": "dataset.schema.json",
    "eval": "eval.schema.json",
}
LICENSES_SCHEMA = "licenses.schema.json"


class SchemaSetupError(Exception):
    """The schema folder is missing or broken: a configuration error, not a finding."""


def default_schema_dir() -> Path:
    """``schema/`` shipped with the package, else the one in the source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas", here.parent / "schema"):
        if (candidate / "defs.schema.json").is_file():
            return candidate
    raise SchemaSetupError(f"no schema folder found next to {here}")


_BUILT: dict[tuple[str, str, str], t.Any] = {}
"""Inlined schemas and validators by (what, schema fingerprint, file name), built once
per process; they hold no per-run state."""


class SchemaSet:
    """All schemas of one folder, ready to validate entries by kind."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        resources: list[tuple[str, t.Any]] = []
        self._by_name: dict[str, dict[str, t.Any]] = {}
        self._uris: dict[str, str] = {}
        self._documents: dict[str, t.Any] = {}
        files = sorted(folder.glob("*.json"))
        if not files:
            raise SchemaSetupError(f"{folder}: no *.json schema files")
        digest = hashlib.sha256()
        for file in files:
            try:
                raw = file.read_bytes()
                contents = json.loads(raw.decode("utf-8"))
            except (OSError, ValueError) as exc:
                raise SchemaSetupError(f"{file}: cannot read schema: {exc}") from None
            digest.update(b"%d:%s%d:%s" % (len(file.name), file.name.encode(), len(raw), raw))
            self._by_name[file.name] = contents
            uri = contents.get("$id", file.resolve().as_uri()) if isinstance(contents, dict) else ""
            self._uris[file.name] = uri
            self._documents[uri] = contents
            resources.append((uri, contents))
        try:
            self._registry = jsonschema_rs.Registry(resources, retriever=refuse_retrieval)
        except (ValueError, jsonschema_rs.ReferencingError) as exc:
            raise SchemaSetupError(f"{folder}: {exc}") from None
        self.fingerprint = digest.hexdigest()  # same schema files, same verdicts

    def inlined(self, name: str) -> dict[str, t.Any]:
        """One schema file with every ``$ref`` inlined (both engines check this)."""
        key = ("inlined", self.fingerprint, name)
        if key not in _BUILT:
            try:
                schema = self._by_name[name]
            except KeyError:
                raise SchemaSetupError(f"{self.folder}: missing {name}") from None
            try:
                resolver = self._registry.resolver(self._uris[name])
                _BUILT[key] = _inline_refs(schema, resolver, self._documents, depth=0)
            except jsonschema_rs.ReferencingError as exc:
                raise SchemaSetupError(f"{self.folder / name}: {exc}") from None
        return t.cast(dict[str, t.Any], _BUILT[key])

    def validator_for(self, name: str) -> jsonschema.Draft202012Validator:
        """jsonschema's validator for one schema file: the reference, and its errors."""
        key = ("jsonschema", self.fingerprint, name)
        if key not in _BUILT:
            import jsonschema

            _BUILT[key] = jsonschema.Draft202012Validator(self.inlined(name))
        return t.cast("jsonschema.Draft202012Validator", _BUILT[key])

    def _fast_check(self, name: str) -> FastCheck | _NoFastCheck:
        key = ("jsonschema-rs", self.fingerprint, name)
        if key not in _BUILT:
            _BUILT[key] = FastCheck.build(self.inlined(name)) or _NoFastCheck()
        return t.cast(FastCheck | _NoFastCheck, _BUILT[key])

    def schema_name_for(self, source: Source) -> str | None:
        """Which schema a file is checked against: by ``kind``, else by its folder."""
        if source.path.name == LICENSES_FILE:
            return LICENSES_SCHEMA
        data = source.data
        kind = data.get("kind") if isinstance(data, dict) else None
        if isinstance(kind, str) and kind in SCHEMA_FOR_KIND:
            return SCHEMA_FOR_KIND[kind]
        posix = source.path.resolve().as_posix()
        for folder_kind, folder in KIND_FOLDERS.items():
            if f"/{folder}/" in posix:
                return SCHEMA_FOR_KIND[folder_kind]
        return None

    def check(self, source: Source) -> list[Finding]:
        """Schema findings for one parsed file (empty when it conforms)."""
        name = self.schema_name_for(source)
        if name is None:
            line, column = source.position(("kind",))
            kind = source.data.get("kind") if isinstance(source.data, dict) else None
            return [
                Finding(
                    rule="schema",
                    message=f"unknown entry kind {kind!r}; expected one of "
                    + ", ".join(SCHEMA_FOR_KIND),
                    file=source.display,
                    line=line,
                    column=column,
                    entry=_entry_id(source),
                    path="$.kind",
                    hint="set `kind`, or put the file in its kind's folder "
                    "(docs/catalog-format.md)",
                )
            ]
        if self._fast_check(name).valid(source.data):
            return []
        validator = self.validator_for(name)
        return [self._finding(source, error, name) for error in validator.iter_errors(source.data)]

    def _finding(self, source: Source, error: ValidationError, schema_name: str) -> Finding:
        error = pick_branch(error)
        path, message, hint = describe(error)
        line, column = source.position(path)
        return Finding(
            rule="schema",
            message=message,
            file=source.display,
            line=line,
            column=column,
            entry=_entry_id(source),
            path=json_path(path),
            hint=hint,
            evidence={"schema": schema_name, "keyword": str(error.validator)},
        )


class _NoFastCheck:
    """A schema the fast path may not vouch for: jsonschema decides every file."""

    def valid(self, data: t.Any) -> bool:
        return False


_ANNOTATIONS = {"description", "title", "$comment", "examples", "default"}
_MAX_REF_DEPTH = 32


def _inline_refs(
    node: t.Any, resolver: jsonschema_rs.Resolver, documents: dict[str, t.Any], depth: int
) -> t.Any:
    """The schema with every ``$ref`` replaced by what it points at.

    jsonschema resolves a ``$ref`` through the registry on every use, which was half of
    the validation time on a 10,000-entry catalog; our schemas are not recursive, so
    resolving once up front gives the same verdicts at about twice the speed. A ``$ref``
    with sibling keywords becomes an ``allOf`` so both still apply.
    """
    if depth > _MAX_REF_DEPTH:
        raise SchemaSetupError("schema $ref chain too deep (recursive schema?)")
    if isinstance(node, list):
        return [_inline_refs(item, resolver, documents, depth) for item in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("$ref"), str):
        resolved = resolver.lookup(node["$ref"])
        contents = _in_order(resolved, node["$ref"], documents)
        target = _inline_refs(contents, resolved.resolver, documents, depth + 1)
        siblings = {
            k: _inline_refs(v, resolver, documents, depth) for k, v in node.items() if k != "$ref"
        }
        if not siblings:
            return target
        if set(siblings) <= _ANNOTATIONS and isinstance(target, dict):
            return {**target, **siblings}
        return {**siblings, "allOf": [target, *siblings.get("allOf", [])]}
    return {key: _inline_refs(value, resolver, documents, depth) for key, value in node.items()}


def _in_order(resolved: jsonschema_rs.Resolved, ref: str, documents: dict[str, t.Any]) -> t.Any:
    """What ``ref`` points at, with the keys in the schema file's order.

    jsonschema-rs resolves the reference (file, ``$id``, anchor), but hands back a copy
    with sorted keys; the order of ``properties`` is the order messages list known keys
    in, so a JSON-pointer fragment is followed in the document as read instead.
    """
    fragment = ref.partition("#")[2]
    node = documents.get(resolved.resolver.base_uri)
    if node is None or (fragment and not fragment.startswith("/")):
        return resolved.contents
    for token in fragment.split("/")[1:]:
        token = unquote(token).replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node.get(token)
    return resolved.contents if node is None else node


def _entry_id(source: Source) -> str | None:
    if isinstance(source.data, dict) and isinstance(source.data.get("id"), str):
        return t.cast(str, source.data["id"])
    return None if source.path.name == LICENSES_FILE else source.path.stem
