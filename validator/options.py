"""Validated run options: what the CLI hands to the core.

The CLI turns click parameters into these plain objects; the core never sees click.
Crawl settings that come from configuration files are merged in by
``validator.config`` (command-line values win over file values).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from validator.findings import Severity


@dataclasses.dataclass(frozen=True)
class CrawlOverrides:
    """Crawl settings given on the command line (``None`` = use config file or default)."""

    timeout: float | None = None
    connect_timeout: float | None = None
    max_retries: int | None = None
    concurrency: int | None = None
    host_concurrency: int | None = None
    host_interval: float | None = None
    cache_path: Path | None = None
    no_cache: bool = False
    allow_private: bool = False
    fail_after: int | None = None
    excludes: tuple[str, ...] = ()
    progress: bool | None = None
    """Show a progress bar; ``None`` = only on an interactive terminal outside CI."""


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
