"""The fast path of the schema check: jsonschema-rs says which files are valid.

jsonschema (pure Python) is the reference: its errors become the findings people read.
It takes about 1 ms per entry on our schemas and 0.2 s to import, which was most of an
offline run. jsonschema-rs (Rust, draft 2020-12) decides the same question in a few
microseconds, so :class:`FastCheck` answers "valid" for the files it may vouch for, and
every other file (every invalid one, every one it may not vouch for) goes to
jsonschema, which produces the findings exactly as before.

Both engines follow the standard; they differ where Python's ``re`` and the ECMA 262
regular expressions of jsonschema-rs read a pattern differently. The fast verdict is
used only where they agree (``tests/schema/test_fastpath.py`` checks every code point,
every fixture and mutations of them against jsonschema):

- a schema with a ``pattern`` outside the portable subset (literals, classes, groups,
  quantifiers, alternatives, ``^``, ``$``, ``.``, ``\\d``, ``\\s`` and their negations) is
  never fast-checked;
- a value with a string holding a character on which ``\\d``, ``\\s`` or ``.`` differ
  (non-ASCII digits, ``\\x1c``-``\\x1f``, ``\\x85``, ``\\ufeff``, ``\\r``, ``\\u2028``,
  ``\\u2029``) or ending in a newline (Python's ``$`` matches before it), a lone
  surrogate, NaN or infinity, or anything that is not JSON data goes to jsonschema;
- ``format`` is an annotation in both (draft 2020-12's default): none is asserted.
"""

from __future__ import annotations

import json
import re
import typing as t

import jsonschema_rs

_PORTABLE_PATTERN = re.compile(r"(?:\\[dDsS]|\\[^A-Za-z0-9]|\((?!\?)|\(\?:|[^\\(])*")
"""Regex syntax that means the same in Python's ``re`` and in ECMA 262."""

UNSAFE_TEXT = re.compile(r"[\x1c-\x1f\x85\ufeff\r\u2028\u2029\ud800-\udfff]|(?![0-9])\d|\n\Z")
"""Where the engines' ``\\d``, ``\\s``, ``.`` or ``$`` disagree on a string (and lone
surrogates, which are not Unicode text and which jsonschema-rs cannot read)."""

_UNSAFE_ESCAPES = ("\\u", "\\r", '\\n"')
"""How ``json.dumps`` writes :data:`UNSAFE_TEXT`'s control characters and final newlines
(``\\u`` also stands for the other control characters: the careful side)."""
_UNSAFE_WIDE = re.compile(r"[\x85\ufeff\u2028\u2029\ud800-\udfff]|(?![0-9])\d")
"""The non-ASCII part of :data:`UNSAFE_TEXT`, which ``json.dumps`` leaves as it is."""


def refuse_retrieval(uri: str) -> t.NoReturn:
    """Schemas are read from their folder only: validation never fetches anything."""
    raise ValueError(f"{uri} is not in the schema folder (nothing is fetched)")


def portable(schema: t.Any) -> bool:
    """Whether every ``pattern`` and ``patternProperties`` key is in the portable subset."""
    if isinstance(schema, list):
        return all(portable(item) for item in schema)
    if not isinstance(schema, dict):
        return True
    keyed = schema.get("patternProperties")
    regexes = list(keyed) if isinstance(keyed, dict) else []
    if isinstance(schema.get("pattern"), str):
        regexes.append(schema["pattern"])
    if not all(_PORTABLE_PATTERN.fullmatch(regex) for regex in regexes):
        return False
    return all(portable(value) for value in schema.values())


def plain(value: t.Any) -> bool:
    """Whether both engines read ``value`` alike (see the module docstring).

    One dump of the whole value and a few substring tests: a recursive walk in Python
    would cost more than jsonschema-rs's own check.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # not JSON data, NaN or infinity
        return False
    if any(escape in text for escape in _UNSAFE_ESCAPES):
        return False
    return text.isascii() or _UNSAFE_WIDE.search(text) is None


class FastCheck:
    """jsonschema-rs for one (``$ref``-free) schema, vouching only for what it may."""

    def __init__(self, validator: jsonschema_rs.Validator) -> None:
        self._validator = validator

    @classmethod
    def build(cls, schema: dict[str, t.Any]) -> FastCheck | None:
        """The fast check for ``schema``, or ``None`` when it may not be trusted on it."""
        if not portable(schema):
            return None
        try:
            validator = jsonschema_rs.Draft202012Validator(
                schema, validate_formats=False, retriever=refuse_retrieval
            )
        except (ValueError, jsonschema_rs.ReferencingError):
            return None  # jsonschema decides, and reports what is wrong with the schema
        return cls(validator)

    def valid(self, data: t.Any) -> bool:
        """True: ``data`` conforms. False: not known, ask jsonschema."""
        if not plain(data):
            return False
        try:
            return self._validator.is_valid(data)
        except ValueError:  # data it cannot read: jsonschema decides
            return False
