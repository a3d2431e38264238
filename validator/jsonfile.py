"""Reading a JSON file the tool was given (a report to sync or merge): one error path.

Every failure is a :class:`JsonFileError` whose message is one line naming the file:
cannot be read (with the OS's reason), larger than :data:`MAX_BYTES`, not UTF-8, not
JSON (with line and column), or nested too deeply for the parser (a hostile
``[[[[...`` of 100,000 levels, which was a ``RecursionError``). Strings come back
UTF-8-encodable (:func:`validator.escape.printable`).
"""

from __future__ import annotations

import json
import os
import typing as t
from pathlib import Path

from validator.escape import printable

MAX_BYTES = 256 * 1024 * 1024
"""A nightly report of 100,000 links is tens of MiB; four times that is not a report."""


class JsonFileError(ValueError):
    """A JSON file that cannot be used; ``str()`` is one line naming it."""


def load_json(path: Path, what: str = "file") -> t.Any:
    """The parsed content of ``path``; :class:`JsonFileError` when it is not usable."""
    shown = os.fsdecode(path).encode("utf-8", "backslashreplace").decode("utf-8")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise JsonFileError(
                f"{what} {shown}: {size:,} bytes, more than the {MAX_BYTES:,} a report may be"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise JsonFileError(f"cannot read {what} {shown}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonFileError(f"{what} {shown} is not UTF-8 (byte {exc.start})") from None
    try:
        return _printable(json.loads(text))
    except RecursionError:
        raise JsonFileError(f"{what} {shown} is not a report: JSON nested too deeply") from None
    except ValueError as exc:
        raise JsonFileError(f"{what} {shown} is not JSON: {exc}") from None


def _printable(data: t.Any) -> t.Any:
    """``data`` with every string UTF-8-encodable: a ``\\udcff`` escape (an undecodable
    byte of a file name, as our JSON report writes it) stays shown, never crashes a
    writer or a hash. Iterative: the parser already allowed the depth."""
    root: list[t.Any] = [data]
    stack: list[tuple[t.Any, t.Any]] = [(root, 0)]
    while stack:
        holder, key = stack.pop()
        value = holder[key]
        if isinstance(value, str):
            holder[key] = printable(value)
        elif isinstance(value, list):
            stack.extend((value, i) for i in range(len(value)))
        elif isinstance(value, dict):
            items = [(printable(k) if isinstance(k, str) else k, v) for k, v in value.items()]
            value.clear()
            value.update(items)
            stack.extend((value, k) for k, _ in items)
    return root[0]


__all__ = ["MAX_BYTES", "JsonFileError", "load_json"]
