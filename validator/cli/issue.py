"""The `issue` command(s): placeholder until its owner lands it."""
