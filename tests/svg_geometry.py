"""Geometry of rendered SVGs: text boxes and the lines that must not cross them (used by test_geometry.py).

Text widths are measured with matplotlib's own font machinery (the fonts the
matrix is drawn with), so a box is the text as drawn, not a guess.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache, lru_cache

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]
Segment = tuple[float, float, float, float]
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass
class TextBox:
    text: str
    box: Box
    owner: str  # id of the nearest enclosing group with an id (e.g. "matrix-label-3"), or a node's title


@lru_cache(maxsize=1)
def _text_to_path() -> object:
    from matplotlib.textpath import TextToPath

    return TextToPath()


@cache
def text_width(text: str, size: float, bold: bool) -> float:
    """Advance width in points of ``text`` at ``size`` (Arial's metric twin, as drawn); a text measured once."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family=["Arial", "Liberation Sans", "DejaVu Sans"], size=size,
                          weight="bold" if bold else "normal")
    width, _height, _descent = _text_to_path().get_text_width_height_descent(  # type: ignore[attr-defined]
        text, prop, ismath=False)
    return float(width)


def _position(el: ET.Element) -> tuple[float, float] | None:
    transform = el.get("transform", "")
    if "rotate(-90" in transform or "rotate(90" in transform:
        return None
    match = re.search(r"translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)", transform)
    if match:
        return float(match.group(1)), float(match.group(2))
    if el.get("x") is None:
        return None
    return float(el.get("x", "0")), float(el.get("y", "0"))


def text_boxes(svg: bytes | str) -> list[TextBox]:
    """Every horizontal text of the SVG as a box ``(x0, y0, x1, y1)`` in SVG units (y downwards)."""
    root = ET.fromstring(svg)
    out: list[TextBox] = []

    def walk(el: ET.Element, owner: str) -> None:
        if el.tag == f"{SVG}g":
            title = el.find(f"{SVG}title")
            owner = el.get("id") or owner
            if el.get("class") in ("node", "edge") and title is not None:
                owner = f"{el.get('class')}:{title.text}"
        if el.tag == f"{SVG}text":
            pos = _position(el)
            text = "".join(el.itertext())
            if pos is not None and text.strip():
                size = float(_NUM.findall(el.get("font-size", "10"))[0])
                bold = el.get("font-weight") in ("700", "bold")
                w = text_width(text, size, bold)
                anchor = el.get("text-anchor", "start")
                x0 = pos[0] - {"start": 0.0, "middle": w / 2, "end": w}.get(anchor, 0.0)
                out.append(TextBox(text, (x0, pos[1] - 0.72 * size, x0 + w, pos[1] + 0.21 * size), owner))
        for child in el:
            walk(child, owner)

    walk(root, "")
    return out


def path_segments(d: str, samples: int = 12) -> list[Segment]:
    """Straight segments of an SVG path made of M, L and C commands (curves sampled)."""
    tokens = re.findall(r"[MLCmlc]|" + _NUM.pattern, d)
    segs: list[Segment] = []
    cmd, pos, start, nums = "", (0.0, 0.0), (0.0, 0.0), []  # type: ignore[var-annotated]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in "MLC":
            cmd, nums = tok, []
            i += 1
            continue
        nums.append(float(tok))
        i += 1
        if cmd == "M" and len(nums) == 2:
            pos = start = (nums[0], nums[1])
            nums, cmd = [], "L"
        elif cmd == "L" and len(nums) == 2:
            segs.append((*pos, nums[0], nums[1]))
            pos, nums = (nums[0], nums[1]), []
        elif cmd == "C" and len(nums) == 6:
            p0, p1, p2, p3 = pos, (nums[0], nums[1]), (nums[2], nums[3]), (nums[4], nums[5])
            prev = p0
            for k in range(1, samples + 1):
                t = k / samples
                pt = tuple((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c + t ** 3 * e
                           for a, b, c, e in zip(p0, p1, p2, p3, strict=True))
                segs.append((*prev, *pt))  # type: ignore[arg-type]
                prev = pt  # type: ignore[assignment]
            pos, nums = p3, []
    del start
    return segs


def lines_in_groups(svg: bytes | str, pattern: str) -> dict[str, list[Segment]]:
    """The segments of every ``<path>`` under a group whose id matches ``pattern`` (regex), by group id."""
    root = ET.fromstring(svg)
    out: dict[str, list[Segment]] = {}
    for g in root.iter(f"{SVG}g"):
        gid = g.get("id") or ""
        if re.search(pattern, gid):
            for path in g.iter(f"{SVG}path"):
                out.setdefault(gid, []).extend(path_segments(path.get("d", "")))
    return out


def crosses(seg: Segment, box: Box, shrink: float = 1.0) -> bool:
    """Does the segment pass through the box (shrunk by ``shrink`` on each side: touching is not crossing)?"""
    from relmap.render.matrix import segment_hits_box

    x0, y0, x1, y1 = box
    inner = (x0 + shrink, y0 + shrink, x1 - shrink, y1 - shrink)
    if inner[0] >= inner[2] or inner[1] >= inner[3]:
        return False
    return segment_hits_box(seg, inner)


def crossing_pairs(segs: list[Segment], boxes: list[Box], shrink: float = 1.0) -> list[tuple[int, int]]:
    """Every ``(i, j)`` with ``crosses(segs[i], boxes[j], shrink)``, in order of ``i`` then ``j``.

    The same answer as testing every pair, found faster: a segment can only cross
    a box its own bounding box overlaps, so the pairs whose bounding boxes are
    apart (almost all of them) are dropped with numpy first, with a margin, and
    :func:`crosses` decides the rest.
    """
    import numpy as np

    if not segs or not boxes:
        return []
    s = np.asarray(segs, dtype=float)
    b = np.asarray(boxes, dtype=float)
    sx0, sx1 = np.minimum(s[:, 0], s[:, 2]), np.maximum(s[:, 0], s[:, 2])
    sy0, sy1 = np.minimum(s[:, 1], s[:, 3]), np.maximum(s[:, 1], s[:, 3])
    inner = b + np.array([shrink, shrink, -shrink, -shrink])
    eps = 1e-6  # a looser filter never drops a crossing; crosses() has the last word
    out: list[tuple[int, int]] = []
    step = max(1, 4_000_000 // len(boxes))  # at most ~4 million pairs in memory at once
    for start in range(0, len(segs), step):
        part = slice(start, start + step)
        near = ((sx0[part, None] <= inner[None, :, 2] + eps) & (sx1[part, None] >= inner[None, :, 0] - eps)
                & (sy0[part, None] <= inner[None, :, 3] + eps) & (sy1[part, None] >= inner[None, :, 1] - eps))
        for i, j in zip(*np.nonzero(near), strict=True):
            if crosses(segs[start + int(i)], boxes[int(j)], shrink):
                out.append((start + int(i), int(j)))
    return out
