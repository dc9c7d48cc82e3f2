"""Issue 16, checked on the five examples and on a company file written for it (a 24-activity logistics firm,
tests/cases/valid/logistics_firm.yaml, with one large stage and one vendor in every scenario):

* no text on any slide is smaller than 7 pt at 16:9, pictures included: every text of every picture is read
  from the SVG the deck carries (font size × the picture's scale on the slide: its width on the slide over
  the SVG's width), here, independently of ``relmap.report.fontsize``;
* a stage too large for one slide is split, every one of its activities drawn on one of its part slides,
  and each part slide says which part it is;
* each risk once in report.md, report.html and the deck, with the scenarios it appears in;
* French typography in the French report.md and deck: a narrow no-break space (U+202F) before : ; ! ? %.
"""

from __future__ import annotations

import html as html_lib
import io
import math
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from deck_reading import chart_text_pt
from pptx import Presentation

import relmap
from relmap.analysis.result import AnalysisResult
from relmap.report.drawing import draw_diagrams
from relmap.report.html import render_html
from relmap.report.markdown import render_markdown
from relmap.report.pptx import build_deck

ROOT = Path(__file__).resolve().parent.parent
LOGISTICS = ROOT / "tests/cases/valid/logistics_firm.yaml"
NOTARY = ROOT / "tests/cases/valid/notary_office_fr.yaml"
FILES = [*sorted((ROOT / "examples").glob("*/company.yaml")), LOGISTICS]
SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
EMU_PER_PT = 12700
needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="Graphviz is not installed")


def _id(path: Path) -> str:
    return path.parent.name if path.name == "company.yaml" else path.stem


@pytest.fixture(scope="module", params=FILES, ids=_id)
def result(request: pytest.FixtureRequest) -> AnalysisResult:
    return relmap.analyze(relmap.load(request.param), draws=20)


def _deck(result: AnalysisResult, lang: str) -> Any:
    drawn = draw_diagrams(result, lang=lang)
    return Presentation(io.BytesIO(build_deck(result, svgs=drawn.svg, pngs=drawn.png, lang=lang)))


# --------------------------------------------------------------------------- reading the pictures


def _scale(transform: str | None) -> float:
    """Length factor of an SVG transform: scale(sx sy) → √|sx·sy|; matrix(a b c d e f) → √|ad − bc|."""
    factor = 1.0
    for kind, args in re.findall(r"(scale|matrix)\(([^)]*)\)", transform or ""):
        v = [float(x) for x in re.findall(r"[-+]?[0-9.]+(?:e[-+]?\d+)?", args)]
        if kind == "scale":
            factor *= math.sqrt(abs(v[0] * (v[1] if len(v) > 1 else v[0])))
        else:
            factor *= math.sqrt(abs(v[0] * v[3] - v[1] * v[2]))
    return factor


def _own_size(elem: ET.Element) -> float | None:
    if elem.get("font-size"):
        return float(re.match(r"[0-9.]+", elem.get("font-size", ""))[0])  # type: ignore[index]
    match = re.search(r"font-size:\s*([0-9.]+)|font:[^;]*?([0-9.]+)px", elem.get("style") or "")
    return float(match.group(1) or match.group(2)) if match else None


def svg_text_sizes(svg: bytes) -> tuple[float, list[tuple[float, str]]]:
    """The SVG's width in user units and (font size in user units, text) of every text; a text with no size
    anywhere above it fails the test (its size could not be checked)."""
    root = ET.fromstring(svg)
    view = root.get("viewBox")
    width = float(view.replace(",", " ").split()[2]) if view else float(re.match(r"[0-9.]+", root.get("width", ""))[0])  # type: ignore[index]
    out: list[tuple[float, str]] = []

    def walk(elem: ET.Element, scale: float, size: float | None) -> None:
        scale *= _scale(elem.get("transform"))
        own = _own_size(elem)
        size = own if own is not None else size
        if elem.tag.rsplit("}", 1)[-1] == "text":
            text = "".join(elem.itertext()).strip()
            if text:
                assert size is not None, f"text {text!r} has no font size"
                out.append((size * scale, text))
            return
        for child in elem:
            walk(child, scale, size)

    walk(root, 1.0, None)
    return width, out


def picture_texts(prs: Any) -> list[tuple[int, str, float, str]]:
    """(slide number, picture name, size on the slide in pt, text) of every text of every picture."""
    out = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.shape_type != 13:  # MSO_SHAPE_TYPE.PICTURE
                continue
            blips = [e for e in shape._element.iter() if e.tag == SVG_BLIP]
            assert blips, f"slide {number}: picture {shape.name} carries no SVG to check"
            svg = slide.part.related_part(blips[0].get(R_EMBED)).blob
            width, texts = svg_text_sizes(svg)
            on_slide = shape.width / EMU_PER_PT / width  # points on the slide per SVG user unit
            out += [(number, shape.name, size * on_slide, text) for size, text in texts]
    return out


def _shapes(shapes: Any) -> list[Any]:
    """Every shape, those inside groups (the native value chain) included."""
    out = []
    for shape in shapes:
        out.append(shape)
        if shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
            out += _shapes(shape.shapes)
    return out


def run_sizes(prs: Any) -> list[float]:
    """Font sizes of every text run, table cell and chart text the deck sets, in groups too; a run of a group
    (the native value chain) without its own size fails the test (it would be at the viewer's default)."""
    sizes = []
    for slide in prs.slides:
        for shape in _shapes(slide.shapes):
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            runs = [run for frame in frames for p in frame.paragraphs for run in p.runs]
            if shape._element.getparent().tag.endswith("}grpSp"):
                assert all(run.font.size is not None for run in runs), shape.name
            sizes += [run.font.size.pt for run in runs if run.font.size is not None]
            if shape.has_chart:
                sizes += chart_text_pt(shape.chart)
    return sizes


def test_svg_text_sizes_by_hand() -> None:
    """A 200-unit-wide SVG, a 10-unit text inside a scale(0.5) group: 5 units; on a 100 pt picture
    (0.5 pt a unit) that is 2.5 pt; the style-set 12px text at 6 pt."""
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="400pt" viewBox="0 0 200 100">'
           b'<g transform="translate(3 4) scale(0.5)"><text font-size="10">a</text></g>'
           b'<text style="font: 12px \'Arial\'">b</text></svg>')
    width, texts = svg_text_sizes(svg)
    assert width == 200 and texts == [(5.0, "a"), (12.0, "b")]
    from relmap.report.fontsize import smallest_on_slide, transform_scale

    assert smallest_on_slide(svg, 100.0) == pytest.approx(2.5)
    assert transform_scale("matrix(2 0 0 3 5 5) rotate(30)") == pytest.approx(math.sqrt(6))


@pytest.mark.slow
@needs_graphviz
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_text_under_7_pt_on_any_slide_pictures_included(result: AnalysisResult, lang: str) -> None:
    prs = _deck(result, lang)
    texts = picture_texts(prs)
    assert len({(n, name) for n, name, _s, _t in texts}) >= 1  # the matrix
    groups = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 6]
    assert groups and all(sum(1 for x in g.shapes if x.has_text_frame and x.text_frame.text) >= 2 for g in groups)
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    # native charts: the reinvestment plan, the people (when roles have hours), the tornado, the trajectory (2)
    expected = 1 + any(r.hours > 0 for r in result.roles or result.activities) + bool(result.sensitivity) + 2 * bool(
        result.scenario_result(None).trajectory)
    assert len(charts) == expected
    small = [(n, name, round(size, 2), text) for n, name, size, text in texts if size < 7 - 1e-6]
    assert not small, small[:10]
    assert min(run_sizes(prs)) >= 7
    missing = [s for s in prs.slides for sh in s.shapes if sh.has_text_frame
               and sh.text_frame.text.startswith(("Diagram not available", "Diagramme non disponible"))]
    assert not missing  # every picture of these files is drawn, none replaced by the 7 pt guard


@needs_graphviz
@pytest.mark.slow  # whole decks
def test_large_stage_is_split_and_every_activity_drawn() -> None:
    """The logistics warehouse (10 activities, long names) is under 7 pt on one slide: its slides are parts,
    each saying so; together they draw every activity of the stage, each once, each at 7 pt or more."""
    from relmap.render.dot import build_drawing, slide_text_pt, stage_parts
    from relmap.render.theme import LIGHT

    logistics = relmap.analyze(relmap.load(LOGISTICS), draws=20)
    whole = build_drawing(logistics, stage="warehouse", header=False)
    assert slide_text_pt(whole, LIGHT) < 7
    parts = stage_parts(logistics, "warehouse")
    assert parts is not None and len(parts) > 1
    ids = [a.id for a in logistics.activities if a.stage == "warehouse"]
    assert sorted(i for p in parts for i in p) == sorted(ids)
    for part in parts:
        assert slide_text_pt(build_drawing(logistics, stage="warehouse", header=False, part=part), LIGHT) >= 7
    prs = _deck(logistics, "en")
    titles = [(s, s.shapes.title.text if s.shapes.title is not None else "") for s in prs.slides]
    stage_slides = [s for s, title in titles if "Warehousing & order preparation" in title and "(part " in title]
    assert len(stage_slides) == len(parts)
    names = {a.name for a in logistics.activities if a.stage == "warehouse"}
    for k, slide in enumerate(stage_slides, start=1):
        said = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        assert any(t.startswith(f"Part {k} of {len(parts)}: {len(parts[k - 1])} of the stage's {len(ids)}")
                   for t in said), said
        [part_note] = [p for p in slide.notes_slide.notes_text_frame.text.split("\n") if p.startswith("Part ")]
        drawn = {n for n in names if n in part_note}
        assert drawn == {a.name for a in logistics.activities if a.id in parts[k - 1]}


def test_split_evenly_by_hand() -> None:
    """9 ids in 2 parts: ⌊9/2⌋ = 4, 9 mod 2 = 1 → 5 and 4; 7 in 3 → 3, 2, 2; never more parts than ids."""
    from relmap.render.dot import split_evenly

    ids = [str(i) for i in range(9)]
    assert [len(p) for p in split_evenly(ids, 2)] == [5, 4]
    assert [len(p) for p in split_evenly(ids[:7], 3)] == [3, 2, 2]
    assert split_evenly(["a", "b"], 5) == [["a"], ["b"]]
    assert [i for part in split_evenly(ids, 4) for i in part] == ids


def test_rule_reads_the_smallest_text_drawn() -> None:
    """Flow captions count: a drawing whose smallest text is a caption is judged at the caption's size."""
    from relmap.render.dot import build_drawing, smallest_text
    from relmap.render.theme import LIGHT

    logistics = relmap.analyze(relmap.load(LOGISTICS), draws=20)
    drawing = build_drawing(logistics, stage="warehouse", header=False)
    assert any("POINT-SIZE" in str(attrs.get("label", "")) for _a, _b, attrs in drawing.edges)
    assert smallest_text(drawing, LIGHT) == LIGHT.small_size
    drawing.edges[0][2]["label"] = '<<FONT POINT-SIZE="9">x</FONT>>'
    assert smallest_text(drawing, LIGHT) == 9


# --------------------------------------------------------------------------- risks said once


def _risk_items_md(md: str, heading: str) -> list[str]:
    section = md.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in section.splitlines() if line.startswith("- ")]


def _risk_items_html(page: str) -> list[str]:
    section = page.split('<section id="risks"', 1)[1].split("</section>", 1)[0]
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li>(.*?)</li>", section, re.S)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_risk_once_in_markdown_and_html(result: AnalysisResult, lang: str) -> None:
    heading = "Risks" if lang == "en" else "Risques"
    word = "Scenario" if lang == "en" else "Scénario"
    for items in (_risk_items_md(render_markdown(result, lang), heading),
                  _risk_items_html(render_html(result, {}, lang))):
        assert len(items) == len(set(items))
        risk_items = [i for i in items if i.startswith(("**" + word, word))]
        assert len(risk_items) == len({(r.kind, r.subject) for r in result.risks})
        bodies = [i.split(" — ", 1)[1] for i in risk_items]
        assert len(bodies) == len(set(bodies))
        for kind, subject in {(r.kind, r.subject) for r in result.risks}:
            scen = [result.scenarios[r.scenario].name for r in result.risks if (r.kind, r.subject) == (kind, subject)]
            subject_name = next((s.name for s in result.stages if s.id == subject), subject)
            [line] = [i for i in risk_items if subject_name in i.split(" — ", 1)[1]
                      and (kind == "vendor_concentration") == ("Herfindahl" in i)]
            assert ", ".join(scen) in line.split(" — ", 1)[0]


def test_risk_shared_by_three_scenarios_is_one_line() -> None:
    """Every logistics scenario relies on RouteMind only: one line, naming the three scenarios, 100 % once."""
    logistics = relmap.analyze(relmap.load(LOGISTICS), draws=20)
    items = _risk_items_md(render_markdown(logistics, "en"), "Risks")
    vendor = [i for i in items if "RouteMind" in i]
    assert vendor == ["**Scenarios Cautious, Central, Bold** — 100% of the hours freed with a named AI provider "
                      "depend on RouteMind (Herfindahl index 1.00, above 0.5; 41% of all freed hours name a provider): "
                      "a single vendor's prices or outages would hit the whole plan."]


# --------------------------------------------------------------------------- French typography

SIGNS = ":;!?%"
#: before one of the signs: an ordinary or no-break space (should be U+202F), or a letter, digit or closing
#: mark with no space at all
WRONG = re.compile(r"(?:[ \u00a0]|(?<=[\w)\]»]))[:;!?%]")


def _references() -> list[str]:
    """The rubric's bibliography (English titles such as "Civil Economy: Efficiency…"): not French text."""
    data = yaml.safe_load((ROOT / "relmap/seeds/rubric.yaml").read_text(encoding="utf-8"))
    refs = data.get("references", {})
    return [str(v.get("citation", v)) if isinstance(v, dict) else str(v) for v in refs.values()]


def typography_faults(text: str) -> list[str]:
    """Places where French typography wants a narrow no-break space before : ; ! ? % and has none."""
    for ref in _references():
        text = text.replace(ref, " ")
    text = re.sub(r"https?://\S+|&[a-z]+;|&#\d+;|\{[^}]*\}|\|[:\- |]*\|", " ", text)
    return [text[max(0, m.start() - 30):m.end() + 10] for m in WRONG.finditer(text)]


def test_typography_check_by_hand() -> None:
    assert typography_faults("12\u202f% des heures\u202f: oui\u202f; non\u202f?") == []
    assert len(typography_faults("12 % des heures : oui; non\u00a0?")) == 4  # " %", " :", "i;", "\\u00a0?"


@pytest.mark.slow  # whole decks
@pytest.mark.parametrize("path", [LOGISTICS, NOTARY], ids=_id)
def test_french_report_and_deck_use_narrow_no_break_spaces(path: Path) -> None:
    fr = relmap.analyze(relmap.load(path), draws=20)
    md = render_markdown(fr, "fr")
    assert "\u202f%" in md and "\u202f:" in md
    assert typography_faults(md) == []
    if shutil.which("neato") is None:
        return
    prs = _deck(fr, "fr")
    texts = []
    for slide in prs.slides:
        for shape in _shapes(slide.shapes):  # the native value chain's texts too
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append(slide.notes_slide.notes_text_frame.text)
    deck_text = "\n".join(texts)
    assert "\u202f:" in deck_text
    assert typography_faults(deck_text) == []


# --------------------------------------------------------------------------- the deck of the logistics firm


@needs_graphviz
@pytest.mark.slow  # whole decks
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_logistics_deck_titles_notes_and_slides(lang: str) -> None:
    """Every slide after the title has a title with a figure (method and assumptions aside) and speaker notes;
    the scenarios, candidates and people slides exist; the risks slide names RouteMind once."""
    logistics = relmap.analyze(relmap.load(LOGISTICS), draws=20)
    prs = _deck(logistics, lang)
    kickers = {"en": ("METHOD", "SCENARIOS SIDE BY SIDE", "AUTOMATION CANDIDATES", "WHO IS AFFECTED", "RISKS"),
               "fr": ("MÉTHODE", "SCÉNARIOS CÔTE À CÔTE", "CANDIDATS À L'AUTOMATISATION", "QUI EST CONCERNÉ",
                      "RISQUES")}[lang]
    seen = []
    for slide in list(prs.slides)[1:]:
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        kicker = next(t for t in texts if t.isupper())
        seen.append(kicker)
        assert slide.notes_slide.notes_text_frame.text.strip(), kicker
        if not kicker.startswith(kickers[0]):
            title = slide.shapes.title.text if slide.shapes.title is not None else ""
            assert re.search(r"\d", title), (kicker, title)
    for wanted in kickers[1:]:
        assert any(k.startswith(wanted) for k in seen), (wanted, seen)
    risk_text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame
                          and any(sh2.has_text_frame and sh2.text_frame.text.startswith(kickers[4])
                                  for sh2 in s.shapes))
    assert risk_text.count("RouteMind") == 1
