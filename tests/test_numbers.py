"""relmap's fast number formatting gives Babel's text (except that a rounded zero has no minus sign)."""

from __future__ import annotations

import random

import pytest
from babel.numbers import format_decimal

from relmap.i18n import LOCALES, _no_break, format_number, language

RNG = random.Random(20261123)
VALUES = [0.0, 0.5, 1.5, 2.5, -2.5, 2.675, 1e9, 123456789.125, 0.005, 0.015, -1234.5678, 1e-7, 99999.995,
          *(RNG.uniform(-1e7, 1e7) for _ in range(300)), *(round(RNG.uniform(0, 1e4), 3) for _ in range(300))]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("digits", [0, 1, 2])
def test_same_text_as_babel(lang: str, digits: int) -> None:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    with language(lang):
        for value in VALUES:
            assert format_number(value, digits) == _no_break(
                format_decimal(value, format=pattern, locale=LOCALES[lang])), value


def test_examples_by_hand() -> None:
    """12 345,5 with a no-break space in French; half-even rounding of the decimal text; no '-0'."""
    with language("fr"):
        assert format_number(12345.5, 1) == "12\u00a0345,5"
    with language("en"):
        assert format_number(12345.5, 1) == "12,345.5"
        assert format_number(2.5) == "2" and format_number(3.5) == "4"
        assert format_number(2.675, 2) == "2.68"
        assert format_number(-0.4) == "0"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_money_and_percent_same_text_as_babel(lang: str) -> None:
    from babel.numbers import format_currency
    from babel.numbers import format_percent as babel_percent

    from relmap.i18n import format_money, format_percent

    with language(lang):
        for value in VALUES[:200]:
            for currency in ("EUR", "USD", "JPY"):
                pattern = "#,##0\u00a0¤" if lang == "fr" else "¤#,##0"
                expected = _no_break(format_currency(value, currency, locale=LOCALES[lang], currency_digits=False,
                                                     format=pattern))
                if "-0" not in expected and "-€0" not in expected and "-$0" not in expected:
                    assert format_money(value, currency) == expected, (value, currency)
            share = value / 1e7
            sign = "\u00a0%" if lang == "fr" else "%"
            # groups with U+00A0, but U+202F (narrow) before % as French typography wants
            expected = _no_break(babel_percent(share, format="#,##0.0" + sign, locale=LOCALES[lang]))
            expected = expected.replace("\u00a0%", "\u202f%")
            if "-0" not in expected:
                assert format_percent(share, 1) == expected, share
