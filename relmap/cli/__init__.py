"""The ``relmap`` command: a thin click wrapper over the library.

Each command lives in its own module and is imported only when it runs, so
``relmap --help`` stays instant (matplotlib, pptx and openpyxl are never
imported for it). Every command opens the thing, makes one library call, and
turns :class:`relmap.errors.InputError` into ``file:line:column`` messages
with exit code 1 — never a traceback.
"""

from __future__ import annotations

import gc
import importlib
from typing import Any

import click

#: command name → (module, function, one-line help shown by ``relmap --help``)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": ("relmap.cli.validate", "validate", "Check company files; print a summary of each."),
    "analyze": ("relmap.cli.analyze", "analyze", "Analyse a company: relational goods, freed hours, reinvestment."),
    "render": ("relmap.cli.render", "render", "Draw the diagrams (SVG, PNG or PDF)."),
    "schema": ("relmap.cli.schema", "schema", "Print the JSON Schema of the input format."),
    "init": ("relmap.cli.init", "init", "Write a commented starter company file."),
    "archetypes": ("relmap.cli.archetypes", "archetypes", "List automatability priors and their sources."),
    "import": ("relmap.cli.importing", "import_", "Turn activities.xlsx or .csv back into a company file."),
    "diff": ("relmap.cli.diff", "diff", "Compare two company files or two scenarios."),
    "tasks": ("relmap.cli.tasks", "tasks", "List an occupation's O*NET tasks with their LLM exposure."),
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _help = COMMANDS[cmd_name]
        enabled = gc.isenabled()
        gc.disable()  # importing numpy, pydantic, networkx… makes long-lived objects, no garbage: no full collections
        try:
            command: click.Command = getattr(importlib.import_module(module), attr)
        finally:
            if enabled:
                gc.enable()
        return command

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """:meth:`click.Group.main`; without ``args`` it reads this process's command line, and the process ends
        with the command (:data:`relmap.cli.common.PROCESS_ENDS`)."""
        if args is None:
            from . import common

            common.PROCESS_ENDS = True
        return super().main(args, *rest, **kwargs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="relmap")
def main() -> None:
    """relmap: map a value chain and find its relational goods.

    Which activities can AI take over, which should it only augment, which
    must stay human; how many hours and euros that frees, and where to
    reinvest them.

    Example:

        relmap init company.yaml --template hotel

        relmap validate company.yaml

        relmap analyze company.yaml -o out/
    """


def console() -> None:
    """The ``relmap`` program (and ``python -m relmap``): :data:`main`, standalone.

    When the command succeeded and kept what it built for the end (:func:`~relmap.cli.common.keep_until_exit`:
    ``relmap analyze`` without ``-o``), the process ends at once once its output is flushed (``os._exit(0)``):
    freeing a large chain and its analysis object by object, then the interpreter's last collection over them,
    would only delay the end of a process whose memory goes back to the system anyway. Any other end (an error,
    another command, a flush that fails) is click's usual one.
    """
    import os
    import sys

    from . import common

    common.kept_until_exit = []
    try:
        main()
    except SystemExit as end:
        if common.kept_until_exit and end.code in (0, None):
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except (OSError, ValueError):
                raise end from None
            os._exit(0)
        raise


def run(args: list[str] | None = None) -> Any:
    """Call the CLI from Python (used by tests and ``python -m relmap``)."""
    return main.main(args=args, standalone_mode=False)
