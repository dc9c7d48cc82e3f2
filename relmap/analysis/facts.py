"""The per-activity facts every later stage of the analysis reads (size, cost, scores, class)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..errors import RelmapError
from ..i18n import _
from ..input.model import Activity, ValueChain
from .classify import classify, is_relational_good
from .result import Quadrant
from .scores import Scores, TriangleT, score_activity

__all__ = ["MAX_HOURS", "MAX_VALUE", "ActivityFacts", "build_facts", "content_key"]

#: sizes beyond any company: above them, figures would lose precision or overflow to infinity
MAX_HOURS = 1e12
MAX_VALUE = 1e16


@dataclass(frozen=True)
class ActivityFacts:
    """One activity, reduced to the numbers the analysis needs.

    Attributes:
        hours: ``hours``, or ``fte × company.hours_per_fte``.
        fte: ``hours / company.hours_per_fte``.
        hourly_cost: the activity's, else ``company.hourly_cost``, else 0; with roles, the
            staffing-weighted mean of its roles' costs (:func:`activity_hourly_cost`).
        a, r: (low, mode, high) of automatability and relational index.
        quadrant, good: class of the point estimates (modes).
    """

    activity: Activity
    scores: Scores
    hours: float
    fte: float
    hourly_cost: float
    quadrant: Quadrant
    good: bool
    #: the activity id; ``a``, ``r``: (low, mode, high) automatability and relational index. Copied from
    #: ``activity`` and ``scores`` when made (also by ``dataclasses.replace``): read millions of times at
    #: 10,000 activities, where a property cost ~0.3 s
    id: str = field(init=False, repr=False, compare=False)
    a: TriangleT = field(init=False, repr=False, compare=False)
    r: TriangleT = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", self.activity.id)
        object.__setattr__(self, "a", self.scores.automatability)
        object.__setattr__(self, "r", self.scores.relational)


def content_key(fact: ActivityFacts, stage_position: int) -> tuple[object, ...]:
    """Order of activities by what they are, never by their id.

    Relational index (highest first), hours (largest first), name, stage
    position, automatability, hourly cost; the id only separates activities
    identical in all of these (whose figures are then the same either way).
    """
    act = fact.activity
    return (-fact.r[1], -fact.hours, act.name.casefold(), act.name, stage_position, -fact.a[1], fact.hourly_cost,
            act.id)


def build_facts(chain: ValueChain) -> list[ActivityFacts]:
    """Facts of every activity, in **content order** (:func:`content_key`).

    Why: results must not depend on the order of the file nor on the ids
    chosen; every tie later (allocation, Monte Carlo draws) follows this order.

    Raises:
        RelmapError: an activity's hours (above 10¹²) or yearly cost (above 10¹⁶) are beyond any
            company: its figures would overflow (``1e300`` hours is valid YAML, not a company).
    """
    hpf = chain.company.hours_per_fte
    default_cost = chain.company.hourly_cost or 0.0
    tau_a, tau_r = chain.thresholds.automatable, chain.thresholds.relational
    out: list[ActivityFacts] = []
    role_cost = {r.id: r.hourly_cost for r in chain.roles} if chain.roles else None
    for act in chain.activities:
        scores = score_activity(act, chain.thresholds.rubric_weights, chain.assumptions)
        hours = act.hours if act.hours is not None else (act.fte or 0.0) * hpf
        cost = activity_hourly_cost(act, default_cost, role_cost)
        if hours > MAX_HOURS or hours * cost > MAX_VALUE:
            raise RelmapError(_("activity '{id}': {hours:.3g} hours a year at {cost:.3g} per hour is beyond any "
                                "company and would overflow the figures; check its 'hours', 'fte' and "
                                "'hourly_cost'").format(id=act.id, hours=hours, cost=cost))
        a, r = scores.automatability[1], scores.relational[1]
        out.append(ActivityFacts(
            activity=act, scores=scores, hours=hours, fte=hours / hpf, hourly_cost=cost,
            quadrant=classify(a, r, tau_a, tau_r), good=is_relational_good(r, tau_r),
        ))
    position = {s.id: k for k, s in enumerate(chain.stages)}
    out.sort(key=lambda f: content_key(f, position.get(f.activity.stage or "", len(position))))
    return out


def shares_of(act: Activity, defined: bool) -> list[tuple[str, float]] | None:
    """The activity's ``[(role id, share)]`` as written, or None when it is its own role."""
    if not defined:
        return None
    if act.staffing:
        return [(r, float(s)) for r, s in act.staffing.items()]
    ids = list(dict.fromkeys(act.roles))
    if ids:
        return [(r, 1.0 / len(ids)) for r in ids]
    return None


def activity_hourly_cost(act: Activity, default: float, role_cost: dict[str, float | None] | None) -> float:
    """``c_x = Σ_r s_xr × c_xr`` with ``c_xr`` = role cost, else activity cost, else company cost (``default``).

    ``role_cost``: role id → its hourly cost, None when the file defines no
    roles (then, and when *x* names no role, the activity's cost, else
    ``default``). Example: staffing clerk 0.5 (30 €/h), notary 0.5 (100 €/h) → 65 €/h.
    """
    own = act.hourly_cost if act.hourly_cost is not None else default
    shares = shares_of(act, role_cost is not None)
    if shares is None or role_cost is None:
        return own
    return math.fsum(s * _or(role_cost.get(r), own) for r, s in shares)


def _or(value: float | None, default: float) -> float:
    return value if value is not None else default
