"""Write catalog YAML the way a person would: block style, few quotes, keys in order.

``yaml.safe_dump`` quotes or folds strings by its own rules and flows nested data
unpredictably; catalog files are read and edited by people, so we emit a small,
fixed subset ourselves: mappings in block style, lists of mappings as ``- key: value``
blocks, short lists of scalars and ``{min, max}`` pairs in flow style, and a string
in double quotes only when a plain scalar would read back as something else.
"""

from __future__ import annotations

import functools
import json
import typing as t

import yaml

_FLOW_WIDTH = 80
"""Scalar lists longer than this (as flow text) are written one item per line."""
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = set(",[]{}")
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The loader the catalog is read with (validator.catalog.source): libyaml when present."""


@functools.lru_cache(maxsize=4096)
def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or text[0] in _INDICATORS:
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    try:
        # The plain scalar must read back as the same string (not a number, bool, date).
        return bool(yaml.load(f"k: {text}", Loader=_LOADER) == {"k": text})
    except yaml.YAMLError:
        return False


def scalar(value: t.Any, *, flow: bool = False) -> str:
    """One scalar as YAML text; ``flow``: inside ``[...]``, where ``,[]{}`` end a plain one."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        plain = _plain_ok(value) and not (flow and set(value) & _FLOW_INDICATORS)
        return value if plain else json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _is_scalar(value: t.Any) -> bool:
    return not isinstance(value, dict | list)


def _flow(value: t.Any) -> str | None:
    """Flow text for a short list of scalars or a ``{min, max}`` pair, else ``None``."""
    if isinstance(value, list) and value and all(_is_scalar(v) for v in value):
        text = "[" + ", ".join(scalar(v, flow=True) for v in value) + "]"
        return text if len(text) <= _FLOW_WIDTH else None
    if isinstance(value, dict) and list(value) == ["min", "max"]:
        return "{min: " + scalar(value["min"]) + ", max: " + scalar(value["max"]) + "}"
    return None


def _mapping(data: dict[str, t.Any], indent: str) -> list[str]:
    lines = []
    for key, value in data.items():
        flow = _flow(value)
        if flow is not None:
            lines.append(f"{indent}{key}: {flow}")
        elif isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines += _mapping(value, indent + "  ")
        elif isinstance(value, list):
            lines.append(f"{indent}{key}:" + (" []" if not value else ""))
            lines += _sequence(value, indent + "  ")
        else:
            lines.append(f"{indent}{key}: {scalar(value)}")
    return lines


def _sequence(items: list[t.Any], indent: str) -> list[str]:
    lines = []
    for item in items:
        if isinstance(item, dict) and item:
            body = _mapping(item, indent + "  ")
            lines.append(f"{indent}- {body[0].lstrip()}")
            lines += body[1:]
        else:
            lines.append(f"{indent}- {_flow(item) or scalar(item)}")
    return lines


def dump(data: dict[str, t.Any], schema_ref: str) -> str:
    """A whole file: the editor's schema line, then ``data`` in its own key order."""
    header = f"# yaml-language-server: $schema={schema_ref}"
    return "\n".join([header, *_mapping(data, "")]) + "\n"
