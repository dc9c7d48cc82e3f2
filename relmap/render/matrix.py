"""``matrix.svg``: automatability × relational index, four named quadrants, bubbles sized by hours.

Each activity is a bubble at (automatability, relational index) — the point
estimates of ``analysis.json`` — with area proportional to its hours; colour
is its quadrant; relational goods get a bold dark ring and a ♥ in their
label; whiskers span the input range (``automatability_range``,
``relational_range``) where inputs are ranges. Labels are placed greedily,
largest activities first, at the first spot around the bubble that collides
with no other label or bubble (a leader line when it had to move away).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

from ..analysis.result import ActivityResult, AnalysisResult
from ..i18n import _, language, ngettext
from .charts import mpl_context, new_figure
from .text import fmt_hours, fmt_percent, wrap
from .theme import HEART, Theme, get_theme

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "center", "top"]
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


def matrix_figure(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                  lang: str = "en") -> Figure:
    """The matrix view drawn, not saved: save it in as many formats as needed (inside ``mpl_context``)."""
    th = get_theme(theme)
    with language(lang), mpl_context(th):
        fig = new_figure(*FIGSIZE)
        ax = fig.add_axes((0.06, 0.1, 0.66, 0.74))
        del scenario  # positions do not depend on the scenario; kept for a uniform signature
        _quadrants(ax, result, th)
        acts = [a for a in result.activities if a.hours > 0]
        max_hours = max((a.hours for a in acts), default=0.0)
        top = largest_bubble(len(acts))
        whiskered = acts if len(acts) <= ALL_WHISKERS_UP_TO else _label_order(acts)[:MAX_LABELS]
        _bubbles(ax, acts, whiskered, max_hours, top, th)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        keyed = _labels(ax, acts, whiskered, max_hours, top, th, renderer)
        _titles(fig, result, th, lang, unlabelled=max(0, len(acts) - MAX_LABELS) + max(0, len(keyed) - MAX_KEYED))
        _key(fig, max_hours, top, th, lang, keyed)
        return fig


#: The data sit in [0, 1]; the plot extends beyond so bubbles at 0 or 1 are whole and quadrant names sit apart.
X_LIM = (-0.05, 1.05)
Y_LIM = (-0.16, 1.16)


def _quadrants(ax: Axes, result: AnalysisResult, th: Theme) -> None:
    """Tinted quadrants split at the thresholds; their names in the bands above 100 % and below 0 %."""
    from matplotlib.patches import Rectangle

    ta = result.thresholds.get("automatable", 0.5)
    tr = result.thresholds.get("relational", 0.5)
    (x0, x1), (y0, y1) = X_LIM, Y_LIM
    boxes = {"relational_core": (x0, tr, ta - x0, y1 - tr), "augment": (ta, tr, x1 - ta, y1 - tr),
             "automate": (ta, y0, x1 - ta, tr - y0), "sustain": (x0, y0, ta - x0, tr - y0)}
    corners = {"relational_core": (x0 + 0.012, y1 - 0.012, "left", "top"),
               "augment": (x1 - 0.012, y1 - 0.012, "right", "top"),
               "automate": (x1 - 0.012, y0 + 0.012, "right", "bottom"),
               "sustain": (x0 + 0.012, y0 + 0.012, "left", "bottom")}
    titles = quadrant_titles()
    for quadrant, (x, y, w, h) in boxes.items():
        ax.add_patch(Rectangle((x, y), w, h, facecolor=th.quadrant_fill[quadrant], alpha=0.13,
                               edgecolor="none", zorder=0))
        cx, cy, ha, va = corners[quadrant]
        ax.text(cx, cy, titles[quadrant], ha=ha, va=va, fontsize=13, fontweight="bold", color=th.text,
                alpha=0.85, zorder=1, parse_math=False, gid=f"quadrant-{quadrant}")
    margin = float(result.thresholds.get("borderline", 0.05))
    if margin > 0:  # the borderline zone: an activity inside it is a judgement call (flag 'borderline')
        ax.axvspan(ta - margin, ta + margin, color=th.muted, alpha=0.10, linewidth=0, zorder=0, gid="borderline-a")
        ax.axhspan(tr - margin, tr + margin, color=th.muted, alpha=0.10, linewidth=0, zorder=0, gid="borderline-r")
    ax.axvline(ta, color=th.muted, linewidth=1.2, linestyle=(0, (6, 3)), zorder=1, gid="threshold-automatable")
    ax.axhline(tr, color=th.muted, linewidth=1.2, linestyle=(0, (6, 3)), zorder=1, gid="threshold-relational")
    ax.set_xlim(*X_LIM)
    ax.set_ylim(*Y_LIM)
    ticks = [0, 0.25, 0.5, 0.75, 1.0]
    ax.set_xticks(ticks, [f"{int(t * 100)}" for t in ticks])
    ax.set_yticks(ticks, [f"{int(t * 100)}" for t in ticks])
    ax.tick_params(labelsize=11)
    ax.set_xlabel(_("Automatability: share of the hours AI could free (%)"), fontsize=12)
    ax.set_ylabel(_("Relational index: how much value lives in the relation (%)"), fontsize=12)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _label_order(acts: list[ActivityResult]) -> list[ActivityResult]:
    """Who gets a label first: relational goods, then the largest (ties by id)."""
    return sorted(acts, key=lambda a: (not a.relational_good, -a.hours, a.id))


def _has_range(act: ActivityResult) -> bool:
    ar, rr = act.automatability_range, act.relational_range
    return ar.high - ar.low > 1e-9 or rr.high - rr.low > 1e-9


def _bubbles(ax: Axes, acts: list[ActivityResult], whiskered: list[ActivityResult], max_hours: float, top: float,
             th: Theme) -> None:
    """All whiskers as one errorbar artist, all bubbles as one scatter artist (arrays of sizes and colours).

    One artist per kind, not one per activity: drawing and saving cost no
    longer grow with a Python object per activity. Bubbles are drawn largest
    first, so small ones sit on top. Only the ``whiskered`` activities get
    whiskers (all of them up to :data:`ALL_WHISKERS_UP_TO` activities).
    """
    import numpy as np

    ordered = sorted(acts, key=lambda a: (-a.hours, a.id))  # big ones below, small ones on top
    ranged = sorted((a for a in whiskered if _has_range(a)), key=lambda a: (-a.hours, a.id))
    if ranged:
        x = np.array([a.automatability for a in ranged])
        y = np.array([a.relational_index for a in ranged])
        xerr = np.array([[x0 - a.automatability_range.low for x0, a in zip(x, ranged, strict=True)],
                         [a.automatability_range.high - x0 for x0, a in zip(x, ranged, strict=True)]])
        yerr = np.array([[y0 - a.relational_range.low for y0, a in zip(y, ranged, strict=True)],
                         [a.relational_range.high - y0 for y0, a in zip(y, ranged, strict=True)]])
        ax.errorbar(x, y, xerr=np.clip(xerr, 0, None), yerr=np.clip(yerr, 0, None), fmt="none", ecolor=th.muted,
                    elinewidth=1.0, capsize=3, alpha=0.6, zorder=2)
    if not ordered:
        return
    goods = [a.relational_good for a in ordered]
    ax.scatter([a.automatability for a in ordered], [a.relational_index for a in ordered],
               s=[bubble_area(a.hours, max_hours, top) for a in ordered],
               c=[th.quadrant_fill[a.quadrant] for a in ordered],
               edgecolors=[th.good_border if g else th.node_border for g in goods],
               linewidths=[2.8 if g else 0.8 for g in goods], alpha=0.9, zorder=3)


def _label_text(act: ActivityResult) -> str:
    lines = wrap(act.name, 22, max_chars=LABEL_CHARS)
    if act.relational_good:
        lines[0] = f"{HEART} {lines[0]}"
    if any(f.kind == "borderline" for f in act.flags):
        lines[-1] = f"{lines[-1]} ≈"
    return "\n".join(lines)


def _labels(ax: Axes, acts: list[ActivityResult], whiskered: list[ActivityResult], max_hours: float, top: float,
            th: Theme, renderer: RendererBase) -> list[tuple[str, str]]:
    """Name every bubble where its name fits; otherwise put a number there and return ``(number, name)``.

    Greedy, relational goods then the largest first (see :func:`_best_spot`),
    with a leader line when a label had to move away from its bubble. Only the
    first :data:`MAX_LABELS` get a label or a number (the subtitle says how
    many are unlabelled; the report lists every activity).
    """
    from matplotlib.transforms import IdentityTransform

    fig = ax.figure
    px = fig.dpi / 72.0
    taken = _Obstacles(_obstacles(ax, acts, whiskered, max_hours, top, px))
    for title in ax.texts:  # the quadrant names
        e = title.get_window_extent(renderer)
        taken.append((e.x0, e.y0, e.x1, e.y1))
    frame = ax.get_window_extent(renderer)
    guard = _Guard(_threshold_boxes(ax, px), _bubble_boxes(ax, acts, max_hours, top, px))
    for box in guard.lines:  # no label on a threshold line
        taken.append(box)
    for title in ax.texts:  # no leader through a quadrant name
        e = title.get_window_extent(renderer)
        guard.labels.append((e.x0, e.y0, e.x1, e.y1))
    order = _label_order(acts)
    fontsize = LABEL_SIZES[0] if len(acts) <= ROOMY else LABEL_SIZES[1]
    keyed: list[tuple[str, str]] = []
    for n, act in enumerate(order[:MAX_LABELS]):
        cx, cy = ax.transData.transform((act.automatability, act.relational_index))
        r = math.sqrt(bubble_area(act.hours, max_hours, top)) / 2 * px
        text = ax.text(0, 0, _label_text(act), fontsize=fontsize, color=th.text, zorder=5,
                       fontweight="bold" if act.relational_good else "normal", linespacing=1.1,
                       parse_math=False, transform=IdentityTransform(), ha="left", va="bottom", gid=f"label-{n}")
        size = text.get_window_extent(renderer)
        spot = _best_spot(cx, cy, r, size.width, size.height, px, frame, taken, steps=64, guard=guard)
        if spot is None and len(keyed) >= MAX_KEYED:  # the key is full: this bubble stays unlabelled
            text.remove()
            keyed.append(("", act.name))
            continue
        if spot is None:  # no free place for the name: a number here, the name in the key
            number = str(len(keyed) + 1)
            keyed.append((number, f"{HEART} {act.name}" if act.relational_good else act.name))
            text.set_text(number)
            text.set_fontweight("bold")
            size = text.get_window_extent(renderer)
            spot = _best_spot(cx, cy, r, size.width, size.height, px, frame, taken, steps=64, guard=guard)
            if spot is None:
                spot = _best_spot(cx, cy, r, size.width, size.height, px, frame, taken, steps=30, forced=True,
                                  guard=guard)
        assert spot is not None
        x, y, ha, va = spot
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)
        _set_data_position(ax, text, x, y)
        box = _extents(x, y, ha, va, size.width, size.height)
        taken.append(box)
        guard.labels.append(box)
        if needs_leader(cx, cy, r, box, px):
            start, end = _leader(cx, cy, r, box)
            guard.leaders.append((*start, *end))
            (x0, y0), (x1, y1) = ax.transData.inverted().transform([start, end])
            ax.plot([x0, x1], [y0, y1], color=th.muted, linewidth=0.8, zorder=4, gid=f"leader-{n}")
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


def _bubble_boxes(ax: Axes, acts: list[ActivityResult], max_hours: float, top: float, px: float) -> Any:
    """Each bubble's inner square (half its radius either side of the centre), in display pixels."""
    import numpy as np

    if not acts:
        return np.zeros((0, 4))
    centre = ax.transData.transform(np.array([(a.automatability, a.relational_index) for a in acts]))
    r = np.sqrt([bubble_area(a.hours, max_hours, top) for a in acts]) / 2 * px * 0.5
    return np.column_stack([centre[:, 0] - r, centre[:, 1] - r, centre[:, 0] + r, centre[:, 1] + r])


def _threshold_boxes(ax: Axes, px: float) -> list[tuple[float, float, float, float]]:
    """The two threshold lines as thin display boxes (±3 pt), which no label may cover."""
    out = []
    for line in ax.lines:
        if str(line.get_gid() or "").startswith("threshold-"):
            import numpy as np

            xy: Any = np.column_stack([np.asarray(line.get_xdata(), dtype=float),
                                       np.asarray(line.get_ydata(), dtype=float)])
            pts = line.get_transform().transform(xy)
            (ax0, ay0), (ax1, ay1) = pts[0], pts[-1]
            out.append((min(ax0, ax1) - 3 * px, min(ay0, ay1) - 3 * px, max(ax0, ax1) + 3 * px,
                        max(ay0, ay1) + 3 * px))
    return out


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


def _best_spot(cx: float, cy: float, r: float, w: float, h: float, px: float, frame: Bbox,
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


def _obstacles(ax: Axes, acts: list[ActivityResult], whiskered: list[ActivityResult], max_hours: float, top: float,
               px: float) -> Any:
    """Bubbles (their inner 70 %) and drawn whiskers (±2 pt wide) as display-pixel boxes, computed with arrays."""
    import numpy as np

    if not acts:
        return np.zeros((0, 4))
    x = np.array([a.automatability for a in acts])
    y = np.array([a.relational_index for a in acts])
    centre = ax.transData.transform(np.column_stack([x, y]))
    r = np.sqrt([bubble_area(a.hours, max_hours, top) for a in acts]) / 2 * px * 0.7
    boxes = [np.column_stack([centre[:, 0] - r, centre[:, 1] - r, centre[:, 0] + r, centre[:, 1] + r])]
    if not whiskered:
        return boxes[0]
    x = np.array([a.automatability for a in whiskered])
    y = np.array([a.relational_index for a in whiskered])
    ar = np.array([(a.automatability_range.low, a.automatability_range.high) for a in whiskered])
    rr = np.array([(a.relational_range.low, a.relational_range.high) for a in whiskered])
    wide = ar[:, 1] - ar[:, 0] > 1e-9  # horizontal whiskers
    if wide.any():
        lo = ax.transData.transform(np.column_stack([ar[wide, 0], y[wide]]))
        hi = ax.transData.transform(np.column_stack([ar[wide, 1], y[wide]]))
        boxes.append(np.column_stack([lo[:, 0], lo[:, 1] - 2 * px, hi[:, 0], hi[:, 1] + 2 * px]))
    tall = rr[:, 1] - rr[:, 0] > 1e-9  # vertical whiskers
    if tall.any():
        lo = ax.transData.transform(np.column_stack([x[tall], rr[tall, 0]]))
        hi = ax.transData.transform(np.column_stack([x[tall], rr[tall, 1]]))
        boxes.append(np.column_stack([lo[:, 0] - 2 * px, lo[:, 1], hi[:, 0] + 2 * px, hi[:, 1]]))
    return np.vstack(boxes)


def _extents(x: float, y: float, ha: HAlign, va: VAlign, w: float, h: float) -> tuple[float, float, float, float]:
    """``(x0, y0, x1, y1)`` of a ``w × h`` text anchored at ``(x, y)`` with this alignment."""
    x0 = x - {"left": 0.0, "center": w / 2, "right": w}[ha]
    y0 = y - {"bottom": 0.0, "center": h / 2, "top": h}[va]
    return (x0, y0, x0 + w, y0 + h)


def _set_data_position(ax: Axes, text: Any, x: float, y: float) -> None:
    """Anchor a label in data coordinates (display coordinates change when saved at another dpi)."""
    dx, dy = ax.transData.inverted().transform((x, y))
    text.set_transform(ax.transData)
    text.set_position((dx, dy))


def _titles(fig: Any, result: AnalysisResult, th: Theme, lang: str, *, unlabelled: int = 0) -> None:
    company = str(result.company.get("name") or "")
    fig.text(0.06, 0.955, _("{company} — where AI helps and where relationships matter").format(company=company),
             fontsize=19, fontweight="bold", color=th.text, parse_math=False, va="bottom")
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
    fig.text(0.06, 0.925, "\n".join(wrap(" · ".join(parts), 160, max_chars=1000)), fontsize=12, color=th.muted,
             parse_math=False, va="top", linespacing=1.2)


def _key(fig: Any, max_hours: float, top: float, th: Theme, lang: str, keyed: list[tuple[str, str]]) -> None:
    """Right column: bubble sizes, the relational-good ring, the whiskers, the borderline band, numbered names."""
    from matplotlib.patches import Rectangle

    ax = fig.add_axes((0.76, 0.1, 0.23, 0.74))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.text(0.0, 1.0, _("Hours per year"), fontsize=12, fontweight="bold", va="top", color=th.text)
    if max_hours > 0:
        for y, share in ((0.88, 1.0), (0.745, 0.5), (0.655, 0.1)):
            hours = max_hours * share
            ax.scatter([0.2], [y], s=bubble_area(hours, max_hours, top), color=th.quadrant_fill["sustain"],
                       edgecolors=th.node_border, linewidths=0.8, clip_on=False)
            ax.text(0.42, y, fmt_hours(hours, lang), fontsize=11, va="center", color=th.text)
    ax.scatter([0.2], [0.575], s=300, clip_on=False, color=th.quadrant_fill["relational_core"],
               edgecolors=th.good_border, linewidths=2.8)
    ax.text(0.42, 0.575, _("{heart} relational good\n(bold ring)").format(heart=HEART), fontsize=11,
            va="center", color=th.text, wrap=False)
    ax.errorbar([0.2], [0.5], xerr=[[0.08], [0.08]], yerr=[[0.03], [0.03]], fmt="none", ecolor=th.muted,
                elinewidth=1.0, capsize=3)
    ax.text(0.42, 0.5, _("range of the inputs"), fontsize=11, va="center", color=th.text)
    ax.add_patch(Rectangle((0.12, 0.425), 0.16, 0.03, facecolor=th.muted, alpha=0.25, linewidth=0,
                           clip_on=False))
    ax.text(0.42, 0.44, _("≈ near a threshold"), fontsize=11, va="center", color=th.text)
    keyed = [(number, name) for number, name in keyed if number]
    if not keyed:
        return
    ax.text(0.0, 0.39, _("Numbered bubbles"), fontsize=12, fontweight="bold", va="top", color=th.text)
    lines = [f"{number}  {wrap(name, 1000, max_chars=KEY_CHARS)[0]}" for number, name in keyed]
    ax.text(0.0, 0.34, "\n".join(lines), fontsize=KEY_SIZE, va="top", color=th.text, linespacing=1.15,
            parse_math=False)
