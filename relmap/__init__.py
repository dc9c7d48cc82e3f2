"""relmap: find a company's relational goods and what AI frees around them.

Library first: everything the command line does is a function here.

Example:
    >>> import relmap
    >>> chain = relmap.load("examples/hotel-group/company.yaml")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError, InternalError, Problem, RelmapError, RenderError, UsageError
from .version import __version__

__all__ = [
    "InputError",
    "InternalError",
    "Problem",
    "RelmapError",
    "RenderError",
    "UsageError",
    "ValueChain",
    "__version__",
    "analyze",
    "json_schema",
    "load",
    "loads",
]

if TYPE_CHECKING:
    from .analysis.result import AnalysisResult
    from .input.model import ValueChain
    from .input.validate import load, loads


def __getattr__(name: str) -> Any:
    """Import the models lazily, so that ``relmap --help`` starts instantly."""
    if name in ("load", "loads"):
        from .input import validate

        return getattr(validate, name)
    if name == "ValueChain":
        from .input.model import ValueChain

        return ValueChain
    raise AttributeError(name)


def analyze(chain: ValueChain, **options: Any) -> AnalysisResult:
    """Run the whole analysis on a validated chain (see :func:`relmap.analysis.analyze`)."""
    from .analysis import analyze as _analyze

    return _analyze(chain, **options)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of the input format (see :mod:`relmap.input.schema`)."""
    from .input.schema import json_schema as _schema

    return _schema()
