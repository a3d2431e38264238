"""The one reader of Hugging Face URLs: which repo (or organisation) a link names.

Used by the offline rules (``hf-url-malformed``, ``hf-org-only``, the context-source
check) and by the Hub cross-check alike, so both read every link the same way. Pure
string work (no httpx), cheap to import on the offline path.

``https://huggingface.co/{owner}/{name}[/...]`` is a model repo, with ``/datasets/`` or
``/spaces/`` in front a dataset or Space; ``https://huggingface.co/{owner}`` alone an
organisation (or user) page. A first segment that is a site section (``blog``,
``docs``, ``chat``...) names no owner.
"""

from __future__ import annotations

import dataclasses
import functools
from urllib.parse import unquote, urlsplit

HUB_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})

RESERVED = frozenset(
    {
        "api", "blog", "chat", "collections", "docs", "enterprise", "inference-endpoints",
        "join", "learn", "login", "models", "new", "new-dataset", "new-space",
        "organizations", "papers", "posts", "pricing", "search", "settings", "tasks",
    }
)  # fmt: skip
"""First path segments that are site sections, not user or organisation names
(``datasets`` and ``spaces`` are read as repo-type prefixes instead)."""

_TYPE_PREFIXES = {"datasets": "dataset", "spaces": "space"}


@dataclasses.dataclass(frozen=True)
class HubLink:
    """What a Hugging Face URL names."""

    kind: str
    """``model``, ``dataset`` or ``space`` (from the URL's prefix, as the Hub routes it)."""
    owner: str
    name: str | None = None
    """``None`` for an organisation (or user) page."""
    rest: tuple[str, ...] = ()
    """Path segments below the repo (``("blob", "main", "README.md")``)."""

    @property
    def repo_id(self) -> str | None:
        """``owner/name``, or ``None`` for an organisation page."""
        return f"{self.owner}/{self.name}" if self.name else None


def is_hub_host(url: str) -> bool:
    """Whether ``url`` is on huggingface.co (or hf.co), whatever its path."""
    try:
        return (urlsplit(url.strip()).hostname or "") in HUB_HOSTS
    except ValueError:
        return False


def _hub_path(url: str) -> str | None:
    """The path of an http(s) URL on a Hub host, else ``None``."""
    low = url.lower()
    if "huggingface.co" not in low and "hf.co" not in low:
        return None  # no Hub host in it: not worth splitting (most URLs of a catalog)
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in HUB_HOSTS:
        return None
    return parts.path


@functools.lru_cache(maxsize=1 << 16)
def parse_hf_url(url: str) -> HubLink | None:
    """What an http(s) Hugging Face URL names; ``None`` when it names no owner.

    Segments are percent-decoded; a dot segment (``org/..``) names nothing, since it
    would ask the API about another path. Remembered (the answer is immutable): the
    offline rules ask about each checkpoint URL several times, which was a fifth of
    their time on a 10,000-entry catalog.
    """
    path = _hub_path(url)
    if path is None:
        return None
    segments = [unquote(s) for s in path.split("/") if s]
    if not segments or any(s in (".", "..") for s in segments):
        return None
    kind = _TYPE_PREFIXES.get(segments[0], "model")
    if kind != "model":
        segments = segments[1:]
    elif segments[0] in RESERVED:
        return None
    if not segments:
        return None
    name = segments[1] if len(segments) > 1 else None
    return HubLink(kind, segments[0], name, tuple(segments[2:]))
