"""The blocks a report is made of (sections, tables, figures, labelled items) and how its numbers are written.

:func:`relmap.report.content.build_content` fills them from an
:class:`~relmap.analysis.result.AnalysisResult` with plain, already-translated
and already-formatted text; renderers only lay them out and escape them, so
``report.md``, ``report.html`` and ``deck.pptx`` say the same thing with the same numbers.

Why: every figure is shown with where it comes from (an input or the formula
that computes it); keeping the wording in one module keeps that promise once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis.result import AnalysisResult
from ..i18n import format_money, format_number
from ..render import VIEWS

#: The file of each view in the output folder (**contract** names: ``<view>.svg``).
VIEW_FILES: dict[str, str] = {view: f"{view}.svg" for view in VIEWS}


@dataclass(frozen=True)
class Table:
    """A table of display strings; ``numeric[i]`` right-aligns column i."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    caption: str = ""


@dataclass(frozen=True)
class Item:
    """A bullet: an optional bold ``label`` then ``text``."""

    label: str
    text: str


@dataclass(frozen=True)
class Figure:
    """A diagram of :data:`relmap.render.VIEWS`, with its title and caption."""

    view: str
    title: str
    caption: str


@dataclass
class Section:
    """One section of the report."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class KeyFigure:
    """A headline number, what it is, and where it comes from."""

    label: str
    value: str
    source: str


@dataclass
class ReportContent:
    """Everything a report says, translated and formatted."""

    lang: str
    title: str
    subtitle: str
    scenario: str
    key_figures: list[KeyFigure]
    sections: list[Section]

    def section(self, section_id: str) -> Section:
        """The section with this id (KeyError if none)."""
        for sec in self.sections:
            if sec.id == section_id:
                return sec
        raise KeyError(section_id)


# --------------------------------------------------------------------------- formatting helpers


def hours(value: float) -> str:
    """Hours, no decimals."""
    return format_number(value, 0)


def fte(value: float) -> str:
    """FTE, one decimal."""
    return format_number(value, 1)


def score(value: float) -> str:
    """A 0..1 score, two decimals."""
    return format_number(value, 2)


def money(result: AnalysisResult, value: float) -> str:
    """An amount in the company's currency."""
    return format_money(value, str(result.company.get("currency") or "EUR"))


def spread(low: float, point: float, high: float) -> str:
    """``0.70 (0.60–0.80)``, or ``0.70`` when certain."""
    if high - low < 1e-12:
        return score(point)
    return f"{score(point)} ({score(low)}–{score(high)})"
