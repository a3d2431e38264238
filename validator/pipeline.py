"""The validate run: load, check offline, optionally check online, return a Report.

This is the core entry point the CLI calls; it owns the order of the stages and the
waiver bookkeeping, and returns data. It never prints and never exits.
"""
