"""The canvas the chart views are laid out on: text measures, SVG writing, round ticks, the Pillow PNG.

Numbers worked out by hand from Arial's advance widths (thousandths of an em):
H 722, i 222 (bold i 278), a 556, b 556.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import relmap
from relmap.render import render_view
from relmap.render.canvas import ASCENT, DESCENT, Canvas, _Group, _Text, line_pitch, text_block, text_width
from relmap.render.plot import Frame, nice_ticks, tick_bins
from relmap.render.raster import _bezier, _dashes, canvas_png, font_file

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def test_text_width_sums_arial_advances() -> None:
    """"Hi" at 10 pt: (722 + 222) × 10 / 1000 = 9.44 pt; bold (722 + 278) × 10 / 1000 = 10.0 pt."""
    assert text_width("Hi", 10) == pytest.approx(9.44)
    assert text_width("Hi", 10, True) == pytest.approx(10.0)
    assert text_width("", 10) == 0.0
    assert text_width("\u0301", 10) == 0.0  # a combining accent takes no room
    assert text_width("漢", 10) == pytest.approx(10.0)  # not in Arial: estimated, one em


def test_line_pitch_and_block() -> None:
    """pitch = size × (0.716 × spacing + 0.21): 10 × (0.7876 + 0.21) = 9.976 at 1.1; two lines of "ab" at 10 pt,
    spacing 1.2: width 2 × 5.56 = 11.12, height 10 × 0.926 + 10 × (0.8592 + 0.21) = 9.26 + 10.692 = 19.952."""
    assert line_pitch(10, 1.1) == pytest.approx(9.976)
    width, height = text_block(["ab", "a"], 10)
    assert width == pytest.approx(11.12)
    assert text_block(["ab", "ab"], 10)[1] == pytest.approx(19.952)
    assert height == pytest.approx(19.952)


def test_text_box_and_svg_position() -> None:
    """"Hi" at 10 pt, right-aligned, its top at y = 50 on a 100 pt tall canvas: box (90.56, 40.74, 100, 50);
    baseline 50 − 7.16 = 42.84 pt from the bottom, so at y = 100 − 42.84 = 57.16 in the SVG (y downwards)."""
    c = Canvas(200, 100)
    box = c.text(100, 50, "Hi", size=10, color="#000000", ha="right", va="top")
    assert box == pytest.approx((90.56, 50 - (ASCENT + DESCENT) * 10, 100, 50))
    text = ET.fromstring(c.to_svg()).find(f"{SVG}text")
    assert text is not None
    assert (text.get("x"), text.get("y"), text.get("text-anchor")) == ("100", "57.16", "end")


def test_text_lines_centred_and_turned() -> None:
    """Two lines centred on y = 50 at 10 pt, spacing 1.2: block 19.952 tall, so the top at 59.976 and the first
    baseline 7.16 lower (52.816), the second one pitch (10.692) lower (42.124). A quarter-turned line with
    ``va="bottom"`` ends at x: its box runs from x − 9.26 to x."""
    c = Canvas(200, 100)
    c.text(10, 50, "ab\nab", size=10, color="#000000", va="center")
    lines = [item for item in c.items if isinstance(item, _Text)]
    assert [line.y for line in lines] == pytest.approx([52.816, 42.124])
    box = c.text(30, 50, "Hi", size=10, color="#000000", ha="center", va="bottom", rotation=90)
    assert box == pytest.approx((30 - 9.26, 50 - 4.72, 30, 50 + 4.72))


def test_svg_is_safe_xml_with_groups() -> None:
    """Text is escaped (and control characters dropped), groups carry their ids, paths flip y."""
    c = Canvas(100, 50)
    with c.group("label-0"):
        c.text(5, 5, "R&D <team>\x07", size=10, color="#000000")
    c.rect(0, 0, 10, 20, fill="#FF0000", alpha=0.5)
    root = ET.fromstring(c.to_svg())
    group = root.find(f"{SVG}g")
    assert group is not None and group.get("id") == "label-0"
    assert "".join(group.itertext()).strip("\n") == "R&D <team> "
    path = root.find(f"{SVG}path")
    assert path is not None
    assert path.get("d") == "M 0 50 L 10 50 L 10 30 L 0 30 z" and path.get("fill-opacity") == "0.5"
    assert sum(isinstance(item, _Group) for item in c.items) == 2  # opened and closed


def test_frame_maps_data_to_points() -> None:
    """x from [0, 10] onto [100, 300]: 2.5 → 150; y from 5 (bottom) to −5 (top) onto [0, 100]: 0 → 50, −5 → 100."""
    f = Frame(100, 0, 300, 100, 0, 10, 5, -5)
    assert f.x(2.5) == pytest.approx(150)
    assert f.y(0) == pytest.approx(50)
    assert f.y(-5) == pytest.approx(100)


def test_nice_ticks() -> None:
    """[0, 1] in 4: step 0.25; [0, 130] in 5: 26 a step at least, so 50; [−3, 7] in 9: 1.11 → 2."""
    assert nice_ticks(0, 1, 4) == pytest.approx([0, 0.25, 0.5, 0.75, 1.0])
    assert nice_ticks(0, 130, 5) == pytest.approx([0, 50, 100])
    assert nice_ticks(-3, 7, 9) == pytest.approx([-2, 0, 2, 4, 6])
    assert nice_ticks(5, 5, 4) == [5]
    assert tick_bins(100) == 3 and tick_bins(100, vertical=True) == 5 and tick_bins(1000) == 9


def test_dashes_cut_a_line() -> None:
    """A 10 pt line dashed 3 on, 2 off: on 0–3, off 3–5, on 5–8, off 8–10."""
    assert _dashes([(0.0, 0.0), (10.0, 0.0)], (3.0, 2.0)) == [[(0.0, 0.0), (3.0, 0.0)], [(5.0, 0.0), (8.0, 0.0)]]
    # round a corner: 4 along x then 4 up, dashed 5 on 1 off: on 0–5 (through the corner), off 5–6, on 6–8
    pieces = _dashes([(0.0, 0.0), (4.0, 0.0), (4.0, 4.0)], (5.0, 1.0))
    assert pieces == [[(0.0, 0.0), (4.0, 0.0), (4.0, 1.0)], [(4.0, 2.0), (4.0, 4.0)]]


def test_bezier_ends_at_its_last_point() -> None:
    """Control points on a line give points on that line, ending at p3; the middle one (t = ½) is the mean
    (p0 + 3p1 + 3p2 + p3) / 8."""
    points = _bezier((0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0))
    assert points[-1] == pytest.approx((3.0, 3.0))
    assert all(x == pytest.approx(y) for x, y in points)
    curve = _bezier((0.0, 0.0), (0.0, 8.0), (8.0, 8.0), (8.0, 0.0))
    assert curve[len(curve) // 2 - 1] == pytest.approx((4.0, 6.0))


@pytest.mark.skipif(font_file(False) is None, reason="no font")
def test_png_size_colours_and_bytes() -> None:
    """A 144 × 72 pt canvas at 100 dpi is 200 × 100 px; a red square covering the left half is red there, the
    right half keeps the background; the same canvas gives the same bytes."""
    from PIL import Image

    c = Canvas(144, 72, "#FFFFFF")
    c.rect(0, 0, 72, 72, fill="#FF0000")
    c.text(100, 36, "Hi", size=12, color="#000000")
    png = canvas_png(c, 100)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (200, 100)
    assert image.getpixel((20, 50)) == (255, 0, 0)
    assert image.getpixel((195, 5)) == (255, 255, 255)
    assert canvas_png(c, 100) == png


def test_matrix_labels_do_not_overlap() -> None:
    """On the hotel example, the labels (and numbers) placed on the matrix share no area."""
    from relmap.render.matrix import matrix_canvas

    canvas = matrix_canvas(relmap.analyze(relmap.load(ROOT / "examples/hotel-group/company.yaml"), draws=20))
    boxes: dict[str, list[float]] = {}
    group = None
    for item in canvas.items:
        if isinstance(item, _Group):
            group = item.gid if item.gid and item.gid.startswith("label-") else None
        elif isinstance(item, _Text) and group is not None:
            w = text_width(item.text, item.size, item.bold)
            x0 = item.x - {"left": 0.0, "center": w / 2, "right": w}[item.anchor]
            box = [x0, item.y - DESCENT * item.size, x0 + w, item.y + ASCENT * item.size]
            old = boxes.setdefault(group, box)
            boxes[group] = [min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3])]
    assert len(boxes) > 20
    placed = list(boxes.values())
    overlapping = [(a, b) for i, a in enumerate(placed) for b in placed[i + 1:]
                   if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5]
    assert not overlapping


@pytest.mark.parametrize("view", ["matrix", "trajectory"])
def test_canvas_views_as_pdf_and_png(view: str) -> None:
    """The PDF (matplotlib) and the PNG (Pillow) of a canvas view are drawn, and the same twice."""
    result = relmap.analyze(relmap.load(ROOT / "examples/hotel-group/company.yaml"), draws=20)
    pdf = render_view(result, view, fmt="pdf")
    assert pdf.startswith(b"%PDF") and render_view(result, view, fmt="pdf") == pdf
    png = render_view(result, view, fmt="png")
    assert png.startswith(b"\x89PNG") and render_view(result, view, fmt="png") == png


def test_a_line_beyond_arial_is_drawn_in_dejavu() -> None:
    """"⚠" is not among Arial's characters: its line takes DejaVu Sans (matplotlib's), other lines Arial's twin."""
    from relmap.render.metrics_data import REGULAR
    from relmap.render.raster import _font, dejavu_file

    assert ord("⚠") not in REGULAR and ord("é") in REGULAR
    wide = dejavu_file(True)
    assert wide is not None and wide.endswith("DejaVuSans-Bold.ttf")
    assert _font(True, 20.0, True).path == wide  # type: ignore[union-attr]
    assert _font(True, 20.0, False).path == font_file(True)  # type: ignore[union-attr]
