"""The deck's value chain drawn as native PowerPoint shapes, not as a picture.

A stage part or the overview (:class:`relmap.render.dot.StagePart`: the drawing, its node sizes and
relmap's own placement, :mod:`relmap.render.layout`) becomes one group of shapes on its slide: each stage a
rounded box, each activity, collapsed stage and actor a shape of its kind filled and bordered as in
``value-chain.svg`` with its text as text runs (sizes, bold, colours of the label), each flow a curve with
its arrowhead. The consultant can move, recolour and retype any of it, the text is in the deck's fonts and
crisp at any size, and no picture is encoded (a PNG per slide was most of the deck's cost).

The flows follow Graphviz's routes around the boxes: one ``neato -n2 -Tjson0`` run per stage reads the
curves of all its parts (a layout without drawing: a fraction of a picture's cost, see :func:`routes`);
without Graphviz they are straight lines between the boxes' borders.

Scale: the drawing plus Graphviz's pad (:data:`relmap.render.dot.PAD_PT`) is fitted to the picture area,
``s = min(W / (w + pad), H / (h + pad))`` as the readability rule computes it
(:func:`relmap.render.dot.slide_scale`), so a label of ``p`` pt is written at ``p × s`` pt, the size the rule
judged (:func:`text_pt`).
"""

from __future__ import annotations

import functools
import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from ..render import layout as lay
from ..render.dot import PAD_PT, Drawing

EMU_PER_PT = 12700
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
#: PowerPoint's shape for each Graphviz node shape relmap draws (``cds``: the supplier's arrow-like box).
SHAPES = {"box": "roundRect", "ellipse": "ellipse", "cds": "homePlate", "hexagon": "hexagon", "octagon": "octagon",
          "note": "foldedCorner"}
#: Graphviz line styles as PowerPoint dashes.
DASHES = {"dashed": "dash", "dotted": "sysDot"}
#: Graphviz arrowheads as PowerPoint line ends (PowerPoint has no square end: a diamond marks material).
ARROWS = {"normal": "triangle", "box": "diamond", "none": "none"}


@dataclass
class Run:
    """A piece of label text: its size in points of the drawing, bold, colour (``RRGGBB``)."""

    text: str
    pt: float
    bold: bool
    colour: str


@dataclass
class Para:
    """One line of a label, left-aligned or centred."""

    runs: list[Run] = field(default_factory=list)
    left: bool = False


_TOKEN = re.compile(r"<(/?)([A-Za-z]+)([^>]*?)/?>|([^<]+)")
_ATTR = re.compile(r'([A-Z-]+)="([^"]*)"')


def label_lines(label: str, default_colour: str = "000000") -> list[Para]:
    """See :func:`_label_lines` (read once per label and colour: parts and tries share their nodes)."""
    return list(_label_lines(label, default_colour))


@functools.lru_cache(maxsize=4096)
def _label_lines(label: str, default_colour: str) -> tuple[Para, ...]:
    """The lines of one of relmap's HTML-like labels (:mod:`relmap.render.labels`), text unescaped.

    A line ends at ``<BR/>`` and at the end of a table row; cells of one row are one line. A cell with a
    background colour (the quadrant counts of a collapsed stage) gives a ``■`` in that colour before its text,
    which is written in ``default_colour`` (the cell's own text colour is meant for that background).
    """
    paras: list[Para] = [Para()]
    fonts: list[tuple[float, str]] = [(14.0, default_colour)]
    bold = 0
    cell_bg: str | None = None
    inner = label[1:-1] if label.startswith("<") and label.endswith(">") else html.escape(label)
    for match in _TOKEN.finditer(inner):
        close, tag, attrs_text, text = match.groups()
        if text is not None:
            size, colour = fonts[-1]
            value = html.unescape(text).replace("\\\\", "\\")
            if cell_bg is not None:
                paras[-1].runs.append(Run("■ ", size, False, cell_bg))
                colour, cell_bg = default_colour, None
            paras[-1].runs.append(Run(value, size, bold > 0, colour))
            continue
        tag = tag.upper()
        attrs = dict(_ATTR.findall(attrs_text)) if attrs_text and not close else {}
        if tag == "BR" or (tag == "TR" and not close):
            if paras[-1].runs:
                paras.append(Para(left=paras[-1].left))
        elif tag == "TD" and not close:
            if paras[-1].runs:
                paras[-1].runs.append(Run("  ", fonts[-1][0], False, default_colour))
            paras[-1].left = attrs.get("ALIGN") == "LEFT"
            cell_bg = attrs.get("BGCOLOR", "").lstrip("#") or None
        elif tag == "FONT":
            if close and len(fonts) > 1:
                fonts.pop()
            elif not close:
                size = float(attrs.get("POINT-SIZE", fonts[-1][0]))
                fonts.append((size, attrs.get("COLOR", "#" + fonts[-1][1]).lstrip("#")))
        elif tag == "B":
            bold += -1 if close else 1
    return tuple(p for p in paras if p.runs and any(r.text.strip() for r in p.runs))


@dataclass
class Route:
    """A flow's curve in drawing points: ``start`` then cubic Bézier segments (3 points each), and the arrow's
    tip when Graphviz drew one (the curve stops where the arrowhead begins)."""

    points: list[tuple[float, float]]
    tip: tuple[float, float] | None
    label_at: tuple[float, float] | None = None


def parse_routes(json0: bytes) -> list[list[Route] | None]:
    """The flows' routes of every graph in Graphviz's ``-Tjson0`` output (graphs one after the other), in the
    order of the graph's edges; None for a graph whose edges carry no route.

    Raises:
        RenderError: the output is not JSON (:func:`relmap.render.svg.json_graphs`).
    """
    from ..render.dot import ENGINE
    from ..render.svg import json_graphs

    return [graph_routes(graph) for graph in json_graphs(json0, ENGINE[0], "json0")]


def graph_routes(graph: Any) -> list[Route] | None:
    """The flows' routes of one graph of Graphviz's ``-Tjson0`` output (parsed), in the order of its edges; None
    when its edges carry no route."""
    edges = sorted(graph.get("edges", []), key=lambda e: int(e.get("_gvid", 0)))
    routes: list[Route] = []
    for edge in edges:
        route = _route(str(edge.get("pos", "")), edge.get("lp"))
        if route is None:
            return None
        routes.append(route)
    return routes


def _route(pos: str, lp: object) -> Route | None:
    tip = None
    points: list[tuple[float, float]] = []
    for item in pos.split():
        parts = item.split(",")
        try:
            if parts[0] in ("e", "s"):
                if parts[0] == "e":
                    tip = (float(parts[1]), float(parts[2]))
                continue
            points.append((float(parts[0]), float(parts[1])))
        except (ValueError, IndexError):
            return None
    if len(points) < 4 or (len(points) - 1) % 3:
        return None
    label_at = None
    if isinstance(lp, str) and "," in lp:
        x, y = lp.split(",", 1)
        label_at = (float(x), float(y))
    return Route(points, tip, label_at)


def routes(sources: Sequence[str]) -> list[list[Route] | None]:
    """Graphviz's routes of the flows of these placed drawings (:func:`relmap.render.dot.placed_dot`, bare: the
    text is not laid out again), from one ``neato -n2 -Tjson0`` run: Graphviz keeps relmap's positions and only
    routes the curves.

    Raises:
        RenderError: Graphviz is missing or failed.
    """
    from ..render.dot import ENGINE
    from ..render.svg import run_dot

    # a Graphviz process of its own for each batch: neato's router keeps state from one graph to the next, so
    # a process that had routed other graphs before (relmap.render.stream) could route these differently
    found = parse_routes(run_dot("".join(sources), "json0", engine=ENGINE))
    return found + [None] * (len(sources) - len(found))


# --------------------------------------------------------------------------- placing on the slide


@dataclass
class Frame:
    """Where the drawing goes: left, top of the drawing's (0, h) corner on the slide in inches, and ``s``."""

    left: float
    top: float
    scale: float
    height: float

    def at(self, x: float, y: float) -> tuple[int, int]:
        """EMU on the slide of the drawing's point ``(x, y)`` (points, y upwards)."""
        return (round((self.left * 72 + x * self.scale) * EMU_PER_PT),
                round((self.top * 72 + (self.height - y) * self.scale) * EMU_PER_PT))


def frame(plan: lay.Plan, left: float, top: float, width: float, height: float) -> Frame:
    """The drawing fitted and centred in the ``width × height`` inch area at ``(left, top)``:
    ``s = min(W / (w + pad), H / (h + pad))`` (points), the pad split on both sides."""
    w, h = plan.bb[2], plan.bb[3]
    s = min(width * 72 / (w + PAD_PT), height * 72 / (h + PAD_PT))
    return Frame(left + (width - w * s / 72) / 2, top + (height - h * s / 72) / 2, s, h)


def text_pt(drawing: Drawing, scale: float) -> float:
    """The smallest text of ``drawing`` (nodes and flow captions, :func:`relmap.render.dot.smallest_text`) once
    scaled by ``scale``, in points."""
    from ..render.dot import smallest_text
    from ..render.theme import LIGHT

    return smallest_text(drawing, LIGHT) * scale


def _sz(pt: float) -> int:
    """A font size in hundredths of a point, as PowerPoint stores it: ``⌊100 p⌋``, except that a size the rule
    judged 7 pt or more (``p ≥ 7 − 10⁻⁹``: floating-point) is never written under 7 pt."""
    hundredths = math.floor(pt * 100 + 1e-6)
    return max(hundredths, 700) if pt >= 7 - 1e-9 else hundredths


def _colour(value: object, default: str = "000000") -> str:
    text = str(value or "").split(":")[0].lstrip("#")
    return text.upper() if re.fullmatch(r"[0-9A-Fa-f]{6}", text) else default


def _line(colour: str, width_pt: float, dash: str | None, *, compound: bool = False, tail: str | None = None,
          arrow: float = 1.0) -> str:
    if width_pt <= 0:
        return "<a:ln><a:noFill/></a:ln>"
    size = "sm" if arrow < 0.8 or width_pt > 2 else "med"  # PowerPoint grows the arrowhead with the line
    cmpd = ' cmpd="dbl"' if compound else ""
    out = [f'<a:ln w="{round(width_pt * EMU_PER_PT)}"{cmpd}>',
           f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>']
    if dash:
        out.append(f'<a:prstDash val="{dash}"/>')
    out.append("<a:round/>")
    if tail:
        out.append(f'<a:tailEnd type="{tail}" w="{size}" len="{size}"/>')
    out.append("</a:ln>")
    return "".join(out)


def _paragraphs(paras: list[Para], scale: float, lang: str) -> str:
    out = []
    for para in paras:
        runs = "".join(
            f'<a:r><a:rPr lang="{lang}" sz="{_sz(r.pt * scale)}" b="{int(r.bold)}" dirty="0">'
            f'<a:solidFill><a:srgbClr val="{r.colour.upper()}"/></a:solidFill><a:latin typeface="Arial"/>'
            f'<a:cs typeface="Arial"/></a:rPr>{_t(r.text)}</a:r>' for r in para.runs)
        out.append(f'<a:p><a:pPr algn="{"l" if para.left else "ctr"}"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
                   f'<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft></a:pPr>'
                   f"{runs}</a:p>")
    return "".join(out)


# text and attribute values escaped as lxml serialises them, so that a group spliced as text (chain_group) is the
# same bytes as one parsed and written again
def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _t(text: str) -> str:
    return f"<a:t>{escape(text, {chr(13): '&#13;'})}</a:t>" if text else "<a:t/>"


class _Ids:
    def __init__(self, start: int) -> None:
        self.next = start

    def __call__(self) -> int:
        self.next += 1
        return self.next - 1


def _sp(sid: int, name: str, x: int, y: int, cx: int, cy: int, geometry: str, fill: str | None, line: str,
        body: str = "", *, anchor: str = "ctr") -> str:
    fill_xml = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
    body = body or '<a:p><a:endParaRPr lang="en-GB" dirty="0"/></a:p>'
    text = (f'<p:txBody><a:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="{anchor}" rtlCol="0">'
            f"<a:noAutofit/></a:bodyPr><a:lstStyle/>{body}"
            f"</p:txBody>")
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{_attr(name)}"/><p:cNvSpPr/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{max(cx, 1)}" cy="{max(cy, 1)}"/></a:xfrm>'
            f"{geometry}{fill_xml}{line}</p:spPr>{text}</p:sp>")


def _preset(name: str, rounded: bool) -> str:
    adj = '<a:gd name="adj" fmla="val 10000"/>' if name == "roundRect" and rounded else ""
    av = f"<a:avLst>{adj}</a:avLst>" if adj else "<a:avLst/>"
    return f'<a:prstGeom prst="{name if rounded or name != "roundRect" else "rect"}">{av}</a:prstGeom>'


def _curve(sid: int, name: str, points: list[tuple[int, int]], line: str) -> str:
    """A freeform through ``points``: a move, cubic Béziers by threes, then a last straight piece (the tip)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, y0 = min(xs), min(ys)
    w, h = max(max(xs) - x0, 1), max(max(ys) - y0, 1)

    def pt(p: tuple[int, int]) -> str:
        return f'<a:pt x="{p[0] - x0}" y="{p[1] - y0}"/>'

    body, rest = [f"<a:moveTo>{pt(points[0])}</a:moveTo>"], points[1:]
    while len(rest) >= 3:
        body.append(f"<a:cubicBezTo>{pt(rest[0])}{pt(rest[1])}{pt(rest[2])}</a:cubicBezTo>")
        rest = rest[3:]
    body += [f"<a:lnTo>{pt(p)}</a:lnTo>" for p in rest]
    geometry = ('<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/><a:pathLst>'
                f'<a:path w="{w}" h="{h}" fill="none">{"".join(body)}</a:path></a:pathLst></a:custGeom>')
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{_attr(name)}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
            f'<p:spPr><a:xfrm><a:off x="{x0}" y="{y0}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>{geometry}<a:noFill/>'
            f"{line}</p:spPr></p:sp>")


def _straight(a: lay.Box, b: lay.Box) -> Route:
    """From ``a``'s border to ``b``'s on the line between their centres (no Graphviz to route it)."""

    def border(box: lay.Box, toward: lay.Box) -> tuple[float, float]:
        dx, dy = toward.x - box.x, toward.y - box.y
        if dx == 0 and dy == 0:
            return box.x, box.y
        t = min(box.w / 2 / abs(dx) if dx else math.inf, box.h / 2 / abs(dy) if dy else math.inf)
        return box.x + dx * t, box.y + dy * t

    p, q = border(a, b), border(b, a)
    return Route([p, p, q, q], None)


#: characters XML 1.0 does not allow (relmap's text never has them; a group that would is parsed, which refuses it)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: where :func:`spliced` puts a group's shapes back into a slide's XML
_SPLICE = re.compile(rb"<\?relmap-chain (\d+)\?>")


def chain_group(slide: Any, drawing: Drawing, plan: lay.Plan, where: Frame, name: str, lang: str,
                found: Sequence[Route] | None, splices: dict[str, bytes] | None = None) -> float:
    """Draw ``drawing`` placed by ``plan`` on ``slide`` at ``where``, as one group named ``name`` (see the module
    docstring); ``found``: the flows' routes in the order of ``drawing.edges`` (None: straight lines).

    ``splices``: the group's shapes (hundreds of elements on a stage's slide) are not parsed into the slide's
    tree; the group holds a mark instead, and their XML text is kept in ``splices`` to be put in its place when
    the slide is written (:func:`spliced`): the same bytes as parsing then serialising them, for a fraction of
    the time. Without it (or for text XML does not allow), they are parsed as usual.

    Returns:
        The smallest text written, in points.
    """
    from lxml import etree
    from pptx.oxml import parse_xml

    tree = slide.shapes._spTree
    ids = _Ids(max([int(v) for v in tree.xpath("//p:cNvPr/@id")] + [1]) + 1)
    s = where.scale
    lang_tag = "fr-FR" if lang == "fr" else "en-GB"
    boxes = {b.id: b for b in lay.all_boxes(plan)}
    shapes: list[str] = []
    smallest = math.inf
    for spec, placed in zip(drawing.primary + drawing.support, plan.primary + plan.support, strict=True):
        if spec.cluster is None:
            continue
        x, y = where.at(placed.bb[0], placed.bb[3])
        x1, y1 = where.at(placed.bb[2], placed.bb[1])
        style = spec.style.get("style", "")
        line = _line(_colour(spec.style.get("color"), "B5B5B5"), float(spec.style.get("penwidth", 1)) * s,
                     DASHES.get("dashed" if "dashed" in style else ""))
        shapes.append(_sp(ids(), spec.cluster, x, y, x1 - x, y1 - y, _preset("roundRect", True),
                          _colour(spec.style.get("fillcolor"), "FFFFFF"), line))
    edges_xml: list[str] = []
    for k, (a, b, attrs) in enumerate(drawing.edges):
        if a not in boxes or b not in boxes:
            continue
        route = found[k] if found is not None and k < len(found) else _straight(boxes[a], boxes[b])
        points = [where.at(*p) for p in route.points] + ([where.at(*route.tip)] if route.tip else [])
        colours = str(attrs.get("color", ""))
        double = colours.count(":") == 2
        width = float(attrs.get("penwidth", 1.0)) * s * (3 if double else 1)
        head = str(attrs.get("arrowhead", "normal"))
        line = _line(_colour(colours, "555555"), width, DASHES.get(str(attrs.get("style", ""))), compound=double,
                     tail=ARROWS.get(head, "triangle"), arrow=float(attrs.get("arrowsize", 1.0)))
        edges_xml.append(_curve(ids(), f"{a} → {b}", points, line))
        if "label" in attrs and route.label_at is not None:
            paras = label_lines(str(attrs["label"]))
            smallest = min(smallest, min((r.pt * s for p in paras for r in p.runs), default=math.inf))
            lx, ly = where.at(*route.label_at)
            w, h = _label_size(paras, s)
            edges_xml.append(_sp(ids(), f"{a} → {b}", lx - w // 2, ly - h // 2, w, h, _preset("rect", False), None,
                                 "", _paragraphs(paras, s, lang_tag)))
    nodes_xml: list[str] = []
    for nid, node in drawing.nodes.items():
        attrs = node.attrs
        box = boxes.get(nid)
        if box is None or attrs.get("style") == "invis" or attrs.get("shape") == "point":
            continue
        style = str(attrs.get("style", ""))
        shape = str(attrs.get("shape", "box"))
        paras = label_lines(str(attrs.get("label", "")), "1A1A1A")
        smallest = min(smallest, min((r.pt * s for p in paras for r in p.runs if r.text.strip()), default=math.inf))
        x, y = where.at(box.x - box.w / 2, box.y + box.h / 2)
        x1, y1 = where.at(box.x + box.w / 2, box.y - box.h / 2)
        if shape == "plain":
            nodes_xml.append(_sp(ids(), nid, x, y, x1 - x, y1 - y, _preset("rect", False), None, "",
                                 _paragraphs(paras, s, lang_tag), anchor="t"))
            continue
        dash = next((DASHES[d] for d in ("dashed", "dotted") if d in style), None)
        line = _line(_colour(attrs.get("color"), "555555"), float(attrs.get("penwidth", 1.0)) * s, dash)
        fill = _colour(attrs.get("fillcolor"), "FFFFFF") if "filled" in style else None
        nodes_xml.append(_sp(ids(), nid, x, y, x1 - x, y1 - y, _preset(SHAPES.get(shape, "rect"), "rounded" in style
                                                                        or shape != "box"), fill, line,
                             _paragraphs(paras, s, lang_tag)))
    children = "".join(shapes + edges_xml + nodes_xml)
    gx, gy = where.at(0, plan.bb[3])
    gx1, gy1 = where.at(plan.bb[2], 0)
    head = (f'<p:grpSp xmlns:p="{P_NS}" xmlns:a="{A_NS}"><p:nvGrpSpPr><p:cNvPr id="{ids()}" '
            f'name="{_attr(name)}"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>'
            f'<a:off x="{gx}" y="{gy}"/><a:ext cx="{gx1 - gx}" cy="{gy1 - gy}"/><a:chOff x="{gx}" y="{gy}"/>'
            f'<a:chExt cx="{gx1 - gx}" cy="{gy1 - gy}"/></a:xfrm></p:grpSpPr>')
    if splices is None or _NOT_XML.search(children):
        tree.append(parse_xml(f"{head}{children}</p:grpSp>"))
        return smallest
    group = parse_xml(f"{head}</p:grpSp>")
    key = str(len(splices))
    group.append(etree.ProcessingInstruction("relmap-chain", key))
    splices[key] = children.encode("utf-8")
    tree.append(group)
    return smallest


def spliced(blob: bytes, splices: dict[str, bytes]) -> bytes:
    """A slide's XML with each group's shapes (:func:`chain_group`) in place of its mark."""
    if b"<?relmap-chain " not in blob:
        return blob
    return _SPLICE.sub(lambda m: splices[m.group(1).decode("ascii")], blob)


def _label_size(paras: list[Para], scale: float) -> tuple[int, int]:
    """A flow label's box in EMU: about half an em a character (Arial's average) and 1.2 em a line."""
    width = max((sum(len(r.text) * r.pt * 0.55 for r in p.runs) for p in paras), default=0.0)
    height = sum(max((r.pt for r in p.runs), default=0.0) * 1.2 for p in paras)
    return round(width * scale * EMU_PER_PT) + 1, round(height * scale * EMU_PER_PT) + 1
