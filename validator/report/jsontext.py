"""Indented JSON text, as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it.

With ``indent`` set, :mod:`json` uses its pure-Python encoder: a generator per
container, one ``yield`` per piece; for a report of 50,000 findings and 100,000
places that was 4 to 5 s of CPU (the JSON and SARIF reports). This writer gives the
same text from json's C encoder: each run of scalar items in one call (its item
separator carries the indentation), a list of flat dicts (a link's places) in one
call, nested containers recursively. ``tests/report/test_jsontext.py`` checks it
against :func:`json.dumps` on random values. Values must be what ``json.dumps``
accepts without ``default=``; a circular structure is a :class:`RecursionError`
(reports have none) rather than json's ``ValueError``.
"""

from __future__ import annotations

import functools
import json
import typing as t
from json import encoder as _stdlib


class Verbatim:
    """A piece of the text its owner writes itself, given the indentation of its line
    (a long list written faster than item by item); the writer puts it in as is."""

    def __init__(self, write: t.Callable[[str], str]) -> None:
        self.write = write


_CONTAINERS = (dict, list, tuple, Verbatim)
_MARK = ",\x01"
"""An item separator no encoded string can hold (json escapes ``\x01``)."""


def _not_json(value: t.Any) -> t.Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


@functools.lru_cache(maxsize=64)
def _flat(separator: str) -> t.Callable[[t.Any], str]:
    """json's C encoder with this item separator (which carries the indentation of a
    container of scalars); the stdlib's ``encode`` where the C encoder is missing."""
    make = getattr(_stdlib, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always builds _json
        return json.JSONEncoder(
            ensure_ascii=False, check_circular=False, separators=(separator, ": ")
        ).encode
    encode = make(
        None, _not_json, _stdlib.encode_basestring, None, ": ", separator, False, False, True
    )
    return lambda value: "".join(encode(value, 0))


def _is_flat(values: t.Iterable[t.Any]) -> bool:
    """No item is a non-empty container (``{}`` and ``[]`` are written like scalars)."""
    for value in values:
        if isinstance(value, _CONTAINERS) and value:
            return False
    return True


def _flat_dicts(value: t.Any) -> bool:
    for item in value:
        if not isinstance(item, dict) or not item or not _is_flat(item.values()):
            return False
    return True


def _dicts(value: t.Any, indent: str) -> str:
    """A list of flat dicts (a link's places) in one C call: ``},MARK{`` separates
    the dicts, every other ``MARK`` their items."""
    inner, deeper = indent + "  ", indent + "    "
    text = _flat(_MARK)(value)[2:-2]
    text = text.replace("}" + _MARK + "{", f"\n{inner}}},\n{inner}{{\n{deeper}")
    text = text.replace(_MARK, ",\n" + deeper)
    return f"[\n{inner}{{\n{deeper}{text}\n{inner}}}\n{indent}]"


@functools.lru_cache(maxsize=1024)
def _key(key: t.Any) -> str:
    """``"key": `` as json writes it (``"1": `` for ``1``, ``"true": `` for ``True``)."""
    return _flat("")({key: None})[1:-5]


def _dict_items(value: dict[t.Any, t.Any], inner: str, nested: list[t.Any]) -> list[str]:
    """Runs of scalar items through the C encoder at once, ``nested`` keys recursively."""
    flat = _flat(",\n" + inner)
    parts: list[str] = []
    run: dict[t.Any, t.Any] = {}
    for key, item in value.items():
        if key not in nested:
            run[key] = item
            continue
        if run:
            parts.append(flat(run)[1:-1])
            run = {}
        parts.append(_key(key) + _encode(item, inner))
    if run:
        parts.append(flat(run)[1:-1])
    return parts


def _encode(value: t.Any, indent: str) -> str:
    if isinstance(value, Verbatim):
        return value.write(indent)
    if not isinstance(value, (dict, list, tuple)) or not value:
        return _flat("")(value)
    inner = indent + "  "
    if isinstance(value, dict):
        nested = [k for k, v in value.items() if isinstance(v, _CONTAINERS) and v]
        if nested:
            body = (",\n" + inner).join(_dict_items(value, inner, nested))
        else:
            body = _flat(",\n" + inner)(value)[1:-1]
        return f"{{\n{inner}{body}\n{indent}}}"
    if _is_flat(value):
        body = _flat(",\n" + inner)(value)[1:-1]
    elif _flat_dicts(value):
        return _dicts(value, indent)
    else:
        body = (",\n" + inner).join(_encode(item, inner) for item in value)
    return f"[\n{inner}{body}\n{indent}]"


def dumps(value: t.Any, indent: str = "") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, every line after the first
    starting with ``indent`` as well (a value nested that deep in a larger text)."""
    return _encode(value, indent)


__all__ = ["Verbatim", "dumps"]
