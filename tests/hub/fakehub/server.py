"""A fake Hugging Face Hub on loopback, serving recorded-shape answers from fixtures.

The tests point ``HF_ENDPOINT`` (or ``HubSettings.endpoint``) at it. It answers the
four routes the cross-check uses, the way the real Hub does according to
``../shared/reference/huggingface-hub-api.md``:

* ``GET /api/{models|datasets}/{id}``: the card metadata (§1.2, §5.1), weak ``ETag``,
  ``RateLimit``/``RateLimit-Policy`` for the ``api`` bucket (§2.4);
* ``GET /api/{models|datasets}/{id}/commits/main``: newest first, ``Link: rel="next"``
  pagination (§2.1);
* ``GET /{id}/resolve/main/config.json``: the file, ``ETag`` = git blob sha1 (§2.2);
* errors with ``X-Error-Code``/``X-Error-Message`` and a JSON ``{"error": ...}`` body
  (§1.4), ``307`` with a *relative* ``Location`` for renamed repos (§1.5), ``304`` on a
  matching ``If-None-Match``.

Each repo is one JSON file in ``fixtures/repos/``; its optional ``plant`` object turns on
a behaviour (gated, missing-401, missing-404, disabled, 429-once, 429-always, renamed).
See ``fixtures/README.md``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import http.server
import json
import re
import threading
import typing as t
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "repos"
PAGE_SIZE = 2
"""Small on purpose, so every multi-commit fixture exercises Link pagination."""
APPROVED_TOKEN = "hf_fake_approved"
"""A token the fake Hub treats as having accepted every gated repo's terms."""


@dataclasses.dataclass
class Repo:
    """One fixture file."""

    id: str
    kind: str
    info: dict[str, t.Any] | None
    config: dict[str, t.Any] | None
    commits: list[dict[str, t.Any]]
    plant: dict[str, t.Any]

    @classmethod
    def load(cls, path: Path) -> Repo:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            id=data["id"],
            kind=data.get("kind", "model"),
            info=data.get("info"),
            config=data.get("config"),
            commits=data.get("commits", []),
            plant=data.get("plant", {}),
        )


@dataclasses.dataclass
class Seen:
    """One request as the fake Hub received it."""

    method: str
    path: str
    headers: dict[str, str]


def load_repos(folder: Path = FIXTURES) -> dict[tuple[str, str], Repo]:
    """All fixture repos keyed by (kind, lower-cased id)."""
    repos = {}
    for path in sorted(folder.glob("*.json")):
        repo = Repo.load(path)
        repos[(repo.kind, repo.id.lower())] = repo
    return repos


def _blob_sha1(body: bytes) -> str:
    # git's blob id: what the Hub sends as ETag for non-LFS files (reference §2.2)
    return hashlib.sha1(b"blob %d\0" % len(body) + body).hexdigest()


def _weak_etag(body: bytes) -> str:
    # shaped like the recorded W/"1144-0lLZ4rZ6fR3gbhjw06/nTxkknu0" (reference §5.1)
    return f'W/"{len(body):x}-{hashlib.sha1(body).hexdigest()[:27]}"'


class FakeHub:
    """The server plus its state; use as a context manager."""

    def __init__(self, repos: dict[tuple[str, str], Repo] | None = None) -> None:
        self.repos = repos if repos is not None else load_repos()
        self.seen: list[Seen] = []
        self.hits: dict[str, int] = {}
        self._lock = threading.Lock()
        hub = self

        class Handler(_Handler):
            fake = hub

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FakeHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def count(self, path: str) -> int:
        with self._lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            return self.hits[path]

    def requests_to(self, prefix: str) -> list[Seen]:
        return [s for s in self.seen if s.path.startswith(prefix)]


_API = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+?)(/commits/main)?/?$")
_RESOLVE = re.compile(r"^/(datasets/)?([^/]+/[^/]+)/resolve/main/(.+)$")


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # not 5: concurrent checks would wait 1 s for a dropped SYN


class _Handler(http.server.BaseHTTPRequestHandler):
    fake: FakeHub
    protocol_version = "HTTP/1.1"
    # Buffer writes so headers and body leave in one segment: unbuffered, Nagle plus
    # delayed ACK adds ~40 ms to every keep-alive request.
    wbufsize = 64 * 1024

    def log_message(self, format: str, *args: t.Any) -> None:  # noqa: A002
        pass  # keep test output clean

    # ------------------------------------------------------------------ helpers

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Powered-By", "huggingface-moon")
        self.send_header("X-Request-Id", f"Root=1-fake-{self.fake.count('#request')}")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: t.Any, headers: dict[str, str] | None = None,
              *, etag: str | None = None) -> None:  # fmt: skip
        body = json.dumps(data).encode()
        out = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        if status == 200:
            tag = etag or _weak_etag(body)
            out["ETag"] = tag
            if self.headers.get("If-None-Match") == tag:
                self._send(304, b"", {"ETag": tag})
                return
        self._send(status, body, out)

    def _error(self, status: int, code: str | None, message: str,
               headers: dict[str, str] | None = None) -> None:  # fmt: skip
        out = {"X-Error-Message": message, **(headers or {})}
        if code:
            out["X-Error-Code"] = code
        self._json(status, {"error": message}, out)

    def _ratelimit(self, bucket: str, remaining: int = 499, reset: int = 300) -> dict[str, str]:
        quota = {"api": 500, "resolvers": 3000}[bucket]
        return {
            "RateLimit": f'"{bucket}";r={remaining};t={reset}',
            "RateLimit-Policy": f'"fixed window";"{bucket}";q={quota};w=300',
        }

    def _authorized(self) -> bool:
        return self.headers.get("Authorization") == f"Bearer {APPROVED_TOKEN}"

    def _redirect(self, location: str) -> None:
        body = f"Temporary Redirect. Redirecting to {location}".encode()
        self._send(307, body, {"Location": location, "Content-Type": "text/plain; charset=utf-8"})

    # ------------------------------------------------------------------ routes

    def do_HEAD(self) -> None:  # noqa: N802
        # The Hub check never sends HEAD; a link crawl may. Seen, then refused as
        # the stdlib server always did, so tests can count every request.
        self.fake.seen.append(Seen("HEAD", self.path, dict(self.headers.items())))
        self.send_error(501, "Unsupported method ('HEAD')")

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        self.fake.seen.append(Seen("GET", self.path, dict(self.headers.items())))
        if parts.path.startswith("/cdn/"):
            self._cdn(parts.path)
            return
        api = _API.match(parts.path)
        if api:
            kind = "dataset" if api[1] == "datasets" else "model"
            self._api(kind, api[2], bool(api[3]), parse_qs(parts.query), parts.path)
            return
        resolve = _RESOLVE.match(parts.path)
        if resolve:
            kind = "dataset" if resolve[1] else "model"
            self._resolve(kind, resolve[2], resolve[3])
            return
        self._error(404, None, "Not Found")

    def _repo(self, kind: str, repo_id: str) -> Repo | None:
        return self.fake.repos.get((kind, repo_id.lower()))

    def _planted(self, repo: Repo, route: str, path: str) -> bool:
        """Answer a planted behaviour; True when the request is done."""
        plant = repo.plant
        name = repo.id
        noun = "dataset" if repo.kind == "dataset" else "model"
        if plant.get("missing") == 401:
            # reference §1.4: anonymous 401 for missing repos (MaartenGr/BERTopic#1244)
            self._error(401, "RepoNotFound", "Invalid username or password.")
            return True
        if plant.get("missing") == 404:
            self._error(404, "RepoNotFound", "Repository not found")
            return True
        if plant.get("disabled"):
            self._error(403, None, "Access to this resource is disabled.")
            return True
        if plant.get("gated_api") and not self._authorized():
            self._error(403, "GatedRepo",
                        f"Access to {noun} {name} is restricted and you are not in the "
                        "authorized list.")  # fmt: skip
            return True
        if plant.get("gated") and route == "resolve" and not self._authorized():
            # reference §1.4: anonymous file download of a gated repo -> 401 GatedRepo
            self._error(401, "GatedRepo",
                        f"Access to {noun} {name} is restricted. You must be authenticated "
                        "to access it.")  # fmt: skip
            return True
        too_many = plant.get("429")
        if too_many == "always" or (too_many == "once" and self.fake.count(path) == 1):
            reset = int(plant.get("429_reset", 0))
            bucket = "resolvers" if route == "resolve" else "api"
            headers = self._ratelimit(bucket, remaining=0, reset=reset)
            self._error(429, None, "You have been rate-limited.", headers)
            return True
        return False

    def _api(self, kind: str, repo_id: str, commits: bool,
             query: dict[str, list[str]], path: str) -> None:  # fmt: skip
        repo = self._repo(kind, repo_id)
        if repo is None:
            self._error(401, "RepoNotFound", "Invalid username or password.")
            return
        renamed = repo.plant.get("renamed_to")
        if renamed:
            # reference §1.5: 307 + relative Location (HFH cassette, bert-base-uncased)
            tail = "/commits/main" if commits else ""
            self._redirect(f"/api/{kind}s/{renamed}{tail}")
            return
        if self._planted(repo, "api", path):
            return
        if not commits:
            self._json(200, repo.info, self._ratelimit("api"))
            return
        page = int((query.get("p") or ["0"])[0])
        chunk = repo.commits[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        headers = self._ratelimit("api")
        if (page + 1) * PAGE_SIZE < len(repo.commits):
            host = self.headers.get("Host", f"127.0.0.1:{self.fake.port}")
            headers["Link"] = (
                f'<http://{host}/api/{kind}s/{repo.id}/commits/main?p={page + 1}>; rel="next"'
            )
        self._json(200, chunk, headers)

    def _resolve(self, kind: str, repo_id: str, filename: str) -> None:
        repo = self._repo(kind, repo_id)
        if repo is None:
            self._error(401, "RepoNotFound", "Invalid username or password.")
            return
        renamed = repo.plant.get("renamed_to")
        if renamed:
            self._redirect(f"/{renamed}/resolve/main/{filename}")
            return
        if self._planted(repo, "resolve", self.path):
            return
        if filename != "config.json" or repo.config is None:
            self._error(404, "EntryNotFound", f'{filename} does not exist on "main"')
            return
        if repo.plant.get("config_via_cdn"):
            # an off-host redirect (as for LFS files, §2.2): the token must not follow
            self._redirect(f"http://localhost:{self.fake.port}/cdn/{repo.id}/config.json")
            return
        body = json.dumps(repo.config).encode()
        headers = {**self._ratelimit("resolvers"), "X-Repo-Commit": "0" * 40}
        self._json(200, repo.config, headers, etag=f'"{_blob_sha1(body)}"')

    def _cdn(self, path: str) -> None:
        repo_id = path.removeprefix("/cdn/").removesuffix("/config.json")
        repo = self._repo("model", repo_id)
        if repo is None or repo.config is None:
            self._error(404, None, "Not Found")
            return
        self._json(200, repo.config)
