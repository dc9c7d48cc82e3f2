"""``relmap schema``."""

from __future__ import annotations

import click

from .common import handle_errors


@click.command()
@handle_errors
def schema() -> None:
    """Print the JSON Schema (draft-07) of the input format.

    Point your editor at it for completion and hover help: put this first line
    in company.yaml (VS Code with the YAML extension):

        # yaml-language-server: $schema=relmap.schema.json

    Example:

        relmap schema > relmap.schema.json
    """
    from ..schema import schema_text

    click.echo(schema_text(), nl=False)
