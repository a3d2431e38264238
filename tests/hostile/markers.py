"""Marker secrets: planted by the hostile suite, searched for in every CLI output."""

from __future__ import annotations

MARKERS = {
    "HF_TOKEN": "hf_MARKERsecretHUB0001",
    "GITHUB_TOKEN": "ghp_MARKERsecretGH0002",
    "AUTH": "MARKERsecretAUTH0003",
    "COOKIE": "MARKERsecretCOOKIE0004",
    "PROXY": "MARKERsecretPROXY0005",
}
"""Values planted as secrets; no output of any command may ever contain one."""


def leaked(text: str | bytes) -> list[str]:
    """The marker secrets found in ``text`` (also their first half: a cut secret leaks)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return [v for v in MARKERS.values() if v in text or v[: len(v) // 2 + 2] in text]
