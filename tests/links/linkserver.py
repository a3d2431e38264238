"""A small real HTTP/1.1 server on several loopback addresses, for integration tests.

One asyncio loop in a background thread listens on 127.0.0.2, .3 and .4 (all loopback
on Linux) at one port, so each address is a distinct "host". Routes cover every case
the crawl must handle; counters let tests assert what was requested.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import threading
import typing as t
import zlib

HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4")
PAGE = (
    b'<!doctype html><html><body><h2 id="intro">Intro</h2>'
    b'<a id="user-content-install" href="#install">Install</a>'
    b"<a name='legacy'></a></body></html>"
)


@functools.cache
def bomb() -> bytes:
    """64 MiB of HTML in 64 KiB of gzip: built on first use, not at import. zlib's
    run-length strategy finds the one long run in 0.2 s of CPU (level 9: 0.46 s)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS, 9, zlib.Z_RLE)
    return packer.compress(b"<html>" + b" " * (64 << 20)) + packer.flush()


class Server:
    """Routes by path; ``self.port`` is shared by every host."""

    def __init__(self) -> None:
        self.port = 0
        self.hits: collections.Counter[str] = collections.Counter()
        self.connections: collections.Counter[str] = collections.Counter()
        """TCP connections accepted, per host address (keep-alive reuse shows here)."""
        self.methods: list[tuple[str, str, str]] = []
        self.headers_seen: dict[str, dict[str, str]] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.huge_bytes_sent = 0
        self.loop = asyncio.new_event_loop()
        self._servers: list[asyncio.base_events.Server] = []
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Server:
        self._thread.start()
        self._ready.wait(5)
        return self

    def stop(self) -> None:
        async def close() -> None:
            for s in self._servers:
                s.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()

    def url(self, host: int, path: str) -> str:
        return f"http://{HOSTS[host]}:{self.port}{path}"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def listen() -> None:
            first = await asyncio.start_server(self._handle, HOSTS[0], 0)
            self.port = first.sockets[0].getsockname()[1]
            self._servers.append(first)
            for host in HOSTS[1:]:
                self._servers.append(await asyncio.start_server(self._handle, host, self.port))

        self.loop.run_until_complete(listen())
        self._ready.set()
        self.loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        self.connections[host] += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {
                    k.strip().lower(): v.strip()
                    for k, v in (x.split(":", 1) for x in lines[1:] if ":" in x)
                }
                key = f"{host}{path}"
                self.hits[key] += 1
                self.methods.append((method, host, path))
                self.headers_seen[key] = headers
                keep = await self._route(method, host, path, headers, writer)
                if not keep:
                    break
        except (
            asyncio.IncompleteReadError,
            ConnectionError,
            asyncio.LimitOverrunError,
            asyncio.CancelledError,
        ):
            pass
        finally:
            writer.close()

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        method: str,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> bool:
        hdrs = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))}
        hdrs.update(headers or {})
        out = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
        writer.write(out.encode() + b"\r\n" + (b"" if method == "HEAD" else body))
        await writer.drain()
        return True

    async def _route(
        self, method: str, host: str, path: str, headers: dict[str, str], w: t.Any
    ) -> bool:
        base = f"http://{host}:{self.port}"
        n = self.hits[f"{host}{path}"]
        path = path.split("?", 1)[0]
        if path in ("/ok", "/"):
            return await self._send(w, method, 200, PAGE)
        if path == "/missing":
            return await self._send(w, method, 404, b"no")
        if path == "/gone":
            return await self._send(w, method, 410, b"gone")
        if path == "/r301":
            return await self._send(w, method, 301, headers={"Location": "/r308"})
        if path == "/r308":
            return await self._send(w, method, 308, headers={"Location": f"{base}/ok"})
        if path == "/r302":
            return await self._send(w, method, 302, headers={"Location": "/ok"})
        if path == "/r301-dead":
            return await self._send(w, method, 301, headers={"Location": "/missing"})
        if path == "/loop-a":
            return await self._send(w, method, 302, headers={"Location": "/loop-b"})
        if path == "/loop-b":
            return await self._send(w, method, 302, headers={"Location": "/loop-a"})
        if path == "/ratelimited":
            if n == 1:
                return await self._send(w, method, 429, headers={"Retry-After": "1"})
            return await self._send(w, method, 200, PAGE)
        if path == "/flaky":
            if n == 1:
                return await self._send(w, method, 503)
            return await self._send(w, method, 200, PAGE)
        if path == "/hang":
            await asyncio.sleep(3600)
            return False
        if path == "/nohead":
            if method == "HEAD":
                return await self._send(w, method, 405)
            return await self._send(w, method, 200, PAGE)
        if path == "/forbidden":
            return await self._send(w, method, 403, headers={"cf-mitigated": "challenge"})
        if path == "/huge":
            w.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10737418240\r\n\r\n"
            )
            if method == "HEAD":
                return True
            chunk = b"<p>" + b"x" * 65533
            for _ in range(160):  # at most 10 MiB, far beyond the cap
                w.write(chunk)
                self.huge_bytes_sent += len(chunk)
                await w.drain()
            return False
        if path == "/bomb":
            return await self._send(
                w, method, 200, bomb(), {"Content-Encoding": "gzip", "Content-Type": "text/html"}
            )
        if path == "/to-private":
            return await self._send(
                w, method, 302, headers={"Location": f"http://127.0.0.9:{self.port}/ok"}
            )
        if path == "/auth-hop":
            other = f"http://{HOSTS[1]}:{self.port}/echo"
            return await self._send(w, method, 302, headers={"Location": other})
        if path == "/echo":
            return await self._send(w, method, 200, PAGE)
        if path.startswith("/count"):
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                await asyncio.sleep(0.05)
            finally:
                self.in_flight -= 1
            return await self._send(w, method, 200, PAGE)
        return await self._send(w, method, 404, b"unknown route")
