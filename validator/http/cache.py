"""The on-disk cache: one SQLite file (stdlib ``sqlite3``) shared by every network user.

Two tables:

* ``links``: one row per URL: the last result (JSON), when it was checked, and the
  failure history (first failing run, consecutive failing runs). Successes are reused
  within a TTL; failures are never reused (lychee: "Do not serialize errors to disk",
  ``lychee-bin/src/cache.rs``) but their history is kept, so a nightly run can tell a
  new failure from one failing for five nights, and ``--fail-after N`` can wait for N.
* ``kv``: generic ``(namespace, key) -> JSON`` with a timestamp, for other clients
  (the Hugging Face client stores API answers here with its own TTL).

The file is opened in WAL mode so a reader and a writer of two tools do not block
each other. Reads happen once at start and writes once at the end of a run, in one
transaction: the crawl itself never touches the disk.

The cache heals rather than stopping a run: a file that is not a database, fails
SQLite's integrity check, or carries a schema this version does not know is moved
aside as ``cache.sqlite3.corrupt-<time>`` with a one-line warning and rebuilt; an
older schema is migrated (``SCHEMA_VERSION``, ``_MIGRATIONS``); a lock another process
holds longer than ``lock_wait`` skips that read or update with a warning, and the run's
results are reported all the same.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import sys
import time
import typing as t
from pathlib import Path

SCHEMA_VERSION = 2
"""Kept in SQLite's ``user_version``. 1: the version stood in ``meta`` (key ``schema``);
2: it moved to ``user_version``, readable before any table is touched."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS links (
    url TEXT PRIMARY KEY,
    verdict TEXT NOT NULL,
    result TEXT NOT NULL,
    checked_at REAL NOT NULL,
    first_failed REAL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS kv (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    stored_at REAL NOT NULL,
    PRIMARY KEY (namespace, key)
);
"""
_TABLES = {
    "links": (
        "url", "verdict", "result", "checked_at", "first_failed", "consecutive_failures"
    ),
    "kv": ("namespace", "key", "value", "stored_at"),
}  # fmt: skip
_MIGRATIONS: dict[int, str] = {
    1: "DELETE FROM meta WHERE key = 'schema'",
}
"""SQL that takes the file from version ``n`` to ``n + 1`` (``user_version`` is set after)."""

DEFAULT_LOCK_WAIT = 5.0
"""Seconds to wait for another process's lock before going on without the cache."""


def warn_stderr(message: str) -> None:
    """The default way a cache warns: one line on stderr."""
    sys.stderr.write(f"validator: warning: {message}\n")


@dataclasses.dataclass(frozen=True)
class LinkRecord:
    """What the cache knows about one URL."""

    url: str
    verdict: str
    result: dict[str, t.Any]
    checked_at: float
    first_failed: float | None = None
    consecutive_failures: int = 0


class Cache:
    """A SQLite cache file; use as a context manager or call :meth:`close`.

    It never stops a run: a file that is not a database, is damaged, or has a schema
    this version does not know is moved aside (:func:`set_aside`) and rebuilt; a lock
    another process holds longer than ``lock_wait`` seconds makes that read or write
    a no-op. Each such event is one line through ``warn`` (stderr by default).
    ``OSError`` (a folder that cannot be created) is still raised.
    """

    def __init__(
        self,
        path: Path,
        *,
        lock_wait: float = DEFAULT_LOCK_WAIT,
        warn: t.Callable[[str], None] | None = None,
    ) -> None:
        self.path = path
        self.lock_wait = lock_wait
        self._warn = warn or warn_stderr
        self._warned: set[str] = set()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db: sqlite3.Connection | None = None
        self._open()

    def _open(self) -> None:
        try:
            self._db = _connect(self.path, self.lock_wait)
            problem = _check(self._db)
        except sqlite3.OperationalError as exc:
            if not is_locked(exc):
                raise
            self._off(f"the cache {self.path} is locked by another process: not used this run")
            return
        except sqlite3.DatabaseError as exc:
            problem = f"not a usable database ({exc})"
        if problem is None:
            return
        self._close_db()
        aside = set_aside(self.path)
        self.warn(f"the cache {self.path} is {problem}: moved aside to {aside.name}, rebuilt")
        self._db = _connect(self.path, self.lock_wait)
        _check(self._db)

    def warn(self, message: str) -> None:
        """Say ``message`` once per run."""
        if message not in self._warned:
            self._warned.add(message)
            self._warn(message)

    def _off(self, message: str) -> None:
        self.warn(message)
        self._close_db()

    def _close_db(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _failed(self, exc: sqlite3.Error, doing: str) -> None:
        """A read or write failed: skip it (locked) or set the file aside (damaged)."""
        if isinstance(exc, sqlite3.OperationalError) and is_locked(exc):
            self.warn(
                f"the cache {self.path} is locked by another process: {doing} skipped "
                f"after {self.lock_wait:g} s"
            )
            return
        self._close_db()
        aside = set_aside(self.path)
        self.warn(f"the cache {self.path} is damaged ({exc}): moved aside to {aside.name}")
        with contextlib.suppress(sqlite3.Error):
            self._db = _connect(self.path, self.lock_wait)
            _check(self._db)

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._close_db()

    # -- links -----------------------------------------------------------------------

    def load_links(self, urls: t.Iterable[str]) -> dict[str, LinkRecord]:
        """The records of ``urls`` that exist (one query per 500 URLs)."""
        wanted = list(dict.fromkeys(urls))
        try:
            return self._load_links(wanted)
        except sqlite3.Error as exc:
            self._failed(exc, "reading")
            return {}

    def _load_links(self, wanted: list[str]) -> dict[str, LinkRecord]:
        out: dict[str, LinkRecord] = {}
        if self._db is None:
            return out
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                "SELECT url, verdict, result, checked_at, first_failed, consecutive_failures "
                f"FROM links WHERE url IN ({marks})",
                chunk,
            )
            for url, verdict, result, checked_at, first_failed, failures in rows:
                try:
                    data = json.loads(result)
                except ValueError:
                    continue  # a damaged row is as good as none
                out[url] = LinkRecord(url, verdict, data, checked_at, first_failed, failures)
        return out

    def save_links(self, records: t.Iterable[LinkRecord]) -> None:
        """Insert or replace records, all in one transaction."""
        rows = [
            (
                r.url,
                r.verdict,
                json.dumps(r.result, separators=(",", ":")),
                r.checked_at,
                r.first_failed,
                r.consecutive_failures,
            )
            for r in records
        ]
        self._write(
            "INSERT OR REPLACE INTO links (url, verdict, result, checked_at, first_failed, "
            "consecutive_failures) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )

    def _write(self, sql: str, rows: list[tuple[t.Any, ...]]) -> None:
        """One transaction; a damaged file is rebuilt and the write tried once more."""
        for _attempt in range(2):
            if self._db is None:
                return
            try:
                with self._db:
                    self._db.executemany(sql, rows)
                return
            except sqlite3.Error as exc:
                self._failed(exc, "the update")
                if isinstance(exc, sqlite3.OperationalError) and is_locked(exc):
                    return

    # -- generic key/value -------------------------------------------------------------

    def get(self, namespace: str, key: str, *, ttl: float | None = None) -> t.Any | None:
        """The JSON value stored under ``(namespace, key)``, if younger than ``ttl``."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT value, stored_at FROM kv WHERE namespace = ? AND key = ?", (namespace, key)
            ).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc, "reading")
            return None
        if row is None or (ttl is not None and time.time() - row[1] > ttl):
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None

    def put(self, namespace: str, key: str, value: t.Any) -> None:
        """Store a JSON-compatible value under ``(namespace, key)``."""
        self._write(
            "INSERT OR REPLACE INTO kv (namespace, key, value, stored_at) VALUES (?, ?, ?, ?)",
            [(namespace, key, json.dumps(value, separators=(",", ":")), time.time())],
        )


def _connect(path: Path, lock_wait: float) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), timeout=lock_wait)
    with contextlib.suppress(sqlite3.OperationalError):  # a locked file keeps its mode
        db.execute("PRAGMA journal_mode=WAL")
    # WAL with synchronous=NORMAL never corrupts the file; a power cut may lose the last
    # commits, which a cache can afford, and each commit no longer waits for an fsync.
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def is_locked(exc: sqlite3.OperationalError) -> bool:
    """Whether ``exc`` says another connection holds the lock (not a damaged file)."""
    return "locked" in str(exc) or "busy" in str(exc)


def _check(db: sqlite3.Connection) -> str | None:
    """Bring ``db`` to :data:`SCHEMA_VERSION`; what is wrong with it, or ``None``.

    Raises ``sqlite3.DatabaseError`` for a file that is not a database.
    """
    if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        return "damaged (integrity check failed)"
    version = _version(db)
    if version is None:
        return "not a cache of this tool (unknown tables)"
    if version > SCHEMA_VERSION:
        return f"schema version {version}, newer than this tool's {SCHEMA_VERSION}"
    if version < SCHEMA_VERSION:  # new or older: the only case that writes at opening
        with db:
            db.executescript(_SCHEMA)
            for step in range(max(version, 1), SCHEMA_VERSION):
                db.execute(_MIGRATIONS[step])
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    for table, columns in _TABLES.items():
        found = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
        if found != columns:
            return f"not a cache of this tool (table {table} has columns {', '.join(found)})"
    return None


def _version(db: sqlite3.Connection) -> int | None:
    """The file's schema version: 0 for an empty file, ``None`` for a foreign one."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version:
        return version
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return 0
    if "meta" in tables:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is not None and str(row[0]).isdigit():
            return int(row[0])
    return None


def set_aside(path: Path, now: t.Callable[[], float] = time.time) -> Path:
    """Rename a broken database (and its WAL) to ``NAME.corrupt-<UTC time>``; the path.

    Kept, not deleted: it may be worth a look, and it is the user's file.
    """
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now()))
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    with contextlib.suppress(FileNotFoundError):
        os.replace(path, aside)
    with contextlib.suppress(FileNotFoundError):
        os.replace(f"{path}-wal", f"{aside}-wal")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(f"{path}-shm")
    return aside
