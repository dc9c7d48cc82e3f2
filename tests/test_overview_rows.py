"""The stage overview wraps its stages into rows when one row would be unreadable on a slide."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

import relmap
from relmap.render import layout as lay
from relmap.render.dot import WRAP_FROM, Drawing, StageGroup, best_plan, build_drawing, slide_text_pt, stage_rows
from relmap.render.labels import Node
from relmap.render.theme import LIGHT

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import synth


def _overview(n: int) -> Drawing:
    """A header and ``n`` stage boxes in one band, each box 240 × 90 pt."""
    drawing = Drawing(header="h")
    drawing.nodes["h"] = _node(200, 40)
    for i in range(n):
        nid = f"s{i}"
        drawing.nodes[nid] = _node(240, 90)
        drawing.primary.append(StageGroup(None, {}, None, [nid]))
    return drawing


def _node(w: float, h: float) -> Node:
    return Node(attrs={}, est=(w, h))


def test_rows_tried_by_hand() -> None:
    """8 stages: one row, ⌈8/2⌉ = 4 and ⌈8/3⌉ = 3 a row; 6: 0, 3 (⌈6/3⌉ = 2 is under 3 a row); 5: one row only;
    a stage drawn as a cluster (a detail): one row only."""
    assert stage_rows(_overview(8)) == [0, 4, 3]
    assert stage_rows(_overview(6)) == [0, 3]
    assert stage_rows(_overview(WRAP_FROM - 1)) == [0]
    detail = _overview(8)
    detail.primary[0] = StageGroup("cluster_0", {}, "s0", ["s0"])
    assert stage_rows(detail) == [0]


def test_eight_boxes_in_two_rows_by_hand() -> None:
    """8 boxes of 240 pt in a row are 8 × 240 + 7 gaps wide; in rows of 4 about half: the plan with the larger
    slide scale is chosen, and it is wrapped."""
    plan = best_plan(_overview(8))
    assert plan.per_row in (3, 4)
    xs = sorted({round(g.bb[0]) for g in plan.primary})
    assert len(xs) == plan.per_row
    rows = sorted({round(g.bb[1]) for g in plan.primary})
    assert len(rows) == math.ceil(8 / plan.per_row)
    one_row = lay.place(lay.Plan(header=lay.Box("h", 200, 40),
                                 primary=[lay.Group(None, None, [[lay.Box(f"s{i}", 240, 90)]]) for i in range(8)]))
    assert plan.bb[2] < one_row.bb[2] / 1.5


@pytest.mark.slow  # analyses 300 activities
def test_overview_of_300_activities_is_readable_on_a_slide(tmp_path: Path) -> None:
    """The synthetic company of 300 activities in 8 stages: its overview (the deck's chain slide) was 6.1 pt on
    one row; wrapped, its smallest text is at 7 pt or more."""
    result = relmap.analyze(relmap.load(synth.write(300, tmp_path / "company.yaml", seed=0)), draws=20)
    overview = build_drawing(result, header=False, aggregate=True)
    assert stage_rows(overview) != [0]
    assert slide_text_pt(overview, LIGHT) >= 7
