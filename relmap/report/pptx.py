"""``deck.pptx``: eight 16:9 slides a consultant can present or paste from, built with python-pptx.

Slides: title; key figures; value chain; matrix; relational goods (a native,
editable table); reinvestment plan (a native chart); risks; method and
assumptions. Diagrams are PNG pictures that also carry their SVG the way
PowerPoint stores SVG images (``asvg:svgBlip``), so PowerPoint shows the
vector and every other tool the PNG.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..analysis.result import AnalysisResult
from ..errors import RenderError, UsageError
from ..i18n import _, format_number, language
from .content import ReportContent, Table, build_content, main_scenario
from .zipfix import FIXED_DATE, normalise_zip

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MAX_TABLE_ROWS = 12
MAX_BULLETS = 8
SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
ACCENT = (0x0F, 0x5C, 0x8C)
INK = (0x1D, 0x27, 0x33)
MUTED = (0x5B, 0x68, 0x77)
#: balance lines: kept, reinvested, not placed, recognition, training, community, savings (Okabe–Ito based)
SERIES_COLOURS = ((0x00, 0x5F, 0x45), (0x00, 0x9E, 0x73), (0x9A, 0xD8, 0xC4), (0xCC, 0x79, 0xA7),
                  (0xE6, 0x9F, 0x00), (0x56, 0xB4, 0xE9), (0xB0, 0xB7, 0xBF))


def _rgb(colour: tuple[int, int, int]) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor(*colour)  # type: ignore[no-untyped-call]


def warm_up() -> None:
    """Import the python-pptx modules the deck uses (≈0.2 s), e.g. while the chart worker draws."""
    import pptx.chart.data
    import pptx.dml.color
    import pptx.enum.chart
    import pptx.enum.text
    import pptx.opc.package
    import pptx.util  # noqa: F401


def _layout(prs: Any, *names: str) -> Any:
    """The first layout whose name matches one of ``names`` (case-insensitive), else the emptiest one."""
    layouts = list(prs.slide_layouts)
    for wanted in names:
        for lay in layouts:
            if lay.name.strip().lower() == wanted:
                return lay
    return min(layouts, key=lambda lay: len(lay.placeholders))


def _open(template: Path | None) -> Any:
    from pptx import Presentation
    from pptx.util import Inches

    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
        return prs
    try:
        prs = Presentation(str(template))
    except Exception as exc:
        raise UsageError(_("cannot use {path} as a deck template: {error}").format(path=template, error=exc)) from exc
    sld_ids = prs.slides._sldIdLst
    for sld_id in list(sld_ids):  # a firm's template may hold sample slides: keep only its layouts
        prs.part.drop_rel(sld_id.rId)
        sld_ids.remove(sld_id)
    return prs


def _text(slide: Any, text: str, left: float, top: float, width: float, height: float, *, size: int = 14,
          bold: bool = False, colour: tuple[int, int, int] = INK) -> Any:
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, _rgb(colour)
    return box


def _titled(prs: Any, title: str) -> Any:
    """A slide with ``title`` in the layout's title placeholder (or a text box when it has none)."""
    from pptx.util import Inches, Pt

    slide = prs.slides.add_slide(_layout(prs, "title only", "titre seul"))
    width = prs.slide_width / 914400
    if slide.shapes.title is not None:
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = Inches(0.5), Inches(0.3), Inches(width - 1), Inches(0.9)
        shape.text = title
        for para in shape.text_frame.paragraphs:
            para.alignment = 1  # left
            for run in para.runs:
                run.font.size, run.font.bold, run.font.color.rgb = Pt(28), True, _rgb(ACCENT)
    else:
        _text(slide, title, 0.5, 0.3, width - 1, 0.9, size=28, bold=True, colour=ACCENT)
    return slide


def _attach_svg(picture: Any, svg: str) -> None:
    """Add the SVG to ``picture``'s blip as PowerPoint's ``svgBlip`` extension (the PNG stays the fallback)."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part

    slide_part = picture.part
    package = slide_part.package
    part = Part(package.next_partname("/ppt/media/image%d.svg"), "image/svg+xml", package, svg.encode("utf-8"))
    r_id = slide_part.relate_to(part, RT.IMAGE)
    blip = picture._element.xpath(".//a:blip")[0]
    a_ns = blip.nsmap.get("a", "http://schemas.openxmlformats.org/drawingml/2006/main")
    r_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ext_lst = etree.SubElement(blip, f"{{{a_ns}}}extLst")
    ext = etree.SubElement(ext_lst, f"{{{a_ns}}}ext", uri=SVG_EXT_URI)
    svg_blip = etree.SubElement(ext, f"{{{SVG_NS}}}svgBlip", nsmap={"asvg": SVG_NS})
    svg_blip.set(f"{{{r_ns}}}embed", r_id)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG from its IHDR chunk (no decoding: diagrams can be very large).

    Raises:
        RenderError: the bytes are not a PNG.
    """
    if len(png) < 24 or png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise RenderError(_("the diagram is not a PNG image"))
    width, height = struct.unpack(">II", png[16:24])
    if not width or not height:
        raise RenderError(_("the diagram is not a PNG image"))
    return int(width), int(height)


def _add_picture(slide: Any, png: bytes, left: float, top: float, width: float, height: float) -> Any:
    """Insert our own PNG; python-pptx only reads its header, so Pillow's size guard is lifted meanwhile.

    Why: a large chain drawn at 2× can exceed Pillow's decompression-bomb limit
    although nothing is decoded; the bytes come from our renderer, not a user.
    """
    from PIL import Image
    from pptx.util import Inches

    limit = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top), Inches(width),
                                            Inches(height))
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _diagram_slide(prs: Any, title: str, caption: str, png: bytes | None, svg: str | None, reason: str) -> None:
    """A slide with the diagram fitted under the title, or the reason it is missing."""

    slide = _titled(prs, title)
    width, height = prs.slide_width / 914400 - 1.0, prs.slide_height / 914400 - 2.1
    if png is None:
        _text(slide, _("Diagram not available: {reason}").format(reason=reason), 0.5, 2.5, width, 1.5, size=18,
              colour=(0xA4, 0x44, 0x1B))
    else:
        px_w, px_h = png_size(png)
        scale = min(width / px_w, height / px_h)
        w, h = px_w * scale, px_h * scale
        left, top = 0.5 + (width - w) / 2, 1.3 + (height - h) / 2
        picture = _add_picture(slide, png, left, top, w, h)
        picture.name = title
        if svg:
            _attach_svg(picture, svg)
    _text(slide, caption, 0.5, prs.slide_height / 914400 - 0.75, width, 0.5, size=11, colour=MUTED)


def _table_slide(prs: Any, title: str, table: Table, note: str) -> None:
    """A native table sized to the slide: at most :data:`MAX_TABLE_ROWS` rows, the rest counted in a note."""
    from pptx.util import Inches, Pt

    slide = _titled(prs, title)
    rows = table.rows[:MAX_TABLE_ROWS]
    width = prs.slide_width / 914400 - 1.0
    row_h = 0.36
    shape = slide.shapes.add_table(len(rows) + 1, len(table.columns), Inches(0.5), Inches(1.35), Inches(width),
                                   Inches(row_h * (len(rows) + 1)))
    grid = shape.table
    widths = column_widths(table, width)
    scale = width / sum(widths)
    for j, w in enumerate(widths):
        grid.columns[j].width = Inches(w * scale)
    for j, name in enumerate(table.columns):
        _cell(grid.cell(0, j), name, Pt(11), bold=True, right=table.numeric[j])
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            _cell(grid.cell(i, j), value, Pt(10), right=table.numeric[j])
    if len(table.rows) > len(rows):
        more = format_number(len(table.rows) - len(rows))
        note = _("{n} more rows in report.html and activities.xlsx.").format(n=more) + (" " + note if note else "")
    if note:
        _text(slide, note, 0.5, prs.slide_height / 914400 - 0.75, width, 0.5, size=11, colour=MUTED)


def column_widths(table: Table, total: float) -> list[float]:
    """Column widths in inches that add up to ``total``.

    A numeric column gets what its longest value and its header's longest word
    need at 10–11 pt (about 0.1 in a character, plus margins); text columns
    share the rest in proportion to their longest cell (bounded).
    """
    need: list[float | None] = []
    for j, numeric in enumerate(table.numeric):
        longest = max([len(row[j]) for row in table.rows] or [1])
        word = max(len(w) for w in (table.columns[j].split() or [""]))
        need.append(max(longest * 0.09, word * 0.1) + 0.2 if numeric else None)
    fixed = sum(n for n in need if n is not None)
    text_cols = [j for j, n in enumerate(need) if n is None]
    weights = {j: float(max(min(max([len(row[j]) for row in table.rows] or [1]), 34), 6,
                            1.4 * max(len(w) for w in (table.columns[j].split() or [""]))))
               for j in text_cols}
    room = max(total - fixed, 1.0 * len(text_cols))
    return [n if n is not None else room * weights[j] / sum(weights.values()) for j, n in enumerate(need)]


def _cell(cell: Any, value: str, size: Any, *, bold: bool = False, right: bool = False) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    cell.text = value
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    for para in cell.text_frame.paragraphs:
        para.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
        for run in para.runs:
            run.font.size, run.font.bold = size, bold


def _bullets_slide(prs: Any, title: str, items: list[tuple[str, str]], size: int = 16) -> None:
    """A slide of bullets (bold label, then text), at most :data:`MAX_BULLETS`, the rest counted."""
    from pptx.util import Inches, Pt

    slide = _titled(prs, title)
    width = prs.slide_width / 914400 - 1.0
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.35), Inches(width), Inches(5.6))
    frame = box.text_frame
    frame.word_wrap = True
    shown = items[:MAX_BULLETS]
    if len(items) > len(shown):
        shown.append(("", _("{n} more in report.html.").format(n=format_number(len(items) - len(shown)))))
    for n, (label, text) in enumerate(shown):
        para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        para.space_after = Pt(8)
        if label:
            run = para.add_run()
            run.text = label + " — "
            run.font.bold, run.font.size, run.font.color.rgb = True, Pt(size), _rgb(INK)
        run = para.add_run()
        run.text = text
        run.font.size, run.font.color.rgb = Pt(size), _rgb(INK)


def _fitting_size(items: list[tuple[str, str]]) -> int:
    """Font size so that up to :data:`MAX_BULLETS` bullets fit the slide: 16 pt, down to 12 for long texts."""
    chars = sum(len(a) + len(b) for a, b in items[:MAX_BULLETS])
    return 16 if chars < 550 else 14 if chars < 800 else 12 if chars < 1100 else 11


def _title_slide(prs: Any, content: ReportContent, scenario_name: str) -> None:
    from pptx.util import Inches

    slide = prs.slides.add_slide(_layout(prs, "title slide", "diapositive de titre"))
    for shape in list(slide.placeholders):
        shape._element.getparent().remove(shape._element)
    width = prs.slide_width / 914400 - 1.6
    bar = slide.shapes.add_shape(1, Inches(0.8), Inches(2.3), Inches(0.12), Inches(2.4))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(ACCENT)
    bar.line.fill.background()
    _text(slide, content.title, 1.1, 2.2, width - 0.3, 1.4, size=40, bold=True)
    _text(slide, content.subtitle, 1.1, 3.6, width - 0.3, 0.6, size=20, colour=MUTED)
    _text(slide, _("Scenario: {name}").format(name=scenario_name), 1.1, 4.2, width - 0.3, 0.5, size=16,
          colour=MUTED)


def _figures_slide(prs: Any, content: ReportContent) -> None:
    from pptx.util import Inches

    slide = _titled(prs, _("Key figures"))
    card_w, card_h = 2.95, 2.5
    for n, fig in enumerate(content.key_figures[:8]):
        left = 0.5 + (n % 4) * (card_w + 0.16)
        top = 1.45 + (n // 4) * (card_h + 0.25)
        card = slide.shapes.add_shape(1, Inches(left), Inches(top), Inches(card_w), Inches(card_h))
        card.fill.solid()
        card.fill.fore_color.rgb = _rgb((0xF4, 0xF6, 0xF8))
        card.line.fill.background()
        _text(slide, fig.value, left + 0.15, top + 0.15, card_w - 0.3, 0.7, size=24, bold=True, colour=ACCENT)
        _text(slide, fig.label, left + 0.15, top + 0.85, card_w - 0.3, 0.6, size=13, bold=True)
        _text(slide, fig.source, left + 0.15, top + 1.5, card_w - 0.3, 0.9, size=10, colour=MUTED)


def _chart_slide(prs: Any, result: AnalysisResult, lead: str) -> None:
    """Where freed hours go, per scenario: a native stacked bar chart (hours) and the lead scenario's plan."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    slide = _titled(prs, _("Reinvestment plan"))
    data = CategoryChartData(number_format="#,##0")  # type: ignore[no-untyped-call]
    scens = list(result.scenarios.values())
    data.categories = [s.name for s in scens]
    from ..analysis.economics import BALANCE_LINES
    from .sections import balance_label

    lines = list(BALANCE_LINES)
    series = [(balance_label(line), [next((b.hours for b in s.balance if b.line == line), 0.0) for s in scens])
              for line in lines]
    for name, values in series:
        data.add_series(name, [round(v, 1) for v in values])  # type: ignore[no-untyped-call]
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, Inches(0.5), Inches(1.35), Inches(7.4),
                                   Inches(5.5), data)
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(11)
    chart.category_axis.tick_labels.font.size = Pt(12)
    chart.category_axis.reverse_order = True
    chart.value_axis.tick_labels.font.size = Pt(10)
    chart.value_axis.has_title = True
    chart.value_axis.axis_title.text_frame.text = _("Hours freed per year")
    for plot_series, colour in zip(chart.plots[0].series, SERIES_COLOURS, strict=False):
        plot_series.format.fill.solid()
        plot_series.format.fill.fore_color.rgb = _rgb(colour)
    section = build_content(result, lead).section("reinvestment")
    box = slide.shapes.add_textbox(Inches(8.2), Inches(1.35), Inches(4.6), Inches(5.5))
    box.text_frame.word_wrap = True
    for n, item in enumerate(section.items):
        para = box.text_frame.paragraphs[0] if n == 0 else box.text_frame.add_paragraph()
        para.space_after = Pt(6)
        run = para.add_run()
        run.text = item.label
        run.font.bold, run.font.size = True, Pt(13)
        run = para.add_run()
        run.text = " — " + item.text
        run.font.size = Pt(12)


def _goods_table(content: ReportContent) -> Table:
    """The relational goods table cut to the columns that fit a slide."""
    full = content.section("relational-goods").tables[0]
    keep = [0, 1, 2, 3, 5, 6, 9, 10]  # activity, stage, hours, r, touchpoint, distance, receives, flags
    return Table([full.columns[j] for j in keep], [[row[j] for j in keep] for row in full.rows],
                 [full.numeric[j] for j in keep])


def _timeline_slides(prs: Any, content: ReportContent, pngs: Mapping[str, bytes], svgs: Mapping[str, str],
                     missing: Mapping[str, str]) -> None:
    """Sensitivity (the two assumptions that matter most) and the path over the years (NPV, payback)."""
    for view in ("sensitivity", "trajectory"):
        section = next((s for s in content.sections if s.id == view), None)
        if section is None or not section.figures:
            continue
        caption = section.paragraphs[0] if section.paragraphs else section.figures[0].caption
        reason = missing.get(view, _("the diagram was not rendered"))
        _diagram_slide(prs, section.figures[0].title, caption, pngs.get(view), svgs.get(view), reason)


def build_deck(result: AnalysisResult, *, svgs: Mapping[str, str] | None = None,
               pngs: Mapping[str, bytes] | None = None, lang: str = "en", scenario: str | None = None,
               template: Path | None = None, missing: Mapping[str, str] | None = None) -> bytes:
    """``deck.pptx`` as bytes (byte-identical for the same inputs).

    Args:
        result: the analysis.
        svgs, pngs: the drawn views by name (see :func:`relmap.report.draw_diagrams`); a view without
            a PNG gets a slide saying why it is missing.
        lang: ``en`` or ``fr``.
        scenario: the scenario the deck leads with (default: the first).
        template: a ``.pptx`` whose masters and layouts to use (its own slides are dropped).
        missing: why a view is missing (view → reason).
    """
    svgs, pngs, missing = svgs or {}, pngs or {}, missing or {}
    with language(lang):
        content = build_content(result, scenario)
        lead = main_scenario(result, scenario)
        prs = _open(template)
        _title_slide(prs, content, lead.name)
        _figures_slide(prs, content)
        for view, section_id in (("value-chain", "value-chain"), ("matrix", "matrix")):
            fig = content.section(section_id).figures[0]
            reason = missing.get(view, _("the diagram was not rendered"))
            _diagram_slide(prs, fig.title, fig.caption, pngs.get(view), svgs.get(view), reason)
        goods = content.section("relational-goods")
        if goods.tables:
            _table_slide(prs, goods.title, _goods_table(content), "")
        else:
            _bullets_slide(prs, goods.title, [("", p) for p in goods.paragraphs])
        _chart_slide(prs, result, lead.id)
        _timeline_slides(prs, content, pngs, svgs, missing)
        risks = content.section("risks")
        risk_items = [(i.label, i.text) for i in risks.items] or [("", p) for p in risks.paragraphs]
        _bullets_slide(prs, risks.title, risk_items, size=_fitting_size(risk_items))
        method = content.section("method")
        method_items = [(i.label, i.text) for i in method.items]
        _bullets_slide(prs, method.title, method_items, size=_fitting_size(method_items))
        props = prs.core_properties
        props.title = content.title
        props.author = props.last_modified_by = "relmap"
        props.created = props.modified = props.last_printed = FIXED_DATE
        props.revision = 1
        buf = io.BytesIO()
        prs.save(buf)
    return normalise_zip(buf.getvalue())
