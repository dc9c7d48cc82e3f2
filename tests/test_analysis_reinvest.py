"""The reinvestment solvers against a plain ``networkx.max_flow_min_cost`` on the explicit network."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import chain_data, examples

import relmap
from relmap.analysis.facts import build_facts
from relmap.analysis.reinvest import arc_cost, centi_supplies, good_cost
from relmap.input.model import ValueChain

EXAMPLES = settings(max_examples=examples(60), deadline=None)


def reference(chain: ValueChain, result: relmap.analysis.AnalysisResult) -> tuple[int, int]:
    """(placed, cost) of the textbook formulation: one arc per allowed (supplier, good) pair."""
    facts = {f.id: f for f in build_facts(chain)}
    rows = {a.id: a for a in result.activities}
    sc = chain.scenarios[0].id
    net: nx.DiGraph = nx.DiGraph()
    transfers = {(t.from_, t.to) for t in chain.policy.transfers}
    goods = [g for g in sorted(facts) if facts[g].good]
    # the engine rounds the supplies by largest remainders (centi_supplies), so that the pool adds up
    centi = centi_supplies({i: rows[i].by_scenario[sc].reinvest_supply for i in facts},
                           [f.id for f in build_facts(chain)])
    for i in sorted(facts):
        supply = centi.get(i, 0)
        if supply <= 0:
            continue
        net.add_edge("src", ("s", i), capacity=supply, weight=0)
        for g in goods:
            if g == i:
                move = arc_cost("own")
            elif (i, g) in transfers:
                move = arc_cost("transfer")
            elif facts[i].activity.stage is not None and facts[i].activity.stage == facts[g].activity.stage:
                move = arc_cost("stage")
            else:
                continue
            net.add_edge(("s", i), ("g", g), weight=good_cost(facts[g], rows[g].metrics) + move)
    for g in goods:
        net.add_edge(("g", g), "sink", capacity=round(100 * rows[g].by_scenario[sc].capacity), weight=0)
    if not net.has_node("src") or not net.has_node("sink") or not nx.has_path(net, "src", "sink"):
        return 0, 0
    flow = nx.max_flow_min_cost(net, "src", "sink")
    return sum(flow[("g", g)]["sink"] for g in goods if ("g", g) in flow), nx.cost_of_flow(net, flow)


def cost_of(chain: ValueChain, result: relmap.analysis.AnalysisResult) -> tuple[int, int]:
    facts = {f.id: f for f in build_facts(chain)}
    rows = {a.id: a for a in result.activities}
    sc = result.scenarios[chain.scenarios[0].id]
    cost = 0
    for m in sc.allocation:
        move = {"own": arc_cost("own"), "transfer": arc_cost("transfer"), "mobility": arc_cost("stage")}[m.via]
        cost += round(m.hours * 100) * (good_cost(facts[m.to], rows[m.to].metrics) + move)
    return round(sc.hours_reinvested * 100), cost


@EXAMPLES
@given(chain_data(max_activities=10), st.booleans())
def test_stage_mobility_is_optimal(data: dict[str, object], with_transfers: bool) -> None:
    """Mobility 'stage' (with or without transfers): same hours placed and same total cost as the
    textbook min-cost max-flow — the hub greedy and the pooled suppliers lose nothing."""
    data["policy"] = {**data["policy"], "mobility": "stage"}  # type: ignore[dict-item]
    if not with_transfers:
        data["policy"]["transfers"] = []  # type: ignore[index]
    chain = ValueChain.model_validate(data)
    result = relmap.analyze(chain, draws=10)
    assert cost_of(chain, result) == reference(chain, result)


@EXAMPLES
@given(chain_data(max_activities=10))
def test_any_mobility_places_the_maximum(data: dict[str, object]) -> None:
    """Mobility 'any': every supplier may reach every good, so placed = min(pool, capacity)."""
    data["policy"] = {**data["policy"], "mobility": "any"}  # type: ignore[dict-item]
    chain = ValueChain.model_validate(data)
    result = relmap.analyze(chain, draws=10)
    sc = result.scenarios["s"]
    capacity = sum(round(100 * a.by_scenario["s"].capacity) for a in result.activities)
    assert round(sc.hours_reinvested * 100) == min(round(sc.reinvest_pool * 100), capacity)
