"""Reports and deliverables: ``analysis.json``, ``report.md``, ``report.html``, the diagrams, ``deck.pptx``,
``activities.xlsx`` — and ``relmap import`` / ``relmap diff`` behind the command line.

:func:`write_outputs` is what ``relmap analyze FILE -o DIR`` calls. Every file
goes through :func:`relmap.fsutil.write_atomic` (a reader never sees half a
file, the input is never overwritten); an existing folder is updated in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.result import AnalysisResult
from ..errors import RenderError, UsageError
from ..fsutil import write_atomic
from ..i18n import _, language
from ..model import ValueChain
from .content import VIEW_FILES

__all__ = ["Diagrams", "draw_diagrams", "write_outputs"]


@dataclass
class Diagrams:
    """The drawn views: SVG text and PNG bytes by view, and why a view is missing."""

    svg: dict[str, str] = field(default_factory=dict)
    png: dict[str, bytes] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


def draw_diagrams(result: AnalysisResult, *, lang: str = "en", scenario: str | None = None,
                  theme: str = "light", png: bool = True) -> Diagrams:
    """Draw every view of :data:`relmap.render.VIEWS` (SVG, and PNG for the deck when ``png``).

    A view that fails is recorded in ``missing`` with the reason; the others are still drawn.
    """
    out = Diagrams()
    try:
        from ..render import VIEWS, render_view
    except ImportError as exc:  # pragma: no cover - the renderer ships with relmap
        out.missing = {v: _("the renderer is not available: {error}").format(error=exc) for v in VIEW_FILES}
        return out
    for view in VIEWS:
        try:
            out.svg[view] = render_view(result, view, fmt="svg", scenario=scenario, theme=theme,
                                        lang=lang).decode("utf-8")
            if png:
                out.png[view] = render_view(result, view, fmt="png", scenario=scenario, theme=theme, lang=lang)
        except RenderError as exc:
            out.svg.pop(view, None)
            out.missing[view] = str(exc)
    return out


def _load_chain(source: Path | None) -> ValueChain | None:
    if source is None or not Path(source).is_file():
        return None
    from ..validate import load

    return load(source)


def write_outputs(result: AnalysisResult, out_dir: str | Path, *, source: Path | None = None, lang: str = "en",
                  scenario: str | None = None, theme: str = "light", deck: bool = True, xlsx: bool = True,
                  template: Path | None = None, chain: ValueChain | None = None) -> list[Path]:
    """Write every deliverable of an analysis into ``out_dir``; return the paths written, in order.

    Files: ``analysis.json``, the three diagrams (``value-chain.svg``, ``matrix.svg``,
    ``reinvestment.svg``), ``report.md``, ``report.html``, ``deck.pptx`` (unless
    ``deck=False``) and ``activities.xlsx`` (unless ``xlsx=False``).

    Args:
        result: the analysis.
        out_dir: created if needed; files in it are replaced one by one, atomically.
        source: the input file: never overwritten; read again for an exact ``activities.xlsx``.
        lang: language of the reports (``en``/``fr``); ``analysis.json`` is language-free.
        scenario: the scenario the reports lead with (default: the first).
        theme: diagram theme.
        deck, xlsx: write ``deck.pptx`` / ``activities.xlsx``.
        template: a firm's ``.pptx`` whose masters and layouts the deck uses.
        chain: the validated input, when the caller has it (else it is read from ``source``).

    Raises:
        RenderError: after writing everything else, when a diagram could not be drawn
            (``report.html`` then says which and why; a stale diagram file of that view is removed).
        UsageError: unknown scenario, or a path that would overwrite the input.
    """
    if scenario is not None and scenario not in result.scenarios:
        raise UsageError(_("unknown scenario '{id}': choose one of {ids}").format(
            id=scenario, ids=", ".join(result.scenarios)))
    out = Path(out_dir)
    protect = (Path(source),) if source is not None else ()
    written: list[Path] = []

    def put(name: str, data: str | bytes) -> None:
        written.append(write_atomic(out / name, data, protect=protect))

    diagrams = draw_diagrams(result, lang=lang, scenario=scenario, theme=theme, png=deck)
    put("analysis.json", result.to_json())
    for view, name in VIEW_FILES.items():
        if view in diagrams.svg:
            put(name, diagrams.svg[view])
        elif (out / name).is_file() and not any((out / name).resolve() == p.resolve() for p in protect):
            (out / name).unlink()
    _write_reports(result, put, diagrams, lang=lang, scenario=scenario)
    if deck:
        from .pptx import build_deck

        put("deck.pptx", build_deck(result, svgs=diagrams.svg, pngs=diagrams.png, lang=lang, scenario=scenario,
                                    template=template, missing=diagrams.missing))
    if xlsx:
        from .xlsx import build_workbook

        put("activities.xlsx", build_workbook(result, chain=chain or _load_chain(source), scenario=scenario,
                                              lang=lang))
    if diagrams.missing:
        with language(lang):
            details = "; ".join(f"{view}: {why}" for view, why in sorted(diagrams.missing.items()))
            raise RenderError(_("some diagrams could not be drawn (every other file was written): {details}")
                              .format(details=details))
    return written


def _write_reports(result: AnalysisResult, put: object, diagrams: Diagrams, *, lang: str,
                   scenario: str | None) -> None:
    from .html import render_html
    from .markdown import render_markdown

    assert callable(put)
    put("report.md", render_markdown(result, lang=lang, scenario=scenario, missing=diagrams.missing))
    put("report.html", render_html(result, diagrams.svg, lang=lang, scenario=scenario, missing=diagrams.missing))
