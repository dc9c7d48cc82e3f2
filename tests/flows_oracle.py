"""The reinvestment solvers as :mod:`relmap.analysis.flows` had them before the arcs they read were kept with each
component (relmap 2026-12-02, eeb76c9): the oracle the faster code is checked against."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

FlowDict = dict[object, dict[object, int]]


def old_solve_network(net: nx.DiGraph) -> FlowDict:
    """Maximum placement of least cost, one weakly connected component at a time.

    A component is solved by :func:`_solve_hub` when it is a single stage hub
    with own arcs only (the common case, exact and linear after a sort), by
    :func:`_solve_simplex` (exact; about 5 s for an 11,000-node component of a
    10,000-activity chain with ``adjacent`` mobility); the layered encoding
    of ``adjacent`` (:mod:`relmap.analysis.reach`) by :func:`_solve_unplaced`.
    """
    flow: FlowDict = {}
    for comp, sub, solver, hub in _old_components(net):
        supply = {n: net.nodes[n]["supply"] for n in comp if net.nodes[n].get("supply", 0) > 0}
        caps = {n: net.nodes[n]["cap"] for n in comp if net.nodes[n].get("cap", 0) > 0}
        if not supply or not caps:
            continue
        if solver == "unplaced":
            part = _solve_unplaced(sub, supply, caps)
        elif solver == "hub":
            part = _solve_hub(sub, hub, supply, caps)
        else:
            part = _solve_simplex(sub, supply, caps)
        for u, targets in part.items():
            flow.setdefault(u, {}).update(targets)
    return flow


Component = tuple[list[Any], nx.DiGraph, str, object]


def _old_components(net: nx.DiGraph) -> list[Component]:
    """The weakly connected components of ``net`` in a fixed order, each with its subgraph and its solver.

    Kept on ``net`` (its arcs do not change; a reused network, :mod:`.reinvest`, only changes supplies).
    """
    cached: list[Component] | None = net.graph.get("_old_components")
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
            out.append((comp, sub, "unplaced", None))
        elif plain and len(hubs) <= 1 and all(u[1] == v[1] and u[0] == "sup" for u, v in direct):
            out.append((comp, sub, "hub", hubs[0] if hubs else None))
        else:
            out.append((comp, sub, "simplex", None))
    net.graph["_old_components"] = out
    return out


def _solve_simplex(sub: nx.DiGraph, supply: dict[object, int], caps: dict[object, int]) -> FlowDict:
    """``networkx.network_simplex`` with a source, a sink and a bypass arc source → sink.

    The bypass costs ``M = 3 × max_weight × S + 1`` (S = the supply): every
    unit placed saves more than any placement can cost, so the optimum places
    the maximum and, among maximum placements, is the cheapest — what
    ``networkx.max_flow_min_cost`` returns, without its separate max-flow pass.
    """
    work: nx.DiGraph = nx.DiGraph()
    src, sink = ("src",), ("sink",)
    total = sum(supply.values())
    work.add_node(src, demand=-total)
    work.add_node(sink, demand=total)
    for n in sorted(supply, key=str):
        work.add_edge(src, n, capacity=supply[n], weight=0)
    work.add_edges_from(sorted(sub.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))))
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


def _solve_hub(sub: nx.DiGraph, hub: object, supply: dict[object, int], caps: dict[object, int]) -> FlowDict:
    """Exact greedy for one hub: suppliers → hub → goods, plus each good's own arc.

    Good j receives y_j ≤ cap_j, of which o_j from its own supply s_j (own arc
    weight w_own) and the rest through the hub (weight w_hub ≥ w_own). Using
    as much own supply as possible is optimal, so the cost of good j is the
    convex piecewise-linear ``w_own × min(y, s'_j) + w_hub × max(0, y − s'_j)``
    with ``s'_j = min(s_j, cap_j)``. Minimising a sum of such functions with
    ``Σ y_j = min(supply, capacity)`` (the maximum: every supplier reaches the
    hub) is done exactly by taking the unit segments in increasing weight
    (ties: good id, own segment first). The hub's inflow is then taken from
    the suppliers' remaining supply in node order.
    """
    total = min(sum(supply.values()), sum(caps.values()))
    segments: list[tuple[int, str, int, object, int]] = []
    own_supply: dict[object, int] = {}
    for good, cap in caps.items():
        sup = ("sup", good[1])  # type: ignore[index]
        own = min(supply.get(sup, 0), cap) if sub.has_edge(sup, good) else 0
        own_supply[good] = own
        if own:
            segments.append((int(sub.edges[sup, good]["weight"]), str(good), 0, good, own))
        if cap > own and hub is not None and sub.has_edge(hub, good):
            segments.append((int(sub.edges[hub, good]["weight"]), str(good), 1, good, cap - own))
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
        if take > 0 and sub.has_edge(node, hub):
            flow[node][hub] = take
            hub_need -= take
    return dict(flow)
