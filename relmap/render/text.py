"""User text made safe for DOT and SVG, wrapped for slides; numbers formatted for the language.

Why: a name is user text. In a DOT HTML-like label ``<…>`` would become
markup, ``&amp;`` would be decoded, and ``\\N``/``\\G`` would expand to the
node or graph name even inside HTML labels (measured with Graphviz 2.43).
:func:`dot_html` neutralises all of that; raw control characters (which make
the SVG ill-formed) and lone surrogates are replaced.
"""

from __future__ import annotations

import re
import textwrap

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
#: Past this many characters a label is cut, visibly, with "…" (the full name is in analysis.json).
MAX_LABEL_CHARS = 200


def clean(text: str) -> str:
    """Replace control characters, tabs, newlines and lone surrogates by a space."""
    return _UNSAFE.sub(" ", text.replace("\t", " ").replace("\n", " ").replace("\r", " "))


def dot_html(text: str) -> str:
    """Escape text for a DOT HTML-like label.

    ``\\`` is doubled (dot reads ``\\\\`` as one backslash, so ``\\N`` stays
    literal), then ``& < > "`` become entities.
    """
    text = clean(text).replace("\\", "\\\\")
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def wrap(text: str, width: int = 24, *, max_chars: int = MAX_LABEL_CHARS) -> list[str]:
    """Wrap ``text`` into lines of at most ``width`` characters.

    Long words are broken; beyond ``max_chars`` the text is cut and ends with
    "…" so a cut is never silent.
    """
    text = " ".join(clean(text).split())
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=True) or [""]


def _babel_locale(lang: str) -> str:
    return "fr_FR" if lang == "fr" else "en_US"


def _office_safe(text: str) -> str:
    """Babel's narrow no-break space (U+202F) is missing from older Office fonts: use U+00A0."""
    return text.replace("\u202f", "\u00a0")


def fmt_number(value: float, lang: str = "en", *, digits: int = 0) -> str:
    """``12400`` → ``12,400`` (en) or ``12 400`` (fr), with ``digits`` decimals."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _office_safe(format_decimal(round(value, digits), format=pattern, locale=_babel_locale(lang)))


def fmt_hours(value: float, lang: str = "en", *, sign: str = "") -> str:
    """Hours with a unit and an optional sign: ``−1,900 h`` (U+2212 minus, WGL4-safe)."""
    prefix = {"-": "−", "+": "+"}.get(sign, "")
    return f"{prefix}{fmt_number(abs(value) if sign else value, lang)}\u00a0h"


def fmt_fte(value: float, lang: str = "en") -> str:
    """FTE with one decimal, as in the reports: ``2.5 FTE``, ``22.5 FTE`` (``22 FTE`` for 22.5 read as a
    different figure from the report's ``22.5``)."""
    from ..i18n import _

    return _("{n} FTE").format(n=fmt_number(value, lang, digits=1))


def fmt_percent(share: float, lang: str = "en") -> str:
    """A 0..1 share as a whole percentage in the language's style: ``60%`` (en), ``60 %`` (fr, narrow
    no-break space U+202F before %, as French typography wants; U+00A0 between digit groups)."""
    from babel.numbers import format_percent

    text = _office_safe(format_percent(share, locale=_babel_locale(lang)))
    return text[:-2] + "\u202f%" if text.endswith("\u00a0%") else text


def fmt_money(value: float, currency: str, lang: str = "en") -> str:
    """A rounded amount with its currency: ``€12,400`` (en), ``12 400 €`` (fr)."""
    from babel.numbers import format_currency

    pattern = "#,##0\u00a0¤" if lang == "fr" else "¤#,##0"
    return _office_safe(format_currency(round(value), currency, format=pattern, locale=_babel_locale(lang),
                                        currency_digits=False))
