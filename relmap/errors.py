"""Exceptions: user errors (bad input, located) versus internal bugs.

Why: the CLI turns every :class:`InputError` into ``file:line:column: message``
plus a hint and exit code 1, and never shows a traceback for them; an
:class:`InternalError` is our fault and is reported as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class RelmapError(Exception):
    """Base class of every error relmap raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file.

    Attributes:
        path: the file, as the user named it.
        line: 1-based line (0 when the whole file is concerned).
        column: 1-based column (0 when the whole file is concerned).
        message: what is wrong, in the user's language.
        hint: how to fix it (may be empty).
    """

    path: str
    line: int
    column: int
    message: str
    hint: str = field(default="", compare=False)

    def format(self) -> str:
        """``path:line:column: message`` and, on the next line, the hint."""
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.hint:
            from .i18n import _

            text += "\n  " + _("hint: {hint}").format(hint=self.hint)
        return text


class InputError(RelmapError):
    """The input is invalid; carries every problem found, sorted by position."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(set(problems))
        super().__init__(self.format())

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def format(self) -> str:
        """All problems, one block each, in file order."""
        return "\n".join(p.format() for p in self.problems)


class UsageError(RelmapError):
    """The command was called wrongly (exit code 2)."""


class RenderError(RelmapError):
    """A diagram could not be produced (Graphviz missing, timed out, failed)."""


class OutputError(RelmapError):
    """A file could not be written (read-only folder, disk full, a file where a folder should be…): exit 1.

    The message names the path and the cause.
    """


class InternalError(RelmapError):
    """A bug in relmap: please report it."""


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"did you mean 'x'?"`` for the closest candidate (difflib ratio ≥ 0.6), or an empty string."""
    import difflib

    from .i18n import _

    close = difflib.get_close_matches(str(word), sorted(set(candidates)), n=1, cutoff=0.6)
    return _("did you mean '{name}'?").format(name=close[0]) if close else ""
