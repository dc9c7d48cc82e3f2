"""Which cases of a parametrised test the quick loop (``make test``) runs.

A test repeated over every example or every view runs each case in CI
(``make test-slow`` runs the cases marked slow, ``make test`` the others):
the quick loop keeps the first ``keep`` cases, chosen as the most demanding,
and marks the rest slow. No case is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest


def first_quick(values: Sequence[Any], keep: int, ids: Callable[[Any], str] | None = None) -> list[Any]:
    """``values`` as pytest params, those after the first ``keep`` marked slow."""
    return [pytest.param(v, id=ids(v) if ids else None, marks=() if i < keep else pytest.mark.slow)
            for i, v in enumerate(values)]
