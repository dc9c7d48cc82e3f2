"""The reinvestment solvers with the arcs each component reads kept beside it (:mod:`relmap.analysis.flows`) give
the flows of their former form (``tests/flows_oracle.py``), on a network solved once and again with other supplies
(as :mod:`relmap.analysis.reinvest` reuses it across scenarios)."""

from __future__ import annotations

import networkx as nx
from flows_oracle import old_solve_network
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import examples

from relmap.analysis.flows import HubArcs, solve_network


@st.composite
def networks(draw: st.DrawFn) -> tuple[nx.DiGraph, list[dict[object, int]]]:
    """Stages with suppliers, goods (own arcs), a hub, pooled suppliers, and transfers across stages."""
    net = nx.DiGraph()
    n_stages = draw(st.integers(1, 3))
    suppliers: list[object] = []
    for s in range(n_stages):
        hub = ("hub", f"s{s}")
        for k in range(draw(st.integers(1, 4))):
            ident = f"s{s}a{k}"
            if draw(st.booleans()):  # a good: its own arc, and the hub feeds it
                net.add_node(("good", ident), cap=draw(st.integers(0, 500)))
                net.add_edge(hub, ("good", ident), weight=draw(st.integers(0, 60)))
                net.add_edge(("sup", ident), ("good", ident), weight=draw(st.integers(0, 60)))
                if draw(st.booleans()):  # a good whose supplier reaches only itself
                    suppliers.append(("sup", ident))
                    continue
            net.add_edge(("sup", ident), hub, weight=0)
            suppliers.append(("sup", ident))
        if draw(st.booleans()):
            net.add_edge(("pool", f"s{s}"), hub, weight=0)
            suppliers.append(("pool", f"s{s}"))
    goods = [n for n in net if n[0] == "good"]
    for _ in range(draw(st.integers(0, 3))):  # transfers: a supplier to a good of another stage
        if goods:
            net.add_edge(draw(st.sampled_from(suppliers)), draw(st.sampled_from(goods)),
                         weight=draw(st.integers(0, 60)))
    rounds = [{n: draw(st.integers(0, 400)) for n in suppliers} for _ in range(2)]
    return net, rounds


@settings(max_examples=examples(150), deadline=None)
@given(networks())
def test_solved_twice_like_the_former_solvers(case: tuple[nx.DiGraph, list[dict[object, int]]]) -> None:
    net, rounds = case
    for supplies in rounds:  # the second round reuses the components (and their arcs) kept on the network
        for n, s in supplies.items():
            net.nodes[n]["supply"] = s
        assert solve_network(net) == old_solve_network(net)


def test_hub_arcs_by_hand() -> None:
    """A stage hub h feeding goods a (own arc, weight 5) and b (no own arc); supplier c feeds the hub."""
    net = nx.DiGraph()
    net.add_edge(("hub", "h"), ("good", "a"), weight=12)
    net.add_edge(("hub", "h"), ("good", "b"), weight=20)
    net.add_edge(("sup", "a"), ("good", "a"), weight=5)
    net.add_edge(("sup", "c"), ("hub", "h"), weight=0)
    comp = sorted(net, key=str)
    arcs = HubArcs(net, comp, ("hub", "h"))
    assert HubArcs(net.subgraph(comp), comp, ("hub", "h")).own == arcs.own
    assert arcs.own == {("good", "a"): 5}
    assert arcs.through == {("good", "a"): 12, ("good", "b"): 20}
    assert arcs.feeds == {("sup", "c")}
