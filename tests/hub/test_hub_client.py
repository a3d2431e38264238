"""Unit tests of the Hub client, settings and verdict mapping, with respx (no sockets)."""

from __future__ import annotations

import sqlite3
import typing as t
from pathlib import Path

import anyio
import httpx
import pytest
import respx

from tests.hub.conftest import RecordingLimiter, RecordingSleep
from tests.tls import verifying
from validator.hub import HubClient, HubResponse, HubSettings, RateLimit, RepoVerdict
from validator.hub.cache import CachedResponse, EtagCache
from validator.hub.outcome import problem_of

EP = "https://hub.test"


def client(
    settings: HubSettings | None = None,
    *,
    sleep: RecordingSleep | None = None,
    limiter: RecordingLimiter | None = None,
    cache: EtagCache | None = None,
) -> tuple[HubClient, httpx.AsyncClient]:
    http = httpx.AsyncClient(verify=verifying())
    hub = HubClient(
        settings or HubSettings(endpoint=EP, token="hf_secret"),
        http,
        sleep=sleep or RecordingSleep(),
        limiter=limiter or RecordingLimiter(),
        cache=cache,
    )
    return hub, http


def get(hub: HubClient, http: httpx.AsyncClient, url: str) -> HubResponse:
    async def main() -> HubResponse:
        async with http:
            return await hub.get(url)

    return anyio.run(main)


# --------------------------------------------------------------------- settings


def test_settings_from_env_reads_hf_variables(tmp_path: Path) -> None:
    env = {
        "HF_ENDPOINT": "https://mirror.example/",
        "HUGGING_FACE_HUB_TOKEN": "legacy",
        "VALIDATOR_CACHE_DIR": str(tmp_path),
    }
    s = HubSettings.from_env(env)
    assert s.endpoint == "https://mirror.example"
    assert s.token == "legacy"
    assert s.cache_path == tmp_path / "hub.sqlite3"
    assert s.private_allowed  # a custom endpoint (mirror, tests) may be private
    assert HubSettings.from_env({**env, "HF_TOKEN": "new"}).token == "new"  # HF_TOKEN wins
    assert HubSettings.from_env({}).endpoint == "https://huggingface.co"
    assert HubSettings.from_env({}).token is None
    assert not HubSettings.from_env({}).private_allowed
    assert HubSettings.from_env(env, token=None, max_retries=0).max_retries == 0
    assert "legacy" not in repr(s)  # tokens never end up in logs


def test_token_goes_to_the_endpoint_origin_only() -> None:
    s = HubSettings(endpoint="https://huggingface.co", token="t")
    assert s.sends_token_to(httpx.URL("https://huggingface.co/api/models/x/y"))
    assert not s.sends_token_to(httpx.URL("https://cdn-lfs.huggingface.co/x"))
    assert not s.sends_token_to(httpx.URL("http://huggingface.co/api/models/x/y"))
    assert not s.sends_token_to(httpx.URL("https://huggingface.co:8443/x"))
    assert not HubSettings(token=None).sends_token_to(httpx.URL("https://huggingface.co/x"))


# --------------------------------------------------------------------- requests


@respx.mock
def test_rename_redirect_is_followed_with_auth_kept_on_same_host() -> None:
    # reference §1.5: 307 with a relative Location, text/plain body
    respx.get(f"{EP}/api/models/bert-base-uncased").respond(
        307,
        headers={"Location": "/api/models/google-bert/bert-base-uncased"},
        text="Temporary Redirect. Redirecting to /api/models/google-bert/bert-base-uncased",
    )
    new = respx.get(f"{EP}/api/models/google-bert/bert-base-uncased").respond(
        200, json={"id": "google-bert/bert-base-uncased"}
    )
    hub, http = client()
    answer = get(hub, http, f"{EP}/api/models/bert-base-uncased")
    assert answer.status == 200
    assert answer.redirects == ((307, f"{EP}/api/models/google-bert/bert-base-uncased"),)
    assert answer.final_url == f"{EP}/api/models/google-bert/bert-base-uncased"
    assert new.calls.last.request.headers["authorization"] == "Bearer hf_secret"


@respx.mock
def test_redirects_follow_the_policy_the_crawler_follows() -> None:
    # A loop stops at the first repeat (not after MAX_REDIRECTS hops), and a target
    # that is not http(s) is never asked: the chain ends at the redirect itself.
    a = respx.get(f"{EP}/api/models/a/loop").respond(307, headers={"Location": "/api/models/b/x"})
    b = respx.get(f"{EP}/api/models/b/x").respond(307, headers={"Location": "/api/models/a/loop"})
    respx.get(f"{EP}/api/models/c/ftp").respond(301, headers={"Location": "ftp://hub.test/x"})
    hub, http = client()
    loop = get(hub, http, f"{EP}/api/models/a/loop")
    assert (loop.status, a.call_count, b.call_count) == (307, 1, 1)
    assert [status for status, _ in loop.redirects] == [307, 307]
    hub, http = client()
    ftp = get(hub, http, f"{EP}/api/models/c/ftp")
    assert ftp.status == 301 and ftp.redirects == ((301, "ftp://hub.test/x"),)


@respx.mock
def test_token_is_dropped_on_a_redirect_to_another_host() -> None:
    respx.get(f"{EP}/org/m/resolve/main/config.json").respond(
        302, headers={"Location": "https://cdn.example/signed/config.json"}
    )
    cdn = respx.get("https://cdn.example/signed/config.json").respond(200, json={"n_positions": 1})
    hub, http = client()
    answer = get(hub, http, f"{EP}/org/m/resolve/main/config.json")
    assert answer.json() == {"n_positions": 1}
    assert "authorization" not in cdn.calls.last.request.headers


@respx.mock
def test_429_waits_for_the_ratelimit_reset_then_succeeds() -> None:
    # reference §2.4: RateLimit: "api";r=0;t=3 -> wait t (+1, as HFH does)
    route = respx.get(f"{EP}/api/models/a/b")
    route.side_effect = [
        httpx.Response(
            429,
            headers={
                "RateLimit": '"api";r=0;t=3',
                "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
            },
        ),
        httpx.Response(200, json={"id": "a/b"}),
    ]
    sleep, limiter = RecordingSleep(), RecordingLimiter()
    hub, http = client(sleep=sleep, limiter=limiter)
    answer = get(hub, http, f"{EP}/api/models/a/b")
    assert answer.status == 200 and answer.attempts == 2
    assert sleep.waits == [4.0]
    assert limiter.back_offs == [("hub.test", 4.0)]  # the host pauses for everyone


@respx.mock
def test_429_asking_too_long_a_wait_gives_up_at_once() -> None:
    respx.get(f"{EP}/api/models/a/b").respond(
        429,
        headers={
            "RateLimit": '"api";r=0;t=280',
            "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
        },
    )
    sleep = RecordingSleep()
    hub, http = client(sleep=sleep)
    answer = get(hub, http, f"{EP}/api/models/a/b")
    assert answer.status == 429 and answer.gave_up_wait == 281.0
    assert sleep.waits == [] and hub.requests == 1
    verdict, detail = t.cast(tuple[RepoVerdict, str], problem_of(answer))
    assert verdict is RepoVerdict.RATE_LIMITED
    assert detail == "'api' rate limit: retry after 280 s (0/500 requests left in the 300 s window)"


@respx.mock
def test_5xx_is_retried_with_retry_after_then_reported() -> None:
    route = respx.get(f"{EP}/api/models/a/b").respond(503, headers={"Retry-After": "2"})
    sleep = RecordingSleep()
    hub, http = client(HubSettings(endpoint=EP, max_retries=2), sleep=sleep)
    answer = get(hub, http, f"{EP}/api/models/a/b")
    assert answer.status == 503 and route.call_count == 3
    assert sleep.waits == [2.0, 2.0]
    assert problem_of(answer) == (RepoVerdict.ERROR, "503")


@respx.mock
def test_transport_errors_are_retried_and_marked_connect_failed() -> None:
    route = respx.get(f"{EP}/api/models/a/b").mock(side_effect=httpx.ConnectError("refused"))
    hub, http = client(HubSettings(endpoint=EP, max_retries=1))
    answer = get(hub, http, f"{EP}/api/models/a/b")
    assert answer.status is None and answer.connect_failed and route.call_count == 2
    assert answer.transport_error == "ConnectError: refused"


@respx.mock
def test_etag_revalidation_uses_the_cached_body(tmp_path: Path) -> None:
    route = respx.get(f"{EP}/api/models/a/b")
    route.side_effect = [
        httpx.Response(200, json={"id": "a/b"}, headers={"ETag": 'W/"10-abc"'}),
        httpx.Response(304, headers={"ETag": 'W/"10-abc"'}),
    ]
    with EtagCache(tmp_path / "hub.sqlite3") as cache:
        hub, http = client(cache=cache)
        first = get(hub, http, f"{EP}/api/models/a/b")
        hub, http = client(cache=cache)
        second = get(hub, http, f"{EP}/api/models/a/b")
    assert route.calls[1].request.headers["if-none-match"] == 'W/"10-abc"'
    assert second.status == 200 and second.from_cache
    assert second.json() == first.json() == {"id": "a/b"}


@respx.mock
def test_link_header_pagination_is_resolved_against_the_page() -> None:
    respx.get(f"{EP}/api/models/a/b/commits/main").respond(
        200, json=[], headers={"Link": '</api/models/a/b/commits/main?p=1>; rel="next"'}
    )
    hub, http = client()
    answer = get(hub, http, f"{EP}/api/models/a/b/commits/main")
    assert answer.link("next") == f"{EP}/api/models/a/b/commits/main?p=1"
    assert answer.link("last") is None


# --------------------------------------------------------------------- verdicts


def answer(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> HubResponse:
    return HubResponse("u", "u", status, body, httpx.Headers(headers or {}))


@pytest.mark.parametrize(
    ("status", "headers", "verdict"),
    [
        (200, {}, None),
        # reference §1.4: anonymous file of a gated repo -> 401 GatedRepo
        (401, {"X-Error-Code": "GatedRepo"}, RepoVerdict.GATED),
        (403, {"X-Error-Code": "GatedRepo"}, RepoVerdict.GATED),
        # 401 is "not found" for anonymous callers (private or missing)
        (401, {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Invalid username or password."},
         RepoVerdict.MISSING),
        (401, {}, RepoVerdict.MISSING),
        (404, {"X-Error-Code": "RepoNotFound"}, RepoVerdict.MISSING),
        (404, {}, RepoVerdict.MISSING),
        (403, {"X-Error-Message": "Access to this resource is disabled."}, RepoVerdict.DISABLED),
        (401, {"X-Error-Message": "Invalid credentials in Authorization header"},
         RepoVerdict.ERROR),
        (403, {"X-Error-Message": "Forbidden"}, RepoVerdict.ERROR),
        (429, {}, RepoVerdict.RATE_LIMITED),
        (500, {}, RepoVerdict.ERROR),
    ],
)  # fmt: skip
def test_status_and_error_code_to_verdict(
    status: int, headers: dict[str, str], verdict: RepoVerdict | None
) -> None:
    problem = problem_of(answer(status, headers))
    assert (problem[0] if problem else None) is verdict


def test_error_message_falls_back_to_the_json_body() -> None:
    assert answer(404, body=b'{"error": "Repository not found"}').error_message == (
        "Repository not found"
    )
    assert answer(404, body=b"not json").error_message is None


def test_ratelimit_header_parsing() -> None:
    limit = RateLimit.parse(
        httpx.Headers(
            {"RateLimit": '"api";r=0;t=55', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'}
        )
    )
    assert limit == RateLimit("api", 0, 55, 500, 300)
    assert RateLimit.parse(httpx.Headers({"RateLimit": "garbage"})) is None


def _corrupt_cache(path: Path) -> None:
    """A cache file that opens fine but fails on use: damaged data pages."""
    with EtagCache(path) as cache:
        for i in range(100):
            cache.put(f"{EP}/api/models/o/r{i}", False, CachedResponse('"e"', bytes(3000)))
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data), 4096):
        data[offset : offset + 100] = b"\xff" * 100
    path.write_bytes(bytes(data))


def _old_schema_cache(path: Path) -> None:
    """A cache written by an older version: the table has no ``headers`` column."""
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE hub_etags (url TEXT NOT NULL, auth INTEGER NOT NULL, etag TEXT NOT NULL,"
        " body BLOB NOT NULL, stored_at REAL NOT NULL, PRIMARY KEY (url, auth))"
    )
    db.commit()
    db.close()


@pytest.mark.parametrize("damage", [_corrupt_cache, _old_schema_cache])
@respx.mock
def test_a_cache_failing_on_use_costs_only_revalidation(
    tmp_path: Path, damage: t.Callable[[Path], None]
) -> None:
    path = tmp_path / "hub.sqlite3"
    damage(path)
    route = respx.get(f"{EP}/api/models/o/r5").respond(
        200, json={"id": "o/r5"}, headers={"ETag": 'W/"1-a"'}
    )
    with EtagCache(path) as cache:
        hub, http = client(cache=cache)
        first = get(hub, http, f"{EP}/api/models/o/r5")
        hub, http = client(cache=cache)
        second = get(hub, http, f"{EP}/api/models/o/r5")
    assert first.json() == second.json() == {"id": "o/r5"}
    assert route.call_count == 2 and not second.from_cache


@respx.mock
def test_a_connect_timeout_is_a_failure_to_reach_the_host() -> None:
    # a black-holed network times out connecting rather than being refused
    respx.get(f"{EP}/api/models/a/b").mock(side_effect=httpx.ConnectTimeout("timed out"))
    hub, http = client(HubSettings(endpoint=EP, max_retries=0))
    answer = get(hub, http, f"{EP}/api/models/a/b")
    assert answer.status is None and answer.connect_failed
    # a read timeout is an answer that did not finish: the host was reached
    respx.get(f"{EP}/api/models/a/c").mock(side_effect=httpx.ReadTimeout("slow"))
    hub, http = client(HubSettings(endpoint=EP, max_retries=0))
    assert not get(hub, http, f"{EP}/api/models/a/c").connect_failed
