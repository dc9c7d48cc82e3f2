"""``reinvestment.svg``: where the freed hours go, as a two-column flow diagram.

Left: the activities that free hours (bar height ∝ hours freed). Right: the
relational goods that receive them, then what is not yet placed,
recognition, training, skills volunteering and net savings. Every band's
width is proportional to hours, on one scale for the whole figure.

For an activity ``i`` with freed hours ``h_i`` in scenario ``s``:

* kept (a relational good under ``relational_dividend: all``): ``hours_kept_i``,
  the time AI gives back to the relation;
* to each relational good ``g``: the allocation hours ``i → g``;
* not placed: ``reinvest_supply_i − hours_sent_i``;
* recognition, training, community, savings: ``share_k(s) × (h_i − kept_i)``
  (recognition is paid in money; its band shows the hours whose value funds it;
  with no relational good its share goes to savings).

So each source's bands add up to ``h_i`` and the right column adds up to the
scenario's ``hours_freed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis.result import AnalysisResult, ScenarioResult
from ..i18n import _, format_number, language
from ..vocabulary import unplaced_label
from .canvas import Canvas
from .text import fmt_hours, fmt_money, fmt_percent, wrap
from .theme import HEART, OKABE_ITO, Theme, get_theme

#: At most this many sources (and relational goods) are drawn one by one; the rest are grouped.
MAX_ROWS = 10
OTHER = "\x00other"
GAP = 0.014
X_LEFT, X_RIGHT, BAR = 0.30, 0.66, 0.014


@dataclass
class Node:
    """A bar of the diagram."""

    key: str
    label: str
    hours: float
    color: str
    bold: bool = False
    y0: float = 0.0
    y1: float = 0.0
    cursor: float = 0.0
    detail: str = ""


@dataclass
class Plan:
    """Sources, destinations and the hours between them."""

    sources: list[Node] = field(default_factory=list)
    targets: list[Node] = field(default_factory=list)
    bands: dict[tuple[str, str], float] = field(default_factory=dict)


def _group(items: list[tuple[str, float]], limit: int) -> tuple[list[tuple[str, float]], set[str]]:
    """The ``limit − 1`` largest items, and the keys folded into "other" when there are more."""
    ordered = sorted(items, key=lambda kv: (-kv[1], kv[0]))
    if len(ordered) <= limit:
        return ordered, set()
    head = ordered[: limit - 1]
    return head, {k for k, _v in ordered[limit - 1:]}


def build_plan(result: AnalysisResult, scen: ScenarioResult, th: Theme, lang: str) -> Plan:
    """Nodes and band hours (see the module docstring for the split of each source)."""
    acts = {a.id: a for a in result.activities}
    freed = [(a.id, a.by_scenario[scen.id].hours_freed) for a in result.activities
             if scen.id in a.by_scenario and a.by_scenario[scen.id].hours_freed > 1e-9]
    head, folded_src = _group(freed, MAX_ROWS)
    received = sorted(scen.received.items(), key=lambda kv: (-kv[1], kv[0]))
    ghead, folded_dst = _group([(k, v) for k, v in received if v > 1e-9], MAX_ROWS - 3)
    plan = Plan()
    for key, hours in head:
        act = acts[key]
        plan.sources.append(Node(key, act.name, hours, th.quadrant_fill[act.quadrant], act.relational_good))
    if folded_src:
        n = len(folded_src)
        plan.sources.append(Node(OTHER, _("{n} other activities").format(n=n),
                                 sum(h for k, h in freed if k in folded_src), th.quadrant_fill["sustain"]))
    for key, hours in ghead:
        name = acts[key].name if key in acts else key
        plan.targets.append(Node(key, name, hours, th.quadrant_fill["relational_core"], True))
    if folded_dst:
        plan.targets.append(Node(OTHER, _("{n} other relational goods").format(n=format_number(len(folded_dst))),
                                 sum(v for k, v in received if k in folded_dst), th.quadrant_fill["relational_core"],
                                 True))
    shares = scen.shares
    extra = [("\x01kept", _("Kept in relational goods (time given back)"), OKABE_ITO["bluish_green"], ""),
             ("\x01unplaced", unplaced_label(), "#BBBBBB", ""),
             ("\x01recognition", _("Recognition of relational roles"), OKABE_ITO["reddish_purple"],
              fmt_money(scen.recognition.value, str(result.company.get("currency", "EUR")), lang)),
             ("\x01training", _("Training"), OKABE_ITO["blue"], ""),
             ("\x01community", _("Skills volunteering in the community"), OKABE_ITO["yellow"], ""),
             ("\x01savings", _("Savings"), "#7F7F7F",
              fmt_money(scen.savings.get("value", 0.0), str(result.company.get("currency", "EUR")), lang))]
    no_one = "recognition_to_savings" in scen.notes
    rec_share = 0.0 if no_one else shares.get("recognition", 0.0)
    save_share = shares.get("savings", 0.0) + (shares.get("recognition", 0.0) if no_one else 0.0)
    src_key = {k: (OTHER if k in folded_src else k) for k, _h in freed}
    for key, hours in freed:
        per = acts[key].by_scenario[scen.id]
        rest = hours - per.hours_kept
        split = {"\x01kept": per.hours_kept,
                 "\x01unplaced": max(0.0, per.reinvest_supply - per.hours_sent),
                 "\x01recognition": rec_share * rest,
                 "\x01training": shares.get("training", 0.0) * rest,
                 "\x01community": shares.get("community", 0.0) * rest,
                 "\x01savings": save_share * rest}
        for dst, h in split.items():
            _add(plan.bands, (src_key[key], dst), h)
    for alloc in scen.allocation:
        if alloc.from_ in src_key:
            dst = OTHER if alloc.to in folded_dst else alloc.to
            _add(plan.bands, (src_key[alloc.from_], dst), alloc.hours)
    totals: dict[str, float] = {}
    for (_s, dst), h in plan.bands.items():
        totals[dst] = totals.get(dst, 0.0) + h
    for key, label, color, detail in extra:
        if totals.get(key, 0.0) >= 0.5:  # what would print as "0 h" is left out
            plan.targets.append(Node(key, label, totals[key], color, detail=detail))
    for node in plan.targets:  # goods: what flows in from the drawn sources
        node.hours = totals.get(node.key, 0.0)
    plan.targets = [t for t in plan.targets if t.hours > 1e-6]
    return plan


def _add(bands: dict[tuple[str, str], float], key: tuple[str, str], hours: float) -> None:
    if hours > 1e-9:
        bands[key] = bands.get(key, 0.0) + hours


def _stack(nodes: list[Node], scale: float, top: float) -> None:
    y = top
    for node in nodes:
        node.y1 = y
        node.y0 = y - node.hours * scale
        node.cursor = node.y1
        y = node.y0 - GAP


def reinvestment_canvas(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                        lang: str = "en") -> Canvas:
    """The reinvestment view laid out (the grouping is computed before any drawing): its SVG is written directly,
    its PNG drawn by Pillow."""
    th = get_theme(theme)
    with language(lang):
        scen = result.scenario_or_none(scenario)
        canvas = Canvas(FIGSIZE[0] * 72, FIGSIZE[1] * 72, th.background)
        area = _Area(canvas)
        _title(canvas, result, scen, th, lang)
        if scen is None or scen.hours_freed <= 1e-9:
            canvas.text(*area.at(0.5, 0.5), _("No hours are freed in this scenario."), ha="center", va="center",
                        size=16, color=th.muted)
            return canvas
        plan = build_plan(result, scen, th, lang)
        _draw(area, plan, scen, th, lang)
        return canvas


#: Figure size in inches; the diagram takes the unit square scaled onto the lower :data:`AREA_HEIGHT` of it.
FIGSIZE = (12.0, 8.0)
AREA_HEIGHT = 0.86


class _Area:
    """The diagram's unit square on the canvas: ``(x, y)`` → ``(x × width, y × AREA_HEIGHT × height)`` points."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.w, self.h = canvas.width, canvas.height * AREA_HEIGHT

    def at(self, x: float, y: float) -> tuple[float, float]:
        return x * self.w, y * self.h


def _title(c: Canvas, result: AnalysisResult, scen: ScenarioResult | None, th: Theme, lang: str) -> None:
    company = str(result.company.get("name") or "")
    c.text(0.04 * c.width, 0.955 * c.height, _("{company} — where the freed hours go").format(company=company),
           size=19, bold=True, color=th.text, va="bottom")
    if scen is None:
        return
    parts = [_("Scenario “{name}”: AI adoption {adoption}").format(name=scen.name,
                                                                   adoption=fmt_percent(scen.adoption, lang)),
             _("{hours} AI could free").format(hours=fmt_hours(scen.hours_freed, lang)),
             _("{hours} stay in or move to relational goods ({share})").format(
                 hours=fmt_hours(scen.hours_kept + scen.hours_reinvested, lang),
                 share=fmt_percent((scen.hours_kept + scen.hours_reinvested) / scen.hours_freed
                                   if scen.hours_freed else 0.0, lang))]
    date = result.company.get("date")
    if date:
        parts.append(_("data: {date}").format(date=date))
    c.text(0.04 * c.width, 0.93 * c.height, " · ".join(parts), size=12, color=th.muted, va="top")


def _draw(area: _Area, plan: Plan, scen: ScenarioResult, th: Theme, lang: str) -> None:
    c = area.canvas
    top, bottom = 0.93, 0.01
    n = max(len(plan.sources), len(plan.targets))
    total = max(sum(s.hours for s in plan.sources), sum(t.hours for t in plan.targets))
    scale = (top - bottom - GAP * (n - 1)) / total
    _stack(plan.sources, scale, top)
    _stack(plan.targets, scale, top)
    order_t = {t.key: i for i, t in enumerate(plan.targets)}
    order_s = {n.key: i for i, n in enumerate(plan.sources)}
    drawn = sorted((k for k in plan.bands if k[0] in order_s and k[1] in order_t),
                   key=lambda k: (order_s[k[0]], order_t[k[1]]))
    at_src: dict[tuple[str, str], float] = {}
    for key in drawn:  # bands leave each source in target order…
        src = plan.sources[order_s[key[0]]]
        at_src[key] = src.cursor
        src.cursor -= plan.bands[key] * scale
    with c.group("bands"):
        for key in sorted(drawn, key=lambda k: (order_t[k[1]], order_s[k[0]])):  # …and arrive in source order
            dst = plan.targets[order_t[key[1]]]
            h = plan.bands[key] * scale
            _band(area, (X_LEFT + BAR, at_src[key] - h, at_src[key]), (X_RIGHT, dst.cursor - h, dst.cursor),
                  dst.color)
            dst.cursor -= h
    _bars_and_labels(area, plan, th, lang)
    c.text(*area.at(X_LEFT + BAR / 2, top + 0.045), _("Freed by AI: {hours}").format(
        hours=fmt_hours(scen.hours_freed, lang)), ha="center", va="bottom", size=13, bold=True, color=th.text)
    c.text(*area.at(X_RIGHT + BAR / 2, top + 0.045), _("Where they go"), ha="center", va="bottom", size=13,
           bold=True, color=th.text)


def _band(area: _Area, left: tuple[float, float, float], right: tuple[float, float, float], color: str) -> None:
    """A filled band between two vertical segments, edges as cubic Béziers."""
    x0, a0, a1 = left
    x1, b0, b1 = right
    mid = (x0 + x1) / 2
    p = area.at
    area.canvas.path([("M", *p(x0, a1)), ("C", *p(mid, a1), *p(mid, b1), *p(x1, b1)), ("L", *p(x1, b0)),
                      ("C", *p(mid, b0), *p(mid, a0), *p(x0, a0)), ("Z",)], fill=color, alpha=0.45)


def _spread(centres: list[float], heights: list[float], low: float, high: float, pad: float = 0.006) -> list[float]:
    """Label centres, top to bottom, moved apart so that no two labels overlap, within [low, high].

    Each label keeps its bar's centre when it can; the stack is pushed up
    when it would leave the bottom (if it cannot fit at all, the caller
    shrinks the font first).
    """
    out = list(centres)
    for i in range(len(out)):
        ceiling = high - heights[i] / 2 if i == 0 else out[i - 1] - (heights[i - 1] + heights[i]) / 2 - pad
        out[i] = min(out[i], ceiling)
    if out and out[-1] - heights[-1] / 2 < low:
        out[-1] = low + heights[-1] / 2
        for i in range(len(out) - 2, -1, -1):
            out[i] = max(out[i], out[i + 1] + (heights[i] + heights[i + 1]) / 2 + pad)
    return out


def _bars_and_labels(area: _Area, plan: Plan, th: Theme, lang: str) -> None:
    """Bars, and their labels beside them (a thin leader when a label had to move)."""
    c = area.canvas
    for x, nodes, side in ((X_LEFT, plan.sources, "left"), (X_RIGHT, plan.targets, "right")):
        lines_per = [_node_lines(n, lang) for n in nodes]
        size = 11.0
        line_h = 0.0265  # axes units per line at 11 pt (8 in × 0.86 of figure height)
        total = sum(len(lines) for lines in lines_per) * line_h + 0.006 * len(nodes)
        if total > 0.97:
            size *= 0.97 / total
            line_h *= 0.97 / total
        heights = [line_h * len(lines) for lines in lines_per]
        centres = [(n.y0 + n.y1) / 2 for n in nodes]
        placed = _spread(centres, heights, 0.0, 0.985)
        for k, (node, lines, y, centre) in enumerate(zip(nodes, lines_per, placed, centres, strict=True)):
            with c.group(f"{side}-{k}"):
                bx, by = area.at(x, node.y0)
                c.rect(bx, by, BAR * area.w, (node.y1 - node.y0) * area.h, fill=node.color,
                       stroke=th.good_border if node.bold else th.node_border, width=2.0 if node.bold else 0.6)
                edge = x if side == "left" else x + BAR
                tx = edge - 0.025 if side == "left" else edge + 0.025
                if abs(y - centre) > 0.004:
                    c.line([area.at(edge, centre), area.at(tx, y)], th.muted, 0.7)
                c.text(*area.at(tx + (-0.004 if side == "left" else 0.004), y), "\n".join(lines),
                       ha="right" if side == "left" else "left", va="center", size=size, color=th.text,
                       bold=node.bold, linespacing=1.1)


def _node_lines(node: Node, lang: str) -> list[str]:
    name = wrap(node.label, 38, max_chars=100)
    if node.bold:
        name[0] = f"{HEART} {name[0]}"
    figure = fmt_hours(node.hours, lang)
    if node.detail:
        figure += f" · {node.detail}"
    return [*name, figure]
