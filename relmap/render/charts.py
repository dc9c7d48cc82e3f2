"""What the matplotlib views share: reproducible settings, fonts, saving.

Why: matplotlib is imported only here, inside functions (≈0.7 s), so
``relmap --help`` stays instant. SVG text stays text (``svg.fonttype =
"none"``: names are searchable and editable in PowerPoint); ids are hashed
with a fixed salt and no date is written, so the same result gives the same
bytes.
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

#: zlib compression level of the matplotlib PNGs (see :func:`_save`)
PNG_COMPRESSION = 3
#: matplotlib settings applied while drawing and saving (reproducible, Office fonts).
RC: dict[str, Any] = {
    "svg.hashsalt": "relmap",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "font.family": list(FONT_FAMILIES),
    "axes.unicode_minus": True,
    "path.simplify": False,
}
#: CSS pixels per inch in the SVG (matplotlib writes pt, 72 per inch).
SVG_DPI = 72
#: The longest side of the PNGs saved in this context (``None``: :data:`PNG_DPI`, the 2× of ``relmap render``);
#: see :func:`deck_pngs`.
PNG_PIXELS: ContextVar[int | None] = ContextVar("relmap_png_pixels", default=None)


@contextmanager
def deck_pngs() -> Iterator[None]:
    """PNGs saved inside are for a deck picture: at most :data:`DECK_PNG_PIXELS` on their longest side.

    Why: the matrix at 2× is 2,688 × 1,267 px; at 2,000 px wide it has 55 % of
    the pixels and a PNG two thirds the size (0.70 → 0.57 s of CPU at 300
    activities: laying out the text costs the same), and the slide (and
    PowerPoint, which shows the SVG) loses nothing.
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


def save_figure(fig: Figure, fmt: str) -> bytes:
    """Figure bytes in ``svg``, ``png`` (at 2×, or smaller for a deck: :func:`deck_pngs`) or ``pdf``, without dates
    or tool versions."""
    buf = io.BytesIO()
    with warnings.catch_warnings():  # "Glyph … missing": the viewer's fonts draw the text, not ours
        warnings.filterwarnings("ignore", message="Glyph .* missing", category=UserWarning)
        _save(fig, fmt, buf)
    return buf.getvalue()


def _save(fig: Figure, fmt: str, buf: io.BytesIO) -> None:
    if fmt == "svg":
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, dpi=SVG_DPI)
    elif fmt == "pdf":
        fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Creator": None, "Producer": None})
    else:
        # zlib level 3, not Pillow's 6: ~15 % less time per PNG for files 1–25 % larger (the deck's pictures)
        width, height = fig.get_size_inches()
        fig.savefig(buf, format="png", dpi=png_dpi(float(width), float(height), PNG_PIXELS.get()),
                    metadata={"Software": None}, pil_kwargs={"compress_level": PNG_COMPRESSION})


def warm_up() -> None:
    """Import matplotlib and load its font list: what the first figure would otherwise pay (≈0.5 s)."""
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401

    font_manager.findfont(font_manager.FontProperties(family=list(FONT_FAMILIES)), fallback_to_default=True)
