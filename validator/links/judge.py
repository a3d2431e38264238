"""One URL's verdict from what its crawl ended with: an HTTP answer or a network error.

Pure: no I/O. :class:`~validator.links.crawl.Crawler` hands over the final answer of
the redirect chain (with the body when a ``#fragment`` is checked) or the error that
ended the attempts; the statuses below decide the rest (``docs/links.md``).
"""

from __future__ import annotations

import dataclasses
import typing as t

import httpx

from validator.findings import LinkResult, Verdict
from validator.http import NetworkError, RequestTimeout, UnknownHostError
from validator.http.redirects import REDIRECT_STATUSES, permanent_target
from validator.links import anchors

DEAD_STATUSES = frozenset({404, 410})
# Bot walls: 401/403 from WAFs, LinkedIn's 999; linkinator skips 999 and 403 with
# cf-mitigated (PRs #686, #709). Unverifiable, never dead.
BLOCKED_STATUSES = frozenset({401, 403, 999})


@dataclasses.dataclass
class Answer:
    """The final response of a redirect chain (body only when asked for)."""

    status: int
    url: httpx.URL
    headers: httpx.Headers
    body: bytes = b""
    truncated: bool = False


def _html(answer: Answer) -> bool:
    return anchors.is_html(answer.headers.get("content-type", ""))


def verdict_of_error(url: str, error: NetworkError, **facts: t.Any) -> LinkResult:
    """An unknown host is dead, a timeout a timeout, anything else an error.

    ``facts``: the result's other fields (attempts, redirects, time taken)."""
    if isinstance(error, UnknownHostError):
        return LinkResult(url, Verdict.DEAD, error=error.message, **facts)
    if isinstance(error, RequestTimeout):
        return LinkResult(url, Verdict.TIMEOUT, error=error.message, **facts)
    return LinkResult(url, Verdict.ERROR, error=error.message, **facts)


def verdict_of_answer(
    url: str,
    answer: Answer,
    fragment: str,
    accepted: frozenset[int],
    *,
    redirects: t.Sequence[tuple[int, str]] = (),
    **facts: t.Any,
) -> LinkResult:
    """The verdict an HTTP answer means (``fragment``: the anchor to look for, or "";
    ``redirects``: the hops followed; ``facts``: the result's other fields, as for
    :func:`verdict_of_error`)."""
    status = answer.status
    final = str(answer.url) if redirects else None
    common: dict[str, t.Any] = {"status": status, "final_url": final, **facts}
    common["redirects"] = tuple(redirects)
    if status in accepted:
        # An accepted error page (accept = [200, 404]) is not the page the
        # fragment points into: its anchors are not looked for (lychee does so too).
        if fragment and 200 <= status < 300 and _html(answer):
            if not answer.truncated and not anchors.has_fragment(answer.body, fragment):
                return LinkResult(
                    url,
                    Verdict.FRAGMENT_MISSING,
                    error=f"no element with id or name '{fragment}' in the page",
                    **common,
                )
        if permanent_target(url, redirects):
            return LinkResult(url, Verdict.REDIRECTED, **common)
        return LinkResult(url, Verdict.OK, **common)
    if status in DEAD_STATUSES:
        return LinkResult(url, Verdict.DEAD, error=f"HTTP {status}", **common)
    if status in BLOCKED_STATUSES or "cf-mitigated" in answer.headers:
        why = "bot protection" if status != 401 else "login required"
        return LinkResult(
            url, Verdict.BLOCKED, error=f"HTTP {status}: {why}; not verified", **common
        )
    if status == 429:
        return LinkResult(
            url, Verdict.BLOCKED, error="HTTP 429: rate limited; not verified", **common
        )
    if status in REDIRECT_STATUSES:
        return LinkResult(url, Verdict.ERROR, error=f"HTTP {status} without Location", **common)
    return LinkResult(url, Verdict.ERROR, error=f"HTTP {status}", **common)
