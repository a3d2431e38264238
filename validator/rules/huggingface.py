"""Hugging Face URL rules, offline: the links have the shape the Hub check needs.

A checkpoint on huggingface.co should name one repo (``/{org}/{name}``): an
organisation page (``huggingface.co/cerebras``) gives nothing to cross-check. A
context-length source on the Hub should be about this entry's own models: the seed's
OpenLLaMA row cites ``huggingface.co/h2oai``, another organisation entirely.
"""

from __future__ import annotations

import typing as t
from urllib.parse import urlsplit

from validator.catalog.model import Entry
from validator.findings import Finding
from validator.hub.urls import is_hub_host, parse_hf_url
from validator.rules import RuleContext


def _github_owner(url: str) -> str | None:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    return segments[0].lower() if parts.hostname == "github.com" and segments else None


def check(context: RuleContext) -> t.Iterator[Finding]:
    """``hf-url-malformed``, ``hf-org-only`` and ``context-source-mismatch``."""
    by_id = {entry.id: entry for entry in context.entries()}
    for entry in context.entries():
        yield from _checkpoint_shapes(entry)
        yield from _dataset_shapes(entry)
        yield from _context_source(entry, by_id)


def _checkpoint_shapes(entry: Entry) -> t.Iterator[Finding]:
    for i, checkpoint in enumerate(entry.data.get("checkpoints") or []):
        url = checkpoint.get("url") if isinstance(checkpoint, dict) else None
        if not isinstance(url, str) or not is_hub_host(url):
            continue
        repo = parse_hf_url(url)
        path = ("checkpoints", i, "url")
        if repo is None or repo.kind != "model" or repo.rest:
            yield entry.finding(
                "hf-url-malformed",
                f"checkpoint URL {url} is not of the form https://huggingface.co/{{org}}/{{name}}",
                path,
                hint="link the model repo itself; put file or section links elsewhere",
            )
        elif repo.name is None:
            yield entry.finding(
                "hf-org-only",
                f"checkpoint URL {url} is an organisation page: nothing to cross-check",
                path,
                hint=f"list the checkpoints themselves (https://huggingface.co/{repo.owner}/<model>)",
            )


def _dataset_shapes(entry: Entry) -> t.Iterator[Finding]:
    for i, dataset in enumerate(entry.data.get("datasets") or []):
        url = dataset.get("url") if isinstance(dataset, dict) else None
        if not isinstance(url, str) or not is_hub_host(url):
            continue
        repo = parse_hf_url(url)
        if repo is None or repo.kind != "dataset" or repo.name is None or repo.rest:
            yield entry.finding(
                "hf-url-malformed",
                f"dataset URL {url} is not of the form "
                "https://huggingface.co/datasets/{org}/{name}",
                ("datasets", i, "url"),
                hint="link the dataset repo itself",
            )


def _identities(entry: Entry) -> tuple[set[str], set[tuple[str, str]], set[str]]:
    """(orgs, (org, name) repos, org-only orgs) of an entry's checkpoints, lower-cased."""
    orgs: set[str] = set()
    repos: set[tuple[str, str]] = set()
    org_only: set[str] = set()
    for checkpoint in entry.data.get("checkpoints") or []:
        url = checkpoint.get("url") if isinstance(checkpoint, dict) else None
        if not isinstance(url, str):
            continue
        repo = parse_hf_url(url)
        if repo is not None:
            orgs.add(repo.owner.lower())
            if repo.name is None:
                org_only.add(repo.owner.lower())
            else:
                repos.add((repo.owner.lower(), repo.name.lower()))
        elif owner := _github_owner(url):
            orgs.add(owner)
    return orgs, repos, org_only


def _with_bases(
    entry: Entry, by_id: dict[str, Entry]
) -> tuple[set[str], set[tuple[str, str]], set[str], set[tuple[str, str]]]:
    """Orgs, repos and org-only links of the entry and the entries it is ``based_on``;
    and the base entries' repos alone (the family)."""
    orgs, repos, org_only = _identities(entry)
    family: set[tuple[str, str]] = set()
    for base in entry.data.get("based_on") or []:
        if isinstance(base, str) and base in by_id:
            base_orgs, base_repos, base_org_only = _identities(by_id[base])
            orgs |= base_orgs
            repos |= base_repos
            family |= base_repos
            org_only |= base_org_only
    return orgs, repos, org_only, family


def _context_source(entry: Entry, by_id: dict[str, Entry]) -> t.Iterator[Finding]:
    source = entry.value_at(("context_length", "source"))
    cited = parse_hf_url(source) if isinstance(source, str) else None
    if cited is None or cited.kind != "model":
        return
    orgs, repos, org_only, family = _with_bases(entry, by_id)
    if not orgs:
        return
    org = cited.owner.lower()
    name = cited.name.lower() if cited.name else None
    path = ("context_length", "source")
    if org not in orgs:
        yield entry.finding(
            "context-source-mismatch",
            f"context-length source {source} is about the organisation '{cited.owner}', "
            f"not this entry's checkpoints ({', '.join(sorted(orgs))})",
            path,
            hint="cite the model card or config.json of one of this entry's checkpoints",
            evidence={"source": source, "checkpoint_orgs": sorted(orgs)},
        )
    elif (
        name
        and org not in org_only
        and (org, name) not in repos
        # a sibling of a base checkpoint (bigscience/bloom-1b1 for a row based on bloom)
        and not any(o == org and name.startswith(n) for o, n in family)
    ):
        yield entry.finding(
            "context-source-mismatch",
            f"context-length source {source} is about '{cited.repo_id}', "
            "which is not one of this entry's checkpoints",
            path,
            hint="cite one of this entry's checkpoints, or add `based_on` naming the entry "
            "whose card you cite",
            evidence={"source": source, "checkpoints": sorted(f"{o}/{n}" for o, n in repos)},
        )
