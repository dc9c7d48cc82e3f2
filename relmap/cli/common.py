"""What every command shares: language, error reporting, exit codes."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from ..errors import InputError, InternalError, RelmapError, RenderError, UsageError
from ..i18n import LANGUAGES, _, normalize_language, set_language

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INPUT = 1
EXIT_USAGE = 2

#: in the ``relmap`` program (:func:`relmap.cli.console`), what its command keeps for the process' end
#: (:func:`keep_until_exit`); None elsewhere (tests, in-process callers)
kept_until_exit: list[object] | None = None


def keep_until_exit(*objects: object) -> None:
    """In the ``relmap`` program, keep ``objects`` (a loaded chain, an analysis: millions of small objects at
    10,000 activities) until the process ends, and let it end without freeing them one by one
    (:func:`relmap.cli.console`); elsewhere nothing (they are freed as usual)."""
    if kept_until_exit is not None:
        kept_until_exit.extend(objects)

lang_option = click.option(
    "--lang", type=click.Choice(LANGUAGES), default=None,
    help="Language of messages and reports (default: the file's company.language, else $LANG).")

max_overview_option = click.option(
    "--max-overview", type=click.IntRange(min=0), default=None, metavar="N",
    help="Draw the value chain overview one box per stage above N activities (default: when the detail "
         "would put box text under 7 pt on a 16:9 slide).")


_COMPANY_LANGUAGE = re.compile(
    r"^company:[^\n]*?\blanguage:\s*[\"']?(?P<flow>[A-Za-z_-]+)"  # company: {…, language: fr}
    r"|^company:[ \t]*(?:#[^\n]*)?\n(?:(?:[ \t]+[^\n]*|[ \t]*)\n)*?[ \t]+language:[ \t]*[\"']?(?P<block>[A-Za-z_-]+)",
    re.MULTILINE)


def file_language(path: str, limit: int = 1 << 16) -> str | None:
    """The ``company.language`` a file declares, read from its text (None when absent or unreadable).

    Why from the text: the messages of a file that does not load (a syntax
    error, a missing field) must already be in its language, so the language
    is found before the file is parsed — a regular expression over its first
    64 KiB (``company:`` comes first in every template).
    """
    import stat as stat_module

    try:  # like relmap.fsutil.read_regular: never block on a FIFO, never read a device
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not stat_module.S_ISREG(os.fstat(fd).st_mode):
            return None
        text = os.read(fd, limit).decode("utf-8", errors="replace")
    except OSError:
        return None
    finally:
        os.close(fd)
    match = _COMPANY_LANGUAGE.search(text.replace("\r\n", "\n"))
    if match is None:
        return None
    return match.group("flow") or match.group("block")


def choose_language(lang: str | None, file_language: str | None = None) -> str:
    """``--lang`` > the file's ``company.language`` > ``$RELMAP_LANG`` / ``$LANG`` > English."""
    chosen = lang or file_language or os.environ.get("RELMAP_LANG") or os.environ.get("LANG")
    code = normalize_language(chosen)
    set_language(code)
    return code


#: True when the command being run is this process's command line (``relmap …``, ``python -m relmap …``): the
#: process ends with it (set by :meth:`relmap.cli.LazyGroup.main`; a test or a program calling the CLI leaves it
#: False)
PROCESS_ENDS = False


@contextlib.contextmanager
def one_shot_gc() -> Iterator[None]:
    """Run a one-shot command without the cyclic garbage collector.

    Why: analysing a file builds long-lived objects (the modules, the model, the result) and hardly any cyclic
    garbage, so the collector's full passes over them find next to nothing (reference counting still frees
    everything else). Turned on again after the command, the collector would at once go through every object
    made meanwhile, and the interpreter runs one last full pass at exit: when the process ends with the command
    (:data:`PROCESS_ENDS`) it stays off and what is alive is frozen (:func:`gc.freeze`: that last pass skips it);
    otherwise (a test, a program calling the CLI) its state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if PROCESS_ENDS:
            gc.freeze()
        elif enabled:
            gc.enable()


def echo_problems(error: InputError) -> None:
    """Print every problem to stderr, then a count."""
    for problem in error.problems:
        click.echo(problem.format(), err=True)
    n = len(error.problems)
    if n > 1:
        click.echo(_("{n} problems found.").format(n=n), err=True)


def _silence_stdout() -> None:
    """Point stdout at /dev/null: what is left in its buffer must not fail again when Python exits."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def handle_errors(func: F) -> F:
    """Turn relmap's exceptions into clean messages and exit codes (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            echo_problems(exc)
            sys.exit(EXIT_INPUT)
        except UsageError as exc:
            click.echo(_("error: {message}").format(message=exc), err=True)
            sys.exit(EXIT_USAGE)
        except RenderError as exc:
            click.echo(_("error: {message}").format(message=exc), err=True)
            sys.exit(EXIT_INPUT)
        except InternalError as exc:
            click.echo(_("internal error (a bug in relmap, please report it): {message}").format(message=exc),
                       err=True)
            sys.exit(3)
        except RelmapError as exc:
            click.echo(_("error: {message}").format(message=exc), err=True)
            sys.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo(_("interrupted"), err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as exc:  # the environment failed: stdout on a full disk, a closed pipe…
            _silence_stdout()
            where = exc.filename or _("standard output")
            click.echo(_("error: cannot write {path}: {reason}").format(path=where, reason=exc.strerror or exc),
                       err=True)
            sys.exit(EXIT_INPUT)
        except Exception as exc:
            if os.environ.get("RELMAP_DEBUG"):
                raise
            click.echo(_("internal error (a bug in relmap, please report it): {kind}: {message}").format(
                kind=type(exc).__name__, message=exc), err=True)
            click.echo(_("  set RELMAP_DEBUG=1 to see the traceback"), err=True)
            sys.exit(3)

    return wrapper  # type: ignore[return-value]
