"""The report issue is what a user cannot forge, and a flaky GitHub never makes two.

Against the fake GitHub of tests/github, which can carry a request out and then fail
(500, or the answer lost), as GitHub does.
"""

from __future__ import annotations

import typing as t

import httpx
import pytest

from tests.github.conftest import Clock
from tests.github.fakeapi import FakeGitHub
from tests.github.test_sync import LABEL, dead, night, run
from tests.tls import verifying
from validator.github.api import GitHubClient
from validator.github.sync import MARKER

PERSON = {"login": "mallory", "type": "User"}


@pytest.fixture(params=["pat", "actions-token"])
def fake(request: pytest.FixtureRequest) -> t.Iterator[FakeGitHub]:
    """A personal token (``GET /user`` names it) and the Actions token (it does not)."""
    server = FakeGitHub(viewer="catalog-bot" if request.param == "pat" else None).start()
    yield server
    server.stop()


@pytest.fixture
def client(fake: FakeGitHub, clock: Clock) -> t.Iterator[GitHubClient]:
    with httpx.Client(timeout=5.0, verify=verifying()) as http:
        yield GitHubClient(
            fake.repo, token=fake.token, api_url=fake.url, client=http,
            sleep=clock.sleep, clock=clock.time,
        )  # fmt: skip


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_an_issue_quoting_the_marker_is_never_touched(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    """Before: the user's issue was overwritten and the real one closed as duplicate."""
    real = run(client, night(dead("https://x.test/gone", 3)))
    quoting = fake.add_issue(
        "Why does the bot write this?",
        f"I saw this in the report:\n\n```\n{MARKER}\n```\nWhat is it?",
        [LABEL],
        author=PERSON,
    )
    copied = fake.add_issue("copy", f"{MARKER}\nmy own text", [LABEL], author=PERSON)
    before = {n: dict(i) for n, i in fake.issues.items()}
    result = run(client, night(dead("https://x.test/gone", 3), dead("https://x.test/new", 3)))
    assert (result.action, result.number) == ("update", real.number)
    for issue in (quoting, copied):
        assert fake.issues[issue["number"]] == before[issue["number"]]
        assert issue["number"] not in fake.comments
    assert fake.issues[real.number]["state"] == "open"


def test_an_older_forged_issue_does_not_replace_the_real_one(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    forged = fake.add_issue("Catalog report", f"{MARKER}\nforged", [LABEL], author=PERSON)
    result = run(client, night(dead("https://x.test/gone", 3)))
    assert result.action == "create" and result.number != forged["number"]
    assert fake.issues[forged["number"]]["body"] == f"{MARKER}\nforged"
    assert fake.issues[forged["number"]]["state"] == "open"


def test_the_marker_must_start_the_body(fake: FakeGitHub, client: GitHubClient) -> None:
    late = fake.add_issue("x", f"text first\n{MARKER}", [LABEL])  # by the syncing account
    result = run(client, night(dead("https://x.test/gone", 3)))
    assert result.action == "create" and result.number != late["number"]


@pytest.mark.parametrize("failure", [500, 502, 0], ids=["500", "502", "answer-lost"])
def test_a_create_that_acted_then_failed_leaves_one_issue(
    fake: FakeGitHub, client: GitHubClient, failure: int
) -> None:
    """Before: a 500 after creating left two report issues."""
    fake.labels[LABEL] = {"name": LABEL}
    fake.fail_after_acting("POST", r".*/issues", failure)
    result = run(client, night(dead("https://x.test/gone", 3)))
    assert result.action == "create" and result.number == 1
    assert [i["number"] for i in fake.open_issues()] == [1]
    posts = [c for c in fake.calls if c.method == "POST" and c.path.endswith("/issues")]
    assert len(posts) == 1  # listed again, found it, did not send the create twice


def test_a_create_that_failed_without_acting_is_sent_again(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.labels[LABEL] = {"name": LABEL}
    fake.fail_next("POST", r".*/issues", 503, {}, {"message": "Service Unavailable"})
    result = run(client, night(dead("https://x.test/gone", 3)))
    assert result.action == "create"
    assert len(fake.open_issues()) == 1


def test_duplicates_the_sync_made_are_closed_but_not_a_persons(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    first = fake.add_issue("Catalog report", f"{MARKER}\nold", [LABEL])
    second = fake.add_issue("Catalog report", f"{MARKER}\nold", [LABEL])
    person = fake.add_issue("Catalog report", f"{MARKER}\nold", [LABEL], author=PERSON)
    result = run(client, night())
    assert result.number == first["number"]
    assert fake.issues[second["number"]]["state_reason"] == "duplicate"
    assert fake.issues[person["number"]]["state"] == "open"
