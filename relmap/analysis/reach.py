"""``mobility: adjacent`` in time linear in the flows, whatever the shape of the chain.

The moves allowed by ``adjacent`` link a supplier ``i`` to every relational
good ``g`` within ``k = max_distance`` undirected activity hops, at the cost
``gcost_g + 10 × hops(i, g)`` (:func:`relmap.analysis.reinvest.arc_cost`).
Written as one arc per pair, that is quadratic on some shapes: a hub with a
flow to each of ``n`` activities puts every pair within two hops, so ``n²``
arcs (3,000 activities took over 10 minutes before).

Two exact encodings of the same moves:

* **direct** — one arc per pair (:func:`neighbourhoods`), kept when the
  pairs are few (at most :func:`pair_budget`, linear in the edges): the
  common case, whose answers do not change;
* **layered** — otherwise (:func:`add_layered`): node ``(v, h)`` for an
  activity ``v`` reached after ``h`` hops, arcs ``(v, h) → (u, h + 1)`` of
  weight 10 for each neighbour ``u`` of ``v``, ``supplier i → (i, 0)`` of
  weight 0, and ``(g, h) → good g`` of weight ``gcost_g`` for ``1 ≤ h ≤ k``.
  A path from ``i`` to ``g`` costs ``gcost_g + 10 × h`` with ``h ≥
  hops(i, g)``, and no arc has a capacity, so an optimal flow only uses
  shortest paths: the optimum is the direct encoding's. It has at most
  ``(k + 1) × (V + 2E)`` arcs. Nodes that no supplier reaches in ``h`` hops,
  or from which no good is reachable in the ``k − h`` hops left, are left out;
  layer 0 is the suppliers, layer ``k`` is folded into its arcs to goods, a
  layer-1 node with one way in is folded into it, and suppliers with the same
  neighbours (a hub's spokes) are one node. Each step is exact (series or
  parallel arcs, interchangeable suppliers); the component is solved by
  :func:`relmap.analysis.flows._solve_unplaced`.

:func:`layered_moves` turns a layered flow back into ``supplier → good``
amounts by path decomposition (suppliers in id order, arcs in sorted order),
so the rest of the allocation reads them as direct moves.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable

import networkx as nx

from .flows import pour

__all__ = ["activity_adjacency", "add_layered", "layered_moves", "link_adjacent", "neighbourhoods", "pair_budget"]

#: the direct encoding is kept while its pairs are at most this many per (hop × (node + edge end))
PAIRS_PER_EDGE = 4
#: … and in any case up to this many pairs (small chains: the direct encoding, as always)
MIN_PAIRS = 2_000

Adjacency = dict[str, list[str]]


def activity_adjacency(graph: nx.DiGraph) -> Adjacency:
    """Each activity's neighbours among activities, ignoring direction (sorted); cached on the graph."""
    adjacency: Adjacency | None = graph.graph.get("_activity_adjacency")
    if adjacency is None:  # computed once per graph, shared by every scenario
        is_act = {n for n, d in graph.nodes(data=True) if d.get("node") == "activity"}
        adjacency = {n: sorted((set(graph.predecessors(n)) | set(graph.successors(n))) & is_act) for n in is_act}
        graph.graph["_activity_adjacency"] = adjacency
    return adjacency


def pair_budget(adjacency: Adjacency, max_hops: int) -> int:
    """The most supplier → good pairs written as direct arcs: ``max(MIN_PAIRS, 4 × k × (V + 2E))``."""
    ends = sum(len(nbs) for nbs in adjacency.values())  # 2E
    return max(MIN_PAIRS, PAIRS_PER_EDGE * max_hops * (len(adjacency) + ends))


def neighbourhoods(adjacency: Adjacency, sources: list[str], goods: set[str], max_hops: int,
                   budget: int | None = None) -> dict[str, dict[str, int]] | None:
    """For each source, the goods within ``max_hops`` hops with their hop count; ``None`` past ``budget`` pairs.

    The breadth-first searches stop as soon as the nodes visited exceed the
    budget, so the cost is bounded by the budget whatever the shape.
    """
    out: dict[str, dict[str, int]] = {}
    visited = 0
    for src in sources:
        dist = {src: 0}
        frontier = [src]
        for hop in range(1, max_hops + 1):
            nxt: list[str] = []
            for node in frontier:
                for nb in adjacency[node]:
                    if nb not in dist:
                        dist[nb] = hop
                        nxt.append(nb)
            visited += len(nxt)
            if budget is not None and visited > budget:
                return None
            frontier = nxt
        out[src] = {g: d for g, d in dist.items() if g in goods and g != src}
    return out


def _distances(adjacency: Adjacency, starts: list[str], max_hops: int) -> dict[str, int]:
    """Hops from the nearest of ``starts`` (multi-source breadth-first search), up to ``max_hops``."""
    dist = dict.fromkeys(starts, 0)
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        if dist[node] >= max_hops:
            continue
        for nb in adjacency[node]:
            if nb not in dist:
                dist[nb] = dist[node] + 1
                queue.append(nb)
    return dist


def add_layered(net: nx.DiGraph, adjacency: Adjacency, supply: dict[str, int], fixed: set[str],
                goods: dict[str, int], max_hops: int, hop_cost: int,
                link: Callable[[str, str, int], None]) -> dict[object, list[tuple[str, int]]]:
    """Add the layered encoding of the ``adjacent`` moves to ``net`` (see the module docstring).

    Suppliers that are not in ``fixed`` (goods, senders of a transfer) and
    have the same neighbours reach the same goods at the same costs: they are
    one node ``("twin", n)`` whose supply is their sum (the many spokes of a
    hub are then one node), split back in id order by :func:`layered_moves`.

    Args:
        net: the reinvestment network; suppliers are ``("sup", id)``, goods ``("good", id)``.
        adjacency: :func:`activity_adjacency`.
        supply: supplier id → supply.
        fixed: suppliers that keep their own node (they have other arcs: own, transfers).
        goods: id → weight of the arc into the good (``gcost``), for goods with room.
        max_hops: ``policy.max_distance``.
        hop_cost: the cost of one hop.
        link: adds a direct move ``(supplier, good, hops)`` (a layer-1 node with one way in is folded
            into it, so a supplier may get direct arcs too).

    Returns:
        The members of each twin node, in id order, with their supplies.
    """
    from_supply = _distances(adjacency, sorted(supply), max_hops)
    to_good = _distances(adjacency, sorted(goods), max_hops)
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for i in sorted(supply):
        if i not in fixed:
            groups[tuple(adjacency[i])].append(i)
    twins: dict[object, list[tuple[str, int]]] = {}
    first: dict[str, tuple[str, ...]] = {}  # layer-0 node of a supplier
    for n, (_key, members) in enumerate(sorted(groups.items())):
        twin = ("twin", str(n))
        twins[twin] = [(m, supply[m]) for m in members]
        first[members[0]] = twin
        net.add_node(twin, supply=sum(supply[m] for m in members))
    for i in sorted(supply):
        if i in fixed:
            first[i] = ("sup", i)

    def kept(v: str, hop: int) -> bool:
        return from_supply.get(v, max_hops + 1) <= hop and hop + to_good.get(v, max_hops + 1) <= max_hops

    def node(v: str, hop: int) -> tuple[str, ...]:
        return first[v] if hop == 0 else ("lay", v, str(hop))

    def emit(src: tuple[str, ...], target: tuple[str, ...], weight: int, hops: int) -> None:
        """An arc, or the cheaper of two parallel ones; a supplier → good arc is a direct move (``link``)."""
        if src[0] == "sup" and target[0] == "good":
            link(src[1], target[1], hops)
        elif not net.has_edge(src, target) or net.edges[src, target]["weight"] > weight:
            net.add_edge(src, target, weight=weight)

    preds: dict[str, set[tuple[str, ...]]] = defaultdict(set)  # layer-1 node → the layer-0 nodes before it
    for v in first:
        for nb in adjacency[v]:
            preds[nb].add(first[v])
    for hop in range(max_hops):  # layer 0 is the suppliers themselves; layer k is folded into its exits
        layer = sorted(first) if hop == 0 else sorted(v for v in from_supply if kept(v, hop))
        for v in layer:
            src, extra = node(v, hop), 0
            if hop == 1 and len(preds[v]) == 1:  # one way in: its arcs start from there (series arcs, exact)
                src, extra = next(iter(preds[v])), hop_cost
            if hop > 0 and v in goods:
                emit(src, ("good", v), extra + goods[v], hop)
            for nb in adjacency[v]:
                if not kept(nb, hop + 1):
                    continue
                if hop + 1 < max_hops:
                    if not (hop == 0 and len(preds[nb]) == 1):  # else (nb, 1) is folded into its way in
                        emit(src, node(nb, hop + 1), extra + hop_cost, hop + 1)
                elif nb in goods and not (hop == 0 and nb == v):
                    emit(src, ("good", nb), extra + hop_cost + goods[nb], hop + 1)
    return twins


def layered_moves(flow: dict[object, dict[object, int]],
                  twins: dict[object, list[tuple[str, int]]]) -> dict[tuple[str, str], int]:
    """``(supplier, good) → amount`` from a flow over the layered arcs (path decomposition, deterministic).

    Paths are followed from each supplier in id order, arcs in sorted order;
    a twin node's paths are then shared among its members in id order. The
    layered arcs are removed from ``flow``; the others are left as they are.
    """
    out_arcs: dict[object, deque[list[object]]] = defaultdict(deque)  # node → [[target, amount left]] sorted
    starts: list[tuple[str, str, object, object, int]] = []
    for u in sorted(flow, key=str):
        targets = flow[u]
        if not isinstance(u, tuple):
            continue
        for v in sorted(targets, key=str):
            amount = targets[v]
            if amount <= 0 or not isinstance(v, tuple):
                continue
            if u[0] == "lay":
                out_arcs[u].append([v, amount])
            elif u[0] in ("sup", "twin") and v[0] in ("lay", "good"):
                if u[0] == "sup" and v[0] == "good":
                    continue  # a direct arc (own, transfer): decode_moves reads it
                starts.append((str(u[1]), str(v), u, v, amount))
        if u[0] == "sup":
            flow[u] = {v: x for v, x in targets.items() if not (isinstance(v, tuple) and v[0] == "lay")}
    for u in [u for u in flow if isinstance(u, tuple) and u[0] in ("lay", "twin")]:
        del flow[u]
    moves: dict[tuple[str, str], int] = defaultdict(int)
    twin_out: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for src, _key, u, v, amount in sorted(starts, key=lambda s: (str(s[2]), s[1])):
        for good, take in _walk(out_arcs, v, amount):
            if u[0] == "twin":  # type: ignore[index]
                twin_out[u][good] += take
            else:
                moves[(src, good)] += take
    for twin in sorted(twin_out, key=str):
        for frm, to, amount in pour(twins[twin], sorted(twin_out[twin].items())):
            moves[(frm, to)] += amount
    return dict(moves)


def _walk(out_arcs: dict[object, deque[list[object]]], start: object, amount: int) -> list[tuple[str, int]]:
    """Send ``amount`` from ``start`` along arcs with flow left, one path at a time: ``[(good, amount)]``."""
    out: list[tuple[str, int]] = []
    while amount > 0:
        path: list[list[object]] = []
        node = start
        while isinstance(node, tuple) and node[0] == "lay":
            arcs = out_arcs[node]
            while arcs and int(arcs[0][1]) <= 0:  # type: ignore[call-overload]
                arcs.popleft()
            if not arcs:  # pragma: no cover - conservation guarantees an arc
                return out
            path.append(arcs[0])
            node = arcs[0][0]
        take = min([amount, *(int(arc[1]) for arc in path)])  # type: ignore[call-overload]
        for arc in path:
            arc[1] = int(arc[1]) - take  # type: ignore[call-overload]
        out.append((str(node[1]), take))  # type: ignore[index]
        amount -= take
    return out


def link_adjacent(net: nx.DiGraph, graph: nx.DiGraph, link: Callable[[str, str, int], None], supply: dict[str, int],
                  fixed: set[str], rooms: dict[str, int], max_hops: int, hop_cost: int) -> None:
    """The ``adjacent`` moves: direct arcs through ``link(i, g, hops)`` when few, else the layered encoding.

    ``supply``: supplier id → supply; ``rooms``: good id → weight of the arc
    into it (``gcost``), goods with room only. Sets ``net.graph["layered"]``
    to the twin nodes when the layered encoding is used (read it back with
    :func:`layered_moves`); ``fixed``: see :func:`add_layered`.
    """
    adjacency = activity_adjacency(graph)
    budget = None if max_hops == 1 else pair_budget(adjacency, max_hops)  # one hop: at most 2E pairs
    near = neighbourhoods(adjacency, list(supply), set(rooms), max_hops, budget)
    if near is not None:
        for i in supply:
            for g, hops in sorted(near[i].items()):
                link(i, g, hops)
        return
    net.graph["layered"] = add_layered(net, adjacency, supply, fixed, rooms, max_hops, hop_cost, link)
