"""Reading a generated deck back for the tests: the font sizes a native chart sets."""

from __future__ import annotations

from typing import Any


def chart_text_pt(chart: Any) -> list[float]:
    """Every font size a native chart sets, in points (``sz`` anywhere in its XML: title, axes, legend, data
    labels); the chart must set one for its whole text (``c:chartSpace/c:txPr``), so no text of it is left
    at the viewer's default size."""
    space = chart._chartSpace
    assert space.xpath("./c:txPr//a:defRPr/@sz"), "a chart without a font size for its whole text"
    return [int(v) / 100 for v in space.xpath(".//@sz")]
