"""The content of a report, in the current language, shared by Markdown, HTML and the deck.

:func:`build_content` turns an :class:`~relmap.analysis.result.AnalysisResult`
into plain, already-translated and already-formatted text (sections, tables,
labelled items). Renderers only lay it out and escape it, so ``report.md``,
``report.html`` and ``deck.pptx`` say the same thing with the same numbers.

Why: every figure is shown with where it comes from (an input or the formula
that computes it); keeping the wording in one module keeps that promise once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis.result import AnalysisResult, ScenarioResult
from ..i18n import _, format_money, format_number, get_language
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


def main_scenario(result: AnalysisResult, scenario: str | None = None) -> ScenarioResult:
    """The scenario the report leads with (see :meth:`AnalysisResult.lead_scenario`).

    Raises:
        KeyError: ``scenario`` is not a scenario of the result.
    """
    return result.scenarios[result.lead_scenario(scenario)]


def build_content(result: AnalysisResult, scenario: str | None = None) -> ReportContent:
    """The whole report in the current language (see :func:`relmap.i18n.language`).

    The HTML, the Markdown and the deck all read it: it is built once per
    (result, scenario, language) and reused (:meth:`AnalysisResult.derived`;
    callers treat the content as read-only).

    Args:
        result: the analysis.
        scenario: the scenario the summary, candidates and plan lead with (default: the lead scenario).
    """
    lead = result.lead_scenario(scenario)
    return result.derived(("report_content", lead, get_language()), lambda: _build_content(result, lead))


def _build_content(result: AnalysisResult, scenario: str | None) -> ReportContent:
    scen = main_scenario(result, scenario)
    company = result.company
    bits = [str(company[k]) for k in ("sector", "date") if company.get(k)]
    subtitle = " · ".join([_("Relational goods and AI"), *bits])
    from .method import appendix_section, method_section
    from .people import people_section
    from .sections import (
        candidates_section,
        chain_section,
        goods_section,
        key_figures,
        matrix_section,
        reinvestment_section,
        risks_section,
        scenarios_section,
        summary_section,
    )
    from .timeline import sensitivity_section, trajectory_section

    sections = [
        summary_section(result, scen),
        chain_section(result),
        matrix_section(result),
        goods_section(result, scen),
        candidates_section(result, scen),
        scenarios_section(result),
        reinvestment_section(result, scen),
        people_section(result, scen),
        *[s for s in (sensitivity_section(result, scen), trajectory_section(result, scen)) if s.figures],
        risks_section(result),
        method_section(result),
        appendix_section(result, scen),
    ]
    return ReportContent(
        lang=get_language(),
        title=str(company.get("name", "")),
        subtitle=subtitle,
        scenario=scen.id,
        key_figures=key_figures(result, scen),
        sections=sections,
    )
