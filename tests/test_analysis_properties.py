"""Invariants of the analysis on random valid chains (hypothesis)."""

from __future__ import annotations

import json
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import chain_data, chains, examples

import relmap
from relmap.analysis.graph import build_graph
from relmap.input.model import ValueChain

DRAWS = 40
PROPS = settings(max_examples=examples(50), deadline=None)


def run(chain: ValueChain) -> relmap.analysis.AnalysisResult:
    return relmap.analyze(chain, draws=DRAWS)


@PROPS
@given(chains())
def test_conservation_and_capacity(chain: ValueChain) -> None:
    """allocated + unallocated = pool exactly (in centi-hours); only relational goods receive;
    no good above its capacity; no supplier sends more than its supply rounded up to the centi-hour
    (largest-remainder rounding keeps the pool within 0.005 h of the hours offered)."""
    result = run(chain)
    goods = set(result.relational_goods)
    for sc in result.scenarios.values():
        assert round(sc.hours_reinvested * 100) + round(sc.unallocated * 100) == round(sc.reinvest_pool * 100)
        assert sc.unallocated >= 0
        assert abs(sum(m.hours for m in sc.allocation) - sc.hours_reinvested) < 1e-6
        received: dict[str, float] = {}
        sent: dict[str, float] = {}
        for move in sc.allocation:
            assert move.to in goods
            assert move.hours > 0
            received[move.to] = received.get(move.to, 0.0) + move.hours
            sent[move.from_] = sent.get(move.from_, 0.0) + move.hours
        for act in result.activities:
            row = act.by_scenario[sc.id]
            assert received.get(act.id, 0.0) <= row.capacity + 1e-6
            assert sent.get(act.id, 0.0) <= row.reinvest_supply + 0.01 + 1e-9
            assert abs(row.hours_received - received.get(act.id, 0.0)) < 1e-6


@PROPS
@given(chains())
def test_moves_follow_the_policy(chain: ValueChain) -> None:
    """'own' moves stay in the activity; 'transfer' moves are listed in policy.transfers;
    'mobility' moves respect the stage (stage) or the hop limit (adjacent)."""
    result = run(chain)
    transfers = {(t.from_, t.to) for t in chain.policy.transfers}
    stage = {a.id: a.stage for a in chain.activities}
    graph = build_graph(chain)
    activities = graph.subgraph([a.id for a in chain.activities]).to_undirected()
    for sc in result.scenarios.values():
        for move in sc.allocation:
            if move.via == "own":
                assert move.from_ == move.to
            elif move.via == "transfer":
                assert (move.from_, move.to) in transfers
            elif chain.policy.mobility == "stage":
                assert stage[move.from_] is not None and stage[move.from_] == stage[move.to]
            elif chain.policy.mobility == "adjacent":
                hops = nx.shortest_path_length(activities, move.from_, move.to)
                assert hops <= chain.policy.max_distance


@PROPS
@given(chains(), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_freed_hours_monotone_in_adoption(chain: ValueChain, x: float, y: float) -> None:
    """hours_freed = Σ h × a × α is non-decreasing in α (and 0 for keep_human)."""
    low, high = sorted((x, y))
    totals = []
    for alpha in (low, high):
        sc = chain.scenarios[0].model_copy(update={"adoption": alpha})
        result = run(chain.model_copy(update={"scenarios": [sc]}))
        totals.append(result.scenarios["s"].hours_freed)
        for act in result.activities:
            if act.keep_human:
                assert act.by_scenario["s"].hours_freed == 0
    assert totals[0] <= totals[1] + 1e-9


def _by_id(result: relmap.analysis.AnalysisResult) -> dict[str, Any]:
    data = json.loads(result.to_json())
    data["activities"] = {a["id"]: a for a in data["activities"]}
    data["relational_goods"] = sorted(data["relational_goods"])
    data["quadrants"] = {q: sorted(ids) for q, ids in data["quadrants"].items()}
    data.pop("flows")
    for sc in data["scenarios"].values():
        sc["allocation"] = sorted(sc["allocation"], key=lambda m: (m["from"], m["to"], m["via"]))
    data["risks"] = sorted(data["risks"], key=lambda r: (r["kind"], r["scenario"], r["subject"]))
    return data


@PROPS
@given(chain_data(), st.randoms(use_true_random=False))
def test_independent_of_file_order(data: dict[str, Any], rnd: Any) -> None:
    """Shuffling activities and flows changes nothing but the order of the lists that follow the file."""
    shuffled = json.loads(json.dumps(data))
    rnd.shuffle(shuffled["activities"])
    rnd.shuffle(shuffled["flows"])
    a = _by_id(run(ValueChain.model_validate(data)))
    b = _by_id(run(ValueChain.model_validate(shuffled)))
    assert a == b
