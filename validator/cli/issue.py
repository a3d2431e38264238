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
from validator.cli.verbosity import quiet, say
from validator.escape import blob_base_url
from validator.exitcodes import ExitCode
from validator.stdio import shown_name

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
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="JSON report from `validator validate --online --output json:PATH` ('-': stdin).",
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
    """Create, update or close the one report issue from a JSON report ('-': stdin).

    Uses GITHUB_TOKEN and GITHUB_API_URL (default https://api.github.com). -q drops the
    closing line saying what was done; -v says which report, repository and label.
    """
    from validator.github.api import DEFAULT_API_URL, GitHubAPIError, GitHubClient
    from validator.github.sync import DEFAULT_LABEL, DEFAULT_TITLE, ReportError, sync

    report = _load_report(report_path)
    env = os.environ
    token = env.get("GITHUB_TOKEN")
    if not token and not dry_run:
        fail("GITHUB_TOKEN is not set (needed to write issues)", ExitCode.USAGE)
    if artifact_url is None:
        artifact_url = _run_url(env, repo)
    try:
        client = GitHubClient(
            repo, token=token, api_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL
        )
    except ValueError as e:  # OWNER/NAME, or a token that cannot be sent (CredentialError)
        fail(str(e), ExitCode.USAGE)
    say(f"repository {repo}; label {label or DEFAULT_LABEL!r}; dry run: {dry_run}")
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
    if not dry_run and not quiet():
        click.echo(_done(result))


def _run_url(env: t.Mapping[str, str], repo: str) -> str | None:
    """This workflow run's page (where its artifacts are), inside GitHub Actions."""
    if not env.get("GITHUB_RUN_ID"):
        return None
    server = (env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")
    return f"{server}/{repo}/actions/runs/{env['GITHUB_RUN_ID']}"


def _load_report(path: Path) -> t.Any:
    """The JSON report (``-``: standard input); a usage error when unreadable."""
    from validator.jsonfile import JsonFileError, load_json

    try:
        report = load_json(path, "report")
    except JsonFileError as e:
        fail(str(e), ExitCode.USAGE)
    say(_read_what(path, report))
    return report


def _read_what(path: Path, report: t.Any) -> str:
    """What the report holds, in one verbose line."""
    findings = report.get("findings") if isinstance(report, dict) else None
    links = report.get("links") if isinstance(report, dict) else None
    counts = [
        f"{len(items)} {name}{'' if len(items) == 1 else 's'}"
        for name, items in (("finding", findings), ("link", links))
        if isinstance(items, list)
    ]
    return f"report {shown_name(path)}: {', '.join(counts) or 'no findings or links listed'}"


def _done(result: t.Any) -> str:
    """One line saying what sync did."""
    where = f" #{result.number}" if result.number is not None else ""
    link = f": {result.url}" if result.url else ""
    verbs = {"create": "created", "update": "updated", "close": "closed"}
    if result.action in verbs:
        return f"{verbs[result.action]} issue{where}{link} ({result.reason})"
    return f"nothing to do: {result.reason}"
