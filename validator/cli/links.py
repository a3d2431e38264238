"""The `links` command(s): placeholder until its owner lands it."""
