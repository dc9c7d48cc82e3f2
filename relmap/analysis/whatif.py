"""Re-running one scenario with one input changed: the engine of sensitivity and trajectory.

:meth:`Rerun.figures` computes, for a chain, a scenario and the activity facts,
the figures a sensitivity entry or a trajectory year needs: hours freed,
hours reinvested, FTE no longer needed, the gross savings (value of the
``savings`` line, + ``unplaced`` under ``policy.unplaced: savings``) and the
users. Up to :data:`RERUN_EXACT_LIMIT` activities, and whenever the file defines roles,
it computes the analysis' formulas on arrays (:mod:`relmap.analysis.totals`: bit for bit
:func:`~relmap.analysis.economics.split_freed`,
:func:`~relmap.analysis.economics.balance_lines`, :func:`~relmap.analysis.economics.ai_cost`)
around the analysis' own allocation (:func:`~relmap.analysis.reinvest.allocate_reinvestment`,
or :func:`~relmap.analysis.roles.role_totals` under mobility ``role``, whose totals are read
from the moves without building the allocation rows), so each figure is the one
``relmap analyze`` gives for the changed file. An allocation whose supplies and
policy were already solved is reused (changing a cost, a recognition or
training share does not move any hour), the scenarios' own allocations included
(:meth:`Rerun.remember`: a trajectory's last year is its scenario).

Above :data:`RERUN_EXACT_LIMIT` activities without roles (a full allocation grows with the
chain, and a sensitivity and five-year trajectories need about forty), hours
reinvested are the allocation's total placed from its plan
(:class:`~relmap.analysis.uncertainty.PlacementPlan`: exact for mobility
``any`` and ``stage`` without transfers, the maximum flow of the same network
otherwise) and the reinvested hours are valued at the mean hourly cost of the
reinvest pool.

Facts under a changed input are derived from the analysed ones
(:func:`refacts`): only what the input changes is recomputed.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from ..input.model import Policy, Scenario, ValueChain, as_triangle
from .classify import classify, is_relational_good
from .economics import cost_for_users, net_savings, no_longer_needed
from .facts import ActivityFacts, content_key
from .gains import scenario_shares
from .reinvest import CustomerLink, allocate_reinvestment, good_cost
from .result import Quadrant
from .roles import Staffing, role_totals, sent_by_role, sent_value
from .scores import AutomatabilityT, Scores, automatability_score
from .sums import dot
from .totals import FactArrays, balance_arrays, centi_array, fact_arrays, freed_array, split_arrays, users_of
from .uncertainty import PlacementPlan

__all__ = ["RERUN_EXACT_LIMIT", "Figures", "Rerun", "exact_reruns", "refacts"]

#: up to this many activities, a re-run calls the analysis' own functions (a full allocation each time)
RERUN_EXACT_LIMIT = 200


@dataclass(frozen=True)
class Figures:
    """What one run of a scenario gives (see the module docstring)."""

    hours_freed: float
    hours_reinvested: float
    fte_no_longer_needed: float
    gross: float
    users: float
    ai_cost: float

    @property
    def net_savings(self) -> float:
        """``gross − ai_cost`` (:func:`relmap.analysis.economics.net_savings`)."""
        return self.gross - self.ai_cost


def refacts(chain: ValueChain, facts: list[ActivityFacts],
            change: Callable[[ActivityFacts], ActivityFacts] | None = None, *, rescore: bool = False,
            reclassify: bool = False, sort: bool = True, memo: dict[str, Any] | None = None) -> list[ActivityFacts]:
    """The facts of ``chain`` (a changed copy of the analysed chain) from the analysed ``facts``.

    ``rescore``: the automatability of activities that used an occupation prior is computed
    again (rater, time saved); ``reclassify``: quadrant and relational good again
    (thresholds); ``change``: applied to each fact (one activity's
    automatability). Content order is restored (:func:`content_key`) when
    ``sort``. Equal to :func:`relmap.analysis.facts.build_facts` on ``chain``,
    without scoring every activity again. ``memo``: a dictionary kept between calls on the same ``facts``
    (their content keys are computed once).
    """
    tau_a, tau_r = chain.thresholds.automatable, chain.thresholds.relational
    scored: dict[tuple[str, str | None], AutomatabilityT] = {}
    out: list[ActivityFacts] = []
    for f in facts:
        g = f
        if rescore and f.scores.time_saving is not None:
            act = f.activity
            key = (act.occupation or "", None) if f.scores.automatability_source == "occupation" else (act.id, "")
            if key not in scored:  # activities of the same occupation share their automatability
                scored[key] = automatability_score(act, chain.assumptions)
            a, _source, _ref, exposure, time_saving = scored[key]
            s = f.scores
            g = _facts_with(f, Scores(a, s.automatability_source, s.automatability_ref, s.relational,
                                      s.relational_source, s.rubric, exposure, time_saving))
        if change is not None:
            g = change(g)
        if g is not f or reclassify:
            quadrant, good = classify(g.a[1], g.r[1], tau_a, tau_r), is_relational_good(g.r[1], tau_r)
            if quadrant != g.quadrant or good != g.good:
                g = _facts_with(g, g.scores, quadrant, good)
        out.append(g)
    if sort and (rescore or change is not None):
        position = {s.id: k for k, s in enumerate(chain.stages)}

        def order(f: ActivityFacts) -> tuple[Any, ...]:
            return content_key(f, position.get(f.activity.stage or "", len(position)))

        moved = [k for k, (g, f) in enumerate(zip(out, facts, strict=True)) if g is not f]
        if not rescore and len(moved) == 1:
            # one fact changed in a list in content order: put it back in its place (the keys are unique,
            # ids last, so this is the order a full sort gives)
            g = out.pop(moved[0])
            bisect.insort(out, g, key=order)
        elif moved:
            # the keys of the unchanged facts are those of the analysed ones (computed once: ``memo``); the keys
            # are unique, so sorting positions by key gives the order of a full sort
            base = _content_keys(facts, order, memo)
            keys = [base[k] for k in range(len(out))]
            for k in moved:
                keys[k] = order(out[k])
            out = [out[k] for k in sorted(range(len(out)), key=keys.__getitem__)]
    return out


def _content_keys(facts: list[ActivityFacts], order: Callable[[ActivityFacts], tuple[Any, ...]],
                  memo: dict[str, Any] | None) -> list[tuple[Any, ...]]:
    """``[order(f) for f in facts]``, kept in ``memo`` for these very facts."""
    kept = memo.get("keys") if memo is not None else None
    if kept is not None and kept[0] is facts:
        return kept[1]  # type: ignore[no-any-return]
    keys = [order(f) for f in facts]
    if memo is not None:
        memo["keys"] = (facts, keys)
    return keys


def _facts_with(f: ActivityFacts, scores: Scores, quadrant: Quadrant | None = None,
                good: bool | None = None) -> ActivityFacts:
    """``dataclasses.replace(f, scores=…, quadrant=…, good=…)`` (a quadrant or good of None: ``f``'s), without
    its generic machinery (read at 10,000 activities per sensitivity entry)."""
    return ActivityFacts(activity=f.activity, scores=scores, hours=f.hours, fte=f.fte, hourly_cost=f.hourly_cost,
                         quadrant=f.quadrant if quadrant is None else quadrant,
                         good=f.good if good is None else good)


def exact_reruns(n_activities: int, staffing: Staffing | None) -> bool:
    """Whether the re-runs of a chain run the real allocation (:attr:`Rerun.exact`): at most
    :data:`RERUN_EXACT_LIMIT` activities, or whenever the file defines roles (role mobility moves hours only
    where the people can follow, and the fast path's plan is kept for files without roles)."""
    return (staffing is not None and staffing.defined) or n_activities <= RERUN_EXACT_LIMIT


class Rerun:
    """Runs a scenario's figures again under changed inputs, reusing graph, metrics and allocations."""

    def __init__(self, graph: nx.DiGraph, metrics: Mapping[str, CustomerLink], n_activities: int,
                 staffing: Staffing | None = None) -> None:
        self.graph = graph
        self.metrics = metrics
        self.staffing = staffing
        self.exact = exact_reruns(n_activities, staffing)
        self._alloc: dict[object, tuple[float, Any, Any]] = {}
        self._plans: dict[object, PlacementPlan] = {}
        self._facts: dict[int, tuple[list[ActivityFacts], FactArrays]] = {}
        self._good_cache: dict[object, tuple[dict[str, int], dict[str, int]]] = {}

    def figures(self, chain: ValueChain, sc: Scenario, facts: list[ActivityFacts],
                adoption: float | None = None, cost_factor: float = 1.0,
                automatability: tuple[str, float] | None = None) -> Figures:
        """Figures of scenario ``sc`` of ``chain`` with these facts (adoption: its point, unless given).

        ``cost_factor`` k: every hourly cost × k. No hour moves (the allocation's
        costs do not depend on money) and every value line is hours × hourly
        cost, so the gross savings are k × those at k = 1.
        ``automatability`` (id, value): that activity's automatability set to one
        value, as if the file gave ``automatability: value``.
        """
        alpha = as_triangle(sc.adoption)[1] if adoption is None else adoption
        if self.exact:
            if automatability is not None:
                facts = refacts(chain, facts, _set_automatability(*automatability))
            fig = self._exact(chain, sc, facts, alpha)
        else:
            fig = self._fast(chain, sc, facts, alpha, automatability)
        if cost_factor != 1.0:
            fig = dataclasses.replace(fig, gross=fig.gross * cost_factor)
        return fig

    def _exact(self, chain: ValueChain, sc: Scenario, facts: list[ActivityFacts], alpha: float) -> Figures:
        """The formulas of :func:`relmap.analysis._scenario`, in the same order, on arrays (:mod:`.totals`).

        Bit for bit the figures of the scalar functions (:func:`split_freed`, :func:`balance_lines`,
        :func:`ai_cost`); under mobility ``role`` the allocation's totals come from its moves
        (:func:`relmap.analysis.roles.role_totals`), without building its rows.
        """
        policy = chain.policy
        hpf = chain.company.hours_per_fte
        arr = self._fact_arrays(facts)
        freed = freed_array(arr, alpha)
        split = split_arrays(arr, freed, sc, policy, scenario_shares(sc))
        key = _alloc_key(arr, split.supply, policy, hpf)
        if key not in self._alloc:
            self._alloc[key] = self._allocate(facts, arr, split.supply, policy, hpf)
        allocated, sent, values = self._alloc[key]
        balance = balance_arrays(arr, split, sent, values)
        line = {name: (h, v) for name, h, v in balance}
        users = users_of(arr, freed)
        cost = cost_for_users(sc, users)
        net = net_savings(balance, cost, policy)
        return Figures(hours_freed=math.fsum(freed.tolist()), hours_reinvested=allocated,
                       fte_no_longer_needed=no_longer_needed(line) / hpf, gross=net + cost, users=users,
                       ai_cost=cost)

    def remember(self, chain: ValueChain, facts: list[ActivityFacts], supply: dict[str, float], allocated: float,
                 sent: dict[str, float], values: dict[str, float] | None) -> None:
        """Keep an allocation the analysis already solved (a scenario at its point adoption), so that a re-run
        with the very same supplies (the trajectory's last year, a sensitivity value equal to the base) reuses it.

        ``supply``, ``sent`` and ``values``: the scenario's supplies, hours placed and their value
        (:func:`relmap.analysis.roles.sent_value`, None without roles) by activity id.
        """
        if not self.exact:
            return
        arr = self._fact_arrays(facts)
        supply_a = np.array([supply[i] for i in arr.ids], dtype=np.float64)
        key = _alloc_key(arr, supply_a, chain.policy, chain.company.hours_per_fte)
        self._alloc[key] = (allocated, np.array([sent.get(i, 0.0) for i in arr.ids], dtype=np.float64),
                            None if values is None else np.array([values.get(i, 0.0) for i in arr.ids],
                                                                 dtype=np.float64))

    def _fact_arrays(self, facts: list[ActivityFacts]) -> FactArrays:
        """:func:`relmap.analysis.totals.fact_arrays` of ``facts``, kept while ``facts`` is (those of the first
        facts seen, the analysed ones, lend their rows)."""
        cached = self._facts.get(id(facts))
        if cached is None or cached[0] is not facts:
            # the first facts seen are the analysed ones: those of a changed input share most of their rows
            like = next(iter(self._facts.values()), None)
            cached = self._facts[id(facts)] = (facts, fact_arrays(facts, like))
        return cached[1]

    def _allocate(self, facts: list[ActivityFacts], arr: FactArrays, supply: Any, policy: Policy,
                  hpf: float) -> tuple[float, Any, Any]:
        """``(hours placed, hours sent per activity, value sent per activity or None)`` of the allocation."""
        staffing = self.staffing
        roles = staffing is not None and staffing.defined
        if roles and policy.resolved_mobility(True) == "role":
            assert staffing is not None
            cap_c, gcost = self._goods(facts, arr, policy)
            centi = centi_array(supply)
            supply_c = {arr.ids[k]: int(centi[k]) for k in np.flatnonzero(centi > 0).tolist()}
            if not supply_c or not any(cap_c.values()):
                zero = np.zeros(len(arr.ids), dtype=np.float64)
                return 0.0, zero, zero
            total, sent, values = role_totals(facts, supply_c, staffing, cap_c, gcost, policy, hpf, arr.ids)
            return total / 100, sent, values
        supplies = dict(zip(arr.ids, supply.tolist(), strict=True))
        alloc = allocate_reinvestment(facts, supplies, self.graph, self.metrics, policy, hpf, staffing)
        sent = np.array([alloc.sent.get(i, 0.0) for i in arr.ids], dtype=np.float64)
        if not roles:
            return alloc.allocated, sent, None
        assert staffing is not None
        by_value = sent_value(staffing, sent_by_role(staffing, alloc.sent, alloc.allocation))
        return alloc.allocated, sent, np.array([by_value.get(i, 0.0) for i in arr.ids], dtype=np.float64)

    def _goods(self, facts: list[ActivityFacts], arr: FactArrays,
               policy: Policy) -> tuple[dict[str, int], dict[str, int]]:
        """Capacities ``round(100 × max_increase × h)`` and costs (:func:`good_cost`) of the goods, by id."""
        key = (arr.ids, arr.good.tobytes(), arr.r.tobytes(), arr.hours.tobytes(), policy.max_increase)
        cached = self._good_cache.get(key)
        if cached is None:
            cached = self._good_cache[key] = (
                {f.id: round(100 * policy.max_increase * f.hours) for f in facts if f.good},
                {f.id: good_cost(f, self.metrics[f.id]) for f in facts if f.good})
        return cached

    def _fast(self, chain: ValueChain, sc: Scenario, facts: list[ActivityFacts], alpha: float,
              automatability: tuple[str, float] | None = None) -> Figures:
        """Vectorised figures; the total placed from the allocation's plan (see the module docstring)."""
        policy = chain.policy
        hpf = chain.company.hours_per_fte
        arr = self._fact_arrays(facts)
        work, a, cost_h, fte, any_good = arr.work, arr.a, arr.cost, arr.fte, bool(arr.good.any())
        key = (arr.ids, arr.good.tobytes(), policy.model_dump_json())  # same order and goods, same policy: same plan
        plan = self._plans.get(key)
        if plan is None:
            # a plan of these very facts whose policy differs only in max_increase lends its network
            like = next((p for p in self._plans.values() if p.differs_in_capacity_only(facts, policy)), None)
            plan = self._plans[key] = PlacementPlan(facts, policy, self.graph, like=like, staffing=self.staffing)
        if automatability is not None:
            a = a.copy()
            a[arr.ids.index(automatability[0])] = automatability[1]
        freed = work * a * alpha
        rest = np.where(plan.kept, 0.0, freed)
        supply = sc.reinvest * rest
        placed = float(plan.placed(plan.group_supplies(supply[:, None]))[0])
        rest_h, rest_v = float(rest.sum()), dot(rest, cost_h)
        shares = scenario_shares(sc)
        save = shares["savings"] + (0.0 if any_good else sc.recognition)
        gross = save * rest_v
        if policy.unplaced == "savings":
            mean_cost = rest_v / rest_h if rest_h > 0 else 0.0
            gross += sc.reinvest * rest_v - placed * mean_cost
        users = dot(fte, freed > 0)
        cost = cost_for_users(sc, users)
        no_longer = (1.0 - sc.training - sc.community) * rest_h - placed
        return Figures(hours_freed=float(freed.sum()), hours_reinvested=placed, fte_no_longer_needed=no_longer / hpf,
                       gross=gross, users=users, ai_cost=cost)


def _alloc_key(arr: FactArrays, supply: Any, policy: Policy, hpf: float) -> tuple[object, ...]:
    """What an allocation depends on: the activities, which are goods, their r and hours, the supplies, the
    policy and the hours per FTE (its result for this key is solved once)."""
    return (arr.ids, arr.good.tobytes(), arr.r.tobytes(), arr.hours.tobytes(), supply.tobytes(),
            policy.model_dump_json(), hpf)


def _set_automatability(target: str, value: float) -> Callable[[ActivityFacts], ActivityFacts]:
    """A fact change: activity ``target``'s automatability becomes ``value`` (source 'value')."""
    def change(g: ActivityFacts) -> ActivityFacts:
        if g.id != target:
            return g
        return dataclasses.replace(g, scores=dataclasses.replace(
            g.scores, automatability=(value, value, value), automatability_source="value", automatability_ref=None,
            exposure=None, time_saving=None))

    return change
