"""``relmap diff``."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError
from ..i18n import _
from .common import choose_language, file_language, handle_errors, lang_option


@click.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", required=False, type=click.Path(dir_okay=False))
@click.option("--scenarios", nargs=2, metavar="A B", default=None,
              help="Compare two scenarios of OLD (no NEW file).")
@click.option("--scenario", default=None, help="Scenario to compare in both files (default: the first).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Terminal tables, or locale-free JSON.")
@click.option("--seed", type=click.IntRange(min=0, max=2**32 - 1), default=None,
              help="Monte Carlo seed (default: the analysis default).")
@lang_option
@handle_errors
def diff(old: str, new: str | None, scenarios: tuple[str, str] | None, scenario: str | None, fmt: str,
         seed: int | None, lang: str | None) -> None:
    """Show what changed: quadrants, relational goods, freed and reinvested hours.

    Compare two versions of a company file (same scenario on both sides), or
    two scenarios of one file with --scenarios.

    Example:

        relmap diff company-v1.yaml company-v2.yaml

        relmap diff company.yaml --scenarios cautious ambitious --format json
    """
    import relmap

    from ..analysis.compare import diff_results
    from ..report.diff import render_diff

    if (new is None) == (scenarios is None):
        raise UsageError(_("give either a second file, or --scenarios A B to compare two scenarios of one file"))
    choose_language(lang, file_language(new if new is not None else old))
    old_chain = relmap.load(old)
    new_chain = relmap.load(new) if new is not None else old_chain
    code = choose_language(lang, new_chain.company.language)
    options = {} if seed is None else {"seed": seed}
    old_result = relmap.analyze(old_chain, **options)
    new_result = relmap.analyze(new_chain, **options) if new is not None else old_result
    pair = scenarios or (scenario, scenario)
    for result, sid in ((old_result, pair[0]), (new_result, pair[1])):
        if sid is not None and sid not in result.scenarios:
            raise UsageError(_("unknown scenario '{id}': choose one of {ids}").format(
                id=sid, ids=", ".join(result.scenarios)))
    labels = (Path(old).name, Path(new).name) if new is not None else (Path(old).name, Path(old).name)
    changes = diff_results(old_result, new_result, old_scenario=pair[0], new_scenario=pair[1],
                          old_label=labels[0], new_label=labels[1])
    if fmt == "json":
        click.echo(changes.to_json(), nl=False)
        return
    from rich.console import Console

    Console(soft_wrap=False).print(render_diff(changes, lang=code))
