"""``--fix`` edits files faithfully and atomically, and skips what it cannot write."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.hostile.rawserver import RawServer, Request, respond
from validator import textfile
from validator.cli import main
from validator.findings import Finding
from validator.hub.fix import apply_hub_fixes
from validator.textfile import FileSkipped, TextFile, split_lines

FAST = ["--allow-private", "--no-cache", "--max-retries", "0", "--host-interval", "0"]


def _serve_redirects(server: RawServer, count: int) -> None:
    def old(request: Request, sock: socket.socket) -> None:
        number = request.path.rsplit("/", 1)[1]
        respond(sock, 301, headers={"Location": f"/new/{number}"}, method=request.method)

    def new(request: Request, sock: socket.socket) -> None:
        respond(sock, 200, b"ok", {"Content-Type": "text/plain"}, method=request.method)

    for i in range(count):
        server.routes[f"/old/{i}"] = old
        server.routes[f"/new/{i}"] = new


def _entry(url: str, newline: str = "\n", bom: bool = False, pad: int = 0) -> bytes:
    lines = ["# a comment that must stay", "id: m", "kind: eval", "name: M"]
    lines += [f"# padding {i:06d} " + "x" * 60 for i in range(pad)]
    lines += [f"url: {url}  # why", "notes: 'caf\u00e9 \u2013 kept'"]
    text = newline.join(lines) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


@pytest.fixture
def server() -> RawServer:
    srv = RawServer().start()
    _serve_redirects(srv, 8)
    yield srv  # type: ignore[misc]
    srv.stop()


@pytest.mark.parametrize(
    ("newline", "bom"), [("\r\n", False), ("\n", True), ("\r\n", True)], ids=["crlf", "bom", "both"]
)
def test_fix_keeps_line_endings_and_encoding_byte_for_byte(
    server: RawServer, tmp_path: Path, newline: str, bom: bool
) -> None:
    old, new = server.url("/old/1"), server.url("/new/1")
    entry = tmp_path / "m.yaml"
    entry.write_bytes(_entry(old, newline, bom, pad=3))
    entry.chmod(0o640)
    result = CliRunner().invoke(main, ["links", str(entry), *FAST, "--fix"])
    assert result.exit_code == 0, result.output
    assert entry.read_bytes() == _entry(new, newline, bom, pad=3)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o640
    assert not list(tmp_path.glob(f"*{textfile.TEMP_SUFFIX}"))


def test_split_lines_counts_breaks_as_yaml_does() -> None:
    assert split_lines("a\r\nb\rc\nd\x0ce\u2028f") == ["a\r\n", "b\r", "c\n", "d\x0ce\u2028", "f"]


def test_unwritable_files_are_one_line_each_and_the_rest_is_fixed(
    server: RawServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read-only, vanished, changed since read and a full disk: each skipped in one line,
    every other file fixed, the report written."""
    files = [tmp_path / f"e{i}.yaml" for i in range(5)]
    for i, path in enumerate(files):
        path.write_bytes(_entry(server.url(f"/old/{i}")))
    files[0].chmod(0o444)  # read-only (refused by mode, so also when running as root)
    before = {p: p.read_bytes() for p in files}
    real_read = TextFile.read.__func__  # type: ignore[attr-defined]

    def read(cls: type[TextFile], path: Path) -> TextFile:
        if path.name == "e1.yaml":
            path.unlink()  # vanished after the crawl
        if path.name == "e2.yaml":
            path.write_bytes(path.read_bytes() + b"# edited meanwhile\n")
        return real_read(cls, path)  # type: ignore[no-any-return]

    real_write = textfile._write

    def full_disk(fd: int, data: memoryview) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").split("/")[-1].startswith(".e3.yaml"):
            real_write(fd, data[:100])  # a partial write, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(TextFile, "read", classmethod(read))
    monkeypatch.setattr(textfile, "_write", full_disk)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        main, ["links", *map(str, files), *FAST, "--fix", "--output", f"json:{report}"]
    )
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    messages = {
        "e0.yaml": "the file is read-only",
        "e1.yaml": "vanished since it was read",
        "e2.yaml": "changed on disk since it was read",
        "e3.yaml": "cannot write: No space left on device",
    }
    lines = result.stderr.splitlines()
    for name, reason in messages.items():
        assert sum(name in line and reason in line for line in lines) == 1, result.stderr
    assert files[0].read_bytes() == before[files[0]]
    assert not files[1].exists()
    assert files[2].read_bytes() == before[files[2]] + b"# edited meanwhile\n"
    assert files[3].read_bytes() == before[files[3]]  # not truncated
    assert files[4].read_bytes() == _entry(server.url("/new/4"))
    assert not list(tmp_path.glob(f"*{textfile.TEMP_SUFFIX}"))
    assert json.loads(report.read_text())["summary"]


def test_hub_fix_keeps_crlf_and_skips_a_read_only_file(tmp_path: Path) -> None:
    good, locked = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for path in (good, locked):
        path.write_bytes(b"id: a\r\nparams_b: 7\r\n")
    locked.chmod(0o444)

    def finding(path: Path) -> Finding:
        return Finding(
            rule="hub-params-mismatch", message="m", file=str(path),
            line=2, column=1, evidence={"fix": {"old": 7, "new": 6.7}},
        )  # fmt: skip

    lines = apply_hub_fixes([finding(good), finding(locked)], {"hub-params-mismatch"})
    assert good.read_bytes() == b"id: a\r\nparams_b: 6.7\r\n"
    assert locked.read_bytes() == b"id: a\r\nparams_b: 7\r\n"
    assert f"{locked}: skipped, the file is read-only" in lines


def test_replace_refuses_a_file_changed_after_reading(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"one\r\n")
    source = TextFile.read(path)
    path.write_bytes(b"two\r\n")
    with pytest.raises(FileSkipped, match="changed on disk"):
        source.replace("three\r\n")
    assert path.read_bytes() == b"two\r\n"
    assert not list(tmp_path.glob(f"*{textfile.TEMP_SUFFIX}"))


def test_replace_in_an_unwritable_folder_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"one\n")
    source = TextFile.read(path)

    def refuse(*_a: object, **_k: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(textfile.tempfile, "mkstemp", refuse)
    with pytest.raises(FileSkipped, match="^cannot write in its folder: Permission denied$"):
        source.replace("two\n")
    assert path.read_bytes() == b"one\n"
