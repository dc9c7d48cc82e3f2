"""Reports and deliverables: ``analysis.json``, ``report.md``, ``report.html``, the diagrams, ``deck.pptx``,
``activities.xlsx`` — and ``relmap import`` / ``relmap diff`` behind the command line.

:func:`write_outputs` is what ``relmap analyze FILE -o DIR`` calls. The files
form a set (:class:`relmap.fsutil.OutputSet`): one run at a time per folder
(a lock file), every file staged first, then the whole set replaces the old
one — an interrupted or failed run leaves the old set whole, and the input
is checked against every output name before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from ..analysis.result import AnalysisResult
from ..errors import RenderError, UsageError
from ..fsutil import OutputSet
from ..i18n import _, language
from ..input.model import ValueChain
from ..render.worker import ChartWorker
from .blocks import VIEW_FILES
from .drawing import Diagrams, Drawing, draw_diagrams

__all__ = ["Diagrams", "draw_diagrams", "write_outputs"]

#: the order of the files in :func:`write_outputs`'s answer, whatever order they were written in
_ORDER = {name: i for i, name in enumerate(
    ("analysis.json", *VIEW_FILES.values(), "report.md", "report.html", "deck.pptx", "activities.xlsx"))}


def write_outputs(result: AnalysisResult, out_dir: str | Path, *, source: Path | None = None, lang: str = "en",
                  scenario: str | None = None, theme: str = "light", deck: bool = True, xlsx: bool = True,
                  template: Path | None = None, chain: ValueChain | None = None,
                  worker: ChartWorker | None = None) -> list[Path]:
    """Write every deliverable of an analysis into ``out_dir``; return the paths written, in order.

    Files: ``analysis.json``, the three diagrams (``value-chain.svg``, ``matrix.svg``,
    ``reinvestment.svg``), ``report.md``, ``report.html``, ``deck.pptx`` (unless
    ``deck=False``) and ``activities.xlsx`` (unless ``xlsx=False``).

    Args:
        result: the analysis.
        out_dir: created if needed; the set of files in it is replaced whole, or not at all.
        source: the input file, never overwritten (nothing is read from it).
        lang: language of the reports (``en``/``fr``); ``analysis.json`` is language-free.
        scenario: the scenario the reports lead with (default: the first).
        theme: diagram theme.
        deck, xlsx: write ``deck.pptx`` / ``activities.xlsx``.
        template: a firm's ``.pptx`` whose masters and layouts the deck uses.
        chain: the validated input: ``activities.xlsx`` then holds every input column exactly as given;
            without it the workbook is built from the result alone (what the analysis kept of the input).
        worker: draws the chart views in a second process meanwhile
            (:func:`relmap.render.worker.start_chart_worker`; same bytes, less waiting).

    Raises:
        RenderError: after writing everything else, when a diagram could not be drawn
            (``report.html`` then says which and why; a stale diagram file of that view is removed).
        UsageError: unknown scenario, a path that would overwrite the input, or a template that is not a
            presentation (before anything is written).
        InputError: a template that is too large or unpacks too large (before anything is written).
        OutputError: another run holds the folder, or a file could not be written (path and cause).
    """
    if scenario is not None and scenario not in result.scenarios:
        raise UsageError(_("unknown scenario '{id}': choose one of {ids}").format(
            id=scenario, ids=", ".join(result.scenarios)))
    if deck and template is not None:
        from .pptx import check_template

        check_template(template)  # a bad template is refused before any drawing, not after
    protect = (Path(source),) if source is not None else ()
    try:
        with OutputSet(out_dir, protect=protect, names=tuple(_ORDER)) as files:
            written, missing = _write_set(files, result, source=source, lang=lang, scenario=scenario, theme=theme,
                                          deck=deck, xlsx=xlsx, template=template, chain=chain, worker=worker)
            files.commit(remove=tuple(name for view, name in VIEW_FILES.items() if view in missing))
    except BaseException:
        if worker is not None:  # the folder could not be used (locked, not a folder…): do not wait for drawings
            worker.stop()
        raise
    written.sort(key=lambda path: _ORDER.get(path.name, len(_ORDER)))
    if missing:
        with language(lang):
            details = _("; ").join(_("{label}: {text}").format(label=view, text=why)
                                   for view, why in sorted(missing.items()))
            raise RenderError(_("some diagrams could not be drawn (every other file was written): {details}")
                              .format(details=details))
    return written


def _write_set(files: OutputSet, result: AnalysisResult, *, source: Path | None, lang: str, scenario: str | None,
               theme: str, deck: bool, xlsx: bool, template: Path | None, chain: ValueChain | None,
               worker: ChartWorker | None) -> tuple[list[Path], dict[str, str]]:
    """Stage every file of :func:`write_outputs`; the paths and the views that could not be drawn."""
    written: list[Path] = []

    def put(name: str, data: str | bytes) -> None:
        written.append(files.put(name, data))

    chains = None
    if deck and result.scenarios:  # the deck's value chains, decided and routed meanwhile (Graphviz), in a forked
        from .pptx import DeckChains  # child: started before this process has threads of its own running

        chains = DeckChains(result, lead=result.scenario_result(scenario).id, lang=lang)
    drawing = Drawing(result, lang=lang, scenario=scenario, theme=theme, png=deck, worker=worker)

    def drawn() -> tuple[dict[str, str], dict[str, bytes], dict[str, str]]:
        got = drawing.finish()
        return got.svg, got.png, got.missing

    slides: bytes | None = None
    reported = False

    def reports() -> None:  # the drawings are all in by then: while the deck's value chains are routed
        nonlocal reported
        _write_reports(result, put, drawing.finish(), lang=lang, scenario=scenario)
        reported = True

    try:
        drawing.start()  # the chart views go to the worker, Graphviz runs: meanwhile, what needs no drawing
        put("analysis.json", result.to_json())
        if xlsx:
            from .xlsx import build_workbook

            put("activities.xlsx", build_workbook(result, chain=chain, scenario=scenario,
                                                  lang=lang))
        _prepare_reports(result, lang=lang, scenario=scenario, deck=deck)
        if deck:  # its slides before the first picture are built while the views are still drawn
            from .pptx import build_deck

            slides = build_deck(result, lang=lang, scenario=scenario, template=template, drawn=drawn, chains=chains,
                                meanwhile=reports)
    except BaseException:
        drawing.abandon()  # a write failed (disk full, Ctrl-C…): do not wait for the drawings
        if chains is not None:
            chains.close(wait=False)
        raise
    diagrams = drawing.finish()
    for view, name in VIEW_FILES.items():
        if view in diagrams.svg:
            put(name, diagrams.svg[view])
    if not reported:
        _write_reports(result, put, diagrams, lang=lang, scenario=scenario)
    if slides is not None:
        put("deck.pptx", slides)
    return written, dict(diagrams.missing)


def _prepare_reports(result: AnalysisResult, *, lang: str, scenario: str | None, deck: bool) -> None:
    """What the reports need and the drawings do not, done while the chart worker draws.

    The report content (kept beside the result, :func:`relmap.report.content.build_content`),
    the compiled HTML template, and python-pptx's modules when a deck is asked for.
    """
    from .content import build_content
    from .html import template

    with language(lang):
        build_content(result, scenario)
    template()
    if deck:
        from .pptx import warm_up

        warm_up()


def _write_reports(result: AnalysisResult, put: object, diagrams: Diagrams, *, lang: str,
                   scenario: str | None) -> None:
    from .html import render_html
    from .markdown import render_markdown

    assert callable(put)
    put("report.md", render_markdown(result, lang=lang, scenario=scenario, missing=diagrams.missing))
    put("report.html", render_html(result, diagrams.svg, lang=lang, scenario=scenario, missing=diagrams.missing))
