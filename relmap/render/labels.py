"""Labels of the value chain: HTML-like Graphviz labels and their estimated sizes.

Every label is built from plain text lines escaped by
:func:`relmap.render.text.dot_html`; colours and sizes come from the
:class:`~relmap.render.theme.Theme`, never from user text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..analysis.result import ActivityResult, AnalysisResult, ScenarioResult
from ..i18n import _, ngettext
from ..vocabulary import flag_mark
from . import layout as lay
from .text import dot_html, fmt_fte, fmt_hours, fmt_percent, wrap
from .theme import HEART, Theme

#: Characters per line of an activity's name.
WRAP_WIDTH = 24

Line = tuple[str, float, bool]

@dataclass
class Node:
    """A node: its DOT attributes and its estimated size in points."""

    attrs: dict[str, str | float]
    est: tuple[float, float]




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


def rows(lines: list[Line], color: str) -> str:
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
    kinds = {f.kind for f in act.flags}
    notes = [flag_mark(kind) for kind in ("bridge_at_risk", "invisible", "single_point", "borderline")
             if kind in kinds]
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
    label = "<" + rows(lines, theme.quadrant_text[act.quadrant]) + ">"
    return Node({"label": label, "shape": "box", "fillcolor": theme.quadrant_fill[act.quadrant], "color": color,
                 "penwidth": penwidth, "style": ",".join(style), "margin": "0.18,0.10"}, lay.estimate(lines))


ACTOR_SHAPES = {"customer": "ellipse", "supplier": "cds", "partner": "hexagon", "community": "octagon",
                "regulator": "note"}


def actor_kind_names() -> dict[str, str]:
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


def stage_box(name: str, acts: list[ActivityResult], scen: ScenarioResult | None, theme: Theme, lang: str,
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
            f'<TR><TD COLSPAN="4">{rows(head, theme.text)}</TD></TR>'
            f'<TR>{"".join(cells)}</TR>'
            f'<TR><TD COLSPAN="4">{rows(tail, theme.text)}</TD></TR></TABLE>>')
    w, h = lay.estimate([*head, *tail, ("0000000000000000", theme.small_size, True)], 10.0, 10.0)
    fill = theme.support_fill if support else theme.cluster_fill
    style = "rounded,filled,dashed" if support else "rounded,filled"
    return Node({"label": html, "shape": "box", "style": style, "fillcolor": fill, "color": theme.cluster_border,
                 "penwidth": 1.5, "margin": "0.05,0.05"}, (w, h + 12))


def stage_label(name: str, kind: str, acts: list[ActivityResult], scen: ScenarioResult | None, theme: Theme,
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


def header_node(result: AnalysisResult, scen: ScenarioResult | None, theme: Theme, lang: str,
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
                ("automate", _("automate: AI can do the work")),
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
             (theme.flow_color["relationship"], "═══►", _("relationship")),
             (theme.flow_color["relationship"], "────", _("direct contact (touches)"))]
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


def edge_attrs(kind: str, volume: float | None, max_volume: dict[str, float], theme: Theme) -> dict[str, str | float]:
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


def touch_attrs(theme: Theme) -> dict[str, str | float]:
    """A ``touches`` link: a thin, plain relationship-coloured line without arrowhead (direct contact)."""
    return {"color": theme.flow_color["relationship"], "penwidth": 1.0, "arrowhead": "none", "style": "solid"}
