"""``python -m validator``.

Until a command runs, SIGINT and SIGTERM end the process at once with 130 or 143 (no
traceback from the middle of an import); while it runs, they unwind it cleanly
(:mod:`validator.cli`).
"""

import os
import signal
import sys


def _exit_now(signum: int, _frame: object) -> None:
    os._exit(128 + signum)


def run() -> None:
    """Entry point: quiet signal exits first, then the click group."""
    signal.signal(signal.SIGINT, _exit_now)
    signal.signal(signal.SIGTERM, _exit_now)
    from validator.cli import main

    try:
        main()
    except SystemExit as exc:
        if exc.code in (128 + signal.SIGINT, 128 + signal.SIGTERM):
            # Interrupted and cleaned up: end with that code, whatever Python would
            # make of the KeyboardInterrupt behind it (it may re-raise SIGINT on exit).
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(int(exc.code))
        raise


if __name__ == "__main__":
    run()
