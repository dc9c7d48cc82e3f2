"""A placement plan that differs only in max_increase reuses its neighbour's network: the same totals as a new one."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from quick import first_quick

import relmap
from relmap.analysis.facts import build_facts
from relmap.analysis.graph import build_graph
from relmap.analysis.uncertainty import PlacementPlan

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import synth


@pytest.mark.parametrize("mobility", first_quick(["adjacent", "stage"], 1))
def test_capacity_only_plan_places_what_a_new_plan_places(tmp_path: Path, mobility: str) -> None:
    """×0.5 and ×1.5 (the sensitivity's values) reuse the base network; the max flow is the new plan's, draw
    by draw. A factor that leaves a good without room builds its own network."""
    chain = relmap.load(synth.write(600, tmp_path / "company.yaml", seed=11, mobility=mobility))
    facts, graph = build_facts(chain), build_graph(chain)
    base = PlacementPlan(facts, chain.policy, graph)
    rng = np.random.default_rng(3)
    supplies = rng.random((base.groups, 6)) * 30_000
    base.placed(supplies)
    assert not base.closed and base.net is not None
    for factor, reused in ((0.5, True), (1.5, True), (1e-9, False)):
        policy = chain.policy.model_copy(update={"max_increase": chain.policy.max_increase * factor})
        fresh = PlacementPlan(facts, policy, graph)
        like = PlacementPlan(facts, policy, graph, like=base)
        assert (like._like is base) == reused
        assert like.placed(supplies).tolist() == fresh.placed(supplies).tolist()
        if factor == 0.5:  # the capacities bind: a plan that kept the base's would place more
            assert (like.placed(supplies) < base.placed(supplies)).any()
        assert like.capacity == fresh.capacity
    other = chain.policy.model_copy(update={"max_distance": chain.policy.max_distance + 1})
    assert not base.differs_in_capacity_only(facts, other)
    assert not base.differs_in_capacity_only(list(facts), chain.policy)  # another list of facts: not trusted
