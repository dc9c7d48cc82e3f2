"""The placement plan's maximum flow by parts (:class:`relmap.analysis.uncertainty._Parts`): cuts enumerated for
small parts, augmenting paths for large ones, against the whole network's augmenting paths and by hand."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from test_placement_order import two_suppliers_two_goods

from relmap.analysis.uncertainty import ENUMERATED, _MaxFlow, _Parts


def _random_network(rng: np.random.Generator, sizes: list[int]) -> tuple[nx.DiGraph, int]:
    """Parts of ``sizes`` suppliers each, with hubs and goods; arcs only inside a part (the compact form)."""
    net: nx.DiGraph = nx.DiGraph()
    m = 0
    for p, k in enumerate(sizes):
        goods = [("G", p, j) for j in range(int(rng.integers(1, 6)))]
        hubs = [("hub", p, j) for j in range(int(rng.integers(0, 3)))]
        for g in goods:
            net.add_edge(g, "sink", capacity=int(rng.integers(0, 500)))
        for h in hubs:
            for g in goods:
                if rng.random() < 0.5:
                    net.add_edge(h, g)
        first = m
        for _ in range(k):
            net.add_edge("source", ("m", m), capacity=0)
            targets = [*goods, *hubs]
            picked = [t for t in targets if rng.random() < 0.35] or [targets[int(rng.integers(len(targets)))]]
            if k > ENUMERATED:
                picked.append(goods[0])  # one part, whatever the draw of arcs
            for t in picked:
                net.add_edge(("m", m), t)
            m += 1
        if k and not any(net.has_edge(("m", i), t) for i in range(first, m) for t in goods):
            net.add_edge(("m", first), goods[0])  # every part reaches a good, directly or not
    return net, m


@pytest.mark.parametrize("seed", range(12))
def test_parts_equal_the_whole_network(seed: int) -> None:
    """Random parts (small ones enumerated, one above ENUMERATED solved draw by draw): the same integer flow as
    augmenting paths on the whole network, for supplies from 0 to well above the capacities."""
    rng = np.random.default_rng(seed)
    sizes = [int(rng.integers(1, 6)) for _ in range(int(rng.integers(1, 6)))] + [ENUMERATED + 2]
    net, width = _random_network(rng, sizes)
    whole, parts = _MaxFlow(net, width), _Parts(net, width)
    assert parts.enumerated and parts.solved
    centi = rng.integers(0, 400, (width, 30)) * (rng.random((width, 30)) < 0.8)
    centi[:, 0] = 0
    expected = [whole.max_flow([int(c) for c in centi[:, d]]) for d in range(centi.shape[1])]
    assert parts.max_flows(centi).tolist() == expected


def test_cuts_by_hand() -> None:
    """m0 reaches G0 (cap 5) and G1 (cap 5), m1 only G0. Sets Y and cap(N(Y)): {} 0, {m0} 10, {m1} 5, both 10.

    Supplies (5, 5): min(10 + 0, 5 + 10, 5 + 5, 0 + 10) = 10; (7, 1): min(8, 1 + 10, 7 + 5, 10) = 8;
    (0, 9): min(9, 9 + 10, 0 + 5, 10) = 5 — what the augmenting paths give (tests/test_placement_order.py).
    """
    parts = _Parts(two_suppliers_two_goods(), 2)
    (ids, member, cut), = parts.enumerated
    assert ids.tolist() == [0, 1] and cut.tolist() == [0, 10, 5, 10]
    assert member.tolist() == [[0, 0], [1, 0], [0, 1], [1, 1]]
    assert parts.max_flows(np.array([[5, 7, 0], [5, 1, 9]])).tolist() == [10, 8, 5]
