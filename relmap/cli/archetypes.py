"""``relmap archetypes``."""

from __future__ import annotations

import textwrap

import click

from ..i18n import _, format_number
from .common import choose_language, handle_errors, lang_option


@click.command()
@click.option("--search", "-s", "word", default=None, help="Only priors whose key or name contains WORD.")
@click.option("--kind", type=click.Choice(["all", "archetype", "occupation"]), default="all", show_default=True,
              help="Which catalogue to list.")
@lang_option
@handle_errors
def archetypes(word: str | None, kind: str, lang: str | None) -> None:
    """List the automatability priors an activity can name, with their sources.

    Archetypes are the activity types of Chui, Manyika & Miremadi (McKinsey
    Quarterly, 2016): share of time technically automatable. Occupations are
    O*NET-SOC codes with their LLM *exposure* (Eloundou et al., Science 2024):
    exposure, not automation.

    Example:

        relmap archetypes --search cashier
    """
    import shutil

    from ..seeds import search_priors
    from .boxtable import Column, box_table

    code = choose_language(lang)
    priors = [p for p in search_priors(word) if kind in ("all", p.kind)]
    width = shutil.get_terminal_size((80, 24)).columns
    if not priors:
        click.echo(_("no prior matches '{word}'").format(word=word or ""))
        return
    # the key is what users copy into their file: never cut, never wrapped; the name and kind fold instead
    columns = [Column(_("key / code"), keep=True), Column(_("name")), Column(_("kind"))]
    columns += [Column(header, keep=True, right=True) for header in (_("low"), _("mode"), _("high"))]
    rows = [[p.key, p.name_fr if code == "fr" else p.name_en,
             _("archetype") if p.kind == "archetype" else _("occupation (exposure)"),
             *(format_number(v, 2) for v in (p.low, p.mode, p.high))] for p in priors]
    click.echo(box_table(_("Automatability priors"), columns, rows, width), nl=False)
    for source in sorted({f"{p.source}" for p in priors}):
        click.echo(textwrap.fill(_("Source: {source}").format(source=source), width))
