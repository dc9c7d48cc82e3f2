"""``relmap init``."""

from __future__ import annotations

import click

from ..i18n import _
from ..seeds import TEMPLATES
from .common import choose_language, handle_errors


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--template", "-t", type=click.Choice(TEMPLATES), default="blank", show_default=True,
              help="Sector to start from.")
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None,
              help="Language of names and comments (default: $LANG, else English).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@handle_errors
def init(file: str, template: str, lang: str | None, force: bool) -> None:
    """Write a commented starter company file that validates as written.

    The first line points your editor to the JSON Schema for completion.

    Example:

        relmap init company.yaml --template hotel --lang fr
    """
    from ..starter import write_starter

    code = choose_language(lang)
    write_starter(file, template, code, force=force)
    click.echo(_("wrote {path} (template '{template}'); next: relmap validate {path}").format(
        path=file, template=template))
