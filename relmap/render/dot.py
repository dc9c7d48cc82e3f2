"""The value chain as Graphviz DOT text: a pure function of an :class:`AnalysisResult`.

Look: the primary stages are boxes in their order, left to right, all in one
band; support stages are a dashed, tinted band below; suppliers on the left,
customers on the right, partners, communities and regulators at the bottom,
each actor kind with its own shape (see :mod:`relmap.render.layout` for the
placement and why it is not left to ``dot``). Activities are coloured by
quadrant (Okabe–Ito); relational goods carry a ♥ and a bold dark border;
flags are written in the node and drawn on its border (relay at risk: dashed
vermillion; invisible work: dotted). Flows are styled by kind and get thicker
with volume. The title, the subtitle (company, scenario, date of the data)
and the legend sit in a header above the chain, never over it.

The DOT carries positions (``pos``, cluster ``bb``): render it with
``neato -n2``, which keeps them and routes the flows around the boxes (straight
lines under the boxes past :data:`ROUTE_UP_TO` edges × nodes: routing explodes).

Node ids are synthetic (``n0``, ``n1``…); user text only ever appears,
escaped by :func:`relmap.render.text.dot_html`, inside HTML-like labels —
never in ids, URLs, tooltips or font names.

When the detailed chain would put its box text under :data:`MIN_SLIDE_PT`
on a 16:9 slide (see :func:`readable`), the overview draws one box per stage
(``--max-overview N`` sets a count instead); ``stage=ID`` draws that stage
in detail with its neighbours collapsed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..analysis.result import ActivityResult, ActorInfo, AnalysisResult, FlowInfo, ScenarioResult
from ..i18n import _, get_language, language
from . import layout as lay
from .labels import (
    ACTOR_SHAPES,
    WRAP_WIDTH,
    Line,
    Node,
    activity_node,
    actor_kind_names,
    edge_attrs,
    header_node,
    rows,
    stage_box,
    stage_label,
    touch_attrs,
)
from .text import wrap
from .theme import FONT, Theme, get_theme

#: The overview aggregates by stage when its box text would be smaller than this on a slide, in points.
MIN_SLIDE_PT = 7.0
#: Where a diagram goes on a 16:9 slide (13.33 × 7.5 in less the margins, the title and the legend), in
#: inches: the deck's picture area (:data:`relmap.report.pptx.PICTURE_H` is this height).
SLIDE_AREA_IN = (12.33, 5.6)
#: Graphviz's ``pad`` around the drawing, in points (``pad="0.4"``, both sides).
PAD_PT = 2 * 0.4 * 72
#: ``--max-overview N``: when set, the overview aggregates by stage above N activities instead of the rule.
MAX_OVERVIEW: ContextVar[int | None] = ContextVar("relmap_max_overview", default=None)
NO_STAGE = ""
#: Graphviz command that renders the DOT written here.
ENGINE = ("neato", "-n2")
#: Flows are routed around the boxes (``splines=true``) while edges × nodes stays below this; beyond, they
#: are straight lines under the boxes. Why: routing time grows far faster than edges × nodes (a fraction of a
#: second for a 1,000-activity overview, minutes for 10,000) while straight lines cost the same at any size.
ROUTE_UP_TO = 10_000

Sizes = Mapping[str, tuple[float, float]]


@dataclass
class StageGroup:
    """A stage to draw: a cluster (with its label node and activities) or a single collapsed box."""

    cluster: str | None
    style: dict[str, str]
    label: str | None
    members: list[str]
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Drawing:
    """What :func:`value_chain_dot` draws, before placement."""

    header: str
    nodes: dict[str, Node] = field(default_factory=dict)
    primary: list[StageGroup] = field(default_factory=list)
    support: list[StageGroup] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)
    bottom: list[str] = field(default_factory=list)
    edges: list[tuple[str, str, dict[str, str | float]]] = field(default_factory=list)
    background: str = "#FFFFFF"
    #: one stage in detail (``stage=``): partners and regulators may also stand in the right column
    stage_detail: bool = False

    def add(self, node: Node) -> str:
        """Add a node; returns its synthetic id."""
        node_id = f"n{len(self.nodes)}"
        self.nodes[node_id] = node
        return node_id


# --------------------------------------------------------------------------- building


def build_drawing(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                  lang: str = "en", stage: str | None = None, aggregate: bool | None = None,
                  header: bool = True, part: Sequence[str] | None = None) -> Drawing:
    """Nodes, stage groups and edges of the value chain, before placement.

    Without ``header`` the title, subtitle and legend are left out (an
    invisible point holds their place): the deck writes them as slide text.
    With ``stage`` and ``part`` (ids of some of the stage's activities, see
    :func:`stage_parts`), only those are drawn in detail; the stage's other
    activities, when a flow joins them to the part, are one box ("the rest of
    the stage"), and only the neighbours the part is joined to are drawn.

    Raises:
        KeyError: unknown ``scenario`` or ``stage``.
    """
    th = get_theme(theme)
    with language(lang):
        scen = result.scenario_or_none(scenario)
        stage_ids = {s.id for s in result.stages}
        if stage is not None and stage not in stage_ids:
            raise KeyError(stage)
        stage_name = next((s.name for s in result.stages if s.id == stage), None)

        def draw(detailed: set[str]) -> Drawing:
            drawing = Drawing(header="", background=th.background, stage_detail=stage is not None)
            head = header_node(result, scen, th, lang, stage_name) if header else Node(
                {"label": "", "shape": "point", "style": "invis"}, (1.0, 1.0))
            drawing.header = drawing.add(head)  # always n0
            _fill(drawing, result, scen, th, lang, detailed, stage, set(part) if part is not None else None)
            return drawing

        if stage is not None:
            return draw({stage})
        limit = MAX_OVERVIEW.get()
        if aggregate is None and limit is not None:
            aggregate = len(result.activities) > limit
        if aggregate or (aggregate is None and not may_be_readable(result, th)):
            return draw(set())
        full = draw(stage_ids | {NO_STAGE})
        if aggregate is None:
            bare = full if not header else build_drawing(result, scenario=scenario, theme=th, lang=lang,
                                                         aggregate=False, header=False)
            if not readable(bare, th):
                return draw(set())
        return full


@contextmanager
def max_overview(limit: int | None) -> Iterator[None]:
    """Within the block, the overview aggregates by stage above ``limit`` activities (None: the readability rule)."""
    token = MAX_OVERVIEW.set(limit)
    try:
        yield
    finally:
        MAX_OVERVIEW.reset(token)


def slide_scale(width: float, height: float) -> float:
    """How much a ``width × height`` pt drawing (plus Graphviz's pad) is scaled to fit the slide area.

    ``scale = min(W_area / (width + pad), H_area / (height + pad))`` with the
    area :data:`SLIDE_AREA_IN` in points (72 a inch).
    """
    area_w, area_h = SLIDE_AREA_IN[0] * 72, SLIDE_AREA_IN[1] * 72
    return min(area_w / (width + PAD_PT), area_h / (height + PAD_PT))


def readable(drawing: Drawing, theme: Theme) -> bool:
    """Would the smallest text (:func:`smallest_text`) stay at :data:`MIN_SLIDE_PT` or more on a slide?

    ``drawing`` is the chain as the deck shows it: without its header (see :func:`build_drawing`).

    Rule: ``smallest text × slide_scale(drawing) ≥ MIN_SLIDE_PT`` (see :func:`slide_text_pt`). First a cheap
    bound: the boxes' total area, scaled, must fit the slide area (it never
    does for thousands of activities, so those are not placed in detail at
    all); then the real placement (estimated sizes) decides.
    Why not a fixed count: readability depends on the names, the stages and
    the actors, not on the number of activities alone.
    """
    return slide_text_pt(drawing, theme) >= MIN_SLIDE_PT - 1e-9


def slide_text_pt(drawing: Drawing, theme: Theme, sizes: Sizes | None = None) -> float:
    """The smallest text of ``drawing`` on a slide, in points: ``smallest_text × slide_scale(best plan)``.

    0.0 when even the cheap bound fails (the boxes' total area at 7 pt exceeds the slide area: not placed).
    """
    return _slide_text(drawing, theme, sizes)[0]


def _slide_text(drawing: Drawing, theme: Theme, sizes: Sizes | None) -> tuple[float, lay.Plan | None]:
    """:func:`slide_text_pt` and the placement it was read on (None when the cheap bound failed)."""
    small = smallest_text(drawing, theme)
    scale = MIN_SLIDE_PT / small
    area = sum(node.est[0] * node.est[1] for node in drawing.nodes.values())
    if area * scale * scale > SLIDE_AREA_IN[0] * SLIDE_AREA_IN[1] * 72 * 72:
        return 0.0, None
    plan = best_plan(drawing, sizes)
    return small * slide_scale(plan.bb[2], plan.bb[3]), plan


_POINT_SIZE = re.compile(r'POINT-SIZE="([0-9.]+)"')


def smallest_text(drawing: Drawing, theme: Theme) -> float:
    """The smallest font size in points written in the drawing's labels (nodes and flow captions).

    Why read the labels: the rule must hold for every text drawn, not for the size the theme calls small.
    ``theme.small_size`` when no label names a size.
    """
    labels = [str(node.attrs.get("label", "")) for node in drawing.nodes.values()]
    labels += [str(attrs.get("label", "")) for _a, _b, attrs in drawing.edges]
    found = [float(m) for label in labels for m in _POINT_SIZE.findall(label)]
    return min(found, default=theme.small_size)


def may_be_readable(result: AnalysisResult, theme: Theme) -> bool:
    """A cheap first test of :func:`readable`, from the names alone: False when even the smallest boxes the
    activities could have (their wrapped name and one line of figures) would not fit the slide at 7 pt.

    Why: building every label (numbers formatted per language) is the costly part of a drawing; a chain of
    thousands is decided here without it.
    """
    scale = MIN_SLIDE_PT / theme.small_size
    room = SLIDE_AREA_IN[0] * SLIDE_AREA_IN[1] * 72 * 72 / (scale * scale)
    area = 0.0
    for act in result.activities:
        lines: list[Line] = [(line, theme.label_size, True) for line in wrap(act.name, WRAP_WIDTH)]
        w, h = lay.estimate([*lines, ("0 FTE · 0 h", theme.small_size, False)])
        area += w * h
        if area > room:
            return False
    return True


def overview_aggregated(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                        lang: str = "en") -> bool:
    """Does the overview of ``result`` draw one box per stage (see :func:`readable` and :data:`MAX_OVERVIEW`)?

    The decision of :func:`build_drawing`, without drawing the overview itself.
    """
    limit = MAX_OVERVIEW.get()
    if limit is not None:
        return len(result.activities) > limit
    th = get_theme(theme)
    if not may_be_readable(result, th):
        return True
    return not readable(build_drawing(result, scenario=scenario, theme=th, lang=lang, aggregate=False, header=False),
                        th)


#: At most this many parts (slides) for one stage; a stage needing more is not drawn in the deck (its slide
#: says so and names ``relmap render --stage ID``).
MAX_STAGE_PARTS = 6


def stage_order(result: AnalysisResult, stage: str) -> list[str]:
    """The stage's activity ids in flow order, as its columns are filled (:func:`.layout.split_columns`)."""
    ids = [a.id for a in result.activities if a.stage == stage]
    inside = set(ids)
    links = [(f.from_, f.to) for f in result.flows if f.from_ in inside and f.to in inside]
    return [i for col in lay.split_columns(ids, links, max(1, len(ids))) for i in col]


def split_evenly(ids: Sequence[str], k: int) -> list[list[str]]:
    """``ids`` cut into ``k`` consecutive parts whose sizes differ by one at most (the larger ones first).

    Part ``j`` (from 0) holds ``⌊n/k⌋ + (1 if j < n mod k else 0)`` ids: 9 ids in 2 parts → 5 and 4.
    """
    n = len(ids)
    k = max(1, min(k, n)) if n else 1
    base, extra = divmod(n, k)
    out: list[list[str]] = []
    start = 0
    for j in range(k):
        size = base + (1 if j < extra else 0)
        out.append(list(ids[start:start + size]))
        start += size
    return out


@dataclass
class StagePart:
    """One slide's picture of a stage: the activities drawn in detail (all of them when the stage is one part),
    the drawing, the node sizes it was judged with (None: the estimates) and its placement."""

    ids: list[str]
    drawing: Drawing
    sizes: Sizes | None
    plan: lay.Plan


class NodeSizes:
    """Nodes' sizes as Graphviz draws them, measured once per distinct node for many drawings at once.

    Two nodes with the same attributes (label, shape, margins…) have the same size whatever their id or
    drawing, so each distinct node is measured once; :meth:`of` measures every node not seen yet in one run of
    ``measure`` (e.g. :func:`relmap.render.svg.measure_nodes`: ``dot -Tjson0``). Without ``measure``, or once it
    has failed (:class:`relmap.errors.RenderError`), every drawing gets None: the estimates.
    """

    def __init__(self, measure: Callable[[str], Mapping[str, tuple[float, float]]] | None = None) -> None:
        self.measure = measure
        self.known: dict[str, tuple[float, float]] = {}
        self._wanted: dict[str, None] = {}

    def want(self, drawings: Sequence[Drawing]) -> None:
        """Measure these drawings' nodes with the next :meth:`of` (one Graphviz run for both)."""
        for drawing in drawings:
            self._wanted.update(dict.fromkeys(_attrs(n.attrs) for n in drawing.nodes.values()))

    def of(self, drawings: Sequence[Drawing]) -> list[Sizes | None]:
        """Each drawing's node sizes by node id (None for all when nothing can be measured)."""
        from ..errors import RenderError

        keys = [{nid: _attrs(node.attrs) for nid, node in d.nodes.items()} for d in drawings]
        for ids in keys:
            self._wanted.update(dict.fromkeys(ids.values()))
        new = [k for k in self._wanted if k not in self.known]
        self._wanted = {}
        if self.measure is None:
            return [None] * len(drawings)
        if new:
            lines = ["digraph measure {", f'  node [fontname="{FONT}"];']
            lines += [f"  m{i} {key};" for i, key in enumerate(new)]
            try:
                got = self.measure("\n".join([*lines, "}"]) + "\n")
            except RenderError:
                self.measure = None
                return [None] * len(drawings)
            self.known.update((key, got[f"m{i}"]) for i, key in enumerate(new) if f"m{i}" in got)
        return [{nid: self.known[k] for nid, k in ids.items() if k in self.known} for ids in keys]


def stage_splits(result: AnalysisResult, stages: Sequence[str], *, scenario: str | None = None,
                 theme: str | Theme = "light", lang: str = "en", sizer: NodeSizes | None = None,
                 at_least: Mapping[str, int] | None = None,
                 decided: Callable[[str, list[StagePart] | None], None] | None = None,
                 ) -> dict[str, list[StagePart] | None]:
    """For each stage, the fewest parts (``at_least[stage]`` or more) its detail splits into so that every
    part's text stays at :data:`MIN_SLIDE_PT` or more on a slide (:func:`slide_text_pt`), or None past
    :data:`MAX_STAGE_PARTS`; with the drawings and placements that decided it, to draw as they are.

    Parts are consecutive in flow order (:func:`stage_order`), as even as can be (:func:`split_evenly`). One
    part is the whole stage (drawn with ``part=None``). Sizes: measured by ``sizer`` (default: the estimates);
    the stages are tried side by side so that each round of tries is measured in one Graphviz run. A try with
    ``k`` parts is judged part by part in order and fails at the first part under the rule; when that part
    reaches ``p`` pt, the next try has ``max(k + 1, ⌈k × 7 / p⌉)`` parts (text scales about with the width,
    which the parts share). ``decided(stage, parts)`` is called as soon as a stage's split is known (e.g. to
    start drawing it while the other stages are still tried).

    Raises:
        KeyError: unknown stage.
    """
    token = _MADE.set({})
    try:
        return _stage_splits(result, stages, scenario=scenario, theme=get_theme(theme), lang=lang,
                             sizer=sizer or NodeSizes(), at_least=at_least or {}, decided=decided)
    finally:
        _MADE.reset(token)


def _stage_splits(result: AnalysisResult, stages: Sequence[str], *, scenario: str | None, theme: Theme, lang: str,
                  sizer: NodeSizes, at_least: Mapping[str, int],
                  decided: Callable[[str, list[StagePart] | None], None] | None) -> dict[str, list[StagePart] | None]:
    """:func:`stage_splits` (its nodes made once)."""
    th = theme
    orders = {stage: stage_order(result, stage) for stage in stages}
    tries = {stage: max(1, at_least.get(stage, 1)) for stage in stages}
    found: dict[str, list[StagePart] | None] = {}
    while len(found) < len(stages):
        round_: dict[str, tuple[list[list[str]], list[Drawing]]] = {}
        for stage in stages:
            if stage in found:
                continue
            order, k = orders[stage], tries[stage]
            if order and k > min(MAX_STAGE_PARTS, len(order)):
                found[stage] = None
                if decided is not None:
                    decided(stage, None)
                continue
            chunks = split_evenly(order, k)
            round_[stage] = (chunks, [
                build_drawing(result, scenario=scenario, theme=th, lang=lang, stage=stage, header=False,
                              part=None if k == 1 else chunk) for chunk in chunks])
        measured = iter(sizer.of([d for _chunks, drawings in round_.values() for d in drawings]))
        for stage, (chunks, drawings) in round_.items():
            sizes = [next(measured) for _d in drawings]
            parts: list[StagePart] = []
            worst = math.inf
            for chunk, drawing, size in zip(chunks, drawings, sizes, strict=True):
                pt, plan = _slide_text(drawing, th, size)
                worst = min(worst, pt)
                if worst < MIN_SLIDE_PT - 1e-9 and orders[stage]:
                    break
                parts.append(StagePart(chunk, drawing, size, plan or best_plan(drawing, size)))
            if len(parts) == len(chunks):
                found[stage] = parts
                if decided is not None:
                    decided(stage, parts)
            else:
                k = tries[stage]
                tries[stage] = max(k + 1, math.ceil(k * MIN_SLIDE_PT / worst)) if worst > 0 else k + 1
    return {stage: found[stage] for stage in stages}


def stage_parts(result: AnalysisResult, stage: str, *, scenario: str | None = None, theme: str | Theme = "light",
                lang: str = "en", sizer: NodeSizes | None = None, at_least: int = 1) -> list[list[str]] | None:
    """The activity ids of each part of :func:`stage_splits` for one stage (None past :data:`MAX_STAGE_PARTS`).

    Raises:
        KeyError: unknown ``stage``.
    """
    parts = stage_splits(result, [stage], scenario=scenario, theme=theme, lang=lang, sizer=sizer,
                         at_least={stage: at_least})[stage]
    return None if parts is None else [part.ids for part in parts]


_T = TypeVar("_T")
#: While :func:`stage_splits` runs: the activity nodes and collapsed stages made so far (its tries draw the
#: same activities and neighbours again and again), the result's index and each stage's flows.
_MADE: ContextVar[dict[tuple[object, ...], Any] | None] = ContextVar("relmap_made_nodes", default=None)


def _made(key: tuple[object, ...], make: Callable[..., _T], *args: object) -> _T:
    """``make(*args)``, or what it made for the same ``key`` earlier within :func:`stage_splits` (a node, the
    result's index, a stage's flows)."""
    memo = _MADE.get()
    if memo is None:
        return make(*args)
    made: _T | None = memo.get(key)
    if made is None:
        made = memo[key] = make(*args)
    return made


def _stage_key(act: ActivityResult, stage_ids: set[str]) -> str:
    return act.stage if act.stage in stage_ids else NO_STAGE


def _index(result: AnalysisResult) -> tuple[set[str], dict[str, list[ActivityResult]], dict[str, str], set[str]]:
    """The stage ids, each stage's activities, each activity's stage and the actor ids of ``result``."""
    stage_ids = {s.id for s in result.stages}
    members: dict[str, list[ActivityResult]] = {}
    for act in result.activities:
        members.setdefault(_stage_key(act, stage_ids), []).append(act)
    where = {act.id: _stage_key(act, stage_ids) for act in result.activities}
    return stage_ids, members, where, {a.id for a in result.actors}


def _fill(drawing: Drawing, result: AnalysisResult, scen: ScenarioResult | None, th: Theme, lang: str,
          detailed: set[str], focus: str | None, part: set[str] | None = None) -> None:
    # within stage_splits: the same result drawn again and again, indexed once
    _stage_ids, members, where, actor_ids = _made(("index", id(result)), _index, result)

    def key_of(ref: str) -> str | None:
        if ref in where:
            if where[ref] not in detailed:
                return f"stage:{where[ref]}"
            return f"rest:{focus}" if part is not None and where[ref] == focus and ref not in part else f"act:{ref}"
        return f"actor:{ref}" if ref in actor_ids else None

    if focus is not None:  # only flows with an end in the stage can join its part
        keep = {f"stage:{focus}"} | {f"act:{a.id}" for a in members.get(focus, []) if part is None or a.id in part}
        flows = [f for f in _merged_flows(_made(("flows", id(result), focus), _touching, result, where, focus), key_of)
                 if f[0] in keep or f[1] in keep]
        shown: set[str] | None = keep | {f[0] for f in flows} | {f[1] for f in flows}
    else:
        flows = _merged_flows(result.flows, key_of)
        shown = None
    ids: dict[str, str] = {}
    stages = [*result.stages]
    if members.get(NO_STAGE):
        from ..analysis.result import StageInfo

        stages.append(StageInfo(id=NO_STAGE, name=_("(no stage)"), kind="primary"))
    for st in stages:
        acts = members.get(st.id, [])
        support = st.kind == "support"
        target = drawing.support if support else drawing.primary
        rest: list[ActivityResult] = []
        if part is not None and st.id == focus:
            rest = [a for a in acts if a.id not in part]
            acts = [a for a in acts if a.id in part]
        if st.id in detailed and acts:
            label = drawing.add(stage_label(st.name, st.kind, acts, scen, th, lang))
            act_ids = []
            for act in acts:
                ids[f"act:{act.id}"] = drawing.add(_made(("act", act.id, scen and scen.id, id(th), lang),
                                                         activity_node, act, scen, th, lang))
                act_ids.append(ids[f"act:{act.id}"])
            links = [(ids[f[0]], ids[f[1]]) for f in flows if f[0] in ids and f[1] in ids]
            style = {"style": "rounded,dashed,filled" if support else "rounded,filled",
                     "color": th.cluster_border, "fillcolor": th.support_fill if support else th.cluster_fill,
                     "penwidth": "1.5"}
            target.append(StageGroup(f"cluster_{len(drawing.primary) + len(drawing.support)}", style, label,
                                     act_ids, links))
            if rest and shown is not None and f"rest:{st.id}" in shown:
                name = _("{stage}: the rest of the stage (other slides)").format(stage=st.name)
                ids[f"rest:{st.id}"] = drawing.add(stage_box(name, rest, scen, th, lang, support))
                target.append(StageGroup(None, {}, None, [ids[f"rest:{st.id}"]]))
        elif acts and (shown is None or f"stage:{st.id}" in shown):
            ids[f"stage:{st.id}"] = drawing.add(_made(("stage", st.id, len(acts), scen and scen.id, id(th), lang),
                                                      stage_box, st.name, acts, scen, th, lang, support))
            target.append(StageGroup(None, {}, None, [ids[f"stage:{st.id}"]]))
    if focus is not None:  # the stage in detail: its neighbours stacked in a column before and after it
        focus_band = drawing.support if any(s.id == focus and s.kind == "support" for s in result.stages) else \
            drawing.primary
        focus_band[:] = _stacked(focus_band)
    _add_actors(drawing, result, th, ids, shown)
    top: dict[str, float] = {}
    for _a, _b, kind, vol, _label in flows:
        if vol:
            top[kind] = max(top.get(kind, 0.0), vol)
    for a, b, kind, vol, caption in flows:
        if a in ids and b in ids:
            attrs = edge_attrs(kind, vol, top, th)
            if caption:
                attrs["label"] = "<" + rows([(line, th.small_size, False) for line in wrap(caption, 22)],
                                            th.muted) + ">"
            drawing.edges.append((ids[a], ids[b], attrs))
    for a, b in _touch_links(result, key_of, flows):
        if a in ids and b in ids:
            drawing.edges.append((ids[a], ids[b], touch_attrs(th)))


def _touching(result: AnalysisResult, where: Mapping[str, str], stage: str) -> list[FlowInfo]:
    """The result's flows (in order) with an end in ``stage`` (``where``: each activity's stage)."""
    return [f for f in result.flows if where.get(f.from_) == stage or where.get(f.to) == stage]


def _stacked(groups: list[StageGroup]) -> list[StageGroup]:
    """Runs of collapsed stage boxes (no cluster) merged into one group each, so they stand in columns.

    Why: around a stage in detail, five neighbours in a row made the picture three times wider than high
    (under 7 pt on a slide); the stages before it in one column and those after it in another keep it near 16:9.
    """
    out: list[StageGroup] = []
    for group in groups:
        if group.cluster is None and out and out[-1].cluster is None:
            out[-1] = StageGroup(None, {}, None, [*out[-1].members, *group.members])
        else:
            out.append(group)
    return out


def _touch_links(result: AnalysisResult, key_of: Callable[[str], str | None],
                 flows: list[Flow]) -> list[tuple[str, str]]:
    """``touches`` as ``(activity or stage key, actor key)`` pairs, once each, in input order.

    Why: an activity in direct contact with an actor is a relationship even
    when no flow is written; a pair already joined by a flow (either way)
    gets no second line.
    """
    joined = {(f[0], f[1]) for f in flows} | {(f[1], f[0]) for f in flows}
    out: list[tuple[str, str]] = []
    for act in result.activities:
        for ref in act.touches:
            a, b = key_of(act.id), key_of(ref)
            if a is None or b is None or not b.startswith("actor:") or (a, b) in joined:
                continue
            joined.add((a, b))
            out.append((a, b))
    return out


def _add_actors(drawing: Drawing, result: AnalysisResult, th: Theme, ids: dict[str, str],
                shown: set[str] | None) -> None:
    for actor in result.actors:
        key = f"actor:{actor.id}"
        if shown is not None and key not in shown:
            continue
        node_id = drawing.add(_made(("actor", actor.id, id(th), get_language()), _actor_node, actor, th))
        ids[key] = node_id
        {"customer": drawing.right, "supplier": drawing.left}.get(actor.kind, drawing.bottom).append(node_id)


def _actor_node(actor: ActorInfo, th: Theme) -> Node:
    """An actor's box: its name, its kind (in the current language), the shape and fill of its kind."""
    fill = th.customer_fill if actor.kind == "customer" else th.actor_fill
    color = "#000000" if actor.kind == "customer" else th.text
    lines: list[Line] = [(line, th.label_size, True) for line in wrap(actor.name, 20)]
    lines.append((actor_kind_names().get(actor.kind, actor.kind), th.small_size, False))
    w, h = lay.estimate(lines)
    shape = ACTOR_SHAPES.get(actor.kind, "ellipse")
    if shape in ("ellipse", "hexagon", "octagon"):
        w, h = w * 1.3, h * 1.3
    return Node({"label": "<" + rows(lines, color) + ">", "shape": shape, "style": "filled",
                 "fillcolor": fill, "color": th.node_border, "penwidth": 1.5, "margin": "0.22,0.08"}, (w, h))


Flow = tuple[str, str, str, float | None, str | None]


def _merged_flows(flows: Sequence[FlowInfo], key_of: Callable[[str], str | None]) -> list[Flow]:
    """``flows`` (the result's, in order) mapped to node keys ``(from, to, kind, volume, label)``.

    Flows between the same collapsed nodes are merged: volumes summed, and
    the label kept only when one flow stands alone (a merged edge has none).
    """
    merged: dict[tuple[str, str, str], tuple[float | None, str | None, int]] = {}
    for flow in flows:
        a, b = key_of(flow.from_), key_of(flow.to)
        if a is None or b is None or a == b:
            continue
        k = (a, b, flow.kind)
        if k in merged:
            old, _label, count = merged[k]
            volume = None if old is None and flow.volume is None else (old or 0.0) + (flow.volume or 0.0)
            merged[k] = (volume, None, count + 1)
        else:
            merged[k] = (flow.volume, flow.label, 1)
    return [(a, b, kind, vol, label) for (a, b, kind), (vol, label, _n) in merged.items()]


# --------------------------------------------------------------------------- DOT text


def _attrs(attrs: Mapping[str, str | float]) -> str:
    """``[k="v", …]`` sorted by key; values are ours (numbers, colours, escaped HTML labels)."""
    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        if key == "label" and isinstance(value, str) and value.startswith("<"):
            parts.append(f"{key}={value}")
        elif isinstance(value, float):
            parts.append(f'{key}="{value:.2f}"')
        else:
            parts.append(f'{key}="{value}"')
    return "[" + ", ".join(parts) + "]"


def best_plan(drawing: Drawing, sizes: Sizes | None = None) -> lay.Plan:
    """The placement :func:`placed_dot` draws (see there for how the rows per column are chosen).

    Each stage's sub-columns are split once per row count and every box is made once (the candidates share
    them; the winner is placed again at the end). A candidate whose stages split into the same column sizes as
    an earlier one is the same layout and is not placed again (ties keep the first anyway).
    """
    size = {nid: (sizes or {}).get(nid, node.est) for nid, node in drawing.nodes.items()}
    boxes = {nid: lay.Box(nid, *wh) for nid, wh in size.items()}

    def groups(specs: list[StageGroup], tried: range) -> list[list[lay.Group]]:
        """The stages' groups per row count (in order), each distinct split of the columns once."""
        out: list[list[lay.Group]] = []
        seen: set[tuple[tuple[int, ...], ...]] = set()
        for count in tried:
            cols = [lay.split_columns(g.members, g.links, count) if g.cluster or len(g.members) > 1 else [g.members]
                    for g in specs]
            signature = tuple(tuple(len(c) for c in gc) for gc in cols)  # the same sizes: the same layout
            if signature not in seen:
                seen.add(signature)
                out.append([lay.Group(g.cluster, boxes[g.label] if g.label else None,
                                      [[boxes[n] for n in c] for c in gc]) for g, gc in zip(specs, cols, strict=True)])
        return out

    primary = groups(drawing.primary, lay.PRIMARY_ROWS)
    support = groups(drawing.support, lay.SUPPORT_ROWS)
    best: tuple[float, lay.Plan] | None = None
    rows = stage_rows(drawing)
    for sides in ("beside", "below", "all beside"):
        left, right = (drawing.left, drawing.right) if sides == "beside" else ([], [])
        bottom = drawing.bottom if sides == "beside" else [*drawing.left, *drawing.right, *drawing.bottom]
        if sides == "all beside":  # a tall stage detail: partners, communities and regulators join the right column
            if not drawing.bottom or not drawing.stage_detail:
                continue
            left, right, bottom = drawing.left, [*drawing.right, *drawing.bottom], []
        for primary_groups in primary:
            for support_groups in support:
                for k in rows:
                    candidate = lay.place(lay.Plan(
                        header=boxes[drawing.header], primary=primary_groups, support=support_groups,
                        left=[boxes[n] for n in left], right=[boxes[n] for n in right],
                        bottom=[boxes[n] for n in bottom], per_row=k), inner=False)
                    fit = 1 / slide_scale(candidate.bb[2], candidate.bb[3])
                    if best is None or fit < best[0] - 1e-9:
                        best = (fit, candidate)
    assert best is not None
    return lay.place(best[1])  # the candidates share their boxes: the winner's positions are set again


#: an overview of this many stages or more may wrap them into two or three rows (:func:`stage_rows`)
WRAP_FROM = 6


def stage_rows(drawing: Drawing) -> list[int]:
    """Stages per row that :func:`best_plan` tries: ``[0]`` (:func:`relmap.render.layout.per_row`'s rule), and
    for an overview (one box per stage, no stage cluster) of :data:`WRAP_FROM` to
    :data:`relmap.render.layout.WRAP_ABOVE` primary stages also ``⌈n/2⌉`` and ``⌈n/3⌉`` (at least 3 a row).

    Why: eight stage boxes in one row fit a slide only at about 6 pt; in two rows of four their text is
    twice as large. The detail of a stage keeps its stages in one row (their columns already adapt).
    """
    n = len(drawing.primary)
    overview = all(g.cluster is None and len(g.members) == 1 for g in drawing.primary + drawing.support)
    if not overview or not WRAP_FROM <= n <= lay.WRAP_ABOVE:
        return [0]
    wrapped = [k for k in (math.ceil(n / 2), math.ceil(n / 3)) if k >= 3]
    return [0, *dict.fromkeys(wrapped)]


def placed_dot(drawing: Drawing, sizes: Sizes | None = None, *, plan: lay.Plan | None = None,
               bare: bool = False) -> str:
    """The DOT with every node placed (``pos``) and every stage box (``bb``): render with ``neato -n2``.

    The number of activities stacked per column, and whether suppliers and
    customers stand beside the chain or join the bottom row, are chosen to
    fit a slide best: of the layouts with 3–12 rows per primary column and
    2–6 per support column, actors beside or below, the one with the largest
    :func:`slide_scale` (the largest text once the picture fills the slide's
    diagram area; the first on ties). ``plan``: that placement when it is already made (:func:`best_plan`
    of the same drawing and sizes).

    ``bare``: the nodes without their text, each exactly its placed size (``fixedsize``; a ``plain`` node a
    box without border): what routing the flows needs (``neato -n2 -Tjson0``, :mod:`relmap.report.deck_chain`),
    without the cost of laying out every label's text again (about a third of a routing run). The boxes, and
    so the routes, are those of the full drawing: its sizes already hold the text.
    """
    plan = plan or best_plan(drawing, sizes)
    where = {b.id: b for b in lay.all_boxes(plan)}

    def node_line(nid: str, indent: str) -> str:
        b = where[nid]
        attrs = dict(drawing.nodes[nid].attrs)
        attrs.update({"pos": f"{b.x:.1f},{b.y:.1f}", "width": f"{b.w / 72:.3f}", "height": f"{b.h / 72:.3f}"})
        if bare:
            attrs.update({"label": "", "fixedsize": "true"})
            if attrs.get("shape") == "plain":
                attrs.update({"shape": "box", "peripheries": "0"})
        return f"{indent}{nid} {_attrs(attrs)};"

    bb = ",".join(f"{v:.1f}" for v in plan.bb)
    splines = "true" if len(drawing.edges) * len(drawing.nodes) <= ROUTE_UP_TO else "false"
    out = [
        f"// Laid out by relmap: render with `{' '.join(ENGINE)} -Tsvg value-chain.dot -o value-chain.svg`",
        "digraph relmap {",
        f'  graph [bb="{bb}", bgcolor="{drawing.background}", pad="0.4", splines="{splines}", '
        f'outputorder="edgesfirst", fontname="{FONT}"];',
        f'  node [fontname="{FONT}"];',
        f'  edge [fontname="{FONT}"];',
        node_line(drawing.header, "  "),
    ]
    for spec, placed in zip(drawing.primary + drawing.support, plan.primary + plan.support, strict=True):
        members = ([spec.label] if spec.label else []) + spec.members
        if spec.cluster is None:
            out += [node_line(n, "  ") for n in members]
            continue
        gbb = ",".join(f"{v:.1f}" for v in placed.bb)
        out.append(f"  subgraph {spec.cluster} {{")
        out.append(f'    graph [bb="{gbb}", ' + ", ".join(f'{k}="{v}"' for k, v in sorted(spec.style.items())) + "];")
        out += [node_line(n, "    ") for n in members]
        out.append("  }")
    out += [node_line(n, "  ") for n in drawing.left + drawing.right + drawing.bottom]  # wherever placed
    out += [f"  {a} -> {b} {_attrs(attrs)};" for a, b, attrs in drawing.edges]
    return "\n".join([*out, "}"]) + "\n"


def value_chain_dot(
    result: AnalysisResult,
    *,
    scenario: str | None = None,
    theme: str | Theme = "light",
    lang: str = "en",
    stage: str | None = None,
    aggregate: bool | None = None,
    sizes: Sizes | None = None,
) -> str:
    """DOT source of ``value-chain.svg`` (placed; render it with ``neato -n2``).

    Args:
        result: the analysis.
        scenario: scenario id whose freed → received hours are shown (default: the first).
        theme: ``light``, ``dark``, ``print`` or a :class:`Theme`.
        lang: language of the texts and numbers.
        stage: draw this stage in detail, its neighbours collapsed (KeyError if unknown).
        aggregate: one box per stage; default: when the detail would be unreadable on a slide (see
            :func:`readable`) or there are more activities than :data:`MAX_OVERVIEW` when it is set.
        sizes: node sizes in points measured by Graphviz (see
            :func:`relmap.render.svg.measure_nodes`); default: estimated from
            Arial's widths, so the text is the same on every machine.

    Returns:
        DOT text (deterministic: same result, same bytes).
    """
    drawing = build_drawing(result, scenario=scenario, theme=theme, lang=lang, stage=stage, aggregate=aggregate)
    return placed_dot(drawing, sizes)
