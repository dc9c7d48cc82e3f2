"""``relmap init``."""

from __future__ import annotations

import click

from ..i18n import LANGUAGES, _
from ..seeds import TEMPLATES
from .common import choose_language, handle_errors


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--template", "-t", type=click.Choice(TEMPLATES), default="blank", show_default=True,
              help="Sector to start from.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of names and comments (default: $LANG, else English).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option("--from-headcount", "headcount", type=click.Path(dir_okay=False), default=None,
              help="Draft the file from an HR headcount export (.csv or .xlsx): job title, FTE or headcount, "
                   "optional department and hourly cost or annual salary.")
@click.option("--company", default=None, help="Company name for --from-headcount (default: the export's file name).")
@click.option("--sector", default=None, help="Sector words for --from-headcount (e.g. 'hotel'): they help match "
                                             "job titles to occupations.")
@handle_errors
def init(file: str, template: str, lang: str | None, force: bool, headcount: str | None, company: str | None,
         sector: str | None) -> None:
    """Write a commented starter company file that validates as written.

    The first line points your editor to the JSON Schema for completion.
    With --from-headcount, the file is a draft of the client's own
    organisation: departments become stages, each (department, job title) an
    activity with its FTE, cost and O*NET occupation prior; every guess is
    marked '# check:'.

    Example:

        relmap init company.yaml --template hotel --lang fr

        relmap init company.yaml --from-headcount effectifs.csv --lang fr --company "Hôtel du Parc"
    """
    code = choose_language(lang)
    if headcount is not None:
        _from_headcount(file, headcount, code, force, company, sector)
        return
    from ..input.starter import write_starter

    write_starter(file, template, code, force=force)
    click.echo(_("wrote {path} (template '{template}'); next: relmap validate {path}").format(
        path=file, template=template))


def _from_headcount(file: str, headcount: str, lang: str, force: bool, company: str | None,
                    sector: str | None) -> None:
    """Write the draft of :func:`relmap.input.headcount.draft_from_headcount` to ``file``."""
    from pathlib import Path

    from ..errors import UsageError
    from ..fsutil import write_atomic
    from ..input.headcount import draft_from_headcount

    target = Path(file)
    if target.exists() and not force:
        raise UsageError(_("{path} already exists; use --force to overwrite it").format(path=file))
    text = draft_from_headcount(headcount, company=company, lang=lang, sector=sector)
    write_atomic(target, text, protect=(Path(headcount),))
    checks = text.count("# check:")
    click.echo(_("wrote {path} from {source}: {checks} guesses marked '# check:' to review; next: relmap validate "
                 "{path}").format(path=file, source=headcount, checks=checks))
