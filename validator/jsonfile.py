"""Reading a JSON file the tool was given (a report to sync or merge): one error path.

Every failure is a :class:`JsonFileError` whose message is one line naming the file:
cannot be read (with the OS's reason), larger than :data:`MAX_BYTES`, not UTF-8, not
JSON (with line and column), or nested too deeply for the parser (a hostile
``[[[[...`` of 100,000 levels, which was a ``RecursionError``). Strings come back
UTF-8-encodable (:func:`validator.escape.printable`). The path ``-`` is standard input,
read under the same limits (:mod:`validator.stdio`).
"""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

from validator.escape import printable
from validator.stdio import TooLarge, read_bytes, shown_name

MAX_BYTES = 256 * 1024 * 1024
"""A nightly report of 100,000 links is tens of MiB; four times that is not a report."""


class JsonFileError(ValueError):
    """A JSON file that cannot be used; ``str()`` is one line naming it."""


def load_json(path: Path, what: str = "file", stdin: t.BinaryIO | None = None) -> t.Any:
    """The parsed content of ``path`` (``-``: ``stdin``, by default standard input);
    :class:`JsonFileError` when it is not usable."""
    shown = shown_name(path)
    try:
        raw = read_bytes(path, limit=MAX_BYTES, what="a report", stdin=stdin)
    except OSError as exc:
        raise JsonFileError(f"cannot read {what} {shown}: {exc.strerror or exc}") from None
    except TooLarge as exc:
        raise JsonFileError(f"{what} {shown}: {exc}") from None
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


__all__ = ["MAX_BYTES", "JsonFileError", "load_json", "shown_name"]
