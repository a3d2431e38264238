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
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
import time
import typing as t
from pathlib import Path

SCHEMA_VERSION = 1
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
    """A SQLite cache file; use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=10.0)
        with contextlib.suppress(sqlite3.DatabaseError):
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._db.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
        )
        self._db.commit()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    # -- links -----------------------------------------------------------------------

    def load_links(self, urls: t.Iterable[str]) -> dict[str, LinkRecord]:
        """The records of ``urls`` that exist (one query per 500 URLs)."""
        wanted = list(dict.fromkeys(urls))
        out: dict[str, LinkRecord] = {}
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
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO links (url, verdict, result, checked_at, first_failed, "
                "consecutive_failures) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    # -- generic key/value -------------------------------------------------------------

    def get(self, namespace: str, key: str, *, ttl: float | None = None) -> t.Any | None:
        """The JSON value stored under ``(namespace, key)``, if younger than ``ttl``."""
        row = self._db.execute(
            "SELECT value, stored_at FROM kv WHERE namespace = ? AND key = ?", (namespace, key)
        ).fetchone()
        if row is None or (ttl is not None and time.time() - row[1] > ttl):
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None

    def put(self, namespace: str, key: str, value: t.Any) -> None:
        """Store a JSON-compatible value under ``(namespace, key)``."""
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO kv (namespace, key, value, stored_at) VALUES (?, ?, ?, ?)",
                (namespace, key, json.dumps(value, separators=(",", ":")), time.time()),
            )
