"""Cell values of the page <-> catalog values, in one place for both directions.

The importer and the renderer must agree exactly on how ``0.06 - 11``, ``84k (ALiBi)``
or ``2023/05<!--12-->`` map to catalog data, or the page would drift on every round
trip. Keeping each parser next to its formatter makes that agreement easy to see and
to test.
"""

from __future__ import annotations

import re
import typing as t

Number = int | float
Quantity = Number | list[Number] | dict[str, Number]


class CellValueError(ValueError):
    """A cell whose text is not a value of its column; the message quotes the text."""


_NUMBER = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")
_RANGE = re.compile(r"^(?P<min>[^-]+?)\s*-\s*(?P<max>[^-]+)$")
_DATE = re.compile(
    r"^(?P<year>\d{4})\s*[/-]\s*(?P<month>\d{1,2})\s*(?:(?:<!--\s*|[/-]\s*)(?P<day>\d{1,2})\s*(?:-->)?)?$"
)
_CONTEXT = re.compile(
    r"^(?P<value>.+?)\s*(?P<uncertain>\?)?\s*(?:\(\s*(?P<mechanism>[A-Za-z]+)\s*\))?$"
)
_MECHANISMS = {"alibi": "ALiBi", "rnn": "RNN"}
"""Context-extension mechanisms: catalog value -> how the page writes it."""


def parse_number(text: str, *, thousands: bool = False) -> Number:
    """``12`` -> 12, ``0.111`` -> 0.111 (kept exact), ``84k`` -> 84000, ``44,000`` -> 44000."""
    raw = text.strip()
    scale = 1
    if raw[-1:] in ("k", "K"):
        raw, scale = raw[:-1].strip(), 1000
    if thousands and _THOUSANDS.match(raw):
        raw = raw.replace(",", "")
    if not _NUMBER.match(raw):
        raise CellValueError(f"not a number: {text.strip()!r}")
    if "." in raw:
        value = float(raw) * scale
        return int(value) if scale != 1 and value.is_integer() else value
    return int(raw) * scale


def parse_quantity(text: str, *, thousands: bool = False) -> Quantity:
    """A number, a list ``3, 7, 12`` or a range ``0.06 - 11`` (``{min, max}``)."""
    raw = " ".join(text.split())
    if thousands and _THOUSANDS.match(raw):
        return parse_number(raw, thousands=True)
    match = _RANGE.match(raw)
    if match:
        return {"min": parse_number(match["min"]), "max": parse_number(match["max"])}
    if "," in raw:
        return [parse_number(part) for part in raw.split(",")]
    return parse_number(raw)


def format_number(value: Number, *, thousands: bool = False, kilo: bool = False) -> str:
    """The inverse of :func:`parse_number`; integers never gain a ``.0``."""
    if isinstance(value, float) and value.is_integer() and "e" not in repr(value):
        value = int(value)
    if kilo and isinstance(value, int) and value and value % 1000 == 0:
        return f"{value // 1000}k"
    if thousands and value >= 1000:
        return f"{value:,}"
    return repr(value) if isinstance(value, float) else str(value)


def format_quantity(value: t.Any, *, thousands: bool = False, kilo: bool = False) -> str:
    """``{min, max}`` -> ``min - max``, a list -> ``a, b, c``, a number as itself."""
    if isinstance(value, dict):
        low = format_number(value["min"], thousands=thousands, kilo=kilo)
        high = format_number(value["max"], thousands=thousands, kilo=kilo)
        return f"{low} - {high}"
    if isinstance(value, list):
        return ", ".join(format_number(v, thousands=thousands, kilo=kilo) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, thousands=thousands, kilo=kilo)
    raise CellValueError(f"not a quantity: {value!r}")


def parse_context(text: str) -> dict[str, t.Any]:
    """``84k (ALiBi)``, ``infinity? (ALiBi)``, ``512, 2048`` -> a ``context_length`` mapping.

    The source link, if any, is added by the caller: it is a property of the cell.
    """
    raw = " ".join(text.split())
    match = _CONTEXT.match(raw)
    if not match:
        raise CellValueError(f"not a context length: {raw!r}")
    out: dict[str, t.Any] = {}
    value = match["value"].strip()
    if value.lower() == "infinity":
        out["value"] = "infinity"
    else:
        quantity = parse_quantity(value, thousands=True)
        if not _all_int(quantity):
            raise CellValueError(f"a context length counts tokens, so whole numbers: {raw!r}")
        out["value"] = quantity
    if match["mechanism"]:
        mechanism = match["mechanism"].lower()
        if mechanism not in _MECHANISMS:
            known = ", ".join(_MECHANISMS.values())
            raise CellValueError(
                f"unknown context mechanism {match['mechanism']!r} (known: {known})"
            )
        out["mechanism"] = mechanism
    if match["uncertain"]:
        out["uncertain"] = True
    return out


def _all_int(value: Quantity) -> bool:
    if isinstance(value, dict):
        return all(isinstance(v, int) for v in value.values())
    if isinstance(value, list):
        return all(isinstance(v, int) for v in value)
    return isinstance(value, int)


def format_context(context: dict[str, t.Any]) -> str:
    """The cell text (without the source link) for a ``context_length`` mapping."""
    value = context["value"]
    text = "infinity" if value == "infinity" else format_quantity(value, kilo=True)
    if context.get("uncertain"):
        text += "?"
    mechanism = context.get("mechanism")
    if mechanism:
        text += f" ({_MECHANISMS.get(mechanism, mechanism)})"
    return text


def parse_date(text: str) -> str:
    """``2023/05`` -> ``2023-05``; ``2023/05<!--12-->`` (a hidden day) -> ``2023-05-12``."""
    raw = text.strip()
    match = _DATE.match(raw)
    if not match:
        raise CellValueError(f"not a date (YYYY/MM): {raw!r}")
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise CellValueError(f"month out of range: {raw!r}")
    out = f"{match['year']}-{month:02d}"
    if match["day"]:
        out += f"-{int(match['day']):02d}"
    return out


def format_date(value: str) -> str:
    """The inverse of :func:`parse_date`: the day, when known, stays hidden in a comment."""
    year, month, *day = value.split("-")
    return f"{year}/{month}" + (f"<!--{day[0]}-->" if day else "")
