"""``matrix.svg``: automatability × relational index, four named quadrants, bubbles sized by hours.

Each activity is a bubble at (automatability, relational index) — the point
estimates of ``analysis.json`` — with area proportional to its hours; colour
is its quadrant; relational goods get a bold dark ring and a ♥ in their
label; whiskers span the input range (``automatability_range``,
``relational_range``) where inputs are ranges. Labels are placed greedily,
largest activities first, at the first spot around the bubble that collides
with no other label or bubble (a leader line when it had to move away).

The view is laid out here, in points, on a :class:`~relmap.render.canvas.Canvas`
(text measured with Arial's advance widths): its SVG is written directly and
its PNG drawn by Pillow (:mod:`relmap.render.raster`), several times faster
than matplotlib drew them (``bench/RESULTS.md``).
"""

from __future__ import annotations

import math
from typing import Any

from ..analysis.result import ActivityResult, AnalysisResult
from ..i18n import _, language, ngettext
from .canvas import Canvas, HAlign, VAlign, text_block
from .plot import Frame, x_axis, y_axis
from .text import fmt_hours, fmt_percent, wrap
from .theme import HEART, Theme, get_theme

#: Area, in pt², of the largest activity's bubble.
MAX_BUBBLE = 2000.0
#: Smallest bubble area, so tiny activities stay visible.
MIN_BUBBLE = 40.0
#: A bubble's label is cut, visibly with "…", past this many characters.
LABEL_CHARS = 90
#: At most this many numbered names in the key (one line each, at :data:`KEY_SIZE`).
MAX_KEYED = 15
#: Figure size in inches: the shape of a slide's picture area (12.3 × 5.5 in), so that the smallest text
#: (labels at 9 pt, the key at 8.5 pt) stays at 7 pt or more once the picture fills it (scale 0.83).
FIGSIZE = (14.0, 6.6)
#: Font size of the numbered names in the key, and their length (one line each, cut visibly with "…").
KEY_SIZE = 8.5
KEY_CHARS = 48
#: Above this many activities only the largest ones and the relational goods get a label.
MAX_LABELS = 60
#: Label font size in points: the first up to :data:`ROOMY` labels, the second beyond (crowded charts).
LABEL_SIZES = (10.5, 9.0)
ROOMY = 30
#: Above this many activities only the labelled bubbles get whiskers (thousands of whiskers are a grey fog).
ALL_WHISKERS_UP_TO = 500


def largest_bubble(count: int) -> float:
    """Area of the largest bubble: ``MAX_BUBBLE × min(1, √(40 / count))`` (crowded charts get smaller bubbles)."""
    return MAX_BUBBLE * min(1.0, math.sqrt(40 / max(1, count)))


def bubble_area(hours: float, max_hours: float, top: float = MAX_BUBBLE) -> float:
    """Bubble area in pt²: ``top × hours / max_hours``, at least ``MIN_BUBBLE`` (area ∝ hours)."""
    if max_hours <= 0:
        return MIN_BUBBLE
    return max(MIN_BUBBLE, top * hours / max_hours)


def quadrant_titles() -> dict[str, str]:
    """Display names of the four quadrants (translated)."""
    return {"relational_core": _("Relational core — keep human, invest"),
            "augment": _("Augment — AI assists the people"),
            "automate": _("Automate — AI can do the work"),
            "sustain": _("Sustain — run as today")}


def matrix_canvas(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                  lang: str = "en") -> Canvas:
    """The matrix view laid out (:class:`~relmap.render.canvas.Canvas`): its SVG is written directly, its PNG drawn
    by Pillow and its PDF by matplotlib from the same shapes."""
    th = get_theme(theme)
    del scenario  # positions do not depend on the scenario; kept for a uniform signature
    with language(lang):
        canvas = Canvas(FIGSIZE[0] * 72, FIGSIZE[1] * 72, th.background)
        plot = _Plot(canvas)
        names = _quadrants(plot, result, th)
        acts = [a for a in result.activities if a.hours > 0]
        max_hours = max((a.hours for a in acts), default=0.0)
        top = largest_bubble(len(acts))
        whiskered = acts if len(acts) <= ALL_WHISKERS_UP_TO else _label_order(acts)[:MAX_LABELS]
        _bubbles(plot, acts, whiskered, max_hours, top, th)
        keyed = _labels(plot, acts, whiskered, max_hours, top, th, names, _threshold_boxes(plot, result))
        _titles(canvas, result, th, lang, unlabelled=max(0, len(acts) - MAX_LABELS) + max(0, len(keyed) - MAX_KEYED))
        _key(canvas, max_hours, top, th, lang, keyed)
        return canvas


#: The data sit in [0, 1]; the plot extends beyond so bubbles at 0 or 1 are whole and quadrant names sit apart.
X_LIM = (-0.05, 1.05)
Y_LIM = (-0.16, 1.16)
#: The plot's and the key's boxes, as fractions of the figure (left, bottom, width, height).
PLOT_BOX = (0.06, 0.1, 0.66, 0.74)
KEY_BOX = (0.76, 0.1, 0.23, 0.74)


class _Plot:
    """The plot area of the canvas and its data scale: ``X_LIM × Y_LIM`` onto :data:`PLOT_BOX` (points, y up)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        left, bottom, width, height = PLOT_BOX
        self.frame = Frame(left * canvas.width, bottom * canvas.height, (left + width) * canvas.width,
                           (bottom + height) * canvas.height, *X_LIM, *Y_LIM)

    def x(self, value: Any) -> Any:
        """Data x (a number or an array) to points (:meth:`relmap.render.plot.Frame.x`)."""
        return self.frame.x(value)

    def y(self, value: Any) -> Any:
        """Data y (a number or an array) to points."""
        return self.frame.y(value)


def _quadrants(plot: _Plot, result: AnalysisResult, th: Theme) -> list[tuple[float, float, float, float]]:
    """Tinted quadrants split at the thresholds, their names in the bands above 100 % and below 0 %, the
    borderline bands, the threshold lines and the axes. Returns the names' boxes."""
    c, f = plot.canvas, plot.frame
    ta = result.thresholds.get("automatable", 0.5)
    tr = result.thresholds.get("relational", 0.5)
    (x0, x1), (y0, y1) = X_LIM, Y_LIM
    boxes = {"relational_core": (x0, tr, ta, y1), "augment": (ta, tr, x1, y1), "automate": (ta, y0, x1, tr),
             "sustain": (x0, y0, ta, tr)}
    corners: dict[str, tuple[float, float, HAlign, VAlign]] = {
        "relational_core": (x0 + 0.012, y1 - 0.012, "left", "top"),
        "augment": (x1 - 0.012, y1 - 0.012, "right", "top"),
        "automate": (x1 - 0.012, y0 + 0.012, "right", "bottom"),
        "sustain": (x0 + 0.012, y0 + 0.012, "left", "bottom")}
    for quadrant, (a, b, a1, b1) in boxes.items():
        c.rect(plot.x(a), plot.y(b), plot.x(a1) - plot.x(a), plot.y(b1) - plot.y(b),
               fill=th.quadrant_fill[quadrant], alpha=0.13)
    margin = float(result.thresholds.get("borderline", 0.05))
    if margin > 0:  # the borderline zone: an activity inside it is a judgement call (flag 'borderline')
        with c.group("borderline-a"):
            c.rect(plot.x(ta - margin), f.y0, plot.x(ta + margin) - plot.x(ta - margin), f.y1 - f.y0,
                   fill=th.muted, alpha=0.10)
        with c.group("borderline-r"):
            c.rect(f.x0, plot.y(tr - margin), f.x1 - f.x0, plot.y(tr + margin) - plot.y(tr - margin),
                   fill=th.muted, alpha=0.10)
    titles = quadrant_titles()
    names = []
    for quadrant, (cx, cy, ha, va) in corners.items():
        with c.group(f"quadrant-{quadrant}"):
            names.append(c.text(plot.x(cx), plot.y(cy), titles[quadrant], size=13, bold=True, color=th.text,
                                alpha=0.85, ha=ha, va=va))
    with c.group("threshold-automatable"):
        c.line([(plot.x(ta), f.y0), (plot.x(ta), f.y1)], th.muted, 1.2, dash=(7.2, 3.6))
    with c.group("threshold-relational"):
        c.line([(f.x0, plot.y(tr)), (f.x1, plot.y(tr))], th.muted, 1.2, dash=(7.2, 3.6))
    _axes(plot, th)
    return names


def _axes(plot: _Plot, th: Theme) -> None:
    """The left and bottom axes: lines, ticks at 0, 25, 50, 75, 100 % and their titles."""
    ticks = [0, 0.25, 0.5, 0.75, 1.0]
    with plot.canvas.group("axis-x"):
        x_axis(plot.canvas, plot.frame, ticks, lambda t: f"{int(t * 100)}", color=th.muted, size=11,
               title=_("Automatability: share of the hours AI could free (%)"), title_color=th.text, title_size=12)
    with plot.canvas.group("axis-y"):
        y_axis(plot.canvas, plot.frame, ticks, lambda t: f"{int(t * 100)}", color=th.muted, size=11,
               title=_("Relational index: how much value lives in the relation (%)"), title_color=th.text,
               title_size=12)


def _label_order(acts: list[ActivityResult]) -> list[ActivityResult]:
    """Who gets a label first: relational goods, then the largest (ties by id)."""
    return sorted(acts, key=lambda a: (not a.relational_good, -a.hours, a.id))


def _has_range(act: ActivityResult) -> bool:
    ar, rr = act.automatability_range, act.relational_range
    return ar.high - ar.low > 1e-9 or rr.high - rr.low > 1e-9


def _bubbles(plot: _Plot, acts: list[ActivityResult], whiskered: list[ActivityResult], max_hours: float,
             top: float, th: Theme) -> None:
    """Whiskers (with 6 pt caps) under the bubbles; bubbles largest first, so small ones sit on top. Only the
    ``whiskered`` activities get whiskers (all of them up to :data:`ALL_WHISKERS_UP_TO` activities)."""
    c = plot.canvas
    ordered = sorted(acts, key=lambda a: (-a.hours, a.id))  # big ones below, small ones on top
    ranged = sorted((a for a in whiskered if _has_range(a)), key=lambda a: (-a.hours, a.id))
    with c.group("whiskers"):
        for a in ranged:
            x, y = plot.x(a.automatability), plot.y(a.relational_index)
            lo, hi = plot.x(a.automatability_range.low), plot.x(a.automatability_range.high)
            if hi - lo > 1e-6:
                c.line([(lo, y), (hi, y)], th.muted, 1.0, alpha=0.6)
                for end in (lo, hi):
                    c.line([(end, y - CAP), (end, y + CAP)], th.muted, 1.0, alpha=0.6)
            lo, hi = plot.y(a.relational_range.low), plot.y(a.relational_range.high)
            if hi - lo > 1e-6:
                c.line([(x, lo), (x, hi)], th.muted, 1.0, alpha=0.6)
                for end in (lo, hi):
                    c.line([(x - CAP, end), (x + CAP, end)], th.muted, 1.0, alpha=0.6)
    with c.group("bubbles"):
        for a in ordered:
            c.circle(plot.x(a.automatability), plot.y(a.relational_index),
                     math.sqrt(bubble_area(a.hours, max_hours, top)) / 2, fill=th.quadrant_fill[a.quadrant],
                     stroke=th.good_border if a.relational_good else th.node_border,
                     width=2.8 if a.relational_good else 0.8, alpha=0.9)


#: Half the length of a whisker's cap, in points.
CAP = 3.0


def _label_text(act: ActivityResult) -> str:
    lines = wrap(act.name, 22, max_chars=LABEL_CHARS)
    if act.relational_good:
        lines[0] = f"{HEART} {lines[0]}"
    if any(f.kind == "borderline" for f in act.flags):
        lines[-1] = f"{lines[-1]} ≈"
    return "\n".join(lines)


#: Line spacing of the labels (a multiple of the font size, matplotlib's measure).
LABEL_SPACING = 1.1


def _labels(plot: _Plot, acts: list[ActivityResult], whiskered: list[ActivityResult], max_hours: float, top: float,
            th: Theme, names: list[tuple[float, float, float, float]],
            lines: list[tuple[float, float, float, float]]) -> list[tuple[str, str]]:
    """Name every bubble where its name fits; otherwise put a number there and return ``(number, name)``.

    Greedy, relational goods then the largest first (see :func:`_best_spot`),
    with a leader line when a label had to move away from its bubble. Only the
    first :data:`MAX_LABELS` get a label or a number (the subtitle says how
    many are unlabelled; the report lists every activity). ``names`` are the
    quadrant names' boxes, ``lines`` the threshold lines' (no label on them).
    """
    c = plot.canvas
    px = 1.0  # the canvas is in points
    taken = _Obstacles(_obstacles(plot, acts, whiskered, max_hours, top, px))
    for box in names:
        taken.append(box)
    guard = _Guard(lines, _bubble_boxes(plot, acts, max_hours, top, px))
    for box in lines:  # no label on a threshold line
        taken.append(box)
    for box in names:  # no leader through a quadrant name
        guard.labels.append(box)
    order = _label_order(acts)
    fontsize = LABEL_SIZES[0] if len(acts) <= ROOMY else LABEL_SIZES[1]
    keyed: list[tuple[str, str]] = []
    for n, act in enumerate(order[:MAX_LABELS]):
        cx, cy = float(plot.x(act.automatability)), float(plot.y(act.relational_index))
        r = math.sqrt(bubble_area(act.hours, max_hours, top)) / 2 * px
        text, bold = _label_text(act), act.relational_good
        w, h = text_block(text.split("\n"), fontsize, bold, LABEL_SPACING)
        spot = _best_spot(cx, cy, r, w, h, px, plot.frame, taken, steps=64, guard=guard)
        if spot is None and len(keyed) >= MAX_KEYED:  # the key is full: this bubble stays unlabelled
            keyed.append(("", act.name))
            continue
        if spot is None:  # no free place for the name: a number here, the name in the key
            number = str(len(keyed) + 1)
            keyed.append((number, f"{HEART} {act.name}" if act.relational_good else act.name))
            text, bold = number, True
            w, h = text_block([text], fontsize, bold, LABEL_SPACING)
            spot = _best_spot(cx, cy, r, w, h, px, plot.frame, taken, steps=64, guard=guard)
            if spot is None:
                spot = _best_spot(cx, cy, r, w, h, px, plot.frame, taken, steps=30, forced=True, guard=guard)
        assert spot is not None
        x, y, ha, va = spot
        with c.group(f"label-{n}"):
            c.text(x, y, text, size=fontsize, color=th.text, bold=bold, ha=ha, va=va, linespacing=LABEL_SPACING)
        box = _extents(x, y, ha, va, w, h)
        taken.append(box)
        guard.labels.append(box)
        if needs_leader(cx, cy, r, box, px):
            start, end = _leader(cx, cy, r, box)
            guard.leaders.append((*start, *end))
            with c.group(f"leader-{n}"):
                c.line([start, end], th.muted, 0.8)
    return keyed


def needs_leader(cx: float, cy: float, r: float, box: tuple[float, float, float, float], px: float) -> bool:
    """A label further than 8 pt from its bubble's rim gets a leader line."""
    start, end = _leader(cx, cy, r, box)
    return math.hypot(end[0] - start[0], end[1] - start[1]) > 8 * px


def _leader(cx: float, cy: float, r: float, box: tuple[float, float, float, float]
            ) -> tuple[tuple[float, float], tuple[float, float]]:
    """A leader from the bubble's rim to the nearest point of its label's box (display pixels)."""
    x0, y0, x1, y1 = box
    ex, ey = min(max(cx, x0), x1), min(max(cy, y0), y1)
    d = math.hypot(ex - cx, ey - cy) or 1.0
    return (cx + (ex - cx) * r / d, cy + (ey - cy) * r / d), (ex, ey)


def _bubble_boxes(plot: _Plot, acts: list[ActivityResult], max_hours: float, top: float, px: float) -> Any:
    """Each bubble's inner square (half its radius either side of the centre), in points."""
    import numpy as np

    if not acts:
        return np.zeros((0, 4))
    cx = plot.x(np.array([a.automatability for a in acts]))
    cy = plot.y(np.array([a.relational_index for a in acts]))
    r = np.sqrt([bubble_area(a.hours, max_hours, top) for a in acts]) / 2 * px * 0.5
    return np.column_stack([cx - r, cy - r, cx + r, cy + r])


def _threshold_boxes(plot: _Plot, result: AnalysisResult) -> list[tuple[float, float, float, float]]:
    """The two threshold lines as thin boxes (±3 pt), which no label may cover."""
    f = plot.frame
    x = float(plot.x(result.thresholds.get("automatable", 0.5)))
    y = float(plot.y(result.thresholds.get("relational", 0.5)))
    return [(x - 3, f.y0 - 3, x + 3, f.y1 + 3), (f.x0 - 3, y - 3, f.x1 + 3, y + 3)]


class _Guard:
    """What a label with a leader must respect: placed labels (no leader through them), placed leaders
    (no label over them) and the threshold lines."""

    def __init__(self, lines: list[tuple[float, float, float, float]], bubbles: Any) -> None:
        self.lines = lines
        self.bubbles = bubbles
        self.labels: list[tuple[float, float, float, float]] = []
        self.leaders: list[tuple[float, float, float, float]] = []

    def allows(self, cx: float, cy: float, r: float, box: tuple[float, float, float, float], px: float, *,
               bubbles: bool = True) -> bool:
        """True when the label ``box`` crosses no leader and, if it needs a leader, the leader crosses no
        label and no other bubble (threshold lines are kept off labels by the obstacles)."""
        pad = 2 * px
        grown = (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
        if any(segment_hits_box(seg, grown) for seg in self.leaders):
            return False
        if not needs_leader(cx, cy, r, box, px):
            return True
        seg = (*_leader(cx, cy, r, box)[0], *_leader(cx, cy, r, box)[1])
        if any(segment_hits_box(seg, other) for other in self.labels):
            return False
        if not bubbles:
            return True
        # nor through another bubble (its inner box: the leader leaves its own bubble's rim)
        near = self.bubbles[(self.bubbles[:, 0] < max(seg[0], seg[2])) & (self.bubbles[:, 2] > min(seg[0], seg[2]))
                            & (self.bubbles[:, 1] < max(seg[1], seg[3])) & (self.bubbles[:, 3] > min(seg[1], seg[3]))]
        own = (abs((near[:, 0] + near[:, 2]) / 2 - cx) < 0.5) & (abs((near[:, 1] + near[:, 3]) / 2 - cy) < 0.5)
        return not any(segment_hits_box(seg, tuple(b)) for b in near[~own])


def segment_hits_box(seg: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    """Does the segment ``(x0, y0, x1, y1)`` cross the rectangle ``(bx0, by0, bx1, by1)``? (Liang–Barsky clip.)

    The segment ``p(t) = p0 + t·(p1 − p0)``, ``t ∈ [0, 1]``, is clipped to the
    rectangle one edge at a time: for each edge ``t`` is bounded by
    ``q / p`` with ``p = ∓Δ`` and ``q`` the distance to the edge; it crosses
    when the clipped interval is not empty.
    """
    x0, y0, x1, y1 = seg
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


_DIRECTIONS = [(math.cos(math.pi / 8 * k), math.sin(math.pi / 8 * k)) for k in range(16)]
#: the label's anchor in each direction: it sits on the far side of the point from the bubble
_ANCHORS: list[tuple[HAlign, VAlign]] = [
    ("left" if dx > 0.3 else "right" if dx < -0.3 else "center", "bottom" if dy > 0.3 else "top" if dy < -0.3
     else "center") for dx, dy in _DIRECTIONS]


def _best_spot(cx: float, cy: float, r: float, w: float, h: float, px: float, frame: Frame,
               taken: _Obstacles, *, steps: int, forced: bool = False,
               guard: _Guard | None = None) -> tuple[float, float, HAlign, VAlign] | None:
    """First free spot around a bubble: 16 directions × ``steps`` distances, nearest first.

    Overlaps are counted with numpy: all candidates at once, against the
    placed boxes that reach the candidates' hull only (so a label costs
    O(obstacles + candidates × nearby), not O(candidates × obstacles)). With
    a ``guard``, a spot is free only if its label covers no leader line and its
    own leader crosses no label and no threshold (:meth:`_Guard.allows`). None
    when nothing is free, unless ``forced``: then the least crowded spot.
    """
    import numpy as np

    # the candidates, nearest first: (x, y) = centre + direction × distance, anchored as _ANCHORS says; their
    # boxes as _extents computes them, with arrays (the same operations, so the same floats)
    dists = np.array([r + 4 * px + step * 7 * px for step in range(steps)])
    xs = (cx + np.array([d[0] for d in _DIRECTIONS])[None, :] * dists[:, None]).ravel()
    ys = (cy + np.array([d[1] for d in _DIRECTIONS])[None, :] * dists[:, None]).ravel()
    x0 = xs - np.tile(np.array([{"left": 0.0, "center": w / 2, "right": w}[ha] for ha, _va in _ANCHORS]), steps)
    y0 = ys - np.tile(np.array([{"bottom": 0.0, "center": h / 2, "top": h}[va] for _ha, va in _ANCHORS]), steps)
    boxes = np.column_stack([x0, y0, x0 + w, y0 + h])

    def spot(k: int) -> tuple[float, float, HAlign, VAlign]:
        ha, va = _ANCHORS[k % len(_ANCHORS)]
        return (float(xs[k]), float(ys[k]), ha, va)

    inside = ((boxes[:, 0] >= frame.x0) & (boxes[:, 2] <= frame.x1) & (boxes[:, 1] >= frame.y0)
              & (boxes[:, 3] <= frame.y1))
    pad = 2 * px
    # overlaps are counted for the candidates inside the frame only (no other is ever chosen), against the
    # obstacles near them: near the frame's edges that is far fewer of both
    counts = np.zeros(len(boxes), dtype=int)
    shown = np.flatnonzero(inside)
    if shown.size:
        part = boxes[shown]
        other = taken.near(float(part[:, 0].min()) - pad, float(part[:, 1].min()) - pad,
                           float(part[:, 2].max()) + pad, float(part[:, 3].max()) + pad)
        if len(other):
            hits = ((part[:, None, 0] - pad < other[None, :, 2]) & (part[:, None, 2] + pad > other[None, :, 0])
                    & (part[:, None, 1] - pad < other[None, :, 3]) & (part[:, None, 3] + pad > other[None, :, 1]))
            counts[shown] = hits.sum(axis=1)
    free = np.flatnonzero(inside & (counts == 0))
    for k in free:  # nearest first; with a guard, the first whose leader crosses nothing
        if guard is None or guard.allows(cx, cy, r, tuple(boxes[int(k)]), px):
            return spot(int(k))
    if not forced:
        return None
    for k in free:  # a number may have its leader cross another bubble
        if guard is not None and guard.allows(cx, cy, r, tuple(boxes[int(k)]), px, bubbles=False):
            return spot(int(k))
    candidates = np.flatnonzero(inside)
    if guard is not None:  # the least crowded spot whose leader crosses nothing, if there is one
        allowed = np.array([k for k in candidates if guard.allows(cx, cy, r, tuple(boxes[int(k)]), px)], dtype=int)
        candidates = allowed if allowed.size else candidates
    if not candidates.size:
        return (cx + r + 4 * px, cy, "left", "center")
    return spot(int(candidates[np.argmin(counts[candidates])]))


class _Obstacles:
    """Boxes ``(x0, y0, x1, y1)`` in display pixels that labels must avoid, in one growing numpy array."""

    def __init__(self, boxes: Any) -> None:
        import numpy as np

        self._boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        self._extra: list[tuple[float, float, float, float]] = []

    def append(self, box: tuple[float, float, float, float]) -> None:
        self._extra.append(box)

    def near(self, x0: float, y0: float, x1: float, y1: float) -> Any:
        """The boxes that overlap the rectangle ``(x0, y0, x1, y1)``."""
        import numpy as np

        if self._extra:
            self._boxes = np.vstack([self._boxes, np.array(self._extra, dtype=float)])
            self._extra = []
        b = self._boxes
        return b[(b[:, 0] < x1) & (b[:, 2] > x0) & (b[:, 1] < y1) & (b[:, 3] > y0)]


def _obstacles(plot: _Plot, acts: list[ActivityResult], whiskered: list[ActivityResult], max_hours: float,
               top: float, px: float) -> Any:
    """Bubbles (their inner 70 %) and drawn whiskers (±2 pt wide) as boxes in points, computed with arrays."""
    import numpy as np

    if not acts:
        return np.zeros((0, 4))
    cx = plot.x(np.array([a.automatability for a in acts]))
    cy = plot.y(np.array([a.relational_index for a in acts]))
    r = np.sqrt([bubble_area(a.hours, max_hours, top) for a in acts]) / 2 * px * 0.7
    boxes = [np.column_stack([cx - r, cy - r, cx + r, cy + r])]
    if not whiskered:
        return boxes[0]
    x = plot.x(np.array([a.automatability for a in whiskered]))
    y = plot.y(np.array([a.relational_index for a in whiskered]))
    ar = plot.x(np.array([(a.automatability_range.low, a.automatability_range.high) for a in whiskered]))
    rr = plot.y(np.array([(a.relational_range.low, a.relational_range.high) for a in whiskered]))
    wide = ar[:, 1] - ar[:, 0] > 1e-6  # horizontal whiskers
    if wide.any():
        boxes.append(np.column_stack([ar[wide, 0], y[wide] - 2 * px, ar[wide, 1], y[wide] + 2 * px]))
    tall = rr[:, 1] - rr[:, 0] > 1e-6  # vertical whiskers
    if tall.any():
        boxes.append(np.column_stack([x[tall] - 2 * px, rr[tall, 0], x[tall] + 2 * px, rr[tall, 1]]))
    return np.vstack(boxes)


def _extents(x: float, y: float, ha: HAlign, va: VAlign, w: float, h: float) -> tuple[float, float, float, float]:
    """``(x0, y0, x1, y1)`` of a ``w × h`` text anchored at ``(x, y)`` with this alignment."""
    x0 = x - {"left": 0.0, "center": w / 2, "right": w}[ha]
    y0 = y - {"bottom": 0.0, "center": h / 2, "top": h}[va]
    return (x0, y0, x0 + w, y0 + h)


def _titles(c: Canvas, result: AnalysisResult, th: Theme, lang: str, *, unlabelled: int = 0) -> None:
    company = str(result.company.get("name") or "")
    left = PLOT_BOX[0] * c.width
    with c.group("title"):
        c.text(left, 0.955 * c.height, _("{company} — where AI helps and where relationships matter").format(
            company=company), size=19, bold=True, color=th.text, va="bottom")
    parts = [_("Bubble area: hours per year"), _("whiskers: range of uncertain inputs"),
             _("thresholds: automatable {a}, relational {r}").format(
                 a=fmt_percent(result.thresholds.get("automatable", 0.5), lang),
                 r=fmt_percent(result.thresholds.get("relational", 0.5), lang))]
    date = result.company.get("date")
    if date:
        parts.append(_("data: {date}").format(date=date))
    if unlabelled:
        parts.append(ngettext("{n} smaller activity unlabelled (see the report)",
                              "{n} smaller activities unlabelled (see the report)", unlabelled).format(n=unlabelled))
    with c.group("subtitle"):
        c.text(left, 0.925 * c.height, "\n".join(wrap(" · ".join(parts), 160, max_chars=1000)), size=12,
               color=th.muted, va="top", linespacing=1.2)


def _key(c: Canvas, max_hours: float, top: float, th: Theme, lang: str, keyed: list[tuple[str, str]]) -> None:
    """Right column: bubble sizes, the relational-good ring, the whiskers, the borderline band, numbered names."""
    left, bottom, width, height = KEY_BOX
    x0, y0, w, h = left * c.width, bottom * c.height, width * c.width, height * c.height

    def at(x: float, y: float) -> tuple[float, float]:  # the key's own unit square
        return x0 + x * w, y0 + y * h

    with c.group("key"):
        c.text(*at(0.0, 1.0), _("Hours per year"), size=12, bold=True, va="top", color=th.text)
        if max_hours > 0:
            for y, share in ((0.88, 1.0), (0.745, 0.5), (0.655, 0.1)):
                hours = max_hours * share
                c.circle(*at(0.2, y), math.sqrt(bubble_area(hours, max_hours, top)) / 2,
                         fill=th.quadrant_fill["sustain"], stroke=th.node_border, width=0.8)
                c.text(*at(0.42, y), fmt_hours(hours, lang), size=11, va="center", color=th.text)
        c.circle(*at(0.2, 0.575), math.sqrt(300) / 2, fill=th.quadrant_fill["relational_core"],
                 stroke=th.good_border, width=2.8)
        c.text(*at(0.42, 0.575), _("{heart} relational good\n(bold ring)").format(heart=HEART), size=11,
               va="center", color=th.text)
        (ax, ay), (bx, by) = at(0.12, 0.5), at(0.28, 0.5)
        c.line([(ax, ay), (bx, by)], th.muted, 1.0)
        for end in (ax, bx):
            c.line([(end, ay - CAP), (end, ay + CAP)], th.muted, 1.0)
        (ax, ay), (bx, by) = at(0.2, 0.47), at(0.2, 0.53)
        c.line([(ax, ay), (bx, by)], th.muted, 1.0)
        for end in (ay, by):
            c.line([(ax - CAP, end), (ax + CAP, end)], th.muted, 1.0)
        c.text(*at(0.42, 0.5), _("range of the inputs"), size=11, va="center", color=th.text)
        bx0, by0 = at(0.12, 0.425)
        c.rect(bx0, by0, 0.16 * w, 0.03 * h, fill=th.muted, alpha=0.25)
        c.text(*at(0.42, 0.44), _("≈ near a threshold"), size=11, va="center", color=th.text)
        keyed = [(number, name) for number, name in keyed if number]
        if not keyed:
            return
        c.text(*at(0.0, 0.39), _("Numbered bubbles"), size=12, bold=True, va="top", color=th.text)
        lines = [f"{number}  {wrap(name, 1000, max_chars=KEY_CHARS)[0]}" for number, name in keyed]
        c.text(*at(0.0, 0.34), "\n".join(lines), size=KEY_SIZE, va="top", color=th.text, linespacing=1.15)
