"""Which catalog links name a Hugging Face repo, and which repo.

Only checkpoint links (``checkpoints[].url``) and dataset links (``datasets[].url``)
are cross-checked: a paper or "try it" link that happens to live on the Hub (a blog
post, a Space) says nothing about the entry's facts. A link to an organisation alone
(``huggingface.co/cerebras``) names no repo; it becomes an ``org-only`` reference so the
check can say once that there is nothing to compare.
"""

from __future__ import annotations

import dataclasses
import enum
import typing as t
from urllib.parse import quote

from validator.catalog.model import Entry
from validator.hub.urls import parse_hf_url

# Sub-paths inside a repo page: /{org}/{name}/blob/main/README.md and friends.
_REPO_SUBPAGES = frozenset({"blob", "tree", "resolve", "raw", "commit", "commits", "discussions"})

_LIST_FIELDS = ("checkpoints", "datasets")


class RepoKind(enum.StrEnum):
    """What a Hub link points at."""

    MODEL = "model"
    DATASET = "dataset"
    ORG = "org"
    """An organisation or user page: no repo to check."""


@dataclasses.dataclass(frozen=True)
class RepoId:
    """A repo on the Hub: kind plus ``owner/name`` (or just ``owner`` for ``ORG``)."""

    kind: RepoKind
    id: str

    @property
    def api_kind(self) -> str:
        """The path segment of the API: ``models`` or ``datasets`` (reference §1.1)."""
        return "datasets" if self.kind is RepoKind.DATASET else "models"

    def __str__(self) -> str:
        return f"datasets/{self.id}" if self.kind is RepoKind.DATASET else self.id


@dataclasses.dataclass(frozen=True)
class RepoRef:
    """One link in one entry that names a Hub repo."""

    entry: Entry = dataclasses.field(compare=False)
    repo: RepoId
    url: str
    path: tuple[str | int, ...]
    """JSON path of the URL, e.g. ``("checkpoints", 1, "url")``."""

    @property
    def item(self) -> dict[str, t.Any]:
        """The checkpoint / dataset item the link sits in."""
        items = self.entry.data.get(str(self.path[0]))
        index = self.path[1]
        if isinstance(items, list) and isinstance(index, int) and index < len(items):
            item = items[index]
            return item if isinstance(item, dict) else {}
        return {}


def parse_hub_url(url: str) -> RepoId | None:
    """The repo a Hub URL names, or ``None`` when it is not a repo or org link.

    The kind comes from the URL itself (``/datasets/`` prefix), as the Hub routes it.
    """
    link = parse_hf_url(url)
    if link is None or link.kind == "space":
        return None
    if link.kind == "dataset":
        # /datasets/{org}: a listing, not a repo
        return RepoId(RepoKind.DATASET, link.repo_id) if link.repo_id else None
    if link.repo_id is None:
        return RepoId(RepoKind.ORG, link.owner)
    if not link.rest or link.rest[0] in _REPO_SUBPAGES:
        return RepoId(RepoKind.MODEL, link.repo_id)
    return None


def quote_id(repo_id: str) -> str:
    """``repo_id`` as a URL path: ``owner/name`` with every other reserved character
    percent-encoded, so that an id holding ``#``, ``?`` or ``%`` is asked about as
    written and never becomes a fragment, a query or another repo."""
    return quote(repo_id, safe="/")


def collect_refs(entries: t.Iterable[Entry]) -> list[RepoRef]:
    """Every checkpoint and dataset link of ``entries`` that names a Hub repo or org."""
    refs: list[RepoRef] = []
    for entry in entries:
        for list_key in _LIST_FIELDS:
            items = entry.data.get(list_key)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                url = item.get("url") if isinstance(item, dict) else None
                if not isinstance(url, str):
                    continue
                repo = parse_hub_url(url)
                if repo is not None:
                    refs.append(RepoRef(entry, repo, url, (list_key, i, "url")))
    return refs
