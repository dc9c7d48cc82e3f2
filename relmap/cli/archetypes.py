"""``relmap archetypes``."""

from __future__ import annotations

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
    from rich.console import Console
    from rich.table import Table

    from ..seeds import search_priors

    code = choose_language(lang)
    priors = [p for p in search_priors(word) if kind in ("all", p.kind)]
    console = Console(highlight=False)
    if not priors:
        console.print(_("no prior matches '{word}'").format(word=word or ""))
        return
    table = Table(title=_("Automatability priors"), show_lines=False)
    longest = max(len(p.key) for p in priors)
    # the key is what users copy into their file: never cut, never wrapped; the other columns fold instead
    table.add_column(_("key / code"), no_wrap=True, min_width=longest)
    table.add_column(_("name"), overflow="fold")
    table.add_column(_("kind"), overflow="fold")
    for header in (_("low"), _("mode"), _("high")):
        table.add_column(header, no_wrap=True, justify="right")
    for p in priors:
        name = p.name_fr if code == "fr" else p.name_en
        kind_text = _("archetype") if p.kind == "archetype" else _("occupation (exposure)")
        table.add_row(p.key, name, kind_text, *(format_number(v, 2) for v in (p.low, p.mode, p.high)))
    console.print(table)
    sources = sorted({f"{p.source}" for p in priors})
    for source in sources:
        console.print(_("Source: {source}").format(source=source))
