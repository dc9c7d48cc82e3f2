"""Per-activity scores: automatability ``a`` and relational index ``r``, each as (low, mode, high).

Every estimate is kept as a triangle ``(low, mode, high)``; the point estimate
is the mode (a range ``[low, high]`` has its midpoint as mode). The source of
each score is recorded so that every number can be traced back to the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import InternalError
from ..input.model import (
    RELATIONAL_WORDS,
    RUBRIC_DIMENSIONS,
    Activity,
    Assumptions,
    Rubric,
    RubricWeights,
    Task,
    as_triangle,
    from_occupation,
    task_list,
)
from ..seeds import Prior, get_prior

__all__ = [
    "Scores",
    "TriangleT",
    "automatability_score",
    "exposure_times_saving",
    "onet_task_exposure",
    "prior_for",
    "relational_score",
    "score_activity",
    "split_from_occupation",
]

TriangleT = tuple[float, float, float]


@dataclass(frozen=True)
class Scores:
    """The scores of one activity.

    Attributes:
        automatability: (low, mode, high) of ``a``.
        automatability_source: ``value``, ``tasks``, ``occupation`` or ``archetype``.
        automatability_ref: the occupation code or archetype key used, when that is the source (the
            occupation code too when the tasks come ``from_occupation``).
        relational: (low, mode, high) of ``r``.
        relational_source: ``rubric``, ``value`` or ``word``.
        rubric: the seven rubric scores, when the source is a rubric.
        exposure: (low, mode, high) of the occupation exposure ``E`` when the source is an occupation.
        time_saving: (low, mode, high) of ``T`` when an occupation prior was used (directly or in a task).
    """

    automatability: TriangleT
    automatability_source: str
    automatability_ref: str | None
    relational: TriangleT
    relational_source: str
    rubric: dict[str, float] | None
    exposure: TriangleT | None = None
    time_saving: TriangleT | None = None


@lru_cache(maxsize=4096)
def prior_for(kind: str, key: str) -> Prior:
    """The seed prior of an archetype key or an occupation code (looked up once per key: the catalogue is fixed).

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


def exposure_times_saving(exposure: TriangleT, time_saving: TriangleT) -> TriangleT:
    """Automatability from an exposure prior: ``a = E × T``, bound by bound.

    ``E`` is the share of the occupation's tasks an LLM could speed up by at
    least half, ``T`` the share of an exposed task's time it saves:
    ``(E_low × T_low, E_mode × T_mode, E_high × T_high)``.
    Example: E = (0.2, 0.4, 0.6), T = (0.5, 0.5, 0.8) → (0.1, 0.2, 0.48).
    """
    return (exposure[0] * time_saving[0], exposure[1] * time_saving[1], exposure[2] * time_saving[2])


def _occupation_triangle(code: str, assumptions: Assumptions) -> tuple[TriangleT, TriangleT, str]:
    """``(a, E, code)`` of an occupation prior under the assumptions' rater and time saving."""
    p = prior_for("occupation", code)
    exposure = p.exposure(assumptions.exposure_rater)
    return exposure_times_saving(exposure, as_triangle(assumptions.exposure_time_saving)), exposure, p.key


def onet_task_exposure(task_id: int, assumptions: Assumptions) -> TriangleT:
    """Exposure ``E`` of one O*NET task under the assumptions' rater (E0 → 0, E1 → 1, E2 → 0 / 0.5 / 1).

    See :mod:`relmap.seeds.tasks`; ``both`` = (min α, mean β, max γ) of the two raters.

    Raises:
        InternalError: the id is unknown (validation should have refused it).
    """
    from ..seeds.tasks import onet_task

    found = onet_task(task_id)
    if found is None:
        raise InternalError(f"unknown O*NET task {task_id} passed validation")
    return found.exposure(assumptions.exposure_rater)


def split_from_occupation(act: Activity) -> list[tuple[float, int]]:
    """``(share, O*NET task id)`` of an activity whose ``tasks`` come ``from_occupation``.

    The occupation's core tasks (or all, with ``from_occupation: all``): each
    listed in ``shares`` takes its share; the others split ``1 − Σ listed`` equally.
    Example: 4 core tasks, one given 0.4 → 0.4, then 0.2 each for the other three.
    """
    from ..seeds.tasks import core_tasks, occupation_tasks

    split = from_occupation(act)
    if split is None or act.occupation is None:
        return []
    chosen = core_tasks(act.occupation) if split.from_occupation == "core" else occupation_tasks(act.occupation)
    given = {s.onet_task: s.share for s in split.shares}
    rest = [t.task_id for t in chosen if t.task_id not in given]
    each = (1.0 - sum(given.values())) / len(rest) if rest else 0.0
    return [(given.get(t.task_id, each), t.task_id) for t in chosen]


def _split_triangle(act: Activity, assumptions: Assumptions) -> tuple[TriangleT, TriangleT]:
    """``(a, E)`` of a ``from_occupation`` split: ``E = Σ share_i × E_i`` bound by bound, ``a = E × T``."""
    parts = [(share, onet_task_exposure(task_id, assumptions)) for share, task_id in split_from_occupation(act)]
    low, mode, high = (_clip(sum(share * e[k] for share, e in parts)) for k in range(3))
    exposure = (low, mode, high)
    return exposure_times_saving(exposure, as_triangle(assumptions.exposure_time_saving)), exposure


def _onet_list_source(tasks: list[Task], assumptions: Assumptions) -> tuple[str | None, TriangleT | None]:
    """When every task is an O*NET task (no value of its own): the occupation they all belong to (else None)
    and the share-weighted exposure ``E = Σ share_i × E_i``, so that ``a = E × T`` is recorded like an
    occupation prior's."""
    from ..seeds.tasks import onet_task

    if not all(t.onet_task is not None and t.automatability is None for t in tasks):
        return None, None
    found = [onet_task(int(t.onet_task or 0)) for t in tasks]
    codes = {f.code for f in found if f is not None}
    parts = [(t.share, onet_task_exposure(int(t.onet_task or 0), assumptions)) for t in tasks]
    low, mode, high = (_clip(sum(share * e[k] for share, e in parts)) for k in range(3))
    return (codes.pop() if len(codes) == 1 else None), (low, mode, high)


def _task_triangle(task: Task, assumptions: Assumptions) -> tuple[TriangleT, bool]:
    """A task's automatability (value > O*NET task × T > occupation prior × T > archetype prior), and
    whether T was used."""
    if task.automatability is not None:
        return as_triangle(task.automatability), False
    if task.onet_task is not None:
        return exposure_times_saving(onet_task_exposure(task.onet_task, assumptions), as_triangle(
            assumptions.exposure_time_saving)), True
    if task.occupation is not None:
        return _occupation_triangle(task.occupation, assumptions)[0], True
    assert task.archetype is not None  # guaranteed by the model validator
    p = prior_for("archetype", task.archetype)
    return (p.low, p.mode, p.high), False


AutomatabilityT = tuple[TriangleT, str, str | None, TriangleT | None, TriangleT | None]


def automatability_score(act: Activity, assumptions: Assumptions | None = None) -> AutomatabilityT:
    """Automatability of an activity, with its source.

    Precedence: ``automatability`` (value) > ``tasks`` > ``occupation`` >
    ``archetype``. From tasks, each bound is the share-weighted sum
    ``a = Σ share_i × a_i`` (applied to low, mode and high alike; time not
    covered by a task counts as 0); a task's ``onet_task`` gives
    ``a_i = E_i × T`` with ``E_i`` the O*NET task's exposure (when every
    task is an O*NET task, ``E = Σ share_i × E_i`` is recorded as the exposure,
    and their occupation as ref when they share one). Tasks taken
    ``from_occupation`` (:func:`split_from_occupation`) give
    ``a = (Σ share_i × E_i) × T``, recorded with the occupation code as ref and
    that weighted ``E`` as exposure. An archetype prior's (low, mode, high) is
    already a share of time; an occupation prior is an exposure ``E`` and
    gives ``a = E × T`` (:func:`exposure_times_saving`, with the assumptions'
    rater and ``exposure_time_saving`` T).

    Returns:
        ((low, mode, high), source, ref, exposure, time_saving): ref is the
        occupation code or archetype key used (None otherwise); exposure is E
        when the source is an occupation; time_saving is T when an occupation
        prior was used, directly or in a task.
    """
    assumptions = assumptions or Assumptions()
    t_saving = as_triangle(assumptions.exposure_time_saving)
    if act.automatability is not None:
        return as_triangle(act.automatability), "value", None, None, None
    if from_occupation(act) is not None:
        a, exposure = _split_triangle(act, assumptions)
        return a, "tasks", prior_for("occupation", str(act.occupation)).key, exposure, t_saving
    tasks = task_list(act)
    if tasks:
        parts = [_task_triangle(t, assumptions) for t in tasks]
        tri = [x for x, _used in parts]
        low = sum(t.share * x[0] for t, x in zip(tasks, tri, strict=True))
        mode = sum(t.share * x[1] for t, x in zip(tasks, tri, strict=True))
        high = sum(t.share * x[2] for t, x in zip(tasks, tri, strict=True))
        used_t = t_saving if any(used for _x, used in parts) else None
        ref, list_exposure = _onet_list_source(tasks, assumptions)
        return (_clip(low), _clip(mode), _clip(high)), "tasks", ref, list_exposure, used_t
    if act.occupation is not None:
        a, exposure, key = _occupation_triangle(act.occupation, assumptions)
        return a, "occupation", key, exposure, t_saving
    if act.archetype is not None:
        p = prior_for("archetype", act.archetype)
        return (p.low, p.mode, p.high), "archetype", p.key, None, None
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


def score_activity(act: Activity, weights: RubricWeights, assumptions: Assumptions | None = None) -> Scores:
    """Both scores of one activity (see :func:`automatability_score`, :func:`relational_score`)."""
    a, a_source, a_ref, exposure, time_saving = automatability_score(act, assumptions)
    r, r_source, rubric = relational_score(act.relational, weights)
    return Scores(a, a_source, a_ref, r, r_source, rubric, exposure, time_saving)


def _clip(x: float) -> float:
    """Clamp to 0..1 (sums of shares may overshoot by a rounding error)."""
    return min(1.0, max(0.0, x))
