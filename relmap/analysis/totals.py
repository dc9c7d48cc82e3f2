"""A scenario's totals as arrays: the figures of a re-run (:mod:`.whatif`) without per-activity rows.

The functions here compute, with numpy arrays over the activities in content
order, the very numbers :func:`relmap.analysis.economics.split_freed`,
:func:`~relmap.analysis.economics.balance_lines`,
:func:`~relmap.analysis.economics.ai_cost` and
:func:`relmap.analysis.reinvest.centi_supplies` give from dictionaries — bit
for bit, not approximately:

* each per-activity figure is one IEEE-754 double operation per step, in the
  same order as the scalar code (``h × a × α`` is ``(h × a) × α`` in both); numpy's
  element-wise ``*`` and ``−`` on float64 round exactly as Python's;
* each sum is :func:`math.fsum`, the correctly rounded sum, which does not
  depend on the order of its terms.

Why: a sensitivity and five-year trajectories re-run a scenario about fifty
times; at 10,000 activities the dictionaries of the scalar code cost more than
the allocation itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..input.model import Policy, Scenario
from .economics import BALANCE_LINES
from .facts import ActivityFacts

__all__ = ["FactArrays", "SplitArrays", "balance_arrays", "centi_array", "fact_arrays", "freed_array",
           "split_arrays", "users_of"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class FactArrays:
    """The facts as arrays (content order): ``work`` is the hours, 0 for ``keep_human`` activities."""

    ids: tuple[str, ...]
    work: FloatArray
    hours: FloatArray
    a: FloatArray
    r: FloatArray
    cost: FloatArray
    fte: FloatArray
    good: npt.NDArray[np.bool_]


def fact_arrays(facts: Sequence[ActivityFacts],
                like: tuple[Sequence[ActivityFacts], FactArrays] | None = None) -> FactArrays:
    """:class:`FactArrays` of ``facts``.

    ``like``: other facts and their arrays (the analysed ones, when ``facts`` are those of a changed input,
    :func:`relmap.analysis.whatif.refacts`): the row of a fact found there (the very object) is copied
    from them, the others are read from the facts; the same arrays as without ``like``.
    """
    if like is None:
        return FactArrays(
            ids=tuple(f.id for f in facts),
            work=np.array([_work(f) for f in facts], dtype=np.float64),
            hours=np.array([f.hours for f in facts], dtype=np.float64),
            a=np.array([f.a[1] for f in facts], dtype=np.float64),
            r=np.array([f.r[1] for f in facts], dtype=np.float64),
            cost=np.array([f.hourly_cost for f in facts], dtype=np.float64),
            fte=np.array([f.fte for f in facts], dtype=np.float64),
            good=np.array([f.good for f in facts], dtype=bool))
    old_facts, old = like
    where = {id(f): k for k, f in enumerate(old_facts)}
    at = np.fromiter((where.get(id(f), -1) for f in facts), dtype=np.int64, count=len(facts))
    new = np.flatnonzero(at < 0).tolist()
    take = np.where(at < 0, 0, at)
    out = FactArrays(ids=tuple(f.id for f in facts), work=old.work[take], hours=old.hours[take], a=old.a[take],
                     r=old.r[take], cost=old.cost[take], fte=old.fte[take], good=old.good[take])
    for k in new:
        f = facts[k]
        out.work[k], out.hours[k], out.a[k], out.r[k] = _work(f), f.hours, f.a[1], f.r[1]
        out.cost[k], out.fte[k], out.good[k] = f.hourly_cost, f.fte, f.good
    return out


def _work(f: ActivityFacts) -> float:
    """Hours that AI may free: the activity's, 0 when it is ``keep_human``."""
    return 0.0 if f.activity.keep_human else f.hours


def freed_array(arr: FactArrays, adoption: float) -> FloatArray:
    """Freed hours per activity, ``(h × a) × α`` (0 for ``keep_human``): :func:`relmap.analysis.gains.freed_hours`.

    Example: h = 1,000, a = 0.5, α = 0.6 → 300 h.
    """
    out: FloatArray = arr.work * arr.a * adoption
    return out


@dataclass(frozen=True)
class SplitArrays:
    """:class:`relmap.analysis.economics.Split` as arrays."""

    kept: FloatArray
    supply: FloatArray
    recognition: FloatArray
    training: FloatArray
    community: FloatArray
    savings: FloatArray


def split_arrays(arr: FactArrays, freed: FloatArray, scenario: Scenario, policy: Policy,
                 shares: dict[str, float]) -> SplitArrays:
    """:func:`relmap.analysis.economics.split_freed` on arrays (same formulas, same roundings).

    ``k_i = f_i`` for a good under ``relational_dividend: all``, else 0; ``s_i = f_i − k_i``;
    supply ``ρ s_i``, recognition ``ς s_i`` (0 without any good), training ``θ s_i``,
    community ``κ s_i``, savings ``(1 − ρ − ς − θ − κ) s_i`` (+ ``ς s_i`` without any good).
    Example: f = 100 h in a non-good, ρ = 0.5, ς = 0.1, θ = 0.1, κ = 0 → supply 50,
    recognition 10, training 10, community 0, savings 30.
    """
    any_good = bool(arr.good.any())
    rec_share = scenario.recognition if any_good else 0.0
    save_share = shares["savings"] + (0.0 if any_good else scenario.recognition)
    kept = np.where(arr.good, freed, 0.0) if policy.relational_dividend == "all" else np.zeros_like(freed)
    rest = freed - kept
    return SplitArrays(kept=kept, supply=rest * scenario.reinvest, recognition=rest * rec_share,
                       training=rest * scenario.training, community=rest * scenario.community,
                       savings=rest * save_share)


def _fsum(x: Any) -> float:
    return math.fsum(x.tolist())


def balance_arrays(arr: FactArrays, split: SplitArrays, sent: FloatArray,
                   sent_value: FloatArray | None = None) -> list[tuple[str, float, float]]:
    """:func:`relmap.analysis.economics.balance_lines` on arrays: ``[(line, hours, value)]``.

    ``sent``: hours placed per activity; ``sent_value``: their value at the cost of the roles
    that moved (None: at the activity's cost). A line's hours are ``Σ_i line_i``, its value
    ``Σ_i line_i × c_i``; with ``sent_value``, reinvested is valued ``Σ_i sent_value_i`` and
    unplaced ``Σ_i (supply_i × c_i − sent_value_i)``.
    Example: f = 100 h at 40 €/h, supply 50 of which 30 placed, recognition 10, training 10,
    savings 30 → reinvested (30 h, 1,200 €), unplaced (20 h, 800 €), savings (30 h, 1,200 €).
    """
    cost = arr.cost
    per_line = {"kept": split.kept, "reinvested": sent, "unplaced": split.supply - sent,
                "recognition": split.recognition, "training": split.training, "community": split.community,
                "savings": split.savings}
    out: list[tuple[str, float, float]] = []
    for line in BALANCE_LINES:
        values = per_line[line]
        hours = _fsum(values)
        if sent_value is not None and line == "reinvested":
            value = _fsum(sent_value)
        elif sent_value is not None and line == "unplaced":
            value = _fsum(split.supply * cost - sent_value)
        else:
            value = _fsum(values * cost)
        out.append((line, hours, value))
    return out


def users_of(arr: FactArrays, freed: FloatArray) -> float:
    """``Σ fte_i`` over the activities with ``f_i > 0`` (:func:`relmap.analysis.economics.ai_cost`)."""
    return _fsum(arr.fte[freed > 0])


def centi_array(supply: FloatArray) -> npt.NDArray[np.int64]:
    """:func:`relmap.analysis.reinvest.centi_supplies` on an array (content order; 0 where nothing is offered).

    ``floor(100 s_i)`` each, then the centi-hours missing to reach ``round(100 Σ s_i)``
    one each to the largest fractional parts (ties: content order).
    Example: 0.333, 0.333, 0.334 h → 33, 33, 34.
    """
    offered = supply > 0
    scaled = np.where(offered, 100 * supply, 0.0)
    floors = np.floor(scaled)
    missing = round(_fsum(scaled[offered])) - int(floors.sum())
    out = floors.astype(np.int64)
    if missing > 0:
        frac = np.where(offered, scaled - floors, -1.0)
        order = np.lexsort((np.arange(len(frac)), -frac))
        out[order[:missing]] += 1
    out[~offered] = 0
    return out
