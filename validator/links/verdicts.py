"""From verdicts to findings: the one table saying which rule each verdict breaks.

A :class:`~validator.findings.LinkResult` is the inventory (one per distinct URL);
a finding is the problem, one per place the URL occurs. ``ok`` and ``skipped`` break
no rule. Severities come from the rule book; a caller may override them (as
``--fail-after`` does).
"""

from __future__ import annotations

import dataclasses
import typing as t

from validator.findings import Finding, LinkResult, Severity, Verdict
from validator.rulebook import RULES

if t.TYPE_CHECKING:
    # The extractor imports the Markdown parser: a run that reads no Markdown never
    # needs it (validating single catalog files).
    from validator.links.extract import LinkRef


@dataclasses.dataclass(frozen=True)
class VerdictRule:
    """The rule a verdict breaks and how its finding reads."""

    rule: str
    message: str
    """A ``str.format`` template: ``{url}``, ``{error}``, ``{streak}``, ``{target}``."""
    hint: str | None = None

    @property
    def severity(self) -> Severity:
        """The rule's default severity, from the rule book."""
        return RULES[self.rule].severity


VERDICT_RULES: dict[Verdict, VerdictRule] = {
    Verdict.DEAD: VerdictRule(
        "link-dead",
        "dead link {url}: {error}{streak}",
        "replace the URL (an archived copy at web.archive.org may do) or remove it",
    ),
    Verdict.ERROR: VerdictRule("link-error", "link {url} failed: {error}{streak}"),
    Verdict.TIMEOUT: VerdictRule("link-timeout", "link {url} timed out: {error}{streak}"),
    Verdict.FRAGMENT_MISSING: VerdictRule(
        "link-fragment-missing",
        "link {url}: {error}{streak}",
        "point the link at an anchor that exists, or drop the #fragment",
    ),
    Verdict.REDIRECTED: VerdictRule(
        "link-redirected",
        "link {url} moved permanently to {target}",
        "run `validator links --fix` to rewrite it to the new URL",
    ),
    Verdict.BLOCKED: VerdictRule("link-blocked", "link {url} could not be verified: {error}"),
}
"""Every verdict that is a finding; the others (``ok``, ``skipped``) are not."""


def rule_for(verdict: Verdict) -> str | None:
    """The rule id a verdict is reported under, or ``None`` when it is no problem."""
    entry = VERDICT_RULES.get(verdict)
    return entry.rule if entry else None


def finding_for(
    result: LinkResult, ref: LinkRef, severity_override: Severity | None = None
) -> Finding | None:
    """The finding ``result`` means at ``ref``, or ``None`` when it is no problem."""
    entry = VERDICT_RULES.get(result.verdict)
    if entry is None:
        return None
    evidence: dict[str, object] = {
        "url": result.url,
        "verdict": result.verdict.value,
        "status": result.status,
    }
    if result.answered_by:
        evidence["answered_by"] = result.answered_by
    history = result.history
    if history is not None:
        evidence["history"] = history.to_dict()
    runs = history.consecutive_failures if history else 0
    since = history.first_failed if history else None
    target = None
    if result.verdict is Verdict.REDIRECTED:
        # imported here: offline runs (local links in validate) never load httpx
        from validator.http.redirects import permanent_target

        target = permanent_target(result.url, result.redirects)
        evidence["new_url"] = target
    message = entry.message.format(
        url=result.url,
        error=result.error,
        streak=f" (failing for {runs} runs since {since})" if runs > 1 else "",
        target=target,
    )
    override = severity_override if result.verdict.is_failure else None
    return ref.finding(entry.rule, message, hint=entry.hint, evidence=evidence, override=override)
