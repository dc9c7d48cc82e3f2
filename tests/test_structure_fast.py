"""The graph evidence read through integer lists (:mod:`relmap.analysis.structure`) equals the former networkx
computation (``tests/structure_oracle.py``) on random graphs — cycles, self-loops, flows out of customers, other
actors, isolated nodes — on the examples, and on a graph large enough for sampled betweenness."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import examples
from structure_oracle import customer_distances as old_distances
from structure_oracle import customer_reach as old_reach
from structure_oracle import old_metrics

import relmap
from relmap.analysis.facts import build_facts
from relmap.analysis.graph import build_graph
from relmap.analysis.structure import (
    _articulation_points,
    _Index,
    _strong_components,
    analyse_structure,
    customer_distances,
    customer_reach,
)

ROOT = Path(__file__).resolve().parent.parent


def _quadrants(graph: nx.DiGraph) -> dict[str, str]:
    return {n: "automate" for n, d in graph.nodes(data=True) if d.get("node") == "activity"}


def _same_as_before(graph: nx.DiGraph, goods: set[str]) -> None:
    metrics, _flags = analyse_structure(graph, goods, _quadrants(graph))  # type: ignore[arg-type]
    assert {k: m.model_dump() for k, m in metrics.items()} == old_metrics(graph, goods)
    assert list(metrics) == list(old_metrics(graph, goods))
    assert customer_distances(graph) == old_distances(graph)
    assert customer_reach(graph, goods) == old_reach(graph, goods)


@st.composite
def chains(draw: st.DrawFn) -> tuple[nx.DiGraph, set[str]]:
    n = draw(st.integers(1, 12))
    n_actors = draw(st.integers(0, 4))
    names = [f"a{i}" for i in range(n)] + [f"x{i}" for i in range(n_actors)]
    graph = nx.DiGraph()
    for name in draw(st.permutations(names)):  # any insertion order: graph order is what counts
        if name.startswith("a"):
            graph.add_node(name, node="activity")
        else:
            kind = draw(st.sampled_from(["customer", "customer", "supplier"]))
            graph.add_node(name, node="actor", actor_kind=kind)
    pairs = st.tuples(st.sampled_from(names), st.sampled_from(names))
    graph.add_edges_from(draw(st.lists(pairs, max_size=30)))  # self-loops and both directions allowed
    goods = set(draw(st.sets(st.sampled_from(names[:n]), max_size=n)))
    return graph, goods


@settings(max_examples=examples(300), deadline=None)
@given(chains())
def test_random_chains_give_the_former_evidence(case: tuple[nx.DiGraph, set[str]]) -> None:
    _same_as_before(*case)


@pytest.mark.parametrize("path", sorted(ROOT.glob("examples/*/company.yaml")), ids=lambda p: p.parent.name)
def test_examples_give_the_former_evidence(path: Path) -> None:
    chain = relmap.load(path)
    _same_as_before(build_graph(chain), {f.id for f in build_facts(chain) if f.good})


@pytest.mark.slow
def test_a_large_chain_gives_the_former_sampled_betweenness() -> None:
    """2,100 activities: above BETWEENNESS_EXACT_BELOW nodes, so the sampled estimate, on the activities' subgraph."""
    rng = random.Random(7)
    graph = nx.DiGraph()
    for i in range(2100):
        graph.add_node(f"a{i:04d}", node="activity")
    for c in range(3):
        graph.add_node(f"c{c}", node="actor", actor_kind="customer")
    for i in range(2100):
        for _ in range(rng.randint(0, 3)):
            graph.add_edge(f"a{i:04d}", f"a{rng.randrange(2100):04d}")
        if rng.random() < 0.05:
            graph.add_edge(f"a{i:04d}", f"c{rng.randrange(3)}")
    graph.add_edge("c0", "a0001")
    _same_as_before(graph, {f"a{i:04d}" for i in range(0, 2100, 7)})


def test_articulation_points_by_hand() -> None:
    """a – b – c with d hanging on b and a triangle c, e, f: b and c cut the chain; the triangle has no cut of its
    own; a self-loop on a and both directions of a – b change nothing."""
    graph = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("d", "b"), ("c", "e"), ("e", "f"), ("f", "c"),
                        ("a", "a")])
    assert _articulation_points(_Index(graph)) == {"b", "c"}
    assert _articulation_points(_Index(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")]))) == set()


def test_strong_components_complete_after_what_they_reach() -> None:
    """0 ⇄ 1 → 2 → 3 ⇄ 4, and 5 alone: {3, 4} completes first, then {2}, then {0, 1}, then {5}."""
    comp, comps = _strong_components([[1], [0, 2], [3], [4], [3], []])
    assert [sorted(c) for c in comps] == [[3, 4], [2], [0, 1], [5]]
    assert comp == [2, 2, 1, 0, 0, 3]
