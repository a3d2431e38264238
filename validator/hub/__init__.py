"""Cross-check catalog facts against the Hugging Face Hub.

For every checkpoint and dataset link to a Hub repo, the check reads the repo's card
metadata (``/api/models/{id}``), its ``config.json`` and its first commit, and compares
license, trained context length, parameter count and release month with the catalog.
Each repo gets one verdict (ok, renamed, gated, missing, disabled, rate-limited, error,
org-only); each disagreement becomes a finding at the catalog field's line with the
evidence. ``docs/hub.md`` documents the checks; API facts are from
``../shared/reference/huggingface-hub-api.md`` (cited by section in the code).
"""

from __future__ import annotations

import typing as t

from validator.lazy import export

if t.TYPE_CHECKING:
    from validator.hub.check import check_catalog_hub
    from validator.hub.client import HubClient, HubResponse, Limiter, RateLimit
    from validator.hub.configs import ConfigLength, context_from_config
    from validator.hub.fix import apply_hub_fixes
    from validator.hub.outcome import HubOutcome
    from validator.hub.repos import RepoId, RepoKind, parse_hub_url
    from validator.hub.result import RepoPlace, RepoResult, RepoVerdict
    from validator.hub.rules import HUB_RULES
    from validator.hub.settings import HubSettings

# Imported on first use, so that ``validator.hub.result`` (plain data a report holds)
# does not pull in httpx and the client on the offline path.
_HOME = {
    "HUB_RULES": "rules",
    "ConfigLength": "configs",
    "HubClient": "client",
    "HubOutcome": "outcome",
    "HubResponse": "client",
    "HubSettings": "settings",
    "Limiter": "client",
    "RateLimit": "client",
    "RepoId": "repos",
    "RepoKind": "repos",
    "RepoPlace": "result",
    "RepoResult": "result",
    "RepoVerdict": "result",
    "apply_hub_fixes": "fix",
    "check_catalog_hub": "check",
    "context_from_config": "configs",
    "parse_hub_url": "repos",
}


def __getattr__(name: str) -> t.Any:
    return export(__name__, _HOME, name)


__all__ = [
    "HUB_RULES",
    "ConfigLength",
    "HubClient",
    "HubOutcome",
    "HubResponse",
    "HubSettings",
    "Limiter",
    "RateLimit",
    "RepoId",
    "RepoKind",
    "RepoPlace",
    "RepoResult",
    "RepoVerdict",
    "apply_hub_fixes",
    "check_catalog_hub",
    "context_from_config",
    "parse_hub_url",
]
