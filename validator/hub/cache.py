"""ETag revalidation cache for Hub responses, one SQLite table.

A nightly run asks the Hub the same ~60 questions every time and the answers rarely
change. The API's JSON answers carry a weak ``ETag`` and ``config.json`` carries its git
blob sha as ``ETag`` (reference §2.2), so each repeat request sends ``If-None-Match`` and
a ``304`` costs no body. Only ``200`` answers are stored; errors are always asked again.

The table is ours alone (``hub_etags``) in a file next to the crawler's cache, keyed by
URL and by whether a token was sent: a gated repo answers differently with and without
one. A table of another shape (an older version's) is dropped and made afresh. A file
that is not a database or is damaged is moved aside (``hub.sqlite3.corrupt-<time>``)
with a one-line warning and rebuilt; one that fails during the run is moved aside for
the next, and a lock held longer than ``lock_wait`` turns the cache off for the run:
either costs revalidation, never the check.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
import threading
import time
import typing as t
from pathlib import Path

from validator.http.cache import DEFAULT_LOCK_WAIT, is_locked, set_aside, warn_stderr

_COLUMNS = ("url", "auth", "etag", "body", "headers", "stored_at")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS hub_etags (
    url TEXT NOT NULL,
    auth INTEGER NOT NULL,
    etag TEXT NOT NULL,
    body BLOB NOT NULL,
    headers TEXT NOT NULL DEFAULT '',
    stored_at REAL NOT NULL,
    PRIMARY KEY (url, auth)
)
"""


@dataclasses.dataclass(frozen=True)
class CachedResponse:
    """A stored ``200``: its validator, body and the few headers we re-read."""

    etag: str
    body: bytes
    link: str = ""
    """The ``Link`` header (commit-list pagination must survive a 304)."""


class EtagCache:
    """A tiny thread-safe key/value store over SQLite."""

    def __init__(
        self,
        path: Path,
        *,
        lock_wait: float = DEFAULT_LOCK_WAIT,
        warn: t.Callable[[str], None] | None = None,
    ) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._warn = warn or warn_stderr
        self.lock_wait = lock_wait
        self.broken: str | None = None
        """Why the cache turned itself off during the run (``None`` while it works)."""
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and is_locked(exc):
                self._db = sqlite3.connect(":memory:", check_same_thread=False)
                self._off(f"the Hub cache {path} is locked by another process: not used")
                return
            aside = set_aside(path)
            self._warn(f"the Hub cache {path} is not a usable database ({exc}): "
                       f"moved aside to {aside.name}, rebuilt")  # fmt: skip
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        # check_same_thread=False: anyio may resume us on another worker thread; the
        # lock above serialises access instead.
        db = sqlite3.connect(str(self.path), timeout=self.lock_wait, check_same_thread=False)
        try:
            with contextlib.suppress(sqlite3.OperationalError):
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # as validator.http.cache: no fsync per put
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            columns = tuple(row[1] for row in db.execute("PRAGMA table_info(hub_etags)"))
            if columns != _COLUMNS:
                with db:
                    if columns:
                        db.execute("DROP TABLE hub_etags")  # an older layout: start afresh
                    db.execute(_SCHEMA)
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _off(self, why: str) -> None:
        self.broken = why
        self._warn(why)

    def _failed(self, exc: sqlite3.Error) -> None:
        """Off for the rest of the run; a damaged file is moved aside for the next."""
        with contextlib.suppress(sqlite3.Error):
            self._db.rollback()
        if isinstance(exc, sqlite3.OperationalError) and is_locked(exc):
            self._off(f"the Hub cache {self.path} is locked by another process: not used")
            return
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        aside = set_aside(self.path)
        self._off(f"the Hub cache {self.path} is damaged ({exc}): moved aside to {aside.name}")
        self._db = sqlite3.connect(":memory:", check_same_thread=False)

    def get(self, url: str, auth: bool) -> CachedResponse | None:
        """The stored answer for ``url``, if any (none once the file has failed)."""
        with self._lock:
            if self.broken:
                return None
            try:
                row = self._db.execute(
                    "SELECT etag, body, headers FROM hub_etags WHERE url = ? AND auth = ?",
                    (url, int(auth)),
                ).fetchone()
            except sqlite3.Error as exc:
                self._failed(exc)
                return None
        if row is None:
            return None
        return CachedResponse(etag=str(row[0]), body=bytes(row[1]), link=str(row[2] or ""))

    def put(self, url: str, auth: bool, response: CachedResponse) -> None:
        """Store (or replace) the answer for ``url``; a failing file is left alone."""
        with self._lock:
            if self.broken:
                return
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO hub_etags"
                    " (url, auth, etag, body, headers, stored_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (url, int(auth), response.etag, response.body, response.link, time.time()),
                )
                self._db.commit()
            except sqlite3.Error as exc:
                self._failed(exc)

    def close(self) -> None:
        """Close the database (idempotent)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> EtagCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
