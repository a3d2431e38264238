"""Finding URLs and where they occur: catalog entries, Markdown, HTML and text files.

Every occurrence keeps file, 1-based line/column, entry id and field, so a result can
be reported at each place and ``--fix`` can rewrite the exact spot. Markdown is read
by a CommonMark parser (:mod:`validator.links.markdown`), HTML by an HTML parser
(:mod:`validator.links.html`), plain text by GFM's bare-URL rules
(:mod:`validator.links.autolinks`). The kind of a file is its extension; a file of no
known kind is a usage error, never silently read as something else.
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from validator.catalog.loader import LICENSES_FILE, YAML_SUFFIXES, collector_paused, walk
from validator.catalog.model import Entry
from validator.catalog.source import Source, SourceError, json_path, load
from validator.findings import Finding, Location, Severity
from validator.links.autolinks import find_bare_urls, is_plain
from validator.links.filters import excluded_path
from validator.links.html import scan_html
from validator.links.local import HTML_SUFFIXES, MARKDOWN_SUFFIXES
from validator.links.markdown import parse_markdown

TEXT_SUFFIXES = (".txt", ".text")


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
        message: str,
        *,
        hint: str | None = None,
        evidence: dict[str, object] | None = None,
        override: Severity | None = None,
    ) -> Finding:
        """A finding at this occurrence (through the entry when there is one)."""
        if self.entry is not None:
            return self.entry.finding(
                rule, message, self.path, hint=hint, evidence=evidence, override=override
            )
        return Finding(
            rule=rule,
            override=override,
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
    anchors: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    """Anchors of the Markdown and HTML documents read (by resolved path; ``-``)."""


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


def _without_entry(ref: LinkRef) -> LinkRef:
    """``ref`` as a plain file's link: no entry, and none in its location."""
    location = dataclasses.replace(ref.location, entry=None)
    return dataclasses.replace(ref, location=location, entry=None)


def refs_from_entries(entries: list[Entry] | tuple[Entry, ...]) -> list[LinkRef]:
    """Every URL of every entry, in entry and file order."""
    return [ref for entry in entries for ref in refs_from_entry(entry)]


def refs_from_glossary(source: Source) -> list[LinkRef]:
    """The license glossary's URLs: checked, but the glossary is no entry (validate
    counts none), so its links belong to the file alone."""
    return [_without_entry(ref) for ref in refs_from_entry(Entry(source))]


def _ref(url: str, file: str, line: int, column: int) -> LinkRef:
    if url.startswith("//"):  # protocol-relative: GitHub serves pages over https
        url = "https:" + url
    return LinkRef(url, Location(file, line, column))


def refs_from_markdown(text: str, file: str) -> list[LinkRef]:
    """Every link of a Markdown text (see :mod:`validator.links.markdown`), in order."""
    doc = parse_markdown(text)
    return [_ref(link.url, file, link.line, link.column) for link in doc.links]


def refs_from_html(text: str, file: str) -> list[LinkRef]:
    """Every URL attribute of an HTML document (see :mod:`validator.links.html`)."""
    return [_ref(link.url, file, link.line, link.column) for link in scan_html(text).links]


def refs_from_text(text: str, file: str) -> list[LinkRef]:
    """Every ``scheme://`` or ``www.`` URL in free text, by GFM's autolink rules."""
    out: list[LinkRef] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if is_plain(line):  # a line of a URL list: what find_bare_urls finds, made directly
            out.append(LinkRef(line, Location(file, lineno, 1)))
            continue
        found = find_bare_urls(line, any_scheme=True)
        out.extend(_ref(bare.url, file, lineno, bare.offset + 1) for bare in found)
    return out


def display_path(path: Path) -> str:
    """``path`` as reports show it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


INPUT_FORMATS = ("markdown", "html", "text")


class InputError(ValueError):
    """A file the link checker cannot read as any kind of input (a usage error)."""


def input_format(path: Path) -> str | None:
    """``yaml``, ``markdown``, ``html`` or ``text`` by the file's extension, else ``None``."""
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return "yaml"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "text" if suffix in TEXT_SUFFIXES else None


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return walk(path, YAML_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES)
    if input_format(path) is None:
        raise InputError(
            f"{path}: cannot tell what kind of file this is; name it .md, .markdown, .mdx, "
            ".qmd, .Rmd, .html, .htm, .yaml, .yml or .txt (or pipe it to '-' with "
            "--input-format)"
        )
    return [path]


def add_document(collected: Collected, text: str, shown: str, kind: str, key: str) -> None:
    """The links of one Markdown, HTML or text document (and its anchors, for local links)."""
    if kind == "markdown":
        doc = parse_markdown(text)
        collected.anchors[key] = doc.anchors
        collected.refs.extend(_ref(link.url, shown, link.line, link.column) for link in doc.links)
    elif kind == "html":
        scan = scan_html(text)
        collected.anchors[key] = set(scan.anchors)
        collected.refs.extend(_ref(link.url, shown, link.line, link.column) for link in scan.links)
    else:
        collected.refs.extend(refs_from_text(text, shown))


def collect_paths(
    paths: list[Path] | tuple[Path, ...],
    *,
    stdin: str | None = None,
    stdin_format: str = "markdown",
    exclude_paths: t.Sequence[str] = (),
) -> Collected:
    """URLs from files and folders: YAML as catalog entries, Markdown, HTML, plain text.

    The path ``-`` stands for ``stdin`` (read as ``stdin_format``); files whose shown
    path matches one of ``exclude_paths`` (regexes) are not read. Raises
    :class:`FileNotFoundError` for a path that does not exist and :class:`InputError`
    for a file of no known kind. The cyclic garbage collector is paused meanwhile: a
    page of 100,000 links makes 300,000 acyclic objects, and its passes over them were
    ~0.2 s of CPU.
    """
    with collector_paused():
        return _collect_paths(paths, stdin, stdin_format, exclude_paths)


def _collect_paths(
    paths: list[Path] | tuple[Path, ...],
    stdin: str | None,
    stdin_format: str,
    exclude_paths: t.Sequence[str],
) -> Collected:
    collected = Collected()
    for given in paths:
        if str(given) == "-":
            collected.files += 1
            add_document(collected, stdin or "", "-", stdin_format, "-")
            continue
        if not given.exists():
            raise FileNotFoundError(f"no such file or directory: {given}")
        for path in _files(given):
            shown = display_path(path)
            if excluded_path(Path(shown).as_posix(), exclude_paths):
                continue
            collected.files += 1
            kind = "yaml" if path.is_dir() else input_format(path)  # a folder walk could not list
            if kind == "yaml":
                try:
                    source = load(path, shown)
                except SourceError as exc:
                    collected.findings.append(
                        Finding(exc.rule, exc.message, shown, exc.line, exc.column)
                    )
                    continue
                collected.yaml_files.append(path)
                if path.name == LICENSES_FILE:
                    collected.refs.extend(refs_from_glossary(source))
                else:
                    collected.entries += 1
                    collected.refs.extend(refs_from_entry(Entry(source)))
                continue
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                collected.findings.append(
                    Finding("file-unreadable", f"cannot read file: {exc}", shown)
                )
                continue
            add_document(collected, text, shown, kind or "text", str(path.resolve()))
    return collected
