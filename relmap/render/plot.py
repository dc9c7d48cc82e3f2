"""What the chart views draw on a :class:`~relmap.render.canvas.Canvas`: plot frames, ticks, axes, legends.

Sizes follow matplotlib's defaults, which the views were first drawn with:
tick marks 3.5 pt long, 3.5 pt from their numbers, numbers at 10 pt, axis
titles 4 pt further; a legend entry is a 2-em colour box, 0.8 em from its
text, entries 2 em apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

from .canvas import ASCENT, DESCENT, Canvas, text_width

__all__ = ["Frame", "legend", "nice_ticks", "x_axis", "y_axis"]

TICK, TICK_PAD, TITLE_PAD = 3.5, 3.5, 4.0
#: tick steps tried, per power of ten (matplotlib's MaxNLocator)
STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


class Frame(NamedTuple):
    """A plot's box in points (y up) and the data range it shows on each axis."""

    x0: float
    y0: float
    x1: float
    y1: float
    xlo: float = 0.0
    xhi: float = 1.0
    ylo: float = 0.0
    yhi: float = 1.0

    def x(self, value: float) -> float:
        """Data x to points: ``x0 + (v − xlo) / (xhi − xlo) × (x1 − x0)``."""
        return self.x0 + (value - self.xlo) / ((self.xhi - self.xlo) or 1.0) * (self.x1 - self.x0)

    def y(self, value: float) -> float:
        """Data y to points, as :meth:`x` (``ylo > yhi`` turns the axis upside down)."""
        return self.y0 + (value - self.ylo) / ((self.yhi - self.ylo) or 1.0) * (self.y1 - self.y0)


def nice_ticks(lo: float, hi: float, bins: int) -> list[float]:
    """Round tick values inside ``[lo, hi]``: the smallest step ``s × 10^k`` (``s`` in :data:`STEPS`) that cuts
    the range into at most ``bins`` intervals; ticks at the multiples of the step."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / max(1, bins)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next((s * power for s in STEPS if s * power >= raw * (1 - 1e-9)), 10 * power)
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    return [k * step + 0.0 for k in range(first, last + 1)]


def tick_bins(length: float, size: float = 10.0, *, vertical: bool = False) -> int:
    """How many intervals fit along an axis ``length`` points long: one per three font sizes across (two up a
    vertical axis), 1 to 9 (matplotlib's rule)."""
    return max(1, min(9, int(length // ((2 if vertical else 3) * size))))


def x_axis(c: Canvas, f: Frame, ticks: Sequence[float], label: Callable[[float], str], *, color: str,
           title: str = "", title_color: str = "", size: float = 10.0, title_size: float = 11.0) -> None:
    """The bottom axis: its line, tick marks, numbers and title (ticks outside the range are left out)."""
    c.line([(f.x0, f.y0), (f.x1, f.y0)], color, 0.8)
    low, high = min(f.xlo, f.xhi), max(f.xlo, f.xhi)
    for t in ticks:
        if low - 1e-9 <= t <= high + 1e-9:
            x = f.x(t)
            c.line([(x, f.y0), (x, f.y0 - TICK)], color, 0.8)
            c.text(x, f.y0 - TICK - TICK_PAD, label(t), size=size, color=color, ha="center", va="top")
    if title:
        c.text((f.x0 + f.x1) / 2, f.y0 - TICK - TICK_PAD - size * (ASCENT + DESCENT) - TITLE_PAD, title,
               size=title_size, color=title_color or color, ha="center", va="top")


def y_axis(c: Canvas, f: Frame, ticks: Sequence[float], label: Callable[[float], str], *, color: str,
           title: str = "", title_color: str = "", size: float = 10.0, title_size: float = 11.0) -> None:
    """The left axis: its line, tick marks, numbers and a turned title."""
    c.line([(f.x0, f.y0), (f.x0, f.y1)], color, 0.8)
    low, high = min(f.ylo, f.yhi), max(f.ylo, f.yhi)
    widest = 0.0
    for t in ticks:
        if low - 1e-9 <= t <= high + 1e-9:
            y = f.y(t)
            c.line([(f.x0, y), (f.x0 - TICK, y)], color, 0.8)
            text = label(t)
            widest = max(widest, text_width(text, size))
            c.text(f.x0 - TICK - TICK_PAD, y, text, size=size, color=color, ha="right", va="center")
    if title:
        c.text(f.x0 - TICK - TICK_PAD - widest - TITLE_PAD, (f.y0 + f.y1) / 2, title, size=title_size,
               color=title_color or color, ha="center", va="bottom", rotation=90)


def legend(c: Canvas, x: float, y: float, entries: Sequence[tuple[str, str]], *, color: str, size: float = 10.0,
           columns: int = 1, anchor: str = "left", line: float = 0.0) -> None:
    """Colour boxes and their labels, ``columns`` per row, rows downwards from ``y`` (the top).

    ``anchor``: ``left`` (``x`` is the left edge), ``center`` or ``right``. Each entry is a box 2 × 0.7 ems,
    0.8 em from its label; entries 2 ems apart in a row, rows 1.2 lines apart (the column widths are the
    widest entry of each column). With ``line`` (a width in points) an entry is a line with a dot instead.
    """
    if not entries:
        return
    box_w, box_h, pad, gap = 2.0 * size, 0.7 * size, 0.8 * size, 2.0 * size
    widths = [box_w + pad + text_width(label, size) for _colour, label in entries]
    cols = [max(widths[k::columns]) for k in range(min(columns, len(entries)))]
    total = sum(cols) + gap * (len(cols) - 1)
    left = {"left": x, "center": x - total / 2, "right": x - total}.get(anchor, x)
    row_h = size * (ASCENT + DESCENT) + 0.5 * size
    for k, (colour, label) in enumerate(entries):
        row, col = divmod(k, columns)
        ex = left + sum(cols[:col]) + gap * col
        mid = y - row * row_h - row_h / 2
        if line:
            c.line([(ex, mid), (ex + box_w, mid)], colour, line)
            c.circle(ex + box_w / 2, mid, 3.0, fill=colour)
        else:
            c.rect(ex, mid - box_h / 2, box_w, box_h, fill=colour)
        c.text(ex + box_w + pad, mid, label, size=size, color=color, va="center")
