"""The path over the years: adoption year by year, yearly figures, NPV and payback.

For a scenario of adoption α (its point estimate) and horizon H (``horizon_years``):

* **adoption path**: ``adoption_path`` when given, else the S-curve
  ``α_t = α × (L(t) − L(0)) / (L(H) − L(0))``, ``L(t) = 1 / (1 + e^(−8 (t − H/2) / H))``,
  t = 1..H (so ``α_H = α``);
* each year **solves the scenario at α_t** (:class:`relmap.analysis.whatif.Rerun`):
  hours freed, reinvested, FTE no longer needed, and the gross savings ``G_t`` (value
  of the ``savings`` line, + ``unplaced`` under ``policy.unplaced: savings``);
* ``ai_cost_t = yearly + per_user_year × users × α_t / α`` (+ ``one_off`` in year 1),
  ``users`` those of the scenario at α (0 when α = 0);
* ``net_t = G_t − ai_cost_t``; ``cumulative_t = Σ_{u ≤ t} net_u``;
* ``npv = Σ_t net_t / (1 + d)^t`` with ``d = assumptions.discount_rate``;
* ``payback_year`` = the first t with ``cumulative_t ≥ 0``, else None.
"""

from __future__ import annotations

import math

from ..input.model import Scenario, ValueChain, as_triangle
from .facts import ActivityFacts
from .result import TrajectoryYear
from .whatif import Figures, Rerun

__all__ = ["adoption_path", "logistic", "npv", "payback_year", "s_curve", "trajectory", "trajectory_figures",
           "trajectory_of"]


def logistic(t: float, horizon: int) -> float:
    """``L(t) = 1 / (1 + e^(−8 (t − H/2) / H))``. Example: L(2.5) with H = 5 is 0.5."""
    return 1.0 / (1.0 + math.exp(-8.0 * (t - horizon / 2.0) / horizon))


def s_curve(adoption: float, horizon: int) -> list[float]:
    """Default path ``α × (L(t) − L(0)) / (L(H) − L(0))`` for t = 1..H.

    Example: α = 0.6, H = 5 → L(0) = 0.01799, L(5) = 0.98201, so year 1 is
    0.6 × (L(1) − L(0)) / 0.96403 = 0.6 × (0.08317 − 0.01799) / 0.96403 = 0.04057.
    """
    l0, lh = logistic(0, horizon), logistic(horizon, horizon)
    return [adoption * (logistic(t, horizon) - l0) / (lh - l0) for t in range(1, horizon + 1)]


def adoption_path(sc: Scenario) -> list[float]:
    """The scenario's ``adoption_path``, else :func:`s_curve` of its point adoption."""
    if sc.adoption_path is not None:
        return list(sc.adoption_path)
    return s_curve(as_triangle(sc.adoption)[1], sc.horizon_years)


def npv(nets: list[float], rate: float) -> float:
    """``Σ_t net_t / (1 + rate)^t``, t = 1..len(nets).

    Example: [−100, 60, 60] at 0.1 → −90.91 + 49.59 + 45.08 = 3.76.
    """
    return math.fsum(x / (1.0 + rate) ** t for t, x in enumerate(nets, start=1))


def payback_year(cumulative: list[float]) -> int | None:
    """First year (1-based) whose cumulative net savings are ≥ 0, else None."""
    for t, c in enumerate(cumulative, start=1):
        if c >= 0:
            return t
    return None


def trajectory(chain: ValueChain, sc: Scenario, facts: list[ActivityFacts], rerun: Rerun,
               users: float) -> tuple[list[TrajectoryYear], float, int | None]:
    """``(years, npv, payback_year)`` of one scenario (see the module docstring).

    Args:
        users: the scenario's users at its adoption (``ScenarioResult.users``).
    """
    return trajectory_of(chain, sc, trajectory_figures(chain, sc, facts, rerun), users)


def trajectory_figures(chain: ValueChain, sc: Scenario, facts: list[ActivityFacts], rerun: Rerun) -> list[Figures]:
    """The scenario re-run at each year's adoption (:func:`adoption_path`): what :func:`trajectory_of` needs of
    the re-runs, computable in any process (:mod:`relmap.analysis.parallel`)."""
    return [rerun.figures(chain, sc, facts, adoption=a_t) for a_t in adoption_path(sc)]


def trajectory_of(chain: ValueChain, sc: Scenario, figures: list[Figures],
                  users: float) -> tuple[list[TrajectoryYear], float, int | None]:
    """:func:`trajectory` from the years' figures (:func:`trajectory_figures`)."""
    alpha = as_triangle(sc.adoption)[1]
    years: list[TrajectoryYear] = []
    total = 0.0
    nets: list[float] = []
    for (t, a_t), fig in zip(enumerate(adoption_path(sc), start=1), figures, strict=True):
        ratio = a_t / alpha if alpha > 0 else 0.0
        cost = sc.costs.yearly + sc.costs.per_user_year * users * ratio + (sc.costs.one_off if t == 1 else 0.0)
        net = fig.gross - cost
        total += net
        nets.append(net)
        years.append(TrajectoryYear(
            year=t, adoption=a_t, hours_freed=fig.hours_freed, hours_reinvested=fig.hours_reinvested,
            fte_no_longer_needed=fig.fte_no_longer_needed, ai_cost=cost, net_savings=net, cumulative=total))
    return years, npv(nets, chain.assumptions.discount_rate), payback_year([y.cumulative for y in years])
