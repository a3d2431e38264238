"""``validator issue sync``: keep the one nightly report issue in line with a JSON report.

The command reads a report written by ``validator validate --online --output json:…``
and hands it to :mod:`validator.github.sync`. It takes the token from
``GITHUB_TOKEN`` and the API from ``GITHUB_API_URL`` (GitHub Enterprise Server sets
it), never from the command line, so tokens stay out of process lists and logs.
Exit codes: 0 done (including "nothing to do"), 1 GitHub refused a call, 2 usage or an
unreadable report, 3 GitHub could not be reached (network unavailable, ``--dry-run``
too); every failure is one line on stderr.
"""

from __future__ import annotations

import os
import typing as t
from pathlib import Path

import click

from validator.cli import main
from validator.cli.exits import fail
from validator.escape import blob_base_url
from validator.exitcodes import ExitCode

ISSUE_EXIT_CODES_HELP = (
    "Exit codes: 0 done (also when nothing changed); 1 GitHub refused a call; "
    "2 usage error or unreadable report; 3 GitHub could not be reached (network)."
)


@main.group("issue")
def issue_group() -> None:
    """Maintain the nightly report issue on GitHub."""


@issue_group.command("sync", epilog=ISSUE_EXIT_CODES_HELP)
@click.option(
    "--report",
    "report_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="JSON report from `validator validate --online --output json:PATH`.",
)
@click.option("--repo", required=True, help="Repository as OWNER/NAME.")
@click.option("--label", default=None, help="Label that marks the report issue.")
@click.option("--title", default=None, help="Title of a newly created report issue.")
@click.option(
    "--fail-after",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Count a link only after this many consecutive failing runs.",
)
@click.option("--artifact-url", help="Link to the full report (default: this workflow run).")
@click.option("--dry-run", is_flag=True, help="Print the planned action and body; write nothing.")
def sync_command(
    report_path: Path,
    repo: str,
    label: str | None,
    title: str | None,
    fail_after: int,
    artifact_url: str | None,
    dry_run: bool,
) -> None:
    """Create, update or close the one report issue from a JSON report.

    Uses GITHUB_TOKEN and GITHUB_API_URL (default https://api.github.com).
    """
    from validator.github.api import DEFAULT_API_URL, GitHubAPIError, GitHubClient
    from validator.github.sync import DEFAULT_LABEL, DEFAULT_TITLE, ReportError, sync
    from validator.jsonfile import JsonFileError, load_json

    try:
        report = load_json(report_path, "report")
    except JsonFileError as e:
        fail(str(e), ExitCode.USAGE)

    env = os.environ
    token = env.get("GITHUB_TOKEN")
    if not token and not dry_run:
        fail("GITHUB_TOKEN is not set (needed to write issues)", ExitCode.USAGE)
    server = (env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")
    if artifact_url is None and env.get("GITHUB_RUN_ID"):
        artifact_url = f"{server}/{repo}/actions/runs/{env['GITHUB_RUN_ID']}"
    try:
        client = GitHubClient(
            repo, token=token, api_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL
        )
    except ValueError as e:  # OWNER/NAME, or a token that cannot be sent (CredentialError)
        fail(str(e), ExitCode.USAGE)
    with client:
        try:
            result = sync(
                client,
                report,
                label=label or DEFAULT_LABEL,
                title=title or DEFAULT_TITLE,
                fail_after=fail_after,
                artifact_url=artifact_url,
                blob_base_url=blob_base_url(env, repo=repo),
                dry_run=dry_run,
                echo=click.echo,
            )
        except ReportError as e:
            fail(f"report {report_path}: {e}", ExitCode.USAGE)
        except GitHubAPIError as e:
            if e.status is None:  # no answer at all: the network, not a refusal
                fail(f"network unavailable: {e}", ExitCode.NETWORK_UNAVAILABLE)
            fail(f"GitHub refused: {e}", ExitCode.FINDINGS)
    if not dry_run:
        click.echo(_done(result))


def _done(result: t.Any) -> str:
    """One line saying what sync did."""
    where = f" #{result.number}" if result.number is not None else ""
    link = f": {result.url}" if result.url else ""
    verbs = {"create": "created", "update": "updated", "close": "closed"}
    if result.action in verbs:
        return f"{verbs[result.action]} issue{where}{link} ({result.reason})"
    return f"nothing to do: {result.reason}"
