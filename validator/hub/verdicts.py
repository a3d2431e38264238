"""Per-repo verdicts: the findings a repo's state means, and its typed result.

A repo's verdict (:meth:`RepoState.verdict_now`) becomes at most one finding per place
it is linked from (``hub-repo-missing``, ``-disabled``, ``-renamed``, ``-gated``,
``hub-unavailable``) and one :class:`~validator.hub.result.RepoResult` for the report.
"""

from __future__ import annotations

import typing as t

from validator.catalog.source import json_path
from validator.findings import Finding, LinkResult, Verdict
from validator.hub.fetch import RepoState
from validator.hub.repos import RepoId, RepoKind, RepoRef
from validator.hub.result import RepoPlace, RepoResult, RepoVerdict

HUB_WEB = "https://huggingface.co"
"""Where hints send people: the public site, whatever endpoint the check used."""


def place_of(ref: RepoRef) -> RepoPlace:
    line, _col = ref.entry.position(ref.path)
    return RepoPlace(ref.entry.file, line, ref.entry.id, json_path(ref.path))


def _verdict_finding(ref: RepoRef, state: RepoState, verdict: RepoVerdict) -> Finding | None:
    entry = ref.entry
    label = str(state.repo)
    evidence: dict[str, t.Any] = {
        "repo": label, "catalog": ref.url, "hub": state.detail, "status": state.status,
        "url": state.api_url,
    }  # fmt: skip

    def make(rule: str, message: str, hint: str) -> Finding:
        return entry.finding(rule, message, ref.path, hint=hint, evidence=evidence)

    if verdict is RepoVerdict.MISSING:
        return make(
            "hub-repo-missing",
            f"{label} does not exist on the Hub ({state.detail})",
            "fix the link or remove the checkpoint; a private repo also answers like this",
        )
    if verdict is RepoVerdict.DISABLED:
        return make(
            "hub-repo-disabled",
            f"{label} has been disabled on the Hub: its files cannot be downloaded",
            "link a mirror or another checkpoint, or note that the weights were withdrawn",
        )
    if verdict is RepoVerdict.RENAMED and state.new_id:
        new_prefix = "datasets/" if state.repo.kind is RepoKind.DATASET else ""
        new_url = ref.url.replace(f"/{state.repo.id}", f"/{state.new_id}", 1)
        evidence["hub"] = f"{new_prefix}{state.new_id}"
        evidence["fix"] = {"old": ref.url, "new": new_url}
        return make(
            "hub-repo-renamed",
            f"{label} was renamed to {new_prefix}{state.new_id}",
            f"update the URL to {HUB_WEB}/{new_prefix}{state.new_id} "
            "(--fix-from-hub hub-repo-renamed)",
        )
    if verdict in (RepoVerdict.RATE_LIMITED, RepoVerdict.ERROR):
        detail = state.failure[1] if state.failure else state.detail
        evidence["hub"] = detail
        return make(
            "hub-unavailable",
            f"could not cross-check {label}: {detail}",
            "run again later; an HF_TOKEN raises the Hub's rate limits",
        )
    return None


def _gated_finding(ref: RepoRef, state: RepoState) -> Finding:
    label = str(state.repo)
    mode = f" ({state.gated})" if state.gated else ""
    if state.facts:
        what = ("its card was read, but its files (config.json) could not be, so the context "
                "length was not cross-checked")  # fmt: skip
    else:
        what = "neither its card nor its files could be read, so nothing was cross-checked"
    return ref.entry.finding(
        "hub-repo-gated",
        f"{label} is gated{mode}: {what}",
        ref.path,
        hint="set HF_TOKEN to a token whose account accepted the repo's terms to check it too",
        evidence={"repo": label, "catalog": ref.url, "hub": state.detail, "url": state.api_url},
    )  # fmt: skip


def repo_findings(ref: RepoRef, state: RepoState) -> list[Finding]:
    """Every finding the repo's verdict means at one place it is linked from."""
    out: list[Finding] = []
    verdict, _detail = state.verdict_now()
    finding = _verdict_finding(ref, state, verdict)
    if finding:
        out.append(finding)
    if state.files_gated and verdict is not RepoVerdict.MISSING:
        out.append(_gated_finding(ref, state))
    if verdict is RepoVerdict.RENAMED and state.failure:
        extra = _verdict_finding(ref, state, state.failure[0])
        if extra:
            out.append(extra)
    return out


def org_result(ref: RepoRef) -> RepoResult:
    """An org-only link: no finding (the offline rule hf-org-only says so, once)."""
    return RepoResult(ref.repo.id, "org", RepoVerdict.ORG_ONLY, places=(place_of(ref),))


def repo_result(repo: RepoId, state: RepoState, places: t.Sequence[RepoPlace]) -> RepoResult:
    """The report's record of one repo: verdict, what was learnt, which checks had data."""
    verdict, detail = state.verdict_now()
    facts = state.facts
    checks = []
    if facts is not None:
        checks.append("license")
        if facts.config is not None:
            checks.append("context")
        if facts.first_commit:
            checks.append("release")
    return RepoResult(
        repo=str(repo), kind=repo.kind.value, verdict=verdict, url=state.api_url,
        new_id=state.new_id, status=state.status, detail=detail, gated=state.gated,
        places=tuple(places), checks=tuple(checks),
    )  # fmt: skip


def link_result(ref: RepoRef, state: RepoState) -> LinkResult | None:
    """What the Hub's answer about a repo says of ``ref.url`` as a link, or ``None``
    when it says nothing sure (disabled, rate-limited, an error, a fragment to look
    for in the page): then the crawl asks the URL itself.

    The repo's card was read (ok, gated files, renamed: the Hub redirects an old id
    with a 307, reference §1.5, which a link check follows without a finding), or the
    API called it missing (a dead link). ``answered_by`` names the answer.
    """
    verdict, detail = state.verdict_now()
    if "#" in ref.url:
        return None
    answered_by = f"GET {state.api_url} -> {state.status}"
    if verdict is RepoVerdict.MISSING:
        error = f"the Hub API answered {detail}"
        return LinkResult(ref.url, Verdict.DEAD, status=state.status, error=error,
                          answered_by=answered_by)  # fmt: skip
    if state.facts is None or verdict not in (
        RepoVerdict.OK, RepoVerdict.GATED, RepoVerdict.RENAMED
    ):  # fmt: skip
        return None
    if verdict is RepoVerdict.RENAMED and state.new_id:
        new_url = ref.url.replace(f"/{state.repo.id}", f"/{state.new_id}", 1)
        return LinkResult(ref.url, Verdict.OK, status=state.status, final_url=new_url,
                          redirects=((307, new_url),), answered_by=answered_by)  # fmt: skip
    return LinkResult(ref.url, Verdict.OK, status=state.status, answered_by=answered_by)
