"""A :class:`~relmap.render.canvas.Canvas` as a PNG, drawn with Pillow (no matplotlib).

Why: drawn by matplotlib, the deck's matrix picture was slow (its font
machinery lays out each string again, and the chart worker had to import
matplotlib for it; figures in ``bench/RESULTS.md``). Pillow, which
python-pptx already needs, draws the same shapes and text in a fraction of
the time. Shapes are drawn at :data:`SUPERSAMPLE` × the size and scaled down
(Pillow does not smooth the edges of shapes itself); text is Arial's metric
twin, Liberation Sans, shipped in ``fonts/`` (so the PNG is the same on
every machine); a line with a character beyond Arial's (⚠, Greek,
Cyrillic…) is drawn in DejaVu Sans, which has more. A name in a script
neither has draws as boxes in the PNG; the SVG keeps the text.
"""

from __future__ import annotations

import io
import itertools
import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .canvas import Canvas, _Circle, _Group, _Path, _Text
from .metrics_data import REGULAR

if TYPE_CHECKING:
    from PIL import ImageFont

__all__ = ["SUPERSAMPLE", "canvas_png", "dejavu_file", "font_file", "warm_up"]

#: Shapes and text are drawn this many times larger, then scaled down: smooth edges.
SUPERSAMPLE = 2
#: zlib level of the PNG (as the matplotlib PNGs: less time than Pillow's 6, for slightly larger files)
PNG_COMPRESSION = 3
#: Bézier curves are drawn as this many straight segments.
CURVE_STEPS = 24

#: Liberation Sans 2.1.5 (SIL Open Font License 1.1, ``fonts/OFL.txt``), Arial's metric twin, shipped with relmap:
#: the PNG is the same on every machine and its text has the widths the layout measured
#: (:mod:`relmap.render.metrics_data`)
FONTS = Path(__file__).resolve().parent / "fonts"


@lru_cache(maxsize=2)
def font_file(bold: bool) -> str | None:
    """The font file for regular or bold text: relmap's Liberation Sans, else (a damaged installation)
    matplotlib's DejaVu Sans; ``None`` if neither exists."""
    path = FONTS / ("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf")
    return str(path) if path.is_file() else dejavu_file(bold)


@lru_cache(maxsize=2)
def dejavu_file(bold: bool) -> str | None:
    """matplotlib's DejaVu Sans (found without importing matplotlib), or ``None``."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        bundled = Path(folder) / "mpl-data" / "fonts" / "ttf" / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
        if bundled.is_file():
            return str(bundled)
    return None


@lru_cache(maxsize=64)
def _font(bold: bool, pixels: float, wide: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The font at ``pixels``; ``wide``: DejaVu Sans, for a line with characters beyond Arial's."""
    from PIL import ImageFont

    path = (dejavu_file(bold) if wide else None) or font_file(bold)
    if path is None:  # pragma: no cover - no font at all: Pillow's own
        return ImageFont.load_default(pixels)
    return ImageFont.truetype(path, pixels, layout_engine=ImageFont.Layout.BASIC)


def _rgba(color: str | None, alpha: float) -> tuple[int, int, int, int] | None:
    """``#RRGGBB`` and an opacity as Pillow's RGBA (``None`` for no paint)."""
    if not color or color == "none":
        return None
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    r, g, b = (int(value[k:k + 2], 16) for k in (0, 2, 4))
    return (r, g, b, round(255 * max(0.0, min(1.0, alpha))))


def _bezier(p0: tuple[float, float], p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]
            ) -> list[tuple[float, float]]:
    """A cubic Bézier as :data:`CURVE_STEPS` points: ``(1−t)³p0 + 3(1−t)²t p1 + 3(1−t)t² p2 + t³p3``."""
    out = []
    for k in range(1, CURVE_STEPS + 1):
        t = k / CURVE_STEPS
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
        out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


def _dashes(points: list[tuple[float, float]], pattern: tuple[float, ...]) -> list[list[tuple[float, float]]]:
    """A polyline cut into the "on" pieces of a dash ``pattern`` (on, off, on, off… lengths)."""
    pieces: list[list[tuple[float, float]]] = []
    k, left, on = 0, pattern[0], True
    current: list[tuple[float, float]] = [points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while length - pos > left:
            pos += left
            point = (x0 + (x1 - x0) * pos / length, y0 + (y1 - y0) * pos / length)
            if on:
                current.append(point)
                pieces.append(current)
            current = [point]
            on = not on
            k = (k + 1) % len(pattern)
            left = pattern[k]
        left -= length - pos
        current.append((x1, y1))
    if on and len(current) > 1:
        pieces.append(current)
    return pieces


def canvas_png(canvas: Canvas, dpi: float) -> bytes:
    """The canvas as PNG bytes at ``dpi`` (its points are 1/72 in)."""
    from PIL import Image, ImageDraw

    s = dpi / 72 * SUPERSAMPLE
    # whole pixels, rounded down as matplotlib does (a 14 × 6.6 in matrix at 2,000 px: 2,000 × 942)
    width, height = (max(1, math.floor(side * dpi / 72 + 1e-6)) for side in (canvas.width, canvas.height))
    paper = _rgba(canvas.background, 1.0) or (255, 255, 255, 255)
    big = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), paper[:3])
    draw = ImageDraw.Draw(big, "RGBA")  # RGBA paint blends onto the RGB picture

    def xy(x: float, y: float) -> tuple[float, float]:
        return (x * s, (canvas.height - y) * s)

    for item in canvas.items:
        if isinstance(item, _Group):
            continue
        if isinstance(item, _Circle):
            fill, stroke = _rgba(item.fill, item.alpha), _rgba(item.stroke, item.alpha)
            cx, cy = xy(item.x, item.y)
            w = item.width * s if stroke else 0.0
            r = item.r * s + w / 2  # the stroke is centred on the circle, as in the SVG
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=stroke,
                         width=max(1, round(w)) if stroke else 0)
        elif isinstance(item, _Path):
            _draw_path(draw, item, xy, s)
        else:
            _draw_text(big, draw, item, xy, s)
    # each pixel the mean of its SUPERSAMPLE × SUPERSAMPLE block: Image.reduce, much faster than a BOX resize to the
    # same size (which rounds a channel one unit differently on about 1 % of the pixels)
    picture = big.reduce(SUPERSAMPLE) if SUPERSAMPLE > 1 else big
    buf = io.BytesIO()
    picture.save(buf, format="PNG", compress_level=PNG_COMPRESSION)
    return buf.getvalue()


def _draw_path(draw: Any, item: _Path, xy: Any, s: float) -> None:
    subpaths: list[tuple[list[tuple[float, float]], bool]] = []
    points: list[tuple[float, float]] = []
    for cmd in item.commands:
        op, nums = str(cmd[0]), [float(v) for v in cmd[1:]]  # type: ignore[arg-type]
        if op == "M":
            if len(points) > 1:
                subpaths.append((points, False))
            points = [xy(nums[0], nums[1])]
        elif op == "L":
            points.append(xy(nums[0], nums[1]))
        elif op == "C":
            points += _bezier(points[-1], xy(nums[0], nums[1]), xy(nums[2], nums[3]), xy(nums[4], nums[5]))
        elif points:
            subpaths.append(([*points, points[0]], True))
            points = []
    if len(points) > 1:
        subpaths.append((points, False))
    fill, stroke = _rgba(item.fill, item.alpha), _rgba(item.stroke, item.alpha)
    for pts, closed in subpaths:
        if fill is not None and closed and len(pts) > 2:
            draw.polygon(pts, fill=fill)
        if stroke is not None:
            width = max(1, round(item.width * s))
            pieces = _dashes(pts, tuple(d * s for d in item.dash)) if item.dash else [pts]
            for piece in pieces:
                draw.line(piece, fill=stroke, width=width, joint="curve" if len(piece) > 2 else None)


def _draw_text(big: Any, draw: Any, item: _Text, xy: Any, s: float) -> None:
    from PIL import Image, ImageDraw

    font = _font(item.bold, item.size * s, any(ord(ch) not in REGULAR for ch in item.text))
    fill = _rgba(item.color, item.alpha)
    anchor = {"left": "ls", "center": "ms", "right": "rs"}[item.anchor]
    x, y = xy(item.x, item.y)
    if not item.rotation:
        draw.text((x, y), item.text, font=font, fill=fill, anchor=anchor)
        return
    # a turned line: drawn level on its own layer, turned, laid on the picture
    left, top, right, bottom = draw.textbbox((0, 0), item.text, font=font, anchor=anchor)
    layer = Image.new("RGBA", (max(1, math.ceil(right - left)), max(1, math.ceil(bottom - top))), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((-left, -top), item.text, font=font, fill=fill, anchor=anchor)
    turned = layer.rotate(item.rotation, expand=True)
    # the anchor (0, 0) sat at (-left, -top) in the layer; a quarter turn anticlockwise moves it to (-top, right)
    if round(item.rotation) % 360 == 90:
        ox, oy = -top, right
    else:  # pragma: no cover - only quarter turns are drawn
        ox, oy = -left, -top
    big.paste(turned, (round(x - ox), round(y - oy)), turned)


def warm_up() -> None:
    """Import what drawing a view needs (Pillow, the views' modules) and find the fonts: what the chart worker
    does while the first process reads and analyses the file."""
    from PIL import Image, ImageDraw, ImageFont  # noqa: F401

    from . import matrix, people, reinvest, sensitivity, trajectory  # noqa: F401

    for bold in (False, True):
        font_file(bold)
