"""The size of the deck's PNGs, and matplotlib's settings and saving for the views' PDFs.

Why: a view's PDF is its :class:`~relmap.render.canvas.Canvas` drawn by
matplotlib (:meth:`~relmap.render.canvas.Canvas.to_figure`); its SVG and PNG
are written without matplotlib. matplotlib is imported only here, inside
functions (its import is slow), so ``relmap --help`` stays instant. Text is embedded as
TrueType (``pdf.fonttype = 42``) and no date is written, so the same result
gives the same bytes.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from .svg import DECK_PNG_PIXELS, PNG_DPI
from .theme import FONT_FAMILIES, Theme

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: matplotlib settings applied while drawing and saving (reproducible, Office fonts).
RC: dict[str, Any] = {
    "pdf.fonttype": 42,
    "font.family": list(FONT_FAMILIES),
    "axes.unicode_minus": True,
    "path.simplify": False,
}
#: The longest side of the PNGs saved in this context (``None``: :data:`PNG_DPI`, the 2× of ``relmap render``);
#: see :func:`deck_pngs`.
PNG_PIXELS: ContextVar[int | None] = ContextVar("relmap_png_pixels", default=None)


@contextmanager
def deck_pngs() -> Iterator[None]:
    """PNGs saved inside are for a deck picture: at most :data:`DECK_PNG_PIXELS` on their longest side.

    Why: the matrix at 2× is 2,688 × 1,267 px; at 2,000 px wide it has 55 % of
    the pixels and a PNG two thirds the size, and the slide (and PowerPoint,
    which shows the SVG) loses nothing.
    """
    token = PNG_PIXELS.set(DECK_PNG_PIXELS)
    try:
        yield
    finally:
        PNG_PIXELS.reset(token)


def png_dpi(width: float, height: float, pixels: int | None) -> float:
    """The PNG resolution of a ``width`` × ``height`` in figure: :data:`PNG_DPI`, lowered so the longest side is at
    most ``pixels`` (``pixels / max(width, height)``) when ``pixels`` is given."""
    if pixels is None:
        return float(PNG_DPI)
    return min(float(PNG_DPI), pixels / max(width, height))


@contextmanager
def mpl_context(theme: Theme) -> Iterator[None]:
    """matplotlib rc settings for one drawing (font warnings silenced: Arial falls back to Liberation Sans)."""
    import matplotlib

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    rc = dict(RC)
    rc.update({"text.color": theme.text, "axes.labelcolor": theme.text, "xtick.color": theme.muted,
               "ytick.color": theme.muted, "axes.edgecolor": theme.muted, "figure.facecolor": theme.background,
               "axes.facecolor": theme.background, "savefig.facecolor": theme.background})
    with matplotlib.rc_context(rc), warnings.catch_warnings():  # type: ignore[arg-type]
        # a name in a script the installed fonts lack (emoji, Arabic…) draws as boxes in PNG/PDF;
        # the SVG keeps the text. Not worth a warning per glyph on the consultant's terminal.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        yield


def new_figure(width: float, height: float) -> Figure:
    """A pyplot-free figure (no global state, no GUI backend) with an Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def save_pdf(fig: Figure) -> bytes:
    """A figure's PDF bytes, without dates or tool versions."""
    buf = io.BytesIO()
    with warnings.catch_warnings():  # "Glyph … missing": the viewer's fonts draw the text, not ours
        warnings.filterwarnings("ignore", message="Glyph .* missing", category=UserWarning)
        fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Creator": None, "Producer": None})
    return buf.getvalue()
