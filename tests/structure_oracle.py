"""The graph evidence as :mod:`relmap.analysis.structure` computed it on networkx graphs before it read the graph
through integer lists (relmap 2026-12-02, eeb76c9): the oracle the faster code is checked against."""

from __future__ import annotations

from collections import deque

import networkx as nx

from relmap.analysis.graph import activity_ids, customer_ids, reach_graph
from relmap.analysis.structure import BETWEENNESS_EXACT_BELOW, BETWEENNESS_SAMPLES, BETWEENNESS_SEED


def old_metrics(graph: nx.DiGraph, goods: set[str]) -> dict[str, dict[str, object]]:
    """Every activity's metrics, computed the former way (networkx's betweenness: equal bit for bit to relmap's,
    see tests/test_graph.py)."""
    customers = set(customer_ids(graph))
    paths = reach_graph(graph, customers)
    dist = customer_distances(graph, paths)
    reach = customer_reach(graph, goods, paths)
    sub = graph.subgraph(activity_ids(graph))
    n = sub.number_of_nodes()
    if n < BETWEENNESS_EXACT_BELOW:
        between = nx.betweenness_centrality(sub, normalized=True)
    else:
        between = nx.betweenness_centrality(sub, k=min(n, max(BETWEENNESS_SAMPLES, 100_000 // n)), normalized=True,
                                            seed=BETWEENNESS_SEED)
    cuts = set(nx.articulation_points(graph.to_undirected(as_view=True)))
    out: dict[str, dict[str, object]] = {}
    for node in activity_ids(graph):
        neighbours = set(graph.predecessors(node)) | set(graph.successors(node))
        actors = {n for n in neighbours if graph.nodes[n].get("node") == "actor"}
        out[node] = {"touchpoint": bool(actors), "touches_customer": bool(actors & customers),
                     "customer_distance": dist.get(node), "betweenness": between.get(node, 0.0),
                     "articulation_point": node in cuts, "customer_reach": reach.get(node, 0.0),
                     "in_degree": graph.in_degree(node), "out_degree": graph.out_degree(node)}
    return out


def customer_distances(graph: nx.DiGraph, reach: nx.DiGraph | None = None) -> dict[str, int]:
    """Fewest edges from each node to a customer actor, following flow direction.

    Computed by one multi-source breadth-first search from every customer on
    the reversed :func:`relmap.analysis.graph.reach_graph` (paths end at the first
    customer they meet). Nodes with no path are absent. Customers are at 0.
    ``reach``: that reach graph when the caller has it already.
    """
    customers = customer_ids(graph)
    if reach is None:
        reach = reach_graph(graph, customers)
    dist: dict[str, int] = {c: 0 for c in customers}
    queue = deque(customers)
    while queue:
        node = queue.popleft()
        for pred in reach.predecessors(node):
            if pred not in dist:
                dist[pred] = dist[node] + 1
                queue.append(pred)
    return dist


def customer_reach(graph: nx.DiGraph, goods: set[str], reach: nx.DiGraph | None = None) -> dict[str, float]:
    """Share of each node's paths to customers that pass through a relational good.

    Definition (computable in linear time, exact on acyclic chains): take the
    :func:`~relmap.analysis.graph.reach_graph` (customers are sinks) and condense its
    strongly connected components into a DAG; a component is *relational* when
    it holds a relational good. Count paths in that DAG, ending at a customer:
    ``N(c) = 1, R(c) = 0`` for a customer; otherwise
    ``N(C) = Σ_{D ∈ succ(C)} N(D)`` and
    ``R(C) = Σ_{D ∈ succ(C)} (N(D) if D is relational else R(D))``.
    ``customer_reach(v) = R(C(v)) / N(C(v))``: the share of the paths leaving
    v's component that meet a relational good *after* v, before the customer
    (v itself does not count). 0 when v reaches no customer. Counts are exact
    Python integers, so long chains cannot overflow. ``reach``: the reach graph when the caller has it already.
    """
    customers = set(customer_ids(graph))
    if reach is None:
        reach = reach_graph(graph, customers)
    cond = nx.condensation(reach)
    members: dict[int, list[str]] = {c: sorted(cond.nodes[c]["members"]) for c in cond.nodes}
    relational = {c: any(m in goods for m in ms) for c, ms in members.items()}
    n_paths: dict[int, int] = {}
    r_paths: dict[int, int] = {}
    for comp in reversed(list(nx.topological_sort(cond))):
        ms = members[comp]
        if len(ms) == 1 and ms[0] in customers:
            n_paths[comp], r_paths[comp] = 1, 0
            continue
        n = r = 0
        for succ in cond.successors(comp):
            n += n_paths[succ]
            r += n_paths[succ] if relational[succ] else r_paths[succ]
        n_paths[comp], r_paths[comp] = n, r
    mapping = cond.graph["mapping"]
    out: dict[str, float] = {}
    for node in graph.nodes:
        comp = mapping[node]
        n = n_paths[comp]
        out[node] = r_paths[comp] / n if n and node not in customers else 0.0
    return out


