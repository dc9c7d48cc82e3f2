"""Seeded, vectorised Monte Carlo over every uncertain input.

**Draws.** Each uncertain input is drawn from its triangular distribution
``(low, mode, high)`` by inverse transform (:func:`triangular`) of a uniform
``U``; certain inputs stay at their value. Activities are taken in content
order (:func:`relmap.analysis.facts.content_key`), so the draws depend neither
on the order of the file nor on the ids.

* **Automatability is correlated across activities** by a one-factor Gaussian
  copula: for draw d, a common factor ``Z_d`` and an idiosyncratic ``ε_id``
  (both standard normal), ``U_id = Φ(√ρ' Z_d + √(1 − ρ') ε_id)``, where
  ``ρ' = 2 sin(π ρ_s / 6)`` is the Pearson correlation of the normals that
  gives the requested rank (Spearman) correlation ``ρ_s =
  assumptions.correlation``. ``ρ_s = 0``: independent draws; ``ρ_s = 1``:
  every activity at the same quantile.
* For an activity whose automatability comes from an **occupation**, the copula
  draws its exposure ``E`` and ``a = E × T_d``, where the time saved on an
  exposed task ``T_d`` (``assumptions.exposure_time_saving``) is drawn **once
  per draw**, shared by all. A task-derived automatability is drawn as one
  triangle whose bounds are the share-weighted sums of the tasks' bounds.
* A scenario's **adoption** ``α_s,d`` is drawn once per draw, shared by all.
* Relational indexes are drawn independently (they feed the classification
  confidence only: the relational goods, hence the allocation network, are those
  of the point estimate).

Activity inputs are drawn in single precision (float32); sums and percentiles
are taken in double precision. Draws are processed in chunks of :data:`CHUNK`,
always in the same sequence, so a seed gives the same numbers every run.

Per draw d and scenario s (keep_human activities free nothing):

* ``hours_freed = α Σ_i h_i a_i``, ``value_freed = α Σ_i h_i c_i a_i``;
* **hours_reinvested** is what the allocation places given the draw's
  supplies ``ρ_s × (freed_i − kept_i)`` (:class:`PlacementPlan`): the allocation
  places the maximum flow of its network, so the total placed is
  ``min(pool, capacity)`` under mobility ``any``, ``Σ_stage min(pool_stage,
  capacity_stage)`` (+ each stageless good's own hours) under ``stage`` with no
  transfer, and otherwise (``adjacent``, transfers, ``role``) the maximum flow
  of the same network, built once and solved with only the supplies changed
  (part by part, :class:`_Parts`), in :data:`SOLVED_DRAWS` draws evenly spaced
  among the draws. Above :data:`EXACT_LIMIT` activities and
  :data:`GROUP_LIMIT` supplier groups, above :data:`EXACT_LIMIT` activities
  when the point allocation fills a role network greedily, or when that greedy
  allocation placed less than the network's maximum flow at the point
  estimate, the approximation ``min(p × pool, capacity)``, ``p`` the share the
  point estimate placed;
* ``fte_no_longer_needed = ((1 − θ − κ)(freed − kept) − reinvested) / hpf``;
* ``net_savings = σ V_rest + ρ V_rest − V_reinvested − ai_cost`` under
  ``policy.unplaced: savings`` (``σ V_rest − ai_cost`` under ``keep``), with
  ``V_rest`` the value of the hours freed outside the kept ones and
  ``V_reinvested`` the hours reinvested valued at the draw's mean hourly cost
  of the reinvest pool; ``ai_cost = yearly + per_user_year × users_d``.

Classification confidence of an activity = share of draws whose quadrant
(from its drawn a and r) equals the quadrant of its point estimate.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx
import numpy as np
import numpy.typing as npt

from ..input.model import Policy, Scenario, as_triangle, is_uncertain
from .classify import TOLERANCE
from .economics import cost_for_users
from .facts import ActivityFacts
from .result import Percentiles
from .roles import EXACT_NODES, Staffing, own_roles, reachable_roles
from .sums import dot, product

__all__ = ["CHUNK", "ENUMERATED", "EXACT_LIMIT", "GROUP_LIMIT", "SOLVED_DRAWS", "Drawn", "FloatArray",
           "MonteCarloResult", "PlacementPlan", "count_uncertain", "draw_monte_carlo", "normal_cdf", "pearson_for_rank",
           "run_monte_carlo", "summarise_monte_carlo", "triangular"]

CHUNK = 250
#: draws solved with the maximum flow when no closed form gives the total placed
SOLVED_DRAWS = 400
#: above this many activities, the general case uses the approximation (see the module docstring)
EXACT_LIMIT = 2000
#: above EXACT_LIMIT activities, networks of at most this many supplier groups are still solved in the draws
GROUP_LIMIT = 1000
#: parts of the network with at most this many suppliers are solved by enumerating their cuts (:class:`_Parts`)
ENUMERATED = 10
FloatArray = npt.NDArray[np.floating[Any]]
ReinvestedMethod = Literal["closed_form", "max_flow", "approximation"]


@dataclass
class MonteCarloResult:
    """Classification confidence by activity (uncertain ones only) and percentiles by scenario."""

    confidence: dict[str, float]
    percentiles: dict[str, dict[str, Percentiles]]
    uncertain_inputs: int
    reinvested: ReinvestedMethod = "closed_form"
    solved_draws: int = 0
    #: why the approximation, None when the reinvested hours are solved: "greedy", above EXACT_LIMIT activities
    #: the role allocation fills its network greedily; "size", above EXACT_LIMIT activities and GROUP_LIMIT
    #: supplier groups; "below_maximum", the greedy role allocation placed less than its network's maximum flow
    #: at the point estimate
    approximated: Literal["greedy", "size", "below_maximum"] | None = None
    #: the draws solve the maximum flow of a role network the allocation fills greedily (it placed that maximum
    #: at the point estimate)
    greedy_maximal: bool = False


def pearson_for_rank(rank: float) -> float:
    """Pearson correlation of two normals whose rank (Spearman) correlation is ``rank``: ``2 sin(π ρ_s / 6)``.

    Example: 0.5 → 2 sin(π/12) = 0.5176; 0 → 0; 1 → 1.
    """
    return min(1.0, max(0.0, 2.0 * math.sin(math.pi * rank / 6.0)))


def normal_cdf(x: FloatArray) -> FloatArray:
    """Standard normal CDF Φ, vectorised (Abramowitz & Stegun 26.2.17, absolute error < 7.5e-8).

    ``Φ(x) = 1 − φ(x)(b₁t + b₂t² + b₃t³ + b₄t⁴ + b₅t⁵)``, ``t = 1 / (1 + 0.2316419 x)`` for x ≥ 0,
    and ``Φ(−x) = 1 − Φ(x)``. Why not scipy: it is not a dependency, and this is exact to
    float32 precision. Example: Φ(0) = 0.5, Φ(1.2816) = 0.9.
    """
    # in place, three arrays in all: at 10,000 activities × 250 draws each temporary is 10 MB
    ax = np.abs(x)
    t = ax * 0.2316419
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * 1.330274429
    for coef in (-1.821255978, 1.781477937, -0.356563782, 0.319381530):
        poly += coef
        poly *= t
    np.multiply(ax, ax, out=ax)
    ax *= -0.5
    np.exp(ax, out=ax)
    ax *= poly
    ax *= 1.0 / math.sqrt(2.0 * math.pi)  # ax is now the tail 1 − Φ(|x|)
    out: FloatArray = np.subtract(1.0, ax, out=ax, where=x >= 0)
    return out


def triangular(u: FloatArray, low: FloatArray, mode: FloatArray, high: FloatArray) -> FloatArray:
    """Inverse CDF of the triangular distribution, broadcast over arrays.

    With ``F = (c − a) / (b − a)``: ``x = a + √(u (b − a)(c − a))`` when
    ``u < F``, else ``x = b − √((1 − u)(b − a)(b − c))`` (a = low, c = mode,
    b = high). A zero-width triangle returns its value.
    """
    width = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        cut = np.where(width > 0, (mode - low) / np.where(width > 0, width, 1.0), 0.0)
    on_left = u < cut
    # one square root for both branches, in place: √(u·(c − a)·w) on the left, √((1 − u)·(b − c)·w) on the right
    square = np.subtract(1.0, u)
    square *= (high - mode) * width
    np.multiply(u, (mode - low) * width, out=square, where=on_left)
    root = np.sqrt(square, out=square)
    out: FloatArray = np.where(on_left, low + root, np.subtract(high, root, out=root))
    return out


def _copula_base(f: ActivityFacts, use_t: bool) -> tuple[float, float, float]:
    """The triangle the copula draws for an activity: its exposure E (occupation source, when T is drawn), else a."""
    if use_t and f.scores.automatability_source == "occupation" and f.scores.exposure is not None:
        return f.scores.exposure
    return f.a


def count_uncertain(facts: list[ActivityFacts], scenarios: list[Scenario]) -> int:
    """How many inputs have a spread: automatabilities, relational indexes and adoptions."""
    n = sum(1 for f in facts if f.a[2] > f.a[0]) + sum(1 for f in facts if f.r[2] > f.r[0])
    return n + sum(1 for s in scenarios if is_uncertain(s.adoption))


class PlacementPlan:
    """The allocation network of :mod:`relmap.analysis.reinvest`, reduced to what its total placed needs.

    Built once per analysis (the relational goods and the moves allowed are
    those of the point estimate); :meth:`placed` then gives the hours placed
    for any supplies, only the supplies changing. The allocation places the
    maximum flow of its network (``max_flow_min_cost``), so:

    * mobility ``any``: every supplier reaches every good → ``min(pool, capacity)``;
    * ``stage`` with no usable transfer: each stage is its own component (its
      suppliers reach every good of the stage; a stageless good only its own
      hours) → ``Σ_group min(pool_group, capacity_group)``;
    * otherwise (``adjacent``, or transfers): the maximum flow of the network
      source → supplier groups → goods → sink, built once (networkx), solved
      with the draw's supplies;
    * ``role`` (:mod:`relmap.analysis.roles`): the same, on the role network.
      Activity *x*'s supply is split over its roles by their shares ``s_xr``;
      the part of role *r* joins the group of *r* (the pair (x, r) is a group of
      its own when *x* is a good with room or has a transfer to one: those arcs
      are its own). A group reaches the hub of each role *r* may move to
      (:func:`relmap.analysis.roles.reachable_roles`: itself, its family, its
      ``can_move_to``), and a role's hub every good that role staffs. The
      point allocation places the maximum flow of that network when it is solved
      exactly. When it is filled greedily (above
      :data:`relmap.analysis.roles.EXACT_NODES` nodes) the plan is ``greedy``:
      the Monte Carlo solves its maximum flow when the allocation placed that
      maximum at the point estimate (:meth:`places_maximum`), else, and above
      :data:`EXACT_LIMIT` activities, uses the approximation (as it does above
      :data:`EXACT_LIMIT` activities and :data:`GROUP_LIMIT` groups).

    Capacities are those of the allocation, ``round(100 × max_increase × h) / 100``.

    ``adjacent`` on a dense graph (more supplier → good pairs within reach than
    :func:`relmap.analysis.reach.pair_budget` allows: nearly everyone reaches
    everyone) is taken as ``any`` (``dense`` is then True): an upper bound on the
    hours placed, where listing the pairs would be quadratic.

    Attributes:
        entry_act, entry_group, entry_share: the supplies' entries: activity ``entry_act[e]`` sends the share
            ``entry_share[e]`` of its supply to group ``entry_group[e]``, in activity order: one entry of share 1
            per activity with an allowed move (none for one whose hours are kept or have nowhere to go), but
            under mobility ``role``, one per role of the activity (its staffing share).
        supplies_kept: per activity, whether its freed hours are kept (relational dividend) instead of offered.
        closed: True when the total has a closed form.
    """

    def __init__(self, facts: list[ActivityFacts], policy: Policy, graph: nx.DiGraph,
                 like: PlacementPlan | None = None, staffing: Staffing | None = None) -> None:
        self.given = policy
        if like is not None and not like.differs_in_capacity_only(facts, policy):
            like = None
        if policy.mobility is None:  # as applied: `role` when the file defines roles, else `any`
            policy = policy.model_copy(update={"mobility": policy.resolved_mobility(
                staffing is not None and staffing.defined)})
        self.dense: bool = like.dense if like is not None else (
            policy.mobility == "adjacent" and _dense_reach(facts, policy, graph))
        if self.dense:
            policy = policy.model_copy(update={"mobility": "any"})
        self.policy = policy
        goods = [k for k, f in enumerate(facts) if f.good]
        self.cap_centi = {k: round(100 * policy.max_increase * facts[k].hours) for k in goods}
        if like is not None and _positive(like.cap_centi) != _positive(self.cap_centi):
            like = None  # a good gains or loses its arc to the sink: another network
        #: a plan of the same facts and policy but ``max_increase`` whose network this one reuses (capacities
        #: set again): the sensitivity's max_increase × 0.5 and × 1.5
        self._like = like
        self.capacity = sum(self.cap_centi.values()) / 100
        self.kept = np.array([f.good and policy.relational_dividend == "all" for f in facts], dtype=bool)
        ids = {f.id: k for k, f in enumerate(facts)}
        transfers = [(ids[t.from_], ids[t.to]) for t in policy.transfers
                     if t.from_ in ids and t.to in ids and facts[ids[t.to]].good and t.from_ != t.to]
        transfers = [(a, b) for a, b in transfers if not self.kept[a]]
        #: mobility 'role': groups by role (see the class docstring)
        self.role = policy.mobility == "role"
        self.staffing = (staffing if staffing is not None else own_roles(facts)) if self.role else None
        self.closed = policy.mobility == "any" or (policy.mobility == "stage" and not transfers)
        names: dict[object, int] = {}

        def gid(key: object) -> int:
            return names.setdefault(key, len(names))

        transferring = {a for a, _b in transfers}
        entries: list[tuple[int, int, float]] = []
        if self.staffing is not None:
            own_arcs = {k for k, c in self.cap_centi.items() if c > 0} | {a for a, b in transfers
                                                                           if self.cap_centi.get(b, 0) > 0}
            for k, f in enumerate(facts):
                if not self.kept[k]:
                    for r, s in self.staffing.shares[f.id]:
                        if s > 0:
                            entries.append((k, gid(("pair", k, r) if k in own_arcs else ("role", r)), s))
        else:
            for k, f in enumerate(facts):
                stage = f.activity.stage
                if self.kept[k]:
                    continue
                if policy.mobility == "any":
                    key: object = "all"
                elif policy.mobility == "stage" and k not in transferring and stage is not None:
                    key = ("stage", stage)
                elif policy.mobility == "stage" and k not in transferring and not f.good:
                    continue  # no stage, no transfer, not a good: nowhere to go
                else:
                    key = ("sup", k)
                entries.append((k, gid(key), 1.0))
        self.groups = len(names)
        self.entry_act = np.array([e[0] for e in entries], dtype=np.int64)
        self.entry_group = np.array([e[1] for e in entries], dtype=np.int64)
        self.entry_share = np.array([e[2] for e in entries], dtype=np.float64)
        #: whether the point allocation fills this role network greedily (an upper bound of its nodes, ``pairs + 2
        #: × roles + families + goods``, as the allocation counts them, above
        #: :data:`relmap.analysis.roles.EXACT_NODES`; the pairs those that can supply): its maximum flow is then what
        #: it places only where :meth:`places_maximum` says so. Whether the Monte Carlo may solve this network in
        #: its draws: at most :data:`EXACT_LIMIT` activities, or :data:`GROUP_LIMIT` supplier groups and not greedy
        self.greedy = False
        if self.staffing is not None:
            working = {k for k, f in enumerate(facts) if f.hours > 0 and not f.activity.keep_human}
            pairs = sum(1 for e in entries if e[0] in working)
            families = len({r.family for r in self.staffing.roles if r.family is not None})
            self.greedy = (pairs + 2 * len(self.staffing.roles) + families
                           + sum(1 for c in self.cap_centi.values() if c > 0)) > EXACT_NODES
        self.solvable = len(facts) <= EXACT_LIMIT or (not self.greedy and self.groups <= GROUP_LIMIT)
        # capacity each group reaches on its own (closed forms)
        self.group_cap = np.zeros(self.groups, dtype=np.float64)
        if policy.mobility == "any":
            if self.groups:
                self.group_cap[0] = self.capacity
        elif self.closed:
            for k, c in self.cap_centi.items():
                stage = facts[k].activity.stage
                key = ("stage", stage) if stage is not None else ("sup", k)
                if key in names:
                    self.group_cap[names[key]] += c / 100
        self.net: nx.DiGraph | None = None
        self.merged = np.arange(self.groups, dtype=np.int64)
        self.solver: _Parts | None = None
        #: the goods (indexes) whose capacities each arc into the sink of :attr:`net` sums
        self.sinks: dict[object, list[int]] = {}
        self._build = (facts, names, transfers, graph)

    def places_maximum(self, point: dict[str, tuple[FloatArray, float]]) -> bool:
        """Whether the allocation placed this network's maximum flow at the point estimate of every scenario
        (``point``: scenario id → supply by activity, hours placed): equal within the allocation's rounding,
        0.01 h per supply entry (it splits each activity's supply over its roles in centi-hours)."""
        tolerance = 0.01 * (len(self.entry_act) + 1)
        for supply, placed in point.values():
            best = float(self.placed(self.group_supplies(np.asarray(supply, dtype=np.float64)[:, None]))[0])
            if abs(best - placed) > tolerance:
                return False
        return True

    def prepare(self) -> None:
        """Build the network :meth:`placed` solves now, if it solves one (not for a closed form or the
        approximation)."""
        if not self.closed and self.solvable and self.groups:
            self._solver()

    def differs_in_capacity_only(self, facts: list[ActivityFacts], policy: Policy) -> bool:
        """Whether a plan of ``facts`` (this very list) under ``policy`` has this plan's groups and arcs: the
        policy is the one this plan was given but for ``max_increase`` (only the capacities differ)."""
        return (facts is self._build[0]
                and policy.model_dump(exclude={"max_increase"}) == self.given.model_dump(exclude={"max_increase"}))

    def _solver(self) -> _Parts:
        """The network and its solver, built on first use (the approximation never needs them).

        With :attr:`_like`, its compact network with this plan's capacities: the same maximum flow as a new
        build (the arcs and merges do not depend on capacities, only the set of goods with room does).
        """
        if self.solver is None:
            like = self._like
            if like is not None:
                like._solver()
                assert like.net is not None
                self.net, self.merged, self.sinks = like.net.copy(), like.merged, like.sinks
                for node, goods in self.sinks.items():
                    self.net.edges[node, "sink"]["capacity"] = sum(self.cap_centi[k] for k in goods)
            else:
                facts, names, transfers, graph = self._build
                net, members = self._network(facts, names, transfers, graph)
                self.net, self.merged, self.sinks = _compact(net, self.groups, members)
            self.solver = _Parts(self.net, int(self.merged.max()) + 1 if self.merged.size else 0)
        return self.solver

    def _network(self, facts: list[ActivityFacts], names: dict[object, int], transfers: list[tuple[int, int]],
                 graph: nx.DiGraph) -> tuple[nx.DiGraph, dict[object, list[int]]]:
        """source → groups → (hubs) → goods → sink: the moves :func:`.reinvest.allocate_reinvestment` allows;
        with the goods (indexes) behind each good node (one, or a stage's rest)."""
        from .reach import activity_adjacency, neighbourhoods

        net: nx.DiGraph = nx.DiGraph()
        for k, c in sorted(self.cap_centi.items()):
            if c > 0:
                net.add_edge(("good", k), "sink", capacity=c)
        good_nodes = {k for k, c in self.cap_centi.items() if c > 0}
        members: dict[object, list[int]] = {("good", k): [k] for k in sorted(good_nodes)}
        if self.staffing is not None:
            self._role_network(net, facts, names, transfers, good_nodes)
            return net, members
        rest_members: dict[str, list[int]] = {}
        node_of = {g: key for key, g in names.items()}
        for g in range(self.groups):
            net.add_node(("g", g))
        for (a, b) in transfers:
            if b in good_nodes:
                net.add_edge(("g", names[("sup", a)]), ("good", b))
        for key, g in names.items():
            if isinstance(key, tuple) and key[0] == "sup" and key[1] in good_nodes:
                net.add_edge(("g", g), ("good", key[1]))
        if self.policy.mobility == "stage":
            # goods no arc but their hub's reaches are one node per stage (same maximum flow, far fewer arcs)
            special = {b for _a, b in transfers} | {k[1] for k in names if isinstance(k, tuple) and k[0] == "sup"}
            rest: dict[str, int] = {}
            for k in sorted(good_nodes):
                stage = facts[k].activity.stage
                if stage is None:
                    continue
                if k in special:
                    net.add_edge(("hub", stage), ("good", k))
                else:
                    net.remove_edge(("good", k), "sink")
                    net.remove_node(("good", k))
                    del members[("good", k)]
                    rest[stage] = rest.get(stage, 0) + self.cap_centi[k]
                    rest_members.setdefault(stage, []).append(k)
            for stage, cap in rest.items():
                net.add_edge(("hub", stage), ("good", ("rest", stage)))
                net.add_edge(("good", ("rest", stage)), "sink", capacity=cap)
                members[("good", ("rest", stage))] = rest_members[stage]
            for g in range(self.groups):
                key = node_of[g]
                owner = key[1] if isinstance(key, tuple) and key[0] == "sup" else None
                stage = key[1] if isinstance(key, tuple) and key[0] == "stage" else (
                    facts[owner].activity.stage if isinstance(owner, int) else None)
                if stage is not None and net.has_node(("hub", stage)):
                    net.add_edge(("g", g), ("hub", stage))
        else:  # adjacent
            by_id = {f.id: k for k, f in enumerate(facts)}
            sources = [facts[key[1]].id for key in names if isinstance(key, tuple) and key[0] == "sup"]
            reach = neighbourhoods(activity_adjacency(graph), sources, {facts[k].id for k in good_nodes},
                                   self.policy.max_distance) or {}
            for src, goods in reach.items():
                for good in sorted(goods):
                    net.add_edge(("g", names[("sup", by_id[src])]), ("good", by_id[good]))
        return net, members

    def _role_network(self, net: nx.DiGraph, facts: list[ActivityFacts], names: dict[object, int],
                      transfers: list[tuple[int, int]], good_nodes: set[int]) -> None:
        """Mobility ``role``'s arcs (class docstring): groups → role hubs → goods, and the pairs' own arcs."""
        staffing = self.staffing
        assert staffing is not None
        hubs: set[str] = set()
        for k in sorted(good_nodes):
            for r, s in staffing.shares[facts[k].id]:
                if s > 0:
                    net.add_edge(("hub", r), ("good", k))
                    hubs.add(r)
        reach = reachable_roles(staffing)
        out_of: dict[int, list[int]] = {}
        for a, b in transfers:
            if b in good_nodes:
                out_of.setdefault(a, []).append(b)
        for g in range(self.groups):
            net.add_node(("g", g))
        for key, g in names.items():
            assert isinstance(key, tuple)
            role = key[-1]
            for target in reach[role]:
                if target in hubs:
                    net.add_edge(("g", g), ("hub", target))
            if key[0] == "pair":
                k = key[1]
                for to in ([k] if k in good_nodes else []) + out_of.get(k, []):
                    net.add_edge(("g", g), ("good", to))

    def group_supplies(self, supply: FloatArray) -> FloatArray:
        """Supplies by group (``groups`` rows) for supplies by activity (content order, rows; columns: draws):
        ``S_g = Σ_{e: group(e) = g} share(e) × supply(act(e))``, the entries added in activity order."""
        out = np.zeros((self.groups, *supply.shape[1:]), dtype=np.float64)
        share = self.entry_share.reshape(-1, *([1] * (supply.ndim - 1)))
        np.add.at(out, self.entry_group, supply[self.entry_act] * share)
        return out

    def placed(self, supplies: FloatArray) -> FloatArray:
        """Hours placed for supplies by group (``groups × draws``, hours): one total per draw."""
        if self.groups == 0:
            return np.zeros(supplies.shape[1], dtype=np.float64)
        if self.closed:
            out: FloatArray = np.minimum(supplies, self.group_cap[:, None]).sum(axis=0)
            return out
        solver = self._solver()
        width = int(self.merged.max()) + 1 if self.merged.size else 0
        merged = np.zeros((width, supplies.shape[1]), dtype=np.float64)
        np.add.at(merged, self.merged, supplies)
        centi = np.rint(merged * 100).astype(np.int64)
        out = solver.max_flows(centi) / 100
        return out


class _Parts:
    """The maximum flow of a compact network (:func:`_compact`), one weakly connected part at a time.

    The network is source → suppliers → (hubs) → goods → sink, only the arcs
    from the source and into the sink capacitated. Its maximum flow is the
    sum of its parts' (no arc joins two parts). A part of ``k`` suppliers,
    ``k`` ≤ :data:`ENUMERATED`, is solved for every draw at once by the
    max-flow min-cut theorem: a finite cut puts a set ``Y`` of suppliers on
    the source side, and with them every good they reach, ``N(Y)`` (the arcs
    between are uncapacitated), so

        ``F(s) = min_Y (Σ_{m ∉ Y} s_m + cap(N(Y))) = Σ_m s_m − max_Y (Σ_{m ∈ Y} s_m − cap(N(Y)))``,

    over the ``2^k`` sets ``Y`` (``Y = ∅`` gives ``Σ s``; all suppliers, ``cap(N)``), in integers: exact.
    A larger part is solved draw by draw with :class:`_MaxFlow`.
    """

    def __init__(self, net: nx.DiGraph, width: int) -> None:
        self.width = width
        inner = net.subgraph(n for n in net if n not in ("source", "sink"))
        #: per enumerated part: its suppliers (indexes), the sets' membership (2^k × k) and cap(N(Y)) per set
        self.enumerated: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
        #: per larger part: its suppliers and its own solver (suppliers renumbered 0..k-1)
        self.solved: list[tuple[npt.NDArray[np.int64], _MaxFlow]] = []
        parts = sorted((sorted(part, key=str) for part in nx.weakly_connected_components(inner)),
                       key=lambda p: str(p[0]))
        for part in parts:
            suppliers: list[tuple[str, int]] = [n for n in part if isinstance(n, tuple) and n[0] == "m"]
            if not suppliers:
                continue
            if len(suppliers) <= ENUMERATED:
                self.enumerated.append(self._enumerate(net, suppliers))
            else:
                sub: nx.DiGraph = nx.DiGraph()
                local = {v: ("m", j) for j, v in enumerate(suppliers)}
                for v in suppliers:
                    sub.add_edge("source", local[v], capacity=0)  # set per solve
                nodes = set(part)
                for u, v, cap in net.edges(data="capacity"):
                    if u in nodes:
                        sub.add_edge(local.get(u, u), local.get(v, v), **({} if cap is None else {"capacity": cap}))
                self.solved.append((np.array([v[1] for v in suppliers], dtype=np.int64), _MaxFlow(sub, len(suppliers))))

    @staticmethod
    def _enumerate(net: nx.DiGraph, suppliers: list[tuple[str, int]],
                   ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """A part's suppliers, the membership of its 2^k sets, and cap(N(Y)) per set (see the class docstring)."""
        goods: dict[object, int] = {}
        reach: list[int] = []  # per supplier: the goods it reaches, as a bit mask
        for v in suppliers:
            mask = 0
            for node in nx.descendants(net, v):
                if net.has_edge(node, "sink"):
                    mask |= 1 << goods.setdefault(node, len(goods))
            reach.append(mask)
        caps = [0] * len(goods)
        for node, j in goods.items():
            caps[j] = int(net.edges[node, "sink"]["capacity"])
        k = len(suppliers)
        member = ((np.arange(1 << k, dtype=np.int64)[:, None] >> np.arange(k, dtype=np.int64)) & 1)
        masks = [0] * (1 << k)
        cut = np.zeros(1 << k, dtype=np.int64)
        for y in range(1, 1 << k):
            low = y & -y
            masks[y] = mask = masks[y ^ low] | reach[low.bit_length() - 1]
            cut[y] = sum(c for g, c in enumerate(caps) if mask >> g & 1)
        return np.array([v[1] for v in suppliers], dtype=np.int64), member, cut

    def max_flows(self, centi: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Maximum flow per column of ``centi`` (suppliers × draws, integer supplies)."""
        total = np.zeros(centi.shape[1], dtype=np.int64)
        for ids, member, cut in self.enumerated:
            s = centi[ids]
            total += s.sum(axis=0) - (member @ s - cut[:, None]).max(axis=0)
        for ids, solver in self.solved:
            s = centi[ids]
            for d in range(s.shape[1]):
                if s[:, d].any():
                    total[d] += solver.max_flow([int(c) for c in s[:, d]])
        return total


class _MaxFlow:
    """A small integer max-flow (shortest augmenting paths, Edmonds–Karp) on a network built once.

    Only the capacities of the arcs ``source → supplier m`` change between
    solves. Why not networkx: on the compact networks of :func:`_compact` (tens
    of nodes) its per-call overhead is a hundred times the work.
    """

    def __init__(self, net: nx.DiGraph, width: int) -> None:
        # nodes and arcs in the network's own (insertion) order: any order gives the same maximum flow
        order = ["source", *(n for n in net if n not in ("source", "sink")), "sink"]
        index = {n: k for k, n in enumerate(order)}
        self.adj: list[list[int]] = [[] for _ in order]
        self.to: list[int] = []
        self.base: list[int] = []
        self.source_arc = [0] * width
        for u, v, cap in net.edges(data="capacity"):
            for a, b, c in ((index[u], index[v], -1 if cap is None else int(cap)), (index[v], index[u], 0)):
                self.adj[a].append(len(self.to))
                self.to.append(b)
                self.base.append(c)
            if u == "source":
                self.source_arc[v[1]] = len(self.to) - 2
        self.sink = index["sink"]
        #: per node, its arcs (not the residual twins), and its arc into the sink (-1: none)
        self.forward = [[e for e in arcs if not e & 1] for arcs in self.adj]
        self.to_sink = [next((e for e in arcs if self.to[e] == self.sink), -1) for arcs in self.forward]

    def _greedy(self, cap: list[int]) -> int:
        """Push along the short paths source → supplier → good → sink, then source → supplier → hub → good → sink;
        returns the flow pushed.

        Any flow is a valid start for augmenting paths (the residual arcs let
        them undo it), so the result stays the maximum; this only saves
        most of the augmentations.
        """
        to, forward, to_sink = self.to, self.forward, self.to_sink
        total = 0

        def push(path: tuple[int, ...], amount: int) -> None:
            for x in path:
                cap[x] -= amount
                cap[x ^ 1] += amount

        for e0 in forward[0]:
            left = cap[e0]
            for e1 in forward[to[e0]]:
                if left <= 0:
                    break
                v = to[e1]
                s1 = to_sink[v]
                if s1 >= 0:  # a good
                    amount = min(left, cap[e1], cap[s1])
                    if amount > 0:
                        push((e0, e1, s1), amount)
                        left -= amount
                        total += amount
                    continue
                for e2 in forward[v]:  # a hub
                    s2 = to_sink[to[e2]]
                    amount = min(left, cap[e1], cap[e2], cap[s2]) if s2 >= 0 else 0
                    if amount > 0:
                        push((e0, e1, e2, s2), amount)
                        left -= amount
                        total += amount
                    if left <= 0:
                        break
        return total

    def max_flow(self, supplies: list[int]) -> int:
        """Maximum flow from the source (supplier m offering ``supplies[m]``) to the sink."""
        big = sum(supplies) + 1
        cap = [big if c < 0 else c for c in self.base]
        for m, arc in enumerate(self.source_arc):
            cap[arc] = supplies[m]
        adj, to, sink = self.adj, self.to, self.sink
        total = self._greedy(cap)
        n = len(adj)
        while True:  # Dinic: shortest-path levels, then as many augmenting paths as they hold
            level = [-1] * n
            level[0] = 0
            queue = [0]
            for u in queue:
                for e in adj[u]:
                    v = to[e]
                    if cap[e] > 0 and level[v] < 0:
                        level[v] = level[u] + 1
                        queue.append(v)
            if level[sink] < 0:
                return total
            nxt = [0] * n
            while True:
                pushed = self._augment(cap, level, nxt, big)
                if pushed == 0:
                    break
                total += pushed

    def _augment(self, cap: list[int], level: list[int], nxt: list[int], big: int) -> int:
        """One augmenting path along increasing levels (iterative DFS with current-arc pointers); its flow."""
        adj, to, sink = self.adj, self.to, self.sink
        path: list[int] = []
        u = 0
        while True:
            if u == sink:
                push = min(cap[e] for e in path) if path else big
                for e in path:
                    cap[e] -= push
                    cap[e ^ 1] += push
                return push
            arcs = adj[u]
            while nxt[u] < len(arcs):
                e = arcs[nxt[u]]
                v = to[e]
                if cap[e] > 0 and level[v] == level[u] + 1:
                    break
                nxt[u] += 1
            if nxt[u] < len(arcs):
                e = arcs[nxt[u]]
                path.append(e)
                u = to[e]
                continue
            if u == 0:
                return 0
            level[u] = -1  # dead end: never visit again in this phase
            e = path.pop()
            u = to[e ^ 1]
            nxt[u] += 1


def _compact(net: nx.DiGraph, groups: int, behind: dict[object, list[int]],
             ) -> tuple[nx.DiGraph, npt.NDArray[np.int64], dict[object, list[int]]]:
    """The same maximum flow on fewer nodes: goods with the same predecessors merged (capacities added), then
    supplier groups with the same successors merged (supplies added; returned as a group → merged index map).

    Exact: the arcs between them are uncapacitated, so only the sets they reach matter. ``behind``: the goods
    (indexes) behind each good node; returned for each merged good node.
    """
    goods = sorted((n for n in net if isinstance(n, tuple) and n[0] == "good"), key=str)
    by_pred: dict[frozenset[object], list[object]] = {}
    for g in goods:
        by_pred.setdefault(frozenset(net.predecessors(g)), []).append(g)
    good_of: dict[object, tuple[str, int]] = {}
    sinks: dict[object, list[int]] = {}
    out: nx.DiGraph = nx.DiGraph()
    for j, (_pred, members) in enumerate(sorted(by_pred.items(), key=lambda kv: str(kv[1][0]))):
        out.add_edge(("G", j), "sink", capacity=sum(int(net.edges[g, "sink"]["capacity"]) for g in members))
        sinks[("G", j)] = [k for member in members for k in behind[member]]
        for member in members:
            good_of[member] = ("G", j)

    def target(v: object) -> object:
        return good_of.get(v, v)

    for hub in sorted((n for n in net if isinstance(n, tuple) and n[0] == "hub"), key=str):
        for v in net.successors(hub):
            out.add_edge(hub, target(v))
    by_succ: dict[frozenset[object], int] = {}
    reached: list[list[object]] = []  # each merged group's targets, in the order first met
    merged = np.zeros(groups, dtype=np.int64)
    for gi in range(groups):
        targets = list(dict.fromkeys(target(v) for v in net.successors(("g", gi))))
        m = merged[gi] = by_succ.setdefault(frozenset(targets), len(by_succ))
        if m == len(reached):
            reached.append(targets)
    for m, targets in enumerate(reached):
        out.add_edge("source", ("m", m), capacity=0)  # set per solve
        out.add_edges_from((("m", m), v) for v in targets)
    out.add_node("sink")
    return out, merged, sinks


@dataclass
class _Scen:
    """What the Monte Carlo needs of one scenario."""

    sc: Scenario
    adoption: tuple[float, float, float]
    alphas: list[FloatArray] = field(default_factory=list)


def run_monte_carlo(facts: list[ActivityFacts], scenarios: list[Scenario], *, tau_a: float, tau_r: float,
                    plan: PlacementPlan, placed_share: dict[str, float], draws: int, seed: int,
                    correlation: float = 0.0, time_saving: tuple[float, float, float] | None = None,
                    hours_per_fte: float = 1.0, on_chunk: Callable[[int], None] | None = None) -> MonteCarloResult:
    """Run the Monte Carlo described in the module docstring: :func:`draw_monte_carlo`, then
    :func:`summarise_monte_carlo`.

    Args:
        facts: activity facts in content order.
        scenarios: the scenarios, in file order.
        tau_a, tau_r: classification thresholds.
        plan: the allocation network's plan (:class:`PlacementPlan`).
        placed_share: scenario id → share of the pool placed at the point estimate (for the approximation).
        draws: number of draws (≥ 1).
        seed: seed of ``numpy.random.default_rng``.
        correlation: rank correlation ρ_s of automatability across activities (0..1).
        time_saving: the T triangle drawn once per draw for occupation-derived activities (None: not used).
        hours_per_fte: to turn hours no longer needed into FTE.
        on_chunk: called with the number of draws done after each chunk.
    """
    drawn = draw_monte_carlo(facts, scenarios, tau_a=tau_a, tau_r=tau_r, plan=plan, draws=draws, seed=seed,
                             correlation=correlation, time_saving=time_saving, on_chunk=on_chunk)
    return summarise_monte_carlo(drawn, facts, scenarios, plan=plan, placed_share=placed_share,
                                 hours_per_fte=hours_per_fte)


@dataclass
class Drawn:
    """What the draws give before the reinvestment: per-draw sums, group supplies, adoptions, quadrant hits.

    ``totals``: freed, value, kept, offered, v_off (value offered) and users per draw, at adoption 1;
    ``groups``: offered hours by supplier group × draw (zeros when no closed form or solve reads them);
    ``alphas``: each scenario's adoption per draw, in scenario order; ``hits``: per watched activity, the
    draws whose quadrant is the point estimate's. Plain arrays: it travels between processes
    (:mod:`relmap.analysis.parallel`).
    """

    draws: int
    totals: dict[str, FloatArray]
    groups: FloatArray
    alphas: list[FloatArray]
    hits: npt.NDArray[np.int64]
    watched: list[int]


def draw_monte_carlo(facts: list[ActivityFacts], scenarios: list[Scenario], *, tau_a: float, tau_r: float,
                     plan: PlacementPlan, draws: int, seed: int, correlation: float = 0.0,
                     time_saving: tuple[float, float, float] | None = None,
                     on_chunk: Callable[[int], None] | None = None) -> Drawn:
    """The draws of the Monte Carlo (module docstring): everything but what depends on the point allocation.

    Same arguments as :func:`run_monte_carlo`; ``plan`` is read for its kept activities and supplier groups only.
    """
    rng = np.random.default_rng(seed)
    use_t = time_saving is not None and time_saving[2] > time_saving[0]
    t_tri = time_saving or (1.0, 1.0, 1.0)
    occ = np.array([use_t and f.scores.automatability_source == "occupation" and f.scores.exposure is not None
                    for f in facts], dtype=bool)
    base_tri = [_copula_base(f, use_t) for f in facts]
    r_tri = [f.r for f in facts]
    ua = [i for i, t in enumerate(base_tri) if t[2] > t[0]]
    ur = [i for i, t in enumerate(r_tri) if t[2] > t[0]]
    n_act = len(facts)
    work = np.array([0.0 if f.activity.keep_human else f.hours for f in facts], dtype=np.float64)
    cost = np.array([f.hourly_cost for f in facts], dtype=np.float64)
    fte = np.array([f.fte for f in facts], dtype=np.float64)
    a_mode = np.array([t[1] for t in (f.a for f in facts)], dtype=np.float64)
    base_mode = np.array([t[1] for t in base_tri], dtype=np.float64)
    r_mode = np.array([t[1] for t in r_tri], dtype=np.float64)
    b_low, b_md, b_high = _column(base_tri, ua)
    r_low, r_md, r_high = _column(r_tri, ur)
    point_auto = np.array([f.quadrant in ("automate", "augment") for f in facts], dtype=bool)
    point_rel = np.array([f.quadrant in ("augment", "relational_core") for f in facts], dtype=bool)
    watched = sorted(set(ua) | set(ur) | set(np.flatnonzero(occ).tolist()))
    w = np.array(watched, dtype=np.int64)
    rest = np.ones(n_act, dtype=bool)
    rest[w] = False
    pos = {i: k for k, i in enumerate(watched)}
    rows_a = np.array([pos[i] for i in ua], dtype=np.int64)
    rows_r = np.array([pos[i] for i in ur], dtype=np.int64)
    occ_w = occ[w]
    offered = work * ~plan.kept  # hours that are split (not kept) per unit of a × α
    kept_w = work * plan.kept
    # constant parts (activities with certain a): freed, value, kept, offered (by group), value offered, users
    const = {
        "freed": dot(work[rest], a_mode[rest]), "value": dot((work * cost)[rest], a_mode[rest]),
        "kept": dot(kept_w[rest], a_mode[rest]), "offered": dot(offered[rest], a_mode[rest]),
        "v_off": dot((offered * cost)[rest], a_mode[rest]),
        "users": dot(fte[rest], (work[rest] * a_mode[rest]) > 0),
    }
    # supplies by group (PlacementPlan.group_supplies): the entries of certain activities once, of watched ones
    # per draw (their rows of ``a``, summed by group in entry order)
    e_act, e_grp, e_off = plan.entry_act, plan.entry_group, offered[plan.entry_act] * plan.entry_share
    group_const = np.zeros(plan.groups, dtype=np.float64)
    e_rest = rest[e_act]
    np.add.at(group_const, e_grp[e_rest], e_off[e_rest] * a_mode[e_act[e_rest]])
    e_watched = ~e_rest
    w_rows = np.searchsorted(w, e_act[e_watched])  # each watched entry's row of ``a``
    w_off = e_off[e_watched]
    order = np.argsort(e_grp[e_watched], kind="stable")
    sorted_groups = e_grp[e_watched][order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]) if sorted_groups.size else \
        np.array([], dtype=np.int64)
    rho = pearson_for_rank(correlation)
    common, own = math.sqrt(rho), math.sqrt(1.0 - rho)
    hits = np.zeros(len(watched), dtype=np.int64)
    scen = [_Scen(sc, as_triangle(sc.adoption)) for sc in scenarios]
    totals: dict[str, list[FloatArray]] = {k: [] for k in ("freed", "value", "kept", "offered", "v_off", "users")}
    group_draws: list[FloatArray] = []
    weights = np.stack([work[w], (work * cost)[w], kept_w[w], offered[w], (offered * cost)[w]])
    # rows whose automatability can be 0 in a draw (low = 0 and some work): only they change the users
    t_zero = use_t and t_tri[0] <= 0
    can_zero = np.array([(base_tri[i][0] <= 0 or (t_zero and occ[i])) and work[i] > 0 for i in watched], dtype=bool)
    zero_rows = np.flatnonzero(can_zero)
    fte_zero = fte[w][zero_rows]
    users_const = const["users"] + dot(fte[w][~can_zero], (work[w] * a_mode[w])[~can_zero] > 0)
    need_groups = plan.closed or plan.solvable
    done = 0
    while done < draws:
        n = min(CHUNK, draws - done)
        z = rng.standard_normal(n).astype(np.float32)
        a = np.repeat(base_mode[w][:, None], n, axis=1).astype(np.float32)
        if ua:
            x = rng.standard_normal((len(ua), n), dtype=np.float32)
            x *= own
            x += common * z
            a[rows_a, :] = triangular(normal_cdf(x), b_low, b_md, b_high)
        if use_t:
            t_draw = triangular(rng.random(n), np.array(t_tri[0]), np.array(t_tri[1]), np.array(t_tri[2]))
            a[occ_w, :] *= t_draw.astype(np.float32)
        elif occ_w.any():
            a[occ_w, :] *= np.float32(t_tri[1])
        r = np.repeat(r_mode[w][:, None], n, axis=1)
        if ur:
            r[rows_r, :] = triangular(rng.random((len(ur), n), dtype=np.float32), r_low, r_md, r_high)
        for s in scen:
            lo, md, hi = s.adoption
            if hi > lo:
                one = np.array([[lo]]), np.array([[md]]), np.array([[hi]])
                s.alphas.append(triangular(rng.random((1, n)), *one)[0])
            else:
                s.alphas.append(np.full(n, md))
        sums = product(weights, a)  # one product: freed, value, kept, offered, value offered
        for k_row, name in enumerate(("freed", "value", "kept", "offered", "v_off")):
            totals[name].append(const[name] + sums[k_row])
        if zero_rows.size:  # users change only where a draw can reach a = 0
            totals["users"].append(users_const + product(fte_zero, a[zero_rows] > 0))
        else:
            totals["users"].append(np.full(n, users_const))
        if need_groups:
            by_group = np.repeat(group_const[:, None], n, axis=1)
            if starts.size:
                contrib = (w_off[:, None] * a[w_rows])[order]
                by_group[sorted_groups[starts]] += np.add.reduceat(contrib, starts, axis=0)
            group_draws.append(by_group)
        if watched:
            # same quadrant as the point estimate ⇔ same side of both thresholds (see classify)
            same = (a >= tau_a - TOLERANCE) == point_auto[w][:, None]
            same &= (r >= tau_r - TOLERANCE) == point_rel[w][:, None]
            hits += same.sum(axis=1)
        done += n
        if on_chunk is not None:
            on_chunk(done)
    return Drawn(draws=draws, totals={k: np.concatenate(v) for k, v in totals.items()},
                 groups=np.concatenate(group_draws, axis=1) if need_groups else np.zeros((plan.groups, draws)),
                 alphas=[np.concatenate(s.alphas) for s in scen], hits=hits, watched=watched)


def summarise_monte_carlo(drawn: Drawn, facts: list[ActivityFacts], scenarios: list[Scenario], *,
                          plan: PlacementPlan, placed_share: dict[str, float],
                          hours_per_fte: float = 1.0,
                          point: dict[str, tuple[FloatArray, float]] | None = None) -> MonteCarloResult:
    """Percentiles by scenario and classification confidence from the draws (see :func:`run_monte_carlo`).

    ``point``: scenario id → (reinvest supply by activity in content order, hours the allocation placed) at the
    point estimate; with a greedy role network (:attr:`PlacementPlan.greedy`) its maximum flow is solved in the
    draws only when the allocation placed that maximum at the point estimate of every scenario
    (:meth:`PlacementPlan.places_maximum`), else the approximation.
    """
    policy = plan.policy
    draws, tot, groups, hits, watched = drawn.draws, drawn.totals, drawn.groups, drawn.hits, drawn.watched
    why: Literal["greedy", "size", "below_maximum"] | None = None
    if not plan.closed and not plan.solvable:
        why = "greedy" if plan.greedy else "size"
    elif not plan.closed and plan.greedy and not (point is not None and plan.places_maximum(point)):
        why = "below_maximum"
    if plan.closed:
        method: ReinvestedMethod = "closed_form"
        pick = np.arange(draws)
    elif why is not None:
        method = "approximation"
        pick = np.arange(draws)
    else:
        method = "max_flow"
        pick = np.unique(np.linspace(0, draws - 1, min(draws, SOLVED_DRAWS)).round().astype(np.int64))
    percentiles: dict[str, dict[str, Percentiles]] = {}
    any_good = plan.capacity > 0 or bool(plan.cap_centi)
    for sc, alpha in zip(scenarios, drawn.alphas, strict=True):
        hf = alpha * tot["freed"]
        rest_h = alpha * tot["offered"]
        rest_v = alpha * tot["v_off"]
        pool = sc.reinvest * rest_h
        if method == "approximation":
            reinvested = np.minimum(placed_share.get(sc.id, 1.0) * pool, plan.capacity)
        else:
            reinvested = plan.placed(sc.reinvest * alpha[pick] * groups[:, pick])
        sub = pick if method == "max_flow" else slice(None)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean_cost = np.where(rest_h[sub] > 0, rest_v[sub] / np.where(rest_h[sub] > 0, rest_h[sub], 1.0), 0.0)
        save = 1.0 - sc.reinvest - sc.recognition - sc.training - sc.community
        if not any_good:
            save += sc.recognition
        gross = save * rest_v[sub]
        if policy.unplaced == "savings":
            gross = gross + sc.reinvest * rest_v[sub] - reinvested * mean_cost
        users = np.where(alpha[sub] > 0, tot["users"][sub], 0.0)
        net = gross - cost_for_users(sc, users)
        no_longer = ((1.0 - sc.training - sc.community) * rest_h[sub] - reinvested) / hours_per_fte
        percentiles[sc.id] = {
            "hours_freed": _pct(hf), "value_freed": _pct(alpha * tot["value"]), "hours_reinvested": _pct(reinvested),
            "net_savings": _pct(net), "fte_no_longer_needed": _pct(no_longer),
        }
    ranged = {i for i, f in enumerate(facts) if f.a[2] > f.a[0] or f.r[2] > f.r[0]}
    confidence = {facts[i].id: float(hits[j]) / draws for j, i in enumerate(watched) if i in ranged}
    return MonteCarloResult(confidence, percentiles, count_uncertain(facts, scenarios), method,
                            len(pick) if method == "max_flow" else (draws if method == "closed_form" else 0),
                            why, greedy_maximal=method == "max_flow" and plan.greedy)


def _positive(caps: dict[int, int]) -> set[int]:
    return {k for k, c in caps.items() if c > 0}


def _dense_reach(facts: list[ActivityFacts], policy: Policy, graph: nx.DiGraph) -> bool:
    """True when the supplier → good pairs of mobility ``adjacent`` exceed the pair budget (see PlacementPlan)."""
    from .reach import activity_adjacency, neighbourhoods, pair_budget

    adjacency = activity_adjacency(graph)
    goods = {f.id for f in facts if f.good}
    sources = [f.id for f in facts if not f.good]
    budget = pair_budget(adjacency, policy.max_distance)
    return neighbourhoods(adjacency, sources, goods, policy.max_distance, budget) is None


def _column(values: list[tuple[float, float, float]], idx: list[int]) -> tuple[FloatArray, ...]:
    arr = np.array([values[i] for i in idx], dtype=np.float32).reshape(-1, 3)
    return arr[:, 0:1], arr[:, 1:2], arr[:, 2:3]


def _pct(x: FloatArray) -> Percentiles:
    p10, p50, p90 = np.percentile(x, [10, 50, 90])
    return Percentiles(p10=float(p10), p50=float(p50), p90=float(p90))
