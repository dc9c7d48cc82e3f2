"""``relmap tasks``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..errors import UsageError
from ..i18n import _
from .common import choose_language, handle_errors, lang_option

if TYPE_CHECKING:
    from ..seeds.tasks import OnetTask


@click.command()
@click.argument("occupation", required=False)
@click.option("--search", "-s", "words", default=None,
              help="Tasks whose statement or occupation title contains every one of WORDS (across occupations, "
                   "or within OCCUPATION).")
@click.option("--core", is_flag=True, help="Core tasks only (what 'tasks: from_occupation' uses).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "yaml"]), default="table", show_default=True,
              help="yaml and json print a 'tasks:' list ready to paste into an activity.")
@click.option("--limit", type=click.IntRange(min=1), default=60, show_default=True,
              help="At most this many tasks in a table.")
@lang_option
@handle_errors
def tasks(occupation: str | None, words: str | None, core: bool, fmt: str, limit: int, lang: str | None) -> None:
    """List an occupation's O*NET tasks with their LLM exposure by each rater.

    OCCUPATION is an O*NET-SOC code (43-4081 or 43-4081.00) or words of its
    title; a partial or mistyped code gets the closest codes with their
    titles. Each task shows its id, core/supplemental, the statement, the
    exposure label of GPT-4 and of the human raters (E0 none, E1 an LLM
    halves its time, E2 LLM-powered software would) and GPT-4's automation
    level T0-T4. Task statements: O*NET Database, USDOL/ETA, CC BY 4.0;
    labels: Eloundou et al. (2024), MIT.

    Example:

        relmap tasks 43-4081

        relmap tasks 43-4081 --core --format yaml

        relmap tasks --search "reservation"
    """
    from ..input.tasklist import tasks_json, tasks_yaml
    from ..seeds.tasks import core_tasks, occupation_tasks, resolve_occupation, search_tasks

    choose_language(lang)
    if occupation is None and not words:
        raise UsageError(_("give an occupation code (e.g. 43-4081) or --search WORDS"))
    code: str | None = None
    title = ""
    if occupation is not None:
        code, title = resolve_occupation(occupation)
    if words:
        found = search_tasks(words, codes=[code] if code else None)
        if core:
            found = [t for t in found if t.type == "core"]
    else:
        assert code is not None
        found = core_tasks(code) if core else occupation_tasks(code)
    heading = (code, title) if code else None
    if fmt == "yaml":
        click.echo(tasks_yaml(found, heading), nl=False)
    elif fmt == "json":
        click.echo(tasks_json(found, heading), nl=False)
    elif not found:
        click.echo(_("no task matches '{words}'").format(words=words or ""))
    else:
        _print_table(found, heading, limit)


def _print_table(found: list[OnetTask], heading: tuple[str, str] | None, limit: int) -> None:
    """A rich table of tasks, the attribution and the label legend under it."""
    from rich.console import Console
    from rich.table import Table

    from ..input.tasklist import type_label
    from ..seeds.tasks import TASK_NOTICE

    title = _("{title} ({code})").format(title=heading[1], code=heading[0]) if heading else _("O*NET tasks")
    table = Table(title=title, show_lines=False)
    columns = [_("task"), _("type"), _("statement"), "GPT-4", _("human"), _("automation")]
    if heading is None:
        columns.insert(1, _("occupation"))
    for header in columns:
        wide = header == _("statement")
        table.add_column(header, overflow="fold", no_wrap=not wide, ratio=1 if wide else None)
    for t in found[:limit]:
        row = [str(t.task_id), type_label(t), t.statement, t.gpt4, t.human, t.automation]
        if heading is None:
            row.insert(1, t.code)
        table.add_row(*row)
    console = Console(highlight=False)
    console.print(table)
    if len(found) > limit:
        console.print(_("{n} more: raise --limit or narrow --search").format(n=len(found) - limit))
    console.print(_("Exposure: E0 none; E1 an LLM halves the task's time (1); E2 software built on an LLM would "
                    "(0 / 0.5 / 1 for α / β / γ). Automation T0-T4: GPT-4's rating, from none to full."))
    console.print(TASK_NOTICE)
