"""User text made safe for DOT and SVG, wrapped for slides; numbers formatted for the language.

Numbers, percentages and amounts are those of :mod:`relmap.i18n` (one rule for
every output: Babel's en_GB and fr_FR, U+00A0 for the narrow space); the
``fmt_*`` functions only take the language as an argument, for the drawing
code that receives it explicitly.

Why: a name is user text. In a DOT HTML-like label ``<…>`` would become
markup, ``&amp;`` would be decoded, and ``\\N``/``\\G`` would expand to the
node or graph name even inside HTML labels (measured with Graphviz 2.43).
:func:`dot_html` neutralises all of that; raw control characters (which make
the SVG ill-formed) and lone surrogates are replaced.
"""

from __future__ import annotations

import re
import textwrap

from ..i18n import format_money, format_number, format_percent, language

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


_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def wrap(text: str, width: int = 24, *, max_chars: int = MAX_LABEL_CHARS) -> list[str]:
    """Wrap ``text`` into lines of at most ``width`` characters.

    Long words are broken; beyond ``max_chars`` the text is cut and ends with
    "…" so a cut is never silent. Only ASCII white space separates words (as in :mod:`textwrap`): a no-break
    space (French ``17\u202f%``, ``étape\u202f:``, ``12\u00a0400``) stays where it is, never a line end.
    """
    text = " ".join(w for w in _ASCII_SPACE.split(clean(text)) if w)
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=True) or [""]


def fmt_number(value: float, lang: str = "en", *, digits: int = 0) -> str:
    """``12400`` → ``12,400`` (en) or ``12 400`` (fr), with ``digits`` decimals (:func:`relmap.i18n.format_number`)."""
    with language(lang):
        return format_number(value, digits)


def fmt_hours(value: float, lang: str = "en", *, sign: str = "") -> str:
    """Hours with a unit and an optional sign: ``−1,900 h`` (U+2212 minus, WGL4-safe)."""
    prefix = {"-": "−", "+": "+"}.get(sign, "")
    return f"{prefix}{fmt_number(abs(value) if sign else value, lang)}\u00a0h"


def fmt_fte(value: float, lang: str = "en") -> str:
    """FTE with one decimal, as in the reports: ``2.5 FTE``, ``22.5 FTE`` (``22 FTE`` for 22.5 read as a
    different figure from the report's ``22.5``)."""
    from ..i18n import _

    with language(lang):
        return _("{n} FTE").format(n=format_number(value, 1))


def fmt_percent(share: float, lang: str = "en") -> str:
    """A 0..1 share as a whole percentage in the language's style: ``60%`` (en), ``60 %`` (fr, U+202F before %)."""
    with language(lang):
        return format_percent(share)


def fmt_money(value: float, currency: str, lang: str = "en") -> str:
    """A rounded amount with its currency: ``€12,400`` (en), ``12 400 €`` (fr) (:func:`relmap.i18n.format_money`)."""
    with language(lang):
        return format_money(value, currency)
