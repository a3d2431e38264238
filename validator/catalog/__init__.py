"""The catalog layer: reading files with positions, and the in-memory model."""
