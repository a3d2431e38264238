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

from validator import USER_AGENT
from validator.credentials import check_secret, same_origin
from validator.http.settings import CACHE_DIR_ENV, default_cache_path

DEFAULT_ENDPOINT = "https://huggingface.co"
"""``huggingface_hub``'s default (reference §2.5 ``constants.ENDPOINT``)."""

DEFAULT_TIMEOUT = 10.0
"""Seconds; ``huggingface_hub`` uses 10 for every request (reference §2.3)."""

CACHE_FILE_NAME = "hub.sqlite3"
"""Our ETag table lives in its own file next to the crawler's cache, so the two writers
never contend for one SQLite lock."""


def default_cache_dir(environ: t.Mapping[str, str] = os.environ) -> Path:
    """The crawler's cache directory: ``VALIDATOR_CACHE_DIR``, else where
    :func:`validator.http.default_cache_path` puts the shared cache (``.validator/``)."""
    value = environ.get(CACHE_DIR_ENV)
    return Path(value) if value else default_cache_path().parent


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
    user_agent: str = USER_AGENT
    allow_private: bool | None = None
    """Let the standalone client reach private/loopback addresses; ``None`` = only when
    ``HF_ENDPOINT`` names another endpoint than the public Hub (a mirror, the tests)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "endpoint", self.endpoint.rstrip("/"))

    def sends_token_to(self, url: httpx.URL) -> bool:
        """Whether a request to ``url`` may carry the token: only the endpoint's own
        scheme, host and port."""
        return self.token is not None and same_origin(httpx.URL(self.endpoint), url)

    @property
    def private_allowed(self) -> bool:
        """The effective ``allow_private``."""
        if self.allow_private is not None:
            return self.allow_private
        return self.endpoint != DEFAULT_ENDPOINT

    @classmethod
    def from_env(cls, environ: t.Mapping[str, str] = os.environ, **overrides: t.Any) -> HubSettings:
        """Read ``HF_ENDPOINT``, ``HF_TOKEN`` / ``HUGGING_FACE_HUB_TOKEN`` and
        ``VALIDATOR_CACHE_DIR``; keyword ``overrides`` win over the environment.

        Raises :class:`~validator.credentials.CredentialError` (one line, naming the
        variable, never its value) for a token that cannot be sent as a header."""
        token = None
        # HFH _get_token_from_environment: HF_TOKEN has priority (reference §2.5)
        for variable in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
            if environ.get(variable):
                # a pasted newline or a non-ASCII character: one line naming the variable
                token = check_secret(variable, environ[variable])
                break
        values: dict[str, t.Any] = {
            "endpoint": environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT,
            "token": token,
            "cache_path": default_cache_dir(environ) / CACHE_FILE_NAME,
        }
        values.update(overrides)
        return cls(**values)
