"""``relmap analyze``: one library call (:func:`relmap.analyze`), then a table, JSON or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..analysis import DEFAULT_DRAWS, DEFAULT_SEED
from ..errors import UsageError
from ..i18n import _
from ..input.loader import MAX_BYTES
from .common import (
    choose_language,
    file_language,
    handle_errors,
    keep_until_exit,
    lang_option,
    max_overview_option,
    one_shot_gc,
)

if TYPE_CHECKING:
    from ..analysis.result import AnalysisResult
    from ..input.model import ValueChain
    from ..render.worker import ChartWorker


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write analysis.json, the diagrams and the reports into this folder.")
@click.option("--scenario", default=None,
              help="Scenario the summary and reports lead with (default: 'base', else the first).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="What to print on stdout.")
@lang_option
@max_overview_option
@click.option("--draws", type=click.IntRange(min=1, max=1_000_000), default=DEFAULT_DRAWS, show_default=True,
              help="Monte Carlo draws (used when some input is a range).")
@click.option("--seed", type=click.IntRange(min=0, max=2**32 - 1), default=DEFAULT_SEED, show_default=True,
              help="Monte Carlo seed (0 to 4294967295).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
              help="Refuse input files larger than this.")
@click.option("--theme", default="light", show_default=True, help="Diagram theme with -o: light, dark or print.")
@click.option("--no-deck", is_flag=True, help="With -o: do not write deck.pptx.")
@click.option("--no-xlsx", is_flag=True, help="With -o: do not write activities.xlsx.")
@click.option("--template", "deck_template", type=click.Path(exists=True, dir_okay=False), default=None,
              help="With -o: a firm's .pptx whose masters and layouts the deck uses.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="With several files: worker processes (default: one per core).")
@handle_errors
def analyze(files: tuple[str, ...], out_dir: str | None, scenario: str | None, fmt: str, lang: str | None,
            max_overview: int | None, draws: int, seed: int, max_bytes: int, theme: str, no_deck: bool,
            no_xlsx: bool, deck_template: str | None, jobs: int | None) -> None:
    """Analyse a company: relational goods, automation candidates, freed hours, reinvestment, risks.

    Prints a summary table by default; --format json prints analysis.json
    (the contract other tools read); -o DIR writes every deliverable. When an
    input is a range, a seeded Monte Carlo gives P10/P50/P90 (same seed, same
    numbers).

    Example:

        relmap analyze company.yaml

        relmap analyze company.yaml --scenario ambitious --format json > analysis.json

        relmap analyze company.yaml -o out/ --lang fr

        relmap analyze a.yaml b.yaml c.yaml -o portfolio/   (one subfolder each, portfolio.md)
    """
    choose_language(lang, file_language(files[0]) if len(files) == 1 else None)
    if out_dir is not None:
        _check_theme(theme)
    if len(files) > 1:
        _analyze_many(files, out_dir, lang=lang, draws=draws, seed=seed, deck=not no_deck, xlsx=not no_xlsx,
                      scenario=scenario, jobs=jobs)
        return
    with one_shot_gc():
        _analyze_one(files[0], out_dir, scenario=scenario, fmt=fmt, lang=lang, max_overview=max_overview,
                     draws=draws, seed=seed, max_bytes=max_bytes, theme=theme, no_deck=no_deck, no_xlsx=no_xlsx,
                     deck_template=deck_template)


def _analyze_one(file: str, out_dir: str | None, *, scenario: str | None, fmt: str, lang: str | None,
                 max_overview: int | None, draws: int, seed: int, max_bytes: int, theme: str, no_deck: bool,
                 no_xlsx: bool, deck_template: str | None) -> None:
    """One file: load, analyse, print the summary (or JSON, Markdown); with ``out_dir``, write every output."""
    from ..analysis import analyze as run_analysis
    from ..errors import did_you_mean
    from ..input.validate import load

    worker = _start_worker() if out_dir is not None else None  # loads the chart code while we read and analyse
    try:
        chain = load(file, max_bytes=max_bytes)
        code = choose_language(lang, chain.company.language)
        ids = [s.id for s in chain.scenarios]
        if scenario is not None and scenario not in ids:
            raise UsageError(_("unknown scenario '{id}' (scenarios: {ids}). {hint}").format(
                id=scenario, ids=", ".join(ids), hint=did_you_mean(scenario, ids)).strip())
        result = run_analysis(chain, draws=draws, seed=seed, progress=True)
        if out_dir is None:
            keep_until_exit(chain, result)
        if worker is not None:  # it draws while the summary is printed
            worker.draw(result, lang=code, scenario=scenario, theme=theme, png=not no_deck)
        if fmt == "json":
            click.echo(result.to_json(), nl=False)
        elif fmt == "markdown":
            from ..report.terminal import markdown_summary

            click.echo(markdown_summary(result, code, scenario), nl=False)
        else:
            from ..report.terminal import print_summary

            print_summary(result, result.lead_scenario(scenario))
        if out_dir is not None:  # after the summary: a diagram that fails to draw must not hide it
            from ..render.dot import max_overview as overview_limit

            with overview_limit(max_overview):
                _write(result, chain, Path(file), Path(out_dir), code, scenario, theme, not no_deck, not no_xlsx,
                       Path(deck_template) if deck_template else None, worker)
    finally:
        if worker is not None:
            worker.stop()


def _start_worker() -> ChartWorker | None:
    """The chart worker of ``-o`` (:mod:`relmap.render.worker`), or None (see :func:`start_chart_worker`)."""
    from ..render.worker import start_chart_worker

    return start_chart_worker()


def _analyze_many(files: tuple[str, ...], out_dir: str | None, *, lang: str | None, draws: int, seed: int,
                  deck: bool, xlsx: bool, scenario: str | None, jobs: int | None) -> None:
    """Several files: :func:`relmap.batch.analyze_many` into ``-o DIR``; exit 1 at the end if any failed."""
    import sys

    from ..batch import analyze_many
    from ..errors import Problem

    if out_dir is None:
        raise UsageError(_("several files need an output folder: add -o DIR"))
    result = analyze_many(files, out_dir, jobs=jobs, lang=lang, draws=draws, seed=seed, deck=deck, xlsx=xlsx,
                          scenario=scenario, progress=None)
    for company in result.companies:
        for p in company.problems:
            click.echo(Problem(p.path, p.line, p.column, p.message, p.hint).format(), err=True)
    click.echo(_("wrote {n} company folders and portfolio.md to {folder}; {failed} failed").format(
        n=len(result.companies) - result.failed, folder=out_dir, failed=result.failed), err=True)
    if result.failed:
        sys.exit(1)


def _write(result: AnalysisResult, chain: ValueChain, source: Path, out_dir: Path, lang: str, scenario: str | None,
           theme: str, deck: bool, xlsx: bool, template: Path | None = None, worker: ChartWorker | None = None) -> None:
    """``-o DIR``: every deliverable through :func:`relmap.report.write_outputs`."""
    from ..report import write_outputs

    written = write_outputs(result, out_dir, source=source, lang=lang, scenario=scenario, theme=theme,
                            deck=deck, xlsx=xlsx, template=template, chain=chain,
                            worker=worker)
    click.echo(_("wrote {n} files to {folder}").format(n=len(written), folder=out_dir), err=True)


def _check_theme(theme: str) -> None:
    """Refuse an unknown ``--theme`` before any work (exit 2, with a suggestion)."""
    from ..errors import did_you_mean
    from ..render.theme import THEMES

    if theme not in THEMES:
        raise UsageError(_("unknown theme '{name}' (themes: {names}). {hint}").format(
            name=theme, names=", ".join(THEMES), hint=did_you_mean(theme, THEMES)).strip())
