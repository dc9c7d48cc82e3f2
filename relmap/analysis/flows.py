"""Solvers for the reinvestment network of :mod:`relmap.analysis.reinvest`, in integer centi-hours.

The network (a ``networkx.DiGraph``) has supplier nodes ``("sup", id)`` or
pooled suppliers ``("pool", stage)`` with a ``supply`` attribute, hubs
``("hub", stage)``, goods ``("good", id)`` with a ``cap`` attribute, and arcs
with an integer ``weight`` (no capacity: only supplies and caps bind).
A solution is a flow dict ``{u: {v: centi-hours}}`` over those arcs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeVar

import networkx as nx

__all__ = ["decode_moves", "pour", "solve_network"]

Node = tuple[str, ...]
S = TypeVar("S")
D = TypeVar("D")
FlowDict = dict[object, dict[object, int]]


def solve_network(net: nx.DiGraph) -> FlowDict:
    """Maximum placement of least cost, one weakly connected component at a time.

    A component is solved by :func:`_solve_hub` when it is a single stage hub
    with own arcs only (the common case, exact and linear after a sort), by
    :func:`_solve_simplex` (exact; about 5 s for an 11,000-node component of a
    10,000-activity chain with ``adjacent`` mobility); the layered encoding
    of ``adjacent`` (:mod:`relmap.analysis.reach`) by :func:`_solve_unplaced`.
    """
    flow: FlowDict = {}
    data = dict(net.nodes(data=True))
    for comp, sub, solver, hub, arcs in _components(net):
        supply = {n: data[n]["supply"] for n in comp if data[n].get("supply", 0) > 0}
        caps = {n: data[n]["cap"] for n in comp if data[n].get("cap", 0) > 0}
        if not supply or not caps:
            continue
        if solver == "unplaced":
            part = _solve_unplaced(sub, supply, caps)
        elif solver == "hub":
            assert isinstance(arcs, HubArcs)
            part = _solve_hub(arcs, hub, supply, caps)
        else:
            assert isinstance(arcs, list)
            part = _solve_simplex(arcs, supply, caps)
        for u, targets in part.items():
            flow.setdefault(u, {}).update(targets)
    return flow


class HubArcs:
    """The arcs :func:`_solve_hub` reads in a one-hub component, read off the network once (it is reused with
    other supplies, :mod:`.reinvest`): ``own[n]``, the weight of the arc ``("sup", n[1]) → n``; ``through[n]``,
    the weight of ``hub → n``; ``feeds``, the nodes with an arc into the hub. ``graph``: the component's
    subgraph, or the whole network (an arc from a node of the component never leaves it)."""

    __slots__ = ("feeds", "own", "through")

    def __init__(self, graph: nx.DiGraph, comp: list[Any], hub: object) -> None:
        self.own: dict[object, int] = {}
        self.through: dict[object, int] = {}
        adj = graph.adj
        for n in comp:
            sup = ("sup", n[1]) if isinstance(n, tuple) and len(n) > 1 else None
            if sup is not None and sup in adj and n in adj[sup]:
                self.own[n] = int(adj[sup][n]["weight"])
            if hub is not None and n in adj[hub]:
                self.through[n] = int(adj[hub][n]["weight"])
        self.feeds: set[object] = {n for n in comp if hub is not None and hub in adj[n]}


#: nodes (sorted), subgraph, solver, hub, and what the solver reads of the arcs: :class:`HubArcs`, or the
#: arcs with their data sorted as :func:`_solve_simplex` adds them (unused by the layered solver)
Component = tuple[list[Any], nx.DiGraph, str, object, "HubArcs | list[tuple[Any, Any, dict[str, Any]]]"]


def _components(net: nx.DiGraph) -> list[Component]:
    """The weakly connected components of ``net`` in a fixed order, each with its subgraph and its solver.

    Kept on ``net`` (its arcs do not change; a reused network, :mod:`.reinvest`, only changes supplies).
    """
    cached: list[Component] | None = net.graph.get("_components")
    if cached is not None:
        return cached
    out: list[Component] = []
    for comp in sorted((sorted(c, key=str) for c in nx.weakly_connected_components(net)), key=lambda c: str(c[0])):
        sub = net.subgraph(comp)
        hubs = [n for n in comp if n[0] == "hub"]
        direct = [(u, v) for u, v in sub.edges if u[0] in ("sup", "pool") and v[0] == "good"]
        plain = all(n[0] in ("sup", "pool", "hub", "good") for n in comp)  # role networks add other hubs
        layered = any(n[0] in ("lay", "twin") for n in comp)  # mobility adjacent, dense shape (analysis.reach)
        if layered:
            out.append((comp, sub, "unplaced", None, []))
        elif plain and len(hubs) <= 1 and all(u[1] == v[1] and u[0] == "sup" for u, v in direct):
            hub = hubs[0] if hubs else None
            out.append((comp, sub, "hub", hub, HubArcs(net, comp, hub)))
        else:  # the component's arcs are the arcs out of its nodes
            arcs = sorted(net.edges(comp, data=True), key=lambda e: (str(e[0]), str(e[1])))
            out.append((comp, sub, "simplex", None, arcs))
    net.graph["_components"] = out
    return out


def _solve_simplex(edges: list[tuple[Any, Any, dict[str, Any]]], supply: dict[object, int],
                   caps: dict[object, int]) -> FlowDict:
    """``networkx.network_simplex`` with a source, a sink and a bypass arc source → sink.

    The bypass costs ``M = 3 × max_weight × S + 1`` (S = the supply): every
    unit placed saves more than any placement can cost, so the optimum places
    the maximum and, among maximum placements, is the cheapest — what
    ``networkx.max_flow_min_cost`` returns, without its separate max-flow pass.
    ``edges``: the component's arcs with their data, sorted by (from, to) as text.
    """
    work: nx.DiGraph = nx.DiGraph()
    src, sink = ("src",), ("sink",)
    total = sum(supply.values())
    work.add_node(src, demand=-total)
    work.add_node(sink, demand=total)
    for n in sorted(supply, key=str):
        work.add_edge(src, n, capacity=supply[n], weight=0)
    work.add_edges_from(edges)
    for n in sorted(caps, key=str):
        work.add_edge(n, sink, capacity=caps[n], weight=0)
    max_weight = max((int(w) for _u, _v, w in work.edges(data="weight", default=0)), default=0)
    work.add_edge(src, sink, capacity=total, weight=3 * max_weight * total + 1)
    _cost, solved = nx.network_simplex(work)
    return {u: {v: x for v, x in targets.items() if v != sink and x > 0}
            for u, targets in solved.items() if u != src}


def _solve_unplaced(sub: nx.DiGraph, supply: dict[object, int], caps: dict[object, int]) -> FlowDict:
    """The same optimum as :func:`_solve_simplex`, written with supplies as node demands.

    Each supplier supplies its amount (demand ``−s``) and has an arc to the
    sink of cost ``M = 3 × max_weight × S + 1`` for what stays unplaced; the
    goods reach the sink within their caps. As with the bypass, every unit
    placed saves more than any placement costs: maximum placement, then least
    cost. Why: without the source node, network simplex pivots about half as
    often on the layered network of a hub (a 3,000-activity star: 7 → 3.7 s
    for three scenarios).
    """
    work: nx.DiGraph = nx.DiGraph()
    sink = ("sink",)
    total = sum(supply.values())
    for n in sorted(supply, key=str):
        work.add_node(n, demand=-supply[n])
    work.add_edges_from(sorted(sub.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))))
    work.add_node(sink, demand=total)
    for n in sorted(caps, key=str):
        work.add_edge(n, sink, capacity=caps[n], weight=0)
    max_weight = max((int(w) for _u, _v, w in work.edges(data="weight", default=0)), default=0)
    for n in sorted(supply, key=str):  # suppliers are never goods here (("sup", i) and ("good", i) differ)
        work.add_edge(n, sink, capacity=supply[n], weight=3 * max_weight * total + 1)
    _cost, solved = nx.network_simplex(work)
    return {u: {v: x for v, x in targets.items() if v != sink and x > 0}
            for u, targets in solved.items() if u != sink}


def _solve_hub(arcs: HubArcs, hub: object, supply: dict[object, int], caps: dict[object, int]) -> FlowDict:
    """Exact greedy for one hub: suppliers → hub → goods, plus each good's own arc.

    Good j receives y_j ≤ cap_j, of which o_j from its own supply s_j (own arc
    weight w_own) and the rest through the hub (weight w_hub ≥ w_own). Using
    as much own supply as possible is optimal, so the cost of good j is the
    convex piecewise-linear ``w_own × min(y, s'_j) + w_hub × max(0, y − s'_j)``
    with ``s'_j = min(s_j, cap_j)``. Minimising a sum of such functions with
    ``Σ y_j = min(supply, capacity)`` (the maximum: every supplier reaches the
    hub) is done exactly by taking the unit segments in increasing weight
    (ties: good id, own segment first). The hub's inflow is then taken from
    the suppliers' remaining supply in node order. ``arcs``: the component's
    own and hub arcs (:class:`HubArcs`).
    """
    total = min(sum(supply.values()), sum(caps.values()))
    segments: list[tuple[int, str, int, object, int]] = []
    for good, cap in caps.items():
        w_own = arcs.own.get(good)
        own = min(supply.get(("sup", good[1]), 0), cap) if w_own is not None else 0  # type: ignore[index]
        if own:
            assert w_own is not None
            segments.append((w_own, str(good), 0, good, own))
        w_hub = arcs.through.get(good)
        if cap > own and w_hub is not None:
            segments.append((w_hub, str(good), 1, good, cap - own))
    flow: FlowDict = defaultdict(dict)
    left = total
    hub_need = 0
    used: dict[object, int] = defaultdict(int)
    for _w, _key, kind, good, length in sorted(segments, key=lambda s: s[:3]):
        take = min(left, length)
        if take <= 0:
            break
        left -= take
        if kind == 0:
            sup = ("sup", good[1])  # type: ignore[index]
            flow[sup][good] = take
            used[sup] += take
        else:
            flow[hub][good] = take
            hub_need += take
    for node in sorted(supply, key=str):
        if hub_need <= 0:
            break
        take = min(hub_need, supply[node] - used[node])
        if take > 0 and node in arcs.feeds:
            flow[node][hub] = take
            hub_need -= take
    return dict(flow)


def _split_pool(members: list[str], supply_c: dict[str, int],
                outs: list[tuple[object, int]]) -> list[tuple[str, object, int]]:
    """Split a pooled supplier's outflows back to its members, greedily in content order.

    (Members are the aliases of :mod:`.reinvest`, numbered in content order.)
    """
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


def decode_moves(flow: FlowDict, direct: dict[tuple[str, str], str], pools: dict[object, list[str]],
                 supply_c: dict[str, int]) -> dict[tuple[str, str, str], int]:
    """``(from, to, via) → centi-hours``: direct arcs as they are; pools split, hubs paired greedily.

    Pairing follows alias order, which is content order (:mod:`.reinvest`).

    Any pairing of a hub's inflows with its outflows is valid (every supplier
    of a hub may reach every good of the hub) and costs the same (costs sit on
    the hub → good arcs).
    """
    moves: dict[tuple[str, str, str], int] = defaultdict(int)
    hub_in: dict[object, list[tuple[str, int]]] = defaultdict(list)
    hub_out: dict[object, list[tuple[str, int]]] = defaultdict(list)
    pool_out: dict[object, list[tuple[object, int]]] = defaultdict(list)
    for u in sorted(flow, key=str):
        for v, amount in sorted(flow[u].items(), key=lambda kv: str(kv[0])):
            if amount <= 0 or not isinstance(u, tuple) or not isinstance(v, tuple):
                continue
            if u[0] == "sup" and v[0] == "good":
                moves[(str(u[1]), str(v[1]), direct[(str(u[1]), str(v[1]))])] += amount
            elif u[0] == "sup" and v[0] == "hub":
                hub_in[v].append((str(u[1]), amount))
            elif u[0] == "pool":
                pool_out[u].append((v, amount))
            elif u[0] == "hub" and v[0] == "good":
                hub_out[u].append((str(v[1]), amount))
    for pool in sorted(pool_out, key=str):
        for member, hub, amount in _split_pool(pools[pool], supply_c, pool_out[pool]):
            hub_in[hub].append((member, amount))
    for hub in sorted(hub_in, key=str):
        for frm, to, amount in pour(sorted(hub_in[hub]), hub_out[hub]):
            moves[(frm, to, "own" if frm == to else "mobility")] += amount
    return moves


def pour(sources: list[tuple[S, int]], sinks: list[tuple[D, int]]) -> list[tuple[S, D, int]]:
    """Pair amounts greedily in the given orders: ``[(from, to, amount)]`` (stops when either side is empty)."""
    out: list[tuple[S, D, int]] = []
    src_names = [name for name, amount in sources if amount > 0]
    src_left = [amount for _name, amount in sources if amount > 0]
    dst_names = [name for name, amount in sinks if amount > 0]
    dst_left = [amount for _name, amount in sinks if amount > 0]
    a = b = 0
    while a < len(src_left) and b < len(dst_left):
        amount = min(src_left[a], dst_left[b])
        out.append((src_names[a], dst_names[b], amount))
        src_left[a] -= amount
        dst_left[b] -= amount
        if src_left[a] == 0:
            a += 1
        if dst_left[b] == 0:
            b += 1
    return out
