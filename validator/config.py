"""Configuration from ``.validator.toml`` or ``[tool.validator]`` in ``pyproject.toml``.

Precedence, highest first: command line (:class:`~validator.options.CrawlOverrides`),
the config file, built-in defaults (:mod:`validator.http.settings`). Unknown keys are
errors that name the key and suggest the closest known one, because a misspelt
``exclude`` that is silently ignored is how a link checker ends up checking what
nobody wanted checked. Example::

    [tool.validator]
    timeout = 30
    max-retries = 2
    exclude = ['^https://example\\.com/', 'localhost']
    accept = [200, 204, "300..=399"]

    [tool.validator.hosts."huggingface.co"]
    concurrency = 4
    interval = 0.25
    headers = { Authorization = "Bearer ${HF_TOKEN}" }

Tables named in :data:`OTHER_SECTIONS` belong to other parts of the tool, which read
``Config.sections[name]`` and validate it themselves.
"""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
import os
import re
import sys
import tomllib
import typing as t
from pathlib import Path

from validator.credentials import CredentialError, check_secret
from validator.http.settings import CrawlSettings, HostSettings, Knob, knobs_of
from validator.links.filters import FilterError, parse_remap
from validator.options import CrawlOverrides
from validator.selection import Selection, SelectionError, check_selectors
from validator.stdio import TooLarge, is_dash, read_bytes, shown_name

CONFIG_FILE = ".validator.toml"
PYPROJECT = "pyproject.toml"

_KNOBS = CrawlSettings.knobs()
_BY_KEY: dict[str, tuple[str, Knob]] = {k.key: (n, k) for n, k in _KNOBS.items() if k.key}
"""Config key -> (CrawlSettings field, its declaration); generated, never listed twice."""
_HOST_KNOBS: dict[str, tuple[str, Knob]] = {
    k.key: (n, k) for n, k in knobs_of(HostSettings).items() if k.key
}
"""Keys of a ``[hosts."name"]`` table, generated from ``HostSettings`` the same way."""
OTHER_SECTIONS = frozenset({"hub", "github", "issue", "markdown", "validate", "rules"})
SELECTION_KEYS = frozenset({"select", "ignore", "extend-ignore"})
"""Rule selection (:mod:`validator.selection`), ruff's keys and meaning."""
KNOWN_KEYS = frozenset(_BY_KEY) | OTHER_SECTIONS | SELECTION_KEYS

_RANGE = re.compile(r"^\s*(\d{3})\s*\.\.(=?)\s*(\d{3})\s*$")
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # RFC 9110 token


class ConfigError(Exception):
    """A configuration problem; the message is one line naming the file and the key."""


@dataclasses.dataclass(frozen=True)
class Config:
    """The validated configuration of one run."""

    path: Path | None = None
    """The file it came from (``None``: no file, defaults only)."""
    crawl: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)
    """CrawlSettings field name -> value, only for keys the file set."""
    sections: t.Mapping[str, t.Mapping[str, t.Any]] = dataclasses.field(default_factory=dict)
    selection: Selection = dataclasses.field(default_factory=Selection)
    """``select``/``ignore``/``extend-ignore``: the configuration's layer of rules."""

    def crawl_settings(self, overrides: CrawlOverrides | None = None) -> CrawlSettings:
        """Defaults, then this file, then the command line."""
        values: dict[str, t.Any] = dict(self.crawl)
        given = dict(overrides.values) if overrides else {}
        for name, value in given.items():
            if _KNOBS[name].append:
                values[name] = tuple(values.get(name, ())) + tuple(value)
            else:
                values[name] = value
        if given.get("progress") is None:
            values["progress"] = _auto_progress()
        return CrawlSettings(**values)


def _auto_progress() -> bool:
    """A progress bar only on an interactive terminal, never in CI logs."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def _suggest(key: str, known: t.Iterable[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.5)
    if not close:
        close = difflib.get_close_matches(key.replace("_", "-"), sorted(known), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _statuses(value: t.Any, where: str) -> frozenset[int]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of status codes or ranges like '200..=299'")
    out: set[int] = set()
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool) and 100 <= item <= 999:
            out.add(item)
            continue
        match = _RANGE.match(item) if isinstance(item, str) else None
        if not match:
            raise ConfigError(f"{where}: {item!r} is not a status code or a range like '200..=299'")
        low, inclusive, high = int(match.group(1)), match.group(2), int(match.group(3))
        out.update(range(low, high + 1 if inclusive else high))
    return frozenset(out)


def _headers(value: t.Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{where}: expected a table of header names to strings")
    out = {}
    for name, raw in value.items():
        if not _HEADER_NAME.match(name):
            raise ConfigError(f"{where}: {name!r} is not a valid header name")
        variables = _ENV.findall(raw)
        missing = [m for m in variables if not os.environ.get(m)]
        if missing:
            continue  # e.g. no token in this environment: send no header rather than "Bearer "
        source = f"{where}.{name}"
        for variable in variables:  # name the variable that brought a bad value in
            try:
                check_secret(f"{source} (from ${{{variable}}})", os.environ[variable])
            except CredentialError as exc:
                raise ConfigError(str(exc)) from None
        expanded = _ENV.sub(lambda m: os.environ[m.group(1)], raw)
        try:
            out[str(name)] = check_secret(source, expanded)
        except CredentialError as exc:
            raise ConfigError(str(exc)) from None
    return out


def _number(value: t.Any, kind: str, where: str, minimum: float) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: expected a number")
    if kind in ("count", "positive"):
        lowest = 1 if kind == "positive" else 0
        if not isinstance(value, int) or value < lowest:
            raise ConfigError(f"{where}: expected a whole number >= {lowest}")
        return value
    if not value >= minimum:  # also refuses TOML's nan, which compares false to everything
        raise ConfigError(f"{where}: expected seconds >= {minimum:g}")
    return float(value)


def _scalar(value: t.Any, kind: str, where: str, base: Path, minimum: float = 0.0) -> t.Any:
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false")
        return value
    if kind == "str":
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string")
        return value
    if kind in ("path", "folder"):
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a path string")
        path = Path(value).expanduser()
        return path if path.is_absolute() else base / path
    return _number(value, kind, where, minimum)


def _strings(value: t.Any, where: str, *, regexes: bool) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    for pattern in value if regexes else ():
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: invalid regex {pattern!r}: {exc}") from None
    return tuple(value)


def _setting(knob: Knob, value: t.Any, where: str, base: Path) -> t.Any:
    """One config value checked as its declaration says (tables: see ``parse_table``)."""
    if knob.kind == "statuses":
        return _statuses(value, where)
    if knob.kind in ("strings", "regexes"):
        return _strings(value, where, regexes=knob.kind == "regexes")
    if knob.kind == "networks":
        networks = _strings(value, where, regexes=False)
        for network in networks:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ConfigError(
                    f"{where}: {network!r} is not a network (like '10.1.2.0/24' or 'fd00::/8')"
                ) from None
        return networks
    if knob.kind == "remaps":
        rules = _strings(value, where, regexes=False)
        for rule in rules:
            try:
                parse_remap(rule)
            except FilterError as exc:
                raise ConfigError(f"{where}: {exc}") from None
        return rules
    if knob.kind == "headers":
        return _headers(value, where)
    return _scalar(value, knob.kind, where, base, knob.minimum)


def parse_table(
    table: t.Mapping[str, t.Any],
    file: str,
    prefix: str,
    base: Path,
    lines: t.Mapping[str, int] | None = None,
) -> Config:
    """Validate one ``[tool.validator]``-shaped table (``prefix`` names it in messages;
    ``lines`` gives each key's line, so a message starts ``file:line:``)."""
    crawl: dict[str, t.Any] = {}
    sections: dict[str, t.Mapping[str, t.Any]] = {}
    selection: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        at = f"{file}:{lines[key]}" if lines and key in lines else file
        where = f"{at}: {prefix}{key}"
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{at}: unknown key '{prefix}{key}'{_suggest(key, KNOWN_KEYS)}")
        if key in SELECTION_KEYS:
            try:
                rules = check_selectors(_strings(value, where, regexes=False), where)
            except SelectionError as exc:
                raise ConfigError(str(exc)) from None
            selection[key.replace("-", "_")] = rules
        elif key in _BY_KEY:
            name, knob = _BY_KEY[key]
            if knob.kind == "hosts":
                crawl[name] = _hosts(value, at, f"{prefix}{key}")
            else:
                crawl[name] = _setting(knob, value, where, base)
        elif not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table")
        else:
            sections[key] = value
    return Config(path=None, crawl=crawl, sections=sections, selection=Selection(**selection))


def _hosts(value: t.Any, file: str, prefix: str) -> dict[str, HostSettings]:
    if not isinstance(value, dict):
        raise ConfigError(f"{file}: {prefix}: expected a table of host names")
    out: dict[str, HostSettings] = {}
    for host, table in value.items():
        where = f'{prefix}."{host}"'
        if not isinstance(table, dict):
            raise ConfigError(f"{file}: {where}: expected a table")
        fields: dict[str, t.Any] = {}
        for key, item in table.items():
            if key not in _HOST_KNOBS:
                hint = _suggest(key, _HOST_KNOBS)
                raise ConfigError(f"{file}: unknown key '{where}.{key}'{hint}")
            name, knob = _HOST_KNOBS[key]
            fields[name] = _setting(knob, item, f"{file}: {where}.{key}", Path())
        out[host.lower()] = HostSettings(**fields)
    return out


_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_HEADER = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]")
_TOML_KEY = re.compile(r"^\s*[\"']?([A-Za-z0-9_-]+)")


def key_lines(text: str, table: str) -> dict[str, int]:
    """The line (1-based) where each key of the TOML ``table`` (``""``: top level) is set,
    or where a sub-table of it begins, for messages that say ``file:line``."""
    out: dict[str, int] = {}
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = _TOML_HEADER.match(line)
        if header:
            current = "".join(header.group(1).split()).replace('"', "")
            inside = current.removeprefix(f"{table}.") if table else current
            if inside != current or not table:
                out.setdefault(inside.split(".")[0], number)
            continue
        key = _TOML_KEY.match(line) if "=" in line else None
        if key and current == table:
            out.setdefault(key.group(1), number)
    return out


MAX_BYTES = 16 * 1024 * 1024
"""A configuration is a few lines; this bounds one read from standard input."""


def _read_toml(path: Path, stdin: bytes | None = None) -> tuple[dict[str, t.Any], str]:
    """The parsed file and its text (``-``: standard input, or ``stdin`` when given)."""
    shown = shown_name(path)
    try:
        raw = stdin if stdin is not None else read_bytes(path, limit=MAX_BYTES)
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    except TooLarge as exc:
        raise ConfigError(f"{shown}: {exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{shown}: invalid TOML: not UTF-8 (byte {exc.start}: {raw[exc.start]:#04x})"
        ) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        place = _TOML_PLACE.search(str(exc))
        at = f"{shown}:{place.group(1)}:{place.group(2)}" if place else shown
        reason = _TOML_PLACE.sub("", str(exc)).strip()
        raise ConfigError(f"{at}: invalid TOML: {reason}") from None


def _is_pyproject(path: Path, data: t.Mapping[str, t.Any]) -> bool:
    """Whether the settings are under ``[tool.validator]``: a ``pyproject.toml``, or
    standard input holding a ``[tool]`` table (which a ``.validator.toml`` cannot have)."""
    return path.name == PYPROJECT or (is_dash(path) and "tool" in data)


def load_config(
    explicit: Path | None = None, start: Path | None = None, *, stdin: bytes | None = None
) -> Config:
    """Find and validate the configuration.

    ``explicit`` (``--config``) wins; it may be a ``.validator.toml``-style file or a
    ``pyproject.toml`` (read from ``[tool.validator]``), or ``-`` for standard input
    (either kind; ``stdin`` is its content when the caller has read it already).
    Otherwise ``.validator.toml``, then ``pyproject.toml``'s ``[tool.validator]``, in
    ``start`` (default: the current directory). No file: defaults. Relative paths in a
    file are relative to its folder, on standard input to the current directory.
    Raises :class:`ConfigError`.
    """
    folder = start if start is not None else Path.cwd()
    if explicit is not None:
        if not is_dash(explicit) and not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        candidates = [explicit]
    else:
        candidates = [p for p in (folder / CONFIG_FILE, folder / PYPROJECT) if p.is_file()]
    for path in candidates:
        data, text = _read_toml(path, stdin)
        if _is_pyproject(path, data):
            tool = data.get("tool", {})
            table = tool.get("validator") if isinstance(tool, dict) else None
            if table is None:
                if explicit is not None:
                    return Config(path=path)
                continue
            prefix = "tool.validator."
        else:
            table, prefix = data, ""
        shown = shown_name(path)
        if not isinstance(table, dict):
            raise ConfigError(f"{shown}: [tool.validator] must be a table")
        lines = key_lines(text, prefix.rstrip("."))
        base = Path.cwd() if is_dash(path) else path.parent
        config = parse_table(table, shown, prefix, base, lines)
        return dataclasses.replace(config, path=path)
    return Config()


__all__ = ["CONFIG_FILE", "KNOWN_KEYS", "OTHER_SECTIONS", "Config", "ConfigError", "load_config"]
