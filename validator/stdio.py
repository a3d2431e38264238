"""The path ``-``: standard input where a file is read, standard output where one is written.

Every option that reads a file the user names takes ``-`` for standard input (the
configuration, a JSON report, a page, the files to check), and every option that
writes one takes ``-`` for standard output (``--output FORMAT:-``, ``render --out -``).
This module is the one reading of that convention: :func:`is_dash` recognises the
path, :func:`read_bytes` reads a file or standard input under one size limit, and
:func:`shown_name` is how a message names either (``<stdin>`` for ``-``).
"""

from __future__ import annotations

import os
import sys
import typing as t
from pathlib import Path

DASH = "-"
STDIN_NAME = "<stdin>"


class TooLarge(Exception):
    """The input is over the reader's limit; ``str()`` says how large."""


def is_dash(path: Path | str) -> bool:
    """Whether ``path`` is ``-`` (standard input or output, not a file of that name;
    ``./-`` names the file)."""
    return os.fsdecode(path) == DASH


def shown_name(path: Path | str) -> str:
    """How messages name ``path``: ``<stdin>`` for ``-``, undecodable bytes escaped."""
    name = os.fsdecode(path)
    shown = STDIN_NAME if name == DASH else name
    return shown.encode("utf-8", "backslashreplace").decode("utf-8")


def read_bytes(
    path: Path, *, limit: int, what: str = "it", stdin: t.BinaryIO | None = None
) -> bytes:
    """The bytes of ``path`` (``-``: ``stdin``, by default standard input), at most
    ``limit`` of them (``what`` names the input in the message). Raises ``OSError`` or
    :class:`TooLarge`."""
    if is_dash(path):
        raw = (stdin or sys.stdin.buffer).read(limit + 1)
        if len(raw) > limit:
            raise TooLarge(f"more than the {limit:,} bytes {what} may be")
        return raw
    size = path.stat().st_size
    if size > limit:
        raise TooLarge(f"{size:,} bytes, more than the {limit:,} {what} may be")
    return path.read_bytes()


__all__ = ["DASH", "STDIN_NAME", "TooLarge", "is_dash", "read_bytes", "shown_name"]
