"""Lazy package exports (PEP 562): a package names where each public name lives and
imports that module only when the name is first used, so offline runs never pay for
httpx, anyio or the Hub client."""

from __future__ import annotations

import importlib
import typing as t


def export(package: str, homes: t.Mapping[str, str], name: str) -> t.Any:
    """``package.name`` from the submodule ``homes`` names for it; AttributeError else."""
    if name not in homes:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
