"""A chain above the exact-betweenness limit: the sampled paths run, stay deterministic and keep the invariants."""

from __future__ import annotations

from typing import Any

import pytest

import relmap
from relmap.analysis.structure import BETWEENNESS_EXACT_BELOW
from relmap.input.model import ValueChain

STAGES = 30
PER_STAGE = 70  # 2,100 activities + 2 actors: above the 2,000-node exact limit


def big_chain(mobility: str) -> ValueChain:
    """Stages of 70 activities in a line; every 7th is a relational good touching the customer; one
    flow links consecutive stages; a third of the estimates are ranges."""
    activities: list[dict[str, Any]] = []
    flows: list[dict[str, str]] = []
    for s in range(STAGES):
        for k in range(PER_STAGE):
            aid = f"a{s:02d}_{k:02d}"
            good = k % 7 == 0
            act: dict[str, Any] = {
                "id": aid, "name": aid, "stage": f"s{s:02d}", "hours": 1000 + 10 * k,
                "automatability": [0.3, 0.9] if k % 3 == 0 else 0.1 + (k % 9) / 10,
                "relational": "high" if good else "low",
            }
            if good:
                act["touches"] = ["client"]
            activities.append(act)
            if k:
                flows.append({"from": f"a{s:02d}_{k - 1:02d}", "to": aid})
        if s:
            flows.append({"from": f"a{s - 1:02d}_{PER_STAGE - 1:02d}", "to": f"a{s:02d}_00"})
    flows.append({"from": "supplier", "to": "a00_00"})
    return ValueChain.model_validate({
        "relmap": 1, "company": {"name": "Big", "hourly_cost": 30},
        "stages": [{"id": f"s{s:02d}", "name": f"Stage {s}"} for s in range(STAGES)],
        "actors": [{"id": "client", "name": "Client", "kind": "customer"},
                   {"id": "supplier", "name": "Supplier", "kind": "supplier"}],
        "activities": activities, "flows": flows,
        "scenarios": [{"id": "base", "adoption": 0.6, "reinvest": 0.5}],
        "policy": {"mobility": mobility, "max_increase": 0.2},
    })


@pytest.mark.slow  # two analyses of 2,100 activities
def test_big_chain_adjacent() -> None:
    """Sampled betweenness (2,102 nodes), exact reinvestment on a 2,100-activity component, conservation."""
    chain = big_chain("adjacent")
    assert len(chain.activities) + len(chain.actors) >= BETWEENNESS_EXACT_BELOW
    result = relmap.analyze(chain, draws=100)
    sc = result.scenarios["base"]
    assert round(sc.hours_reinvested * 100) + round(sc.unallocated * 100) == round(sc.reinvest_pool * 100)
    assert sc.hours_reinvested > 0
    assert all(0.0 <= a.metrics.betweenness <= 1.0 for a in result.activities)
    assert max(a.metrics.betweenness for a in result.activities) > 0
    goods = set(result.relational_goods)
    assert len(goods) == STAGES * 10
    assert all(m.to in goods for m in sc.allocation)
    assert relmap.analyze(chain, draws=100).to_json() == result.to_json()


@pytest.mark.slow  # an analysis of 2,100 activities
def test_big_chain_any_places_min_of_pool_and_capacity() -> None:
    result = relmap.analyze(big_chain("any"), draws=20)
    sc = result.scenarios["base"]
    capacity = sum(round(100 * a.by_scenario["base"].capacity) for a in result.activities)
    assert round(sc.hours_reinvested * 100) == min(round(sc.reinvest_pool * 100), capacity)
