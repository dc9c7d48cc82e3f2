"""relmap.analysis.totals: a scenario's totals on arrays, bit for bit those of the scalar functions.

Numbers worked out by hand on the two-activity chain of test_economics, then the same functions compared with
the dictionary-based ones (split_freed, balance_lines, ai_cost, centi_supplies, sent_by_role/sent_value) on
the examples, with ``==`` on floats: the re-runs of the sensitivity and the trajectory must give the very
figures of ``relmap analyze``.
"""

from __future__ import annotations

import numpy as np
import pytest
from role_oracle import role_sent
from test_economics import two_activities

import relmap
from relmap.analysis.economics import ai_cost, balance_lines, split_freed
from relmap.analysis.facts import build_facts
from relmap.analysis.gains import freed_hours, scenario_shares
from relmap.analysis.graph import build_graph
from relmap.analysis.reinvest import allocate_reinvestment, centi_supplies
from relmap.analysis.roles import RoleInfo, Staffing, build_staffing, sent_by_role, sent_value
from relmap.analysis.structure import analyse_structure
from relmap.analysis.totals import (
    balance_arrays,
    centi_array,
    fact_arrays,
    freed_array,
    split_arrays,
    users_of,
)
from relmap.input.model import ValueChain


def two() -> tuple[ValueChain, list[relmap.analysis.facts.ActivityFacts]]:
    chain = ValueChain.model_validate(two_activities())
    return chain, build_facts(chain)


def test_split_and_balance_of_two_activities_by_hand() -> None:
    """x: 1,000 h × 0.5 × 0.5 = 250 h at 40 €/h; g (a good, relational dividend all): 2,000 × 0.2 × 0.5 = 200 h
    kept at 50 €/h. x's 250 h: supply 125, recognition 25, training 25, savings 75. With 100 h of x placed:
    reinvested (100 h, 4,000 €), unplaced (25 h, 1,000 €), kept (200 h, 10,000 €), savings (75 h, 3,000 €)."""
    chain, facts = two()
    sc = chain.scenarios[0]
    arr = fact_arrays(facts)
    freed = freed_array(arr, 0.5)
    by_id = dict(zip(arr.ids, freed.tolist(), strict=True))
    assert by_id == {"x": 250.0, "g": 200.0}
    split = split_arrays(arr, freed, sc, chain.policy, scenario_shares(sc))
    k = {i: n for n, i in enumerate(arr.ids)}
    assert split.kept[k["g"]] == 200.0 and split.kept[k["x"]] == 0.0
    assert split.supply[k["x"]] == 125.0 and split.supply[k["g"]] == 0.0
    assert split.recognition[k["x"]] == 25.0 and split.training[k["x"]] == 25.0
    assert split.savings[k["x"]] == pytest.approx(75.0)
    sent = np.zeros(2)
    sent[k["x"]] = 100.0
    lines = {name: (h, v) for name, h, v in balance_arrays(arr, split, sent)}
    assert lines["reinvested"] == (100.0, 4000.0)
    assert lines["unplaced"] == (25.0, 1000.0)
    assert lines["kept"] == (200.0, 10_000.0)
    assert lines["savings"] == pytest.approx((75.0, 3000.0))
    # users: both activities free hours → 1000/1600 + 2000/1600 = 1.875 FTE
    assert users_of(arr, freed) == 1.875


def test_centi_array_by_hand() -> None:
    """0.333, 0.333, 0.334 h → 33.3, 33.3, 33.4 centi: floors 33 each, round(100) − 99 = 1 more for the largest
    fraction (0.4, the third); a supply of 0 stays 0."""
    got = centi_array(np.array([0.333, 0.0, 0.333, 0.334]))
    assert got.tolist() == [33, 0, 33, 34]
    # ties in the fractional part: content order (first ones first)
    assert centi_array(np.array([0.005, 0.005, 0.005, 0.005])).tolist() == [1, 1, 0, 0]


def test_role_sent_by_hand() -> None:
    """Moves of 150 and 50 centi-hours of clerk (30 €/h) from x, 100 of notary (100 €/h) from x to g:
    sent_x = 3 h, value 2 × 30 + 1 × 100 = 160 €; nothing from g."""
    _chain, facts = two()
    arr = fact_arrays(facts)
    staffing = Staffing(roles=[RoleInfo("clerk", "Clerk", None, 30.0), RoleInfo("notary", "Notary", None, 100.0)],
                        shares={"x": [("clerk", 0.5), ("notary", 0.5)], "g": [("notary", 1.0)]},
                        cost={("x", "clerk"): 30.0, ("x", "notary"): 100.0, ("g", "notary"): 100.0}, defined=True)
    moves = [("x", "clerk", "g", "mobility", 0.0, 150), ("x", "notary", "g", "mobility", 0.0, 100),
             ("x", "clerk", "g", "transfer", 10.0, 50)]
    total, sent, value = role_sent(arr, moves, staffing)
    k = {i: n for n, i in enumerate(arr.ids)}
    assert total == 300
    assert sent[k["x"]] == 3.0 and sent[k["g"]] == 0.0
    assert value[k["x"]] == 160.0 and value[k["g"]] == 0.0


@pytest.mark.parametrize("example", ["retail-bank", "care-home", "it-services"])
def test_arrays_equal_the_scalar_functions(example: str) -> None:
    """On an example (roles, goods, transfers), each function gives the scalar code's floats exactly."""
    chain = relmap.load(f"examples/{example}/company.yaml")
    facts = build_facts(chain)
    arr = fact_arrays(facts)
    graph = build_graph(chain)
    goods = {f.id for f in facts if f.good}
    metrics, _flags = analyse_structure(graph, goods, {f.id: f.quadrant for f in facts})
    staffing = build_staffing(chain, facts)
    for sc in chain.scenarios:
        for alpha in (0.37, 0.6):
            freed = {f.id: freed_hours(f, alpha) for f in facts}
            freed_a = freed_array(arr, alpha)
            assert freed_a.tolist() == [freed[i] for i in arr.ids]
            shares = scenario_shares(sc)
            split = split_freed(facts, freed, sc, chain.policy, shares)
            split_a = split_arrays(arr, freed_a, sc, chain.policy, shares)
            for name in ("kept", "supply", "recognition", "training", "community", "savings"):
                assert getattr(split_a, name).tolist() == [getattr(split, name)[i] for i in arr.ids], name
            centi = centi_supplies(split.supply, list(arr.ids))
            assert centi_array(split_a.supply).tolist() == [centi.get(i, 0) for i in arr.ids]
            alloc = allocate_reinvestment(facts, split.supply, graph, metrics, chain.policy,
                                          chain.company.hours_per_fte, staffing)
            by_pair = sent_by_role(staffing, alloc.sent, alloc.allocation)
            values = sent_value(staffing, by_pair)
            sent_a = np.array([alloc.sent.get(i, 0.0) for i in arr.ids])
            values_a = np.array([values.get(i, 0.0) for i in arr.ids])
            assert balance_arrays(arr, split_a, sent_a, values_a) == balance_lines(facts, split, alloc.sent, values)
            assert balance_arrays(arr, split_a, sent_a) == balance_lines(facts, split, alloc.sent)
            assert users_of(arr, freed_a) == ai_cost(sc, facts, freed)[1]
            if staffing.defined and any(a.role is not None for a in alloc.allocation):
                moves = [(a.from_, a.role or "", a.to, a.via, 0.0, round(a.hours * 100)) for a in alloc.allocation]
                total, sent_r, values_r = role_sent(arr, moves, staffing)
                assert total == alloc.allocated_centi
                assert sent_r.tolist() == sent_a.tolist()
                assert values_r.tolist() == values_a.tolist()


@pytest.mark.parametrize("value", [0.0, 0.33, 1.0])
def test_refacts_puts_one_changed_activity_back_in_content_order(value: float) -> None:
    """A sensitivity entry changes one activity's automatability: refacts re-inserts that one fact, and the list
    is the one a full sort by content gives (the order every tie of the allocation follows)."""
    from relmap.analysis.facts import content_key
    from relmap.analysis.whatif import _set_automatability, refacts

    chain = relmap.load("examples/retail-bank/company.yaml")
    facts = build_facts(chain)
    position = {s.id: k for k, s in enumerate(chain.stages)}
    for target in (facts[0].id, facts[len(facts) // 2].id, facts[-1].id):
        got = refacts(chain, facts, _set_automatability(target, value))
        want = sorted(got, key=lambda f: content_key(f, position.get(f.activity.stage or "", len(position))))
        assert [f.id for f in got] == [f.id for f in want]
        assert next(f for f in got if f.id == target).a == (value, value, value)
