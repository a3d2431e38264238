"""Exact parsing and formatting of the page's number, context and date formats."""

from __future__ import annotations

import typing as t

import pytest

from validator.markdown import values
from validator.markdown.values import CellValueError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20", 20),
        ("1.1", 1.1),
        ("0.06 - 11", {"min": 0.06, "max": 11}),
        ("0.111 - 13", {"min": 0.111, "max": 13}),
        ("3, 7, 12", [3, 7, 12]),
        ("3 - 65", {"min": 3, "max": 65}),
        ("7, 40", [7, 40]),
    ],
)
def test_params(text: str, expected: t.Any) -> None:
    parsed = values.parse_quantity(text)
    assert parsed == expected
    assert repr(parsed) == repr(expected)  # 11 stays an int, 0.111 stays exactly 0.111
    assert values.format_quantity(parsed) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("44,000", 44000), ("59", 59), ("0.25", 0.25), ("1.2", 1.2), ("1,234.5", 1234.5)],
)
def test_amounts_with_thousands_separators(text: str, expected: t.Any) -> None:
    parsed = values.parse_quantity(text, thousands=True)
    assert parsed == expected
    assert type(parsed) is type(expected)
    assert values.format_quantity(parsed, thousands=True) == text


def test_kilo_suffix() -> None:
    assert values.parse_number("84k") == 84000
    assert values.parse_number("2.5K") == 2500
    assert isinstance(values.parse_number("84k"), int)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("512", {"value": 512}),
        ("84k (ALiBi)", {"value": 84000, "mechanism": "alibi"}),
        ("infinity (RNN)", {"value": "infinity", "mechanism": "rnn"}),
        ("infinity? (ALiBi)", {"value": "infinity", "uncertain": True, "mechanism": "alibi"}),
        ("512, 2048", {"value": [512, 2048]}),
        ("256 - 2048", {"value": {"min": 256, "max": 2048}}),
        ("8192", {"value": 8192}),
    ],
)
def test_context_length(text: str, expected: dict[str, t.Any]) -> None:
    parsed = values.parse_context(text)
    assert parsed == expected
    assert values.format_context(parsed) == text


def test_whole_thousands_render_as_k_and_others_do_not() -> None:
    assert values.format_context({"value": 2000}) == "2k"
    assert values.format_context({"value": 2048}) == "2048"


def test_floats_that_are_whole_render_without_point_zero() -> None:
    assert values.format_number(7.0) == "7"
    assert values.format_quantity({"min": 1.0, "max": 16}) == "1 - 16"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023/05", "2023-05"),
        ("2023/05<!--12-->", "2023-05-12"),
        ("2023/05 <!-- 12 -->", "2023-05-12"),
        ("2021/08", "2021-08"),
        ("2023-05", "2023-05"),
    ],
)
def test_dates(text: str, expected: str) -> None:
    assert values.parse_date(text) == expected


def test_date_format_hides_the_day_in_a_comment() -> None:
    assert values.format_date("2023-05") == "2023/05"
    assert values.format_date("2023-05-12") == "2023/05<!--12-->"


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (values.parse_date, "2023/13"),
        (values.parse_date, "May 2023"),
        (values.parse_quantity, "about 7"),
        (values.parse_context, "about 8k"),
        (values.parse_context, "2048.5"),
    ],
)
def test_unreadable_cells_raise_with_the_text(parse: t.Callable[[str], t.Any], text: str) -> None:
    with pytest.raises(CellValueError):
        parse(text)
