"""``relmap import``."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError
from ..i18n import _
from .common import choose_language, handle_errors, lang_option


@click.command("import")
@click.argument("table", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the company file here (default: print it).")
@click.option("--company", default=None, help="Company name (required for a CSV; overrides the workbook's).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@lang_option
@handle_errors
def import_(table: str, output: str | None, company: str | None, force: bool, lang: str | None) -> None:
    """Turn activities.xlsx (or a CSV of activities) back into a valid company.yaml.

    The workbook is the one 'relmap analyze' writes: edit it in Excel, then
    import it. A CSV holds the activities table alone (';' or ',' separated,
    UTF-8 or Windows-1252, decimal commas accepted): give --company NAME.
    Errors name the cell, e.g. activities!E7. A list cell holds one item
    per line (as relmap writes it) or items separated by ',' (or ';').

    Example:

        relmap import out/activities.xlsx -o company.yaml --force

        relmap import export.csv --company "Maison Lumen" -o company.yaml
    """
    from ..fsutil import write_atomic
    from ..input.importing import import_table

    choose_language(lang)
    text = import_table(table, company=company,
                        warn=lambda message: click.echo(_("warning: {message}").format(message=message), err=True))
    if output is None:
        click.echo(text, nl=False)
        return
    target = Path(output)
    if target.exists() and not force:
        raise UsageError(_("{path} exists: add --force to overwrite it").format(path=output))
    write_atomic(target, text, protect=(Path(table),))
    click.echo(_("{path}: written").format(path=output), err=True)
