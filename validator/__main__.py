"""Allow ``python -m validator``."""

from validator.cli import main

main()
