"""The offline part of a link check: split the web links from the rest and judge the rest.

Local files and ``#anchors``, ``mailto:`` and the other schemes need no network
(:class:`~validator.links.local.LocalLinks` judges them), so they are judged here,
never cached, never counted towards "network unavailable", and reported through the
same verdict->rule table as crawled links. A ``file://`` URL in a catalog entry is a
finding of its own (``link-file-url``): it points at one machine's disk.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t
from pathlib import Path

from validator.catalog.loader import walk
from validator.findings import Finding, LinkResult, Verdict
from validator.links.filters import UrlFilters
from validator.links.local import MARKDOWN_SUFFIXES, LocalLinks, is_web, scheme
from validator.links.verdicts import finding_for

if t.TYPE_CHECKING:
    # The extractor imports the Markdown parser: a run that reads no Markdown never
    # needs it (validating single catalog files).
    from validator.links.extract import LinkRef

_LOCAL_HINT = "fix the path (relative to this file; /paths start at --root-dir) or remove the link"


@dataclasses.dataclass
class OfflineOutcome:
    """What the offline judge leaves to the crawler, and what it decided itself."""

    web: list[LinkRef]
    results: list[LinkResult]
    findings: list[Finding]


def judge_offline(
    refs: t.Sequence[LinkRef], local: LocalLinks | None = None, filters: UrlFilters | None = None
) -> OfflineOutcome:
    """Judge every ref that is not an http(s) URL; return the web ones untouched.

    ``filters`` excludes apply to local links too (``--exclude '^vendor/'``).
    """
    local = local or LocalLinks()
    filters = filters or UrlFilters()
    web: list[LinkRef] = []
    judged: dict[str, LinkResult] = {}
    places: dict[str, list[LinkRef]] = {}
    findings: list[Finding] = []
    for ref in refs:
        if is_web(ref.url):
            web.append(ref)
            continue
        if ref.entry is not None and scheme(ref.url) == "file":
            rule = "link-file-url"
            findings.append(
                ref.finding(
                    rule,
                    f"file:// URL {ref.url} points at one machine's disk",
                    hint="link the published copy (an https:// URL) instead",
                    evidence={"url": ref.url},
                )
            )
        key = local.key(ref.url, ref.location)
        if key not in judged:
            excluded = filters.excluded(ref.url)
            judged[key] = (
                LinkResult(key, Verdict.SKIPPED, error=f"excluded by '{excluded}'")
                if excluded is not None
                else local.judge(ref.url, ref.location)
            )
        places.setdefault(key, []).append(ref)
    results = []
    for key, occurrences in places.items():
        locations = tuple(dict.fromkeys(r.location for r in occurrences))
        result = dataclasses.replace(judged[key], locations=locations)
        results.append(result)
        findings.extend(_findings(result, occurrences))
    return OfflineOutcome(web, results, findings)


def _findings(result: LinkResult, occurrences: list[LinkRef]) -> t.Iterator[Finding]:
    """The finding of ``result`` at each place (a dead path gets a hint about paths)."""
    for ref in occurrences:
        finding = finding_for(result, ref)
        if finding is not None and finding.rule == "link-dead" and not scheme(ref.url):
            finding = dataclasses.replace(finding, hint=_LOCAL_HINT)
        if finding is not None:
            yield finding


def docs_folder(paths: t.Sequence[Path], catalog_root: Path | None) -> Path | None:
    """The ``docs/`` beside a catalog root that is itself among ``paths``, if any.

    Only a run over the whole catalog (``validator validate`` or ``validate catalog/``)
    checks the docs; validating single entry files never reads them.
    """
    if catalog_root is None:
        return None
    root = catalog_root.resolve()
    if not any(p.is_dir() and p.resolve() == root for p in paths):
        return None
    docs = root.parent / "docs"
    return docs if docs.is_dir() else None


# Every way a Markdown file can hold a link that is not http(s): a file without any is
# not parsed at all (its anchors are still read if another file links into it).
_MAYBE_OFFLINE = re.compile(
    r"\]\(\s*<?(?!https?://)|^\s{0,3}\[[^\]]+\]:\s*<?(?!https?://)"
    r"|\b(?:href|src|srcset)\s*=|mailto:|<[^>\s]+@",
    re.MULTILINE | re.IGNORECASE,
)


def check_docs(folder: Path) -> OfflineOutcome:
    """The local links and anchors of every Markdown file under ``folder`` (no network).

    Web links are returned in ``web`` unjudged: offline validation does not crawl.
    """
    from validator.links.extract import Collected, add_document, display_path

    collected = Collected()
    for path in walk(folder, MARKDOWN_SUFFIXES):
        shown = display_path(path)
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            message = f"cannot read file: {exc}"
            collected.findings.append(Finding("file-unreadable", message, shown))
            continue
        if _MAYBE_OFFLINE.search(text):
            add_document(collected, text, shown, "markdown", str(path.resolve()))
    local = LocalLinks(root=folder.parent, anchors=collected.anchors)
    outcome = judge_offline(collected.refs, local)
    outcome.findings[:0] = collected.findings
    return outcome


__all__ = ["OfflineOutcome", "check_docs", "docs_folder", "judge_offline"]
