"""relmap.analysis.roles.role_totals: the re-runs' totals of a role allocation, bit for bit
``totals.role_sent(role_moves(...))`` (which the sensitivity and the trajectory used to call), by hand on the
bank, then on random chains with roles and on activities carried by three roles (the order of their sum).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from role_oracle import role_sent
from strategies import chain_data
from test_roles import bank

import relmap.analysis.roles as roles
from relmap.analysis.facts import build_facts
from relmap.analysis.roles import build_staffing, role_moves, role_totals
from relmap.analysis.totals import fact_arrays
from relmap.input.model import ValueChain

PROPS = settings(max_examples=int(__import__("os").environ.get("RELMAP_PROP_EXAMPLES", "50")), deadline=None)


def both(data: dict[str, Any], supply: float, cap: float, cost_step: int) -> None:
    """role_totals against role_sent of role_moves, on every activity's supply ``supply × hours``."""
    chain = ValueChain.model_validate(copy.deepcopy(data))
    facts = build_facts(chain)
    staffing = build_staffing(chain, facts)
    arr = fact_arrays(facts)
    supply_c = {f.id: round(100 * supply * f.hours) for f in facts if round(100 * supply * f.hours) > 0}
    cap_c = {f.id: round(100 * cap * f.hours) for f in facts if f.good}
    gcost = {f.id: (k * cost_step) % 97 for k, f in enumerate(facts) if f.good}
    args = (facts, supply_c, staffing, cap_c, gcost, chain.policy, chain.company.hours_per_fte)
    total, sent, value = role_sent(arr, role_moves(*args), staffing)
    total2, sent2, value2 = role_totals(*args, arr.ids)
    assert total2 == total
    assert sent2.tobytes() == sent.tobytes()
    assert value2.tobytes() == value.tobytes()
    # the same activities listed in another order: the same numbers in that order (each fact's position looked up)
    backwards = tuple(reversed(arr.ids))
    total3, sent3, value3 = role_totals(*args, backwards)
    assert total3 == total
    assert sent3[::-1].tobytes() == sent.tobytes()
    assert value3[::-1].tobytes() == value.tobytes()


def test_role_totals_of_the_bank_by_hand() -> None:
    """The bank of test_roles: the clerks' 200 h offered from back, welcome takes 100 h and advice 50 h
    (capacities 5 % of 2,000 h and 1,000 h) → 15,000 centi-hours placed, back sent 150 h, valued at the
    clerks' 30 €/h: 4,500 €; nothing sent from the goods."""
    chain = ValueChain.model_validate(bank())
    facts = build_facts(chain)
    staffing = build_staffing(chain, facts)
    arr = fact_arrays(facts)
    cap_c = {f.id: round(100 * 0.05 * f.hours) for f in facts if f.good}
    gcost = dict.fromkeys(cap_c, 85)
    total, sent, value = role_totals(facts, {"back": 20_000}, staffing, cap_c, gcost, chain.policy, 1600, arr.ids)
    assert total == 15_000
    assert dict(zip(arr.ids, sent.tolist(), strict=True)) == {"back": 150.0, "welcome": 0.0, "advice": 0.0,
                                                                "visits": 0.0}
    assert value.tolist()[arr.ids.index("back")] == 4_500.0
    assert total == sum(m[5] for m in role_moves(facts, {"back": 20_000}, staffing, cap_c, gcost, chain.policy,
                                                  1600))


def three_roles() -> dict[str, Any]:
    """The bank with back office carried by three roles at uneven shares (costs 30, 33.3 and 61.7 €/h), so that
    the sum of its three values depends on their order."""
    data = bank()
    data["roles"][1]["hourly_cost"] = 33.3
    data["roles"][2]["hourly_cost"] = 61.7
    back = data["activities"][0]
    del back["roles"]
    back["staffing"] = {"adviser": 0.3, "clerk": 0.3, "assistant": 0.4}
    data["activities"].append({"id": "desk", "name": "Desk", "hours": 700, "automatability": 0.7,
                               "relational": "none", "staffing": {"clerk": 0.1, "assistant": 0.7, "adviser": 0.2}})
    return data


@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("cap", [0.01, 0.05, 0.5])
def test_role_totals_three_roles(exact: bool, cap: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """Activities of three roles, goods full or not, exact network and greedy: the same bytes."""
    if not exact:
        monkeypatch.setattr(roles, "EXACT_NODES", 0)
    for k in range(1, 40):
        both(three_roles(), k / 41, cap, 7)


@PROPS
@given(chain_data(with_roles=True), st.sampled_from([0.05, 0.2, 0.6]), st.sampled_from([0.02, 0.1, 0.5]),
       st.integers(1, 50), st.booleans())
def test_role_totals_equal_role_sent(data: dict[str, Any], supply: float, cap: float, step: int,
                                     greedy: bool) -> None:
    """Random chains with roles (each activity its own role when the file has none)."""
    with pytest.MonkeyPatch.context() as mp:
        if greedy:
            mp.setattr(roles, "EXACT_NODES", 0)
        both(data, supply, cap, step)


def test_network_parts_reused_across_capacities() -> None:
    """A re-run with other capacities but the same goods (max_increase changed) reuses the network's parts
    (aliases, staffing of goods, reaches) with new rooms: the moves of a fresh build, then back to the first."""
    data = three_roles()
    chain = ValueChain.model_validate(data)
    facts = build_facts(chain)
    supply = {f.id: round(100 * 0.4 * f.hours) for f in facts}
    gcost = {f.id: 85 for f in facts if f.good}
    caps = [{f.id: round(100 * m * f.hours) for f in facts if f.good} for m in (0.05, 0.02, 0.05)]
    kept = build_staffing(chain, facts)
    for cap in caps:
        again = role_moves(facts, supply, kept, cap, gcost, chain.policy, 1600)
        fresh = role_moves(facts, supply, build_staffing(chain, facts), cap, gcost, chain.policy, 1600)
        assert again == fresh
        assert sum(m[5] for m in again) <= sum(cap.values())
    assert len(kept.cache["cores"]) == 1
