"""The `markdown` command(s): placeholder until its owner lands it."""
