"""How a JSON Schema error reads to the people who edit catalog files.

jsonschema's messages are written for schema authors ("Additional properties are not
allowed ('nmae' was unexpected)"); :func:`describe` rewrites the common ones for the
people who edit catalog files, and suggests the nearest known key for a typo. Only
files that fail their schema get here, so jsonschema is imported by the functions
that need it, never by an offline run over a valid catalog.
"""

from __future__ import annotations

import difflib
import typing as t

from validator.catalog.source import json_path

if t.TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_SHAPE_KEYWORDS = ("type", "const", "enum")


def pick_branch(error: ValidationError) -> ValidationError:
    """For a failed ``anyOf``/``oneOf``, the error of the alternative the author meant.

    An alternative whose own type (or constant) does not fit the value was plainly not
    meant; when exactly one alternative fits the value's shape, its most relevant
    error is what a person needs ("$.params_b.max is missing"), not "is not valid
    under any of the given schemas". Otherwise the ``anyOf`` error itself is kept and
    :func:`describe` lists the shapes that would do.
    """
    while error.validator in ("oneOf", "anyOf") and error.context:
        by_branch: dict[t.Any, list[ValidationError]] = {}
        for sub in error.context:
            by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
        fitting = [
            errors
            for errors in by_branch.values()
            if not any(e.validator in _SHAPE_KEYWORDS and not e.relative_path for e in errors)
        ]
        if len(fitting) != 1:
            return error
        from jsonschema.exceptions import best_match

        picked = best_match(fitting[0])
        if picked is None:
            return error
        error = picked
    return error


def _shapes(schema: t.Any) -> list[str]:
    """How the alternatives of an ``anyOf``/``oneOf`` read to a person."""
    out: list[str] = []
    for branch in schema if isinstance(schema, list) else []:
        if not isinstance(branch, dict):
            continue
        if "const" in branch:
            out.append(repr(branch["const"]))
        elif isinstance(branch.get("type"), str):
            out.append(_TYPE_WORDS.get(str(branch["type"]), str(branch["type"])))
        elif isinstance(branch.get("description"), str):
            out.append(branch["description"].rstrip("."))
    return list(dict.fromkeys(out))


def _known_keys(schema: t.Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    keys = list(schema.get("properties", {}))
    for sub in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(sub, []):
            keys.extend(_known_keys(part))
    return keys


def _conditional_kinds(schema: t.Any) -> dict[str, list[str]]:
    """Keys that an ``if: {kind: ...}`` / ``then`` pair allows, with the kinds it names."""
    out: dict[str, list[str]] = {}
    if not isinstance(schema, dict):
        return out
    for part in schema.get("allOf", []):
        if not isinstance(part, dict) or not isinstance(part.get("then"), dict):
            continue
        kind = part.get("if", {}).get("properties", {}).get("kind", {})
        kinds = [kind["const"]] if "const" in kind else list(kind.get("enum", []))
        for key in part["then"].get("properties", {}):
            out.setdefault(key, []).extend(str(k) for k in kinds)
    return out


_TYPE_WORDS = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "null": "empty",
}


Described = tuple[tuple[str | int, ...], str, str | None]
"""(path of the offending value, message for people, hint)."""


class _At(t.NamedTuple):
    """Where an error is: its path, that path for a message, and "in <path>"."""

    path: tuple[str | int, ...]
    where: str
    inside: str


def _description(error: ValidationError) -> str | None:
    """The failing schema's own ``description``: the hint for a value of the wrong form."""
    described = error.schema.get("description") if isinstance(error.schema, dict) else None
    return described if isinstance(described, str) else None


def _unknown_key(error: ValidationError, at: _At) -> Described:
    instance = error.instance if isinstance(error.instance, dict) else {}
    known = _known_keys(error.schema)
    extras = [k for k in instance if k not in known]
    key = extras[0] if extras else "?"
    kinds = _conditional_kinds(error.schema).get(str(key))
    if kinds and isinstance(instance.get("kind"), str):
        return (
            (*at.path, key),
            f"{key} only applies to {' and '.join(kinds)} entries, "
            f"not to kind '{instance['kind']}'",
            "remove it, or check `kind`",
        )
    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(known)
    return (*at.path, key), f"unknown key '{key}' {at.inside}", hint


def _missing_key(error: ValidationError, at: _At) -> Described:
    missing = str(error.message).split("'")[1] if "'" in error.message else error.message
    return at.path, f"missing required key '{missing}' {at.inside}", None


def _wrong_type(error: ValidationError, at: _At) -> Described:
    wanted = error.validator_value
    words = (
        " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        if isinstance(wanted, list)
        else _TYPE_WORDS.get(str(wanted), str(wanted))
    )
    return at.path, f"{at.where} must be {words}, not {error.instance!r}", None


def _not_an_option(error: ValidationError, at: _At) -> Described:
    options = ", ".join(repr(v) for v in t.cast(list[t.Any], error.validator_value))
    return at.path, f"{at.where} is {error.instance!r}; expected one of {options}", None


def _not_the_constant(error: ValidationError, at: _At) -> Described:
    wanted = f"{error.validator_value!r}, not {error.instance!r}"
    return at.path, f"{at.where} must be {wanted}", None


def _wrong_form(error: ValidationError, at: _At) -> Described:
    message = f"{at.where} value {error.instance!r} is not in the expected form"
    return at.path, message, _description(error)


def _too_short(error: ValidationError, at: _At) -> Described:
    least = error.validator_value
    if error.validator == "minItems" and isinstance(least, int) and least > 1:
        return at.path, f"{at.where} must list at least {least} items", None
    return at.path, f"{at.where} must not be empty", None


def _out_of_range(error: ValidationError, at: _At) -> Described:
    message = f"{at.where} value {error.instance!r} is out of range ({error.message})"
    return at.path, message, None


def _repeated(error: ValidationError, at: _At) -> Described:
    return at.path, f"{at.where} lists the same item twice", None


def _no_shape_fits(error: ValidationError, at: _At) -> Described:
    shapes = _shapes(error.validator_value)
    if shapes:
        wanted = ", ".join(shapes[:-1]) + " or " + shapes[-1] if len(shapes) > 1 else shapes[0]
        return at.path, f"{at.where} must be {wanted}, not {error.instance!r}", _description(error)
    message = f"{at.where} value {error.instance!r} does not fit any allowed form"
    return at.path, message, _description(error)


def _not_allowed(error: ValidationError, at: _At) -> Described:
    return at.path, f"{at.where} is not allowed here", _description(error)


_DESCRIBERS: dict[str, t.Callable[[ValidationError, _At], Described]] = {
    "additionalProperties": _unknown_key,
    "unevaluatedProperties": _unknown_key,
    "required": _missing_key,
    "type": _wrong_type,
    "enum": _not_an_option,
    "const": _not_the_constant,
    "pattern": _wrong_form,
    "format": _wrong_form,
    "minItems": _too_short,
    "minLength": _too_short,
    "minimum": _out_of_range,
    "exclusiveMinimum": _out_of_range,
    "maximum": _out_of_range,
    "exclusiveMaximum": _out_of_range,
    "uniqueItems": _repeated,
    "anyOf": _no_shape_fits,
    "oneOf": _no_shape_fits,
    "not": _not_allowed,
}
"""How to say each JSON Schema keyword's failure to a person; others keep jsonschema's."""


def describe(error: ValidationError) -> Described:
    """(path of the offending value, message for people, hint) for one schema error."""
    path = tuple(error.absolute_path)
    where = json_path(path) if path else "the entry"
    at = _At(path, where, f"in {where}" if path else "at the top level")
    describer = _DESCRIBERS.get(str(error.validator))
    if describer is None:
        return path, f"{where}: {error.message}", None
    return describer(error, at)
