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
    r"^(?P<year>\d{4})(?:\s*[/-]\s*(?P<month>\d{1,2})\s*(?:(?:<!--\s*|[/-]\s*)(?P<day>\d{1,2})\s*(?:-->)?)?)?$"
)
_CONTEXT_VALUE = re.compile(
    r"^(?P<value>infinity|unlimited|(?:\d[\d.]*(?:,\d{3}(?!\d))*\s*[kKmM]?\b(?:\s*(?:-|,)\s*)?)+)",
    re.IGNORECASE,
)
_MECHANISM = re.compile(r"^\s*\(\s*(?P<mechanism>[A-Za-z][A-Za-z -]*?)\s*\)")
_TRAINED = re.compile(r"\btrained (?:on|with|at) (?P<n>\d[\d.,]*\s*[kKmM]?)", re.IGNORECASE)
_MECHANISMS = {
    "alibi": "ALiBi",
    "rnn": "RNN",
    "sliding-window": "sliding window",
    "rope-scaling": "RoPE scaling",
    "yarn": "YaRN",
}
"""Context-extension mechanisms: catalog value -> how the page writes it."""
_MECHANISM_SPELLINGS = {
    **{v.lower(): k for k, v in _MECHANISMS.items()},
    **{k: k for k in _MECHANISMS},
    "sliding windows": "sliding-window",
    "swa": "sliding-window",
    "rope": "rope-scaling",
}
"""How pages write a mechanism (lower case) -> catalog value."""
UNBOUNDED = ("infinity", "unlimited")
"""Context values meaning "no fixed limit", kept as the page spells them."""


def parse_number(text: str, *, thousands: bool = False) -> Number:
    """``12`` -> 12, ``0.111`` -> 0.111 (kept exact), ``84k`` -> 84000, ``44,000`` -> 44000."""
    raw = text.strip()
    scale = 1
    if raw[-1:] in ("k", "K"):
        raw, scale = raw[:-1].strip(), 1000
    elif raw[-1:] in ("m", "M"):
        raw, scale = raw[:-1].strip(), 1_000_000
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
    if kilo and isinstance(value, int) and value and value % 1_000_000 == 0:
        return f"{value // 1_000_000}M"
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
    """One context-length value as a page writes it -> a ``context_length`` item.

    ``84k (ALiBi)``, ``infinity? (ALiBi)``, ``512, 2048``, ``128k, 256k, 1M``,
    ``4096-16K with Sliding Windows``, ``unlimited(RNN), trained on 4096``: the value
    (``K``/``M`` suffixes, ranges, lists, ``infinity``/``unlimited``), ``?``, a mechanism
    in parentheses and any text after it (the ``qualifier``, kept verbatim; a "trained on
    N" in it also sets ``trained``). The source link is added by the caller.
    """
    raw = " ".join(text.split())
    match = _CONTEXT_VALUE.match(raw)
    if not match:
        raise CellValueError(f"not a context length: {raw!r}")
    out: dict[str, t.Any] = {}
    value = match["value"].strip()
    if value.lower() in UNBOUNDED:
        out["value"] = value.lower()
    else:
        quantity = parse_quantity(value, thousands=True)
        if not _all_int(quantity):
            raise CellValueError(f"a context length counts tokens, so whole numbers: {raw!r}")
        out["value"] = quantity
    rest = raw[match.end() :]
    uncertain = rest.startswith("?")
    rest = rest[1:] if uncertain else rest
    mech = _MECHANISM.match(rest)
    if mech and mech["mechanism"].lower() in _MECHANISM_SPELLINGS:
        out["mechanism"] = _MECHANISM_SPELLINGS[mech["mechanism"].lower()]
        rest = rest[mech.end() :]
    if uncertain:
        out["uncertain"] = True
    qualifier = rest.strip().lstrip(",;").strip()
    if qualifier:
        if "mechanism" not in out:
            out.update(_mechanism_in(qualifier))
        trained = _TRAINED.search(qualifier)
        if trained:
            number = parse_number(trained["n"], thousands=True)
            if isinstance(number, int):
                out["trained"] = number
        out["qualifier"] = qualifier
    return out


def _mechanism_in(text: str) -> dict[str, str]:
    lowered = text.lower()
    for spelling, mechanism in _MECHANISM_SPELLINGS.items():
        if len(spelling) > 3 and spelling in lowered:
            return {"mechanism": mechanism}
    return {}


def _all_int(value: Quantity) -> bool:
    if isinstance(value, dict):
        return all(isinstance(v, int) for v in value.values())
    if isinstance(value, list):
        return all(isinstance(v, int) for v in value)
    return isinstance(value, int)


def format_context(context: dict[str, t.Any]) -> str:
    """The canonical text (without the source link) for one ``context_length`` item.

    A mechanism the qualifier already names is not written twice.
    """
    value = context["value"]
    text = value if value in UNBOUNDED else format_quantity(value, kilo=True)
    if context.get("uncertain"):
        text += "?"
    mechanism = context.get("mechanism")
    qualifier = context.get("qualifier")
    if mechanism and not (qualifier and _mechanism_in(qualifier)):
        text += f" ({_MECHANISMS.get(mechanism, mechanism)})"
    if qualifier:
        text += f" {qualifier}"
    return text


def parse_date(text: str) -> str:
    """``2023/05`` -> ``2023-05``; ``2023/05<!--12-->`` (a hidden day) -> ``2023-05-12``.

    A year alone (``2023``) reads as ``2023``; the importer reports it.
    """
    raw = text.strip()
    match = _DATE.match(raw)
    if not match:
        raise CellValueError(f"not a date (YYYY/MM): {raw!r}")
    if match["month"] is None:
        return match["year"]
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise CellValueError(f"month out of range: {raw!r}")
    out = f"{match['year']}-{month:02d}"
    if match["day"]:
        out += f"-{int(match['day']):02d}"
    return out


def format_date(value: str) -> str:
    """The inverse of :func:`parse_date`: the day, when known, stays hidden in a comment."""
    year, *rest = value.split("-")
    if not rest:
        return year
    month, *day = rest
    return f"{year}/{month}" + (f"<!--{day[0]}-->" if day else "")
