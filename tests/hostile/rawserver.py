"""A loopback HTTP server that misbehaves on purpose, one handler per path.

Each handler gets the parsed request and the raw socket and writes whatever bytes it
likes: a garbage status line, a body that never ends, one byte a second. Every request
is recorded (address, port, method, path, headers), so a test can say which origin saw
which credential. One server may listen on several (address, port) pairs, each a
distinct origin.
"""

from __future__ import annotations

import dataclasses
import socket
import socketserver
import threading
import typing as t


@dataclasses.dataclass(frozen=True)
class Request:
    host: str
    port: int
    method: str
    path: str
    headers: dict[str, str]

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"


Handler = t.Callable[[Request, socket.socket], None]


def respond(
    sock: socket.socket,
    status: int | str,
    body: bytes = b"",
    headers: t.Mapping[str, str] | None = None,
    *,
    method: str = "GET",
) -> None:
    """Write one complete answer (``status`` may be a whole odd status line)."""
    line = status if isinstance(status, str) else f"HTTP/1.1 {status} X"
    head = {"Content-Length": str(len(body)), "Connection": "close", **(headers or {})}
    raw = line + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()) + "\r\n"
    sock.sendall(raw.encode("latin-1") + (b"" if method == "HEAD" else body))


class RawServer:
    """Threaded server on ``(address, port)`` pairs; ``routes`` maps a path to a handler."""

    def __init__(self, addresses: t.Sequence[str] = ("127.0.0.1",), ports: int = 1) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._servers: list[socketserver.ThreadingTCPServer] = []
        self._threads: list[threading.Thread] = []
        self.origins: list[str] = []
        for address in addresses:
            for _ in range(ports):
                self._listen(address)

    def _listen(self, address: str) -> None:
        outer = self

        class _Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._serve(self.request, self.server.server_address)  # type: ignore[arg-type]

        server = socketserver.ThreadingTCPServer((address, 0), _Handler, bind_and_activate=False)
        server.daemon_threads = True
        server.allow_reuse_address = True
        # socketserver listens with a backlog of 5: a crawl opening more connections at
        # once has a SYN dropped and waits the kernel's 1 s retransmission timeout.
        server.request_queue_size = 128
        server.server_bind()
        server.server_activate()
        self._servers.append(server)
        host, port = server.server_address[:2]
        self.origins.append(f"http://{host}:{port}")

    def url(self, path: str, origin: int = 0) -> str:
        return f"{self.origins[origin]}{path}"

    def start(self) -> RawServer:
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, args=(0.005,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> RawServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def seen(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _serve(self, sock: socket.socket, address: tuple[str, int]) -> None:
        sock.settimeout(5)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                data += chunk
        except OSError:
            return
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        method, path, _ = (head[0].split(" ", 2) + ["", ""])[:3]
        headers = {
            k.strip().lower(): v.strip() for k, v in (x.split(":", 1) for x in head[1:] if ":" in x)
        }
        request = Request(address[0], address[1], method, path, headers)
        with self._lock:
            self.requests.append(request)
        handler = self.routes.get(path.split("?", 1)[0])
        try:
            if handler is None:
                respond(sock, 404, b"no route", method=method)
            else:
                handler(request, sock)
        except OSError:
            pass  # the client gave up: expected for slow or endless answers
