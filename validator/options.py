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
from validator.selection import Selection

if t.TYPE_CHECKING:
    from validator.config import Config


@dataclasses.dataclass(frozen=True)
class CrawlOverrides:
    """Crawl settings given on the command line: ``CrawlSettings`` field name -> value,
    only for the options actually given (each option is declared once, on its
    ``CrawlSettings`` field; ``progress`` absent = only on a terminal outside CI)."""

    values: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)


Command = t.Literal["validate", "links"]


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """Everything one run needs, whichever command asked (see :func:`validator.pipeline.run`).

    ``validate`` reads catalog files (schema and consistency rules, and with ``online``
    the crawl and the Hub check); ``links`` reads catalog, Markdown, HTML and text files
    (or ``stdin``) and crawls every URL in them. Both go through the same stages.
    """

    paths: tuple[Path, ...]
    command: Command = "validate"
    fail_on: Severity = Severity.ERROR
    online: bool = False
    links: bool = True
    hub: bool = True
    changed_since: str | None = None
    """Pull-request mode: online checks only on entry files changed since this git ref."""
    config_path: Path | None = None
    config_stdin: bytes | None = None
    """``--config -``: the configuration as read from standard input (read once, by the
    CLI, since every stage reads the configuration again)."""
    crawl: CrawlOverrides = dataclasses.field(default_factory=CrawlOverrides)
    fix_from_hub: tuple[str, ...] = ()
    """Rule ids whose Hub value should be written back into the catalog."""
    fix_redirects: bool = False
    """``links --fix``: rewrite permanently redirected URLs in catalog files."""
    stdin: str | None = None
    """The text read from standard input when a path is ``-`` (``links``)."""
    stdin_filename: Path | None = None
    """``validate -``: the path the text on standard input stands for (its place in the
    catalog, for context and messages), as ruff's ``--stdin-filename``."""
    input_format: str = "markdown"
    """How to read ``stdin``: ``markdown``, ``html`` or ``text``."""
    schema_dir: Path | None = None
    """Another folder of JSON Schemas (tests)."""
    allow_empty: bool = False
    """Finding no file to check is a success, not the usage error it is by default."""
    selection: Selection = dataclasses.field(default_factory=Selection)
    """``--select``/``--ignore``/``--extend-ignore``: applied over the configuration's."""

    def config(self) -> Config:
        """The run's configuration, read and validated (``ConfigError`` when unusable)."""
        from validator.config import load_config

        return load_config(self.config_path, stdin=self.config_stdin)

    @classmethod
    def for_links(cls, paths: tuple[Path, ...], **kwargs: t.Any) -> RunOptions:
        """Options of ``validator links``: every URL of ``paths``, online, no Hub check."""
        return cls(paths=paths, command="links", online=True, hub=False, **kwargs)


ValidateOptions = RunOptions
"""The name this object had when only ``validate`` used it."""
