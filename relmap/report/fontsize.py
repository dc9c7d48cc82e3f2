"""How large the text of an SVG picture is once placed on a slide: the deck's 7 pt rule for pictures.

A picture ``W`` points wide whose SVG is ``V`` user units wide (its ``viewBox``,
else its ``width``) shows a text of font size ``s`` (user units, times the
``scale`` of the transforms above it) at ``s × scale × W / V`` points.
"""

from __future__ import annotations

import functools
import math
import re
import xml.etree.ElementTree as ET

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_FONT_SIZE = re.compile(r"font-size\s*:\s*([-+0-9.eE]+)")
_FONT_SHORTHAND = re.compile(r"font\s*:[^;]*?([0-9.]+)(?:px|pt)?\s+['\"a-zA-Z]")
_TRANSFORM = re.compile(r"(matrix|scale)\(([^)]*)\)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _first_number(text: str | None) -> float | None:
    match = _NUMBER.search(text or "")
    return float(match.group(0)) if match else None


def transform_scale(transform: str | None) -> float:
    """The factor by which ``transform`` scales lengths: ``√|sx·sy|`` of each ``scale(sx sy)``, ``√|ad − bc|``
    of each ``matrix(a b c d e f)``, multiplied; rotations and translations keep lengths (1)."""
    factor = 1.0
    for kind, args in _TRANSFORM.findall(transform or ""):
        values = [float(v) for v in _NUMBER.findall(args)]
        if kind == "scale" and values:
            sx = values[0]
            sy = values[1] if len(values) > 1 else sx
            factor *= math.sqrt(abs(sx * sy))
        elif kind == "matrix" and len(values) >= 4:
            factor *= math.sqrt(abs(values[0] * values[3] - values[1] * values[2]))
    return factor


def _font_size(elem: ET.Element) -> float | None:
    """The font size an element sets: its ``font-size`` attribute, else its ``style`` (``font-size:`` or ``font:``)."""
    size = _first_number(elem.get("font-size"))
    if size is not None:
        return size
    style = elem.get("style") or ""
    for pattern in (_FONT_SIZE, _FONT_SHORTHAND):
        match = pattern.search(style)
        if match:
            return float(match.group(1))
    return None


def text_sizes(svg: str | bytes) -> tuple[float, list[tuple[float, str]]]:
    """The SVG's width in user units and each non-empty text's font size in user units (transforms applied).

    A text with no size set anywhere above it counts at the SVG default, 16 user units.
    """
    root = ET.fromstring(svg)
    view = root.get("viewBox")
    width = float(_NUMBER.findall(view)[2]) if view else _first_number(root.get("width")) or 1.0
    out: list[tuple[float, str]] = []

    def walk(elem: ET.Element, scale: float, size: float) -> None:
        scale *= transform_scale(elem.get("transform"))
        own = _font_size(elem)
        size = own if own is not None else size
        if _local(elem.tag) == "text":
            text = "".join(elem.itertext()).strip()
            if text:
                out.append((size * scale, text))
            return
        for child in elem:
            walk(child, scale, size)

    walk(root, 1.0, 16.0)
    return width, out


def smallest_on_slide(svg: str | bytes, width_pt: float) -> float:
    """The smallest text of ``svg`` in points once the picture is ``width_pt`` points wide on the slide
    (``inf`` when it has no text): ``min(size) × width_pt / svg width``."""
    width, smallest = _smallest(svg)
    return smallest * width_pt / width if smallest < math.inf else math.inf


@functools.lru_cache(maxsize=16)
def _smallest(svg: str | bytes) -> tuple[float, float]:
    """The SVG's width and its smallest text size (``inf`` without text), in user units.

    Kept for the last few SVGs: the deck reads each value chain picture twice (to check its stage's split,
    then to place it).
    """
    width, sizes = text_sizes(svg)
    return width, min((size for size, _text in sizes), default=math.inf)
