"""Which URLs to check, and as what: exclude/include, the ignore file, --remap, --base-url.

Mirrors what the peers' users rely on (see docs/links.md for each peer's option):

* ``exclude`` regexes (``re.search``) skip a URL, on every hop of its redirects;
  ``include`` regexes win over them (lychee: "--include takes precedence");
* the ignore file (``.validatorignore`` in the working directory, or ``ignore-file``)
  holds more exclude regexes, one per line, ``#`` comments and blank lines allowed
  (lychee's ``.lycheeignore``);
* ``remap`` rules ``'REGEX REPLACEMENT'`` rewrite a URL before it is checked (check a
  mirror or a local copy instead; ``\\1`` and ``\\g<name>`` refer to groups);
* ``base-url`` turns root-relative links (``/docs/x``) into web URLs, for the files of
  a rendered site; without it they are local paths under ``root-dir``.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t
from pathlib import Path

if t.TYPE_CHECKING:  # not at run time: extract imports this, and offline runs skip httpx
    from validator.http.settings import CrawlSettings

IGNORE_FILE = ".validatorignore"


class FilterError(ValueError):
    """An unusable ignore file or remap rule (a configuration error, one line)."""


def ignore_patterns(path: Path | None, *, explicit: bool) -> tuple[str, ...]:
    """The regexes of an ignore file; a missing default file is no error."""
    if path is None or (not explicit and not path.is_file()):
        return ()
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FilterError(f"cannot read the ignore file {path}: {exc}") from None
    return parse_ignore(content, str(path))


def parse_ignore(content: str, shown: str) -> tuple[str, ...]:
    """The regexes of an ignore file's ``content`` (``shown`` names it in messages)."""
    patterns = []
    for number, line in enumerate(content.splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            re.compile(text)
        except re.error as exc:
            raise FilterError(f"{shown}:{number}: invalid regex {text!r}: {exc}") from None
        patterns.append(text)
    return tuple(patterns)


def parse_remap(rule: str) -> tuple[re.Pattern[str], str]:
    """``'REGEX REPLACEMENT'`` (split at the first run of whitespace) as a rule."""
    parts = rule.strip().split(maxsplit=1)
    if len(parts) != 2:
        raise FilterError(f"remap {rule!r}: expected 'REGEX REPLACEMENT'")
    try:
        return re.compile(parts[0]), parts[1]
    except re.error as exc:
        raise FilterError(f"remap {rule!r}: invalid regex: {exc}") from None


@dataclasses.dataclass(frozen=True)
class UrlFilters:
    """The URL filters of one run, compiled once."""

    excludes: tuple[re.Pattern[str], ...] = ()
    includes: tuple[re.Pattern[str], ...] = ()
    remaps: tuple[tuple[re.Pattern[str], str], ...] = ()
    base_url: str | None = None

    @classmethod
    def from_settings(cls, settings: CrawlSettings) -> UrlFilters:
        """Compile ``settings``' filters (reads the ignore file). Raises FilterError."""
        explicit = settings.ignore_file is not None
        ignore = settings.ignore_file if explicit else Path(IGNORE_FILE)
        patterns = settings.excludes + ignore_patterns(ignore, explicit=explicit)
        base = settings.base_url.rstrip("/") if settings.base_url else None
        return cls(
            excludes=tuple(re.compile(p) for p in patterns),
            includes=tuple(re.compile(p) for p in settings.includes),
            remaps=tuple(parse_remap(rule) for rule in settings.remaps),
            base_url=base,
        )

    def excluded(self, url: str) -> str | None:
        """The exclude pattern that skips ``url``, or ``None`` (an include wins)."""
        if any(p.search(url) for p in self.includes):
            return None
        for pattern in self.excludes:
            if pattern.search(url):
                return pattern.pattern
        return None

    def rewrite(self, url: str) -> str:
        """``url`` after ``base-url`` (root-relative links) and the first matching remap."""
        if self.base_url and url.startswith("/") and not url.startswith("//"):
            url = self.base_url + url
        for pattern, replacement in self.remaps:
            if pattern.search(url):
                return pattern.sub(replacement, url, count=1)
        return url


def excluded_path(shown: str, patterns: t.Sequence[str]) -> bool:
    """Whether an input file (as reports show it, ``/``-separated) is excluded."""
    return any(re.search(p, shown) for p in patterns)


__all__ = [
    "IGNORE_FILE",
    "FilterError",
    "UrlFilters",
    "excluded_path",
    "ignore_patterns",
    "parse_ignore",
    "parse_remap",
]
