"""Reinvesting freed hours into relational goods: a minimum-cost flow (networkx).

The network, in integer centi-hours (1/100 h):

* ``source → supplier i``: capacity ``round(100 × supply_i)``, where
  ``supply_i = hours_freed_i × reinvest share``;
* ``supplier i → good j``: the moves allowed (below), uncapacitated, with an
  integer cost (:func:`good_cost` + :func:`arc_cost`);
* ``good j → sink``: capacity ``round(100 × max_increase × hours_j)``.

The solution places as many hours as possible and, among the maximum
placements, the cheapest (what ``networkx.max_flow_min_cost`` computes; see
:mod:`relmap.analysis.flows` for how it is solved). ``allocated`` is the flow
into the sink and ``unallocated = pool − allocated``, both from the same
integers, so conservation is exact in centi-hours.

Allowed moves: a good always keeps its own freed hours (``own``);
``policy.transfers`` are always allowed (``transfer``); ``policy.mobility``
adds goods of the same ``stage``, goods within ``max_distance`` hops
(``adjacent``: undirected flow edges between activities; actors are not
crossed), ``any`` good, or goods the moving role may staff (``role``, the
default when the file defines roles: :mod:`relmap.analysis.roles`). Activities without a stage have no same-stage moves.

With ``any``, the allocation is lexicographic: first the *near* moves (own,
transfers, same stage) are placed exactly as above, then what is left moves
across stages to the cheapest goods (:func:`_place_far`). The total placed is
still the maximum, ``min(pool, capacity)``. Why: hours stay with the people
and teams who freed them whenever there is room — short moves first, as a
consultant would plan them — and 10,000-activity chains solve in a fraction
of a second instead of minutes.

Why hubs: linking every supplier to every good of its stage is quadratic.
Suppliers send into a hub per stage; hubs feed the goods. Hub flows are
paired back into ``from → to`` moves greedily in content order (aliases numbered in
the order of the facts, so ids never break ties).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol, cast

import networkx as nx

from ..input.model import Policy
from .facts import ActivityFacts
from .flows import decode_moves, pour, solve_network
from .reach import layered_moves, link_adjacent
from .result import Allocation
from .roles import RoleMove, Staffing, allocate_by_role, own_roles
from .rows import trusted

__all__ = ["CustomerLink", "ReinvestResult", "allocate_reinvestment", "arc_cost", "centi_supplies", "good_cost"]

Via = Literal["own", "transfer", "mobility"]
COST_OWN = 0
COST_TRANSFER = 1
COST_SAME_STAGE = 10
COST_PER_HOP = 10
COST_FAR = 30
CUSTOMER_NO_PATH = 60


@dataclass
class ReinvestResult:
    """The allocation of one scenario (hours; centi-hour integers kept for exact checks)."""

    pool_centi: int
    allocated_centi: int
    allocation: list[Allocation] = field(default_factory=list)
    received: dict[str, float] = field(default_factory=dict)
    sent: dict[str, float] = field(default_factory=dict)
    capacity: dict[str, float] = field(default_factory=dict)
    transfer_training_hours: float = 0.0
    move_training_hours: float = 0.0  # role moves (mobility 'role'), see relmap.analysis.roles

    @property
    def pool(self) -> float:
        """Reinvest pool in hours (the sum of the rounded supplies)."""
        return self.pool_centi / 100

    @property
    def allocated(self) -> float:
        """Hours placed in relational goods."""
        return self.allocated_centi / 100

    @property
    def unallocated(self) -> float:
        """``pool − allocated``: hours no allowed good could absorb."""
        return (self.pool_centi - self.allocated_centi) / 100


class CustomerLink(Protocol):
    """What :func:`good_cost` reads of a good's graph metrics (:class:`~relmap.analysis.result.Metrics`, or
    :func:`relmap.analysis.structure.customer_links` where only the costs are needed)."""

    @property
    def touches_customer(self) -> bool:
        """Whether a flow joins the activity to a customer actor, either direction."""

    @property
    def customer_distance(self) -> int | None:
        """Fewest flow edges to a customer (None: no path)."""


def good_cost(fact: ActivityFacts, metrics: CustomerLink) -> int:
    """Cost of placing one centi-hour in a good, before the move's cost.

    ``round(100 × (1 − r))`` (prefers high relational index) plus a customer
    term: 0 when it touches a customer, ``10 × min(distance, 5)`` when a path
    reaches one, 60 when none does (prefers customer-facing goods).
    """
    if metrics.touches_customer:
        customer = 0
    elif metrics.customer_distance is not None:
        customer = 10 * min(metrics.customer_distance, 5)
    else:
        customer = CUSTOMER_NO_PATH
    return round(100 * (1 - fact.r[1])) + customer


def arc_cost(kind: str, hops: int = 0) -> int:
    """Cost of a move: own 0, transfer 1, same stage 10, adjacent ``10 × hops``, elsewhere 30.

    Why transfer 1: a transfer is the consultant's explicit plan; when it competes
    with other suppliers for a good's capacity it must win, after the good's own hours.
    """
    return {"own": COST_OWN, "transfer": COST_TRANSFER, "stage": COST_SAME_STAGE,
            "adjacent": COST_PER_HOP * hops, "any": COST_FAR}[kind]


def centi_supplies(supplies: dict[str, float], order: list[str]) -> dict[str, int]:
    """Supplies in integer centi-hours whose total is ``round(100 × Σ supply)`` (largest remainders).

    Each supply gets ``floor(100 × s_i)``; the centi-hours still missing to
    reach the rounded total go one each to the largest fractional parts (ties:
    ``order``). Why: rounding each supply alone loses up to 0.005 h per
    activity (50 h at 10,000 activities); this way the pool is within 0.005 h
    of the hours offered, so the balance adds up.

    Example: 0.333, 0.333, 0.334 h → 33.3, 33.3, 33.4 centi → floors 33, 33, 33,
    total round(100) = 100: the missing 1 goes to the third (fraction 0.4).
    """
    scaled = {i: 100 * supplies[i] for i in order if supplies.get(i, 0.0) > 0}
    floors = {i: math.floor(x) for i, x in scaled.items()}
    missing = round(math.fsum(scaled.values())) - sum(floors.values())
    rank = {i: k for k, i in enumerate(order)}
    for i in sorted(scaled, key=lambda i: (-(scaled[i] - floors[i]), rank[i]))[:max(0, missing)]:
        floors[i] += 1
    return {i: c for i, c in floors.items() if c > 0}


def allocate_reinvestment(facts: list[ActivityFacts], supplies: dict[str, float], graph: nx.DiGraph,
                          metrics: Mapping[str, CustomerLink], policy: Policy, hours_per_fte: float,
                          staffing: Staffing | None = None) -> ReinvestResult:
    """Allocate each activity's reinvest supply to relational goods (see the module docstring).

    Ties between equally good placements break on content, never on ids: the
    network is built on aliases numbered in the order of ``facts`` (content
    order, :func:`relmap.analysis.facts.build_facts`), so renaming activities
    changes no number.

    Args:
        facts: activity facts in content order.
        supplies: activity id → hours offered (``hours_freed × reinvest``).
        graph: the chain graph (for ``adjacent`` mobility).
        metrics: graph metrics by id (for the goods' costs: :class:`CustomerLink`).
        policy: mobility, max_distance, max_increase, transfers.
        hours_per_fte: to turn a transfer's hours into FTE for its training need.
        staffing: the roles (:mod:`.roles`); mobility ``role`` (the default when the file defines
            roles) allocates per role with :func:`relmap.analysis.roles.allocate_by_role`.
    """
    mobility = policy.resolved_mobility(staffing is not None and staffing.defined)
    alias = {f.id: f"#{k:07d}" for k, f in enumerate(facts)}
    real = {v: k for k, v in alias.items()}
    by_id = {alias[f.id]: f for f in facts}
    good_ids = {alias[f.id] for f in facts if f.good}
    supply_c = {alias[i]: c for i, c in centi_supplies(supplies, [f.id for f in facts]).items()}
    supply_c = dict(sorted(supply_c.items()))
    cap_c = {alias[f.id]: round(100 * policy.max_increase * f.hours) for f in facts if f.good}
    result = ReinvestResult(pool_centi=sum(supply_c.values()), allocated_centi=0,
                            capacity={real[g]: c / 100 for g, c in sorted(cap_c.items())})
    if not supply_c or not any(cap_c.values()):
        return result
    if mobility == "role":
        staff = staffing if staffing is not None else own_roles(facts)
        role_moves = allocate_by_role(
            facts, {real[a]: c for a, c in supply_c.items()}, staff, {real[g]: c for g, c in cap_c.items()},
            {f.id: good_cost(f, metrics[f.id]) for f in facts if f.good}, policy, hours_per_fte)
        fill_from_moves(result, role_moves, hours_per_fte)
        return result
    transfers = [(alias[t.from_], alias[t.to], t.training_hours_per_fte) for t in policy.transfers
                 if t.from_ in alias and t.to in alias]
    agraph = _aliased_activity_graph(graph, alias) if mobility == "adjacent" else None
    gcost = {g: good_cost(by_id[g], metrics[real[g]]) for g in sorted(good_ids)}
    net, direct, pools = _cached_network(graph, by_id, supply_c, cap_c, gcost, agraph, transfers, policy, mobility)
    flow = solve_network(net)
    layered = layered_moves(flow, net.graph["layered"]) if "layered" in net.graph else {}
    moves = decode_moves(flow, direct, pools, supply_c)
    for (frm, to), amount in layered.items():
        moves[(frm, to, "own" if frm == to else "mobility")] += amount
    if mobility == "any":
        _place_far(moves, supply_c, cap_c, gcost)
    _fill(result, moves, transfers, hours_per_fte, real)
    return result


def _aliased_activity_graph(graph: nx.DiGraph, alias: dict[str, str]) -> nx.DiGraph:
    """The activities of ``graph`` renamed to their aliases (built once per alias numbering, kept on the graph)."""
    key = tuple(sorted(alias.items()))
    cached = graph.graph.get("_aliased_activities")
    if cached is not None and cached[0] == key:
        return cached[1]
    acts = [n for n, d in graph.nodes(data=True) if d.get("node") == "activity"]
    aliased: nx.DiGraph = nx.relabel_nodes(graph.subgraph(acts), alias, copy=True)
    aliased.graph.clear()  # the copy took the original's graph attributes (caches keyed on real ids)
    graph.graph["_aliased_activities"] = (key, aliased)
    return aliased


def _cached_network(graph: nx.DiGraph, by_id: dict[str, ActivityFacts], supply_c: dict[str, int],
                    cap_c: dict[str, int], gcost: dict[str, int], agraph: nx.DiGraph | None,
                    transfers: list[tuple[str, str, float]], policy: Policy,
                    mobility: str) -> tuple[nx.DiGraph, dict[tuple[str, str], str], dict[object, list[str]]]:
    """:func:`_near_network`, built once for every allocation that differs only in the amounts supplied.

    The scenarios of a chain (and the re-runs of :mod:`.whatif`) usually have the same suppliers, goods,
    capacities and moves; only how much each supplier offers changes. The network of the last allocation is
    kept on ``graph`` with its key (everything but the amounts) and, when the key matches, reused with the
    suppliers' ``supply`` set again: the same nodes, arcs and weights as a new build, so the same solution.
    Not for the layered encoding of ``adjacent`` (its twin nodes hold the amounts).
    """
    key = (mobility, policy.max_distance, tuple((a, f.id, f.activity.stage, f.good) for a, f in by_id.items()),
           tuple(supply_c), tuple(cap_c.items()), tuple(gcost.items()), tuple(transfers))
    cached = graph.graph.get("_reinvest_network")
    if cached is not None and cached[0] == key:
        net, direct, pools, sources = cached[1]
        for node in set(sources.values()):
            net.nodes[node]["supply"] = 0
        for i, node in sources.items():
            net.nodes[node]["supply"] += supply_c[i]
        return net, direct, pools
    net, direct, pools = _near_network(by_id, supply_c, cap_c, gcost, agraph, transfers, policy, mobility)
    sources = net.graph.pop("_sources")
    if "layered" not in net.graph:
        graph.graph["_reinvest_network"] = (key, (net, direct, pools, sources))
    else:
        graph.graph.pop("_reinvest_network", None)
    return net, direct, pools


def _near_network(by_id: dict[str, ActivityFacts], supply_c: dict[str, int], cap_c: dict[str, int],
                  gcost: dict[str, int], agraph: nx.DiGraph | None,
                  transfers: list[tuple[str, str, float]], policy: Policy,
                  mobility: str) -> tuple[nx.DiGraph, dict[tuple[str, str], str], dict[object, list[str]]]:
    """The network of near moves: own, transfers, and same stage (``any``/``stage``) or within reach (``adjacent``).

    Suppliers that are interchangeable — not a good, no explicit transfer,
    mobility ``any`` or ``stage`` — are pooled per stage (and split back in id
    order); the network's components are solved separately. Both are exact
    and keep large chains fast.

    Returns:
        The network, the kind of each direct arc ``(from, to) → own|transfer|mobility``,
        and the members of each pool.
    """
    net: nx.DiGraph = nx.DiGraph()
    direct: dict[tuple[str, str], str] = {}
    pools: dict[object, list[str]] = defaultdict(list)
    transferring = {frm for frm, _to, _train in transfers}
    good_ids = set(cap_c)

    def link(i: str, g: str, kind: str, cost: int) -> None:
        key = (("sup", i), ("good", g))
        if cap_c.get(g, 0) > 0 and (not net.has_edge(*key) or net.edges[key]["weight"] > cost):
            net.add_edge(*key, weight=cost)
            direct[(i, g)] = kind

    sources: dict[str, tuple[str, ...]] = {}
    for i in supply_c:
        if mobility == "adjacent" or i in good_ids or i in transferring:
            sources[i] = ("sup", i)
        else:
            sources[i] = ("pool", by_id[i].activity.stage or "")
            pools[sources[i]].append(i)
    for g in sorted(good_ids):
        if cap_c[g] > 0:
            net.add_node(("good", g), cap=cap_c[g])
    for i in supply_c:
        if i in good_ids:
            link(i, i, "own", gcost[i] + arc_cost("own"))
    for frm, to, _train in sorted(transfers):
        if frm in supply_c and to in good_ids and frm != to:
            link(frm, to, "transfer", gcost[to] + arc_cost("transfer"))
    if mobility == "adjacent":
        assert agraph is not None
        rooms = {g: gcost[g] for g in sorted(good_ids) if cap_c[g] > 0}
        link_adjacent(net, agraph, lambda i, g, hops: link(i, g, "mobility", gcost[g] + arc_cost("adjacent", hops)),
                      supply_c, good_ids | transferring, rooms, policy.max_distance, arc_cost("adjacent", 1))
    else:
        for g in sorted(good_ids):
            stage = by_id[g].activity.stage
            if stage is not None and cap_c[g] > 0:
                net.add_edge(("hub", stage), ("good", g), weight=gcost[g] + arc_cost("stage"))
        for i, node in sources.items():
            stage = by_id[i].activity.stage
            if stage is not None and net.has_node(("hub", stage)):
                net.add_edge(node, ("hub", stage), weight=0)
    for i, node in sources.items():
        if net.has_node(node):
            net.nodes[node]["supply"] = net.nodes[node].get("supply", 0) + supply_c[i]
    net.graph["_sources"] = {i: node for i, node in sources.items() if net.has_node(node)}
    return net, direct, pools


def _place_far(moves: dict[tuple[str, str, str], int], supply_c: dict[str, int], cap_c: dict[str, int],
               gcost: dict[str, int]) -> None:
    """Mobility ``any``, second pass: what near moves left is poured across stages.

    Every remaining supplier sees the same cost for good j (``gcost_j + 30``),
    so filling the goods in increasing cost (ties: id) with the suppliers in
    content order is optimal for this pass. Since the near pass placed the maximum
    within each stage, no stage has both supply and room left, and the total
    placed is ``min(pool, capacity)``.
    """
    sent: dict[str, int] = defaultdict(int)
    received: dict[str, int] = defaultdict(int)
    for (frm, to, _via), amount in moves.items():
        sent[frm] += amount
        received[to] += amount
    left = [(i, supply_c[i] - sent[i]) for i in sorted(supply_c)]
    room = [(g, cap_c[g] - received[g]) for g in sorted(cap_c, key=lambda g: (gcost[g], g))]
    for frm, to, amount in pour(left, room):
        moves[(frm, to, "own" if frm == to else "mobility")] += amount


def _fill(result: ReinvestResult, moves: dict[tuple[str, str, str], int], transfers: list[tuple[str, str, float]],
          hours_per_fte: float, real: dict[str, str]) -> None:
    """Turn centi-hour moves (on aliases) into the allocation list, received/sent totals and transfer training."""
    training: dict[tuple[str, str], float] = {}
    for frm, to, train in transfers:
        training[(frm, to)] = max(train, training.get((frm, to), 0.0))
    received: dict[str, int] = defaultdict(int)
    sent: dict[str, int] = defaultdict(int)
    total = 0
    for (frm, to, via), centi in sorted(moves.items()):
        if centi <= 0:
            continue
        hours = centi / 100
        train = training.get((frm, to), 0.0) * hours / hours_per_fte if via == "transfer" else 0.0
        result.allocation.append(trusted(
            Allocation, from_=real[frm], to=real[to], hours=hours, via=cast(Via, via), training_hours=train,
            role=None))
        result.transfer_training_hours += train
        received[real[to]] += centi
        sent[real[frm]] += centi
        total += centi
    result.allocated_centi = total
    result.allocation.sort(key=lambda a: (a.from_, a.to, a.via))
    result.received = {g: c / 100 for g, c in sorted(received.items())}
    result.sent = {i: c / 100 for i, c in sorted(sent.items())}


def fill_from_moves(result: ReinvestResult, moves: Iterable[RoleMove], hours_per_fte: float) -> None:
    """The allocation list, received/sent totals and move training of a role allocation (hours)."""
    received: dict[str, int] = defaultdict(int)
    sent: dict[str, int] = defaultdict(int)
    total = 0
    for mv in moves:
        hours = mv.centi / 100
        train = mv.training_per_fte * hours / hours_per_fte
        result.allocation.append(trusted(
            Allocation, from_=mv.source, to=mv.good, hours=hours, via=cast(Via, mv.via), training_hours=train,
            role=mv.role))
        if mv.via == "transfer":
            result.transfer_training_hours += train
        else:
            result.move_training_hours += train
        received[mv.good] += mv.centi
        sent[mv.source] += mv.centi
        total += mv.centi
    result.allocated_centi = total
    result.allocation.sort(key=lambda a: (a.from_, a.to, a.via, a.role or ""))
    result.received = {g: c / 100 for g, c in sorted(received.items())}
    result.sent = {i: c / 100 for i, c in sorted(sent.items())}
