"""Links judged without a network: local files, ``#anchors``, ``mailto:`` and other schemes.

A link with no scheme is a path: relative to the file it is written in, or, when it
starts with ``/``, to ``root`` (lychee's ``--root-dir``; default the working
directory). ``?query`` is ignored and ``%20`` decoded. Verdicts:

* ``ok``: the file or directory exists (a directory counts, as GitHub shows its
  listing) and its anchor, if any, is there;
* ``dead``: no such file or directory;
* ``fragment-missing``: the file exists, the anchor does not. Anchors are looked up in
  Markdown files (heading slugs, ``id``, ``<a name>``) and HTML files (``id``, ``<a
  name>``, GitHub's ``user-content-`` prefix allowed); a directory's anchors are
  those of its ``README.md``, ``index.md`` or ``index.html`` (none there: the
  fragment is missing); other files have no anchors we can see, so any fragment
  passes.

Case: in Markdown, a fragment matches a heading anchor ignoring case, as GitHub's
page script does (``#Install`` reaches ``## install``); an HTML file's ids must match
exactly, as in a browser. ``#``, ``#top`` and GitHub line anchors (``#L10-L20``) always
pass. The fragment is percent-decoded (``#%C3%BCber`` is ``#über``).

``mailto:`` is checked for address syntax only (no mail is sent); ``file://`` and the
other non-web schemes (``tel:``, ``ftp:``, ``data:`` ...) are ``skipped`` with the reason.
In a catalog entry a ``file://`` URL is an error of its own (``link-file-url``).
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from pathlib import Path

from validator.findings import LinkResult, Location, Verdict
from validator.links import anchors as anchor_rules

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx", ".qmd", ".rmd", ".mdown", ".mkd")
HTML_SUFFIXES = (".html", ".htm")
INDEX_FILES = ("README.md", "readme.md", "index.md", "index.html", "index.htm")
WEB_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_LOCAL_PART = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$")
_DOMAIN = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$|^\[[^\]]+\]$")


def scheme(url: str) -> str:
    """The lower-cased scheme of ``url``, or ``""`` for a path or a fragment."""
    match = _SCHEME.match(url)
    if not match or (len(match.group(1)) == 1 and url[2:3] in ("\\", "/")):  # C:\ or C:/
        return ""
    return match.group(1).lower()


def is_web(url: str) -> bool:
    """Whether the crawler should fetch ``url`` (http, https, or ``//host`` links)."""
    return scheme(url) in WEB_SCHEMES


def mailto_problem(url: str) -> str | None:
    """What is wrong with a ``mailto:`` URL's addresses (RFC 6068), or ``None``."""
    body = url.split(":", 1)[1]
    addresses, _, query = body.partition("?")
    recipients = [urllib.parse.unquote(a).strip() for a in addresses.split(",") if a.strip()]
    if not recipients and "to=" not in query.lower():
        return "no address"
    for address in recipients:
        local, at, domain = address.rpartition("@")
        if not at or not _LOCAL_PART.match(local) or not _DOMAIN.match(domain):
            return f"not an e-mail address: {address!r}"
        if local.startswith(".") or local.endswith(".") or ".." in local:
            return f"not an e-mail address: {address!r}"
    return None


def document_anchors(path: Path, text: str | None = None) -> set[str]:
    """The anchors a Markdown or HTML document defines (empty for other files)."""
    suffix = path.suffix.lower()
    if suffix not in MARKDOWN_SUFFIXES + HTML_SUFFIXES:
        return set()
    if text is None:
        text = path.read_text(encoding="utf-8", errors="replace")
    if suffix in HTML_SUFFIXES:
        from validator.links.html import scan_html

        return set(scan_html(text, links=False).anchors)
    from validator.links.markdown import parse_markdown

    return parse_markdown(text).anchors


@dataclasses.dataclass
class LocalLinks:
    """Judges offline links for one run; caches each document's anchors.

    ``anchors`` may be seeded with documents already parsed (keyed by resolved path,
    or by the display name of standard input), so no file is parsed twice.
    """

    root: Path = dataclasses.field(default_factory=Path.cwd)
    anchors: dict[str, set[str]] = dataclasses.field(default_factory=dict)

    def judge(self, url: str, location: Location) -> LinkResult:
        """The verdict for ``url`` written at ``location`` (not an http(s) URL)."""
        kind = scheme(url)
        if kind == "mailto":
            problem = mailto_problem(url)
            if problem:
                return LinkResult(url, Verdict.DEAD, error=problem)
            return LinkResult(url, Verdict.OK, error="address syntax checked only; no mail sent")
        if kind:
            reason = "file:// points at one machine's disk" if kind == "file" else "not a web link"
            return LinkResult(url, Verdict.SKIPPED, error=f"{kind}: not checked ({reason})")
        return self._path(url, location)

    def key(self, url: str, location: Location) -> str:
        """The distinct target ``url`` names from ``location`` (what a result is about)."""
        if scheme(url):
            return url
        target, fragment = self._resolve(url, location)
        shown = _display(target) if target is not None else location.file
        return f"{shown}#{fragment}" if fragment else shown

    def _resolve(self, url: str, location: Location) -> tuple[Path | None, str]:
        path, _, fragment = url.partition("#")
        path = urllib.parse.unquote(path.split("?", 1)[0])
        if not path:
            if location.file == "-":
                return None, fragment
            return Path(location.file).resolve(), fragment
        if path.startswith("/"):
            base = self.root
            path = path.lstrip("/")
        else:
            base = Path.cwd() if location.file == "-" else Path(location.file).resolve().parent
        return Path(_normalise(base / path)), fragment

    def _path(self, url: str, location: Location) -> LinkResult:
        target, fragment = self._resolve(url, location)
        shown = self.key(url, location)
        if target is not None and not target.exists():
            return LinkResult(shown, Verdict.DEAD, error="no such file or directory")
        fragment = urllib.parse.unquote(fragment)
        if not anchor_rules.checkable(fragment, "github.com"):
            return LinkResult(shown, Verdict.OK)
        document = self._document(target)
        if document is None and target is not None and target.is_dir():
            error = f"#{fragment}: the folder has no README.md, index.md or index.html"
            return LinkResult(shown, Verdict.FRAGMENT_MISSING, error=error)
        if document is None:
            return LinkResult(shown, Verdict.OK)
        found = self._anchors(document, target)
        markdown = target is None or document.suffix.lower() in MARKDOWN_SUFFIXES
        if _has_anchor(found, fragment, ignore_case=markdown):
            return LinkResult(shown, Verdict.OK)
        where = "-" if target is None else _display(document)
        return LinkResult(
            shown, Verdict.FRAGMENT_MISSING, error=f"no anchor #{fragment} in {where}"
        )

    def _document(self, target: Path | None) -> Path | None:
        if target is None:
            return Path("-.md")
        if target.is_dir():
            for name in INDEX_FILES:
                if (target / name).is_file():
                    return target / name
            return None
        suffix = target.suffix.lower()
        return target if suffix in MARKDOWN_SUFFIXES + HTML_SUFFIXES else None

    def _anchors(self, document: Path, target: Path | None) -> set[str]:
        key = "-" if target is None else str(document.resolve())
        if key not in self.anchors:
            try:
                self.anchors[key] = set() if target is None else document_anchors(document)
            except OSError:
                self.anchors[key] = set()
        return self.anchors[key]


def _has_anchor(found: set[str], fragment: str, *, ignore_case: bool) -> bool:
    """Whether ``fragment`` names an anchor (GitHub's ``user-content-`` prefix allowed)."""
    wanted = {fragment, f"user-content-{fragment}"}
    if wanted & found:
        return True
    return ignore_case and bool({w.lower() for w in wanted} & {a.lower() for a in found})


def _normalise(path: Path) -> str:
    import os.path

    return os.path.normpath(path)


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


__all__ = [
    "HTML_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "LocalLinks",
    "document_anchors",
    "is_web",
    "mailto_problem",
    "scheme",
]
