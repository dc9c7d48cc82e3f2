"""Reinvesting freed hours into relational goods: a minimum-cost flow (networkx).

The network, in integer centi-hours (1/100 h):

* ``source → supplier i``: capacity ``round(100 × supply_i)``, where
  ``supply_i = hours_freed_i × reinvest share``;
* ``supplier i → good j``: the moves allowed (below), uncapacitated, with an
  integer cost;
* ``good j → sink``: capacity ``round(100 × max_increase × hours_j)``.

The solution places as many hours as possible and, among the maximum
placements, the cheapest (what ``networkx.max_flow_min_cost`` computes; see
:func:`_solve` for how it is solved with ``networkx.network_simplex``). ``allocated`` is the flow into the
sink and ``unallocated = pool − allocated``, both from the same integers, so
conservation is exact in centi-hours.

Allowed moves: a good always keeps its own freed hours (``own``);
``policy.transfers`` are always allowed (``transfer``); ``policy.mobility``
adds ``any`` good, goods of the same ``stage``, or goods within
``max_distance`` hops (``adjacent``: undirected flow edges between
activities; actors are not crossed). Activities without a stage have no
same-stage moves.

Why hubs: with ``any`` (or ``stage``) mobility, linking every supplier to
every good is quadratic. Suppliers send into a hub per stage and one global
hub; hubs feed the goods. Hub flows are paired back into ``from → to`` moves
greedily in id order; any pairing is valid (every supplier of a hub may
reach every good of the hub) and has the same cost (costs sit on hub → good
arcs).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from ..model import Policy
from .facts import ActivityFacts
from .result import Allocation, Metrics

__all__ = ["ReinvestResult", "allocate_reinvestment", "arc_cost", "good_cost"]

COST_OWN = 0
COST_TRANSFER = 10
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


def good_cost(fact: ActivityFacts, metrics: Metrics) -> int:
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
    """Cost of a move: own 0, transfer 10, same stage 10, adjacent ``10 × hops``, elsewhere 30."""
    return {"own": COST_OWN, "transfer": COST_TRANSFER, "stage": COST_SAME_STAGE,
            "adjacent": COST_PER_HOP * hops, "any": COST_FAR}[kind]


def _neighbourhoods(graph: nx.DiGraph, sources: list[str], goods: set[str], max_hops: int) -> dict[str, dict[str, int]]:
    """For each source activity, the goods within ``max_hops`` undirected activity-only hops, with the hop count."""
    out: dict[str, dict[str, int]] = {}
    for src in sources:
        dist = {src: 0}
        frontier = [src]
        for hop in range(1, max_hops + 1):
            nxt: list[str] = []
            for node in frontier:
                for nb in sorted(set(graph.predecessors(node)) | set(graph.successors(node))):
                    if nb not in dist and graph.nodes[nb].get("node") == "activity":
                        dist[nb] = hop
                        nxt.append(nb)
            frontier = nxt
        out[src] = {g: d for g, d in dist.items() if g in goods and g != src}
    return out


def allocate_reinvestment(facts: list[ActivityFacts], supplies: dict[str, float], graph: nx.DiGraph,
                          metrics: dict[str, Metrics], policy: Policy, hours_per_fte: float) -> ReinvestResult:
    """Allocate each activity's reinvest supply to relational goods (see the module docstring).

    Suppliers that are interchangeable — not a good, no explicit transfer,
    mobility ``any`` or ``stage`` — are pooled per stage before solving and
    split back in id order; the network is solved one weakly connected
    component at a time. Both are exact (they change neither the maximum nor
    the cost) and keep large chains fast.

    Args:
        facts: activity facts sorted by id.
        supplies: activity id → hours offered (``hours_freed × reinvest``).
        graph: the chain graph (for ``adjacent`` mobility).
        metrics: graph metrics by id (for the goods' costs).
        policy: mobility, max_distance, max_increase, transfers.
        hours_per_fte: to turn a transfer's hours into FTE for its training need.
    """
    by_id = {f.id: f for f in facts}
    good_ids = {f.id for f in facts if f.good}
    supply_c = {i: round(100 * h) for i, h in sorted(supplies.items()) if round(100 * h) > 0}
    cap_c = {f.id: round(100 * policy.max_increase * f.hours) for f in facts if f.good}
    result = ReinvestResult(pool_centi=sum(supply_c.values()), allocated_centi=0,
                            capacity={g: c / 100 for g, c in cap_c.items()})
    if not supply_c or not any(cap_c.values()):
        return result
    gcost = {g: good_cost(by_id[g], metrics[g]) for g in sorted(good_ids)}
    net: nx.DiGraph = nx.DiGraph()
    direct: dict[tuple[str, str], str] = {}
    pools: dict[object, list[str]] = defaultdict(list)
    transferring = {t.from_ for t in policy.transfers}

    def supplier(i: str) -> tuple[object, ...]:
        if policy.mobility == "adjacent" or i in good_ids or i in transferring:
            return ("sup", i)
        node = ("pool", by_id[i].activity.stage or "")
        pools[node].append(i)
        return node

    def link(i: str, g: str, kind: str, cost: int) -> None:
        if cap_c.get(g, 0) <= 0:
            return
        key = (("sup", i), ("good", g))
        if not net.has_edge(*key) or net.edges[key]["weight"] > cost:
            net.add_edge(*key, weight=cost)
            direct[(i, g)] = kind

    sources = {i: supplier(i) for i in supply_c}
    for g in sorted(good_ids):
        if cap_c[g] > 0:
            net.add_node(("good", g), cap=cap_c[g])
    for i in supply_c:
        if i in good_ids:
            link(i, i, "own", gcost[i] + arc_cost("own"))
    for tr in sorted(policy.transfers, key=lambda t: (t.from_, t.to)):
        if tr.from_ in supply_c and tr.to in good_ids and tr.from_ != tr.to:
            link(tr.from_, tr.to, "transfer", gcost[tr.to] + arc_cost("transfer"))
    if policy.mobility == "adjacent":
        near = _neighbourhoods(graph, list(supply_c), good_ids, policy.max_distance)
        for i in supply_c:
            for g, hops in sorted(near[i].items()):
                link(i, g, "mobility", gcost[g] + arc_cost("adjacent", hops))
    else:
        _link_hubs(net, by_id, sources, good_ids, cap_c, gcost, policy.mobility == "any")
    for i, node in sources.items():
        if net.has_node(node):
            net.nodes[node]["supply"] = net.nodes[node].get("supply", 0) + supply_c[i]
    flow = _solve(net)
    moves = _moves(flow, direct, pools, supply_c)
    _fill(result, moves, policy, hours_per_fte)
    return result


def _link_hubs(net: nx.DiGraph, by_id: dict[str, ActivityFacts], sources: dict[str, tuple[object, ...]],
               good_ids: set[str], cap_c: dict[str, int], gcost: dict[str, int], anywhere: bool) -> None:
    """Mobility ``stage`` / ``any``: suppliers → stage hub (and the global hub) → goods."""
    for g in sorted(good_ids):
        if cap_c[g] <= 0:
            continue
        stage = by_id[g].activity.stage
        if stage is not None:
            net.add_edge(("hub", stage), ("good", g), weight=gcost[g] + arc_cost("stage"))
        if anywhere:
            net.add_edge(("hub*",), ("good", g), weight=gcost[g] + arc_cost("any"))
    for i, node in sources.items():
        stage = by_id[i].activity.stage
        if stage is not None and net.has_node(("hub", stage)):
            net.add_edge(node, ("hub", stage), weight=0)
        if anywhere and net.has_node(("hub*",)):
            net.add_edge(node, ("hub*",), weight=0)


def _solve(net: nx.DiGraph) -> dict[object, dict[object, int]]:
    """Maximum flow of least cost from suppliers to goods, one weakly connected component at a time.

    Node attributes: ``supply`` (centi-hours offered), ``cap`` (centi-hours a
    good absorbs). Each component gets its own source and sink and is solved
    by ``networkx.network_simplex`` with a bypass arc source → sink of cost
    ``M = 3 × max_weight × S + 1`` (S = the component's supply): every unit
    placed saves more than any placement can cost, so the optimum places the
    maximum and, among maximum placements, is the cheapest — the same answer
    as ``networkx.max_flow_min_cost``, without its separate max-flow pass.
    A component with one supplier and one good needs no solver: it places
    ``min(supply, cap)``.
    """
    flow: dict[object, dict[object, int]] = {}
    for comp in sorted((sorted(c, key=str) for c in nx.weakly_connected_components(net)), key=lambda c: str(c[0])):
        supply = [(n, net.nodes[n]["supply"]) for n in comp if net.nodes[n].get("supply", 0) > 0]
        caps = [(n, net.nodes[n]["cap"]) for n in comp if net.nodes[n].get("cap", 0) > 0]
        if not supply or not caps:
            continue
        if len(comp) == 2 and len(supply) == 1 and len(caps) == 1 and net.has_edge(supply[0][0], caps[0][0]):
            flow[supply[0][0]] = {caps[0][0]: min(supply[0][1], caps[0][1])}
            continue
        sub: nx.DiGraph = nx.DiGraph()
        src, sink = ("src",), ("sink",)
        total = sum(c for _n, c in supply)
        sub.add_node(src, demand=-total)
        sub.add_node(sink, demand=total)
        for n, c in supply:
            sub.add_edge(src, n, capacity=c, weight=0)
        sub.add_edges_from(net.subgraph(comp).edges(data=True))
        for n, c in caps:
            sub.add_edge(n, sink, capacity=c, weight=0)
        max_weight = max((int(w) for _u, _v, w in sub.edges(data="weight", default=0)), default=0)
        sub.add_edge(src, sink, capacity=total, weight=3 * max_weight * total + 1)
        _cost, solved = nx.network_simplex(sub)
        for u, targets in solved.items():
            if u != src:
                flow.setdefault(u, {}).update({v: x for v, x in targets.items() if v != sink})
    return flow


def _split_pool(members: list[str], supply_c: dict[str, int],
                outs: list[tuple[object, int]]) -> list[tuple[str, object, int]]:
    """Split a pooled supplier's outflows back to its members, greedily in id order."""
    names = sorted(members)
    left = [supply_c[m] for m in names]
    out: list[tuple[str, object, int]] = []
    k = 0
    for target, amount in outs:
        while amount > 0 and k < len(left):
            take = min(amount, left[k])
            out.append((names[k], target, take))
            amount -= take
            left[k] -= take
            if left[k] == 0:
                k += 1
    return out


def _moves(flow: dict[object, dict[object, int]], direct: dict[tuple[str, str], str],
           pools: dict[object, list[str]], supply_c: dict[str, int]) -> dict[tuple[str, str, str], int]:
    """``(from, to, via) → centi-hours`` from a flow dict: direct arcs as they are, pools and hubs paired greedily."""
    moves: dict[tuple[str, str, str], int] = defaultdict(int)
    hub_in: dict[object, list[list[object]]] = defaultdict(list)
    hub_out: dict[object, list[list[object]]] = defaultdict(list)
    pool_out: dict[object, list[tuple[object, int]]] = defaultdict(list)
    for u in sorted(flow, key=str):
        for v, amount in sorted(flow[u].items(), key=lambda kv: str(kv[0])):
            if amount <= 0 or not isinstance(u, tuple) or not isinstance(v, tuple):
                continue
            if u[0] == "sup" and v[0] == "good":
                moves[(str(u[1]), str(v[1]), direct[(str(u[1]), str(v[1]))])] += amount
            elif u[0] == "sup" and str(v[0]).startswith("hub"):
                hub_in[v].append([u[1], amount])
            elif u[0] == "pool":
                pool_out[u].append((v, amount))
            elif str(u[0]).startswith("hub") and v[0] == "good":
                hub_out[u].append([v[1], amount])
    for pool in sorted(pool_out, key=str):
        for member, hub, amount in _split_pool(pools[pool], supply_c, pool_out[pool]):
            hub_in[hub].append([member, amount])
    for hub in sorted(hub_in, key=str):
        ins = sorted(hub_in[hub], key=lambda x: str(x[0]))
        outs = hub_out[hub]
        a = b = 0
        while a < len(ins) and b < len(outs):
            amount = min(int(ins[a][1]), int(outs[b][1]))  # type: ignore[call-overload]
            frm, to = str(ins[a][0]), str(outs[b][0])
            moves[(frm, to, "own" if frm == to else "mobility")] += amount
            ins[a][1] = int(ins[a][1]) - amount  # type: ignore[call-overload]
            outs[b][1] = int(outs[b][1]) - amount  # type: ignore[call-overload]
            if ins[a][1] == 0:
                a += 1
            if outs[b][1] == 0:
                b += 1
    return moves


def _fill(result: ReinvestResult, moves: dict[tuple[str, str, str], int], policy: Policy,
          hours_per_fte: float) -> None:
    """Turn centi-hour moves into the allocation list, received/sent totals and transfer training."""
    training = {(t.from_, t.to): t.training_hours_per_fte for t in policy.transfers}
    received: dict[str, int] = defaultdict(int)
    sent: dict[str, int] = defaultdict(int)
    total = 0
    for (frm, to, via), centi in sorted(moves.items()):
        if centi <= 0:
            continue
        hours = centi / 100
        train = training.get((frm, to), 0.0) * hours / hours_per_fte if via == "transfer" else 0.0
        result.allocation.append(Allocation(from_=frm, to=to, hours=hours, via=via,
                                            training_hours=train))
        result.transfer_training_hours += train
        received[to] += centi
        sent[frm] += centi
        total += centi
    result.allocated_centi = total
    result.received = {g: c / 100 for g, c in sorted(received.items())}
    result.sent = {i: c / 100 for i, c in sorted(sent.items())}
