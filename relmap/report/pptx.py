"""``deck.pptx``: 16:9 slides a partner can send, built with python-pptx.

Slides (:data:`SLIDES`, one function each): title; key figures; value chain
(and one slide per stage when the overview is by stage); matrix; relational
goods, automation candidates and scenarios compared (native, editable
tables); reinvestment plan of the lead scenario (a native chart and its
bullets); who is affected, sensitivity and the path over the years (native
charts); risks, each said once; method and assumptions. Every slide after
the title has a message title computed from the results with its section as
a small kicker above, and speaker notes (:mod:`relmap.report.deck_text`).

The matrix is a PNG picture that also carries its SVG the way PowerPoint
stores SVG images (``asvg:svgBlip``), so PowerPoint shows the vector and every
other tool the PNG. The value chain is native shapes and lines
(:mod:`relmap.report.deck_chain`) and the other views are native charts, not
pictures: the consultant can edit them, they are crisp at any size and in the
deck's fonts, every text has its size set (:data:`CHART_PT`, 7 pt or more), and
no PNG of them is drawn (:data:`relmap.render.worker.PICTURE_VIEWS`).
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ..analysis.result import AnalysisResult, ScenarioResult, StageInfo
from ..errors import RenderError, UsageError
from ..i18n import _, format_number, language, ngettext
from . import deck_text as dt
from .blocks import ReportContent, Table
from .content import build_content
from .deck_text import SlideText
from .zipfix import FIXED_DATE, write_zip

if TYPE_CHECKING:
    from ..analysis import parallel
    from ..render.dot import StagePart
    from .deck_chain import Frame, Route

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MAX_TABLE_ROWS = 12
#: Font sizes in points of the kicker above a title and of captions (the deck never goes under 7 pt).
KICKER_PT = 12
CAPTION_PT = 10
SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
ACCENT = (0x0F, 0x5C, 0x8C)
INK = (0x1D, 0x27, 0x33)
MUTED = (0x5B, 0x68, 0x77)
#: balance lines: kept, reinvested, unplaced, recognition, training, community, savings (Okabe–Ito based)
SERIES_COLOURS = ((0x00, 0x5F, 0x45), (0x00, 0x9E, 0x73), (0x9A, 0xD8, 0xC4), (0xCC, 0x79, 0xA7),
                  (0xE6, 0x9F, 0x00), (0x56, 0xB4, 0xE9), (0xB0, 0xB7, 0xBF))


def _rgb(colour: tuple[int, int, int]) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor(*colour)  # type: ignore[no-untyped-call]


def warm_up() -> None:
    """Import the python-pptx modules the deck uses ahead of time, e.g. while the chart worker draws."""
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


#: the most characters of a document property (title, subject…) python-pptx and Office accept
CORE_PROPERTY_LIMIT = 255


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending with "…" when it was cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


#: the largest deck template read (a firm's template with its pictures: a few megabytes)
MAX_TEMPLATE_BYTES = 64 * 1024 * 1024


def check_template(template: Path) -> None:
    """Refuse a deck template that cannot be used (too large, a zip bomb, not a presentation) before any drawing.

    The checks of :func:`build_deck`, done first so a bad ``--template`` fails at
    once, not after every diagram is drawn; the deck reads the file again.
    """
    _open(template)


def _open(template: Path | None) -> Any:
    from pptx import Presentation
    from pptx.util import Inches

    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
        return prs
    import io

    from ..fsutil import read_regular
    from ..input.sheetguard import MAX_PART_BYTES, check_workbook

    data = read_regular(template, MAX_TEMPLATE_BYTES)
    check_workbook(data, str(template), small_part=MAX_PART_BYTES)  # a zip bomb is refused before python-pptx
    try:
        prs = Presentation(io.BytesIO(data))
    except Exception as exc:
        raise UsageError(_("cannot use {path} as a deck template: {error}").format(path=template, error=exc)) from exc
    sld_ids = prs.slides._sldIdLst
    for sld_id in list(sld_ids):  # a firm's template may hold sample slides: keep only its layouts
        prs.part.drop_rel(sld_id.rId)
        sld_ids.remove(sld_id)
    return prs


def _content_width(prs: Any) -> float:
    """The width in inches between the slide's 0.5 in side margins, where titles, pictures and charts go."""
    return float(prs.slide_width / 914400 - 1.0)


def _text(slide: Any, text: str, left: float, top: float, width: float, height: float, *, size: int = 14,
          bold: bool = False, colour: tuple[int, int, int] = INK) -> Any:
    """A text box of one run, word-wrapped: the shape python-pptx makes with ``add_textbox``, ``word_wrap = True``
    and one run of that size, weight and colour, written as its XML at once (the same element, a tenth of the
    time: python-pptx walks its proxies for every property)."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls
    from pptx.util import Inches, Pt

    shapes = slide.shapes
    sid = shapes._next_shape_id
    x, y, cx, cy = (int(Inches(v)) for v in (left, top, width, height))
    body = _run_text(text)  # as python-pptx's run.text
    sp = parse_xml(
        f'<p:sp {nsdecls("a", "p")}><p:nvSpPr><p:cNvPr id="{sid}" name="TextBox {sid - 1}"/><p:cNvSpPr txBox="1"/>'
        f'<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody><a:bodyPr wrap="square">'
        f'<a:spAutoFit/></a:bodyPr><a:lstStyle/><a:p><a:r><a:rPr sz="{Pt(size).centipoints}" b="{int(bold)}">'
        f'<a:solidFill><a:srgbClr val="{_hex_colour(colour)}"/></a:solidFill></a:rPr><a:t>{body}</a:t></a:r>'
        "</a:p></p:txBody></p:sp>")
    if not body:  # python-pptx writes an empty run as <a:t></a:t>
        sp.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}t").text = ""
    shapes._spTree.insert_element_before(sp, "p:extLst")
    return shapes._shape_factory(sp)


#: the control characters python-pptx writes as ``_xHHHH_`` in a run's text (all but tab and line feed)
_CONTROL = re.compile(r"([\x00-\x08\x0B-\x1F])")


def _run_text(text: str) -> str:
    """``text`` as python-pptx stores a run's text (control characters as ``_xHHHH_``), escaped for XML."""
    return escape(_CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text))


def _titled(prs: Any, text: SlideText) -> Any:
    """A slide with the kicker (section name, small) above the message title, and the speaker notes.

    The title goes in the layout's title placeholder (a firm template's title
    style applies), else in a text box.
    """
    from pptx.util import Inches, Pt

    slide = _add_slide(prs, "title only", "titre seul")
    width = prs.slide_width / 914400
    _text(slide, text.kicker.upper(), 0.5, 0.22, width - 1, 0.3, size=KICKER_PT, bold=True, colour=MUTED)
    shape = slide.shapes.title
    if shape is not None and _title_xml(shape, text.title, width):
        pass
    elif shape is not None:
        shape.left, shape.top, shape.width, shape.height = Inches(0.5), Inches(0.5), Inches(width - 1), Inches(0.85)
        shape.text = text.title
        shape.text_frame.word_wrap = True
        for para in shape.text_frame.paragraphs:
            para.alignment = 1  # left
            for run in para.runs:
                run.font.size, run.font.bold, run.font.color.rgb = Pt(_title_size(text.title)), True, _rgb(ACCENT)
    else:
        _text(slide, text.title, 0.5, 0.5, width - 1, 0.85, size=_title_size(text.title), bold=True, colour=ACCENT)
    _notes(slide, text.notes_text())
    return slide


def _add_slide(prs: Any, *names: str) -> Any:
    """``prs.slides.add_slide`` of the layout :func:`_layout` finds for ``names``: the first slide of a layout made
    by python-pptx, the others with a copy of its shape tree as it was made.

    Why: python-pptx clones the layout's placeholders into each new slide through its proxies; every slide of a
    layout starts as the same shape tree (the same placeholders, the same ids), so the first one's is copied: the
    same bytes.
    """
    from copy import deepcopy

    package = prs.part.package
    made = _MADE.get(package)
    if made is None:
        made = _MADE[package] = {}
    if names not in made:
        layout = _layout(prs, *names)
        slide = prs.slides.add_slide(layout)
        made[names] = (layout, deepcopy(slide._element.cSld.spTree))
        return slide
    layout, tree = made[names]
    r_id, slide = prs.part.add_slide(layout)
    blank = slide._element.cSld.spTree  # not through slide.shapes, which would keep the element replaced here
    blank.getparent().replace(blank, deepcopy(tree))
    prs.slides._sldIdLst.add_sldId(r_id)
    return slide


#: each presentation's (by its package) slide layouts found by name, with the shape tree of a new slide of each
_MADE: weakref.WeakKeyDictionary[Any, dict[tuple[str, ...], tuple[Any, Any]]] = weakref.WeakKeyDictionary()


def _title_xml(shape: Any, title: str, width: float) -> bool:
    """The title placeholder as :func:`_titled` sets it through python-pptx (at 0.5 in, ``width`` − 1 in wide,
    0.85 in high; the title left-aligned, bold, in the accent colour), written as its XML at once. False (nothing
    done) when the placeholder is not a fresh clone (no position, an empty body) or the title is empty or has a
    line break: python-pptx's way then."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls
    from pptx.util import Inches, Pt

    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    sp = shape._element
    sp_pr, body = sp.find("{http://schemas.openxmlformats.org/presentationml/2006/main}spPr"), sp.txBody
    if (not title or "\n" in title or "\v" in title or sp_pr is None or len(sp_pr) or body is None
            or [e.tag for e in body] != [f"{a}bodyPr", f"{a}lstStyle", f"{a}p"]
            or len(body[0]) or body[0].attrib or len(body[1]) or len(body[2])):
        return False
    x, y, cx, cy = (int(Inches(v)) for v in (0.5, 0.5, width - 1, 0.85))
    text = _run_text(title)  # as python-pptx's run.text
    made = parse_xml(
        f'<a:r {nsdecls("a")}><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:p><a:pPr algn="l"/><a:r><a:rPr sz="{Pt(_title_size(title)).centipoints}" b="1"><a:solidFill>'
        f'<a:srgbClr val="{_hex_colour(ACCENT)}"/></a:solidFill></a:rPr><a:t>{text}</a:t></a:r></a:p></a:r>')
    xfrm, para = list(made)  # the wrapper only carries the namespace
    sp_pr.append(xfrm)
    body[0].set("wrap", "square")
    body.replace(body[2], para)
    return True


def _hex_colour(colour: tuple[int, int, int]) -> str:
    """``RRGGBB`` in capitals, as python-pptx writes a colour."""
    return "".join(f"{c:02X}" for c in colour)


def _title_size(title: str) -> int:
    """24 pt for a title up to 70 characters (one line), 20 pt up to 140 (two lines), else 18 pt."""
    return 24 if len(title) <= 70 else 20 if len(title) <= 140 else 18


def _notes(slide: Any, text: str) -> None:
    """The speaker notes of ``slide`` (see :class:`_NotesMaker`)."""
    package = slide.part.package
    maker = _NOTES.get(package)
    if maker is None:
        maker = _NOTES[package] = _NotesMaker()
    maker.notes(slide, text)


class _NotesMaker:
    """Speaker notes of one presentation: the first notes slide made by python-pptx, the others copies of it.

    Why: python-pptx makes each notes slide by cloning the notes master's placeholders through its proxies and
    names it after a walk over every part of the package, a quarter of the deck's time for 40 slides; every
    notes slide starts as the same XML, so the first one's (empty) is copied, its part named by counting as
    python-pptx does (:meth:`pptx.opc.package.OpcPackage.next_partname`) and related the same way: the same
    bytes.
    """

    PREFIX = "/ppt/notesSlides/notesSlide"

    def __init__(self) -> None:
        self.empty: Any = None
        self.names: set[str] = set()
        #: where the notes placeholder's shape is in the notes slide's shape tree (None: it has no text body)
        self.body_at: int | None = None

    def notes(self, slide: Any, text: str) -> None:
        from copy import deepcopy

        part = slide.part
        if self.empty is not None and not part.has_notes_slide:
            from pptx.opc.constants import CONTENT_TYPE as CT
            from pptx.opc.constants import RELATIONSHIP_TYPE as RT
            from pptx.parts.slide import NotesSlidePart

            package = part.package
            element = deepcopy(self.empty)
            notes_part = NotesSlidePart(self._next_name(), CT.PML_NOTES_SLIDE, package, element)
            notes_part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
            notes_part.relate_to(part, RT.SLIDE)
            part.relate_to(notes_part, RT.NOTES_SLIDE)  # as python-pptx relates them, in this order
            if self.body_at is not None and "\v" not in text and not _CONTROL.search(text):
                self._write(element.cSld.spTree[self.body_at].txBody, text)
                return
        elif self.empty is None:
            notes_part = part.notes_slide.part
            self.empty = deepcopy(notes_part._element)
            self.names = {str(p.partname) for p in part.package.iter_parts()
                          if str(p.partname).startswith(self.PREFIX)}
            self.body_at = self._body_at(part.notes_slide)
        part.notes_slide.notes_text_frame.text = text

    @staticmethod
    def _body_at(notes_slide: Any) -> int | None:
        """The position of the notes placeholder (python-pptx's ``notes_placeholder``) in the shape tree, when it has
        a text body (:meth:`_write`)."""
        placeholder = notes_slide.notes_placeholder
        if placeholder is None or placeholder._element.txBody is None:
            return None
        return list(notes_slide._element.cSld.spTree).index(placeholder._element)

    @staticmethod
    def _write(body: Any, text: str) -> None:
        """The notes text as python-pptx's ``notes_text_frame.text = text`` writes it into the text ``body``: its
        paragraphs removed, then one a line, with one run when the line is not empty, as their XML at once;
        ``text`` has no vertical tab or control character."""
        from pptx.oxml import parse_xml
        from pptx.oxml.ns import nsdecls

        for para in body.p_lst:
            body.remove(para)
        paras = "".join(f"<a:p><a:r><a:t>{_run_text(line)}</a:t></a:r></a:p>" if line else "<a:p/>"
                        for line in text.split("\n"))
        body.extend(parse_xml(f'<a:txBody {nsdecls("a")}>{paras}</a:txBody>'))

    def _next_name(self) -> Any:
        """The name python-pptx gives the next notes slide: of ``notesSlide{n}.xml`` from n = count + 1 down to
        1, the first not taken."""
        from pptx.opc.packuri import PackURI

        for n in range(len(self.names) + 1, 0, -1):
            name = f"{self.PREFIX}{n}.xml"
            if name not in self.names:
                self.names.add(name)
                return PackURI(name)
        raise AssertionError("no free notes slide name")  # pragma: no cover - n = count + 1 is free or a gap is


#: the notes maker of each presentation being built (by its package)
_NOTES: weakref.WeakKeyDictionary[Any, _NotesMaker] = weakref.WeakKeyDictionary()


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


#: Where a diagram goes (inches): under the title, above the caption; the value chain's readability rule
#: (:data:`relmap.render.dot.SLIDE_AREA_IN`) assumes this area.
PICTURE_TOP, PICTURE_H = 1.35, 5.6  # from under the title (0.5 + 0.85 in) to the legend (7.5 − 0.55 in)
#: No text on a slide is smaller than this, in points, pictures included (the value chain's rule).
MIN_PT = 7.0


def _fitted(prs: Any, png: bytes) -> tuple[float, float]:
    """Width and height in inches of ``png`` fitted to the picture area (aspect kept)."""
    width = _content_width(prs)
    px_w, px_h = png_size(png)
    scale = min(width / px_w, PICTURE_H / px_h)
    return px_w * scale, px_h * scale


def picture_text_pt(prs: Any, png: bytes, svg: str | None) -> float:
    """The smallest text of the picture once fitted to the slide, in points (``inf`` without an SVG to read)."""
    from .fontsize import smallest_on_slide

    if not svg:
        return float("inf")
    return smallest_on_slide(svg, _fitted(prs, png)[0] * 72)


def _picture(slide: Any, prs: Any, png: bytes, svg: str | None, name: str, *, where: str = "") -> bool:
    """The diagram fitted and centred in the picture area (PNG, with its SVG attached for PowerPoint).

    A picture whose text would fall under :data:`MIN_PT` once fitted is not placed: the slide says so and
    where the full-size diagram is (``where``, e.g. ``value-chain.svg``). Returns whether it was placed.
    """
    smallest = picture_text_pt(prs, png, svg)
    if smallest < MIN_PT - 1e-9:
        reason = _("at slide size its smallest text would be {size} pt, under the {min} pt this deck keeps to").format(
            size=format_number(smallest, 1), min=format_number(MIN_PT))
        if where:
            reason = _("{reason}; see {file}").format(reason=reason, file=where)
        _missing(slide, prs, reason)
        return False
    width = _content_width(prs)
    w, h = _fitted(prs, png)
    picture = _add_picture(slide, png, 0.5 + (width - w) / 2, PICTURE_TOP + (PICTURE_H - h) / 2, w, h)
    picture.name = name
    if svg:
        _attach_svg(picture, svg)
    return True


def _missing(slide: Any, prs: Any, reason: str) -> None:
    width = _content_width(prs)
    _text(slide, _("Diagram not available: {reason}").format(reason=reason), 0.5, 2.5, width, 1.5, size=18,
          colour=(0xA4, 0x44, 0x1B))


def _caption(slide: Any, prs: Any, caption: str) -> None:
    _text(slide, caption, 0.5, prs.slide_height / 914400 - 0.6, _content_width(prs), 0.45,
          size=CAPTION_PT, colour=MUTED)


def _table_slide(prs: Any, text: SlideText, table: Table, note: str, *, max_rows: int = MAX_TABLE_ROWS,
                 size: int = 10) -> Any:
    """A native table sized to the slide: at most ``max_rows`` rows, the rest counted in a note."""
    from pptx.util import Inches, Pt

    slide = _titled(prs, text)
    rows = table.rows[:max_rows]
    width = _content_width(prs)
    row_h = 0.36
    shape = slide.shapes.add_table(len(rows) + 1, len(table.columns), Inches(0.5), Inches(1.45), Inches(width),
                                   Inches(row_h * (len(rows) + 1)))
    grid = shape.table
    widths = column_widths(table, width)
    scale = width / sum(widths)
    for j, w in enumerate(widths):
        grid.columns[j].width = Inches(w * scale)
    for i, (tr, row) in enumerate(zip(grid._tbl.tr_lst, [table.columns, *rows], strict=True)):
        if not _cells_row(tr, row, Pt(size + 1 if i == 0 else size), bold=i == 0, right=table.numeric):
            for j, value in enumerate(row):
                _cell(grid.cell(i, j), value, Pt(size + 1 if i == 0 else size), bold=i == 0, right=table.numeric[j])
    if len(table.rows) > len(rows):
        extra = len(table.rows) - len(rows)
        note = ngettext("{n} more row in report.html and activities.xlsx.",
                        "{n} more rows in report.html and activities.xlsx.", extra).format(
            n=format_number(extra)) + (" " + note if note else "")
    if note:
        _caption(slide, prs, note)
    return slide


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


def _cells_row(tr: Any, values: list[str], size: Any, *, bold: bool, right: list[bool]) -> bool:
    """The cells of a new table row (``a:tr``) written as their XML at once: the elements :func:`_cell` makes
    through python-pptx, a tenth of the time. False (nothing done) when a value holds a line break (``\\n``,
    ``\\v``: paragraphs and breaks, left to :func:`_cell`) or the row is not a new one."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls
    from pptx.util import Inches

    empty = "{http://schemas.openxmlformats.org/drawingml/2006/main}tc"
    if len(tr) != len(values) or any(tc.tag != empty or len(tc) != 2 or len(tc[0]) != 3 for tc in tr) \
            or any("\n" in v or "\v" in v for v in values):
        return False
    side, edge = int(Inches(0.06)), int(Inches(0.03))
    cells = []
    for value, numeric in zip(values, right, strict=True):
        text = _run_text(value)  # as python-pptx's run.text
        run = f'<a:r><a:rPr sz="{size.centipoints}" b="{int(bold)}"/><a:t>{text}</a:t></a:r>' if value else ""
        cells.append(f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:pPr algn="{"r" if numeric else "l"}"/>{run}'
                     f'</a:p></a:txBody><a:tcPr marL="{side}" marR="{side}" marT="{edge}" marB="{edge}"/></a:tc>')
    made = parse_xml(f'<a:tr {nsdecls("a")}>{"".join(cells)}</a:tr>')
    for tc in list(tr):
        tr.remove(tc)
    tr.extend(list(made))
    return True


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


def _bullets(slide: Any, items: list[tuple[str, str]], left: float, top: float, width: float, height: float,
             size: int) -> None:
    """Bullets (bold label, then text) in a text box."""
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for n, (label, text) in enumerate(items):
        para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        para.space_after = Pt(max(4, size // 2))
        if label:
            run = para.add_run()
            run.text = label + " — "
            run.font.bold, run.font.size, run.font.color.rgb = True, Pt(size), _rgb(INK)
        run = para.add_run()
        run.text = text
        run.font.size, run.font.color.rgb = Pt(size), _rgb(INK)


#: Bullet text area under the title, in inches (height).
BULLETS_H = 5.5
#: Bullet sizes tried, largest first; past the last one the bullets go on to another slide.
BULLET_SIZES = (16, 14, 12)


def bullets_height(items: list[tuple[str, str]], width: float, size: int) -> float:
    """Estimated height in inches of bullets at ``size`` pt in a ``width``-inch box.

    A character is about half an em wide (``0.5 × size`` pt); each bullet takes
    ``⌈chars / per line⌉`` lines of ``1.2 × size`` pt plus ``size / 2`` pt after it.
    """
    per_line = max(1, int(width * 72 / (0.5 * size)))
    lines = sum(-(-(len(label) + 3 + len(text)) // per_line) for label, text in items)
    return (lines * 1.2 * size + len(items) * max(4, size // 2)) / 72


def _fitting_size(items: list[tuple[str, str]], width: float = 12.3, height: float = BULLETS_H) -> int:
    """The largest of :data:`BULLET_SIZES` at which the bullets fit the box (the smallest when none does)."""
    return next((s for s in BULLET_SIZES if bullets_height(items, width, s) <= height), BULLET_SIZES[-1])


def bullet_pages(items: list[tuple[str, str]], width: float,
                 height: float = BULLETS_H) -> list[list[tuple[str, str]]]:
    """The bullets split into slides: all on one when they fit at the smallest size, else greedily filled."""
    pages: list[list[tuple[str, str]]] = [[]]
    for item in items:
        if pages[-1] and bullets_height([*pages[-1], item], width, BULLET_SIZES[-1]) > height:
            pages.append([])
        pages[-1].append(item)
    return pages


def _bullets_slides(prs: Any, text: SlideText, items: list[tuple[str, str]]) -> None:
    """Bullets over as many slides as they need: every item shown, none cut, none under 12 pt."""
    width = _content_width(prs)
    for n, page in enumerate(bullet_pages(items, width)):
        kicker = text.kicker if n == 0 else _("{section} (continued)").format(section=text.kicker)
        slide = _titled(prs, SlideText(kicker, text.title, text.notes))
        _bullets(slide, page, 0.5, 1.45, width, BULLETS_H, _fitting_size(page, width))


def _number_format(lang: str) -> str:
    """Excel number format with the language's grouping: ``5,000`` (en) or ``5 000`` (fr, no-break space).

    Why explicit: ``#,##0`` groups with the viewer's locale, so a French deck
    opened on an English machine would read ``5,000``; the French code writes
    the space itself (up to 999 999 999).
    """
    if lang == "fr":
        return '[>=1000000]#"\u00a0"###"\u00a0"##0;[>=1000]#"\u00a0"##0;0'
    return "#,##0"


# --------------------------------------------------------------------------- the slides


@dataclass
class Deck:
    """What every slide function reads: the presentation being built and the results."""

    prs: Any
    result: AnalysisResult
    content: ReportContent
    lead: ScenarioResult
    lang: str
    svgs: Mapping[str, str]
    pngs: Mapping[str, bytes]
    missing: Mapping[str, str]
    #: the value chain's legend as drawn on its first slide, copied on the others (:func:`_legend`)
    legend: list[Any] = field(default_factory=list)
    #: the value chain's drawings, decided and routed ahead (:class:`DeckChains`); None: :func:`chain_slides` does it
    chains: DeckChains | None = None
    #: the value chain groups' shapes as XML text, put into their slides when the deck is written
    #: (:func:`relmap.report.deck_chain.chain_group`)
    splices: dict[str, bytes] = field(default_factory=dict)


def title_slide(deck: Deck) -> None:
    from pptx.util import Inches

    prs, content = deck.prs, deck.content
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
    _text(slide, _("Scenario: {name}").format(name=deck.lead.name), 1.1, 4.2, width - 0.3, 0.5, size=16,
          colour=MUTED)
    _notes(slide, "\n\n".join([
        _("Relational goods and AI: which activities AI can take over, which ones live in the relation between "
          "people, and where the freed hours can go."),
        _("The figures lead with scenario {name}; the other scenarios are compared on their own slide.").format(
            name=deck.lead.name),
        _("Generated by relmap from the company file; every figure names its formula or input."),
    ]))


def figures_slide(deck: Deck) -> None:
    from pptx.util import Inches

    slide = _titled(deck.prs, dt.figures_text(deck.result, deck.lead))
    card_w, card_h = 2.95, 2.45
    for n, fig in enumerate(deck.content.key_figures[:8]):
        left = 0.5 + (n % 4) * (card_w + 0.16)
        top = 1.5 + (n // 4) * (card_h + 0.25)
        card = slide.shapes.add_shape(1, Inches(left), Inches(top), Inches(card_w), Inches(card_h))
        card.fill.solid()
        card.fill.fore_color.rgb = _rgb((0xF4, 0xF6, 0xF8))
        card.line.fill.background()
        _text(slide, fig.value, left + 0.15, top + 0.15, card_w - 0.3, 0.7, size=24, bold=True, colour=ACCENT)
        _text(slide, fig.label, left + 0.15, top + 0.85, card_w - 0.3, 0.6, size=13, bold=True)
        _text(slide, fig.source, left + 0.15, top + 1.5, card_w - 0.3, 0.9, size=10, colour=MUTED)


#: A value chain picture to draw: the stage (None: the overview) and the part of it in detail (None: all).
ChainKey = tuple[str | None, tuple[str, ...] | None]


class _ChainRoutes:
    """The deck's value chain drawings (:class:`relmap.render.dot.StagePart`) and their flows' routes
    (:func:`relmap.report.deck_chain.routes`): one Graphviz run per batch of drawings, two at a time, while
    the rest is decided and the slides are built; a slide waits for its own routes only."""

    def __init__(self) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        from ..render.dot import NodeSizes
        from ..render.stream import measure_streamed

        self.sizer = NodeSizes(measure_streamed)
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="relmap-deck")
        self.parts: dict[ChainKey, StagePart] = {}
        self.futures: dict[ChainKey, tuple[Future[list[list[Route] | None]], int]] = {}
        #: routes found by a forked child (:class:`DeckChains`), and the child while it sends more
        self.routed: dict[ChainKey, list[Route] | None] = {}
        self.child: parallel.Forked | None = None

    def __enter__(self) -> _ChainRoutes:
        return self

    def __exit__(self, *exc: object) -> None:
        from ..render.stream import close_streams

        self.pool.shutdown(wait=True, cancel_futures=True)
        close_streams()

    def draw(self, parts: Mapping[ChainKey, StagePart]) -> None:
        """Start routing these drawings' flows (those not started yet), in one Graphviz run."""
        from ..render.dot import placed_dot

        new = {key: part for key, part in parts.items() if key not in self.parts}
        if not new:
            return
        self.parts.update(new)
        job = self.pool.submit(_routes, [placed_dot(p.drawing, p.sizes, plan=p.plan, bare=True)
                                         for p in new.values()])
        for n, key in enumerate(new):
            self.futures[key] = (job, n)

    def _route_here(self, key: ChainKey) -> None:
        """Route a drawing the child did not send (it failed or died): in this process."""
        part = self.parts.pop(key)
        self.draw({key: part})

    def get(self, key: ChainKey) -> tuple[StagePart, list[Route] | None] | None:
        """The drawing and its routes (waiting for them; None: straight lines), None when not asked for."""
        if key not in self.parts:
            return None
        while key not in self.routed and key not in self.futures and self.child is not None:
            got = self.child.receive()  # the child's next Graphviz run
            if isinstance(got, tuple) and len(got) == 2 and got[0] == "routes":
                self.routed.update(got[1])
            else:  # done, failed or gone: what it did not send is routed here
                self.stop_child()
        if key in self.routed:
            return self.parts[key], self.routed[key]
        if key not in self.futures:
            self._route_here(key)
        job, n = self.futures[key]
        return self.parts[key], job.result()[n]

    def stop_child(self) -> None:
        if self.child is not None:
            self.child.stop()
            self.child = None

    def send_all(self) -> None:
        """In the forked child: each Graphviz run's routes to the parent as soon as it ends."""
        from concurrent.futures import as_completed

        from ..analysis.parallel import share

        runs: dict[Any, list[tuple[ChainKey, int]]] = {}
        for key, (job, n) in self.futures.items():
            runs.setdefault(job, []).append((key, n))
        for job in as_completed(runs):
            found = job.result()
            share(("routes", {key: found[n] for key, n in runs[job]}))


def _routes(sources: list[str]) -> list[list[Route] | None]:
    """:func:`relmap.report.deck_chain.routes`, or None for each drawing when Graphviz cannot route them."""
    from .deck_chain import routes

    try:
        return routes(sources)
    except RenderError:
        return [None] * len(sources)


def _part_keys(stage: str, parts: list[list[str]] | None) -> list[ChainKey]:
    if parts is None:
        return []
    return [(stage, None)] if len(parts) == 1 else [(stage, tuple(p)) for p in parts]


def stage_plans(result: AnalysisResult, lead: str, lang: str, chains: _ChainRoutes, stages: list[str],
                aggregated: bool | None = None) -> dict[str, list[list[str]] | None]:
    """How each stage's detail is split so that no text is under 7 pt on its slides; its drawings and the
    overview's (by stage when ``aggregated``; None: the readability rule decides) are routed meanwhile.

    The split is chosen on the node sizes Graphviz measures (:func:`relmap.render.dot.stage_splits`, each
    distinct node measured once) and the drawings and placements judged are the ones drawn; a stage's
    flows are routed as soon as its split is known. :func:`readable_parts` then checks the text on the slide.
    """
    from ..render.dot import StagePart, best_plan, build_drawing, stage_splits

    overview = build_drawing(result, scenario=lead, lang=lang, header=False, aggregate=aggregated)
    sizes = chains.sizer.of([overview])[0]
    chains.draw({(None, None): StagePart([], overview, sizes, best_plan(overview, sizes))})
    plans: dict[str, list[list[str]] | None] = {}

    def decided(stage: str, found: list[StagePart] | None) -> None:
        plans[stage] = None if found is None else [p.ids for p in found]
        chains.draw(dict(zip(_part_keys(stage, plans[stage]), found or [], strict=True)))

    stage_splits(result, stages, scenario=lead, lang=lang, sizer=chains.sizer, decided=decided)
    return plans


def _chain_frame(prs: Any, part: StagePart) -> Frame:
    """Where a value chain drawing goes: fitted and centred in the picture area."""
    from .deck_chain import frame

    return frame(part.plan, 0.5, PICTURE_TOP, _content_width(prs), PICTURE_H)


def chain_text_pt(prs: Any, part: StagePart) -> float:
    """The smallest text of the drawing once on the slide, in points."""
    from .deck_chain import text_pt

    return text_pt(part.drawing, _chain_frame(prs, part).scale)


def readable_parts(deck: Deck, chains: _ChainRoutes, stage: str,
                   parts: list[list[str]] | None) -> list[list[str]] | None:
    """``parts`` when every one's text is :data:`MIN_PT` or more on its slide (:func:`chain_text_pt`; a firm
    template's slide may be narrower than the rule's), else split once more, up to
    :data:`relmap.render.dot.MAX_STAGE_PARTS` parts; past that None (the stage's slide says why)."""
    from ..render.dot import MAX_STAGE_PARTS, stage_splits

    while parts is not None:
        drawn = [chains.parts.get(k) for k in _part_keys(stage, parts)]
        if all(p is None or chain_text_pt(deck.prs, p) >= MIN_PT - 1e-9 for p in drawn):
            return parts
        again = None if len(parts) >= MAX_STAGE_PARTS else stage_splits(
            deck.result, [stage], scenario=deck.lead.id, lang=deck.lang, sizer=chains.sizer,
            at_least={stage: len(parts) + 1})[stage]
        parts = None if again is None else [p.ids for p in again]
        chains.draw(dict(zip(_part_keys(stage, parts), again or [], strict=True)))
    return None


def _native_chain(slide: Any, deck: Deck, chains: _ChainRoutes, key: ChainKey, name: str, where: str) -> bool:
    """The drawing of ``key`` as native shapes in the picture area (:mod:`relmap.report.deck_chain`), or, when
    its text would be under :data:`MIN_PT`, a note saying so and where the full diagram is. Returns whether
    it was drawn."""
    from .deck_chain import chain_group

    got = chains.get(key)
    if got is None:
        return False
    part, found = got
    spot = _chain_frame(deck.prs, part)
    smallest = chain_text_pt(deck.prs, part)
    if smallest < MIN_PT - 1e-9:
        reason = _("at slide size its smallest text would be {size} pt, under the {min} pt this deck keeps to").format(
            size=format_number(smallest, 1), min=format_number(MIN_PT))
        _missing(slide, deck.prs, _("{reason}; see {file}").format(reason=reason, file=where))
        return False
    chain_group(slide, part.drawing, part.plan, spot, name, deck.lang, found, deck.splices)
    return True


def _legend(slide: Any, prs: Any, drawn: list[Any] | None = None) -> None:
    """The value chain's legend as native text under the picture: quadrant swatches, goods, lines.

    ``drawn``: the legend's shapes on an earlier slide, copied (the same XML, new shape ids; building them
    with python-pptx again costs more than the native chain itself); when empty, the shapes made are added.
    """
    from copy import deepcopy

    from pptx.util import Inches

    tree = slide.shapes._spTree
    if drawn:
        shape_id = slide.shapes._next_shape_id - 1  # the largest id: each copy takes the next one
        for element in drawn:
            copied = deepcopy(element)
            shape_id += 1
            props = copied.xpath("./*/p:cNvPr")[0]
            props.set("id", str(shape_id))
            props.set("name", props.get("name", "").rsplit(" ", 1)[0] + f" {shape_id - 1}")  # as python-pptx names
            tree.append(copied)
        return
    before = len(tree)

    from ..render.theme import LIGHT
    from ..vocabulary import quadrant_label

    top = prs.slide_height / 914400 - 0.55
    x = 0.5
    for quadrant in ("relational_core", "augment", "automate", "sustain"):
        swatch = slide.shapes.add_shape(1, Inches(x), Inches(top + 0.08), Inches(0.22), Inches(0.16))
        swatch.fill.solid()
        swatch.fill.fore_color.rgb = _rgb(_hex(LIGHT.quadrant_fill[quadrant]))
        swatch.line.fill.background()
        label = quadrant_label(quadrant)
        _text(slide, label, x + 0.25, top, 0.09 * len(label) + 0.3, 0.35, size=CAPTION_PT)
        x += 0.25 + 0.085 * len(label) + 0.35
    rest = _("♥ bold border: relational good · thin line: direct contact · dashed border: relay at risk · "
             "−h freed → +h reinvested")
    _text(slide, rest, x, top, max(1.0, prs.slide_width / 914400 - 0.5 - x), 0.35, size=CAPTION_PT, colour=MUTED)
    if drawn is not None:
        drawn.extend(tree[before:])


def _hex(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


#: At most this many stage slides; a chain with more stages gets none (each stage: ``relmap render --stage``).
MAX_STAGE_SLIDES = 12


def chain_slides(deck: Deck) -> None:
    """The value chain overview, then, when the overview is by stage (text under 7 pt in detail:
    :func:`relmap.render.dot.readable`), each stage in detail: on one slide, or on as many as keep its text at
    7 pt or more (:func:`stage_plans`), each part saying which of the stage's activities it draws. The chain
    is drawn as native shapes (:mod:`relmap.report.deck_chain`)."""
    chains = deck.chains or DeckChains(deck.result, lead=deck.lead.id, lang=deck.lang, ahead=False)
    if chains.result is not deck.result or (chains.lead, chains.lang) != (deck.lead.id, deck.lang):
        raise ValueError("the deck's value chains were planned for another result, scenario or language")
    with chains:
        aggregated, stages, plans = chains.plans()
        _chain_slides(deck, aggregated, stages, plans, chains.routes)


#: from this many activities the value chains are planned in a forked child (below, a thread is enough)
FORK_ACTIVITIES = 150


class DeckChains:
    """What the value chain slides draw, decided (:func:`stage_plans`: the overview by stage or not, each
    stage's parts) and routed (:class:`_ChainRoutes`), started ahead (``ahead``) while the workbook and the
    reports are built (give it to :func:`build_deck` as ``chains``). A context manager: on leaving, the routing
    threads (or the child) are stopped.

    Ahead means in a forked child from :data:`FORK_ACTIVITIES` activities (deciding the splits, building and
    measuring the drawings is Python work that a thread would do on this process's time; the child sends the
    drawings, their routes and the node sizes back: :mod:`relmap.analysis.parallel`), else, or when no child can
    be started, in a thread of this process (most of it is waiting for Graphviz). A child that fails, dies or
    does not answer changes nothing: the plans are then made here, as without ``ahead``.
    """

    def __init__(self, result: AnalysisResult, *, lead: str, lang: str, ahead: bool = True) -> None:
        import contextvars
        from concurrent.futures import Future, ThreadPoolExecutor

        from ..analysis import parallel

        self.result, self.lead, self.lang = result, lead, lang
        self.routes = _ChainRoutes()
        self._pool: ThreadPoolExecutor | None = None
        self._future: Future[tuple[bool, list[StageInfo], dict[str, list[list[str]] | None]]] | None = None
        self._forked: parallel.Forked | None = None
        if ahead and len(result.activities) >= FORK_ACTIVITIES and parallel.can_fork():
            # what the child imports is imported here first: it must never wait for a module lock that a thread of
            # this process held at the fork (it would never be released)
            from . import deck_chain  # noqa: F401
            try:  # the child has this process's context: the language and --max-overview
                self._forked = parallel.Forked(self._plan_routed)
            except (OSError, ValueError, RuntimeError):  # pragma: no cover - no process could be started
                self._forked = None
        if ahead and self._forked is None:  # the thread gets this context too
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relmap-deck-plan")
            self._future = self._pool.submit(contextvars.copy_context().run, self._plan)

    def _plan_routed(self) -> None:
        """In the forked child: :meth:`_plan` sent as soon as it is decided, with the drawings and the node sizes
        measured, then each Graphviz run's routes as it ends (:meth:`_ChainRoutes.send_all`)."""
        import contextlib
        import os

        from ..analysis.parallel import share

        with contextlib.suppress(OSError, AttributeError):
            os.nice(10)
        with self.routes:
            planned = self._plan()
            share(("plans", planned, self.routes.parts, self.routes.sizer))
            self.routes.send_all()

    def _plan(self) -> tuple[bool, list[StageInfo], dict[str, list[list[str]] | None]]:
        from ..render.dot import overview_aggregated

        result = self.result
        with language(self.lang):
            aggregated = overview_aggregated(result, scenario=self.lead, lang=self.lang)
            members = {a.stage for a in result.activities}
            stages = [s for s in result.stages if s.id in members] if aggregated else []
            if len(stages) > MAX_STAGE_SLIDES:  # a long appendix of stages is no slide deck: relmap render --stage
                stages = []
            plans = stage_plans(result, self.lead, self.lang, self.routes, [s.id for s in stages], aggregated)
        return aggregated, stages, plans

    def plans(self) -> tuple[bool, list[StageInfo], dict[str, list[list[str]] | None]]:
        """Whether the overview is by stage, the stages drawn in detail and each one's parts (waiting for them)."""
        if self._forked is not None:
            child, self._forked = self._forked, None
            got = child.receive()
            if isinstance(got, tuple) and len(got) == 4 and got[0] == "plans":
                _, planned, parts, sizer = got
                self.routes.parts.update(parts)
                self.routes.sizer = sizer
                self.routes.child = child  # it sends the routes as Graphviz finds them
                return planned  # type: ignore[no-any-return]
            child.stop()  # failed: planned here, as without a child
        return self._plan() if self._future is None else self._future.result()

    def close(self, *, wait: bool = True) -> None:
        """Stop: the planning and routing threads end (``wait``: waiting for them; else left to end on their own);
        a child still planning is ended."""
        if self._forked is not None:
            self._forked.stop()
            self._forked = None
        self.routes.stop_child()
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
        self.routes.pool.shutdown(wait=wait, cancel_futures=True)
        if wait:  # the Graphviz processes that measured and routed (else they end with their last graph)
            from ..render.stream import close_streams

            close_streams()

    def __enter__(self) -> DeckChains:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _chain_slides(deck: Deck, aggregated: bool, stages: list[StageInfo], plans: dict[str, list[list[str]] | None],
                  chains: _ChainRoutes) -> None:
    """The slides of :func:`chain_slides`."""
    slide = _titled(deck.prs, dt.chain_text(deck.result, deck.lead, aggregated, bool(stages)))
    if _native_chain(slide, deck, chains, (None, None), _("Value chain"), "value-chain.svg"):
        _legend(slide, deck.prs, deck.legend)
    for stage in stages:
        parts = readable_parts(deck, chains, stage.id, plans.get(stage.id))
        if parts is None:
            slide = _titled(deck.prs, dt.stage_text(deck.result, deck.lead, stage.id))
            _missing(slide, deck.prs, _("the stage and its neighbours cannot be drawn on a slide with text of "
                                        "{min} pt or more; `relmap render --stage {id}` draws it in full").format(
                min=format_number(MIN_PT), id=stage.id))
            continue
        for n, key in enumerate(_part_keys(stage.id, parts), start=1):
            part = (n, len(parts), parts[n - 1]) if len(parts) > 1 else None
            slide = _titled(deck.prs, dt.stage_text(deck.result, deck.lead, stage.id, part))
            if part is not None:
                _part_caption(slide, deck.prs, deck.result, stage.id, part)
            if _native_chain(slide, deck, chains, key, stage.name, f"value-chain-{stage.id}.svg"):
                _legend(slide, deck.prs, deck.legend)


def _part_caption(slide: Any, prs: Any, result: AnalysisResult, stage: str, part: tuple[int, int, list[str]]) -> None:
    """On the kicker's line, right-aligned: which share of the stage this slide draws and where the rest is."""
    from pptx.enum.text import PP_ALIGN

    k, n, ids = part
    total = sum(1 for a in result.activities if a.stage == stage)
    text = _("Part {k} of {n}: {shown} of the stage's {total} activities; the other {rest} on the other part "
             "slides").format(k=format_number(k), n=format_number(n), shown=format_number(len(ids)),
                               total=format_number(total), rest=format_number(total - len(ids)))
    width = prs.slide_width / 914400
    box = _text(slide, text, width / 2, 0.22, width / 2 - 0.5, 0.3, size=CAPTION_PT, colour=MUTED)
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def matrix_slide(deck: Deck) -> None:
    slide = _titled(deck.prs, dt.matrix_text(deck.result))
    fig = deck.content.section("matrix").figures[0]
    png = deck.pngs.get("matrix")
    if png is None:
        _missing(slide, deck.prs, deck.missing.get("matrix", _("the diagram was not rendered")))
    else:
        _picture(slide, deck.prs, png, deck.svgs.get("matrix"), fig.title, where="matrix.svg")
    _caption(slide, deck.prs, fig.caption)


def _goods_table(content: ReportContent) -> Table:
    """The relational goods table cut to the columns that fit a slide."""
    full = content.section("relational-goods").tables[0]
    keep = [0, 1, 2, 3, 5, 6, 9, 10]  # activity, stage, hours, r, touchpoint, distance, receives, flags
    return Table([full.columns[j] for j in keep], [[row[j] for j in keep] for row in full.rows],
                 [full.numeric[j] for j in keep])


def goods_slide(deck: Deck) -> None:
    from .sections import goods

    text = dt.goods_text(deck.result, deck.lead, goods(deck.result))
    section = deck.content.section("relational-goods")
    if section.tables:
        _table_slide(deck.prs, text, _goods_table(deck.content), "")
    else:
        _bullets_slides(deck.prs, text, [("", p) for p in section.paragraphs])


#: Automation candidates on their slide.
TOP_CANDIDATES = 10


def candidates_slide(deck: Deck) -> None:
    """The automation candidates, ranked by hours freed in the lead scenario (a native table)."""
    scen = deck.lead
    acts = sorted((a for a in deck.result.activities if a.quadrant in ("automate", "augment")),
                  key=lambda a: (-a.by_scenario[scen.id].hours_freed if scen.id in a.by_scenario else 0, a.id))
    section = deck.content.section("automation")
    if not section.tables:
        _bullets_slides(deck.prs, dt.candidates_text(deck.result, scen, []), [("", p) for p in section.paragraphs])
        return
    full = section.tables[0]
    keep = [0, 1, 2, 4, 5, 6]  # activity, quadrant, automatability, hours freed, value freed, confidence
    table = Table([full.columns[j] for j in keep], [[row[j] for j in keep] for row in full.rows],
                  [full.numeric[j] for j in keep])
    shown = acts[:TOP_CANDIDATES]
    _table_slide(deck.prs, dt.candidates_text(deck.result, scen, shown), table,
                 _("Scenario {name}: hours freed = hours × automatability × adoption.").format(name=scen.name),
                 max_rows=TOP_CANDIDATES)


def scenarios_slide(deck: Deck) -> None:
    """Every scenario side by side (a native table); the formulas go to the notes."""
    from .sections import _scenario_rows

    rows = [(label, how, values) for label, how, values in _scenario_rows(deck.result)
            if how != _("Monte Carlo, triangular draws")]
    scens = list(deck.result.scenarios.values())
    table = Table([_("Figure"), *[s.name for s in scens]], [[label, *values] for label, _how, values in rows],
                  [False, *[True] * len(scens)])
    text = dt.scenarios_text(deck.result)
    text.notes.append("\n".join(_("{label}: {text}").format(label=label, text=how) for label, how, _values in rows))
    _table_slide(deck.prs, text, table, "", max_rows=len(rows), size=11 if len(rows) <= 13 else 9)


def reinvest_slide(deck: Deck) -> None:
    """Where the lead scenario's freed hours go: a native bar chart and the bullets, the same scenario, named."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.util import Inches, Pt

    s = deck.lead
    slide = _titled(deck.prs, dt.reinvest_text(deck.result, s))
    from ..analysis.economics import BALANCE_LINES
    from ..vocabulary import balance_label

    parts = [(balance_label(line), s.line(line)[0]) for line in BALANCE_LINES]
    fmt = _number_format(deck.lang)
    data = CategoryChartData(number_format=fmt)  # type: ignore[no-untyped-call]
    data.categories = [label for label, _v in parts]
    data.add_series(s.name, [round(v, 1) for _l, v in parts])  # type: ignore[no-untyped-call]
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1.45), Inches(7.4),
                                   Inches(5.4), data)
    chart = frame.chart
    chart.font.size = Pt(CHART_PT)  # every text of the chart has a size, the ones set below too
    chart.has_legend = False
    chart.has_title = True
    chart.chart_title.text_frame.text = _("Scenario {name}: where the {hours} freed go").format(
        name=s.name, hours=dt.h(s.hours_freed))
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
    chart.category_axis.tick_labels.font.size = Pt(12)
    chart.category_axis.reverse_order = True
    axis = chart.value_axis
    axis.tick_labels.font.size = Pt(10)
    axis.tick_labels.number_format = fmt
    axis.tick_labels.number_format_is_linked = False
    axis.has_title = True
    axis.axis_title.text_frame.text = _("Hours per year")
    axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(11)
    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = fmt, False
    labels.font.size = Pt(11)
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    for point, colour in zip(plot.series[0].points, SERIES_COLOURS, strict=False):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colour)
    section = deck.content.section("reinvestment")
    items = [(_("Scenario"), s.name)] + [(i.label, i.text) for i in section.items]
    _bullets(slide, items, 8.2, 1.45, 4.6, 5.4, min(13, _fitting_size(items, 4.6, 5.4)))


def risks_slides(deck: Deck) -> None:
    """Each risk once (with the scenarios it appears in), flags grouped by kind, over as many slides as needed."""
    lines = dt.risk_lines(deck.result)
    text = dt.risks_text(deck.result, lines)
    items = [(line.label, line.text) for line in lines] or [("", _("No risk or flag found."))]
    _bullets_slides(deck.prs, text, items)


def method_slides(deck: Deck) -> None:
    method = deck.content.section("method")
    _bullets_slides(deck.prs, dt.method_text(deck.result), [(i.label, i.text) for i in method.items])


def people_slide(deck: Deck) -> None:
    """Who is affected: a native stacked bar chart, one bar per role (the people view's rows and parts); the
    title gives the FTE of work no longer needed, the caption names the roles at risk."""
    section = deck.content.section("people")
    if not section.figures:
        return
    fig = section.figures[0]
    slide = _titled(deck.prs, dt.people_text(deck.result, deck.lead))
    people_chart(slide, deck)
    at_risk = [i.label for i in section.items]
    caption = fig.caption
    if at_risk:
        shown = ", ".join(at_risk[:6]) + ("…" if len(at_risk) > 6 else "")
        caption += " " + _("At risk: {names}.").format(names=shown)
    _caption(slide, deck.prs, caption)


def _view_slide(deck: Deck, view: str, text: dt.SlideText, draw: Callable[[Any, Deck], None]) -> None:
    """A slide for one of the timeline views (sensitivity, trajectory): its native chart, caption, notes."""
    section = next((s for s in deck.content.sections if s.id == view), None)
    if section is None or not section.figures:
        return
    fig = section.figures[0]
    slide = _titled(deck.prs, text)
    draw(slide, deck)
    _caption(slide, deck.prs, section.paragraphs[0] if section.paragraphs else fig.caption)


def sensitivity_slide(deck: Deck) -> None:
    """Which assumptions move net savings most: the tornado."""
    if deck.result.sensitivity:
        _view_slide(deck, "sensitivity", dt.sensitivity_text(deck.result, deck.lead), sensitivity_chart)


def trajectory_slide(deck: Deck) -> None:
    """When it pays back: the years to the horizon, NPV and payback."""
    if deck.lead.trajectory:
        _view_slide(deck, "trajectory", dt.trajectory_text(deck.result, deck.lead), trajectory_charts)


# --------------------------------------------------------------------------- native charts

#: Font sizes of the native charts, in points: every text of a chart has one set (the deck keeps to 7 pt or
#: more; PowerPoint's default would be 10 pt for the text a chart leaves unsized).
CHART_PT = 11
CHART_TITLE_PT = 13
CHART_SMALL_PT = 10
#: Where a native chart goes (inches): the picture area under the title, above the caption.
CHART_TOP, CHART_H = 1.45, 5.35


def _native_chart(slide: Any, kind: Any, data: Any, box: tuple[float, float, float, float], *,
                  title: str | None, legend: bool) -> Any:
    """A native chart in ``box`` (left, top, width, height in inches): every text sized (:data:`CHART_PT` by
    default for the whole chart), the legend at the bottom."""
    from pptx.enum.chart import XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    left, top, width, height = box
    chart = slide.shapes.add_chart(kind, Inches(left), Inches(top), Inches(width), Inches(height), data).chart
    chart.font.size = Pt(CHART_PT)
    chart.font.color.rgb = _rgb(INK)
    chart.has_title = title is not None
    if title is not None:
        chart.chart_title.text_frame.text = title
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(CHART_TITLE_PT)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_SMALL_PT)
    return chart


def _axis(axis: Any, size: float, number_format: str | None = None, title: str | None = None) -> None:
    """Tick labels at ``size`` pt (with ``number_format``), no gridlines, and an axis title at :data:`CHART_PT`."""
    from pptx.util import Pt

    axis.tick_labels.font.size = Pt(size)
    axis.has_major_gridlines = False
    if number_format is not None:
        axis.tick_labels.number_format = number_format
        axis.tick_labels.number_format_is_linked = False
    if title is not None:
        axis.has_title = True
        axis.axis_title.text_frame.text = title
        axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(CHART_PT)


def _value_axis_at_bottom(chart: Any) -> None:
    """With the categories reversed (the first at the top), keep the value axis at the bottom: it crosses the
    category axis at its last category."""
    from pptx.enum.chart import XL_AXIS_CROSSES

    val_ax = chart.value_axis._element
    val_ax._remove_crosses()
    val_ax._remove_crossesAt()
    val_ax._add_crosses(val=XL_AXIS_CROSSES.MAXIMUM)


def _every_category_label(chart: Any) -> None:
    """Show every category name (PowerPoint skips some when it judges them crowded)."""
    from lxml import etree

    cat_ax = chart.category_axis._element
    skip = cat_ax.find("{http://schemas.openxmlformats.org/drawingml/2006/chart}tickLblSkip")
    if skip is None:
        skip = etree.SubElement(cat_ax, "{http://schemas.openxmlformats.org/drawingml/2006/chart}tickLblSkip")
        # the schema's order: tickLblSkip goes before tickMarkSkip and noMultiLvlLbl
        for name in ("tickMarkSkip", "noMultiLvlLbl", "extLst"):
            after = cat_ax.find(f"{{http://schemas.openxmlformats.org/drawingml/2006/chart}}{name}")
            if after is not None:
                after.addprevious(skip)
                break
    skip.set("val", "1")


def _colour_series(series: Any, colour: tuple[int, int, int]) -> None:
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = _rgb(colour)


def _point_label(point: Any, text: str, size: float, position: Any) -> None:
    """A data label of one point with its own text (e.g. the value tried and what it gives)."""
    from pptx.util import Pt

    label = point.data_label
    label.text_frame.text = text
    label.text_frame.word_wrap = False  # one line: a wrapped label runs into the next bar
    label.text_frame.paragraphs[0].runs[0].font.size = Pt(size)
    label.position = position


#: A role's name on the people chart is cut, visibly with "…", past this many characters: a category name keeps
#: one line (a wrapped name makes PowerPoint drop every other one); the caption and the report name them whole.
PEOPLE_NAME_CHARS = 60


def people_font_pt(rows: int) -> float:
    """Role names at 11 pt up to 12 bars, 10 up to 20, 9 up to 30, else 7.5 pt: 40 bars share about 300 pt of
    height (7.5 pt each), so each name keeps a line of its own at the deck's 7 pt floor or more."""
    return 11.0 if rows <= 12 else 10.0 if rows <= 20 else 9.0 if rows <= 30 else 7.5


def people_chart(slide: Any, deck: Deck) -> None:
    """The people view as a native stacked bar chart: the same bars (:func:`relmap.render.people.people_rows`,
    roles summed by family beyond 40), the same six parts and colours; an at-risk role's name ends with "⚠"
    and the share of its hours no longer needed."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    from ..render.people import PARTS, WARN, part_colours, part_labels, people_rows
    from ..render.text import fmt_percent, wrap

    rows = people_rows(deck.result, deck.lead.id)
    width = _content_width(deck.prs)
    if not rows:
        _text(slide, _("No role has hours in this analysis."), 0.5, 2.5, width, 1.0, size=18, colour=MUTED)
        return
    fmt = _number_format(deck.lang)
    data = CategoryChartData(number_format=fmt)  # type: ignore[no-untyped-call]
    names = [wrap(r.label, 1000, max_chars=PEOPLE_NAME_CHARS)[0] for r in rows]
    data.categories = [f"{name} {WARN} {fmt_percent(r.share_lost, deck.lang)}" if r.at_risk else name
                       for name, r in zip(names, rows, strict=True)]
    labels = part_labels()
    for part in PARTS:
        data.add_series(labels[part], [round(r.parts[part], 1) for r in rows])  # type: ignore[no-untyped-call]
    chart = _native_chart(slide, XL_CHART_TYPE.BAR_STACKED, data, (0.5, CHART_TOP, width, CHART_H),
                          title=_("Scenario {name}: hours per year of each role").format(name=deck.lead.name),
                          legend=True)
    chart.plots[0].gap_width = 40
    chart.plots[0].overlap = 100
    colours = part_colours()
    for part, series in zip(PARTS, chart.plots[0].series, strict=True):
        _colour_series(series, _hex(colours[part]))
    chart.category_axis.reverse_order = True
    _value_axis_at_bottom(chart)
    _every_category_label(chart)
    _axis(chart.category_axis, people_font_pt(len(rows)))
    _axis(chart.value_axis, CHART_SMALL_PT, fmt, _("hours per year"))


def sensitivity_chart(slide: Any, deck: Deck) -> None:
    """The tornado as a native bar chart: for each input (largest swing at the top) a bar from the base net
    savings to those with the input at its low value (blue) and at its high value (orange), the category axis
    crossing at the base; each end labelled with the value tried and the net savings it gives (one label
    naming both when both ends fall on one side, as in the view), so the value axis needs no numbers."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION

    from ..render.sensitivity import MAX_BARS
    from ..render.text import fmt_money
    from ..render.theme import OKABE_ITO
    from ..vocabulary import input_label, value_label

    result, lang = deck.result, deck.lang
    scen = result.scenario_result(None)  # the sensitivity is the lead scenario's
    entries = result.sensitivity[:MAX_BARS]
    currency = str(result.company.get("currency", "EUR"))
    base = scen.net_savings
    fmt = _number_format(lang)
    data = CategoryChartData(number_format=fmt)  # type: ignore[no-untyped-call]
    data.categories = [input_label(e) for e in entries]
    data.add_series(_("input at its low value"), [round(e.net_savings[0], 2) for e in entries])  # type: ignore[no-untyped-call]
    data.add_series(_("input at its high value"), [round(e.net_savings[1], 2) for e in entries])  # type: ignore[no-untyped-call]
    width = _content_width(deck.prs)
    chart = _native_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data, (0.5, CHART_TOP, width, CHART_H),
                          title=_("Scenario “{name}”: net savings {value} a year; each bar moves one input from its "
                                  "low to its high value").format(name=scen.name,
                                                                  value=fmt_money(base, currency, lang)),
                          legend=True)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 60, 100
    low, high = plot.series
    _colour_series(low, _hex(OKABE_ITO["sky_blue"]))
    _colour_series(high, _hex(OKABE_ITO["orange"]))
    chart.value_axis.crosses_at = base  # the bars start at the base net savings
    chart.category_axis.reverse_order = True
    _value_axis_at_bottom(chart)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # names on the left, off the bars
    _every_category_label(chart)
    _axis(chart.category_axis, CHART_PT)
    # no numbers on the value axis: each bar's end says its value, and an Excel number format with the French
    # grouping (see _number_format) would print a negative value without its minus sign
    _axis(chart.value_axis, CHART_SMALL_PT, fmt)
    chart.value_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    span = max([abs(v - base) for e in entries for v in e.net_savings] + [1.0])
    lowest, highest, step = nice_scale(base - 1.6 * span, base + 1.6 * span)  # room for the end labels
    chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = lowest, highest
    chart.value_axis.major_unit = step
    for k, e in enumerate(entries):
        lo, hi = e.net_savings
        ends = {side: _("{label}: {text}").format(label=value_label(e, side, lang),
                                                    text=fmt_money(value, currency, lang))
                for side, value in (("low", lo), ("high", hi))}
        if (lo - base) * (hi - base) > 0:  # both on one side: one label at the far end, nearer value first
            near, far = ("low", "high") if abs(lo - base) <= abs(hi - base) else ("high", "low")
            ends = {far: f"{ends[near]} · {ends[far]}"}
        for side, series in (("low", low), ("high", high)):
            if side in ends:
                _point_label(series.points[k], ends[side], CHART_SMALL_PT, XL_LABEL_POSITION.OUTSIDE_END)


def nice_scale(low: float, high: float, ticks: int = 6) -> tuple[float, float, float]:
    """An axis from ``low`` to ``high`` with round ticks: ``step`` = the smallest of 1, 2, 5 × 10ᵏ with
    ``(high − low) / step ≤ ticks``; the bounds are ``low`` rounded down and ``high`` rounded up to a step."""
    import math

    width = max(high - low, 1e-9)
    power = 10.0 ** math.floor(math.log10(width / ticks))
    step = next(m * power for m in (1, 2, 5, 10) if width / (m * power) <= ticks)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def trajectory_charts(slide: Any, deck: Deck) -> None:
    """The trajectory view as two native charts, one above the other on the same years (python-pptx draws no
    combined chart): hours a year — freed, reinvested in relational goods, no longer needed — with each year's
    adoption under it; then cumulative net savings as a line, each year's amount on its point, the payback
    year's named."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import (
        XL_CHART_TYPE,
        XL_LABEL_POSITION,
        XL_LEGEND_POSITION,
        XL_MARKER_STYLE,
        XL_TICK_LABEL_POSITION,
    )

    from ..render.text import fmt_money, fmt_percent
    from ..render.theme import OKABE_ITO

    result, lang, scen = deck.result, deck.lang, deck.lead
    years = scen.trajectory
    currency = str(result.company.get("currency", "EUR"))
    fmt = _number_format(lang)
    width = _content_width(deck.prs)
    hours = CategoryChartData(number_format=fmt)  # type: ignore[no-untyped-call]
    hours.categories = [_("year {n} · adoption {share}").format(n=y.year, share=fmt_percent(y.adoption, lang))
                        for y in years]
    hpf = result.hours_per_fte
    for name, values in ((_("Hours AI could free"), [y.hours_freed for y in years]),
                         (_("Reinvested in relational goods"), [y.hours_reinvested for y in years]),
                         (_("No longer needed"), [y.fte_no_longer_needed * hpf for y in years])):
        hours.add_series(name, [round(v, 1) for v in values])  # type: ignore[no-untyped-call]
    half = (CHART_H - 0.1) / 2
    top = _native_chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, hours, (0.5, CHART_TOP, width, half),
                        title=None, legend=True)
    top.legend.position = XL_LEGEND_POSITION.TOP
    top.plots[0].gap_width = 60
    for series, colour in zip(top.plots[0].series, ("sky_blue", "bluish_green", "vermillion"), strict=True):
        _colour_series(series, _hex(OKABE_ITO[colour]))
    _every_category_label(top)
    _axis(top.category_axis, CHART_SMALL_PT)
    _axis(top.value_axis, CHART_SMALL_PT, fmt, _("hours a year"))
    money = CategoryChartData(number_format=fmt)  # type: ignore[no-untyped-call]
    money.categories = [_("year {n}").format(n=y.year) for y in years]
    money.add_series(_("Cumulative net savings"), [round(y.cumulative, 2) for y in years])  # type: ignore[no-untyped-call]
    bottom = _native_chart(slide, XL_CHART_TYPE.LINE_MARKERS, money,
                           (0.5, CHART_TOP + half + 0.1, width, half), title=None, legend=True)
    bottom.legend.position = XL_LEGEND_POSITION.TOP
    line = bottom.plots[0].series[0]
    line.smooth = False
    line.format.line.color.rgb = _rgb(_hex(OKABE_ITO["blue"]))
    line.marker.style = XL_MARKER_STYLE.CIRCLE
    line.marker.format.fill.solid()
    line.marker.format.fill.fore_color.rgb = _rgb(_hex(OKABE_ITO["blue"]))
    _every_category_label(bottom)
    bottom.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # under the plot, below zero too
    _axis(bottom.category_axis, CHART_SMALL_PT)
    # each year's amount on its point, no numbers on the value axis (as for the tornado: a negative amount keeps
    # its sign in French too)
    _axis(bottom.value_axis, CHART_SMALL_PT, fmt)
    bottom.value_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    for k, y in enumerate(years):
        text = fmt_money(y.cumulative, currency, lang)
        if scen.payback_year == y.year:
            text = f"{text} · " + _("payback: year {year}").format(year=y.year)
        _point_label(line.points[k], text, CHART_SMALL_PT, XL_LABEL_POSITION.ABOVE)


#: The slides in order: one function each, reading a :class:`Deck` (insert new ones here).
SLIDES: tuple[Callable[[Deck], None], ...] = (
    title_slide, figures_slide, chain_slides, matrix_slide, goods_slide, candidates_slide, scenarios_slide,
    reinvest_slide, people_slide, sensitivity_slide, trajectory_slide, risks_slides, method_slides,
)
#: The slides built last, in this order, and put back in their place: the matrix's picture comes from the chart
#: worker and the value chains' routes from Graphviz runs (started ahead with ``chains``), so every other slide
#: is built while they are drawn. Always, whoever draws them: the same deck bytes either way.
LATER: tuple[Callable[[Deck], None], ...] = (matrix_slide, chain_slides)


def build_deck(result: AnalysisResult, *, svgs: Mapping[str, str] | None = None,
               pngs: Mapping[str, bytes] | None = None, lang: str = "en", scenario: str | None = None,
               template: Path | None = None, missing: Mapping[str, str] | None = None,
               drawn: Callable[[], tuple[Mapping[str, str], Mapping[str, bytes], Mapping[str, str]]] | None = None,
               chains: DeckChains | None = None, meanwhile: Callable[[], None] | None = None) -> bytes:
    """``deck.pptx`` as bytes (byte-identical for the same inputs).

    Args:
        result: the analysis.
        svgs, pngs: the drawn views by name (see :func:`relmap.report.draw_diagrams`); a view without
            a PNG gets a slide saying why it is missing. The value chain is drawn again for the deck,
            without its baked-in title (the slide's title says it), when Graphviz is there.
        lang: ``en`` or ``fr``.
        scenario: the scenario the deck leads with (default: the lead scenario).
        template: a ``.pptx`` whose masters and layouts to use (its own slides are dropped).
        missing: why a view is missing (view → reason).
        drawn: instead of ``svgs``, ``pngs`` and ``missing``, what gives them, called before the one slide
            that shows a drawn view (the matrix, built after every slide but the value chains': :data:`LATER`):
            the others are built while the views are drawn.
        chains: the value chain slides' drawings started ahead (:class:`DeckChains`, same ``lang`` and lead
            scenario); closed once used. Default: decided and routed when their slides are built.
        meanwhile: called once, just before the value chain slides (which may wait for their routes): other work
            to do while Graphviz routes them.
    """
    with language(lang):
        content = build_content(result, scenario)
        deck = Deck(_open(template), result, content, result.scenario_result(scenario), lang, svgs or {},
                    pngs or {}, missing or {}, chains=chains)
        ids = deck.prs.slides._sldIdLst
        later: list[tuple[int, Callable[[Deck], None]]] = []
        for make in SLIDES:
            if make in LATER:  # built at the end, then put back in their place
                later.append((len(ids), make))
                continue
            make(deck)
        groups: dict[Callable[[Deck], None], list[Any]] = {}
        for make in LATER:
            if make is matrix_slide and drawn is not None:
                deck.svgs, deck.pngs, deck.missing = drawn()
            if make is chain_slides and meanwhile is not None:
                meanwhile()
            count = len(ids)
            make(deck)
            groups[make] = list(ids)[count:]
        moved = 0
        for at, make in later:  # in the order of the slides: each group after those put back before it
            for k, sld_id in enumerate(groups[make]):
                ids.remove(sld_id)
                ids.insert(at + moved + k, sld_id)
            moved += len(groups[make])
        props = deck.prs.core_properties
        props.title = clip(content.title, CORE_PROPERTY_LIMIT)
        if props.title != content.title:  # said where a reader of the deck looks: the first slide's notes
            frame = deck.prs.slides[0].notes_slide.notes_text_frame
            note = _("The document title (file properties) was shortened to {n} characters, the most a PowerPoint "
                     "file holds; the slides show it whole.").format(n=CORE_PROPERTY_LIMIT)
            frame.text = (frame.text + "\n\n" + note) if frame.text else note
        props.author = props.last_modified_by = "relmap"
        props.created = props.modified = props.last_printed = FIXED_DATE
        props.revision = 1
        entries = _package_entries(deck.prs, deck.splices)
    return write_zip(entries)


def _package_entries(prs: Any, splices: dict[str, bytes] | None = None) -> list[tuple[str, bytes]]:
    """The zip entries (name, content) :meth:`pptx.Presentation.save` writes, in its order, uncompressed: the
    deck is compressed once, by :func:`relmap.report.zipfix.write_zip` (saving and normalising compressed it
    twice). ``splices``: the value chain groups' shapes, put into their slides
    (:func:`relmap.report.deck_chain.spliced`)."""
    from pptx.opc.serialized import PackageWriter

    from .deck_chain import spliced

    class Entries:
        def __init__(self) -> None:
            self.items: list[tuple[str, bytes]] = []

        def write(self, uri: Any, blob: bytes) -> None:
            self.items.append((uri.membername, spliced(blob, splices) if splices else blob))

    package = prs.part.package
    writer = PackageWriter(io.BytesIO(), package._rels, tuple(package.iter_parts()))
    entries: Any = Entries()  # what PackageWriter writes to (its zip writer's one method)
    writer._write_content_types_stream(entries)  # PackageWriter._write's three steps, in its order
    writer._write_pkg_rels(entries)
    writer._write_parts(entries)
    items: list[tuple[str, bytes]] = entries.items
    return items
