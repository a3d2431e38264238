"""Reporters: one class per output format, selected by name from one registry.

A new format is one class, one line in :data:`REPORTERS` and one exact-output test.
"""

from __future__ import annotations

from validator.report.base import Reporter
from validator.report.github import GithubReporter
from validator.report.html import HtmlReporter
from validator.report.json import JsonReporter
from validator.report.junit import JunitReporter
from validator.report.markdown import MarkdownReporter
from validator.report.sarif import SarifReporter
from validator.report.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "markdown": MarkdownReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
    "html": HtmlReporter,
}


def get_reporter(name: str, **options: object) -> Reporter:
    """Build the reporter registered under ``name``."""
    return REPORTERS[name](**options)  # type: ignore[arg-type]


__all__ = ["REPORTERS", "Reporter", "get_reporter"]
