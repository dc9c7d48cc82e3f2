"""``relmap validate``."""

from __future__ import annotations

import sys

import click

from ..errors import InputError
from ..i18n import _, format_number, ngettext
from ..input.loader import MAX_BYTES
from ..input.model import ValueChain
from .common import EXIT_INPUT, choose_language, echo_problems, file_language, handle_errors, lang_option


def summary(chain: ValueChain) -> str:
    """``42 activities, 60 flows, 6 actors, 3 scenarios``; ``10,000 activities`` in the language's digits."""
    n_act, n_flow, n_actor, n_scen = len(chain.activities), len(chain.flows), len(chain.actors), len(chain.scenarios)
    parts = [  # literal calls, so that the catalogue extraction finds the strings
        ngettext("{n} activity", "{n} activities", n_act).format(n=format_number(n_act)),
        ngettext("{n} flow", "{n} flows", n_flow).format(n=format_number(n_flow)),
        ngettext("{n} actor", "{n} actors", n_actor).format(n=format_number(n_actor)),
        ngettext("{n} scenario", "{n} scenarios", n_scen).format(n=format_number(n_scen)),
    ]
    return ", ".join(parts)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
              help="Refuse files larger than this.")
@lang_option
@handle_errors
def validate(files: tuple[str, ...], max_bytes: int, lang: str | None) -> None:
    """Check company files and print a one-line summary of each valid one.

    Every problem of every file is reported, as file:line:column, with how to
    fix it, in the file's company.language unless --lang says otherwise.
    Exit code 0 when all files are valid, 1 otherwise.

    Example:

        relmap validate company.yaml examples/*/company.yaml
    """
    from ..input.validate import load_with_warnings

    failed = 0
    for path in files:
        choose_language(lang, file_language(path))  # each file's messages in its own language
        try:
            chain, warnings = load_with_warnings(path, max_bytes=max_bytes)
        except InputError as exc:
            echo_problems(exc)
            failed += 1
            continue
        click.echo(_("{path}: ok — {summary}").format(path=path, summary=summary(chain)))
        for warning in warnings:
            click.echo(warning.format(), err=True)
    if failed:
        sys.exit(EXIT_INPUT)
