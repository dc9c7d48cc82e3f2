"""Colours, fonts and sizes of every diagram: module constants a caller can override.

Why: consultants restyle for their client's deck. Every renderer reads a
:class:`Theme`; ``THEMES`` holds the three built-in ones (``light``, ``dark``,
``print``). To change a colour for every call, replace an entry::

    from dataclasses import replace
    from relmap.render import theme
    theme.THEMES["light"] = replace(theme.LIGHT, quadrant_fill={**theme.LIGHT.quadrant_fill, "automate": "#F5C242"})

Quadrant colours are the Okabe–Ito colour-blind-safe palette; relational
goods are never marked by colour alone (a ♥ and a bold dark border), so
the diagrams survive grey-scale printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Fonts present on every Office machine first; Liberation Sans has Arial's metrics.
FONT_FAMILIES: tuple[str, ...] = ("Arial", "Liberation Sans", "DejaVu Sans")
#: The font name written into DOT and SVG (viewers substitute the metric twin).
FONT = "Arial"
#: The relational-good marker (U+2665 is in WGL4, so in Arial and Liberation Sans).
HEART = "♥"

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}


def _quadrant_fill() -> dict[str, str]:
    return {"automate": OKABE_ITO["orange"], "augment": OKABE_ITO["sky_blue"],
            "relational_core": OKABE_ITO["bluish_green"], "sustain": "#D9D9D9"}


def _quadrant_text() -> dict[str, str]:
    return {"automate": "#000000", "augment": "#000000", "relational_core": "#FFFFFF", "sustain": "#000000"}


def _flow_color() -> dict[str, str]:
    return {"information": OKABE_ITO["blue"], "material": "#6B6B6B", "service": "#3A3A3A",
            "relationship": OKABE_ITO["reddish_purple"]}


@dataclass(frozen=True)
class Theme:
    """Every colour and size a renderer uses.

    Attributes:
        name: ``light``, ``dark`` or ``print``.
        background: page colour.
        text: main text colour; ``muted``: secondary text (subtitles, axes).
        quadrant_fill / quadrant_text: node fill and label colour by quadrant.
        good_border: border of relational goods (drawn bold).
        node_border: border of other nodes.
        risk: colour of a relay at risk (always with a dashed border and a text).
        cluster_border / cluster_fill / support_fill: stage boxes.
        customer_fill / actor_fill: actors.
        flow_color: edge colour by flow kind.
        grid: light lines of the matrix.
        title_size … small_size: font sizes in points at 100 % (slide size).
    """

    name: str = "light"
    background: str = "#FFFFFF"
    text: str = "#1A1A1A"
    muted: str = "#555555"
    quadrant_fill: dict[str, str] = field(default_factory=_quadrant_fill)
    quadrant_text: dict[str, str] = field(default_factory=_quadrant_text)
    good_border: str = "#0B3D91"
    node_border: str = "#555555"
    risk: str = OKABE_ITO["vermillion"]
    cluster_border: str = "#B5B5B5"
    cluster_fill: str = "#FFFFFF"
    support_fill: str = "#F2F2F2"
    customer_fill: str = OKABE_ITO["yellow"]
    actor_fill: str = "#FFFFFF"
    flow_color: dict[str, str] = field(default_factory=_flow_color)
    grid: str = "#E6E6E6"
    title_size: float = 22.0
    subtitle_size: float = 14.0
    label_size: float = 14.0
    number_size: float = 13.0
    small_size: float = 12.0


LIGHT = Theme()

DARK = Theme(
    name="dark",
    background="#1E1E1E",
    text="#F2F2F2",
    muted="#BDBDBD",
    quadrant_text={"automate": "#000000", "augment": "#000000", "relational_core": "#FFFFFF",
                   "sustain": "#000000"},
    quadrant_fill={**_quadrant_fill(), "sustain": "#A6A6A6"},
    good_border="#FFFFFF",
    node_border="#9E9E9E",
    cluster_border="#6E6E6E",
    cluster_fill="#262626",
    support_fill="#303030",
    actor_fill="#2B2B2B",
    flow_color={"information": "#56B4E9", "material": "#BDBDBD", "service": "#E0E0E0",
                "relationship": OKABE_ITO["reddish_purple"]},
    grid="#3A3A3A",
)

#: Black and white friendly: pale fills, black borders; marks carry the meaning.
PRINT = Theme(
    name="print",
    quadrant_fill={"automate": "#F7DDA6", "augment": "#C9E6F7", "relational_core": "#B7E3D3",
                   "sustain": "#EEEEEE"},
    quadrant_text={"automate": "#000000", "augment": "#000000", "relational_core": "#000000",
                   "sustain": "#000000"},
    good_border="#000000",
    node_border="#555555",
    risk="#000000",
    flow_color={"information": "#333333", "material": "#333333", "service": "#000000",
                "relationship": "#000000"},
    customer_fill="#FFFFFF",
)

THEMES: dict[str, Theme] = {"light": LIGHT, "dark": DARK, "print": PRINT}


def get_theme(theme: str | Theme) -> Theme:
    """The :class:`Theme` named ``theme`` (or ``theme`` itself); KeyError when unknown."""
    if isinstance(theme, Theme):
        return theme
    return THEMES[theme]
