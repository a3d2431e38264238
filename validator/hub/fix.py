"""``--fix-from-hub``: write the Hub's value into the catalog, keeping the file as is.

The catalog is hand-written YAML with comments and a chosen key order; re-dumping it
would destroy both. So a fix is a targeted text edit: on the finding's line, at the
finding's column (the field's key, or the item itself in a list), the old scalar (bare
or quoted) is replaced by the new one and nothing else moves. The old value must sit
exactly there: the same text in a comment or under another key of the line is never
edited. A line that no longer holds the old value (edited since the check ran) is left
alone and reported as skipped, and so is a field for which the Hub gives several
different values (one ``params_b``, two checkpoints of other sizes): that is a choice.
"""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

from validator.findings import Finding
from validator.textfile import FileSkipped, TextFile, split_lines


def _scalar_text(value: t.Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _pattern(old: str) -> re.Pattern[str]:
    # the old value, bare or quoted, not glued to a longer token ("7" must not hit "70")
    escaped = re.escape(old)
    return re.compile(rf"""(?<![\w.\-/])(["']?){escaped}\1(?![\w.\-/])""")


# A mapping key at the finding's column ("trained: ", "- id: "), skipped to reach the value.
_KEY = re.compile(
    r"""(?:-[ \t]+)?"""  # a block sequence item: "- id: ..."
    r"""(?:"[^"]*"|'[^']*'|[^\s:#,\[\]{}"']+)"""  # the key, plain or quoted
    r"""[ \t]*:(?:[ \t]+|(?=\n|$))"""  # the colon and the blank after it ("https:" is no key)
)


def _value_at(old: str) -> re.Pattern[str]:
    # the old scalar starting right here, ended by a blank, a flow separator or the end
    escaped = re.escape(old)
    return re.compile(rf"""(["']?){escaped}\1(?=[\s,\]}}]|$)""")


def _edit_line(line: str, start: int, old: str, new: str) -> str | None:
    """``line`` with the scalar at column ``start`` (0-based) replaced, or ``None``."""
    if start < 0:
        # no column: only a value found once on the line is unambiguous
        matches = list(_pattern(old).finditer(line))
        if len(matches) != 1:
            return None
        match: re.Match[str] | None = matches[0]
    else:
        key = _KEY.match(line, start)
        match = _value_at(old).match(line, key.end() if key else start)
    if match is None:
        return None
    quote = match.group(1)
    return line[: match.start()] + f"{quote}{new}{quote}" + line[match.end() :]


def apply_hub_fixes(findings: t.Iterable[Finding], rules: t.Collection[str]) -> list[str]:
    """Apply the ``fix`` evidence of findings whose rule is in ``rules``.

    Returns one line per change (``file:line: rule: old -> new``) and per skipped fix.
    """
    chosen = [
        f for f in findings
        if f.rule in rules and isinstance(f.evidence.get("fix"), dict) and f.line > 0
    ]  # fmt: skip
    by_file: dict[str, list[Finding]] = {}
    for finding in chosen:
        by_file.setdefault(finding.file, []).append(finding)
    report: list[str] = []
    for file, items in sorted(by_file.items()):
        try:
            report.extend(_fix_file(file, items))
        except FileSkipped as exc:
            report.append(f"{file}: skipped, {exc}")
    return sorted(report, key=_report_order)


def _fix_file(file: str, items: list[Finding]) -> list[str]:
    """Edit one file and write it atomically; :class:`FileSkipped` leaves it alone."""
    source = TextFile.read(Path(file))
    lines = split_lines(source.text)  # line breaks as YAML counts them, CRLF kept
    report: list[str] = []
    changed = False
    done: set[tuple[int, int, str, str]] = set()
    wanted: dict[tuple[int, int], set[str]] = {}
    for finding in items:
        fix = finding.evidence["fix"]
        wanted.setdefault((finding.line, finding.column), set()).add(_scalar_text(fix.get("new")))
    # bottom-up, right-to-left: an edit never shifts a later one's position
    for finding in sorted(items, key=lambda f: (f.line, f.column), reverse=True):
        fix = finding.evidence["fix"]
        old, new = _scalar_text(fix.get("old")), _scalar_text(fix.get("new"))
        key = (finding.line, finding.column, old, new)
        if key in done:
            continue
        done.add(key)
        where = f"{file}:{finding.line}: {finding.rule}"
        choices = wanted[(finding.line, finding.column)]
        if len(choices) > 1:
            if (finding.line, finding.column, "", "") not in done:
                done.add((finding.line, finding.column, "", ""))
                shown = ", ".join(sorted(choices, key=_number_first))
                report.append(
                    f"{where}: skipped, the Hub gives several values for this field "
                    f"({shown}): choose one by hand"
                )
            continue
        if finding.line > len(lines):
            report.append(f"{where}: skipped, the file is shorter than it was")
            continue
        line = lines[finding.line - 1]
        edited = _edit_line(line, finding.column - 1, old, new)
        if edited is None:
            report.append(f"{where}: skipped, the line no longer holds {old!r}")
            continue
        lines[finding.line - 1] = edited
        changed = True
        report.append(f"{where}: {old} -> {new}")
    if changed:
        source.replace("".join(lines))
    return report


def _report_order(line: str) -> tuple[str, int]:
    file, _, rest = line.partition(":")
    number = rest.split(":", 1)[0]
    return (file, int(number) if number.isdigit() else 0)


def _number_first(text: str) -> tuple[float, str]:
    try:
        return (float(text), text)
    except ValueError:
        return (float("inf"), text)
