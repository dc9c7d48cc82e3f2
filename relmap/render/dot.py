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
``neato -n2``, which keeps them and routes the flows around the boxes.

Node ids are synthetic (``n0``, ``n1``…); user text only ever appears,
escaped by :func:`relmap.render.text.dot_html`, inside HTML-like labels —
never in ids, URLs, tooltips or font names.

Above :data:`AGGREGATE_ABOVE` activities the overview draws one box per
stage; ``stage=ID`` draws that stage in detail with its neighbours collapsed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..analysis.result import ActivityResult, AnalysisResult, ScenarioResult
from ..i18n import _, language, ngettext
from . import layout as lay
from .text import dot_html, fmt_fte, fmt_hours, fmt_percent, wrap
from .theme import FONT, HEART, Theme, get_theme

#: Above this many activities the overview aggregates by stage (see ``stage=`` for detail).
AGGREGATE_ABOVE = 80
#: Characters per line of an activity's name.
WRAP_WIDTH = 24
NO_STAGE = ""
#: Graphviz command that renders the DOT written here.
ENGINE = ("neato", "-n2")

Sizes = Mapping[str, tuple[float, float]]
Line = tuple[str, float, bool]


def pick_scenario(result: AnalysisResult, scenario: str | None) -> ScenarioResult | None:
    """The scenario ``scenario`` (KeyError if unknown), or the first one of the file, or None."""
    if scenario is not None:
        return result.scenarios[scenario]
    return next(iter(result.scenarios.values()), None)


@dataclass
class Node:
    """A node: its DOT attributes and its estimated size in points."""

    attrs: dict[str, str | float]
    est: tuple[float, float]


@dataclass
class Drawing:
    """What :func:`value_chain_dot` draws, before placement."""

    header: str
    nodes: dict[str, Node] = field(default_factory=dict)
    primary: list[tuple[str | None, dict[str, str], str | None, list[list[str]]]] = field(default_factory=list)
    support: list[tuple[str | None, dict[str, str], str | None, list[list[str]]]] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)
    bottom: list[str] = field(default_factory=list)
    edges: list[tuple[str, str, dict[str, str | float]]] = field(default_factory=list)
    background: str = "#FFFFFF"

    def add(self, node: Node) -> str:
        """Add a node; returns its synthetic id."""
        node_id = f"n{len(self.nodes)}"
        self.nodes[node_id] = node
        return node_id


# --------------------------------------------------------------------------- labels


def _font(text: str, *, size: float | None = None, color: str | None = None, bold: bool = False) -> str:
    """Wrap already-escaped ``text`` in FONT/B tags (attribute values are ours, never user text)."""
    if bold:
        text = f"<B>{text}</B>"
    attrs = ""
    if size is not None:
        attrs += f' POINT-SIZE="{size:g}"'
    if color is not None:
        attrs += f' COLOR="{color}"'
    return f"<FONT{attrs}>{text}</FONT>" if attrs else text


def _rows(lines: list[Line], color: str) -> str:
    """Stacked, centred lines (plain text in, escaped HTML out)."""
    return "<BR/>".join(_font(dot_html(text), size=size, color=color, bold=bold) for text, size, bold in lines)


def _numbers_line(freed: float, received: float, lang: str) -> str:
    """``−1,900 h → +900 h``: hours freed by AI, then hours reinvested into it."""
    parts = []
    if freed > 0.5:
        parts.append(fmt_hours(freed, lang, sign="-"))
    if received > 0.5:
        parts.append(fmt_hours(received, lang, sign="+"))
    return " → ".join(parts)


def activity_lines(act: ActivityResult, scen: ScenarioResult | None, theme: Theme, lang: str) -> list[Line]:
    """Text lines of an activity: ♥ name (wrapped), size, freed → received hours, flags in words."""
    name = wrap(act.name, WRAP_WIDTH)
    if act.relational_good:
        name[0] = f"{HEART} {name[0]}"
    lines: list[Line] = [(line, theme.label_size, True) for line in name]
    size = f"{fmt_fte(act.fte, lang)} · {fmt_hours(act.hours, lang)}"
    lines.append((size, theme.small_size, False))
    per = act.by_scenario.get(scen.id) if scen is not None else None
    if per is not None:
        numbers = _numbers_line(per.hours_freed, per.hours_received, lang)
        if numbers:
            lines.append((numbers, theme.number_size, True))
    notes = []
    kinds = {f.kind for f in act.flags}
    if "bridge_at_risk" in kinds:
        notes.append(_("▲ relay at risk"))
    if "invisible" in kinds:
        notes.append(_("invisible work"))
    if "single_point" in kinds:
        notes.append(_("single point of failure"))
    if act.keep_human:
        notes.append(_("kept human"))
    if notes:
        lines.append((" · ".join(notes), theme.small_size, True))
    return lines


def activity_node(act: ActivityResult, scen: ScenarioResult | None, theme: Theme, lang: str) -> Node:
    """Fill by quadrant, bold dark border for goods, dashed vermillion / dotted for flags."""
    kinds = {f.kind for f in act.flags}
    style = ["rounded", "filled"]
    color, penwidth = theme.node_border, 1.0
    if act.relational_good:
        color, penwidth = theme.good_border, 3.5
    if "bridge_at_risk" in kinds:
        color, penwidth = theme.risk, 3.5
        style.append("dashed")
    elif "invisible" in kinds:
        style.append("dotted")
    lines = activity_lines(act, scen, theme, lang)
    label = "<" + _rows(lines, theme.quadrant_text[act.quadrant]) + ">"
    return Node({"label": label, "shape": "box", "fillcolor": theme.quadrant_fill[act.quadrant], "color": color,
                 "penwidth": penwidth, "style": ",".join(style), "margin": "0.18,0.10"}, lay.estimate(lines))


ACTOR_SHAPES = {"customer": "ellipse", "supplier": "cds", "partner": "hexagon", "community": "octagon",
                "regulator": "note"}


def _actor_kind_names() -> dict[str, str]:
    return {"customer": _("customer"), "supplier": _("supplier"), "partner": _("partner"),
            "community": _("community"), "regulator": _("regulator")}


def _stage_totals(acts: list[ActivityResult], scen: ScenarioResult | None, lang: str) -> str:
    """``24 FTE · 37,764 h · −7,545 h freed (20%)``."""
    hours = sum(a.hours for a in acts)
    fte = sum(a.fte for a in acts)
    text = f"{fmt_fte(fte, lang)} · {fmt_hours(hours, lang)}"
    if scen is not None and hours > 0:
        freed = sum(a.by_scenario[scen.id].hours_freed for a in acts if scen.id in a.by_scenario)
        if freed > 0.5:
            text += " · " + _("{hours} freed ({share})").format(
                hours=fmt_hours(freed, lang, sign="-"), share=fmt_percent(freed / hours, lang))
    return text


def _stage_box(name: str, acts: list[ActivityResult], scen: ScenarioResult | None, theme: Theme, lang: str,
               support: bool) -> Node:
    """A collapsed stage: name, size, freed → received, a strip of quadrant counts, goods and flags."""
    head: list[Line] = [(line, theme.label_size, True) for line in wrap(name, 30)]
    count = len(acts)
    info = ngettext("{n} activity", "{n} activities", count).format(n=count)
    head.append((info + " · " + _stage_totals(acts, None, lang), theme.small_size, False))
    if scen is not None:
        freed = sum(a.by_scenario[scen.id].hours_freed for a in acts if scen.id in a.by_scenario)
        received = sum(a.by_scenario[scen.id].hours_received for a in acts if scen.id in a.by_scenario)
        numbers = _numbers_line(freed, received, lang)
        if numbers:
            head.append((numbers, theme.number_size, True))
    goods = sum(1 for a in acts if a.relational_good)
    risky = sum(1 for a in acts if any(f.kind == "bridge_at_risk" for f in a.flags))
    unseen = sum(1 for a in acts if any(f.kind == "invisible" for f in a.flags))
    notes = [f"{HEART} " + ngettext("{n} relational good", "{n} relational goods", goods).format(n=goods)]
    if risky:
        notes.append(ngettext("▲ {n} relay at risk", "▲ {n} relays at risk", risky).format(n=risky))
    if unseen:
        notes.append(ngettext("{n} invisible", "{n} invisible", unseen).format(n=unseen))
    tail: list[Line] = [(" · ".join(notes), theme.small_size, False)]
    cells = []
    for quadrant in ("relational_core", "augment", "automate", "sustain"):
        n = sum(1 for a in acts if a.quadrant == quadrant)
        cells.append(f'<TD BGCOLOR="{theme.quadrant_fill[quadrant]}" WIDTH="40">'
                     f'{_font(str(n), size=theme.small_size, color=theme.quadrant_text[quadrant], bold=True)}</TD>')
    html = ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3">'
            f'<TR><TD COLSPAN="4">{_rows(head, theme.text)}</TD></TR>'
            f'<TR>{"".join(cells)}</TR>'
            f'<TR><TD COLSPAN="4">{_rows(tail, theme.text)}</TD></TR></TABLE>>')
    w, h = lay.estimate([*head, *tail, ("0000000000000000", theme.small_size, True)], 10.0, 10.0)
    fill = theme.support_fill if support else theme.cluster_fill
    style = "rounded,filled,dashed" if support else "rounded,filled"
    return Node({"label": html, "shape": "box", "style": style, "fillcolor": fill, "color": theme.cluster_border,
                 "penwidth": 1.5, "margin": "0.05,0.05"}, (w, h + 12))


def _stage_label(name: str, kind: str, acts: list[ActivityResult], scen: ScenarioResult | None, theme: Theme,
                 lang: str) -> Node:
    """The title of a stage box, left-aligned: name, 'support activities', totals."""
    lines: list[Line] = [(line, theme.label_size + 2, True) for line in wrap(name, 40)]
    if kind == "support":
        lines.append((_("support activities"), theme.small_size, False))
    lines.append((_stage_totals(acts, scen, lang), theme.small_size, False))
    rows = "".join(
        f'<TR><TD ALIGN="LEFT">{_font(dot_html(text), size=size, color=theme.text if bold else theme.muted, bold=bold)}'
        f"</TD></TR>" for text, size, bold in lines)
    html = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0">{rows}</TABLE>>'
    return Node({"label": html, "shape": "plain"}, lay.estimate(lines, 0.0, 1.0))


def _header(result: AnalysisResult, scen: ScenarioResult | None, theme: Theme, lang: str,
            stage_name: str | None) -> Node:
    """Title, subtitle and a two-row legend, one HTML table above the chain (no corner eaten)."""
    company = str(result.company.get("name") or "")
    if stage_name is None:
        title = _("{company} — relational goods in the value chain").format(company=company)
    else:
        title = _("{company} — stage in detail: {stage}").format(company=company, stage=stage_name)
    sub = []
    if scen is not None:
        sub.append(_("Scenario “{name}”: AI adoption {adoption}").format(
            name=scen.name, adoption=fmt_percent(scen.adoption, lang)))
        sub.append(_("{hours} freed").format(hours=fmt_hours(scen.hours_freed, lang)))
        sub.append(_("{hours} reinvested in relational goods").format(
            hours=fmt_hours(scen.hours_reinvested, lang)))
    date = result.company.get("date")
    if date:
        sub.append(_("data: {date}").format(date=date))
    lines: list[Line] = [(line, theme.title_size, True) for line in wrap(title, 90)]
    if sub:
        lines.append((" · ".join(sub), theme.subtitle_size, False))
    others = [other for other in result.scenarios.values() if scen is not None and other.id != scen.id]
    if others:
        lines.append((_("Other scenarios: {list}").format(list=" · ".join(
            _("“{name}” ({adoption}): {freed} freed, {reinvested} reinvested").format(
                name=other.name, adoption=fmt_percent(other.adoption, lang),
                freed=fmt_hours(other.hours_freed, lang), reinvested=fmt_hours(other.hours_reinvested, lang))
            for other in others)), theme.small_size, False))
    rows = "".join(f'<TR><TD ALIGN="LEFT">{_font(dot_html(t), size=s, color=theme.text if b else theme.muted, bold=b)}'
                   f"</TD></TR>" for t, s, b in lines)
    legend, legend_lines = _legend(theme, scen is not None)
    rows += f'<TR><TD ALIGN="LEFT">{legend}</TD></TR>'
    html = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="0">{rows}</TABLE>>'
    w, h = lay.estimate([*lines, *legend_lines], 0.0, 8.0)
    return Node({"label": html, "shape": "plain"}, (w, h + 16))


def _legend(theme: Theme, with_numbers: bool) -> tuple[str, list[Line]]:
    size = theme.small_size
    swatches = [("relational_core", _("relational core: keep human, invest")),
                ("augment", _("augment: AI assists")),
                ("automate", _("automate: AI takes over")),
                ("sustain", _("sustain"))]
    good = _("relational good (♥ and bold border)")
    row1 = []
    for quadrant, text in swatches:
        row1.append(f'<TD BGCOLOR="{theme.quadrant_fill[quadrant]}" WIDTH="18" HEIGHT="14" '
                    f'COLOR="{theme.node_border}" BORDER="1"></TD>')
        row1.append(f'<TD ALIGN="LEFT">{_font(dot_html(text), size=size, color=theme.text)}</TD>')
    row1.append(f'<TD BORDER="3" COLOR="{theme.good_border}">{_font(HEART, size=size, color=theme.text)}</TD>')
    row1.append(f'<TD ALIGN="LEFT">{_font(dot_html(good), size=size, color=theme.text)}</TD>')
    marks = [(theme.flow_color["information"], "- - -►", _("information")),
             (theme.flow_color["service"], "───►", _("service")),
             (theme.flow_color["material"], "───■", _("material")),
             (theme.flow_color["relationship"], "═══►", _("relationship"))]
    row2 = []
    for color, glyph, text in marks:
        row2.append(f'<TD ALIGN="RIGHT">{_font(glyph, size=size, color=color, bold=True)}</TD>')
        row2.append(f'<TD ALIGN="LEFT">{_font(dot_html(text), size=size, color=theme.text)}</TD>')
    extra = [_("thicker line: larger volume"), _("▲ relay at risk (dashed border)"),
             _("invisible work (dotted border)")]
    if with_numbers:
        extra.append(_("−h freed by AI → +h reinvested in it, per year"))
    row2.append(f'<TD ALIGN="LEFT">{_font(dot_html(" · ".join(extra)), size=size, color=theme.muted)}</TD>')
    table = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2"><TR>{}</TR></TABLE>'
    html = ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
            f'<TR><TD ALIGN="LEFT">{table.format("".join(row1))}</TD></TR>'
            f'<TR><TD ALIGN="LEFT">{table.format("".join(row2))}</TD></TR></TABLE>')
    text1 = "   ".join(t for _q, t in swatches) + "       " + good
    text2 = "   ".join("──── " + t for _c, _g, t in marks) + "   " + " · ".join(extra)
    return html, [(text1, size, False), (text2, size, False)]


def _edge_attrs(kind: str, volume: float | None, max_volume: dict[str, float], theme: Theme) -> dict[str, str | float]:
    """Style by kind; width = 1.2 + 4.8 × √(volume / largest volume of that kind), 1.5 without volume."""
    color = theme.flow_color.get(kind, theme.flow_color["information"])
    top = max_volume.get(kind, 0.0)
    width = 1.5 if not volume or top <= 0 else 1.2 + 4.8 * math.sqrt(volume / top)
    attrs: dict[str, str | float] = {"color": color, "penwidth": width, "arrowsize": 0.9}
    if kind == "information":
        attrs["style"] = "dashed"
    elif kind == "material":
        attrs["arrowhead"] = "box"
    elif kind == "relationship":
        attrs["color"] = f"{color}:{theme.background}:{color}"
        attrs["penwidth"] = max(1.2, width / 2)
    return attrs


# --------------------------------------------------------------------------- building


def build_drawing(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                  lang: str = "en", stage: str | None = None, aggregate: bool | None = None) -> Drawing:
    """Nodes, stage groups and edges of the value chain, before placement.

    Raises:
        KeyError: unknown ``scenario`` or ``stage``.
    """
    th = get_theme(theme)
    with language(lang):
        scen = pick_scenario(result, scenario)
        stage_ids = {s.id for s in result.stages}
        if stage is not None and stage not in stage_ids:
            raise KeyError(stage)
        if aggregate is None:
            aggregate = stage is None and len(result.activities) > AGGREGATE_ABOVE
        detailed = {stage} if stage is not None else set() if aggregate else stage_ids | {NO_STAGE}
        stage_name = next((s.name for s in result.stages if s.id == stage), None)
        drawing = Drawing(header=drawing_header_id(), background=th.background)
        header = _header(result, scen, th, lang, stage_name)
        drawing.nodes[drawing.header] = header
        _fill(drawing, result, scen, th, lang, detailed, stage)
    return drawing


def drawing_header_id() -> str:
    """The header is always node ``n0``."""
    return "n0"


def _stage_key(act: ActivityResult, stage_ids: set[str]) -> str:
    return act.stage if act.stage in stage_ids else NO_STAGE


def _fill(drawing: Drawing, result: AnalysisResult, scen: ScenarioResult | None, th: Theme, lang: str,
          detailed: set[str], focus: str | None) -> None:
    stage_ids = {s.id for s in result.stages}
    members: dict[str, list[ActivityResult]] = {}
    for act in result.activities:
        members.setdefault(_stage_key(act, stage_ids), []).append(act)
    where = {act.id: _stage_key(act, stage_ids) for act in result.activities}
    actor_ids = {a.id for a in result.actors}

    def key_of(ref: str) -> str | None:
        if ref in where:
            return f"act:{ref}" if where[ref] in detailed else f"stage:{where[ref]}"
        return f"actor:{ref}" if ref in actor_ids else None

    flows = _merged_flows(result, key_of)
    if focus is not None:
        keep = {f"stage:{focus}"} | {f"act:{a.id}" for a in members.get(focus, [])}
        flows = [f for f in flows if f[0] in keep or f[1] in keep]
        shown: set[str] | None = keep | {f[0] for f in flows} | {f[1] for f in flows}
    else:
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
        if st.id in detailed and acts:
            label = drawing.add(_stage_label(st.name, st.kind, acts, scen, th, lang))
            act_ids = []
            for act in acts:
                ids[f"act:{act.id}"] = drawing.add(activity_node(act, scen, th, lang))
                act_ids.append(ids[f"act:{act.id}"])
            links = [(ids[a], ids[b]) for a, b, _k, _v in flows if a in ids and b in ids]
            columns = lay.split_columns(act_ids, links, lay.SUPPORT_ROWS if support else lay.MAX_ROWS)
            style = {"style": "rounded,dashed,filled" if support else "rounded,filled",
                     "color": th.cluster_border, "fillcolor": th.support_fill if support else th.cluster_fill,
                     "penwidth": "1.5"}
            target.append((f"cluster_{len(drawing.primary) + len(drawing.support)}", style, label, columns))
        elif acts and (shown is None or f"stage:{st.id}" in shown):
            ids[f"stage:{st.id}"] = drawing.add(_stage_box(st.name, acts, scen, th, lang, support))
            target.append((None, {}, None, [[ids[f"stage:{st.id}"]]]))
    _add_actors(drawing, result, th, ids, shown)
    top: dict[str, float] = {}
    for _a, _b, kind, vol in flows:
        if vol:
            top[kind] = max(top.get(kind, 0.0), vol)
    for a, b, kind, vol in flows:
        if a in ids and b in ids:
            drawing.edges.append((ids[a], ids[b], _edge_attrs(kind, vol, top, th)))


def _add_actors(drawing: Drawing, result: AnalysisResult, th: Theme, ids: dict[str, str],
                shown: set[str] | None) -> None:
    kinds = _actor_kind_names()
    for actor in result.actors:
        key = f"actor:{actor.id}"
        if shown is not None and key not in shown:
            continue
        fill = th.customer_fill if actor.kind == "customer" else th.actor_fill
        color = "#000000" if actor.kind == "customer" else th.text
        lines: list[Line] = [(line, th.label_size, True) for line in wrap(actor.name, 20)]
        lines.append((kinds.get(actor.kind, actor.kind), th.small_size, False))
        w, h = lay.estimate(lines)
        shape = ACTOR_SHAPES.get(actor.kind, "ellipse")
        if shape in ("ellipse", "hexagon", "octagon"):
            w, h = w * 1.3, h * 1.3
        node_id = drawing.add(Node({"label": "<" + _rows(lines, color) + ">", "shape": shape, "style": "filled",
                                    "fillcolor": fill, "color": th.node_border, "penwidth": 1.5,
                                    "margin": "0.22,0.08"}, (w, h)))
        ids[key] = node_id
        {"customer": drawing.right, "supplier": drawing.left}.get(actor.kind, drawing.bottom).append(node_id)


def _merged_flows(result: AnalysisResult, key_of: object) -> list[tuple[str, str, str, float | None]]:
    """Flows mapped to node keys; flows between collapsed nodes are merged (volumes summed)."""
    assert callable(key_of)
    merged: dict[tuple[str, str, str], float | None] = {}
    for flow in result.flows:
        a, b = key_of(flow.from_), key_of(flow.to)
        if a is None or b is None or a == b:
            continue
        k = (a, b, flow.kind)
        if k in merged:
            old = merged[k]
            merged[k] = None if old is None and flow.volume is None else (old or 0.0) + (flow.volume or 0.0)
        else:
            merged[k] = flow.volume
    return [(a, b, kind, vol) for (a, b, kind), vol in merged.items()]


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


def nodes_dot(drawing: Drawing) -> str:
    """Just the nodes, unplaced: ``dot -Tjson`` on it measures each node's real size."""
    lines = ["digraph measure {", f'  node [fontname="{FONT}"];']
    lines += [f"  {nid} {_attrs(node.attrs)};" for nid, node in drawing.nodes.items()]
    return "\n".join([*lines, "}"]) + "\n"


def placed_dot(drawing: Drawing, sizes: Sizes | None = None) -> str:
    """The DOT with every node placed (``pos``) and every stage box (``bb``): render with ``neato -n2``."""
    size = {nid: (sizes or {}).get(nid, node.est) for nid, node in drawing.nodes.items()}

    def box(nid: str) -> lay.Box:
        return lay.Box(nid, *size[nid])

    def group(spec: tuple[str | None, dict[str, str], str | None, list[list[str]]]) -> lay.Group:
        cluster, _style, label, cols = spec
        return lay.Group(cluster, box(label) if label else None, [[box(n) for n in col] for col in cols])

    plan = lay.Plan(header=box(drawing.header), primary=[group(g) for g in drawing.primary],
                    support=[group(g) for g in drawing.support], left=[box(n) for n in drawing.left],
                    right=[box(n) for n in drawing.right], bottom=[box(n) for n in drawing.bottom])
    lay.place(plan)
    where = {b.id: b for b in lay.all_boxes(plan)}

    def node_line(nid: str, indent: str) -> str:
        b = where[nid]
        attrs = dict(drawing.nodes[nid].attrs)
        attrs.update({"pos": f"{b.x:.1f},{b.y:.1f}", "width": f"{b.w / 72:.3f}", "height": f"{b.h / 72:.3f}"})
        return f"{indent}{nid} {_attrs(attrs)};"

    bb = ",".join(f"{v:.1f}" for v in plan.bb)
    out = [
        f"// Laid out by relmap: render with `{' '.join(ENGINE)} -Tsvg value-chain.dot -o value-chain.svg`",
        "digraph relmap {",
        f'  graph [bb="{bb}", bgcolor="{drawing.background}", pad="0.4", splines="true", '
        f'outputorder="edgesfirst", fontname="{FONT}"];',
        f'  node [fontname="{FONT}"];',
        f'  edge [fontname="{FONT}"];',
        node_line(drawing.header, "  "),
    ]
    for spec, placed in zip(drawing.primary + drawing.support, plan.primary + plan.support, strict=True):
        cluster, style, label, cols = spec
        members = ([label] if label else []) + [n for col in cols for n in col]
        if cluster is None:
            out += [node_line(n, "  ") for n in members]
            continue
        gbb = ",".join(f"{v:.1f}" for v in placed.bb)
        out.append(f"  subgraph {cluster} {{")
        out.append(f'    graph [bb="{gbb}", ' + ", ".join(f'{k}="{style[k]}"' for k in sorted(style)) + "];")
        out += [node_line(n, "    ") for n in members]
        out.append("  }")
    out += [node_line(n, "  ") for n in drawing.left + drawing.right + drawing.bottom]
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
        aggregate: one box per stage; default: when there are more than
            :data:`AGGREGATE_ABOVE` activities and no ``stage``.
        sizes: node sizes in points measured by Graphviz (see
            :func:`relmap.render.svg.measure_nodes`); default: estimated from
            Arial's widths, so the text is the same on every machine.

    Returns:
        DOT text (deterministic: same result, same bytes).
    """
    drawing = build_drawing(result, scenario=scenario, theme=theme, lang=lang, stage=stage, aggregate=aggregate)
    return placed_dot(drawing, sizes)
