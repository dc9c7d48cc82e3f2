"""``relmap render``: load, analyse, then one library call (:func:`relmap.render.write_views`)."""

from __future__ import annotations

from pathlib import Path

import click

from ..input.loader import MAX_BYTES
from ..render import VIEWS
from .common import choose_language, file_language, handle_errors, lang_option, max_overview_option

VIEW_CHOICES = (*VIEWS, "all")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the diagrams into (created if needed).")
@click.option("--view", type=click.Choice(VIEW_CHOICES), default="all", show_default=True,
              help="Which diagram to draw.")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "pdf"]), default="svg", show_default=True,
              help="File format (PNG is drawn at 2x for Google Slides).")
@click.option("--scenario", default=None,
              help="Scenario whose freed and reinvested hours are shown (default: the first).")
@click.option("--stage", default=None, help="Draw this stage of the value chain in detail (file value-chain-ID.*).")
@click.option("--theme", type=click.Choice(["light", "dark", "print"]), default="light", show_default=True,
              help="Colours: light, dark, or print (pale fills, black marks).")
@lang_option
@max_overview_option
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
              help="Refuse input files larger than this.")
@handle_errors
def render(file: str, out_dir: str, view: str, fmt: str, scenario: str | None, stage: str | None, theme: str,
           lang: str | None, max_overview: int | None, max_bytes: int) -> None:
    """Draw the diagrams a board deck needs: value chain, matrix, reinvestment.

    value-chain.svg shows the stages, actors and activities coloured by
    quadrant, relational goods marked, and freed -> reinvested hours;
    matrix.svg places every activity by automatability and relational index;
    reinvestment.svg shows where the freed hours go; sensitivity.svg which
    assumptions move net savings most; trajectory.svg the years to the
    horizon, with the payback year. The value chain's DOT
    source (value-chain.dot) is written too, even when Graphviz is missing.
    Same file, same bytes.

    Example:

        relmap render company.yaml -o out/

        relmap render company.yaml -o out/ --view matrix --format png --lang fr

        relmap render company.yaml -o out/ --stage arrival --scenario ambitious
    """
    from ..analysis import analyze
    from ..input.validate import load
    from ..render import VIEWS, check_options, write_views
    from ..render.dot import max_overview as overview_limit

    choose_language(lang, file_language(file))
    chain = load(file, max_bytes=max_bytes)
    code = choose_language(lang, chain.company.language)
    views = VIEWS if view == "all" else (view,)
    # only what the views draw: no diagram reads the Monte Carlo; the tornado and the years have a view each
    result = analyze(chain, parts={part for part in ("sensitivity", "trajectory") if part in views})
    for name in views:
        check_options(result, view=name, fmt=fmt, scenario=scenario, theme=theme, stage=stage)
    with overview_limit(max_overview):
        written = write_views(result, out_dir, views=views, fmt=fmt, scenario=scenario, theme=theme, lang=code,
                              stage=stage, protect=(Path(file),))
    for path in written:
        click.echo(str(path))
