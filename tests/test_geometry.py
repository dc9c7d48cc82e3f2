"""Geometric checks on the rendered SVGs: no text is crossed by a leader or threshold line (matrix), no flow
runs through a box it does not join (value chain).

The five examples, a 33-activity French notary office written for this test
(tests/cases/valid/notary_office_fr.yaml) and a 24-activity logistics firm
(tests/cases/valid/logistics_firm.yaml), in both languages for the matrix.
Lines are found by the ids set when drawing (``gid``: ``leader-N``,
``threshold-…``); text boxes are measured with matplotlib's font metrics (see
tests/svg_geometry.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from quick import first_quick
from svg_geometry import SVG, crosses, crossing_pairs, lines_in_groups, path_segments, text_boxes

import relmap
from relmap.analysis.result import AnalysisResult
from relmap.render import render_view
from relmap.render.dot import max_overview
from relmap.render.matrix import segment_hits_box

ROOT = Path(__file__).resolve().parent.parent
# the notary office (French, 32 activities) and the care home first: make test draws those two, CI every file
FILES = [ROOT / "tests/cases/valid/notary_office_fr.yaml", ROOT / "examples/care-home/company.yaml",
         *sorted(p for p in (ROOT / "examples").glob("*/company.yaml") if p.parent.name != "care-home"),
         ROOT / "tests/cases/valid/logistics_firm.yaml"]
NOTARY = FILES[0]


@pytest.fixture(scope="module", params=first_quick(FILES, 2, lambda p: p.parent.name if p.name == "company.yaml"
                                                   else p.stem))
def result(request: pytest.FixtureRequest) -> AnalysisResult:
    return relmap.analyze(relmap.load(request.param), draws=20)


def test_segment_hits_box_by_hand() -> None:
    """A diagonal through the unit square crosses it; one passing beside it or stopping short does not."""
    box = (0.0, 0.0, 1.0, 1.0)
    assert segment_hits_box((-1.0, -1.0, 2.0, 2.0), box)
    assert segment_hits_box((0.5, -3.0, 0.5, 0.1), box)  # ends inside
    assert not segment_hits_box((-1.0, 2.0, 2.0, 1.5), box)  # above
    assert not segment_hits_box((-3.0, 0.5, -0.1, 0.5), box)  # stops short
    assert not segment_hits_box((1.5, -1.0, 3.0, 1.0), box)  # beside, slanted


def test_crossing_pairs_equals_every_pair_checked() -> None:
    """The filtered search finds exactly the pairs ``crosses`` finds one by one: random segments and boxes, some
    touching, some degenerate (a point, a vertical or horizontal segment, a box thinner than the shrink)."""
    import random

    rng = random.Random(3)
    grid = [float(v) for v in range(0, 41, 2)]  # shared coordinates: segments end on box edges
    segs = [(rng.choice(grid), rng.choice(grid), rng.choice(grid), rng.choice(grid)) for _ in range(400)]
    segs += [(5.0, 5.0, 5.0, 5.0), (3.0, 0.0, 3.0, 40.0), (0.0, 7.0, 40.0, 7.0)]
    boxes = []
    for _ in range(150):
        x0, y0 = rng.choice(grid), rng.choice(grid)
        boxes.append((x0, y0, x0 + rng.choice([1.0, 2.0, 4.0, 10.0]), y0 + rng.choice([1.5, 2.0, 6.0])))
    expected = [(i, j) for i, seg in enumerate(segs) for j, box in enumerate(boxes) if crosses(seg, box)]
    assert 100 < len(expected) < len(segs) * len(boxes) // 4
    assert crossing_pairs(segs, boxes) == expected
    assert crossing_pairs(segs, boxes, shrink=0.0) == [
        (i, j) for i, seg in enumerate(segs) for j, box in enumerate(boxes) if crosses(seg, box, 0.0)]


@pytest.mark.parametrize("lang", ["en", pytest.param("fr", marks=pytest.mark.slow)])  # fr: make test-slow
def test_matrix_no_text_crossed_by_leader_or_threshold(result: AnalysisResult, lang: str) -> None:
    svg = render_view(result, "matrix", lang=lang)
    lines = lines_in_groups(svg, r"-(leader-\d+|threshold-\w+)$")
    assert any("threshold" in gid for gid in lines), "the threshold lines carry their ids"
    boxes = text_boxes(svg)
    assert len(boxes) > 30
    segs = [(gid, seg) for gid, group in lines.items() for seg in group]
    pairs = crossing_pairs([seg for _gid, seg in segs], [box.box for box in boxes])
    bad = [(boxes[j].text, segs[i][0]) for i, j in pairs]
    assert not bad, bad


def _edges_through_boxes(svg: bytes) -> list[tuple[str, str]]:
    boxes = text_boxes(svg)
    segs: list[tuple[str, set[str], tuple[float, float, float, float]]] = []
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") != "edge":
            continue
        title = g.find(f"{SVG}title")
        assert title is not None and title.text is not None
        ends = {f"node:{n}" for n in title.text.split("->")}
        segs += [(title.text, ends, seg) for path in g.iter(f"{SVG}path") for seg in path_segments(path.get("d", ""))]
    pairs = crossing_pairs([seg for _t, _e, seg in segs], [b.box for b in boxes])
    return [(segs[i][0], boxes[j].text) for i, j in pairs
            if boxes[j].owner not in segs[i][1] and not boxes[j].owner.startswith("edge:")]


def test_value_chain_no_flow_through_other_text(result: AnalysisResult) -> None:
    """The overview and the chain in detail: a flow or touch line crosses no text but its ends' own."""
    overview = render_view(result, "value-chain")
    assert not _edges_through_boxes(overview)
    with max_overview(10_000):
        detail = render_view(result, "value-chain")
    assert detail != overview
    assert not _edges_through_boxes(detail)


def test_touches_draw_a_line_to_actors_without_flows() -> None:
    """Mairies and Chambre des notaires are reached only through ``touches``: each gets a thin line."""
    from relmap.render.dot import build_drawing

    notary = relmap.analyze(relmap.load(NOTARY), draws=20)
    for aggregate in (False, True):
        drawing = build_drawing(notary, aggregate=aggregate, lang="fr")
        names = {nid: str(node.attrs["label"]) for nid, node in drawing.nodes.items()}
        for actor in ("Mairies", "Chambre des notaires"):
            nid = next(n for n, label in names.items() if f">{actor}<" in label)
            joined = [attrs for a, b, attrs in drawing.edges if nid in (a, b)]
            assert joined and all(attrs.get("arrowhead") == "none" for attrs in joined), actor


def test_slide_scale_by_hand() -> None:
    """1,000 × 400 pt plus 57.6 pt of pad into 12.33 × 5.6 in (887.76 × 403.2 pt):
    min(887.76 / 1057.6, 403.2 / 457.6) = min(0.8394, 0.8811) = 0.8394."""
    from relmap.render.dot import slide_scale

    assert slide_scale(1000, 400) == pytest.approx(0.8394, abs=1e-4)


def test_overview_rule_and_override() -> None:
    """33 activities: 12 pt box text would be under 7 pt on a slide, so the overview is by stage;
    ``max_overview(40)`` draws them one by one; ``max_overview(10)`` aggregates again."""
    from relmap.render.dot import best_plan, build_drawing, overview_aggregated, slide_scale
    from relmap.render.theme import LIGHT

    notary = relmap.analyze(relmap.load(NOTARY), draws=20)
    plan = best_plan(build_drawing(notary, aggregate=False, header=False))
    assert LIGHT.small_size * slide_scale(plan.bb[2], plan.bb[3]) < 7
    assert overview_aggregated(notary)
    with max_overview(40):
        assert not overview_aggregated(notary)
    with max_overview(10):
        assert overview_aggregated(notary)


@pytest.mark.slow  # the render command twice
def test_cli_max_overview_draws_the_detail(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from relmap.cli import main

    for limit, clusters in (("100", True), ("5", False)):
        out = tmp_path / limit
        run = CliRunner().invoke(main, ["render", str(NOTARY), "-o", str(out), "--view", "value-chain",
                                        "--max-overview", limit])
        assert run.exit_code == 0, run.output
        assert ("subgraph cluster_" in (out / "value-chain.dot").read_text(encoding="utf-8")) is clusters
