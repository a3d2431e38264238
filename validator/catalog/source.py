"""Reading one YAML file into plain data plus a map of where every value sits.

PyYAML's composer gives nodes with marks; we build Python values from the node tree
ourselves so that we can (1) refuse duplicate keys, (2) refuse anchors and aliases,
(3) keep dates as strings (catalog dates are ``YYYY-MM``, which YAML 1.1 would turn
into datetimes only sometimes), and (4) remember a 1-based ``(line, column)`` for
every JSON path. The libyaml composer is used when present: it is about 10x faster.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import typing as t
from pathlib import Path

import yaml

MAX_FILE_BYTES = 1_000_000
"""Catalog files are hand-written; anything this large is a mistake, not an entry."""
MAX_DEPTH = 64
"""Entries nest a few levels; deeper data is a mistake, and would exhaust the stack."""

PathKey = tuple[str | int, ...]
Position = tuple[int, int]

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAX_REMEMBERED_TAGS = 50_000


class _Loader(_Base):
    """The safe loader, remembering the tag of each short plain scalar it resolved.

    libyaml calls back into Python's resolver for every scalar, and a catalog's keys and
    small values (``id``, ``name``, ``true``, ``2023-05``) repeat in every file.
    """

    _tags: t.ClassVar[dict[tuple[t.Any, str, t.Any], str]] = {}

    def resolve(self, kind: t.Any, value: t.Any, implicit: t.Any) -> t.Any:
        if kind is not yaml.ScalarNode or len(value) > 32:
            return super().resolve(kind, value, implicit)
        key = (kind, value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._tags) < _MAX_REMEMBERED_TAGS:
                self._tags[key] = tag
        return tag


# An anchor (&name) or alias (*name) starts a node: at the start of the text or after
# whitespace or a flow indicator, and a name follows at once. Anything else (``?a=1&b=2``,
# ``R & D``) is text; only files with a candidate are scanned token by token.
_ANCHOR_OR_ALIAS = re.compile(r"(?:\A|[\s\[\]{},:?-])[&*][^\s\[\]{},]")


class SourceError(Exception):
    """A file that cannot be turned into data: carries a one-line message and a place."""

    def __init__(self, rule: str, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.line = line
        self.column = column


@dataclasses.dataclass
class Source:
    """One parsed YAML document: its data, positions of every path, and its text."""

    path: Path
    display: str
    """The path as shown in findings (relative to the working directory when possible)."""
    data: t.Any
    positions: dict[PathKey, Position]
    text: str

    def position(self, path: t.Sequence[str | int]) -> Position:
        """The position of ``path``, or of its nearest existing ancestor."""
        key = tuple(path)
        while key:
            if key in self.positions:
                return self.positions[key]
            key = key[:-1]
        return self.positions.get((), (1, 1))


def json_path(path: t.Sequence[str | int]) -> str:
    """Render a path the way JSON Schema tools and people read it: ``$.a[0].b``."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _mark(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _scalar(node: yaml.ScalarNode) -> t.Any:
    tag = node.tag
    value = node.value
    if tag == "tag:yaml.org,2002:int":
        digits = value.replace("_", "")
        try:
            return int(digits, 0)
        except ValueError:  # YAML 1.1 octal ("0755") or sexagesimal ("1:20"): keep the text
            return value
    if tag == "tag:yaml.org,2002:float":
        low = value.lower().replace("_", "")
        if low in (".inf", "+.inf"):
            return float("inf")
        if low == "-.inf":
            return float("-inf")
        if low == ".nan":
            return float("nan")
        return float(low)
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() in ("true", "yes", "on", "y")
    if tag == "tag:yaml.org,2002:null":
        return None
    # Strings, and timestamps on purpose: dates stay text (see module docstring).
    return value


_STR = "tag:yaml.org,2002:str"


def _build(node: yaml.Node, path: PathKey, positions: dict[PathKey, Position]) -> t.Any:
    # The hot loop of loading (every value of every file): strings, most of a catalog,
    # are taken as they are without a call to _scalar.
    kind = type(node)
    if kind is yaml.ScalarNode:
        return node.value if node.tag == _STR else _scalar(t.cast(yaml.ScalarNode, node))
    if len(path) >= MAX_DEPTH:
        raise SourceError(
            "yaml-too-deep",
            f"values are nested more than {MAX_DEPTH} levels deep",
            *_mark(node),
        )
    if kind is yaml.SequenceNode:
        items = []
        for i, child in enumerate(node.value):
            here = (*path, i)
            mark = child.start_mark
            positions[here] = (mark.line + 1, mark.column + 1)
            items.append(_build(child, here, positions))
        return items
    if kind is yaml.MappingNode:
        result: dict[t.Any, t.Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STR and type(key_node) is yaml.ScalarNode:
                key = key_node.value
            else:
                key = _key(key_node)
            here = (*path, key)
            if key in result:
                first = positions.get(here, (0, 0))
                raise SourceError(
                    "yaml-duplicate-key",
                    f"duplicate key '{key}' (first defined at line {first[0]})",
                    *_mark(key_node),
                )
            mark = key_node.start_mark
            positions[here] = (mark.line + 1, mark.column + 1)
            result[key] = _build(value_node, here, positions)
        return result
    raise SourceError("yaml-syntax", f"unsupported YAML node {type(node).__name__}", *_mark(node))


def _key(node: yaml.Node) -> str:
    """A mapping key that is not a plain string: a number or a boolean becomes its text."""
    if node.tag == "tag:yaml.org,2002:merge":
        raise SourceError("yaml-anchor", "merge keys ('<<') are not allowed", *_mark(node))
    if not isinstance(node, yaml.ScalarNode):
        raise SourceError("yaml-syntax", "mapping keys must be plain strings", *_mark(node))
    key = _scalar(node)
    return key if isinstance(key, str) else str(key)


def _refuse_anchors(text: str) -> None:
    """Raise for the first anchor or alias (scanned only where one may be)."""
    if ("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text):
        found = _find_anchor(text)
        if found:
            raise found


def _find_anchor(text: str) -> SourceError | None:
    """Locate the first anchor or alias token, if any (only scanned when '&' or '*' occur)."""
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                kind = "anchor" if isinstance(token, yaml.AnchorToken) else "alias"
                return SourceError(
                    "yaml-anchor",
                    f"YAML {kind} '{token.value}' is not allowed: write each value out in full",
                    token.start_mark.line + 1,
                    token.start_mark.column + 1,
                )
    except yaml.YAMLError:
        return None  # the syntax error is reported by the composer with its own position
    return None


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if line < len(lines) else ""


def _kind_of(value: t.Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "an empty value"
    return "a string"


def parse_text(text: str, path: Path, display: str) -> Source:
    """Parse YAML text already read from ``path``; raise :class:`SourceError` if unusable."""
    if not text.strip():
        raise SourceError("yaml-empty", "file is empty", 1, 1)
    _refuse_anchors(text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if mark and _char_at(text, mark.line, mark.column) == "\t":
            problem = "a tab is used for indentation; YAML indents with spaces only"
        raise SourceError("yaml-syntax", f"YAML syntax error: {problem}", line, col) from None
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = f"YAML error: {exc}".splitlines()[0]
        raise SourceError("yaml-syntax", message, line, column) from None
    except yaml.YAMLError as exc:  # e.g. more than one document
        raise SourceError("yaml-syntax", f"YAML error: {exc}".splitlines()[0], 1, 1) from None
    if node is None:
        raise SourceError("yaml-empty", "file holds no YAML document (only comments?)", 1, 1)
    positions: dict[PathKey, Position] = {(): _mark(node)}
    data = _build(node, (), positions)
    if not isinstance(data, dict):
        raise SourceError(
            "yaml-not-mapping",
            f"the file holds {_kind_of(data)}, not a mapping of keys to values",
            *positions[()],
        )
    return Source(path=path, display=display, data=data, positions=positions, text=text)


def load(path: Path, display: str | None = None) -> Source:
    """Read and parse one file; every failure becomes a :class:`SourceError`."""
    shown = display if display is not None else str(path)
    return parse_text(read_text(path), path, shown)


def read_text(path: Path) -> str:
    """The text of one catalog file (a regular, small, UTF-8 file), BOM removed."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):  # a folder the walk could not list
            os.listdir(path)
            raise SourceError("file-unreadable", "a folder, not a file")
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise SourceError("file-unreadable", "not a regular file")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(
                "file-too-large",
                f"file is {size:,} bytes; the limit for a catalog file is {MAX_FILE_BYTES:,}",
            )
        raw = path.read_bytes()
    except OSError as exc:
        what = "folder" if path.is_dir() else "file"
        raise SourceError("file-unreadable", f"cannot read {what}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            "file-encoding", f"file is not UTF-8 (byte 0x{raw[exc.start]:02x})", line, column
        ) from None
    return text[1:] if text.startswith("\ufeff") else text
