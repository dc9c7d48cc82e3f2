"""Reading spreadsheet cells back into input values, with cell-located errors.

Spreadsheets hold what people type: ``0,6`` (French decimal comma), ``60 %``,
``oui``, ``1 234,5``, ``0.4..0.8``. Each parser here accepts those forms and
raises :class:`CellError` with a message in the current language otherwise.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..i18n import _
from .model import RELATIONAL_WORDS

TRUE_WORDS = frozenset({"true", "yes", "y", "x", "1", "vrai", "oui", "o"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "faux", "non"})
#: French words accepted for the relational scale.
FRENCH_WORDS: dict[str, str] = {"aucun": "none", "faible": "low", "moyen": "medium", "élevé": "high",
                                "eleve": "high", "très_élevé": "very_high", "tres_eleve": "very_high",
                                "très élevé": "very_high", "very high": "very_high"}
_SPACES = re.compile(r"[\s\u00a0\u202f']")


class CellError(ValueError):
    """A cell holds a value of the wrong form; the message says what was expected."""


def text(value: Any) -> str | None:
    """A text cell: stripped; a number typed in a text column becomes its digits; blank → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = str(value).strip()
    return out or None


def number(value: Any) -> float | None:
    """A number cell: ``1234.5``, ``1 234,5``, ``1,234.5``, ``60 %`` (→ 0.6); blank → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("expected a number, got TRUE/FALSE"))
    if isinstance(value, int | float):
        result = float(value)
    else:
        raw = _SPACES.sub("", str(value))
        percent = raw.endswith("%")
        raw = raw.rstrip("%")
        if "," in raw and "." in raw:
            raw = raw.replace(".", "").replace(",", ".") if raw.rfind(",") > raw.rfind(".") else raw.replace(",", "")
        else:
            raw = raw.replace(",", ".")
        try:
            result = float(raw)
        except ValueError:
            raise CellError(_("expected a number, got '{value}'").format(value=str(value)[:40])) from None
        if percent:
            result /= 100
    if not math.isfinite(result):
        raise CellError(_("expected a finite number"))
    return result


def integer(value: Any) -> int | None:
    """A whole-number cell."""
    result = number(value)
    if result is None:
        return None
    if not result.is_integer():
        raise CellError(_("expected a whole number, got {value}").format(value=result))
    return int(result)


def boolean(value: Any) -> bool | None:
    """TRUE/FALSE, yes/no, oui/non, vrai/faux, 1/0, x; blank → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if isinstance(value, int | float):
        word = "1" if value == 1 else "0" if value == 0 else word
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("expected TRUE or FALSE, got '{value}'").format(value=str(value)[:40]))


def numbers(value: Any) -> list[float] | None:
    """A list of numbers: ``0.2; 0.5; 0.8`` (what relmap writes), one per line, or ``0.2, 0.5`` / ``0,2 0,5``.

    Items are split at ``;`` or line breaks when the cell has any, else at a
    comma followed by a space or at spaces, so that a comma with no space after
    it stays a decimal mark (``0,2; 0,5`` and ``0,2 0,5`` read as 0.2 and 0.5).
    A single number is a list of one; blank → None.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [float(value)]
    raw = text(value)
    if raw is None:
        return None
    separators = r"[;\r\n]+" if re.search(r"[;\r\n]", raw) else r",\s+|\s+(?!%)"
    parts = re.split(separators, raw)
    out: list[float] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        try:
            found = number(part)
        except CellError:
            found = None
        if found is None:
            raise CellError(_("'{part}' is not a number: separate the values with ';' (for example 0.2; 0.5; 0.8)")
                            .format(part=part[:40]))
        out.append(found)
    return out or None


def items(value: Any) -> list[str]:
    """A list cell: one item per line (what relmap writes), else comma-separated (``;`` also accepted); blank → [].

    A cell with a line break is read one item per line, each line exactly as
    written (blank lines skipped): items may hold commas. A cell without one
    is what people type, ``a, b`` or ``a; b``, and what relmap wrote before
    (the old format still reads the same).
    """
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return [line for line in lines if line.strip()]
    raw = text(value)
    if raw is None:
        return []
    sep = ";" if ";" in raw and "," not in raw else ","
    return [part.strip() for part in raw.split(sep) if part.strip()]


def estimate(value: Any) -> float | list[float] | dict[str, float] | None:
    """``0.6``, ``0,6``, ``60 %``, ``0.4..0.8`` (range), ``0.4..0.5..0.8`` (low..mode..high), ``[0.4, 0.8]``."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return number(value)
    raw = str(value).strip()
    if not raw:
        return None
    if raw.startswith("[") and raw.endswith("]"):
        inner = raw[1:-1]
        parts = inner.split(";") if ";" in inner else inner.split(",")
    elif ".." in raw:
        parts = raw.split("..")
    else:
        return number(raw)
    values = [number(p) for p in parts]
    if len(values) not in (2, 3) or any(v is None for v in values):
        raise CellError(_("expected a number, low..high or low..mode..high, got '{value}'").format(value=raw[:40]))
    clean = [float(v) for v in values if v is not None]
    if len(clean) == 2:
        return clean
    return {"low": clean[0], "mode": clean[1], "high": clean[2]}


def relational(value: Any) -> str | float | list[float] | dict[str, float] | None:
    """A word of the relational scale (English or French) or an estimate."""
    if isinstance(value, str):
        word = value.strip().lower().replace("-", "_")
        word = FRENCH_WORDS.get(word, word)
        if word in RELATIONAL_WORDS:
            return word
        if word and word[0].isalpha():
            raise CellError(_("expected none, low, medium, high, very_high or a number 0..1, got '{value}'").format(
                value=value.strip()[:40]))
    return estimate(value)
