"""Process exit codes, named once so the CLI, tests and docs agree.

The CLI is the only layer that exits; everything below it returns data.
"""

import enum


class ExitCode(enum.IntEnum):
    """What the `validator` process tells its caller."""

    OK = 0
    """No finding at or above the fail level."""
    FINDINGS = 1
    """At least one finding at or above ``--fail-on`` (or a stale rendered page)."""
    USAGE = 2
    """Bad command line, bad configuration, or input that cannot be read at all."""
    NETWORK_UNAVAILABLE = 3
    """An online check could reach nothing at all: no DNS, no route. Nothing is called dead."""
