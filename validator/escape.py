"""Untrusted text made inert for each output, and the Markdown pieces reports share.

Catalog values, file names, URLs and server error texts come from pull requests and
remote hosts. Every reporter, and the GitHub issue body, passes them through the one
function here for its output, so each output's rules live in one place:

* terminal / CI log text: :func:`clean` (control characters shown, one line), and
  :func:`inert_lines` over whole lines (none can start a workflow command);
* workflow-command annotations: :func:`escape_data` and :func:`escape_property`;
* Markdown (job summary, PR comment, report issue): :func:`md_text` outside code
  (no HTML, no ``@mentions``, no ``#123`` references), :func:`md_code` for a code span;
* XML (JUnit): :func:`xml_text`;
* HTML (the HTML report): :func:`html_text`, and :func:`html_href` for link targets.

Also here, because the job summary and the report issue both need them: links to a
file line on GitHub (:func:`blob_base_url`, :func:`file_link`) and the age of a failure
(:func:`failure_age`). A new hazard for one output (say ``@mentions`` in Markdown) is
one change to that output's function, with a test.
"""

from __future__ import annotations

import functools
import html
import re
import typing as t
import urllib.parse

# --------------------------------------------------------------------------- text

_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def clean(value: str) -> str:
    """Untrusted text on one line, control characters shown as ``\\n``, ``\\x1b``...

    Printed raw, a newline would let a value start a workflow-command line
    (``::stop-commands::…`` silences every annotation after it, ``::error …`` forges
    one) and ESC sequences would drive the terminal.
    """
    return _UNSAFE.sub(_escape_char, value)


def inert_lines(text: str) -> str:
    """``text`` with no line able to start a workflow command.

    The Actions runner reads any log line starting with ``::`` (after blanks) as a
    command, so a catalog file named ``::warning title=x::FORGED.yaml``, printed where a
    line starts, would forge an annotation. Such a line shows its first colon as
    ``\\x3a``, as :func:`clean` shows other characters it must not print.
    """
    return "\n".join(_inert_line(line) for line in text.split("\n"))


def _inert_line(line: str) -> str:
    body = line.lstrip()
    if not body.startswith("::"):
        return line
    indent = len(line) - len(body)
    return line[:indent] + "\\x3a" + line[indent + 1 :]


# --------------------------------------------------------------------------- workflow commands


def escape_data(value: str) -> str:
    """Escape a workflow-command message (the part after ``::``).

    As actions/toolkit ``command.ts``: ``%`` first (so a literal ``%0A`` stays literal),
    then CR and LF, so nothing can start a new command line.
    """
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow-command property value (``key=value``): also ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


# --------------------------------------------------------------------------- Markdown


_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
_REFERENCE = re.compile(r"#(?=[0-9])")
_ZWSP = "\u200b"


def md_text(value: str) -> str:
    """Inline Markdown text: one line (whitespace runs become one space), no HTML, no
    table breaks, no code spans, and nothing GitHub acts on.

    ``@name`` would notify that account (every night, in a report issue) and ``#123``
    would link, and cross-reference, another issue: a zero-width space after the ``@``
    or ``#`` keeps the text as it reads and stops both.
    """
    text = (
        " ".join(printable(value).split())
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("`", "\\`")
    )
    return _REFERENCE.sub("#" + _ZWSP, _MENTION.sub("@" + _ZWSP, text))


def md_code(value: str) -> str:
    """``value`` as one inline code span that nothing inside can end.

    The fence is one backtick longer than the longest run in the value (CommonMark
    §6.1), so a value holding backticks cannot close it and put ``@name`` outside
    code; ``|`` is escaped for tables (GFM). Code is shown literally: no other escaping.
    """
    text = " ".join(printable(value).split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


@functools.lru_cache(maxsize=4096)
def file_uri_path(path: str) -> str:
    """``path`` percent-encoded for a URL; a name the OS gave as undecodable bytes
    (``os.fsdecode``'s surrogates) keeps those bytes (``%FF``) instead of crashing.

    Cached: a report links every finding of a file to it (100,000 quotes of the same
    name took 0.5 s)."""
    return urllib.parse.quote(path, safe="/", errors="surrogateescape")


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` encodable as UTF-8: a lone surrogate (an undecodable byte of a file
    name) is shown as ``\\udcff``, which is also a valid escape inside a JSON string.

    Text without a surrogate is returned as it is: a 100,000-link report is not copied
    twice over to find that out.
    """
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def blob_base_url(environ: t.Mapping[str, str], *, repo: str | None = None) -> str | None:
    """``$GITHUB_SERVER_URL/OWNER/NAME/blob/$GITHUB_SHA``, or ``None`` outside Actions.

    ``repo`` names the repository explicitly (``issue sync --repo``); then a missing
    ``GITHUB_SHA`` means ``HEAD``. Without it, ``GITHUB_REPOSITORY`` and ``GITHUB_SHA``
    must both be set.
    """
    sha = environ.get("GITHUB_SHA")
    if repo is None:
        repo = environ.get("GITHUB_REPOSITORY")
        if not repo or not sha:
            return None
    server = (environ.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")
    return f"{server}/{repo}/blob/{sha or 'HEAD'}"


def file_link(file: str, line: int, base_url: str | None) -> str:
    """URL of a file line, absolute under ``base_url`` or relative; the path is quoted."""
    path = file_uri_path(file.removeprefix("./"))
    url = f"{base_url.rstrip('/')}/{path}" if base_url else path
    return f"{url}#L{line}" if line > 0 else url


def failure_age(first_failed: t.Any, runs: t.Any) -> str:
    """``2026-11-20 (4 runs)`` from a failure history, or ``-`` when nothing is known."""
    first = str(first_failed or "")[:10]
    count = f"{runs} run{'s' if runs != 1 else ''}" if isinstance(runs, int) and runs else ""
    if first and count:
        return f"{first} ({count})"
    return first or count or "-"


# --------------------------------------------------------------------------- XML

_XML_ILLEGAL = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (control characters, lone
    surrogates); ElementTree escapes markup itself."""
    return _XML_ILLEGAL.sub("", value)


# --------------------------------------------------------------------------- HTML


def html_text(value: object) -> str:
    """Text safe inside an HTML element or a double- or single-quoted attribute."""
    return html.escape(printable(str(value)), quote=True)


def html_href(url: str) -> str | None:
    """``url`` escaped for an ``href`` when it is http(s), else ``None`` (no link).

    A catalog URL such as ``javascript:…`` or ``data:…`` must stay text, not a link.
    """
    try:
        scheme = urllib.parse.urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return html_text(url) if scheme in ("http", "https") else None


__all__ = [
    "blob_base_url",
    "clean",
    "escape_data",
    "escape_property",
    "failure_age",
    "file_link",
    "file_uri_path",
    "html_href",
    "html_text",
    "inert_lines",
    "md_code",
    "md_text",
    "printable",
    "xml_text",
]
