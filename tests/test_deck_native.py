"""The deck's value chain as native shapes (relmap/report/deck_chain.py): labels read back, Graphviz routes
parsed, the fit worked out by hand, and whole decks opened with python-pptx: every stage's activities on its
slides, every shape on the slide, no two boxes overlapping, every text at 7 pt or more and inside its box."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation

import relmap
from relmap.render import layout as lay
from relmap.render.text import wrap
from relmap.report.deck_chain import _sz, frame, label_lines, parse_routes
from relmap.report.pptx import build_deck

ROOT = Path(__file__).resolve().parent.parent
LOGISTICS = ROOT / "tests/cases/valid/logistics_firm.yaml"
needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="Graphviz is not installed")
EMU_PER_PT = 12700


def test_label_lines_by_hand() -> None:
    """Lines end at <BR/> and at each table row; sizes, bold and colours are kept, entities and the doubled
    backslash undone; a coloured cell gives a ■ in its colour and its number in the default colour."""
    label = ('<<FONT POINT-SIZE="14" COLOR="#000000"><B>♥ A &amp; B \\\\N</B></FONT><BR/>'
             '<FONT POINT-SIZE="12" COLOR="#FFFFFF">3 FTE</FONT>>')
    first, second = label_lines(label)
    assert [(r.text, r.pt, r.bold, r.colour) for r in first.runs] == [("♥ A & B \\N", 14.0, True, "000000")]
    assert [(r.text, r.pt, r.bold, r.colour) for r in second.runs] == [("3 FTE", 12.0, False, "FFFFFF")]
    table = ('<<TABLE><TR><TD ALIGN="LEFT"><FONT POINT-SIZE="16"><B>Sales</B></FONT></TD></TR>'
             '<TR><TD BGCOLOR="#009E73"><FONT POINT-SIZE="12" COLOR="#FFFFFF">4</FONT></TD>'
             '<TD BGCOLOR="#56B4E9"><FONT POINT-SIZE="12" COLOR="#000000">2</FONT></TD></TR></TABLE>>')
    title, strip = label_lines(table, "1A1A1A")
    assert title.left and [r.text for r in title.runs] == ["Sales"]
    assert [(r.text.strip(), r.colour) for r in strip.runs if r.text.strip()] == [
        ("■", "009E73"), ("4", "1A1A1A"), ("■", "56B4E9"), ("2", "1A1A1A")]
    assert label_lines("") == []


def test_parse_routes_by_hand() -> None:
    """Two graphs one after the other; an edge's ``pos`` is the arrow's tip ``e,x,y`` then 1 + 3k points;
    edges come back in ``_gvid`` order; a graph with an edge without a route gives None."""
    text = (b'{"edges": [{"_gvid": 1, "pos": "e,5,6 0,0 1,1 2,2 3,3", "lp": "1.5,2"},'
            b' {"_gvid": 0, "pos": "0,0 0,1 0,2 0,3"}]}\n'
            b'{"edges": [{"_gvid": 0, "pos": "0,0 1,1"}]}\n')
    first, second = parse_routes(text)
    assert first is not None and second is None
    assert first[0].points == [(0, 0), (0, 1), (0, 2), (0, 3)] and first[0].tip is None
    assert first[1].points == [(0, 0), (1, 1), (2, 2), (3, 3)] and first[1].tip == (5, 6)
    assert first[1].label_at == (1.5, 2.0)


def test_frame_by_hand() -> None:
    """A 942.4 × 302.4 pt drawing is 1000 × 360 pt with the 28.8 pt pad on each side; the 12.333 × 5.6 in
    area is 887.976 × 403.2 pt, so s = min(887.976 / 1000, 403.2 / 360) = 0.887976: 14 pt text is 12.43 pt.
    The drawing (836.83 × 268.53 pt once scaled) is centred: left 0.5 + (887.976 − 836.83) / 2 / 72 in."""
    plan = lay.Plan(lay.Box("n0", 1, 1), bb=(0.0, 0.0, 942.4, 302.4))
    where = frame(plan, 0.5, 1.35, 12.333, 5.6)
    assert where.scale == pytest.approx(0.887976, abs=1e-6)
    assert where.left == pytest.approx(0.5 + (887.976 - 942.4 * 0.887976) / 2 / 72, abs=1e-6)
    assert where.top == pytest.approx(1.35 + (403.2 - 302.4 * 0.887976) / 2 / 72, abs=1e-6)
    x, y = where.at(0, 302.4)  # the drawing's top-left corner (y grows upwards in the drawing)
    assert (x, y) == (round(where.left * 72 * EMU_PER_PT), round(where.top * 72 * EMU_PER_PT))
    assert 14 * where.scale == pytest.approx(12.4317, abs=1e-4)


def test_font_size_hundredths_by_hand() -> None:
    """⌊100 p⌋: 12.4317 pt → 1243; 6.999 pt → 699; a size judged 7 pt by the rule up to rounding → 700."""
    assert _sz(12.4317) == 1243 and _sz(6.999) == 699 and _sz(7 - 1e-12) == 700 and _sz(7.0) == 700


def _node_shapes(group: Any) -> list[Any]:
    """The boxes of a chain group: shapes with a preset outline (stage boxes, activities, actors)."""
    return [sh for sh in group.shapes if sh._element.xpath("./p:spPr/a:prstGeom[@prst!='rect']")]


def _inside(inner: Any, outer: Any) -> bool:
    return (outer.left <= inner.left and inner.left + inner.width <= outer.left + outer.width
            and outer.top <= inner.top and inner.top + inner.height <= outer.top + outer.height)


def _overlap(a: Any, b: Any) -> bool:
    return (a.left < b.left + b.width and b.left < a.left + a.width
            and a.top < b.top + b.height and b.top < a.top + a.height)


def _em(ch: str) -> float:
    return 0.28 if ch in "·\u00a0\u202f" else lay.char_width(ch)


def _text_fits(shape: Any) -> bool:
    """The text, at its sizes, inside the shape: lines of 1.2 × 0.9 em (line spacing 90 %) no taller than the
    shape, the widest line at the estimated Arial widths (:func:`relmap.render.layout.char_width`) no more than
    10 % wider, "·" and the no-break spaces counted at Arial's 0.28 em. Why 10 %: the boxes are sized by
    Graphviz's own measure of the text, and the estimate is rough (digits and "−" at 0.55–0.6 em); a font
    size off by a tenth would still fail."""
    height = width = 0.0
    for para in shape.text_frame.paragraphs:
        sizes = [r.font.size.pt for r in para.runs if r.text]
        if not sizes:
            continue
        height += max(sizes) * 1.2 * 0.9
        width = max(width, sum(_em(c) * r.font.size.pt for r in para.runs for c in r.text))
    return height * EMU_PER_PT <= shape.height and width * EMU_PER_PT <= shape.width * 1.10


@needs_graphviz
@pytest.mark.slow  # a whole deck
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_native_chain_slides_draw_every_activity_readably(lang: str) -> None:
    result = relmap.analyze(relmap.load(LOGISTICS), draws=20)
    prs = Presentation(io.BytesIO(build_deck(result, lang=lang)))
    names = {s.id: s.name for s in result.stages}
    seen: dict[str, list[str]] = {}
    for slide in prs.slides:
        for group in (sh for sh in slide.shapes if sh.shape_type == 6):
            assert _inside(group, type("Slide", (), {"left": 0, "top": 0, "width": prs.slide_width,
                                                     "height": prs.slide_height})())
            boxes = _node_shapes(group)
            assert boxes
            for k, a in enumerate(boxes):
                assert _inside(a, group), a.name
                assert not any(_overlap(a, b) and not (_inside(a, b) or _inside(b, a)) for b in boxes[k + 1:]), a.name
            for shape in group.shapes:
                if shape.has_text_frame and shape.text_frame.text.strip():
                    assert all(r.font.size is not None and r.font.size.pt >= 7 for p in shape.text_frame.paragraphs
                               for r in p.runs), shape.name
                    assert _text_fits(shape), (shape.name, shape.text_frame.text)
            title = slide.shapes.title.text if slide.shapes.title is not None else ""
            texts = ["\n".join(p.text for p in sh.text_frame.paragraphs) for sh in boxes if sh.has_text_frame]
            for stage_id, name in names.items():
                if title.startswith(name):
                    seen.setdefault(stage_id, []).extend(texts)
    for stage in result.stages:
        acts = [a for a in result.activities if a.stage == stage.id]
        if not acts:
            continue
        drawn = seen.get(stage.id, [])
        for act in acts:  # the activity's wrapped name, line by line, in one box of its stage's slides
            lines = wrap(act.name)
            assert any(all(any(line in t for t in text.split("\n")) for line in lines) for text in drawn), \
                (stage.id, act.name)


def test_wrap_keeps_no_break_spaces_by_hand() -> None:
    """French typography survives wrapping: "préparation\\u202f:" and "17\\u202f%" stay whole (a no-break space
    is no line end and is not turned into a plain space), while ASCII spaces, tabs and new lines separate
    words: 'Entrepôt\\u202f: la suite (17\\u202f%)' at 12 characters gives 'Entrepôt\\u202f:', 'la suite' and
    '(17\\u202f%)'."""
    assert wrap("Entrepôt\u202f: la suite (17\u202f%)", 12) == ["Entrepôt\u202f:", "la suite", "(17\u202f%)"]
    assert wrap("  a \t b\nc ", 24) == ["a b c"]
    assert wrap("12\u00a0400\u00a0h", 24) == ["12\u00a0400\u00a0h"]


@needs_graphviz
@pytest.mark.parametrize("stage", [None, "first"])
def test_bare_drawing_routes_like_the_full_one(stage: str | None) -> None:
    """The routing runs draw the nodes bare (no text, each its placed size, a ``plain`` node a borderless box):
    Graphviz routes every flow exactly as around the full drawing, the overview and a stage in detail."""
    from relmap.render.dot import NodeSizes, best_plan, build_drawing, placed_dot
    from relmap.render.svg import measure_nodes
    from relmap.report.deck_chain import routes

    result = relmap.analyze(relmap.load(LOGISTICS), draws=20)
    lead = result.lead_scenario(None)
    drawing = build_drawing(result, scenario=lead, header=False,
                            stage=result.stages[0].id if stage else None)
    sizes = NodeSizes(measure_nodes).of([drawing])[0]
    plan = best_plan(drawing, sizes)
    full, bare = placed_dot(drawing, sizes, plan=plan), placed_dot(drawing, sizes, plan=plan, bare=True)
    nodes = [line for line in bare.splitlines() if "pos=" in line and "->" not in line]
    assert nodes and not any("label=<" in line or 'shape="plain"' in line for line in nodes)
    assert ('shape="plain"' in full) == (stage is not None)  # a stage's header is a plain node
    assert 'fixedsize="true"' in bare and 'fixedsize' not in full
    found_full, found_bare = routes([full]), routes([bare])
    assert found_full[0] is not None and len(found_full[0]) == len(drawing.edges) > 0
    assert found_bare == found_full


@needs_graphviz
@pytest.mark.slow  # two whole decks
def test_routes_do_not_depend_on_what_graphviz_routed_before() -> None:
    """neato's router keeps state from one graph to the next: the deck's routes come from one process per batch,
    so a deck built after another in the same process, with its batches on whichever routing thread, is the same
    bytes (routing through one long-lived process made the care home's deck differ from run to run)."""
    result = relmap.analyze(relmap.load(ROOT / "examples/care-home/company.yaml"), draws=20)
    first = build_deck(result)
    assert build_deck(result) == first


@needs_graphviz
def test_spliced_group_is_the_parsed_one() -> None:
    """A value chain group kept as XML text and put into its slide when the slide is written (``splices``) is the
    same bytes as the group parsed into the slide: names and labels with ``& < > " '``, markup-like text,
    backslashes and characters outside ASCII, a stage in detail and the overview."""
    import yaml
    from pptx.util import Inches

    from relmap.render.dot import NodeSizes, best_plan, build_drawing
    from relmap.render.svg import measure_nodes
    from relmap.report.deck_chain import chain_group, spliced

    data = yaml.safe_load(LOGISTICS.read_text(encoding="utf-8"))
    odd = ['A & B <c> "q" \'s', "émoji 🙂 Ω", "<b>bold</b> &amp;", "\\back\\slash"]
    for n, item in enumerate(item for key in ("stages", "activities", "actors") for item in data.get(key, [])):
        item["name"] = f"{odd[n % len(odd)]} {item['name']}"
    result = relmap.analyze(relmap.loads(yaml.safe_dump(data, allow_unicode=True)), draws=20)
    lead = result.lead_scenario(None)
    for stage in (None, result.stages[0].id):
        drawing = build_drawing(result, scenario=lead, header=False, stage=stage)
        plan = best_plan(drawing, NodeSizes(measure_nodes).of([drawing])[0])
        where = frame(plan, 0.5, 1.35, 12.3, 5.6)
        blobs, splices = [], {}
        for keep in (None, splices):
            prs = Presentation()
            prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
            slide = prs.slides.add_slide(prs.slide_layouts[6])
            chain_group(slide, drawing, plan, where, odd[0], "fr", None, keep)
            blobs.append(slide.part.blob)
        assert b"<?relmap-chain 0?>" in blobs[1] and len(splices) == 1
        assert spliced(blobs[1], splices) == blobs[0]
        assert "émoji 🙂 Ω".encode() in blobs[0] and b"&lt;b&gt;bold&lt;/b&gt; &amp;amp;" in blobs[0]
