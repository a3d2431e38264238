"""The reporter interface: a report goes in, a string comes out.

Reporters never write anywhere; the CLI decides whether the string goes to stdout,
a file, or ``$GITHUB_STEP_SUMMARY``. That keeps every format testable as an exact
string and lets one run write several formats at once.
"""

from __future__ import annotations

import abc
import typing as t

from validator.findings import Report


class Reporter(abc.ABC):
    """Turns a :class:`~validator.findings.Report` into one output format."""

    name: t.ClassVar[str]
    """The ``--format`` / ``--output`` name."""

    def __init__(self, *, color: bool = False, **options: t.Any) -> None:
        self.color = color
        self.options = options

    @abc.abstractmethod
    def format(self, report: Report) -> str:
        """Render the whole report."""
