"""A fake GitHub REST API on loopback: the issue and label endpoints sync uses.

A real HTTP server in a thread, so the client's real transport, headers, pagination and
retries are exercised. Responses follow the REST docs: 201 on creation, 404/422 JSON
error bodies with ``documentation_url``, ``x-ratelimit-*`` headers on every answer, a
``Link`` header for pagination, 401 without a token, 403 without a User-Agent, and 422
for a body over 65,536 characters, counted in UTF-16 code units as GitHub (JavaScript)
does. ``fail_next`` queues canned failures, such as the 403 secondary rate limit with
``retry-after``; ``fail_after_acting`` carries a request out and then answers 500 or
drops the connection, as GitHub sometimes does. Issues carry their author (``user``):
the token's account (``GET /user``), or ``github-actions[bot]`` when ``viewer`` is
``None`` (the Actions token, for which ``GET /user`` is refused).
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import re
import threading
import typing as t
import urllib.parse

DOCS = "https://docs.github.com/rest"


@dataclasses.dataclass
class Canned:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: dict[str, t.Any]


@dataclasses.dataclass
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: t.Any


class FakeGitHub:
    """State of one repository's issues and labels, plus a log of every request."""

    def __init__(
        self,
        repo: str = "octo/catalog",
        token: str = "test-token",
        per_page_cap: int = 100,
        api_path: str = "",
        viewer: str | None = "catalog-bot",
    ):
        self.repo = repo
        self.viewer = viewer
        """The token's account: ``GET /user`` names it. ``None`` acts as the Actions
        ``GITHUB_TOKEN``: ``GET /user`` is refused and issues are by
        ``github-actions[bot]``."""
        self.acted_then_failed: list[Canned] = []
        """Requests that are carried out, then answered with a failure (``status``
        0: the connection is dropped without any answer)."""
        self.token = token
        self.per_page_cap = per_page_cap
        self.api_path = api_path
        """A path prefix for every endpoint, as GitHub Enterprise Server's ``/api/v3``."""
        self.issues: dict[int, dict[str, t.Any]] = {}
        self.comments: dict[int, list[str]] = {}
        self.labels: dict[str, dict[str, t.Any]] = {}
        self.calls: list[Call] = []
        self.canned: list[Canned] = []
        self._next = 1
        self._lock = threading.Lock()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True
        )

    @property
    def url(self) -> str:
        """The API base URL (``GITHUB_API_URL``), path prefix included."""
        return self.origin + self.api_path

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeGitHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- test helpers -----------------------------------------------------------------

    def add_issue(
        self,
        title: str,
        body: str,
        labels: list[str],
        *,
        pull_request: bool = False,
        state: str = "open",
        author: dict[str, str] | None = None,
    ) -> dict[str, t.Any]:
        """An issue as if written by ``author`` (default: the token's account)."""
        with self._lock:
            issue = self._new_issue(title, body, labels, pull_request=pull_request, state=state)
            if author is not None:
                issue["user"] = dict(author)
            return issue

    def fail_next(
        self, method: str, path: str, status: int, headers: dict[str, str], body: dict[str, t.Any]
    ) -> None:
        self.canned.append(Canned(method, path, status, headers, body))

    def fail_after_acting(self, method: str, path: str, status: int) -> None:
        """Carry out the next matching request, then answer ``status`` (0: no answer)."""
        self.acted_then_failed.append(Canned(method, path, status, {}, {}))

    @property
    def author(self) -> dict[str, str]:
        """The ``user`` of what the token writes."""
        if self.viewer is None:
            return {"login": "github-actions[bot]", "type": "Bot"}
        return {"login": self.viewer, "type": "User"}

    def writes(self) -> list[Call]:
        return [c for c in self.calls if c.method != "GET"]

    def open_issues(self) -> list[dict[str, t.Any]]:
        return [i for i in self.issues.values() if i["state"] == "open" and "pull_request" not in i]

    # -- state ------------------------------------------------------------------------

    def _new_issue(
        self,
        title: str,
        body: str,
        labels: list[str],
        *,
        pull_request: bool = False,
        state: str = "open",
    ) -> dict[str, t.Any]:
        number = self._next
        self._next += 1
        issue: dict[str, t.Any] = {
            "number": number,
            "title": title,
            "body": body,
            "state": state,
            "state_reason": None,
            "labels": [{"name": n} for n in labels],
            "user": dict(self.author),
            "html_url": f"https://github.test/{self.repo}/issues/{number}",
        }
        if pull_request:
            issue["pull_request"] = {"url": "..."}
        self.issues[number] = issue
        return issue


def _length(text: str) -> int:
    """A body's length as GitHub counts it: UTF-16 code units (JavaScript ``length``)."""
    return len(text.encode("utf-16-le")) // 2


def _error(status: int, message: str, **extra: t.Any) -> tuple[int, dict[str, t.Any]]:
    return status, {"message": message, "documentation_url": DOCS, "status": str(status), **extra}


def _handler(fake: FakeGitHub) -> type[http.server.BaseHTTPRequestHandler]:
    prefix = f"{fake.api_path}/repos/{fake.repo}"

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms ACK wait

        def log_message(self, format: str, *args: t.Any) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PATCH(self) -> None:
            self._serve("PATCH")

        def _serve(self, method: str) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            query = urllib.parse.parse_qs(parsed.query)
            path = urllib.parse.unquote(parsed.path)
            with fake._lock:
                fake.calls.append(Call(method, path, query, dict(self.headers.items()), body))
                status, payload, headers = self._route(method, path, query, body)
                failure = next(
                    (
                        c
                        for c in fake.acted_then_failed
                        if c.method == method and re.fullmatch(c.path, path)
                    ),
                    None,
                )
                if failure is not None:
                    fake.acted_then_failed.remove(failure)
                    if failure.status == 0:  # acted, and the answer is lost
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    status, payload = _error(failure.status, "Server Error")
                    headers = {}
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("content-type", "application/json; charset=utf-8")
            self.send_header("content-length", str(len(data)))
            self.send_header("x-ratelimit-limit", "1000")
            self.send_header("x-ratelimit-remaining", headers.pop("x-ratelimit-remaining", "990"))
            self.send_header("x-ratelimit-reset", headers.pop("x-ratelimit-reset", "1795000000"))
            self.send_header("x-ratelimit-resource", "core")
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _route(
            self, method: str, path: str, query: dict[str, list[str]], body: t.Any
        ) -> tuple[int, t.Any, dict[str, str]]:
            for canned in fake.canned:
                if canned.method == method and re.fullmatch(canned.path, path):
                    fake.canned.remove(canned)
                    return canned.status, canned.body, dict(canned.headers)
            if not self.headers.get("user-agent"):
                return (
                    *_error(
                        403,
                        "Request forbidden by administrative rules. "
                        "Please make sure your request has a User-Agent header",
                    ),
                    {},
                )
            if self.headers.get("authorization") != f"Bearer {fake.token}":
                return (*_error(401, "Requires authentication"), {})
            if path == f"{fake.api_path}/user" and method == "GET":
                if fake.viewer is None:
                    return (*_error(403, "Resource not accessible by integration"), {})
                return 200, {"login": fake.viewer, "type": "User"}, {}
            if not path.startswith(prefix):
                return (*_error(404, "Not Found"), {})
            rest = path[len(prefix) :]
            if rest == "/issues" and method == "GET":
                return self._list(query)
            if rest == "/issues" and method == "POST":
                if not isinstance(body, dict) or not body.get("title"):
                    return (
                        *_error(
                            422,
                            "Validation Failed",
                            errors=[
                                {"resource": "Issue", "code": "missing_field", "field": "title"}
                            ],
                        ),
                        {},
                    )
                if _length(body.get("body") or "") > 65536:
                    return (
                        *_error(
                            422,
                            "Validation Failed",
                            errors=[{"message": "body is too long (maximum is 65536 characters)"}],
                        ),
                        {},
                    )
                issue = fake._new_issue(
                    body["title"], body.get("body") or "", body.get("labels", [])
                )
                return 201, issue, {"location": f"{fake.origin}{prefix}/issues/{issue['number']}"}
            match = re.fullmatch(r"/issues/(\d+)(/comments)?", rest)
            if match:
                issue = fake.issues.get(int(match.group(1)))
                if issue is None:
                    return (*_error(404, "Not Found"), {})
                if match.group(2) and method == "POST":
                    fake.comments.setdefault(issue["number"], []).append(body["body"])
                    return 201, {"id": 1, "body": body["body"]}, {}
                if not match.group(2) and method == "PATCH":
                    if _length(body.get("body") or "") > 65536:
                        return (*_error(422, "Validation Failed"), {})
                    for key in ("title", "body", "state"):
                        if key in body:
                            issue[key] = body[key]
                    if "state" in body:
                        issue["state_reason"] = body.get("state_reason")
                    return 200, issue, {}
            if rest == "/labels" and method == "POST":
                if body["name"] in fake.labels:
                    return (
                        *_error(
                            422,
                            "Validation Failed",
                            errors=[{"resource": "Label", "code": "already_exists"}],
                        ),
                        {},
                    )
                fake.labels[body["name"]] = dict(body)
                return 201, dict(body), {}
            match = re.fullmatch(r"/labels/([^/]+)", rest)
            if match and method == "GET":
                label = fake.labels.get(match.group(1))
                return (200, label, {}) if label else (*_error(404, "Not Found"), {})
            return (*_error(404, "Not Found"), {})

        def _list(self, query: dict[str, list[str]]) -> tuple[int, t.Any, dict[str, str]]:
            state = query.get("state", ["open"])[0]
            wanted = set(query.get("labels", [""])[0].split(",")) - {""}
            per_page = min(int(query.get("per_page", ["30"])[0]), fake.per_page_cap)
            page = int(query.get("page", ["1"])[0])
            items = [
                i
                for i in sorted(fake.issues.values(), key=lambda i: i["number"])
                if (state == "all" or i["state"] == state)
                and wanted <= {label["name"] for label in i["labels"]}
            ]
            chunk = items[(page - 1) * per_page : page * per_page]
            headers: dict[str, str] = {}
            last = max(1, -(-len(items) // per_page))
            if page < last:
                base = {k: v[0] for k, v in query.items()}
                next_q = urllib.parse.urlencode({**base, "per_page": per_page, "page": page + 1})
                last_q = urllib.parse.urlencode({**base, "per_page": per_page, "page": last})
                headers["link"] = (
                    f'<{fake.origin}{prefix}/issues?{next_q}>; rel="next", '
                    f'<{fake.origin}{prefix}/issues?{last_q}>; rel="last"'
                )
            return 200, chunk, headers

    return Handler
