"""The placement plan's max flow (its compact network and :class:`relmap.analysis.uncertainty._MaxFlow`, arcs in
the network's own order) equals networkx's maximum flow on the network before compaction, draw by draw, for the
mobilities that solve a network (``stage`` with transfers, ``adjacent``)."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from quick import first_quick

import relmap
from relmap.analysis.facts import build_facts
from relmap.analysis.graph import build_graph
from relmap.analysis.uncertainty import PlacementPlan

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import synth


def _networkx_totals(plan: PlacementPlan, supplies: np.ndarray) -> list[float]:
    """Max flow of the plan's uncompacted network (source → groups → … → goods → sink) per draw, by networkx."""
    facts, names, transfers, graph = plan._build
    net, _members = plan._network(facts, names, transfers, graph)
    out = []
    for d in range(supplies.shape[1]):
        work = net.copy()
        for g in range(plan.groups):
            work.add_edge("source", ("g", g), capacity=int(np.rint(supplies[g, d] * 100)))
        out.append(nx.maximum_flow_value(work, "source", "sink") / 100)
    return out


@pytest.mark.parametrize("mobility", first_quick(["adjacent", "stage"], 1))
def test_plan_totals_are_networkx_maximum_flows(tmp_path: Path, mobility: str) -> None:
    chain = relmap.load(synth.write(400, tmp_path / "company.yaml", seed=5, mobility=mobility))
    facts, graph = build_facts(chain), build_graph(chain)
    plan = PlacementPlan(facts, chain.policy, graph)
    assert not plan.closed
    rng = np.random.default_rng(8)
    # whole centi-hours: the plan rounds the sum of the groups it merges, the oracle each group
    supplies = rng.integers(0, 1, (plan.groups, 4), endpoint=True) * rng.integers(0, 3_000_000, (plan.groups, 4)) / 100
    assert plan.placed(supplies).tolist() == pytest.approx(_networkx_totals(plan, supplies), abs=1e-9)


def two_suppliers_two_goods() -> nx.DiGraph:
    """The compact network of the by-hand tests: m0 reaches goods G0 and G1, m1 only G0, each good takes 5."""
    net: nx.DiGraph = nx.DiGraph()
    net.add_edge(("G", 0), "sink", capacity=5)
    net.add_edge(("G", 1), "sink", capacity=5)
    for m, goods in ((0, [("G", 0), ("G", 1)]), (1, [("G", 0)])):
        net.add_edge("source", ("m", m), capacity=0)
        for g in goods:
            net.add_edge(("m", m), g)
    return net


def test_greedy_start_then_augmenting_paths_by_hand() -> None:
    """Groups m0 and m1 offer 5 each; m0 reaches goods G0 and G1, m1 only G0; each good takes 5. The greedy
    start sends m0's 5 to G0 (its first good), leaving m1 nothing; the augmenting path source → m1 → G0 → m0
    (undoing) → G1 → sink reroutes it: the maximum is 10. Through a hub h (m0 → h → G1) the same."""
    from relmap.analysis.uncertainty import _MaxFlow

    net = two_suppliers_two_goods()
    flow = _MaxFlow(net, 2)
    cap = [5 if c < 0 else c for c in flow.base]
    cap[flow.source_arc[0]], cap[flow.source_arc[1]] = 5, 5
    assert flow._greedy(cap) == 5
    assert flow.max_flow([5, 5]) == 10
    assert flow.max_flow([7, 1]) == 8 and flow.max_flow([0, 9]) == 5
    hub = nx.relabel_nodes(net, {}, copy=True)
    hub.remove_edge(("m", 0), ("G", 1))
    hub.add_edge(("m", 0), ("hub", "s"))
    hub.add_edge(("hub", "s"), ("G", 1))
    assert _MaxFlow(hub, 2).max_flow([5, 5]) == 10


@pytest.mark.slow  # two analyses of 2,500 activities
@pytest.mark.parametrize("mobility", ["stage", "adjacent"])
def test_large_chain_solved_when_its_network_is_small(mobility: str, tmp_path: Path) -> None:
    """Above EXACT_LIMIT activities the draws are still solved when the network has at most GROUP_LIMIT supplier
    groups (``stage`` with transfers: a group per stage and per transferring activity), and the plan's total
    equals networkx's maximum flow; ``adjacent`` (a group per supplier) takes the approximation and says why."""
    from relmap.analysis.uncertainty import EXACT_LIMIT, GROUP_LIMIT

    chain = relmap.load(synth.write(EXACT_LIMIT + 500, tmp_path / "company.yaml", seed=3, mobility=mobility))
    facts, graph = build_facts(chain), build_graph(chain)
    plan = PlacementPlan(facts, chain.policy, graph)
    assert plan.solvable == (plan.groups <= GROUP_LIMIT) == (mobility == "stage")
    result = relmap.analyze(chain, draws=40, parts=frozenset({"uncertainty"}))
    assert result.uncertainty is not None
    if mobility == "stage":
        assert (result.uncertainty.reinvested, result.uncertainty.solved_draws) == ("max_flow", 40)
        rng = np.random.default_rng(2)
        supplies = rng.integers(0, 2_000_000, (plan.groups, 2)) / 100
        assert plan.placed(supplies).tolist() == pytest.approx(_networkx_totals(plan, supplies), abs=1e-9)
    else:
        assert (result.uncertainty.reinvested, result.uncertainty.approximated) == ("approximation", "size")
