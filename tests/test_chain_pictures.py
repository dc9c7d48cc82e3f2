"""The deck's value chain drawings made once: the placement search, node sizes measured once per distinct node,
the split decided on those sizes, and a stage split again when its text would read under 7 pt."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

import relmap
from relmap.analysis.result import AnalysisResult
from relmap.errors import RenderError
from relmap.render import layout as lay
from relmap.render.dot import (
    Drawing,
    NodeSizes,
    StageGroup,
    StagePart,
    _attrs,
    best_plan,
    build_drawing,
    slide_scale,
    slide_text_pt,
    stage_order,
    stage_splits,
)
from relmap.render.theme import LIGHT

ROOT = Path(__file__).resolve().parent.parent
LOGISTICS = ROOT / "tests/cases/valid/logistics_firm.yaml"
HOTEL = ROOT / "examples/hotel-group/company.yaml"
needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="Graphviz is not installed")


@pytest.fixture(scope="module")
def logistics() -> AnalysisResult:
    return relmap.analyze(relmap.load(LOGISTICS), draws=20)


def _every_candidate(drawing: Drawing, sizes: Mapping[str, tuple[float, float]] | None = None) -> lay.Plan:
    """The placement search as first written: every side choice × primary rows × support rows placed afresh,
    the smallest ``1 / slide_scale`` kept (the first on ties)."""
    size = {nid: (sizes or {}).get(nid, node.est) for nid, node in drawing.nodes.items()}

    def box(nid: str) -> lay.Box:
        return lay.Box(nid, *size[nid])

    def group(spec: StageGroup, rows: int) -> lay.Group:
        cols = lay.split_columns(spec.members, spec.links, rows) if spec.cluster or len(spec.members) > 1 \
            else [spec.members]
        return lay.Group(spec.cluster, box(spec.label) if spec.label else None, [[box(n) for n in c] for c in cols])

    best: tuple[float, lay.Plan] | None = None
    for sides in ("beside", "below", "all beside"):
        left, right = (drawing.left, drawing.right) if sides == "beside" else ([], [])
        bottom = drawing.bottom if sides == "beside" else [*drawing.left, *drawing.right, *drawing.bottom]
        if sides == "all beside":
            if not drawing.bottom or not drawing.stage_detail:
                continue
            left, right, bottom = drawing.left, [*drawing.right, *drawing.bottom], []
        for rows_p in lay.PRIMARY_ROWS:
            for rows_s in lay.SUPPORT_ROWS:
                candidate = lay.place(lay.Plan(
                    header=box(drawing.header), primary=[group(g, rows_p) for g in drawing.primary],
                    support=[group(g, rows_s) for g in drawing.support], left=[box(n) for n in left],
                    right=[box(n) for n in right], bottom=[box(n) for n in bottom]))
                fit = 1 / slide_scale(candidate.bb[2], candidate.bb[3])
                if best is None or fit < best[0] - 1e-9:
                    best = (fit, candidate)
    assert best is not None
    return best[1]


def _where(plan: lay.Plan) -> list[tuple[str, float, float, float, float]]:
    return [(b.id, b.x, b.y, b.w, b.h) for b in lay.all_boxes(plan)] + \
        [(g.cluster or "", *g.bb) for g in plan.primary + plan.support] + [("bb", *plan.bb)]


@pytest.mark.slow  # the full search, the oracle of best_plan
def test_best_plan_is_the_full_search(logistics: AnalysisResult) -> None:
    """Splitting each stage's columns once per row count, sharing the boxes and skipping a split seen already
    gives exactly the placement of the full search (positions, stage boxes, bounding box) on overviews, stages
    in detail and parts, with estimated and with other sizes."""
    hotel = relmap.analyze(relmap.load(HOTEL), draws=20)
    drawings = [build_drawing(hotel, header=False, aggregate=False), build_drawing(hotel, header=False, aggregate=True),
                build_drawing(logistics, header=False)]
    for result in (hotel, logistics):
        for stage in result.stages:
            order = stage_order(result, stage.id)
            drawings.append(build_drawing(result, stage=stage.id, header=False))
            drawings += [build_drawing(result, stage=stage.id, header=False, part=order[k::2]) for k in (0, 1)
                         if order[k::2]]
    for drawing in drawings:
        assert _where(best_plan(drawing)) == _where(_every_candidate(drawing))
        wider = {nid: (node.est[0] * 1.3, node.est[1]) for nid, node in drawing.nodes.items()}
        assert _where(best_plan(drawing, wider)) == _where(_every_candidate(drawing, wider))


Measure = Callable[[str], dict[str, tuple[float, float]]]


def _counting(sizes: dict[str, tuple[float, float]]) -> tuple[list[str], Measure]:
    calls: list[str] = []

    def measure(source: str) -> dict[str, tuple[float, float]]:
        calls.append(source)
        names = [line.split()[0] for line in source.splitlines()[2:-1]]
        return {name: sizes.get(name, (10.0, 20.0)) for name in names}

    return calls, measure


def test_node_sizes_measures_each_distinct_node_once(logistics: AnalysisResult) -> None:
    """Two drawings of the same stage share most nodes: one run measures the distinct ones, a second ask
    measures nothing, ``want`` joins the next run; a failing measure means estimates (None) from then on."""
    whole = build_drawing(logistics, stage="warehouse", header=False)
    order = stage_order(logistics, "warehouse")
    half = build_drawing(logistics, stage="warehouse", header=False, part=order[:5])
    calls, measure = _counting({})
    sizer = NodeSizes(measure)
    first, second = sizer.of([whole, half])
    distinct = {_attrs(n.attrs) for d in (whole, half) for n in d.nodes.values()}
    assert len(calls) == 1 and len(calls[0].splitlines()) == len(distinct) + 3  # header, node defaults, "}"
    assert first is not None and second is not None
    assert set(first) == set(whole.nodes) and set(second) == set(half.nodes)
    assert sizer.of([half]) == [second] and len(calls) == 1
    overview = build_drawing(logistics, header=False)
    sizer.want([overview])
    sizer.of([whole])
    assert len(calls) == 2 and sizer.of([overview])[0] is not None and len(calls) == 2

    def broken(source: str) -> dict[str, tuple[float, float]]:
        raise RenderError("no Graphviz")

    failing = NodeSizes(broken)
    assert failing.of([whole, half]) == [None, None] and failing.measure is None
    assert NodeSizes().of([whole]) == [None]


def test_stage_splits_keeps_what_it_judged(logistics: AnalysisResult) -> None:
    """Each stage's parts cover its activities in flow order, each part reads 7 pt or more on the sizes it was
    judged with, its plan is the best placement of that drawing and those sizes, and ``decided`` hears of every
    stage once, with the same parts."""
    stages = [s.id for s in logistics.stages]
    heard: dict[str, list[StagePart] | None] = {}
    calls, measure = _counting({})
    sizer = NodeSizes(measure)

    def decided(stage: str, parts: list[StagePart] | None) -> None:
        assert stage not in heard
        heard[stage] = parts

    splits = stage_splits(logistics, stages, sizer=sizer, decided=decided)
    assert heard == splits and list(splits) == stages
    for stage, parts in splits.items():
        assert parts is not None
        assert [i for p in parts for i in p.ids] == stage_order(logistics, stage)
        for part in parts:
            assert part.sizes is not None and set(part.sizes) == set(part.drawing.nodes)
            assert slide_text_pt(part.drawing, LIGHT, part.sizes) >= 7
            assert _where(part.plan) == _where(best_plan(part.drawing, part.sizes))
    assert len(calls) == 1  # one run per round of tries, all stages together: every stage fits at once here
    estimated = stage_splits(logistics, ["warehouse"])["warehouse"]
    assert estimated is not None and len(estimated) > 1 and all(p.sizes is None for p in estimated)


@pytest.mark.slow  # whole decks
@needs_graphviz
def test_a_picture_under_7_pt_splits_its_stage_again(logistics: AnalysisResult,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """When a drawing reads under 7 pt on its slide (here: the first stage drawing checked, said to read 6.5 pt;
    the overview is read first), its stage is split once more: the first stage, one slide otherwise, becomes
    parts, every one drawn (as native shapes, one group a slide)."""
    from pptx import Presentation

    import relmap.report.pptx as deck_module

    first = logistics.stages[0]
    assert len(stage_splits(logistics, [first.id])[first.id] or []) == 1
    real = deck_module.chain_text_pt
    calls: list[float] = []

    def once_too_small(prs: object, part: StagePart) -> float:
        calls.append(real(prs, part))
        return 6.5 if len(calls) == 2 else calls[-1]

    monkeypatch.setattr(deck_module, "chain_text_pt", once_too_small)
    prs = Presentation(io.BytesIO(deck_module.build_deck(logistics)))
    titled = [s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text.startswith(first.name)]
    assert len(titled) >= 2
    for k, slide in enumerate(titled, start=1):
        said = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        assert any(t.startswith(f"Part {k} of {len(titled)}:") for t in said), said
        assert [sh for sh in slide.shapes if sh.shape_type == 6]
