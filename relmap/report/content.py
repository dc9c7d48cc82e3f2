"""The content of a report, in the current language, shared by Markdown, HTML and the deck.

:func:`build_content` turns an :class:`~relmap.analysis.result.AnalysisResult`
into the blocks of :mod:`relmap.report.blocks`: plain, already-translated and
already-formatted text (sections, tables, labelled items). Renderers only lay
it out and escape it, so ``report.md``, ``report.html`` and ``deck.pptx`` say
the same thing with the same numbers.

Why: every figure is shown with where it comes from (an input or the formula
that computes it); keeping the wording in one place keeps that promise once.
"""

from __future__ import annotations

from ..analysis.result import AnalysisResult
from ..i18n import _, get_language
from .blocks import ReportContent
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
    scen = result.scenario_result(scenario)
    company = result.company
    bits = [str(company[k]) for k in ("sector", "date") if company.get(k)]
    subtitle = " · ".join([_("Relational goods and AI"), *bits])

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
