"""Finding URLs and where they occur: catalog entries, Markdown files, plain text lists.

Every occurrence keeps file, 1-based line/column, entry id and field, so a result can
be reported at each place and ``--fix`` can rewrite the exact spot. Markdown is read
with one URL pattern rather than a full parser: inline links, reference definitions,
``<autolinks>`` and bare URLs all end at whitespace, ``<``, ``>``, quotes or an
unbalanced ``)``; fenced code blocks and inline code spans are skipped (they show
URLs, they do not link them).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from validator.catalog.model import Entry
from validator.catalog.source import SourceError, json_path, load
from validator.findings import Finding, Location, Severity

YAML_SUFFIXES = (".yaml", ".yml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")

# Balanced single-level parentheses are part of a URL (Wikipedia's "Foo_(bar)").
_URL = re.compile(r"""https?://(?:[^\s()<>\[\]"'`]|\([^\s()<>"'`]*\))+""", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"
_FENCE = re.compile(r"^\s{0,3}(```+|~~~+)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


@dataclasses.dataclass(frozen=True)
class LinkRef:
    """One occurrence of a URL."""

    url: str
    location: Location
    entry: Entry | None = None
    path: tuple[str | int, ...] = ()

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        *,
        hint: str | None = None,
        evidence: dict[str, object] | None = None,
    ) -> Finding:
        """A finding at this occurrence (through the entry when there is one)."""
        if self.entry is not None:
            return self.entry.finding(
                rule, severity, message, self.path, hint=hint, evidence=evidence
            )
        return Finding(
            rule=rule,
            severity=severity,
            message=message,
            file=self.location.file,
            line=self.location.line,
            column=self.location.column,
            hint=hint,
            evidence=dict(evidence or {}),
        )


@dataclasses.dataclass
class Collected:
    """URLs found in a set of inputs, plus problems reading them."""

    refs: list[LinkRef] = dataclasses.field(default_factory=list)
    findings: list[Finding] = dataclasses.field(default_factory=list)
    files: int = 0
    entries: int = 0
    yaml_files: list[Path] = dataclasses.field(default_factory=list)


def refs_from_entry(entry: Entry) -> list[LinkRef]:
    """Every URL of one catalog entry, placed at its key's line and column."""
    out = []
    for ref in entry.urls():
        line, column = entry.position(ref.path)
        loc = Location(
            file=entry.file,
            line=line,
            column=column,
            entry=entry.id,
            field=ref.field,
            path=json_path(ref.path),
        )
        out.append(LinkRef(ref.url.strip(), loc, entry, ref.path))
    return out


def refs_from_entries(entries: list[Entry] | tuple[Entry, ...]) -> list[LinkRef]:
    """Every URL of every entry, in entry and file order."""
    return [ref for entry in entries for ref in refs_from_entry(entry)]


def _clean(url: str) -> str:
    while url and url[-1] in _TRAILING:
        url = url[:-1]
    if url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url


def refs_from_markdown(text: str, file: str) -> list[LinkRef]:
    """Links, reference definitions, autolinks and bare URLs of a Markdown text."""
    out: list[LinkRef] = []
    fence: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        # Blank out code spans, keeping columns.
        visible = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for match in _URL.finditer(visible):
            url = _clean(match.group(0))
            if len(url) > len("https://"):
                out.append(LinkRef(url, Location(file, lineno, match.start() + 1)))
    return out


def refs_from_text(text: str, file: str) -> list[LinkRef]:
    """One URL per line; blank lines and ``#`` comments are ignored."""
    out = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            out.append(LinkRef(stripped, Location(file, lineno, line.index(stripped) + 1)))
    return out


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in YAML_SUFFIXES + MARKDOWN_SUFFIXES
        )
    return [path]


def collect_paths(paths: list[Path] | tuple[Path, ...]) -> Collected:
    """URLs from files and folders: YAML as catalog entries, Markdown, else plain text.

    Raises :class:`FileNotFoundError` for a path that does not exist.
    """
    collected = Collected()
    for given in paths:
        if not given.exists():
            raise FileNotFoundError(f"no such file or directory: {given}")
        for path in _files(given):
            shown = _display(path)
            collected.files += 1
            suffix = path.suffix.lower()
            if suffix in YAML_SUFFIXES:
                try:
                    source = load(path, shown)
                except SourceError as exc:
                    collected.findings.append(
                        Finding(exc.rule, Severity.ERROR, exc.message, shown, exc.line, exc.column)
                    )
                    continue
                entry = Entry(source)
                collected.entries += 1
                collected.yaml_files.append(path)
                collected.refs.extend(refs_from_entry(entry))
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                collected.findings.append(
                    Finding("file-unreadable", Severity.ERROR, f"cannot read file: {exc}", shown)
                )
                continue
            if suffix in MARKDOWN_SUFFIXES:
                collected.refs.extend(refs_from_markdown(text, shown))
            else:
                collected.refs.extend(refs_from_text(text, shown))
    return collected
