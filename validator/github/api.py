"""A small GitHub REST client for issues and labels, polite about rate limits.

Only the calls the nightly report needs: list open issues by label (following the
``Link`` header), create and update an issue, comment, get and create a label. The
base URL comes from ``GITHUB_API_URL`` so GitHub Enterprise Server works, and the
``httpx.Client``, the sleep function and the clock are injectable so tests run it
against a fake API on loopback without waiting.

Retries follow GitHub's rate-limit docs ("Rate limits for the REST API"): on 403/429
wait ``retry-after`` seconds when given; else, with ``x-ratelimit-remaining: 0``,
until ``x-ratelimit-reset``; else, for a secondary-limit message, at least a minute;
5xx back off exponentially. Waits are capped and attempts limited; 401, 404 and 422
are never retried (they will not change), and a plain 403 is a permission problem. A
POST whose answer was lost in transit (read timeout, dropped connection) is not sent
again, since GitHub may have acted on it, and neither is a POST answered 5xx (GitHub
sometimes creates the issue and then answers 500): the caller lists before trying
again.
Mutating calls are spaced at least a second apart, as the best-practices page asks.
"""

from __future__ import annotations

import functools
import os
import ssl
import typing as t
import urllib.parse

import httpx

from validator import USER_AGENT, timing
from validator.credentials import check_secret, headers_for_hop, redact

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_ATTEMPTS = 3
MAX_WAIT = 120.0
"""Longest single wait for a rate limit; a longer one fails the call instead."""
SECONDARY_LIMIT_WAIT = 60.0
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
WRITE_SPACING = 1.0

Issue = dict[str, t.Any]

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Transport errors raised before any byte of the request was sent."""


class GitHubAPIError(Exception):
    """A call GitHub refused or that never got an answer; ``str()`` is one line."""

    def __init__(
        self, call: str, status: int | None, message: str, codes: tuple[str, ...] = ()
    ) -> None:
        self.call = call
        self.status = status
        self.message = message
        self.codes = codes
        """The ``errors[].code`` values of a 422 answer, e.g. ``already_exists``."""
        where = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"{call}: {where}: {message}")


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.reason_phrase or "error"
    if isinstance(data, dict):
        text = str(data.get("message") or response.reason_phrase)
        errors = data.get("errors")
        if isinstance(errors, list) and errors:
            first = errors[0]
            detail = first.get("message") or first.get("code") if isinstance(first, dict) else first
            text += f" ({detail})"
        return " ".join(text.split())
    return response.reason_phrase or "error"


def _codes(response: httpx.Response) -> tuple[str, ...]:
    try:
        data = response.json()
    except ValueError:
        return ()
    errors = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(errors, list):
        return ()
    return tuple(str(e["code"]) for e in errors if isinstance(e, dict) and e.get("code"))


def _tls() -> ssl.SSLContext:
    """httpx's default verifying context (``SSL_CERT_FILE``/``SSL_CERT_DIR`` honoured),
    built once per CA setting: loading the bundle costs a twentieth of a CPU-second."""
    return _tls_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _tls_for(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context(trust_env=True)


class GitHubClient:
    """Issues and labels of one repository ``owner/name``."""

    def __init__(
        self,
        repo: str,
        *,
        token: str | None,
        api_url: str = DEFAULT_API_URL,
        client: httpx.Client | None = None,
        sleep: t.Callable[[float], None] = timing.blocking_sleep,
        clock: t.Callable[[], float] = timing.wall,
        max_attempts: int = MAX_ATTEMPTS,
        max_wait: float = MAX_WAIT,
        token_source: str = "GITHUB_TOKEN",
    ) -> None:
        owner, _, name = repo.partition("/")
        if not owner or not name or "/" in name:
            raise ValueError(f"repository must be OWNER/NAME, got {repo!r}")
        self.repo = repo
        self.api_url = api_url.rstrip("/")
        self._client = client or httpx.Client(timeout=DEFAULT_TIMEOUT, verify=_tls())
        self._owns_client = client is None
        self._headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": USER_AGENT,
        }
        if token:
            # one line naming the variable for a pasted newline or a non-ASCII character
            check_secret(token_source, token)
            self._headers["Authorization"] = f"Bearer {token}"
        self._token = token
        self._sleep = sleep
        self._clock = clock
        self.max_attempts = max_attempts
        self.max_wait = max_wait
        self._last_write: float | None = None

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the calls -----------------------------------------------------------------

    def _repo_url(self, path: str) -> str:
        owner, name = self.repo.split("/")
        quoted = f"{urllib.parse.quote(owner, safe='')}/{urllib.parse.quote(name, safe='')}"
        return f"{self.api_url}/repos/{quoted}{path}"

    def list_open_issues(self, label: str) -> list[Issue]:
        """Open issues (not pull requests) carrying ``label``, oldest first, all pages."""
        url: str | None = self._repo_url("/issues")
        params: dict[str, str] | None = {
            "state": "open",
            "labels": label,
            "per_page": "100",
            "sort": "created",
            "direction": "asc",
        }
        issues: list[Issue] = []
        while url:
            response = self._request("GET", url, "list issues", params=params)
            issues.extend(i for i in response.json() if "pull_request" not in i)
            # The next link already carries the query.
            url = response.links.get("next", {}).get("url")
            params = None
        return issues

    def viewer(self) -> str | None:
        """The login the token acts as, or ``None`` when GitHub will not say (the
        Actions ``GITHUB_TOKEN`` is an installation token: ``GET /user`` is refused)."""
        try:
            data = self._request("GET", f"{self.api_url}/user", "get the token's account").json()
        except GitHubAPIError as e:
            if e.status in (401, 403, 404):
                return None
            raise
        login = data.get("login") if isinstance(data, dict) else None
        return login if isinstance(login, str) and login else None

    def get_label(self, name: str) -> dict[str, t.Any] | None:
        """The label, or ``None`` when the repository has none by that name."""
        url = self._repo_url(f"/labels/{urllib.parse.quote(name, safe='')}")
        try:
            return dict(self._request("GET", url, "get label").json())
        except GitHubAPIError as e:
            if e.status == 404:
                return None
            raise

    def create_label(self, name: str, *, color: str, description: str) -> bool:
        """Create a label (``color`` is six hex digits without ``#``).

        Returns ``False`` when the label already exists: between a ``get_label`` that
        found nothing and this call, another run or a person may have created it, and
        GitHub then answers 422 ``already_exists``, which is the state we wanted.
        """
        body = {"name": name, "color": color, "description": description}
        try:
            self._request("POST", self._repo_url("/labels"), "create label", json=body)
        except GitHubAPIError as e:
            if e.status == 422 and "already_exists" in e.codes:
                return False
            raise
        return True

    def create_issue(self, title: str, body: str, labels: list[str]) -> Issue:
        """Open an issue; returns its JSON (``number``, ``html_url``...)."""
        payload = {"title": title, "body": body, "labels": labels}
        return dict(
            self._request("POST", self._repo_url("/issues"), "create issue", json=payload).json()
        )

    def update_issue(self, number: int, **fields: t.Any) -> Issue:
        """PATCH an issue: ``body``, ``state``, ``state_reason``... (labels untouched)."""
        url = self._repo_url(f"/issues/{number}")
        return dict(self._request("PATCH", url, f"update issue #{number}", json=fields).json())

    def comment(self, number: int, body: str) -> None:
        """Add a comment to an issue."""
        url = self._repo_url(f"/issues/{number}/comments")
        self._request("POST", url, f"comment on issue #{number}", json={"body": body})

    # -- transport and retries -------------------------------------------------------

    def _request(
        self,
        method: str,
        url: str,
        call: str,
        *,
        params: dict[str, str] | None = None,
        json: t.Any = None,
    ) -> httpx.Response:
        for attempt in range(1, self.max_attempts + 1):
            if method != "GET":
                self._space_writes()
            try:
                response = self._send(method, url, params=params, json=json)
            except httpx.HTTPError as e:
                # A POST (create issue, comment) may have reached GitHub even though
                # its answer was lost; sending it again would duplicate it. Retry only
                # when the request surely never left (no connection was made).
                unsent = isinstance(e, _NOT_SENT)
                if attempt == self.max_attempts or (method == "POST" and not unsent):
                    text = redact(str(e) or type(e).__name__, [self._token])
                    raise GitHubAPIError(call, None, text) from e
                self._sleep(min(2.0**attempt, self.max_wait))
                continue
            finally:
                if method != "GET":
                    self._last_write = self._clock()
            if response.is_success:
                return response
            wait = self._retry_wait(response, attempt)
            if method == "POST" and response.status_code >= 500:
                # GitHub may have created the issue before failing (it does): the
                # caller looks before asking again (validator.github.sync).
                wait = None
            if wait is None or attempt == self.max_attempts:
                raise GitHubAPIError(
                    call, response.status_code, _message(response), _codes(response)
                )
            if wait > self.max_wait:
                raise GitHubAPIError(
                    call,
                    response.status_code,
                    f"rate limited for {wait:.0f}s, longer than the {self.max_wait:.0f}s cap",
                )
            self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(
        self, method: str, url: str, *, params: dict[str, str] | None, json: t.Any
    ) -> httpx.Response:
        """One request, following redirects by hand: the token stays on the API's
        origin (scheme, host, port), whatever a redirect points at."""
        origin = httpx.URL(url)
        current = origin
        for _ in range(MAX_REDIRECTS + 1):
            headers = headers_for_hop(self._headers, origin, current)
            response = self._client.request(
                method, current, params=params, json=json, headers=headers, follow_redirects=False
            )
            location = response.headers.get("location")
            if response.status_code not in _REDIRECTS or not location:
                return response
            response.close()
            current = current.join(location)
            params = None  # the Location carries its own query
            if response.status_code == 303:
                method, json = "GET", None
        return response

    def _space_writes(self) -> None:
        if self._last_write is None:
            return
        gap = self._clock() - self._last_write
        if gap < WRITE_SPACING:
            self._sleep(WRITE_SPACING - gap)

    def _retry_wait(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or ``None`` when retrying cannot help."""
        status = response.status_code
        if status >= 500:
            return 2.0**attempt
        if status not in (403, 429):
            return None
        headers = response.headers
        retry_after = headers.get("retry-after")
        if retry_after is not None:
            try:
                return max(float(retry_after), 0.0)
            # ValueError: an HTTP date or garbage; treat as the secondary-limit case
            except ValueError:
                return SECONDARY_LIMIT_WAIT
        if headers.get("x-ratelimit-remaining") == "0":
            try:
                return max(float(headers.get("x-ratelimit-reset", "")) - self._clock(), 0.0) + 1.0
            except ValueError:
                return SECONDARY_LIMIT_WAIT
        if status == 429 or "rate limit" in _message(response).lower():
            return SECONDARY_LIMIT_WAIT * 2.0 ** (attempt - 1)
        # A plain 403 is a permission problem: retrying will not grant it.
        return None


__all__ = ["API_VERSION", "DEFAULT_API_URL", "GitHubAPIError", "GitHubClient", "Issue"]
