"""Validated run options: what the CLI hands to the core.

The CLI turns click parameters into these plain objects; the core never sees click.
Crawl settings that come from configuration files are merged in by
``validator.config`` (command-line values win over file values).
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from validator.findings import Severity


@dataclasses.dataclass(frozen=True)
class CrawlOverrides:
    """Crawl settings given on the command line: ``CrawlSettings`` field name -> value,
    only for the options actually given (each option is declared once, on its
    ``CrawlSettings`` field; ``progress`` absent = only on a terminal outside CI)."""

    values: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class ValidateOptions:
    """Everything ``validator validate`` needs to run."""

    paths: tuple[Path, ...]
    fail_on: Severity = Severity.ERROR
    online: bool = False
    links: bool = True
    hub: bool = True
    changed_since: str | None = None
    config_path: Path | None = None
    crawl: CrawlOverrides = dataclasses.field(default_factory=CrawlOverrides)
    fix_from_hub: tuple[str, ...] = ()
    """Rule ids whose Hub value should be written back into the catalog."""
