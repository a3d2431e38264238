"""The fast indented-JSON writer gives json.dumps(indent=2, ensure_ascii=False) exactly."""

from __future__ import annotations

import json
import random
import typing as t

import pytest

from validator.pipeline import OnlineOutcome
from validator.report import jsontext

AWKWARD = ["", "é", "\x00\x01\x1f", '"\\', "},\x01{", "],\x01[", "a: b, c", "\u2028", "\ud800"]


def _value(rng: random.Random, depth: int) -> t.Any:
    kind = rng.randrange(10 if depth < 4 else 6)
    if kind == 0:
        return rng.choice(AWKWARD + ["x" * rng.randrange(5)])
    if kind == 1:
        return rng.choice([None, True, False])
    if kind == 2:
        return rng.choice([0, -1, 2**70, 1.5, -0.0, 1e300, float("inf"), float("nan")])
    if kind in (3, 4, 5):
        return rng.choice(["s", 1, None, {}, [], ()])
    if kind in (6, 7):
        keys = [rng.choice([*AWKWARD, "k", 1, 2.5, True, None]) for _ in range(rng.randrange(5))]
        return {key: _value(rng, depth + 1) for key in keys}
    if kind == 8:  # a list of flat dicts, as a link's places
        return [{"file": rng.choice(AWKWARD), "line": i, "x": {}} for i in range(rng.randrange(4))]
    return [_value(rng, depth + 1) for _ in range(rng.randrange(5))]


def test_random_values_are_written_as_json_dumps_writes_them() -> None:
    rng = random.Random(7)
    for _ in range(1000):
        value = _value(rng, 0)
        want = json.dumps(value, indent=2, ensure_ascii=False)
        assert jsontext.dumps(value) == want, value
        assert jsontext.dumps(value, "    ") == want.replace("\n", "\n    "), value


@pytest.mark.parametrize("value", [{"a": object()}, {(1, 2): 1}, [{1, 2}], {"a": [{"b": b"x"}]}])
def test_what_json_refuses_it_refuses(value: t.Any) -> None:
    with pytest.raises(TypeError):
        jsontext.dumps(value)


def test_the_online_outcome_has_a_short_repr() -> None:
    # asyncio formats the finished main task (and so this, its result) into a message
    # it drops when it restores the SIGINT handler: a full repr cost seconds at scale.
    outcome = OnlineOutcome(links=[object()] * 100_000)  # type: ignore[list-item]
    assert repr(outcome) == "OnlineOutcome(links=100000, findings=0)"


def test_a_verbatim_piece_is_written_at_its_indentation() -> None:
    piece = jsontext.Verbatim(lambda indent: f"[{len(indent)}]")
    value = {"a": [1, {"b": piece}], "c": piece}
    assert jsontext.dumps(value) == (
        '{\n  "a": [\n    1,\n    {\n      "b": [6]\n    }\n  ],\n  "c": [2]\n}'
    )
