"""Running Graphviz, and making every SVG safe, stable and pasteable.

:func:`run_dot` calls the real ``dot`` with a timeout. :func:`clean_svg`
post-processes any SVG we produce (Graphviz's, or the canvas' of relmap.render.canvas) so that it:

* parses as XML, and has no ``<script>``, no ``on*`` attribute, no ``href``
  other than ``#…`` (refused with :class:`RenderError` otherwise);
* has no prolog, DOCTYPE (its DTD is an external reference) or comments (they
  name the Graphviz version and change between machines);
* carries presentation attributes instead of CSS: ``style="…"`` declarations
  become attributes and ``<style>`` sheets are dropped (PowerPoint, Keynote and
  Google Slides honour attributes, not CSS); ``transparent`` (invalid in SVG
  1.1) becomes ``none``;
* prefixes every ``id`` and every ``#ref`` / ``url(#…)`` with ``prefix-`` so
  several diagrams can sit inline in one HTML page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from typing import Any

from ..errors import RenderError
from ..i18n import _

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
#: Seconds ``dot`` may run before we give up (layout time explodes on huge cross-linked chains).
DOT_TIMEOUT = 60.0
#: PNG scale: 2× the SVG's CSS pixel size (Graphviz and matplotlib both draw at 96 px per inch).
PNG_DPI = 192
#: Longest side of a Graphviz PNG, in pixels: bigger drawings are scaled down to fit (Graphviz ``size``).
#: Why: the 10,000-activity overview at 2× was 12,656 × 10,469 px (132 megapixels, 25 MB), beyond what
#: image libraries open without a "decompression bomb" warning; 4,000 px is 300 dpi across a whole 16:9 slide.
PNG_MAX_PIXELS = 4000
#: Longest side of a PNG drawn for a deck picture (the value chain's and the matrix's): about 160 dpi across the
#: slide's 12.3 in picture area, more than a 1080p projector shows (1920 px over 13.33 in); a bound for very
#: wide template slides.
DECK_PNG_PIXELS = 2000

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_PRESENTATION = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor", "clip-path",
    "dominant-baseline", "letter-spacing", "visibility", "display", "color",
}
_URL_REF = re.compile(r"url\(\s*#([^)\s]+)\s*\)")


def install_hint() -> str:
    """How to install Graphviz, in one sentence."""
    return _("install Graphviz (Debian/Ubuntu: 'sudo apt-get install graphviz'; macOS: 'brew install graphviz'; "
             "Windows: 'winget install graphviz'), then make sure 'dot' is on your PATH")


def run_dot(source: str, fmt: str = "svg", *, engine: tuple[str, ...] = ("dot",),
            timeout: float = DOT_TIMEOUT, max_pixels: int = PNG_MAX_PIXELS, dpi: float = PNG_DPI) -> bytes:
    """Run Graphviz on ``source``: ``<engine…> -T<fmt>`` (PNG at :data:`PNG_DPI`, at most :data:`PNG_MAX_PIXELS`).

    Args:
        source: DOT text.
        fmt: a Graphviz output format (``svg``, ``png``, ``pdf``, ``json``).
        engine: the program and its flags, e.g. ``("neato", "-n2")`` for a placed graph.
        timeout: seconds before giving up.
        max_pixels: longest side of a PNG (the deck asks for less: a slide needs no more).
        dpi: a PNG's pixels per inch of the drawing (72 points); the deck sets it so a picture has the
            resolution it is shown at.

    Raises:
        RenderError: Graphviz is missing, timed out or failed (with how to fix it).
    """
    flags = [f"-T{fmt}"]
    if fmt == "png":
        flags += _png_flags(dpi, max_pixels)
    return _graphviz(source, engine, flags, timeout)


def _png_flags(dpi: float, max_pixels: int) -> list[str]:
    side = f"{max_pixels / dpi:.4g}"  # inches at that dpi
    return [f"-Gdpi={dpi:.4g}", f"-Gsize={side},{side}"]


def _graphviz(source: str, engine: tuple[str, ...], flags: list[str], timeout: float) -> bytes:
    """What ``<engine…> <flags…>`` prints for ``source`` (see :func:`run_dot` for the errors)."""
    exe = shutil.which(engine[0])
    if exe is None:
        raise RenderError(_("Graphviz '{program}' was not found: {hint}").format(
            program=engine[0], hint=install_hint()))
    try:
        done = subprocess.run([exe, *engine[1:], *flags], input=source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise too_long(timeout) from exc
    except OSError as exc:
        raise RenderError(_("Graphviz '{program}' could not run ({reason}): {hint}").format(
            program=engine[0], reason=exc.strerror or exc, hint=install_hint())) from exc
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(_("Graphviz '{program}' failed: {detail}").format(
            program=engine[0], detail=detail[-1] if detail else done.returncode))
    return done.stdout


def too_long(timeout: float) -> RenderError:
    """The error of a Graphviz run that took more than ``timeout`` seconds."""
    return RenderError(_("Graphviz took more than {seconds} s to lay out the diagram; draw one stage at a "
                         "time with --stage ID").format(seconds=f"{timeout:g}"))


def not_json(program: str, fmt: str, error: object) -> RenderError:
    """The error of a Graphviz run whose ``-T<fmt>`` output is not what Graphviz prints (a broken or foreign
    Graphviz may print anything: every other output is still written)."""
    return RenderError(_("Graphviz's '{program} -T{format}' did not print valid JSON ({error})").format(
        program=program, format=fmt, error=str(error)[:120]))


def json_graphs(output: bytes, program: str, fmt: str) -> list[Any]:
    """Each graph of Graphviz's JSON output (``-Tjson``, ``-Tjson0``: one object per graph, one after the other),
    parsed.

    Raises:
        RenderError: the output is not that (:func:`not_json`).
    """
    import json

    text = output.decode("utf-8", "replace")
    decoder = json.JSONDecoder()
    found: list[Any] = []
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return found
        try:
            graph, at = decoder.raw_decode(text, at)
        except ValueError as exc:
            raise not_json(program, fmt, exc) from None
        found.append(graph)


def measure_nodes(source: str, *, timeout: float = DOT_TIMEOUT) -> dict[str, tuple[float, float]]:
    """Width and height in points of every node of ``source``, as Graphviz sizes them (``dot -Tjson0``: the
    layout without its drawing instructions, a fifth of ``-Tjson``'s output for the same sizes).

    Raises:
        RenderError: Graphviz is missing or failed.
    """
    import json

    try:
        data = json.loads(run_dot(source, "json0", timeout=timeout))
    except ValueError as exc:
        raise not_json("dot", "json0", exc) from None
    return node_sizes(data)


def node_sizes(data: Any) -> dict[str, tuple[float, float]]:
    """Width and height in points of every node of a graph in Graphviz's JSON output (parsed).

    Raises:
        RenderError: it is not Graphviz's JSON (:func:`not_json`).
    """
    sizes: dict[str, tuple[float, float]] = {}
    try:
        for obj in data.get("objects", []):
            if "width" in obj and "height" in obj:
                sizes[str(obj["name"])] = (float(obj["width"]) * 72, float(obj["height"]) * 72)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise not_json("dot", "json0", exc) from None
    return sizes


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _style_to_attributes(elem: ET.Element) -> None:
    style = elem.attrib.pop("style", None)
    if not style:
        return
    for decl in style.split(";"):
        if ":" not in decl:
            continue
        key, value = (part.strip() for part in decl.split(":", 1))
        if key == "font":  # matplotlib's shorthand: "font: 700 12px 'Arial', sans-serif"
            _font_shorthand(elem, value)
        elif key in _PRESENTATION:
            elem.set(key, value)


def _font_shorthand(elem: ET.Element, value: str) -> None:
    match = re.match(r"^(?:(normal|italic|oblique)\s+)?(?:(\d{3}|bold|normal)\s+)?([\d.]+)px\s+(.*)$", value)
    if not match:
        return
    style, weight, size, family = match.groups()
    if style and style != "normal":
        elem.set("font-style", style)
    if weight and weight not in ("normal", "400"):
        elem.set("font-weight", "bold" if weight in ("bold", "700") else weight)
    elem.set("font-size", size)
    elem.set("font-family", family.replace('"', "'"))


def _check(elem: ET.Element) -> None:
    if _local(elem.tag) in ("script", "foreignObject", "iframe", "object", "embed"):
        raise RenderError(_("refusing an SVG with a <{tag}> element").format(tag=_local(elem.tag)))
    for key, value in elem.attrib.items():
        name = _local(key).lower()
        if name.startswith("on"):
            raise RenderError(_("refusing an SVG with an event attribute ({name})").format(name=name))
        if name == "href" and not value.startswith("#"):
            raise RenderError(_("refusing an SVG with an external reference"))


def _prefix_refs(elem: ET.Element, prefix: str) -> None:
    for key, value in list(elem.attrib.items()):
        name = _local(key)
        if name == "id":
            elem.set(key, f"{prefix}-{value}")
        elif name == "href" and value.startswith("#"):
            elem.set(key, f"#{prefix}-{value[1:]}")
        elif "url(#" in value:
            elem.set(key, _URL_REF.sub(lambda m: f"url(#{prefix}-{m.group(1)})", value))


def clean_svg(data: bytes, prefix: str) -> bytes:
    """Check and normalise an SVG (see the module docstring); ``prefix`` is put before every id.

    Raises:
        RenderError: not well-formed XML, or unsafe content.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise RenderError(_("the diagram is not well-formed SVG ({reason})").format(reason=exc)) from exc
    if _local(root.tag) != "svg":
        raise RenderError(_("the diagram is not an SVG"))
    for parent in list(root.iter()):
        for child in list(parent):
            if _local(child.tag) == "style" or (_local(child.tag) == "metadata"):
                parent.remove(child)
    for elem in root.iter():
        _check(elem)
        _style_to_attributes(elem)
        for key in ("fill", "stroke"):
            if elem.get(key) == "transparent":
                elem.set(key, "none")
        _prefix_refs(elem, prefix)
    root.set("stroke-linejoin", root.get("stroke-linejoin", "round"))
    root.set("stroke-linecap", root.get("stroke-linecap", "butt"))
    text = ET.tostring(root, encoding="unicode")
    return (text.rstrip() + "\n").encode("utf-8")
