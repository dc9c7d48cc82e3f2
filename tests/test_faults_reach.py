"""Issue #17, family 2: ``mobility: adjacent`` on any shape — the layered encoding gives the direct one's optimum."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import chain_data, examples

import relmap
from relmap.analysis import reach
from relmap.analysis.facts import build_facts
from relmap.analysis.reinvest import arc_cost, good_cost
from relmap.input.model import ValueChain

EXAMPLES = settings(max_examples=examples(60), deadline=None)


def star(n: int, hops: int = 2) -> dict[str, Any]:
    """A hub (``a00``) with a flow to each of ``n - 1`` spokes; every third spoke a relational good."""
    acts = [{"id": f"a{i:02d}", "name": f"A{i}", "hours": 1000 + 37 * i, "automatability": (i % 5) / 5,
             "relational": "high" if i % 3 == 0 else "low"} for i in range(n)]
    return {"relmap": 1, "company": {"name": "Star"}, "activities": acts,
            "flows": [{"from": "a00", "to": f"a{i:02d}", "kind": "information"} for i in range(1, n)],
            "policy": {"mobility": "adjacent", "max_distance": hops, "max_increase": 0.2}}


def placed_and_cost(chain: ValueChain, result: relmap.analysis.AnalysisResult) -> tuple[int, int]:
    """(centi-hours placed, cost) of the first scenario, each mobility move costed at its shortest hop count."""
    facts = {f.id: f for f in build_facts(chain)}
    rows = {a.id: a for a in result.activities}
    graph = nx.Graph((f.from_, f.to) for f in chain.flows if f.from_ in facts and f.to in facts)
    sc = result.scenarios[chain.scenarios[0].id]
    cost = 0
    for m in sc.allocation:
        if m.via == "mobility":
            hops = nx.shortest_path_length(graph, m.from_, m.to)
            assert hops <= chain.policy.max_distance
            move = arc_cost("adjacent", hops)
        else:
            move = arc_cost(m.via)
        cost += round(m.hours * 100) * (good_cost(facts[m.to], rows[m.to].metrics) + move)
    return round(sc.hours_reinvested * 100), cost


def both(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[int, int], tuple[int, int]]:
    chain = relmap.loads(__import__("json").dumps(data))
    direct = placed_and_cost(chain, relmap.analyze(chain, draws=1))
    with monkeypatch.context() as m:  # every neighbourhood "too large": the layered encoding
        m.setattr(reach, "MIN_PAIRS", 0)
        m.setattr(reach, "PAIRS_PER_EDGE", 0)
        layered = placed_and_cost(chain, relmap.analyze(chain, draws=1))
    return direct, layered


@pytest.mark.parametrize(("n", "hops"), [(12, 2), (30, 2), (30, 3), (9, 1)])
def test_layered_star_matches_direct(n: int, hops: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same hours placed, same total cost, every move within the hop limit."""
    direct, layered = both(star(n, hops), monkeypatch)
    assert direct[0] > 0
    assert layered == direct


@EXAMPLES
@given(data=chain_data(max_activities=10), hops=st.integers(1, 4))
def test_layered_matches_direct_any_chain(data: dict[str, Any], hops: int) -> None:
    data["policy"] = {**data.get("policy", {}), "mobility": "adjacent", "max_distance": hops}
    with pytest.MonkeyPatch.context() as monkeypatch:
        direct, layered = both(data, monkeypatch)
    assert layered == direct


def test_budget_stops_the_search_early() -> None:
    """A 2,001-node star: the pair search gives up after the budget, whatever the shape (bounded work)."""
    adjacency = {"hub": [f"s{i}" for i in range(2000)], **{f"s{i}": ["hub"] for i in range(2000)}}
    sources = sorted(adjacency)
    budget = reach.pair_budget(adjacency, 2)
    assert budget == 4 * 2 * (2001 + 4000)  # 4 × k × (V + 2E)
    assert reach.neighbourhoods(adjacency, sources, set(sources), 2, budget) is None
    assert reach.neighbourhoods(adjacency, sources[:2], set(sources), 2, budget) is not None
