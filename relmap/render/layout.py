"""Where each box of the value chain goes: a deterministic grid, computed here, not by ``dot``.

Why: measured on the 37-activity hotel example, ``dot`` with stage clusters
and 60 cross-stage flows drew a diagonal staircase three times taller than
wide, whatever the weights (cross-stage edges, support stages and partners
pull clusters apart). A value chain has a known shape, so we place it:

* a header (title, subtitle, legend) at the top left;
* the primary stages as columns, left to right in their order, all the same
  height (one band); inside a stage, activities in flow order, top to bottom,
  a few per sub-column (how many is chosen to fit a 16:9 slide best);
* suppliers in a column on the left, customers on the right;
* support stages as a second band below, partners, communities and
  regulators as a row at the bottom.

Graphviz then only draws the boxes where we put them and routes the flows
around them (``neato -n2``, splines). Sizes are in points (1/72 in).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass, field

#: Activities stacked per sub-column of a primary stage: the layouts tried (see ``placed_dot``).
PRIMARY_ROWS = range(3, 13)
#: Activities per sub-column of a support stage (the lower band): the layouts tried.
SUPPORT_ROWS = range(2, 7)
#: Default rows per sub-column.
MAX_ROWS = 6
GAP_X = 56.0  # between stage columns (room for the flows)
SUB_GAP_X = 40.0  # between sub-columns of a stage
GAP_Y = 22.0  # between boxes in a column
PAD = 14.0  # inside a stage box
BAND_GAP = 48.0  # between bands


@dataclass
class Box:
    """A node to place: its id and size in points; ``x, y`` is its centre once placed."""

    id: str
    w: float
    h: float
    x: float = 0.0
    y: float = 0.0


@dataclass
class Group:
    """A stage: an optional label box and sub-columns of boxes (a cluster when ``cluster`` is set).

    Its boxes and columns are fixed once it is made (only their positions change), so its width and height
    are computed once: :func:`relmap.render.dot.best_plan` places the same groups in tens of candidate layouts.
    """

    cluster: str | None
    label: Box | None
    subcols: list[list[Box]]
    bb: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    _size: tuple[float, float] | None = field(default=None, init=False, repr=False, compare=False)

    def width(self) -> float:
        return (self._size or self._measure())[0]

    def height(self) -> float:
        return (self._size or self._measure())[1]

    def _measure(self) -> tuple[float, float]:
        pad = 2 * PAD if self.cluster else 0.0
        inner = sum(max(b.w for b in col) for col in self.subcols if col) + SUB_GAP_X * max(0, len(self.subcols) - 1)
        width = max(inner, self.label.w if self.label else 0.0) + pad
        inner = max((sum(b.h for b in col) + GAP_Y * (len(col) - 1) for col in self.subcols if col), default=0.0)
        height = inner + (self.label.h + 8.0 if self.label else 0.0) + pad
        self._size = (width, height)
        return self._size


@dataclass
class Plan:
    """Everything to place."""

    header: Box
    primary: list[Group] = field(default_factory=list)
    support: list[Group] = field(default_factory=list)
    left: list[Box] = field(default_factory=list)
    right: list[Box] = field(default_factory=list)
    bottom: list[Box] = field(default_factory=list)
    bb: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    #: stages per row in each band; 0: :func:`per_row`'s rule
    per_row: int = 0


def split_columns(ids: list[str], links: list[tuple[str, str]], max_rows: int = MAX_ROWS) -> list[list[str]]:
    """Sub-columns of a stage: boxes in flow order, top to bottom, at most ``max_rows`` per column.

    Flow order is the depth (longest chain of same-stage flows leading to the
    box, relaxed at most ``len(ids)`` times so cycles cannot loop), then the
    input order. Why one column rather than one per depth: a chain of 5
    stages then fits a 16:9 slide; same-stage flows run downwards.
    """
    depth = dict.fromkeys(ids, 0)
    inside = [(a, b) for a, b in links if a in depth and b in depth and a != b]
    for _round in range(len(ids)):
        changed = False
        for a, b in inside:
            if depth[b] < depth[a] + 1 and depth[a] + 1 < len(ids):
                depth[b] = depth[a] + 1
                changed = True
        if not changed:
            break
    first: dict[str, int] = {}
    for n, i in enumerate(ids):
        first.setdefault(i, n)
    ordered = sorted(ids, key=lambda i: (depth[i], first[i]))
    return [ordered[k:k + max_rows] for k in range(0, len(ordered), max_rows)]


def _stack(boxes: list[Box], x: float, top: float) -> None:
    """Centre boxes on ``x``, downwards from ``top`` (y grows upwards, as in Graphviz)."""
    y = top
    for box in boxes:
        box.x = x
        box.y = y - box.h / 2
        y -= box.h + GAP_Y


def _place_group(group: Group, left: float, top: float, height: float | None = None, inner: bool = True) -> None:
    pad = PAD if group.cluster else 0.0
    y = top - pad
    if group.label is not None:
        group.label.x = left + pad + group.label.w / 2
        group.label.y = y - group.label.h / 2
        y -= group.label.h + 8.0
    x = left + pad
    for col in group.subcols if inner else ():
        if not col:
            continue
        width = max(b.w for b in col)
        _stack(col, x + width / 2, y)
        x += width + SUB_GAP_X
    bottom = top - (height if height is not None else group.height())
    group.bb = (left, bottom, left + group.width(), top)


def place(plan: Plan, *, inner: bool = True) -> Plan:
    """Give every box its centre and every group its bounding box (see the module docstring).

    ``inner=False``: the plan's bounding box only, for comparing candidate placements: the boxes inside the
    groups are not placed and nothing is moved to start at (0, 0) (neither changes the bounding box's size).
    """
    header = plan.header
    header.x, header.y = header.w / 2, -header.h / 2
    top = -header.h - BAND_GAP / 2
    side_w = max((b.w for b in plan.left), default=0.0)
    start_x = side_w + GAP_X if plan.left else 0.0
    right_x, primary_h = _place_rows(plan.primary, start_x, top, plan.per_row, inner)
    support_right, support_h = _place_rows(plan.support, start_x, top, plan.per_row, False)  # its size only
    right_x = max(right_x, support_right)  # customers stand right of both bands
    # suppliers and customers stand beside both bands (not the primary one alone): fewer side columns
    band_h = primary_h + (BAND_GAP + support_h if plan.support and plan.primary else 0.0)
    for boxes, cx in ((plan.left, side_w / 2), (plan.right, right_x + max((b.w for b in plan.right), default=0) / 2)):
        _stack_columns(boxes, cx, top, band_h, leftwards=boxes is plan.left)
    y = top - primary_h - (BAND_GAP if plan.primary else 0.0)
    _end, support_h = _place_rows(plan.support, start_x, y, plan.per_row, inner)
    y -= support_h + (BAND_GAP if plan.support else 0.0)
    x = side_w + GAP_X if plan.left else 0.0
    row_h = max((b.h for b in plan.bottom), default=0.0)
    limit = max(right_x, x + 1.0)
    for box in plan.bottom:
        if x > start_x and x + box.w > limit:  # wrap: the bottom row never gets wider than the chain
            x, y = start_x, y - row_h - GAP_Y
        box.x, box.y = x + box.w / 2, y - row_h / 2
        x += box.w + GAP_X
    boxes = [header, *plan.left, *plan.right, *plan.bottom]
    xs = [b.x - b.w / 2 for b in boxes] + [g.bb[0] for g in plan.primary + plan.support]
    xe = [b.x + b.w / 2 for b in boxes] + [g.bb[2] for g in plan.primary + plan.support]
    ys = [b.y - b.h / 2 for b in boxes] + [g.bb[1] for g in plan.primary + plan.support]
    ye = [b.y + b.h / 2 for b in boxes] + [g.bb[3] for g in plan.primary + plan.support]
    low_x, low_y, high_x, high_y = min(xs), min(ys), max(xe), max(ye)
    if inner:
        _shift(plan, -low_x, -low_y)
    plan.bb = (0.0, 0.0, high_x - low_x, high_y - low_y)
    return plan


def _stack_columns(boxes: list[Box], cx: float, top: float, band_h: float, *, leftwards: bool) -> None:
    """Stack actors in a column centred on the band; a column taller than the band continues beside it."""
    total = sum(b.h for b in boxes) + GAP_Y * max(0, len(boxes) - 1)
    if total <= band_h or len(boxes) <= 1:
        _stack(boxes, cx, top - max(0.0, band_h - total) / 2)
        return
    step = max(b.w for b in boxes) + GAP_X / 2
    column: list[Box] = []
    used = 0.0
    for box in boxes:
        if column and used + box.h > band_h:
            _stack(column, cx, top)
            cx += -step if leftwards else step
            column, used = [], 0.0
        column.append(box)
        used += box.h + GAP_Y
    _stack(column, cx, top)


#: More stages than this in a band are wrapped into several rows (very large chains, aggregated by stage).
WRAP_ABOVE = 16


def per_row(groups: list[Group]) -> int:
    """Stages per row: all of them up to :data:`WRAP_ABOVE`, else a count that makes the band about 16:9.

    With ``n`` stages of mean width ``w`` and height ``h``, ``k`` per row gives
    a band ``k·w`` wide and ``(n / k)·h`` high; ``k = √(n · 16/9 · h / w)``.
    """
    n = len(groups)
    if n <= WRAP_ABOVE:
        return max(1, n)
    w = sum(g.width() + GAP_X for g in groups) / n
    h = sum(g.height() + BAND_GAP for g in groups) / n
    return max(WRAP_ABOVE // 2, min(n, math.ceil(math.sqrt(n * 16 / 9 * h / w))))


def _place_rows(groups: list[Group], left: float, top: float, k: int = 0, inner: bool = True) -> tuple[float, float]:
    """Place stage groups left to right, ``k`` per row (0: :func:`per_row`'s count).

    Returns:
        The right edge of the widest row (plus a gap) and the total height used.
    """
    k = k or per_row(groups)
    right, y = left, top
    for start in range(0, len(groups), k):
        row = groups[start:start + k]
        row_h = max(g.height() for g in row)
        x = left
        for group in row:
            _place_group(group, x, y, row_h, inner)
            x += group.width() + GAP_X
        right = max(right, x)
        y -= row_h + BAND_GAP
    used = top - y - BAND_GAP if groups else 0.0
    return right, used


def _shift(plan: Plan, dx: float, dy: float) -> None:
    """Move everything so the drawing starts at (0, 0)."""
    for box in all_boxes(plan):
        box.x += dx
        box.y += dy
    for group in plan.primary + plan.support:
        x0, y0, x1, y1 = group.bb
        group.bb = (x0 + dx, y0 + dy, x1 + dx, y1 + dy)


def all_boxes(plan: Plan) -> list[Box]:
    """Every box of the plan, header first."""
    out = [plan.header, *plan.left, *plan.right, *plan.bottom]
    for group in plan.primary + plan.support:
        if group.label is not None:
            out.append(group.label)
        out += [b for col in group.subcols for b in col]
    return out


# --------------------------------------------------------------------------- size estimates

def char_width(ch: str) -> float:
    """Approximate Arial advance width of ``ch`` in ems (used when Graphviz cannot measure)."""
    if ch in "il.,:;'|!ıj":
        return 0.25
    if ch in " ()[]ftr-":
        return 0.33
    if ch in "mwMW@%":
        return 0.85
    if ch.isupper():
        return 0.68
    if ch.isascii():
        return 0.55
    if unicodedata.east_asian_width(ch) in ("W", "F") or unicodedata.category(ch) == "So":
        return 1.0
    return 0.6


@functools.lru_cache(maxsize=8192)
def text_ems(text: str) -> float:
    """``text``'s approximate Arial advance width in ems: the sum of :func:`char_width` over its characters
    (kept per text: the drawings of one chain measure the same labels again and again)."""
    return sum(char_width(c) for c in text)


def estimate(lines: list[tuple[str, float, bool]], margin_x: float = 13.0,
             margin_y: float = 7.2) -> tuple[float, float]:
    """Width and height in points of stacked text lines ``(text, font size, bold)`` plus margins."""
    width = max((text_ems(text) * size * (1.08 if bold else 1.0) for text, size, bold in lines), default=0.0)
    height = sum(size * 1.2 for _t, size, _b in lines)
    return width + 2 * margin_x, height + 2 * margin_y
