"""deck.pptx and activities.xlsx, opened back with python-pptx and openpyxl."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pptx import Presentation
from pptx.util import Emu
from report_fixture import CHAIN_YAML, HOSTILE, make_result

import relmap
from relmap.render import render_view
from relmap.report.pptx import build_deck, png_size
from relmap.report.xlsx import build_workbook

SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"


@pytest.fixture(scope="module")
def diagrams() -> tuple[dict[str, str], dict[str, bytes]]:
    """Real diagrams of the fixture (Graphviz and matplotlib)."""
    result = make_result()
    svgs = {v: render_view(result, v).decode("utf-8") for v in ("value-chain", "matrix")}
    pngs = {v: render_view(result, v, fmt="png") for v in ("value-chain", "matrix")}
    return svgs, pngs


@pytest.fixture(scope="module")
def deck(diagrams: tuple[dict[str, str], dict[str, bytes]]) -> bytes:
    svgs, pngs = diagrams
    return build_deck(make_result(), svgs=svgs, pngs=pngs)


def _by_kicker(prs: Any, kicker: str) -> list[Any]:
    """The slides whose small kicker (section name, upper case) is ``kicker``."""
    return [s for s in prs.slides if any(sh.has_text_frame and sh.text_frame.text == kicker.upper()
                                         for sh in s.shapes)]


def test_deck_slides_pictures_tables_and_chart(deck: bytes) -> None:
    prs = Presentation(io.BytesIO(deck))
    assert (prs.slide_width, prs.slide_height) == (Emu(12191695), Emu(6858000))  # 16:9
    [chain] = _by_kicker(prs, "The value chain")
    groups = [s for s in chain.shapes if s.shape_type == 6]  # the chain as native shapes, one group
    assert [g.name for g in groups] == ["Value chain"]
    texts = [sh.text_frame.text for sh in groups[0].shapes if sh.has_text_frame]
    assert any(HOSTILE in t for t in texts)  # the stage's name, as plain text
    for sh in groups[0].shapes:
        assert sh.left >= 0 and sh.left + sh.width <= prs.slide_width
        assert sh.top >= 0 and sh.top + sh.height <= prs.slide_height
    pictures = [s for slide in _by_kicker(prs, "What AI can take over") for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    for pic in pictures:
        assert pic.image.content_type == "image/png"
        blips = pic._element.xpath(".//a:blip")
        svg_blip = blips[0].find(f".//{SVG_BLIP}")
        assert svg_blip is not None
        r_id = svg_blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        part = pic.part.related_part(r_id)
        assert part.content_type == "image/svg+xml" and part.blob.lstrip().startswith(b"<svg")
        assert pic.left >= 0 and pic.left + pic.width <= prs.slide_width
        assert pic.top >= 0 and pic.top + pic.height <= prs.slide_height
    [goods] = _by_kicker(prs, "Relational goods")
    tables = [s for s in goods.shapes if s.has_table]
    assert len(tables) == 1
    table = tables[0].table
    assert len(table.rows) == 3  # header + two relational goods
    assert any(HOSTILE in cell.text for row in table.rows for cell in row.cells)
    assert tables[0].left + tables[0].width <= prs.slide_width
    [plan] = _by_kicker(prs, "Reinvestment plan")
    charts = [s for s in plan.shapes if s.has_chart]
    assert len(charts) == 1
    chart = charts[0].chart
    assert [s.name for s in chart.plots[0].series] == ["Base"]  # the lead scenario only, as in the bullets
    assert "Base" in chart.chart_title.text_frame.text
    assert chart.value_axis.tick_labels.number_format == "#,##0"
    for kicker in ("Automation candidates", "Scenarios side by side"):
        [slide] = _by_kicker(prs, kicker)
        assert [s for s in slide.shapes if s.has_table], kicker


@pytest.mark.slow  # three whole decks
def test_deck_is_byte_identical_and_french(diagrams: tuple[dict[str, str], dict[str, bytes]], deck: bytes) -> None:
    svgs, pngs = diagrams
    assert build_deck(make_result(), svgs=svgs, pngs=pngs) == deck
    infos = zipfile.ZipFile(io.BytesIO(deck)).infolist()
    assert {i.date_time for i in infos} == {(2000, 1, 1, 0, 0, 0)}
    fr = Presentation(io.BytesIO(build_deck(make_result(), svgs=svgs, pngs=pngs, lang="fr")))
    assert _by_kicker(fr, "Chiffres clés") and _by_kicker(fr, "Plan de réinvestissement")
    [plan] = _by_kicker(fr, "Plan de réinvestissement")
    chart = next(s for s in plan.shapes if s.has_chart).chart
    assert chart.value_axis.tick_labels.number_format == '[>=1000000]#"\u00a0"###"\u00a0"##0;[>=1000]#"\u00a0"##0;0'


def test_deck_without_diagrams_says_why() -> None:
    prs = Presentation(io.BytesIO(build_deck(make_result(), missing={"matrix": "dot crashed"})))
    [matrix] = _by_kicker(prs, "What AI can take over")
    texts = [sh.text_frame.text for sh in matrix.shapes if sh.has_text_frame]
    assert any("Diagram not available: dot crashed" in t for t in texts)


def test_deck_uses_a_firm_template(tmp_path: Path, deck: bytes) -> None:
    template = tmp_path / "firm.pptx"
    template.write_bytes(deck)  # any deck works as a template: its slides are dropped, its layouts kept
    prs = Presentation(io.BytesIO(build_deck(make_result(), template=template)))
    assert len(prs.slides) == len(Presentation(io.BytesIO(deck)).slides)


def test_png_size_reads_the_header_only() -> None:
    png = render_view(make_result(), "reinvestment", fmt="png")
    width, height = png_size(png)
    assert width > 100 and height > 100


def test_workbook_sheets_tables_validation_and_comments() -> None:
    chain = relmap.loads(CHAIN_YAML)
    data = build_workbook(make_result(), chain=chain)
    assert data == build_workbook(make_result(), chain=chain)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["activities", "company", "stages", "actors", "flows", "scenarios", "policy",
                             "transfers", "thresholds", "assumptions", "tasks", "roles", "role_moves"]
    ws = wb["activities"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["id", "name", "stage"] and "quadrant" in header and "hours_freed" in header
    assert ws.freeze_panes == "B2"
    assert list(ws.tables) == ["t_activities"]
    assert ws["A1"].comment is not None and "Identifier" in ws["A1"].comment.text
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "decimal"} <= kinds
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["billing"][header.index("automatability")] == "0.6..0.8"
    assert rows["billing"][header.index("quadrant")] == "automate"
    for name in wb.sheetnames:
        assert wb[name].freeze_panes in ("A2", "B2") and len(wb[name].tables) == 1


def test_workbook_keeps_formula_like_text_as_text() -> None:
    chain = relmap.loads(CHAIN_YAML.replace("name: Back office", 'name: "=HYPERLINK(1)"'))
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(chain)))
    cell = wb["stages"]["B3"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


def test_deck_fetches_the_drawings_once_before_the_matrix(diagrams: tuple[dict[str, str], dict[str, bytes]],
                                                          deck: bytes) -> None:
    """``drawn`` is called once, before the matrix slide, which is built after every slide that needs no drawing;
    the value chain slides, whose routes come from Graphviz, are built last, after ``meanwhile`` (the reports'
    turn); both are put back in their place and the deck is the same bytes as with the drawings given up front."""
    import relmap.report.pptx as deck_module

    svgs, pngs = diagrams
    order: list[str] = []
    real_chain, real_titled = deck_module._chain_slides, deck_module._titled
    titled: list[object] = []

    def chain_slides(*args: object, **kwargs: object) -> None:
        order.append("chain")
        real_chain(*args, **kwargs)  # type: ignore[arg-type]

    def counted(*args: object, **kwargs: object) -> object:
        titled.append(args[1])
        return real_titled(*args, **kwargs)  # type: ignore[arg-type]

    def drawn() -> tuple[dict[str, str], dict[str, bytes], dict[str, str]]:
        order.append(f"drawn after {len(titled)}")
        return svgs, pngs, {}

    deck_module._chain_slides = chain_slides  # type: ignore[assignment]
    deck_module._titled = counted  # type: ignore[assignment]
    try:
        assert build_deck(make_result(), drawn=drawn, meanwhile=lambda: order.append("meanwhile")) == deck
    finally:
        deck_module._chain_slides, deck_module._titled = real_chain, real_titled
    slides = Presentation(io.BytesIO(deck)).slides
    names = [[shape.name for shape in slide.shapes] for slide in slides]
    chain = [k for k, slide in enumerate(names) if "Value chain" in slide]
    # the drawings are fetched once every slide but the matrix and the value chains is built (titled slides:
    # all but the title slide), then the value chains are built
    assert order == [f"drawn after {len(names) - 1 - 1 - len(chain)}", "meanwhile", "chain"]
    assert chain[0] == 2  # in their place: after the title and key figures slides
    pictures = [k for k, slide in enumerate(slides) if any(sh.shape_type == 13 for sh in slide.shapes)]
    assert pictures == [chain[-1] + 1]  # the matrix's picture, in its place: right after the value chains
