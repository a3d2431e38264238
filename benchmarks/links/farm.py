"""A loopback link farm: many "hosts" (127.0.0.x), fixed latency, known faults.

Run as a child process by ``bench.py``. A raw asyncio protocol keeps the server cheap
enough that it is not the bottleneck, and the plain ``/ok/N`` answer (all of the scale
runs) is prepared once. At zero latency the farm and the checker share the machine's
cores, so every tool faces the same farm and pays the same for it. Paths encode the
behaviour, so the truth for every URL is known in advance:

``/ok/N`` 200 page; ``/dead/N`` 404; ``/gone/N`` 410; ``/perm/N`` 301 -> ``/ok/N``;
``/temp/N`` 302 -> ``/ok/N``; ``/flaky/N`` 503 once, then 200; ``/limit/N`` 429 with
``Retry-After: 1`` once, then 200; ``/nohead/N`` 405 to HEAD; ``/hang/N`` never answers;
``/frag/N#intro`` and ``/frag/N#missing``: a page with ``id="intro"`` only;
``/loop/N`` 302 -> ``/loop/N?b`` 302 -> ``/loop/N``; ``/headlie/N`` 404 to HEAD, 200
to GET; ``/huge/N`` a 10 GiB body (streamed zeros until the client hangs up).
Hosts are ``plan.host_ip(i)``: 127.0.0.10 up, then 127.0.1.10 up (all of 127/8 is
loopback), so a thousand hosts need no extra setup.
``GET /__stats`` on any host returns per-host max in-flight and request counts as JSON;
``GET /__reset`` clears them.
"""

from __future__ import annotations

import asyncio
import collections
import json
import sys

from plan import host_ip

HUGE = 10 << 30
ZEROS = memoryview(bytes(256 * 1024))
PAGE = b'<!doctype html><html><body><h2 id="intro">Intro</h2><p>hello</p></body></html>'
OK_HEAD = b"HTTP/1.1 200 X\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE)
OK_GET = OK_HEAD + PAGE
"""The answer to ``/ok/N``, built once: the same bytes ``write`` would build each time."""


class Farm:
    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.in_flight: collections.Counter[str] = collections.Counter()
        self.max_in_flight: collections.Counter[str] = collections.Counter()
        self.requests: collections.Counter[str] = collections.Counter()
        self.seen: collections.Counter[str] = collections.Counter()


class Handler(asyncio.Protocol):
    def __init__(self, farm: Farm) -> None:
        self.farm = farm
        self.buf = b""
        self.transport: asyncio.Transport | None = None
        self.host = ""
        self.hanging = 0
        self.streaming = 0  # bytes of a huge body still to send
        self.paused = False

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        self.stream()

    def stream(self) -> None:
        while self.streaming and not self.paused and self.transport is not None:
            if self.transport.is_closing():
                self.streaming = 0
                return
            chunk = ZEROS[: min(len(ZEROS), self.streaming)]
            self.streaming -= len(chunk)
            self.transport.write(chunk)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.host = transport.get_extra_info("sockname")[0]

    def connection_lost(self, exc: Exception | None) -> None:
        self.farm.in_flight[self.host] -= self.hanging
        self.hanging = 0
        self.streaming = 0

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while b"\r\n\r\n" in self.buf:
            head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            method, path, _ = line.split(" ", 2)
            self.request(method, path)

    def request(self, method: str, path: str) -> None:
        farm = self.farm
        if path.startswith("/__stats"):
            body = json.dumps(
                {"max_in_flight": farm.max_in_flight, "requests": farm.requests}
            ).encode()
            self.write(200, body, {}, method)
            return
        if path.startswith("/__reset"):
            farm.max_in_flight.clear()
            farm.requests.clear()
            farm.seen.clear()
            self.write(200, b"ok", {}, method)
            return
        host = self.host
        farm.in_flight[host] += 1
        farm.requests[host] += 1
        farm.max_in_flight[host] = max(farm.max_in_flight[host], farm.in_flight[host])
        kind = path.split("/")[1] if path.count("/") >= 2 else "ok"
        if kind == "ok":  # most of every run: one prepared answer, nothing to decide
            if farm.latency:
                asyncio.get_running_loop().call_later(farm.latency, self.respond_ok, method, host)
            else:
                self.respond_ok(method, host)
            return
        key = f"{host}{path}"
        farm.seen[key] += 1
        if kind == "hang":
            self.hanging += 1  # never answers; counted until the client hangs up
            return
        status, headers, body = 200, {}, PAGE
        if kind == "dead":
            status, body = 404, b"not found"
        elif kind == "gone":
            status, body = 410, b"gone"
        elif kind == "perm":
            status, body, headers = 301, b"", {"Location": path.replace("/perm/", "/ok/")}
        elif kind == "temp":
            status, body, headers = 302, b"", {"Location": path.replace("/temp/", "/ok/")}
        elif kind == "flaky" and farm.seen[key] == 1:
            status, body = 503, b"busy"
        elif kind == "limit" and farm.seen[key] == 1:
            status, body, headers = 429, b"slow down", {"Retry-After": "1"}
        elif kind == "nohead" and method == "HEAD":
            status, body = 405, b""
        elif kind == "headlie" and method == "HEAD":
            status, body = 404, b""
        elif kind == "loop":
            there = path.split("?")[0] + ("" if path.endswith("?b") else "?b")
            status, body, headers = 302, b"", {"Location": there}
        elif kind == "huge":
            status, body = 200, b""
            headers = {"Content-Type": "application/octet-stream", "Content-Length": str(HUGE)}
        loop = asyncio.get_running_loop()
        if farm.latency:
            loop.call_later(farm.latency, self.respond, status, body, headers, method, host)
        else:
            self.respond(status, body, headers, method, host)

    def respond_ok(self, method: str, host: str) -> None:
        self.farm.in_flight[host] -= 1
        if self.transport is not None and not self.transport.is_closing() and not self.streaming:
            self.transport.write(OK_HEAD if method == "HEAD" else OK_GET)

    def respond(
        self, status: int, body: bytes, headers: dict[str, str], method: str, host: str
    ) -> None:
        self.farm.in_flight[host] -= 1
        self.write(status, body, headers, method)
        if headers.get("Content-Length") == str(HUGE) and method != "HEAD":
            self.streaming = HUGE
            self.stream()

    def write(self, status: int, body: bytes, headers: dict[str, str], method: str) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        hdrs = {"Content-Type": "text/html", "Content-Length": str(len(body)), **headers}
        if self.streaming:
            return  # a huge body is still going out on this connection
        head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
        self.transport.write(head.encode() + b"\r\n" + (b"" if method == "HEAD" else body))


async def serve(hosts: list[str], port: int, latency: float, ready: str) -> None:
    farm = Farm(latency)
    loop = asyncio.get_running_loop()
    servers = [
        await loop.create_server(lambda: Handler(farm), host, port, backlog=4096) for host in hosts
    ]
    with open(ready, "w") as fh:
        fh.write("ready")
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    n_hosts, port, latency, ready = (
        int(sys.argv[1]),
        int(sys.argv[2]),
        float(sys.argv[3]),
        sys.argv[4],
    )
    host_list = ["127.0.0.1"] + [host_ip(i) for i in range(n_hosts)]
    asyncio.run(serve(host_list, port, latency, ready))
