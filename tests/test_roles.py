"""Roles (SPEC §6.4): the format, role-aware mobility, per-role figures. Numbers worked out by hand."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import given, settings
from strategies import chain_data, examples

import relmap
from relmap.analysis.roles import move_weight, split_centi
from relmap.errors import InputError
from relmap.input.model import ValueChain
from relmap.input.validate import load_with_warnings, loads

PROPS = settings(max_examples=examples(50), deadline=None)


def bank(**policy: Any) -> dict[str, Any]:
    """A back office of clerks, three relational goods staffed by other roles (see the tests' docstrings)."""
    return {
        "relmap": 1,
        "company": {"name": "Bank", "hours_per_fte": 1600, "hourly_cost": 40},
        "roles": [
            {"id": "clerk", "name": "Back-office clerk", "family": "office", "hourly_cost": 30,
             "can_move_to": [{"role": "adviser", "training_hours": 120}]},
            {"id": "assistant", "name": "Branch assistant", "family": "office", "hourly_cost": 30},
            {"id": "adviser", "name": "Branch adviser", "hourly_cost": 60},
            {"id": "carer", "name": "Companion carer", "family": "care", "hourly_cost": 35},
        ],
        "activities": [
            {"id": "back", "name": "Back office", "hours": 1000, "automatability": 0.5, "relational": "none",
             "roles": ["clerk"]},
            {"id": "welcome", "name": "Welcome", "hours": 2000, "automatability": 0.0, "relational": "high",
             "roles": ["assistant"]},
            {"id": "advice", "name": "Advice", "hours": 1000, "automatability": 0.0, "relational": "high",
             "roles": ["adviser"]},
            {"id": "visits", "name": "Visits", "hours": 1000, "automatability": 0.0, "relational": "high",
             "roles": ["carer"]},
        ],
        "scenarios": [{"id": "s", "adoption": 0.8, "reinvest": 0.5, "training": 0.1}],
        "policy": {"max_increase": 0.05, "role_risk": 0.2, **policy},
    }


def analyse(data: dict[str, Any]) -> relmap.analysis.AnalysisResult:
    return relmap.analyze(ValueChain.model_validate(data), draws=20)


def test_move_weight_and_split() -> None:
    """10 + round(1000 × 120 / 1600 × 1) = 85; 101 centi-hours in halves → 51 + 50 (largest remainder, first)."""
    assert move_weight(120, 1600, 40, 40) == 85
    assert move_weight(35, 1600, 0, 0) == 10 + round(1000 * 35 / 1600)
    assert split_centi(101, [("a", 0.5), ("b", 0.5)]) == [("a", 51), ("b", 50)]
    assert split_centi(100, [("a", 1 / 3), ("b", 1 / 3), ("c", 1 / 3)]) == [("a", 34), ("b", 33), ("c", 33)]


def test_hand_computed_role_moves() -> None:
    """back frees 1000 × 0.5 × 0.8 = 400 h (clerks, 30 €/h): supply 200, training 40, savings 160.

    Capacities (max_increase 0.05): welcome 100, advice 50, visits 50. Goods' cost: r = 0.75 and no
    customer path → round(100 × 0.25) + 60 = 85 each. Mean cost c̄ = (1000×30 + 2000×30 + 1000×60 +
    1000×35) / 5000 = 37 €/h. Clerk → welcome (assistant, same family 'office', 35 h/FTE):
    10 + round(1000 × 35/1600 × 30/37) = 10 + 18 = 28; clerk → advice (can_move_to adviser, 120 h/FTE):
    10 + round(1000 × 120/1600 × 30/37) = 10 + 61 = 71; visits (carer, other family): not allowed.
    So 100 h → welcome, 50 h → advice, 50 h unplaced. Training needed = 100 × 35/1600 + 50 × 120/1600
    = 2.1875 + 3.75 = 5.9375 h (training line 40 h: no gap).
    Clerk: hours 1000, freed 400, redeployed 150, training 40, no longer needed 400 − 150 − 40 = 210
    > 0.2 × 1000 → at risk. Values: freed 400 × 30 = 12,000 €; reinvested 150 × 30 = 4,500 €.
    """
    result = analyse(bank())
    sc = result.scenarios["s"]
    assert result.policy["mobility"] == "role"
    moves = {(a.from_, a.to, a.role): (a.hours, a.training_hours) for a in sc.allocation}
    assert moves == {("back", "welcome", "clerk"): (100, 2.1875), ("back", "advice", "clerk"): (50, 3.75)}
    assert sc.hours_reinvested == pytest.approx(150)
    assert sc.unallocated == pytest.approx(50)
    assert sc.training_needed == pytest.approx(5.9375)
    assert sc.training_gap == 0
    assert sc.value_freed == pytest.approx(12_000)
    b = {x.line: (x.hours, x.value) for x in sc.balance}
    assert b["reinvested"] == pytest.approx((150, 4_500))
    assert b["unplaced"] == pytest.approx((50, 1_500))
    assert sc.hours_no_longer_needed == pytest.approx(210)
    roles = {r.id: r for r in result.roles}
    assert [r.id for r in result.roles] == ["clerk", "assistant", "adviser", "carer"]
    clerk = roles["clerk"].by_scenario["s"]
    assert (roles["clerk"].hours, clerk.hours_freed, clerk.redeployed, clerk.training, clerk.no_longer_needed) == \
        pytest.approx((1000, 400, 150, 40, 210))
    assert clerk.training_needed == pytest.approx(5.9375)
    assert clerk.at_risk
    assert not roles["carer"].by_scenario["s"].at_risk


def test_training_gap_from_role_moves() -> None:
    """Same chain with no training share: the 5.9375 h the moves need are all a gap."""
    data = bank()
    data["scenarios"][0]["training"] = 0.0
    sc = analyse(data).scenarios["s"]
    assert sc.training_gap == pytest.approx(5.9375)
    assert "training_gap" in sc.notes


def test_role_costs_set_the_value() -> None:
    """welcome staffed half by clerks (30 €/h) and half by advisers (60 €/h): its hour costs 45 €/h."""
    data = bank()
    data["activities"][1]["roles"] = ["clerk", "adviser"]
    result = analyse(data)
    assert result.activity("welcome").hourly_cost == pytest.approx(45)
    data["activities"][1].pop("roles")
    data["activities"][1]["staffing"] = {"clerk": 0.25, "adviser": 0.75}
    assert analyse(data).activity("welcome").hourly_cost == pytest.approx(0.25 * 30 + 0.75 * 60)


def notary(can_move: bool) -> dict[str, Any]:
    """A notary office: registry clerks free 2000 × 0.6 × 1 = 1,200 h, half offered (600 h); the only
    relational good outside their family is deed signing, staffed by notaries only (capacity 0.3 × 3000 = 900)."""
    clerk: dict[str, Any] = {"id": "clerk", "name": "Land-registry clerk", "family": "registry", "hourly_cost": 33}
    if can_move:
        clerk["can_move_to"] = [{"role": "notary", "training_hours": 1200}]
    return {
        "relmap": 1,
        "company": {"name": "Notary office", "hours_per_fte": 1600},
        "actors": [{"id": "client", "name": "Client", "kind": "customer"}],
        "roles": [clerk, {"id": "notary", "name": "Notary", "family": "notarial", "hourly_cost": 105}],
        "activities": [
            {"id": "registry", "name": "Land registry filings", "hours": 2000, "automatability": 0.6,
             "relational": "low", "roles": ["clerk"]},
            {"id": "signing", "name": "Deed signing sessions", "hours": 3000, "automatability": 0.0,
             "relational": "very_high", "roles": ["notary"], "touches": ["client"]},
        ],
        "scenarios": [{"id": "base", "adoption": 1.0, "reinvest": 0.5}],
    }


def test_notary_clerks_do_not_become_notaries_without_a_path() -> None:
    """Without can_move_to, no clerk hour reaches the notary-only good: 600 h unplaced, 1,200 h no longer
    needed > 0.25 × 2000 → clerks at risk. With mobility 'any' (format 1) they would have gone there."""
    result = analyse(notary(can_move=False))
    sc = result.scenarios["base"]
    assert sc.allocation == []
    clerk = next(r for r in result.roles if r.id == "clerk").by_scenario["base"]
    assert clerk.no_longer_needed == pytest.approx(1200)
    assert clerk.at_risk
    assert sc.fte_no_longer_needed == pytest.approx(1200 / 1600)
    anyway = notary(can_move=False)
    anyway["policy"] = {"mobility": "any"}
    assert analyse(anyway).scenarios["base"].hours_reinvested == pytest.approx(600)


def test_notary_clerks_reach_signing_through_can_move_to() -> None:
    """With clerk → notary (1,200 h/FTE): 600 h move, training 600 × 1200/1600 = 450 h; no longer needed 600."""
    result = analyse(notary(can_move=True))
    sc = result.scenarios["base"]
    assert [(a.from_, a.to, a.role, a.hours) for a in sc.allocation] == [("registry", "signing", "clerk", 600)]
    assert sc.training_needed == pytest.approx(450)
    clerk = next(r for r in result.roles if r.id == "clerk").by_scenario["base"]
    assert (clerk.redeployed, clerk.no_longer_needed, clerk.training_needed) == pytest.approx((600, 600, 450))


def test_format_one_free_text_roles_keep_working() -> None:
    """No top-level roles: free-text activity roles are labels, mobility stays 'any', each activity is its
    own role with the activity's figures."""
    data = notary(can_move=False)
    del data["roles"]
    data["activities"][0]["roles"] = ["Clerk (registry)"]
    data["activities"][1]["roles"] = ["Notary", "Assistant"]
    result = analyse(data)
    assert result.policy["mobility"] == "any"
    sc = result.scenarios["base"]
    assert sc.hours_reinvested == pytest.approx(600)
    roles = {r.id: r for r in result.roles}
    assert set(roles) == {"registry", "signing"}
    assert not roles["registry"].defined
    row = roles["registry"].by_scenario["base"]
    assert (row.hours_freed, row.redeployed, row.no_longer_needed) == pytest.approx((1200, 600, 600))
    assert result.activity("signing").roles == ["Notary", "Assistant"]


def test_role_errors_are_located() -> None:
    text = """relmap: 1
company: {name: T}
roles:
  - {id: clerk, name: Clerk, can_move_to: [{role: clerk, training_hours: 5}, {role: notry}]}
  - {id: notary, name: Notary}
activities:
  - {id: a, name: A, hours: 10, automatability: 0.2, relational: 0.2, roles: [clerc]}
  - {id: b, name: B, hours: 10, automatability: 0.2, relational: 0.2, staffing: {clerk: 0.5, notary: 0.4}}
"""
    with pytest.raises(InputError) as err:
        loads(text, "t.yaml")
    messages = [(p.line, p.message, p.hint) for p in err.value.problems]
    assert (4, "role 'clerk' lists itself in 'can_move_to'", "list the other roles its people may move to") \
        in messages
    assert any(line == 4 and "unknown role 'notry'" in m and "notary" in h for line, m, h in messages)
    assert any(line == 7 and "unknown role 'clerc'" in m and "clerk" in h for line, m, h in messages)
    assert any(line == 8 and "add up to 0.9" in m for line, m, _h in messages)


def test_staffing_needs_roles_and_idle_role_warns(tmp_path: Any) -> None:
    with pytest.raises(InputError) as err:
        loads("relmap: 1\ncompany: {name: T}\nactivities:\n  - {id: a, name: A, hours: 1, automatability: 0.1, "
              "relational: 0.1, staffing: {x: 1}}\n", "t.yaml")
    assert "defines no 'roles'" in err.value.problems[0].message
    path = tmp_path / "c.yaml"
    path.write_text("relmap: 1\ncompany: {name: T}\nroles:\n  - {id: r, name: R}\n  - {id: idle, name: Idle}\n"
                    "activities:\n  - {id: a, name: A, hours: 1, automatability: 0.1, relational: 0.1, roles: [r]}\n",
                    encoding="utf-8")
    _chain, warnings = load_with_warnings(path)
    assert [(w.line, w.message) for w in warnings] == [(5, "warning: role 'idle' staffs no activity")]


@PROPS
@given(chain_data(with_roles=True))
def test_every_role_hour_is_accounted_for(data: dict[str, Any]) -> None:
    """Per role: hours_freed = kept + redeployed + training + community + no_longer_needed; the roles add up
    to the scenario (hours, freed, reinvested, no longer needed, training needed); every role move follows
    the mobility rule."""
    result = analyse(copy.deepcopy(data))
    chain = ValueChain.model_validate(data)
    family = {r.id: r.family for r in chain.roles}
    moves = {r.id: {m.role for m in r.can_move_to} for r in chain.roles}
    staffed = {a.id: set(a.staffing or a.roles) for a in chain.activities} if chain.roles else {}
    assert math.fsum(r.hours for r in result.roles) == pytest.approx(math.fsum(a.hours for a in result.activities))
    for sid, sc in result.scenarios.items():
        rows = [r.by_scenario[sid] for r in result.roles]
        for row in rows:
            parts = math.fsum([row.kept, row.redeployed, row.training, row.community, row.no_longer_needed])
            assert parts == pytest.approx(row.hours_freed, rel=1e-12, abs=1e-9)
        assert math.fsum(r.hours_freed for r in rows) == pytest.approx(sc.hours_freed, rel=1e-9, abs=1e-6)
        assert math.fsum(r.redeployed for r in rows) == pytest.approx(sc.hours_reinvested, rel=1e-9, abs=1e-6)
        assert math.fsum(r.no_longer_needed for r in rows) == pytest.approx(sc.hours_no_longer_needed,
                                                                            rel=1e-9, abs=1e-6)
        assert math.fsum(r.training_needed for r in rows) == pytest.approx(sc.training_needed, rel=1e-9, abs=1e-6)
        for move in sc.allocation:
            if move.via != "mobility" or move.role is None or not chain.roles:
                continue
            target = staffed[move.to]
            assert (move.role in target or move.to == move.from_ or target & moves.get(move.role, set())
                    or any(family.get(t) is not None and family.get(t) == family.get(move.role) for t in target))


def test_greedy_fill_matches_the_hand_computed_case(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above EXACT_NODES the arcs are filled cheapest first: on the bank case, the same moves."""
    import relmap.analysis.roles as roles

    monkeypatch.setattr(roles, "EXACT_NODES", 0)
    sc = analyse(bank()).scenarios["s"]
    assert {(a.to, a.hours, a.training_hours) for a in sc.allocation} == {("welcome", 100, 2.1875),
                                                                          ("advice", 50, 3.75)}


@PROPS
@given(chain_data(with_roles=True))
def test_greedy_fill_accounts_for_every_hour(data: dict[str, Any]) -> None:
    """The greedy fill never exceeds a supply or a capacity, and the roles still add up."""
    import relmap.analysis.roles as roles

    saved = roles.EXACT_NODES
    roles.EXACT_NODES = 0
    try:
        result = analyse(data)
    finally:
        roles.EXACT_NODES = saved
    for sid, sc in result.scenarios.items():
        assert sc.hours_reinvested <= sc.reinvest_pool + 1e-9
        for act in result.activities:
            row = act.by_scenario[sid]
            assert row.hours_received <= row.capacity + 1e-9
            assert row.hours_sent <= row.reinvest_supply + 0.01
        assert math.fsum(r.by_scenario[sid].redeployed for r in result.roles) == pytest.approx(
            sc.hours_reinvested, abs=1e-6)


def test_people_view_has_a_bar_per_role_and_marks_the_at_risk() -> None:
    """The SVG parses, names every role with hours, and marks the clerks (at risk) with ⚠."""
    import xml.etree.ElementTree as ET

    from relmap.render import render_view

    result = analyse(bank())
    svg = render_view(result, "people").decode("utf-8")
    root = ET.fromstring(svg)
    text = " ".join(t for e in root.iter() for t in [e.text or ""])
    for role in result.roles:
        assert role.name in text
    assert "Back-office clerk ⚠" in text
    from relmap.render.people import people_rows

    rows = people_rows(result, "s")
    assert [r.label for r in rows] == [r.name for r in result.roles]
    clerk = rows[0]
    assert sum(clerk.parts.values()) == pytest.approx(1000)  # unchanged 600 + redeployed 150 + training 40 + 210
    assert clerk.parts["no_longer_needed"] == pytest.approx(210) and clerk.at_risk


def test_people_view_sums_families_beyond_forty_roles() -> None:
    """45 roles in 3 families → 3 family bars whose hours are the sums."""
    data: dict[str, Any] = {
        "relmap": 1, "company": {"name": "Many", "hours_per_fte": 1600, "hourly_cost": 30},
        "roles": [{"id": f"r{k}", "name": f"Role {k}", "family": f"family {k % 3}"} for k in range(45)],
        "activities": [{"id": f"a{k}", "name": f"Activity {k}", "hours": 100 + k, "automatability": 0.5,
                        "relational": "low", "roles": [f"r{k}"]} for k in range(45)],
    }
    from relmap.render.people import people_rows

    result = analyse(data)
    rows = people_rows(result, "base")
    assert [r.label for r in rows] == ["family 0 (15 roles)", "family 1 (15 roles)", "family 2 (15 roles)"]
    assert rows[0].hours == pytest.approx(sum(100 + k for k in range(0, 45, 3)))
