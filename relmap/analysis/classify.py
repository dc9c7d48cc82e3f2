"""Quadrants: where an activity sits on the automatability × relational matrix.

With thresholds τa (``thresholds.automatable``) and τr (``thresholds.relational``):

=================  ===========  ===========
quadrant           a            r
=================  ===========  ===========
``automate``       a ≥ τa       r < τr
``augment``        a ≥ τa       r ≥ τr
``relational_core`` a < τa      r ≥ τr
``sustain``        a < τa       r < τr
=================  ===========  ===========

A *relational good* is an activity with r ≥ τr. Comparisons allow a 1e-9
tolerance so that a task-weighted sum like 0.3 × 0.5 + 0.7 × 0.5 that lands on
0.49999999999999994 counts as 0.5.
"""

from __future__ import annotations

from ..input.model import Thresholds
from .result import Flag, Quadrant

__all__ = ["TOLERANCE", "borderline_flag", "classify", "is_relational_good"]

TOLERANCE = 1e-9


def is_relational_good(r: float, tau_r: float) -> bool:
    """True when ``r ≥ τr`` (a relational good)."""
    return r >= tau_r - TOLERANCE


def classify(a: float, r: float, tau_a: float, tau_r: float) -> Quadrant:
    """The quadrant of an activity with automatability ``a`` and relational index ``r``."""
    automatable = a >= tau_a - TOLERANCE
    relational = is_relational_good(r, tau_r)
    if automatable:
        return "augment" if relational else "automate"
    return "relational_core" if relational else "sustain"


def borderline_flag(a: float, r: float, thresholds: Thresholds) -> Flag | None:
    """A ``borderline`` flag when ``|a − τa| ≤ m`` or ``|r − τr| ≤ m`` (m = ``thresholds.borderline``), else None.

    Why: an activity on the line changes quadrant with the smallest change of
    input (``relational: medium`` is exactly 0.5, the default τr; a ``[0, 1]``
    "don't know" range has midpoint 0.5); the reader must see it is a call to
    check, not a finding. Example: τa = 0.5, m = 0.05, a = 0.53 → borderline on
    automatability; a = 0.56 → not.
    """
    margin = thresholds.borderline
    near: list[str] = []
    if abs(a - thresholds.automatable) <= margin + TOLERANCE:
        near.append("automatability")
    if abs(r - thresholds.relational) <= margin + TOLERANCE:
        near.append("relational")
    if not near:
        return None
    return Flag(kind="borderline",
                evidence={"scores": near, "automatability": a, "relational": r, "margin": margin,
                          "thresholds": {"automatable": thresholds.automatable, "relational": thresholds.relational}})
