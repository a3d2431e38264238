"""``--fix-from-hub``: write the Hub's value into the catalog, keeping the file as is.

The catalog is hand-written YAML with comments and a chosen key order; re-dumping it
would destroy both. So a fix is a targeted text edit: on the finding's line, starting
at the value's column when known, the old scalar (bare or quoted) is replaced by the
new one and nothing else moves. A line that no longer holds the old value (edited since
the check ran) is left alone and reported as skipped.
"""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

from validator.findings import Finding


def _scalar_text(value: t.Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _pattern(old: str) -> re.Pattern[str]:
    # the old value, bare or quoted, not glued to a longer token ("7" must not hit "70")
    escaped = re.escape(old)
    return re.compile(rf"""(?<![\w.\-/])(["']?){escaped}\1(?![\w.\-/])""")


def _edit_line(line: str, start: int, old: str, new: str) -> str | None:
    match = _pattern(old).search(line, start)
    if match is None and start:
        match = _pattern(old).search(line)
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
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            report.append(f"{file}: skipped, cannot read: {exc.strerror or exc}")
            continue
        lines = text.splitlines(keepends=True)
        changed = False
        done: set[tuple[int, str, str]] = set()
        # bottom-up, right-to-left: an edit never shifts a later one's position
        for finding in sorted(items, key=lambda f: (f.line, f.column), reverse=True):
            fix = finding.evidence["fix"]
            old, new = _scalar_text(fix.get("old")), _scalar_text(fix.get("new"))
            key = (finding.line, old, new)
            if key in done:
                continue
            done.add(key)
            where = f"{file}:{finding.line}: {finding.rule}"
            if finding.line > len(lines):
                report.append(f"{where}: skipped, the file is shorter than it was")
                continue
            line = lines[finding.line - 1]
            edited = _edit_line(line, max(0, finding.column - 1), old, new)
            if edited is None:
                report.append(f"{where}: skipped, the line no longer holds {old!r}")
                continue
            lines[finding.line - 1] = edited
            changed = True
            report.append(f"{where}: {old} -> {new}")
        if changed:
            path.write_text("".join(lines), encoding="utf-8")
    return sorted(report, key=_report_order)


def _report_order(line: str) -> tuple[str, int]:
    file, _, rest = line.partition(":")
    number = rest.split(":", 1)[0]
    return (file, int(number) if number.isdigit() else 0)
