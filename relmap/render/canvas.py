"""A drawing laid out by relmap, written as SVG directly, or replayed in matplotlib for PNG and PDF.

Why: drawn with matplotlib, most of a view's time went to measuring text
(FreeType lays out every string again for each renderer) and turning
hundreds of artists into SVG (figures in ``bench/RESULTS.md``). Here a view
places its shapes and text itself, in points, with Arial's advance widths
(:mod:`relmap.render.metrics_data`, read from Liberation Sans, its metric
twin): the SVG is written from that list directly, the PNG drawn from it by
Pillow (:mod:`relmap.render.raster`) and the PDF by matplotlib
(:meth:`Canvas.to_figure`), so all three show the same layout.

Coordinates are points (1/72 in) from the bottom-left corner, y upwards
(as matplotlib's display coordinates at 72 dpi); the SVG flips them.
Text stays text in the SVG (searchable, editable in PowerPoint), in the
fonts ``Arial, Liberation Sans, DejaVu Sans``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal
from xml.sax.saxutils import escape

from .metrics_data import BOLD, REGULAR
from .text import clean

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ASCENT", "DESCENT", "Canvas", "line_pitch", "text_block", "text_width"]

HAlign = Literal["left", "center", "right"]
VAlign = Literal["top", "center", "bottom", "baseline"]
#: Height above the baseline and depth below it of a line of text, in ems (Liberation Sans' "l" and "p", as
#: matplotlib measures a line).
ASCENT = 0.716
DESCENT = 0.21
FONT_FAMILY = "'Arial', 'Liberation Sans', 'DejaVu Sans'"
_ANCHOR = {"left": "start", "center": "middle", "right": "end"}


def _char_width(ch: str, bold: bool) -> float:
    """Advance width of ``ch`` in thousandths of an em: Arial's, else an estimate (combining marks take none)."""
    table = BOLD if bold else REGULAR
    known = table.get(ord(ch))
    if known is not None:
        return float(known)
    if unicodedata.combining(ch):
        return 0.0
    from .layout import char_width

    return char_width(ch) * 1000 * (1.08 if bold else 1.0)


@lru_cache(maxsize=8192)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line of ``text`` at ``size`` points: the sum of its characters' advance widths
    (Arial's; kerning, a few percent at most, is left out)."""
    return size * sum(_char_width(ch, bold) for ch in text) / 1000


def line_pitch(size: float, linespacing: float = 1.2) -> float:
    """Distance between two baselines: ``size × (ASCENT × linespacing + DESCENT)`` (matplotlib's rule)."""
    return size * (ASCENT * linespacing + DESCENT)


def text_block(lines: Sequence[str], size: float, bold: bool = False, linespacing: float = 1.2
               ) -> tuple[float, float]:
    """Width and height in points of stacked lines: the widest line; ``ASCENT + DESCENT`` ems plus a pitch per
    extra line."""
    width = max((text_width(line, size, bold) for line in lines), default=0.0)
    height = size * (ASCENT + DESCENT) + line_pitch(size, linespacing) * max(0, len(lines) - 1)
    return width, height


def _num(value: float) -> str:
    """A coordinate in the SVG: two decimals, no trailing zeros (``-0`` written ``0``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _escape(text: str) -> str:
    return escape(clean(text))


@dataclass(frozen=True)
class _Path:
    """Commands ``("M", x, y)``, ``("L", x, y)``, ``("C", x1, y1, x2, y2, x, y)``, ``("Z",)``."""

    commands: tuple[tuple[object, ...], ...]
    fill: str | None
    stroke: str | None
    width: float
    alpha: float
    dash: tuple[float, ...] | None


@dataclass(frozen=True)
class _Circle:
    x: float
    y: float
    r: float
    fill: str
    stroke: str | None
    width: float
    alpha: float


@dataclass(frozen=True)
class _Text:
    """One line of text, placed by its baseline."""

    x: float
    y: float
    text: str
    size: float
    bold: bool
    color: str
    anchor: HAlign
    alpha: float
    rotation: float


@dataclass(frozen=True)
class _Group:
    gid: str | None  # None closes the group opened last


@dataclass
class Canvas:
    """A ``width × height`` points drawing: shapes and text in drawing order, in groups with ids."""

    width: float
    height: float
    background: str = "#FFFFFF"
    items: list[_Path | _Circle | _Text | _Group] = field(default_factory=list)

    @contextmanager
    def group(self, gid: str) -> Iterator[None]:
        """Everything drawn inside goes in ``<g id="gid">`` (ids name the parts: tests and users find them)."""
        self.items.append(_Group(gid))
        try:
            yield
        finally:
            self.items.append(_Group(None))

    def path(self, commands: Sequence[tuple[object, ...]], *, fill: str | None = None, stroke: str | None = None,
             width: float = 1.0, alpha: float = 1.0, dash: tuple[float, ...] | None = None) -> None:
        """A path (see :class:`_Path`); ``dash`` is on and off lengths in points."""
        self.items.append(_Path(tuple(tuple(c) for c in commands), fill, stroke, width, alpha, dash))

    def line(self, points: Sequence[tuple[float, float]], color: str, width: float = 1.0, *, alpha: float = 1.0,
             dash: tuple[float, ...] | None = None) -> None:
        """A polyline through ``points``."""
        commands = [("M" if k == 0 else "L", x, y) for k, (x, y) in enumerate(points)]
        self.path(commands, stroke=color, width=width, alpha=alpha, dash=dash)

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str | None = None, stroke: str | None = None,
             width: float = 1.0, alpha: float = 1.0) -> None:
        """A rectangle with its bottom-left corner at ``(x, y)``."""
        self.path([("M", x, y), ("L", x + w, y), ("L", x + w, y + h), ("L", x, y + h), ("Z",)], fill=fill,
                  stroke=stroke, width=width, alpha=alpha)

    def circle(self, x: float, y: float, r: float, *, fill: str, stroke: str | None = None, width: float = 1.0,
               alpha: float = 1.0) -> None:
        self.items.append(_Circle(x, y, r, fill, stroke, width, alpha))

    def text(self, x: float, y: float, text: str, *, size: float, color: str, bold: bool = False,
             ha: HAlign = "left", va: VAlign = "baseline", linespacing: float = 1.2, alpha: float = 1.0,
             rotation: float = 0.0) -> tuple[float, float, float, float]:
        """Text anchored at ``(x, y)`` (lines split at ``\\n``, each aligned as ``ha``); its box
        ``(x0, y0, x1, y1)``. ``rotation`` 90 turns a single line a quarter anticlockwise about ``(x, y)``,
        ``ha`` then along the line and ``va`` across it."""
        lines = text.split("\n")
        w, h = text_block(lines, size, bold, linespacing)
        pitch = line_pitch(size, linespacing)
        if rotation:
            across = {"top": -ASCENT * size, "bottom": DESCENT * size, "center": (DESCENT - ASCENT) * size / 2,
                      "baseline": 0.0}[va]
            # quarter turn anticlockwise: the line runs upwards, its top faces left
            self.items.append(_Text(x - across, y, lines[0], size, bold, color, ha, alpha, rotation))
            along = {"left": 0.0, "center": w / 2, "right": w}[ha]
            return (x - across - ASCENT * size, y - along, x - across + DESCENT * size, y - along + w)
        first = {"top": y - ASCENT * size, "bottom": y + DESCENT * size + pitch * (len(lines) - 1),
                 "center": y + h / 2 - ASCENT * size, "baseline": y}[va]
        x0 = x - {"left": 0.0, "center": w / 2, "right": w}[ha]
        for k, line in enumerate(lines):
            if line:
                self.items.append(_Text(x, first - k * pitch, line, size, bold, color, ha, alpha, 0.0))
        top = first + ASCENT * size
        return (x0, top - h, x0 + w, top)

    # ----------------------------------------------------------------------------------------------- SVG

    def to_svg(self) -> bytes:
        """The drawing as SVG 1.1 (sizes in pt, text as text, ids as given; :func:`relmap.render.svg.clean_svg`
        prefixes them)."""
        W, H = _num(self.width), _num(self.height)
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}pt" height="{H}pt" viewBox="0 0 {W} {H}" '
               'version="1.1">',
               f'<rect x="0" y="0" width="{W}" height="{H}" fill="{self.background}"/>']
        for item in self.items:
            if isinstance(item, _Group):
                out.append(f'<g id="{item.gid}">' if item.gid is not None else "</g>")
            elif isinstance(item, _Text):
                out.append(self._svg_text(item))
            elif isinstance(item, _Circle):
                out.append(f'<circle cx="{_num(item.x)}" cy="{_num(self.height - item.y)}" r="{_num(item.r)}"'
                           + _paint(item.fill, item.stroke, item.width, item.alpha, None) + "/>")
            else:
                out.append(f'<path d="{self._svg_d(item.commands)}"'
                           + _paint(item.fill, item.stroke, item.width, item.alpha, item.dash) + "/>")
        out.append("</svg>")
        return ("\n".join(out) + "\n").encode("utf-8")

    def _svg_d(self, commands: tuple[tuple[object, ...], ...]) -> str:
        parts = []
        for cmd in commands:
            op, nums = str(cmd[0]), [float(v) for v in cmd[1:]]  # type: ignore[arg-type]
            coords = [_num(v) if k % 2 == 0 else _num(self.height - v) for k, v in enumerate(nums)]
            parts.append(" ".join([op, *coords]) if coords else "z")
        return " ".join(parts)

    def _svg_text(self, t: _Text) -> str:
        x, y = _num(t.x), _num(self.height - t.y)
        attrs = f'x="{x}" y="{y}"'
        if t.rotation:
            attrs += f' transform="rotate({_num(-t.rotation)} {x} {y})"'
        weight = ' font-weight="bold"' if t.bold else ""
        alpha = f' fill-opacity="{_num(t.alpha)}"' if t.alpha < 1 else ""
        return (f'<text {attrs} font-size="{_num(t.size)}" font-family="{FONT_FAMILY}"{weight} '
                f'text-anchor="{_ANCHOR[t.anchor]}" fill="{t.color}"{alpha}>{_escape(t.text)}</text>')

    # ----------------------------------------------------------------------------------------------- matplotlib

    def to_figure(self) -> Figure:
        """The same drawing as a matplotlib figure (for the PDF; save it inside
        :func:`relmap.render.charts.mpl_context`)."""
        from matplotlib.collections import PathCollection

        from .charts import new_figure

        # every artist at one zorder: matplotlib then draws them in the order they were added, the canvas' order
        fig = new_figure(self.width / 72, self.height / 72)
        fig.set_facecolor(self.background)
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_xlim(0, self.width)
        ax.set_ylim(0, self.height)
        ax.axis("off")
        run: list[_Path | _Circle] = []

        def flush() -> None:  # consecutive shapes as one collection (one artist, not hundreds)
            if not run:
                return
            collection = PathCollection(
                [_mpl_path(item) for item in run], facecolors=[_rgba(s.fill or "none", s.alpha) for s in run],
                edgecolors=[_rgba(s.stroke or "none", s.alpha) for s in run],
                linewidths=[s.width if s.stroke else 0.0 for s in run],
                # matplotlib scales dashes by the line width: given in points here
                linestyles=[(0.0, tuple(d / max(s.width, 1e-9) for d in s.dash)) if isinstance(s, _Path) and s.dash
                            else "solid" for s in run],
                capstyle="butt", joinstyle="round", transform=ax.transData, zorder=1)
            ax.add_collection(collection, autolim=False)
            run.clear()

        for item in self.items:
            if isinstance(item, (_Path, _Circle)):
                run.append(item)
            elif isinstance(item, _Text):
                flush()
                ax.text(item.x, item.y, item.text, fontsize=item.size, color=item.color, alpha=item.alpha,
                        fontweight="bold" if item.bold else "normal", ha=item.anchor, va="baseline",
                        rotation=item.rotation, rotation_mode="anchor", parse_math=False, zorder=1)
        flush()
        return fig


def _mpl_path(item: _Path | _Circle) -> Any:
    """A shape as a matplotlib path in points."""
    from matplotlib.path import Path

    if isinstance(item, _Circle):
        return Path.circle((item.x, item.y), item.r)
    verts: list[tuple[float, float]] = []
    kinds: list[Any] = []
    for cmd in item.commands:
        op, nums = str(cmd[0]), [float(v) for v in cmd[1:]]  # type: ignore[arg-type]
        if op == "C":
            verts += [(nums[0], nums[1]), (nums[2], nums[3]), (nums[4], nums[5])]
            kinds += [Path.CURVE4] * 3
        elif op == "Z":
            verts.append(verts[0] if verts else (0.0, 0.0))
            kinds.append(Path.CLOSEPOLY)
        else:
            verts.append((nums[0], nums[1]))
            kinds.append(Path.MOVETO if op == "M" else Path.LINETO)
    return Path(verts, kinds)


def _paint(fill: str | None, stroke: str | None, width: float, alpha: float, dash: tuple[float, ...] | None) -> str:
    out = f' fill="{fill or "none"}"'
    if fill and alpha < 1:
        out += f' fill-opacity="{_num(alpha)}"'
    if stroke:
        out += f' stroke="{stroke}" stroke-width="{_num(width)}"'
        if alpha < 1:
            out += f' stroke-opacity="{_num(alpha)}"'
        if dash:
            out += f' stroke-dasharray="{",".join(_num(d) for d in dash)}"'
    return out


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    if color == "none":
        return (0.0, 0.0, 0.0, 0.0)
    return to_rgba(color, alpha)
