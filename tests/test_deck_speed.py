"""The deck's shortcuts around python-pptx's slow paths give the same bytes as python-pptx's own way."""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation

from relmap.report.pptx import _notes


def _saved(prs: Any) -> dict[str, bytes]:
    import zipfile

    buf = io.BytesIO()
    prs.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {name: z.read(name) for name in z.namelist() if not name.startswith("docProps/")}


def _deck(notes: Any) -> dict[str, bytes]:
    prs = Presentation()
    for n in range(4):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        if n != 2:  # a slide without notes in between
            notes(slide, f"notes of slide {n + 1}\n\nsecond paragraph")
    return _saved(prs)


def test_notes_are_python_pptx_notes() -> None:
    """Notes made by copying the first notes slide: the same parts, names, relationships and XML as python-pptx's."""

    def python_pptx(slide: Any, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = text

    ours, theirs = _deck(_notes), _deck(python_pptx)
    assert sorted(ours) == sorted(theirs)
    assert [n for n in ours if n.startswith("ppt/notesSlides/notesSlide")] == [
        f"ppt/notesSlides/notesSlide{n}.xml" for n in (1, 2, 3)]
    for name in theirs:
        assert ours[name] == theirs[name], name
    assert b"notes of slide 4" in ours["ppt/notesSlides/notesSlide3.xml"]


def test_notes_written_at_once_are_python_pptx_notes() -> None:
    """Notes text written as XML at once (:meth:`_NotesMaker._write`): the same XML as python-pptx's setter for
    escaped characters, empty lines, spaces, a trailing line break and text outside ASCII; a vertical tab or a
    control character goes python-pptx's way."""
    texts = ["first slide", "a & b < c > d \"q\" 's'\n\nthird « x » — ♥ 漢字 😀", "  spaced  \n", "",
             "\n\nlead", "line\vbreak", "bell\x07 here", "tab\there"]

    def deck(notes: Any) -> dict[str, bytes]:
        prs = Presentation()
        for text in texts:
            notes(prs.slides.add_slide(prs.slide_layouts[5]), text)
        return _saved(prs)

    def python_pptx(slide: Any, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = text

    ours, theirs = deck(_notes), deck(python_pptx)
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        assert ours[name] == theirs[name], name
    assert "« x » — ♥ 漢字 😀".encode() in ours["ppt/notesSlides/notesSlide2.xml"]


def _sheet_xml(rows: list[list[Any]], fast: bool) -> bytes:
    import zipfile

    from openpyxl import Workbook

    from relmap.report.xlsx import _plain_rows

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append(["header"])
    if fast:
        _plain_rows(ws)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_plain_rows_are_openpyxl_rows() -> None:
    """Rows written as one element: the same XML as openpyxl's cell by cell, for every kind of plain value, and
    rows that are not plain (a formula, an error code, a date) still written by openpyxl."""
    import datetime

    rows: list[list[Any]] = [
        ["a", 1, 2.5, True, False, None, "", " lead", "trail ", "a & b < c > d", "line\nbreak\ttab", "cr\r\nlf"],
        ["Ünïcödé — ♥ 漢字 😀", 0, -0.0, 1e20, 0.1 + 0.2, 12345678901234567890, -7, "'quoted'", '"dq"'],
        [None, None, "x"],
        [],
        ["=SUM(A1)", "text"],  # a formula: openpyxl's way
        ["#N/A"],  # an error code: openpyxl's way
        [datetime.date(2024, 1, 2)],  # a date: openpyxl's way
        [float("nan"), "after"],
        ["x" * 40000],  # cut to 32,767 characters by openpyxl
    ]
    fast, slow = _sheet_xml(rows, True), _sheet_xml(rows, False)
    assert fast == slow
    assert b"&#128512;" in fast and b"&amp; b &lt; c &gt; d" in fast and b"cr&#13;" in fast


def test_plain_rows_refuse_what_openpyxl_refuses() -> None:
    """A control character is refused as openpyxl refuses it (the row goes openpyxl's way)."""
    import pytest
    from openpyxl.utils.exceptions import IllegalCharacterError

    with pytest.raises(IllegalCharacterError):
        _sheet_xml([["bell\x07"]], True)


def test_text_box_is_python_pptx_text_box() -> None:
    """A text box written as XML at once is the element python-pptx builds property by property."""
    from lxml import etree
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    from relmap.report.pptx import _text

    def python_pptx(slide: Any, text: str, left: float, top: float, width: float, height: float, *, size: int,
                    bold: bool, colour: tuple[int, int, int]) -> Any:
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        box.text_frame.word_wrap = True
        run = box.text_frame.paragraphs[0].add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, RGBColor(*colour)
        return box

    texts = ["Plain", "a & b < c > d \"q\" 'a'", "bell\x07 cr\r\nlf\ttab", "Ünïcödé — ♥ 😀", ""]
    trees = []
    for make in (_text, python_pptx):
        prs = Presentation()
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        for n, text in enumerate(texts):
            box = make(slide, text, 0.5 + n, 1.25, 3.333, 0.3, size=10 + n, bold=n % 2 == 0, colour=(15, 92, 140))
            assert box.shape_id == n + 3 and box.text_frame.text == box.text_frame.paragraphs[0].runs[0].text
        trees.append(etree.tostring(slide.shapes._spTree))
    assert trees[0] == trees[1]


def test_table_row_is_python_pptx_row() -> None:
    """A table row written as XML at once is the row :func:`relmap.report.pptx._cell` builds through python-pptx;
    a row with a line break is left to it."""
    from lxml import etree
    from pptx.util import Inches, Pt

    from relmap.report.pptx import _cell, _cells_row

    rows = [["Activity", "Hours"], ["a & b <c>", "1,234"], ["", "bell\x07 tab\t"], ["Ünïcödé ♥", " 12 "]]
    numeric = [False, True]
    trees = []
    for fast in (True, False):
        prs = Presentation()
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        grid = slide.shapes.add_table(len(rows), 2, Inches(0.5), Inches(1.5), Inches(6), Inches(2)).table
        for i, (tr, row) in enumerate(zip(grid._tbl.tr_lst, rows, strict=True)):
            size = Pt(11 if i == 0 else 10)
            if not (fast and _cells_row(tr, row, size, bold=i == 0, right=numeric)):
                for j, value in enumerate(row):
                    _cell(grid.cell(i, j), value, size, bold=i == 0, right=numeric[j])
        trees.append(etree.tostring(slide.shapes._spTree))
        assert grid.cell(1, 0).text == "a & b <c>" and grid.cell(2, 0).text == ""
    assert trees[0] == trees[1]
    prs = Presentation()
    grid = prs.slides.add_slide(prs.slide_layouts[5]).shapes.add_table(1, 1, 0, 0, 100, 100).table
    assert not _cells_row(grid._tbl.tr_lst[0], ["two\nlines"], Pt(10), bold=False, right=[False])


def test_title_is_python_pptx_title() -> None:
    """The title placeholder written as XML at once is the one python-pptx sets property by property; a title
    with a line break is left to python-pptx."""
    from lxml import etree
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    from relmap.report.pptx import ACCENT, _title_size, _title_xml

    for title in ("Short & <sweet>", "x" * 100, "bell\x07 and tab\t ♥"):
        trees = []
        for fast in (True, False):
            prs = Presentation()
            shape = prs.slides.add_slide(prs.slide_layouts[5]).shapes.title
            if not (fast and _title_xml(shape, title, 13.333)):
                shape.left, shape.top, shape.width, shape.height = Inches(0.5), Inches(0.5), Inches(12.333), \
                    Inches(0.85)
                shape.text = title
                shape.text_frame.word_wrap = True
                for para in shape.text_frame.paragraphs:
                    para.alignment = 1
                    for run in para.runs:
                        run.font.size, run.font.bold = Pt(_title_size(title)), True
                        run.font.color.rgb = RGBColor(*ACCENT)
            trees.append(etree.tostring(shape._element))
        assert trees[0] == trees[1], title
    prs = Presentation()
    shape = prs.slides.add_slide(prs.slide_layouts[5]).shapes.title
    assert not _title_xml(shape, "two\nlines", 13.333)


def test_chains_started_ahead_give_the_same_deck() -> None:
    """The value chain slides planned and routed ahead in a thread (DeckChains) give the deck built without them,
    byte for byte; chains planned for another scenario are refused."""
    from pathlib import Path

    import pytest

    import relmap
    from relmap.report.pptx import DeckChains, build_deck

    result = relmap.analyze(relmap.load(Path(__file__).parent / "cases/valid/logistics_firm.yaml"))
    lead = result.scenario_result(None).id
    with DeckChains(result, lead=lead, lang="fr") as chains:
        ahead = build_deck(result, lang="fr", chains=chains)
    assert ahead == build_deck(result, lang="fr")
    other = next(s for s in result.scenarios if s != lead)
    with DeckChains(result, lead=other, lang="fr") as chains, pytest.raises(ValueError, match="another"):
        build_deck(result, lang="fr", chains=chains)


def test_chains_planned_in_a_child_give_the_same_deck(monkeypatch: Any) -> None:
    """Planned and routed in a forked child (from FORK_ACTIVITIES activities), the value chain slides are the
    ones planned in a thread, byte for byte; a child that fails leaves the routing, or the planning, to this
    process (same deck);
    with RELMAP_WORKER=0 the thread plans."""
    from pathlib import Path

    import relmap
    from relmap.report import pptx

    result = relmap.analyze(relmap.load(Path(__file__).parent / "cases/valid/logistics_firm.yaml"))
    lead = result.scenario_result(None).id
    with pptx.DeckChains(result, lead=lead, lang="fr") as chains:
        assert chains._forked is None  # a small chain: a thread
        threaded = pptx.build_deck(result, lang="fr", chains=chains)
    monkeypatch.setattr(pptx, "FORK_ACTIVITIES", 0)
    with pptx.DeckChains(result, lead=lead, lang="fr") as chains:
        assert chains._forked is not None
        forked = pptx.build_deck(result, lang="fr", chains=chains)
    assert forked == threaded

    def fails(self: Any) -> Any:
        raise RuntimeError("the child fails")

    monkeypatch.setattr(pptx._ChainRoutes, "send_all", fails)  # plans sent, no route: routed here
    with pptx.DeckChains(result, lead=lead, lang="fr") as chains:
        assert pptx.build_deck(result, lang="fr", chains=chains) == threaded
    monkeypatch.setattr(pptx.DeckChains, "_plan_routed", fails)  # nothing sent: planned here
    with pptx.DeckChains(result, lead=lead, lang="fr") as chains:
        assert chains._forked is not None
        assert pptx.build_deck(result, lang="fr", chains=chains) == threaded
    monkeypatch.setenv("RELMAP_WORKER", "0")
    with pptx.DeckChains(result, lead=lead, lang="fr") as chains:
        assert chains._forked is None and chains._future is not None
        chains.close()  # a child or thread stopped before use: nothing left running


def test_slides_copied_are_python_pptx_slides() -> None:
    """Slides after the first of a layout made from a copy of its new shape tree: the same parts, names,
    relationships and XML as python-pptx's add_slide, each slide its own tree."""
    from relmap.report.pptx import _add_slide, _layout

    def build(fast: bool) -> dict[str, bytes]:
        prs = Presentation()
        for n in range(4):
            names = ("title only",) if n != 2 else ("title slide",)
            slide = _add_slide(prs, *names) if fast else prs.slides.add_slide(_layout(prs, *names))
            slide.shapes.title.text = f"slide {n + 1}"
            slide.shapes.add_textbox(0, 0, 100, 100).text_frame.text = "box"
        return _saved(prs)

    ours, theirs = build(True), build(False)
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        assert ours[name] == theirs[name], name
    assert b"slide 4" in ours["ppt/slides/slide4.xml"] and b"slide 1" not in ours["ppt/slides/slide4.xml"]
