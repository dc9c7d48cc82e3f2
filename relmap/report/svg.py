"""Prepare an SVG for inlining in an HTML page: checked, cleaned, ids prefixed.

Why: several diagrams in one page share ids (``graph0``, ``node1``, ``clip1``…)
and a ``url(#…)`` in one would then point into another; an XML prolog or
DOCTYPE is not allowed inside HTML; and the SVG is marked safe for Jinja2, so it
must not carry script, event handlers or external links whatever produced it.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import RenderError
from ..i18n import _

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_URL_REF = re.compile(r"url\(\s*#([^)\s]+)\s*\)")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
                           huge_tree=False, load_dtd=False)


def _clean(root: etree._Element) -> None:
    """Drop ``<script>``, ``<foreignObject>``, ``on*`` attributes and links that leave the document."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local in ("script", "foreignObject"):
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
            continue
        for name in list(el.attrib):
            local_attr = etree.QName(name).localname if name.startswith("{") else name
            value = el.attrib[name]
            if local_attr.lower().startswith("on") or (local_attr == "href" and not value.startswith("#")):
                del el.attrib[name]


def _prefix_ids(root: etree._Element, prefix: str) -> None:
    """Rename every ``id`` to ``prefix + id`` and follow ``#id`` and ``url(#id)`` references.

    Nothing changes when every id already starts with ``prefix`` (the renderer prefixes them itself).
    """
    ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    if not ids or all(str(i).startswith(prefix) for i in ids):
        return

    def ref(match: re.Match[str]) -> str:
        target = match.group(1)
        return f"url(#{prefix}{target})" if target in ids else match.group(0)

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in list(el.attrib.items()):
            if name == "id":
                el.set(name, prefix + value)
            elif name in ("href", _XLINK) and value.startswith("#") and value[1:] in ids:
                el.set(name, "#" + prefix + value[1:])
            elif "url(" in value:
                el.set(name, _URL_REF.sub(ref, value))


def inline_svg(svg: str | bytes, prefix: str) -> str:
    """The SVG as an element to paste inside HTML: no prolog, no DOCTYPE, no comments, ids prefixed.

    Args:
        svg: the SVG document.
        prefix: prepended to every id (e.g. ``"matrix-"``).

    Raises:
        RenderError: the SVG is not well-formed XML.
    """
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise RenderError(_("the diagram is not well-formed SVG: {error}").format(error=exc)) from exc
    _clean(root)
    _prefix_ids(root, prefix)
    root.set("role", "img")
    text: str = etree.tostring(root, encoding="unicode")
    return text
