"""Deck-ready diagrams of an :class:`~relmap.analysis.result.AnalysisResult`.

Six views:

* ``value-chain`` — Graphviz ``dot``, see :mod:`relmap.render.dot`;
* ``matrix`` — automatability × relational index, see :mod:`relmap.render.matrix`;
* ``reinvestment`` — where the freed hours go, see :mod:`relmap.render.reinvest`;
* ``people`` — who is affected, one bar per role, see :mod:`relmap.render.people`;
* ``sensitivity`` — a tornado of net savings, see :mod:`relmap.render.sensitivity`;
* ``trajectory`` — the years to the horizon, see :mod:`relmap.render.trajectory`.

Renderers read only the analysis result, so a diagram shows exactly what
``analysis.json`` says. SVGs are checked and normalised by
:func:`relmap.render.svg.clean_svg` (safe, no CSS, ids prefixed,
byte-identical run to run); PNGs are at 2×. Every view but the value chain is
laid out by relmap on a :class:`~relmap.render.canvas.Canvas`: its SVG is
written directly, its PNG drawn by Pillow (:mod:`relmap.render.raster`), its
PDF by matplotlib from the same shapes.

Example:
    >>> import relmap
    >>> from relmap.render import write_views
    >>> result = relmap.analyze(relmap.load("examples/hotel-group/company.yaml"))  # doctest: +SKIP
    >>> write_views(result, "out")  # doctest: +SKIP
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RenderError, UsageError
from ..fsutil import write_atomic
from ..i18n import _
from .theme import THEMES, Theme

if TYPE_CHECKING:  # the result is only an annotation here: importing the views stays light (``relmap render``'s
    from ..analysis.result import AnalysisResult  # options, the chart worker)

__all__ = ["FORMATS", "VIEWS", "check_options", "render_view", "value_chain_source", "write_views"]

#: The views, in drawing order: the one list (``relmap render --view``, the report's files ``<view>.svg``,
#: the chart worker's views are all read from it).
VIEWS: tuple[str, ...] = ("value-chain", "matrix", "reinvestment", "people", "sensitivity", "trajectory")
FORMATS: tuple[str, ...] = ("svg", "png", "pdf")
_PREFIX = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_SAFE_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


def check_options(result: AnalysisResult, *, view: str = "value-chain", fmt: str = "svg",
                  scenario: str | None = None, theme: str | Theme = "light", stage: str | None = None) -> None:
    """Refuse an unknown view, format, theme, scenario or stage, with a "did you mean".

    Raises:
        UsageError: the message names the choices.
    """
    from ..errors import did_you_mean

    def refuse(what: str, value: str, choices: Iterable[str]) -> None:
        choices = list(choices)
        hint = did_you_mean(value, choices)
        message = _("unknown {what} '{value}' (choose from: {choices})").format(
            what=what, value=value, choices=", ".join(choices) or _("none"))
        raise UsageError(message + (" — " + hint if hint else ""))

    if view not in VIEWS:
        refuse(_("view"), view, VIEWS)
    if fmt not in FORMATS:
        refuse(_("format"), fmt, FORMATS)
    if not isinstance(theme, Theme) and theme not in THEMES:
        refuse(_("theme"), theme, THEMES)
    if scenario is not None and scenario not in result.scenarios:
        refuse(_("scenario"), scenario, result.scenarios)
    if stage is not None and stage not in {s.id for s in result.stages}:
        refuse(_("stage"), stage, [s.id for s in result.stages])


def value_chain_source(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                       lang: str = "en", stage: str | None = None, measure: bool = True) -> str:
    """The placed DOT text of the value chain (what ``value-chain.dot`` holds).

    With ``measure``, Graphviz sizes the nodes first (``dot -Tjson0``) so the
    placement fits the real text; without Graphviz the sizes are estimated.
    """
    from .dot import NodeSizes, build_drawing, placed_dot
    from .svg import measure_nodes

    drawing = build_drawing(result, scenario=scenario, theme=theme, lang=lang, stage=stage)
    return placed_dot(drawing, NodeSizes(measure_nodes if measure else None).of([drawing])[0])


def render_view(
    result: AnalysisResult,
    view: str,
    *,
    fmt: str = "svg",
    scenario: str | None = None,
    theme: str | Theme = "light",
    lang: str = "en",
    stage: str | None = None,
    id_prefix: str | None = None,
) -> bytes:
    """One view as ``svg``, ``png`` (2×) or ``pdf`` bytes.

    Args:
        result: the analysis.
        view: one of :data:`VIEWS`.
        fmt: ``svg``, ``png`` or ``pdf``.
        scenario: scenario id (default: the file's first scenario).
        theme: ``light``, ``dark``, ``print`` or a :class:`~relmap.render.theme.Theme`.
        lang: ``en`` or ``fr``.
        stage: value chain only: draw this stage in detail.
        id_prefix: put before every SVG id (default: the view name), so
            several SVGs can sit inline in one HTML page.

    Raises:
        UsageError: unknown view, format, theme, scenario or stage.
        RenderError: Graphviz is missing, failed or timed out.
    """
    check_options(result, view=view, fmt=fmt, scenario=scenario, theme=theme, stage=stage)
    prefix = id_prefix or view
    if not _PREFIX.match(prefix):
        raise UsageError(_("an id prefix must start with a letter and hold only letters, digits, '-', '_' or '.'"))
    data = _render(result, view, fmt=fmt, scenario=scenario, theme=theme, lang=lang, stage=stage)
    if fmt == "svg":
        from .svg import clean_svg

        data = clean_svg(data, prefix)
    return data


# The last view drawn, kept for the next call: the reports ask for the SVG then the PNG of each view, and
# both come from one drawing (one canvas written twice; one placed DOT for Graphviz). The entry
# holds a weak reference to the result, so it never answers for another result (nor keeps one alive).
_last: tuple[Any, tuple[Any, ...], Any] | None = None


def _drawn(result: AnalysisResult, view: str, *, scenario: str | None, theme: str | Theme, lang: str,
           stage: str | None) -> Any:
    """The view laid out and not yet saved: a :class:`~relmap.render.canvas.Canvas`, or the value chain's placed
    DOT text."""
    global _last
    from .dot import MAX_OVERVIEW

    key = (view, scenario, theme if isinstance(theme, str) else id(theme), lang, stage, MAX_OVERVIEW.get())
    if _last is not None and _last[0]() is result and _last[1] == key:
        return _last[2]
    _last = None  # drop the previous drawing before making the next one (peak memory)
    if view == "value-chain":
        drawn: Any = value_chain_source(result, scenario=scenario, theme=theme, lang=lang, stage=stage)
    elif view == "matrix":
        from .matrix import matrix_canvas

        drawn = matrix_canvas(result, scenario=scenario, theme=theme, lang=lang)
    elif view == "people":
        from .people import people_canvas

        drawn = people_canvas(result, scenario=scenario, theme=theme, lang=lang)
    elif view == "sensitivity":
        from .sensitivity import sensitivity_canvas

        drawn = sensitivity_canvas(result, scenario=scenario, theme=theme, lang=lang)
    elif view == "trajectory":
        from .trajectory import trajectory_canvas

        drawn = trajectory_canvas(result, scenario=scenario, theme=theme, lang=lang)
    else:
        from .reinvest import reinvestment_canvas

        drawn = reinvestment_canvas(result, scenario=scenario, theme=theme, lang=lang)
    _last = (weakref.ref(result), key, drawn)
    return drawn


def _render(result: AnalysisResult, view: str, *, fmt: str, scenario: str | None, theme: str | Theme, lang: str,
            stage: str | None) -> bytes:
    drawn = _drawn(result, view, scenario=scenario, theme=theme, lang=lang, stage=stage)
    if view == "value-chain":
        from .dot import ENGINE
        from .svg import run_dot

        return run_dot(drawn, fmt, engine=ENGINE)
    if fmt == "svg":  # a canvas, laid out by relmap: its SVG written directly
        return bytes(drawn.to_svg())
    if fmt == "png":  # drawn by Pillow
        from .charts import PNG_PIXELS, png_dpi
        from .raster import canvas_png

        return canvas_png(drawn, png_dpi(drawn.width / 72, drawn.height / 72, PNG_PIXELS.get()))
    from .charts import mpl_context, save_pdf  # a PDF: the same shapes drawn by matplotlib
    from .theme import get_theme

    with mpl_context(get_theme(theme)):
        return save_pdf(drawn.to_figure())


def file_name(view: str, fmt: str, stage: str | None = None) -> str:
    """``value-chain.svg``; with a stage, ``value-chain-<stage>.svg`` (stage ids are file-safe)."""
    if view == "value-chain" and stage is not None and _SAFE_NAME.match(stage):
        return f"{view}-{stage}.{fmt}"
    return f"{view}.{fmt}"


def write_views(
    result: AnalysisResult,
    out_dir: str | Path,
    *,
    views: Sequence[str] = VIEWS,
    fmt: str = "svg",
    scenario: str | None = None,
    theme: str | Theme = "light",
    lang: str = "en",
    stage: str | None = None,
    protect: tuple[Path, ...] = (),
) -> list[Path]:
    """Write the views to ``out_dir`` (atomically); the value chain's DOT source is written too.

    When one view fails (Graphviz missing, timed out…), every other view and
    ``value-chain.dot`` are still written, then :class:`RenderError` says what
    failed and how to fix it.

    Returns:
        The paths written, in view order (the ``.dot`` after its view).
    """
    for view in views:
        check_options(result, view=view, fmt=fmt, scenario=scenario, theme=theme, stage=stage)
    out = Path(out_dir)
    written: list[Path] = []
    failures: list[str] = []
    for view in views:
        target = out / file_name(view, fmt, stage)
        try:
            data = render_view(result, view, fmt=fmt, scenario=scenario, theme=theme, lang=lang, stage=stage)
            written.append(write_atomic(target, data, protect=protect))
        except RenderError as exc:
            failures.append(_("{file}: {reason}").format(file=target, reason=exc))
        if view == "value-chain":
            source = _drawn(result, view, scenario=scenario, theme=theme, lang=lang, stage=stage)
            written.append(write_atomic(target.with_suffix(".dot"), source, protect=protect))
    if failures:
        raise RenderError("\n".join([*failures, _("the other files were written: {files}").format(
            files=", ".join(str(p) for p in written) or _("none"))]))
    return written
