"""The caches heal: corrupt, truncated, scribbled, foreign or newer files are moved
aside and rebuilt with one warning; an older schema is migrated; a lock held by
another connection is waited for within a bound and then skipped, results kept."""

from __future__ import annotations

import random
import socket
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.hostile.rawserver import RawServer, Request, respond
from validator.cli import main
from validator.http.cache import SCHEMA_VERSION, Cache, LinkRecord
from validator.hub.cache import CachedResponse, EtagCache


def _healthy(path: Path, rows: int = 400) -> None:
    with Cache(path) as cache:
        cache.save_links(
            LinkRecord(f"https://e.example/{i}", "ok", {"verdict": "ok", "pad": "x" * 200}, 1.0)
            for i in range(rows)
        )
    db = sqlite3.connect(path)  # fold the WAL into the main file, as a finished run does
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(50_000))


def _truncated(path: Path) -> None:
    _healthy(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _scribbled(path: Path) -> None:
    _healthy(path)
    data = bytearray(path.read_bytes())
    rng = random.Random(2)
    for page in range(1, len(data) // 4096):  # every page but the header's
        start = page * 4096 + 100
        data[start : start + 200] = rng.randbytes(200)
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE photos (id INTEGER, jpeg BLOB)")
    db.commit()
    db.close()


def _newer(path: Path) -> None:
    _healthy(path)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 7}")
    db.close()


def _wrong_columns(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE links (url TEXT)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.close()


DAMAGE = {
    "random-bytes": _random_bytes,
    "truncated": _truncated,
    "scribbled-pages": _scribbled,
    "foreign-database": _foreign,
    "newer-schema": _newer,
    "wrong-columns": _wrong_columns,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_broken_cache_is_moved_aside_and_rebuilt(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "cache.sqlite3"
    DAMAGE[damage](path)
    before = path.read_bytes()
    warnings: list[str] = []
    with Cache(path, warn=warnings.append) as cache:
        cache.load_links(["https://e.example/1"])
        cache.save_links([LinkRecord("https://new.example/", "ok", {"verdict": "ok"}, 2.0)])
        assert set(cache.load_links(["https://new.example/"])) == {"https://new.example/"}
    assert len(warnings) == 1 and "\n" not in warnings[0], warnings
    assert (
        f"the cache {path} is" in warnings[0]
        and "moved aside to cache.sqlite3.corrupt-" in (warnings[0])
    )
    aside = list(tmp_path.glob("cache.sqlite3.corrupt-*"))
    assert [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
    if damage in ("random-bytes", "truncated", "scribbled-pages"):
        assert any(p.read_bytes() == before for p in aside)  # kept, byte for byte
    else:  # a readable database: SQLite may have rewritten its header (WAL mode)
        assert any(p.stat().st_size >= len(before) // 2 for p in aside)
    with Cache(path, warn=warnings.append):
        pass
    assert len(warnings) == 1  # the rebuilt file is healthy


def test_version_1_cache_is_migrated_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    db = sqlite3.connect(path)  # exactly what version 1 of the tool wrote
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE links (url TEXT PRIMARY KEY, verdict TEXT NOT NULL, result TEXT NOT NULL,"
        " checked_at REAL NOT NULL, first_failed REAL,"
        " consecutive_failures INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE kv (namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
        " stored_at REAL NOT NULL, PRIMARY KEY (namespace, key));"
        "INSERT INTO meta VALUES ('schema', '1');"
        "INSERT INTO links VALUES"
        " ('https://a.example/', 'ok', '{\"verdict\": \"ok\"}', 5, NULL, 0);"
    )
    db.commit()
    db.close()
    warnings: list[str] = []
    with Cache(path, warn=warnings.append) as cache:
        assert cache.load_links(["https://a.example/"])["https://a.example/"].checked_at == 5
    assert warnings == []
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT count(*) FROM meta WHERE key = 'schema'").fetchone()[0] == 0


def test_a_lock_held_elsewhere_skips_the_update_and_keeps_the_results(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    _healthy(path, rows=1)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of its save
    try:
        warnings: list[str] = []
        with Cache(path, lock_wait=0.05, warn=warnings.append) as cache:
            assert cache.load_links(["https://e.example/0"])  # WAL: readers still read
            cache.save_links([LinkRecord("https://b.example/", "ok", {"verdict": "ok"}, 2.0)])
            cache.put("runs", "links", [1])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(warnings) == 1, warnings
    assert "locked by another process: the update skipped after 0.05 s" in warnings[0]
    assert not list(tmp_path.glob("*.corrupt-*"))  # a lock is not damage


@pytest.mark.parametrize("damage", ["random-bytes", "truncated", "scribbled-pages"])
def test_links_command_heals_a_corrupt_cache_and_reports(tmp_path: Path, damage: str) -> None:
    """Before: exit 2 on every later run until someone deleted the file."""
    server = RawServer().start()

    def ok(request: Request, sock: socket.socket) -> None:
        respond(sock, 404, b"gone", method=request.method)

    server.routes["/page"] = ok
    try:
        path = tmp_path / "cache.sqlite3"
        DAMAGE[damage](path)
        urls = tmp_path / "urls.txt"
        urls.write_text(server.url("/page") + "\n")
        args = [
            "links",
            str(urls),
            "--allow-private",
            "--cache-path",
            str(path),
            "--format",
            "json",
        ]
        result = CliRunner().invoke(main, [*args, "--max-retries", "0"])
        assert result.exit_code == 1, result.output  # the dead link, reported
        assert '"link-dead"' in result.stdout
        lines = [line for line in result.stderr.splitlines() if "cache" in line]
        assert len(lines) == 1 and "moved aside" in lines[0], result.stderr
        again = CliRunner().invoke(main, [*args, "--max-retries", "0"])
        assert again.exit_code == 1 and "cache" not in again.stderr
    finally:
        server.stop()


@pytest.mark.parametrize("damage", ["random-bytes", "truncated", "scribbled-pages"])
def test_hub_cache_heals(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "hub.sqlite3"
    if damage == "random-bytes":
        _random_bytes(path)
    else:
        cache = EtagCache(path)
        for i in range(300):
            cache.put(f"https://hub.example/{i}", False, CachedResponse("e", b"x" * 300))
        cache.close()
        db = sqlite3.connect(path)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        data = bytearray(path.read_bytes())
        if damage == "truncated":
            data = data[: len(data) // 3]
        else:
            for page in range(1, len(data) // 4096):
                data[page * 4096 + 100 : page * 4096 + 300] = random.Random(page).randbytes(200)
        path.write_bytes(bytes(data))
    warnings: list[str] = []
    with EtagCache(path, warn=warnings.append) as cache:
        cache.put("https://hub.example/a", True, CachedResponse("e1", b"{}"))
        assert cache.get("https://hub.example/a", True) == CachedResponse("e1", b"{}")
        assert cache.broken is None
    assert len(warnings) == 1 and "moved aside to hub.sqlite3.corrupt-" in warnings[0]


def test_validate_online_heals_a_corrupt_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: a traceback."""
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    _random_bytes(cache_dir / "cache.sqlite3")
    monkeypatch.setenv("VALIDATOR_CACHE_DIR", str(cache_dir))
    entry = Path(__file__).parents[1] / "examples" / "positive"
    result = CliRunner().invoke(
        main, ["validate", "--online", "--no-hub", str(entry), "--max-retries", "0"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 3, result.output  # nothing reachable from the tests
    assert "moved aside to cache.sqlite3.corrupt-" in result.stderr
