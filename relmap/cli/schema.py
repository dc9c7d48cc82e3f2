"""``relmap schema``."""

from __future__ import annotations

import click

from .common import handle_errors


@click.command()
@handle_errors
def schema() -> None:
    """Print the JSON Schema (draft-07) of the input format.

    Point your editor at it for completion and hover help: put this first line
    in company.yaml (VS Code with the YAML extension), as relmap init and
    relmap import do:

        # yaml-language-server: $schema=https://raw.githubusercontent.com/relmap/relmap/main/schemas/relmap.schema.json

    Example:

        relmap schema > relmap.schema.json
    """
    from ..input.schema import schema_text

    click.echo(schema_text(), nl=False)
