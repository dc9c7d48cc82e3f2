"""The deck a partner would send, checked on a company file written for the purpose (a French notary office,
tests/cases/valid/notary_office_fr.yaml), in both languages, by opening it with python-pptx.

Done when (issue 16): every slide after the title has a title with a figure (method aside) and speaker
notes; the scenarios and candidates slides exist; no risk is repeated; no text under 7 pt.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from deck_reading import chart_text_pt
from pptx import Presentation
from pptx.util import Pt

import relmap
from relmap.analysis.result import AnalysisResult
from relmap.report.drawing import Diagrams, draw_diagrams
from relmap.report.pptx import build_deck

NOTARY = Path(__file__).resolve().parent / "cases" / "valid" / "notary_office_fr.yaml"
KICKERS = {
    "en": {"method": "METHOD", "scenarios": "SCENARIOS SIDE BY SIDE", "candidates": "AUTOMATION CANDIDATES",
           "risks": "RISKS", "stage": "THE VALUE CHAIN — STAGE IN DETAIL", "plan": "REINVESTMENT PLAN"},
    "fr": {"method": "MÉTHODE", "scenarios": "SCÉNARIOS CÔTE À CÔTE", "candidates": "CANDIDATS À L'AUTOMATISATION",
           "risks": "RISQUES", "stage": "LA CHAÎNE DE VALEUR — ÉTAPE EN DÉTAIL", "plan": "PLAN DE RÉINVESTISSEMENT"},
}


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    return relmap.analyze(relmap.load(NOTARY), draws=50)


@pytest.fixture(scope="module")
def drawn(result: AnalysisResult) -> Diagrams:
    """The views, drawn once for both decks: these tests read the slides' text, tables and charts, not the
    pictures (a whole French deck with its own French pictures is compared byte for byte in test_determinism)."""
    return draw_diagrams(result, lang="en")


@pytest.fixture(scope="module", params=["en", "fr"])
def deck(request: pytest.FixtureRequest, result: AnalysisResult, drawn: Diagrams) -> tuple[str, Any]:
    lang = request.param
    return lang, Presentation(io.BytesIO(build_deck(result, svgs=drawn.svg, pngs=drawn.png, lang=lang)))


def _kicker(slide: Any) -> str:
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text.isupper()]
    return texts[0] if texts else ""


def _title(slide: Any) -> str:
    return slide.shapes.title.text if slide.shapes.title is not None else ""


@pytest.mark.slow  # the notary office's whole decks, en and fr (one build each, shared)
def test_titles_carry_a_figure_and_every_slide_has_notes(deck: tuple[str, Any]) -> None:
    lang, prs = deck
    slides = list(prs.slides)
    for slide in slides:
        assert slide.notes_slide.notes_text_frame.text.strip(), _title(slide)
    for slide in slides[1:]:
        if not _kicker(slide).startswith(KICKERS[lang]["method"]):
            assert re.search(r"\d", _title(slide)), (_kicker(slide), _title(slide))
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in slides)
    assert ("exposure" in notes and "not a forecast of automation" in notes) if lang == "en" else (
        "exposition technique" in notes)


def _sizes(prs: Any) -> list[float]:
    sizes = []
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = []
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                sizes += [run.font.size.pt for p in frame.paragraphs for run in p.runs if run.font.size is not None]
            if shape.has_chart:
                sizes += chart_text_pt(shape.chart)
    return sizes


@pytest.mark.slow  # the notary office's whole decks, en and fr (one build each, shared)
def test_no_text_under_7_pt(deck: tuple[str, Any]) -> None:
    _lang, prs = deck
    sizes = _sizes(prs)
    assert sizes and min(sizes) >= Pt(7).pt


@pytest.mark.slow  # the notary office's whole decks, en and fr (one build each, shared)
def test_scenarios_candidates_stages_and_risks_said_once(deck: tuple[str, Any], result: AnalysisResult) -> None:
    lang, prs = deck
    k = KICKERS[lang]
    by_kicker: dict[str, list[Any]] = {}
    for slide in prs.slides:
        by_kicker.setdefault(_kicker(slide), []).append(slide)
    for name in ("scenarios", "candidates"):
        [slide] = by_kicker[k[name]]
        table = next(s for s in slide.shapes if s.has_table).table
        assert len(table.rows) > 3
    [scenarios] = by_kicker[k["scenarios"]]
    heads = [c.text for c in next(s for s in scenarios.shapes if s.has_table).table.rows[0].cells]
    assert heads[1:] == [s.name for s in result.scenarios.values()]
    if shutil.which("neato"):  # 33 activities: the overview is by stage, so each stage has its slide
        assert len(by_kicker[k["stage"]]) == len(result.stages)
    risk_text = [sh.text_frame.text for s in prs.slides if _kicker(s).startswith(k["risks"])
                 for sh in s.shapes if sh.has_text_frame and not sh.text_frame.text.isupper()]
    bullets = [line for text in risk_text[1:] for line in text.split("\n") if line]
    assert len(bullets) == len(set(bullets))
    assert sum("Notaria" in b for b in bullets) == 1  # one vendor risk, although three scenarios raise it
    assert not any("report.html" in b for b in bullets)


@pytest.mark.slow  # the notary office's whole decks, en and fr (one build each, shared)
def test_reinvestment_chart_and_bullets_name_one_scenario(deck: tuple[str, Any], result: AnalysisResult) -> None:
    lang, prs = deck
    lead = result.scenarios[result.lead_scenario()]
    [plan] = [s for s in prs.slides if _kicker(s) == KICKERS[lang]["plan"]]
    chart = next(s for s in plan.shapes if s.has_chart).chart
    assert [s.name for s in chart.plots[0].series] == [lead.name]
    bullets = [sh.text_frame.text for sh in plan.shapes if sh.has_text_frame and lead.name in sh.text_frame.text]
    assert len(bullets) >= 2  # the title and the bullets both name it
    assert ("\u00a0" in chart.value_axis.tick_labels.number_format) is (lang == "fr")


def test_goods_share_by_hand() -> None:
    """tests/cases/analysis/tiny.yaml: goods greet 1,000 h (r 0.8), advise 1,000 h (0.6), mentoring 500 h (1.0);
    all hours 1,000 + 2,000 + 1,000 + 1 FTE × 1,000 + 500 + 500 = 6,000; share = 2,500 / 6,000 = 0.4167."""
    from relmap.report.deck_text import goods_share

    tiny = relmap.analyze(relmap.load(NOTARY.parent.parent / "analysis" / "tiny.yaml"), draws=20)
    assert goods_share(tiny) == pytest.approx(2500 / 6000)


def test_bullets_height_by_hand() -> None:
    """5 in at 10 pt: 360 pt / 5 pt a character = 72 per line; 'ab' + ' — ' + 95 characters = 100 → 2 lines;
    (2 × 1.2 × 10 + 5) / 72 = 29 / 72 in. One slide holds what fits at 12 pt; more goes on a second."""
    from relmap.report.pptx import bullet_pages, bullets_height

    assert bullets_height([("ab", "c" * 95)], 5.0, 10) == pytest.approx(29 / 72)
    short = [("", "x" * 100)] * 3
    assert bullet_pages(short, 12.3) == [short]
    many = [("", "x" * 300)] * 40
    pages = bullet_pages(many, 12.3)
    assert len(pages) > 1 and sum(len(p) for p in pages) == 40


@pytest.mark.slow  # the notary office's whole decks, en and fr (one build each, shared)
def test_png_drawn_only_for_the_deck_pictures(drawn: Diagrams) -> None:
    """Every view in SVG; PNG only for the views the deck shows as pictures (its value chain is native shapes,
    its reinvestment plan, people, sensitivity and trajectory slides native charts: no PNG of them is drawn for
    nothing)."""
    from relmap.render import VIEWS
    from relmap.render.worker import PICTURE_VIEWS

    assert set(drawn.svg) == set(VIEWS) and not drawn.missing
    assert set(drawn.png) == set(PICTURE_VIEWS) == set(VIEWS) - {"value-chain", "reinvestment", "people",
                                                                 "sensitivity", "trajectory"}
    assert all(png.startswith(b"\x89PNG") for png in drawn.png.values())


def test_nice_scale_by_hand() -> None:
    """2,376,055 to 7,376,055: width 5,000,000 / 6 ticks = 833,333 → 10⁵ × 10 = 1,000,000 is the first of
    1, 2, 5, 10 × 10⁵ giving ≤ 6 steps; bounds 2,000,000 and 8,000,000. −3.2 to 3.2: 6.4 / 2 = 3.2 ≤ 6 → step 2."""
    from relmap.report.pptx import nice_scale

    assert nice_scale(2376055, 7376055) == (2_000_000, 8_000_000, 1_000_000)
    assert nice_scale(-3.2, 3.2) == (-4, 4, 2)


def _chart_slide(prs: Any, kicker: str) -> list[Any]:
    [slide] = [s for s in prs.slides if _kicker(s) == kicker]
    assert not [sh for sh in slide.shapes if sh.shape_type == 13]  # a native chart, no picture
    return [sh.chart for sh in slide.shapes if sh.has_chart]


@pytest.mark.slow  # the notary office's whole decks, en and fr (one build each, shared)
def test_people_sensitivity_trajectory_are_native_charts(deck: tuple[str, Any], result: AnalysisResult) -> None:
    """The people chart holds the people view's bars and parts; the tornado's bars start at the base net savings
    and their labels name the values tried; the trajectory's payback year is labelled."""
    from relmap.i18n import _, language
    from relmap.render.people import PARTS, part_labels, people_rows
    from relmap.render.sensitivity import MAX_BARS

    lang, prs = deck
    lead = result.scenario_result(None)
    with language(lang):
        kickers = [_("Who is affected").upper(), _("Sensitivity").upper(), _("The path over the years").upper()]
        names = [part_labels()[p] for p in PARTS]
    [people] = _chart_slide(prs, kickers[0])
    rows = people_rows(result, lead.id)
    plot = people.plots[0]
    assert [c.split(" ⚠")[0] for c in plot.categories] == [r.label for r in rows]
    assert [c.endswith("%") for c in plot.categories] == [r.at_risk for r in rows]
    assert [s.name for s in plot.series] == names
    for part, series in zip(PARTS, plot.series, strict=True):
        assert list(series.values) == [round(r.parts[part], 1) for r in rows]
    [tornado] = _chart_slide(prs, kickers[1])
    entries = result.sensitivity[:MAX_BARS]
    assert len(tornado.plots[0].categories) == len(entries)
    assert tornado.value_axis.crosses_at == pytest.approx(lead.net_savings)
    low, high = tornado.plots[0].series
    assert list(low.values) == [round(e.net_savings[0], 2) for e in entries]
    assert list(high.values) == [round(e.net_savings[1], 2) for e in entries]
    labels = "\n".join(t.text for t in tornado._chartSpace.iter("{*}t"))
    assert ":" in labels and len(labels.splitlines()) >= len(entries)
    hours, money = _chart_slide(prs, kickers[2])
    assert len(hours.plots[0].series) == 3 and len(hours.plots[0].categories) == len(lead.trajectory)
    assert list(money.plots[0].series[0].values) == [round(y.cumulative, 2) for y in lead.trajectory]
    payback = "\n".join(t.text for t in money._chartSpace.iter("{*}t"))
    if lead.payback_year is not None:
        assert str(lead.payback_year) in payback
