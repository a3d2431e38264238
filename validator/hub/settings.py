"""How the Hub cross-check reaches Hugging Face: endpoint, token, limits, cache.

Settings are read from the environment once (``HubSettings.from_env``) and then passed
around as a frozen value, so no code below this module looks at ``os.environ``. The
variable names and their precedence follow ``huggingface_hub`` so a user's existing
setup works unchanged (reference §2.5): ``HF_ENDPOINT`` (trailing slash stripped),
``HF_TOKEN`` with ``HUGGING_FACE_HUB_TOKEN`` as the legacy fallback.
"""

from __future__ import annotations

import dataclasses
import os
import typing as t
from pathlib import Path

import httpx

DEFAULT_ENDPOINT = "https://huggingface.co"
"""``huggingface_hub``'s default (reference §2.5 ``constants.ENDPOINT``)."""

DEFAULT_TIMEOUT = 10.0
"""Seconds; ``huggingface_hub`` uses 10 for every request (reference §2.3)."""

CACHE_FILE_NAME = "hub.sqlite3"
"""Our ETag table lives in its own file next to the crawler's cache, so the two writers
never contend for one SQLite lock."""


def default_cache_dir(environ: t.Mapping[str, str] = os.environ) -> Path:
    """``VALIDATOR_CACHE_DIR`` or ``.validator/`` (the crawler's cache directory)."""
    value = environ.get("VALIDATOR_CACHE_DIR")
    return Path(value) if value else Path(".validator")


@dataclasses.dataclass(frozen=True)
class HubSettings:
    """Everything the Hub client needs; build with :meth:`from_env`."""

    endpoint: str = DEFAULT_ENDPOINT
    token: str | None = dataclasses.field(default=None, repr=False)
    """Sent as ``Authorization: Bearer`` to the endpoint's origin only (never after a
    redirect to another host: reference §1.5, HFH ``file_download.py``)."""
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = 3
    """Retries after the first attempt for 408/429/5xx and transport errors (§2.3)."""
    max_wait: float = 60.0
    """Longest single back-off we accept; a 429 asking for more gives a
    ``rate-limited`` verdict instead of stalling a nightly run for minutes."""
    concurrency: int = 4
    """Repos checked at once; the Hub's anonymous API budget is 500 requests per
    5 minutes (reference §2.4), so a small number is plenty."""
    max_commit_pages: int = 50
    """Safety cap when walking the commit list to its first commit."""
    cache_path: Path | None = None
    """SQLite file for ETags; ``None`` disables revalidation caching."""
    user_agent: str = "open-models-validator/0.1; hub-check"

    def __post_init__(self) -> None:
        object.__setattr__(self, "endpoint", self.endpoint.rstrip("/"))

    @property
    def origin(self) -> tuple[str, str, int | None]:
        """(scheme, host, port) of the endpoint: the only origin that sees the token."""
        return _origin(httpx.URL(self.endpoint))

    def sends_token_to(self, url: httpx.URL) -> bool:
        """Whether a request to ``url`` may carry the token."""
        return self.token is not None and _origin(url) == self.origin

    @classmethod
    def from_env(cls, environ: t.Mapping[str, str] = os.environ, **overrides: t.Any) -> HubSettings:
        """Read ``HF_ENDPOINT``, ``HF_TOKEN`` / ``HUGGING_FACE_HUB_TOKEN`` and
        ``VALIDATOR_CACHE_DIR``; keyword ``overrides`` win over the environment."""
        values: dict[str, t.Any] = {
            "endpoint": environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT,
            # HFH _get_token_from_environment: HF_TOKEN has priority (reference §2.5)
            "token": environ.get("HF_TOKEN") or environ.get("HUGGING_FACE_HUB_TOKEN") or None,
            "cache_path": default_cache_dir(environ) / CACHE_FILE_NAME,
        }
        values.update(overrides)
        return cls(**values)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host.lower(), url.port or default_port)
