"""Editing a text file in place: faithfully, atomically, and only if nobody else did.

Every tool edit of a catalog file (``links --fix``, ``validate --fix-from-hub``) goes
through here:

* **Faithful.** The file is read as bytes and decoded without newline translation, so
  CRLF, a lone CR, a byte-order mark and every byte outside the edit come back as they
  were. :func:`split_lines` breaks lines where the YAML parser does, so a finding's
  line number points at the same text.
* **Atomic.** The new content goes to a temporary file in the same directory, is
  fsynced, given the old file's mode, and renamed over the original; the directory
  is fsynced too. A crash, Ctrl-C, SIGTERM or a full disk at any moment leaves the old
  file or the new one, never a mix or an empty file; the temporary file is removed on
  the way out.
* **Only if unchanged.** The file must still hold exactly the bytes it was read with,
  just before the rename; a file edited meanwhile, vanished, read-only or on a full
  disk is a :class:`FileSkipped` with a one-line reason, and the caller goes on with
  the other files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import signal
import stat
import tempfile
from pathlib import Path

BOM = "\ufeff"
TEMP_SUFFIX = ".validator-tmp"
"""Temporary files are ``.<name>.<random>.validator-tmp`` next to their target."""

_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")
"""Line breaks as YAML (libyaml and PyYAML) counts them."""

_write = os.write
"""``os.write``, replaceable by tests to simulate a full disk."""


class FileSkipped(Exception):
    """A file that was not rewritten; ``str()`` is the one-line reason."""


@dataclasses.dataclass(frozen=True)
class TextFile:
    """A file's bytes as read, and its text (BOM removed, line endings kept)."""

    path: Path
    raw: bytes
    text: str
    bom: bool

    @classmethod
    def read(cls, path: Path) -> TextFile:
        """Read ``path`` as UTF-8; :class:`FileSkipped` when it cannot be read."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise FileSkipped("vanished since it was read") from None
        except OSError as exc:
            raise FileSkipped(f"cannot read: {exc.strerror or exc}") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileSkipped(f"not UTF-8 (byte {exc.start})") from None
        bom = text.startswith(BOM)
        return cls(path, raw, text[1:] if bom else text, bom)

    def encode(self, text: str) -> bytes:
        """``text`` as bytes the way this file stores them (its BOM kept)."""
        return ((BOM if self.bom else "") + text).encode("utf-8")

    def replace(self, text: str) -> None:
        """Write ``text`` in place of the file's content (see :func:`replace_bytes`)."""
        replace_bytes(self.path, self.encode(text), expected=self.raw)


def split_lines(text: str) -> list[str]:
    """``text`` cut after each YAML line break, each line keeping its break."""
    lines: list[str] = []
    start = 0
    for match in _BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def replace_bytes(path: Path, data: bytes, *, expected: bytes) -> None:
    """Atomically replace ``path``'s content by ``data`` if it still holds ``expected``.

    Raises :class:`FileSkipped` (the file untouched) when the file vanished, is
    read-only, changed, or the new content cannot be written in full.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileSkipped("vanished since it was read") from None
    except OSError as exc:
        raise FileSkipped(f"cannot stat: {exc.strerror or exc}") from None
    if not info.st_mode & stat.S_IWUSR:
        raise FileSkipped("the file is read-only")
    # SIGINT/SIGTERM are held from before the temp file exists until the block that
    # removes it is entered: a signal between the two left the temp file behind.
    held = _hold_signals()
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        _release_signals(held)
        raise FileSkipped(f"cannot write in its folder: {exc.strerror or exc}") from None
    try:
        _release_signals(held)  # a signal held meanwhile is raised here, inside the try
        try:
            _write_all(fd, data)
            os.fchmod(fd, stat.S_IMODE(info.st_mode))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            raise FileSkipped("vanished since it was read") from None
        if current != expected:
            raise FileSkipped("changed on disk since it was read")
        os.replace(temp, path)
    except OSError as exc:
        _remove(temp)
        raise FileSkipped(f"cannot write: {exc.strerror or exc}") from None
    except BaseException:  # FileSkipped, KeyboardInterrupt, SystemExit: the old file stays
        _remove(temp)
        raise
    _sync_dir(path.parent)


_HELD = {signal.SIGINT, signal.SIGTERM} if hasattr(signal, "pthread_sigmask") else set()


def _hold_signals() -> set[int | signal.Signals] | None:
    """Block SIGINT and SIGTERM in this thread; the previous mask (``None``: nothing held)."""
    if not _HELD:
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)


def _release_signals(previous: set[int | signal.Signals] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = _write(fd, view)
        view = view[written:]


def _remove(temp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)


def _sync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: not every system can fsync a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = ["FileSkipped", "TextFile", "replace_bytes", "split_lines"]
