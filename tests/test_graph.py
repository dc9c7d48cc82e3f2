"""The chain graph and the graph evidence (customer distance, customer reach, separations)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import examples

import relmap
from relmap.analysis.graph import activity_ids, build_graph, customer_ids, reach_graph
from relmap.analysis.structure import customer_distances, customer_reach, exact_betweenness, sampled_betweenness

CASES = Path(__file__).parent / "cases" / "analysis"


def test_build_graph_tiny() -> None:
    """Nodes sorted by id (activities, then actors); flows and touches as edges; touches are 'relationship'."""
    chain = relmap.load(CASES / "tiny.yaml")
    graph = build_graph(chain)
    assert activity_ids(graph) == sorted(a.id for a in chain.activities)
    assert customer_ids(graph) == ["client"]
    assert graph.number_of_edges() == 9  # 8 flows + greet touches client
    assert graph.edges["greet", "client"] == {"kind": "relationship", "touches": True, "volume": None}
    assert graph.edges["advise", "client"]["kind"] == "service"
    assert not reach_graph(graph, ["client"]).has_edge("client", "greet")


def test_parallel_flows_merge() -> None:
    """Two flows a → b: one edge, volumes added; a touches already drawn as a flow keeps the flow."""
    text = """\
relmap: 1
company: {name: P}
actors: [{id: c, name: C, kind: customer}]
activities:
  - {id: a, name: A, hours: 1, automatability: 0.1, relational: low, touches: [c]}
  - {id: b, name: B, hours: 1, automatability: 0.1, relational: low}
flows:
  - {from: a, to: b, volume: 10}
  - {from: a, to: b, kind: material, volume: 5}
  - {from: a, to: c, kind: service}
"""
    graph = build_graph(relmap.loads(text))
    assert graph.edges["a", "b"]["volume"] == 15
    assert graph.edges["a", "c"] == {"kind": "service", "touches": False, "volume": None}


def _random_dag(draw: st.DrawFn) -> tuple[nx.DiGraph, set[str]]:
    n = draw(st.integers(2, 9))
    edges = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20))
    graph = nx.DiGraph()
    for i in range(n):
        graph.add_node(f"a{i}", node="activity")
    graph.add_node("cust", node="actor", actor_kind="customer")
    for u, v in edges:
        if u < v:
            graph.add_edge(f"a{u}", f"a{v}")
    for i in draw(st.sets(st.integers(0, n - 1), max_size=n)):
        graph.add_edge(f"a{i}", "cust")
    goods = {f"a{i}" for i in draw(st.sets(st.integers(0, n - 1), max_size=n))}
    return graph, goods


@st.composite
def dags(draw: st.DrawFn) -> tuple[nx.DiGraph, set[str]]:
    return _random_dag(draw)


@settings(max_examples=examples(60), deadline=None)
@given(dags())
def test_customer_reach_matches_path_enumeration(case: tuple[nx.DiGraph, set[str]]) -> None:
    """On acyclic chains the linear-time DP equals brute force: the share of simple paths
    v → customer with a relational good strictly after v; and the BFS distance equals the
    shortest path length."""
    graph, goods = case
    reach = customer_reach(graph, goods)
    dist = customer_distances(graph)
    for node in activity_ids(graph):
        paths = list(nx.all_simple_paths(graph, node, "cust"))
        if not paths:
            assert reach[node] == 0.0 and node not in dist
            continue
        hits = sum(1 for p in paths if any(x in goods for x in p[1:-1]))
        assert abs(reach[node] - hits / len(paths)) < 1e-12
        assert dist[node] == nx.shortest_path_length(graph, node, "cust")


def test_customer_reach_on_cycles_terminates() -> None:
    """A cycle a ⇄ b (b a good) before the customer: the component {a, b} is relational, but v's own
    component does not count for v, so from a the share is that of the component's exits."""
    graph = nx.DiGraph()
    graph.add_nodes_from(["a", "b", "d"], node="activity")
    graph.add_node("c", node="actor", actor_kind="customer")
    graph.add_edges_from([("a", "b"), ("b", "a"), ("b", "d"), ("d", "c"), ("a", "c")])
    reach = customer_reach(graph, {"d"})
    assert reach["a"] == reach["b"] == 0.5  # exits: b → d → c (meets d), a → c (does not)
    assert reach["d"] == 0.0


def test_exact_betweenness_by_hand() -> None:
    """a → b → d, a → c → d, d → e: worked out from the definition.

    n = 5, scale 1 / ((n − 1)(n − 2)) = 1/12. Pairs with an inner node:
    (a, d): two shortest paths, b and c carry ½ each; (a, e): same, ½ each, and
    d carries 1; (b, e) and (c, e): d carries 1 each. So b = c = 1 / 12 and
    d = 3 / 12 = 0.25; a and e are never inside a path.
    """
    graph = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")])
    assert exact_betweenness(graph) == {"a": 0.0, "b": 1 / 12, "c": 1 / 12, "d": 0.25, "e": 0.0}


@settings(max_examples=examples(150), deadline=None)
@given(st.integers(min_value=0, max_value=25), st.floats(min_value=0.0, max_value=0.4),
       st.integers(min_value=0, max_value=10_000), st.booleans())
def test_exact_betweenness_equals_networkx(n: int, p: float, seed: int, loop: bool) -> None:
    """Bit for bit the numbers of networkx's own exact betweenness, cycles and self-loops included."""
    graph = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    if loop and n:
        graph.add_edge(0, 0)
    assert exact_betweenness(graph) == nx.betweenness_centrality(graph, normalized=True)


def test_exact_betweenness_on_an_example_equals_networkx() -> None:
    """On a real chain (actors included), the analysis's betweenness is networkx's exact one."""
    graph = build_graph(relmap.load(Path(__file__).parents[1] / "examples" / "retail-bank" / "company.yaml"))
    assert exact_betweenness(graph) == nx.betweenness_centrality(graph, normalized=True)


def test_sampled_betweenness_by_hand() -> None:
    """a → b → c with sources a and c (k = 2, n = 3): b lies on a's only path of two edges, δ = 1, and is not a
    source, so b = 1 / (k (n − 2)) = 1 / 2; a and c lie inside no path."""
    import random

    seed = next(s for s in range(100) if set(random.Random(s).sample(["a", "b", "c"], 2)) == {"a", "c"})
    graph = nx.DiGraph([("a", "b"), ("b", "c")])
    assert sampled_betweenness(graph, 2, seed) == {"a": 0.0, "b": 0.5, "c": 0.0}


@settings(max_examples=examples(150), deadline=None)
@given(st.integers(min_value=3, max_value=40), st.floats(min_value=0.0, max_value=0.4),
       st.integers(min_value=0, max_value=10_000), st.integers(min_value=2, max_value=40))
def test_sampled_betweenness_equals_networkx(n: int, p: float, seed: int, k: int) -> None:
    """Bit for bit networkx's sampled betweenness (same sources, same scaling), k = n too (k = 1 gives NaN for the
    source in both: the analysis samples at least 8)."""
    graph = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    k = min(k, n)
    assert sampled_betweenness(graph, k, seed) == nx.betweenness_centrality(graph, k=k, normalized=True, seed=seed)


def test_sampled_betweenness_on_a_view_equals_networkx() -> None:
    """On the activities' subgraph view of a real chain (how the analysis calls it), networkx's numbers."""
    graph = build_graph(relmap.load(Path(__file__).parents[1] / "examples" / "retail-bank" / "company.yaml"))
    view = graph.subgraph(activity_ids(graph))
    for k in (2, 5, 9):
        assert sampled_betweenness(view, k, 20261123) == nx.betweenness_centrality(view, k=k, normalized=True,
                                                                                  seed=20261123)
