"""English and French texts: gettext catalogues shipped in the package.

Every sentence a user reads goes through :func:`_` (or :func:`ngettext`). The
language is a context variable set once per command (``--lang`` or the file's
``company.language``), so library calls made from a notebook can also choose.

Catalogues live in ``relmap/i18n/<lang>/LC_MESSAGES/relmap.po`` and are
compiled to ``.mo`` with Babel (``make i18n``); a test fails when a ``.mo`` is
older than its ``.po``.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from importlib import resources
from typing import Literal, get_args

#: The languages of every output (catalogues, ``company.language``, ``--lang``, starter templates).
Language = Literal["en", "fr"]
LANGUAGES: tuple[str, ...] = get_args(Language)
DOMAIN = "relmap"

_current: ContextVar[str] = ContextVar("relmap_language", default="en")


@cache
def _translations(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    localedir = resources.files(__package__)
    mo = localedir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.is_file():
        return _gettext.NullTranslations()
    with mo.open("rb") as fh:
        return _gettext.GNUTranslations(fh)


def normalize_language(lang: str | None) -> str:
    """``"fr_FR.UTF-8"`` → ``"fr"``; anything unknown → ``"en"``."""
    if not lang:
        return "en"
    short = lang.replace("-", "_").split("_")[0].split(".")[0].lower()
    return short if short in LANGUAGES else "en"


def get_language() -> str:
    """The language of the current context."""
    return _current.get()


def set_language(lang: str | None) -> None:
    """Set the language for the current context (``en`` or ``fr``)."""
    _current.set(normalize_language(lang))


@contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Temporarily switch language: ``with language("fr"): ...``."""
    token = _current.set(normalize_language(lang))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form chosen by ``n``."""
    return _translations(_current.get()).ngettext(singular, plural, n)


# --------------------------------------------------------------------------- numbers

#: Babel locale used to format numbers for each language: the one rule of every output (reports, deck,
#: workbook, terminal, diagrams — relmap.render.text calls these functions). English is en_GB: the same
#: digits, separators and percentages as en_US, and an unambiguous currency sign (``US$`` for USD, ``€``,
#: ``£``); French is fr_FR with U+00A0 where Babel writes U+202F (older Office fonts lack it).
LOCALES: dict[str, str] = {"en": "en_GB", "fr": "fr_FR"}


def _locale() -> str:
    return LOCALES.get(_current.get(), "en_GB")


def _no_break(text: str) -> str:
    """Babel's French group separator is U+202F; U+00A0 is in every font (PowerPoint, terminals)."""
    return text.replace("\u202f", "\u00a0")


#: Group and decimal separators of each language (Babel's en_GB and fr_FR, with U+00A0 for U+202F).
_SEPARATORS: dict[str, tuple[str, str]] = {"en": (",", "."), "fr": ("\u00a0", ",")}


def format_number(value: float, digits: int = 0) -> str:
    """``12345.5`` → ``12,345.5`` (en) or ``12 345,5`` (fr, no-break space), with ``digits`` decimals.

    Same text as Babel's ``format_decimal(value, "#,##0.0…", locale)`` — the value
    read as ``Decimal(str(value))`` and rounded half-even — without its per-call
    pattern parsing, which dominated the reports of large chains (a test compares
    the two on many values).
    """
    group, point = _SEPARATORS.get(_current.get(), _SEPARATORS["en"])
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    if number == 0:
        number = abs(number)
    text = f"{number:,.{digits}f}"
    if group == ",":
        return text
    return text.replace(",", "\x00").replace(".", point).replace("\x00", group)


def format_percent(value: float, digits: int = 0) -> str:
    """A share 0..1 as a percentage: ``0.24`` → ``24%`` (en) or ``24 %`` (fr, narrow no-break space U+202F,
    as French typography wants before %)."""
    sign = "\u202f%" if _current.get() == "fr" else "%"
    return format_number(float(Decimal(str(value)).scaleb(2)), digits) + sign


@cache
def _currency_symbol(currency: str, locale: str) -> str:
    from babel.numbers import get_currency_symbol

    return str(get_currency_symbol(currency, locale=locale))


def format_money(value: float, currency: str = "EUR", digits: int = 0) -> str:
    """An amount with its currency sign: ``€12,346`` (en) or ``12 346 €`` (fr), with ``digits`` decimals."""
    symbol = _currency_symbol(currency, _locale())
    number = format_number(value, digits)
    if _current.get() == "fr":
        return f"{number}\u00a0{symbol}"
    if number.startswith("-"):
        return f"-{symbol}{number[1:]}"
    return f"{symbol}{number}"
