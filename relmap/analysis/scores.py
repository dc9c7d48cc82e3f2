"""Per-activity scores: automatability ``a`` and relational index ``r``, each as (low, mode, high).

Every estimate is kept as a triangle ``(low, mode, high)``; the point estimate
is the mode (a range ``[low, high]`` has its midpoint as mode). The source of
each score is recorded so that every number can be traced back to the input.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InternalError
from ..model import (
    RELATIONAL_WORDS,
    RUBRIC_DIMENSIONS,
    Activity,
    Rubric,
    RubricWeights,
    Task,
    as_triangle,
)
from ..seeds import Prior, get_prior

__all__ = ["Scores", "TriangleT", "automatability_score", "prior_for", "relational_score", "score_activity"]

TriangleT = tuple[float, float, float]


@dataclass(frozen=True)
class Scores:
    """The scores of one activity.

    Attributes:
        automatability: (low, mode, high) of ``a``.
        automatability_source: ``value``, ``tasks``, ``occupation`` or ``archetype``.
        automatability_ref: the occupation code or archetype key used, when that is the source.
        relational: (low, mode, high) of ``r``.
        relational_source: ``rubric``, ``value`` or ``word``.
        rubric: the seven rubric scores, when the source is a rubric.
    """

    automatability: TriangleT
    automatability_source: str
    automatability_ref: str | None
    relational: TriangleT
    relational_source: str
    rubric: dict[str, float] | None


def prior_for(kind: str, key: str) -> Prior:
    """The seed prior of an archetype key or an occupation code.

    Occupation codes may be given without their ``.00`` suffix (``43-4051`` →
    ``43-4051.00``).

    Raises:
        InternalError: the key is unknown (validation should have refused it).
    """
    prior = get_prior(kind, key)
    if prior is None and kind == "occupation" and len(key) == 7:
        prior = get_prior(kind, key + ".00")
    if prior is None:
        raise InternalError(f"unknown {kind} prior {key!r} passed validation")
    return prior


def _task_triangle(task: Task) -> TriangleT:
    """A task's automatability: its value > occupation prior > archetype prior."""
    if task.automatability is not None:
        return as_triangle(task.automatability)
    if task.occupation is not None:
        p = prior_for("occupation", task.occupation)
        return p.low, p.mode, p.high
    assert task.archetype is not None  # guaranteed by the model validator
    p = prior_for("archetype", task.archetype)
    return p.low, p.mode, p.high


def automatability_score(act: Activity) -> tuple[TriangleT, str, str | None]:
    """Automatability of an activity, with its source.

    Precedence: ``automatability`` (value) > ``tasks`` > ``occupation`` >
    ``archetype``. From tasks, each bound is the share-weighted sum
    ``a = Σ share_i × a_i`` (applied to low, mode and high alike; time not
    covered by a task counts as 0). A prior's (low, mode, high) is the range.

    Returns:
        ((low, mode, high), source, ref) where ref is the occupation code or
        archetype key used (None otherwise).
    """
    if act.automatability is not None:
        return as_triangle(act.automatability), "value", None
    if act.tasks:
        tri = [_task_triangle(t) for t in act.tasks]
        low = sum(t.share * x[0] for t, x in zip(act.tasks, tri, strict=True))
        mode = sum(t.share * x[1] for t, x in zip(act.tasks, tri, strict=True))
        high = sum(t.share * x[2] for t, x in zip(act.tasks, tri, strict=True))
        return (_clip(low), _clip(mode), _clip(high)), "tasks", None
    if act.occupation is not None:
        p = prior_for("occupation", act.occupation)
        return (p.low, p.mode, p.high), "occupation", p.key
    if act.archetype is not None:
        p = prior_for("archetype", act.archetype)
        return (p.low, p.mode, p.high), "archetype", p.key
    raise InternalError(f"activity {act.id!r} has no automatability source")


def relational_score(value: object, weights: RubricWeights) -> tuple[TriangleT, str, dict[str, float] | None]:
    """Relational index ``r`` of an activity's ``relational`` field, with its source.

    Formula for a rubric of scores ``s_d`` (0..4) and weights ``w_d``:
    ``r = (Σ_d w_d × s_d) / (Σ_d w_d) / 4``. A word maps through
    ``none, low, medium, high, very_high`` = 0, 0.25, 0.5, 0.75, 1. A number
    or range is read as given.

    Returns:
        ((low, mode, high), source, rubric scores or None).
    """
    if isinstance(value, Rubric):
        scores = {d: float(getattr(value, d)) for d in RUBRIC_DIMENSIONS}
        total_w = sum(float(getattr(weights, d)) for d in RUBRIC_DIMENSIONS)
        r = sum(float(getattr(weights, d)) * scores[d] for d in RUBRIC_DIMENSIONS) / total_w / 4.0
        r = _clip(r)
        return (r, r, r), "rubric", scores
    if isinstance(value, str):
        r = RELATIONAL_WORDS[value]
        return (r, r, r), "word", None
    return as_triangle(value), "value", None  # type: ignore[arg-type]


def score_activity(act: Activity, weights: RubricWeights) -> Scores:
    """Both scores of one activity (see :func:`automatability_score`, :func:`relational_score`)."""
    a, a_source, a_ref = automatability_score(act)
    r, r_source, rubric = relational_score(act.relational, weights)
    return Scores(a, a_source, a_ref, r, r_source, rubric)


def _clip(x: float) -> float:
    """Clamp to 0..1 (sums of shares may overshoot by a rounding error)."""
    return min(1.0, max(0.0, x))
