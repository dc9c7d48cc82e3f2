"""The economics of SPEC §6.1–6.3 and §6.8: exposure × time saved, the relational dividend, the balance,
AI costs and net savings, borderline flags, lead scenario, id-independence. Numbers worked out by hand."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import given, settings
from strategies import chain_data, examples

import relmap
from relmap.analysis.economics import BALANCE_LINES, cost_for_users
from relmap.analysis.reinvest import centi_supplies
from relmap.analysis.scores import exposure_times_saving
from relmap.errors import InputError
from relmap.input.model import ValueChain
from relmap.input.validate import loads
from relmap.seeds import get_prior

PROPS = settings(max_examples=examples(50), deadline=None)


def two_activities(**policy: Any) -> dict[str, Any]:
    """x: 1,000 h at 40 €/h, a = 0.5, not relational; g: 2,000 h at 50 €/h, a = 0.2, relational 0.75."""
    return {
        "relmap": 1,
        "company": {"name": "Two", "hours_per_fte": 1600, "hourly_cost": 40},
        "activities": [
            {"id": "x", "name": "Back office", "hours": 1000, "automatability": 0.5, "relational": "none"},
            {"id": "g", "name": "Welcome", "hours": 2000, "hourly_cost": 50, "automatability": 0.2,
             "relational": "high"},
        ],
        "scenarios": [{"id": "s", "adoption": 0.5, "reinvest": 0.5, "recognition": 0.1, "training": 0.1,
                       "costs": {"one_off": 1000, "yearly": 500, "per_user_year": 10}}],
        "policy": {"max_increase": 0.3, **policy},
    }


def analyse(data: dict[str, Any]) -> relmap.analysis.AnalysisResult:
    return relmap.analyze(ValueChain.model_validate(data), draws=20)


def balance(sc: Any) -> dict[str, tuple[float, float]]:
    return {b.line: (b.hours, b.value) for b in sc.balance}


def test_relational_dividend_all_keeps_the_goods_hours() -> None:
    """freed x = 1000 × 0.5 × 0.5 = 250 h; freed g = 2000 × 0.2 × 0.5 = 200 h, all kept (10,000 €).
    x's 250 h: reinvest 125 (→ g, capacity 600), recognition 25, training 25, savings 75.
    users = 1000/1600 + 2000/1600 = 1.875 FTE; ai_cost = 500 + 10 × 1.875 = 518.75;
    net = 75 × 40 − 518.75 = 2,481.25."""
    sc = analyse(two_activities()).scenarios["s"]
    b = balance(sc)
    assert [line.line for line in sc.balance] == list(BALANCE_LINES)
    assert b["kept"] == pytest.approx((200, 10_000))
    assert b["reinvested"] == pytest.approx((125, 5_000))
    assert b["unplaced"] == pytest.approx((0, 0))
    assert b["recognition"] == pytest.approx((25, 1_000))
    assert b["training"] == pytest.approx((25, 1_000))
    assert b["savings"] == pytest.approx((75, 3_000))
    assert sc.hours_kept == pytest.approx(200)
    assert sc.hours_reinvested == pytest.approx(125)
    assert sc.users == pytest.approx(1.875)
    assert sc.ai_cost == pytest.approx(518.75)
    assert sc.net_savings == pytest.approx(2_481.25)
    assert sc.recognition.value == pytest.approx(1_000)
    assert sc.costs["one_off"] == 1000
    assert sc.hours_no_longer_needed == pytest.approx(100)  # unplaced 0 + recognition 25 + savings 75
    assert sc.fte_no_longer_needed == pytest.approx(100 / 1600)


def test_cost_for_users_by_hand() -> None:
    """yearly 50,000 + 600 × 15 users = 59,000; per draw (an array of users) the same formula each."""
    import numpy as np

    from relmap.input.model import Scenario

    sc = Scenario.model_validate({"id": "s", "costs": {"yearly": 50_000, "per_user_year": 600}})
    assert cost_for_users(sc, 15.0) == 59_000
    assert cost_for_users(sc, np.array([0.0, 15.0])).tolist() == [50_000, 59_000]


def test_relational_dividend_share_splits_the_goods_hours() -> None:
    """With 'share': g's 200 h split too: 100 reinvested in itself, 20 recognition, 20 training, 60 savings.
    reinvested 125 + 100 = 225; savings 75 × 40 + 60 × 50 = 6,000; recognition 25 × 40 + 20 × 50 = 2,000."""
    sc = analyse(two_activities(relational_dividend="share")).scenarios["s"]
    b = balance(sc)
    assert b["kept"] == pytest.approx((0, 0))
    assert b["reinvested"] == pytest.approx((225, 10_000))
    assert b["savings"] == pytest.approx((135, 6_000))
    assert sc.recognition.value == pytest.approx(2_000)
    assert sc.net_savings == pytest.approx(6_000 - 518.75)


def test_unplaced_goes_to_savings_or_stays() -> None:
    """max_increase 0.05: g takes 100 h of x's 125; 25 h (1,000 €) unplaced.
    unplaced: savings → net = 3,000 + 1,000 − 518.75; unplaced: keep → net = 3,000 − 518.75."""
    sc = analyse(two_activities(max_increase=0.05)).scenarios["s"]
    assert balance(sc)["unplaced"] == pytest.approx((25, 1_000))
    assert sc.net_savings == pytest.approx(3_481.25)
    kept = analyse(two_activities(max_increase=0.05, unplaced="keep")).scenarios["s"]
    assert kept.net_savings == pytest.approx(2_481.25)
    assert "unplaced_kept" in kept.notes


def test_no_relational_good_sends_recognition_to_savings() -> None:
    """g relational 'low': no good. x: supply 125 unplaced, savings (0.3 + 0.1) × 250 = 100;
    g: rest 200, supply 100 unplaced, training 20, savings 80. Recognition 0, noted."""
    data = two_activities()
    data["activities"][1]["relational"] = "low"
    sc = analyse(data).scenarios["s"]
    b = balance(sc)
    assert b["recognition"] == (0, 0)
    assert b["savings"] == pytest.approx((180, 100 * 40 + 80 * 50))
    assert b["unplaced"] == pytest.approx((225, 125 * 40 + 100 * 50))
    assert sc.recognition.value == 0
    assert sc.notes == ["recognition_to_savings"]


def test_training_gap() -> None:
    """A transfer x → g with 160 h per FTE: 125 h moved = 125/1600 FTE → 12.5 h needed; training line 25 h: no gap.
    With 800 h per FTE: 62.5 h needed − 25 h = 37.5 h gap."""
    data = two_activities()
    data["policy"]["transfers"] = [{"from": "x", "to": "g", "training_hours_per_fte": 160}]
    sc = analyse(data).scenarios["s"]
    assert sc.training_needed == pytest.approx(12.5)
    assert sc.training_gap == 0
    data["policy"]["transfers"][0]["training_hours_per_fte"] = 800
    sc = analyse(data).scenarios["s"]
    assert sc.training_gap == pytest.approx(37.5)
    assert "training_gap" in sc.notes


def test_exposure_times_time_saving() -> None:
    """E = (0.2, 0.4, 0.6), T = (0.5, 0.5, 0.8) → a = (0.1, 0.2, 0.48)."""
    assert exposure_times_saving((0.2, 0.4, 0.6), (0.5, 0.5, 0.8)) == pytest.approx((0.1, 0.2, 0.48))


def test_occupation_prior_uses_both_raters_and_time_saving() -> None:
    """Chief Executives 11-1011.00: GPT-4 (0.10, 0.46, 0.82), human (0.18, 0.35, 0.52).
    both = (0.10, 0.405, 0.82); × T (0.5, 0.5, 0.8) = (0.05, 0.2025, 0.656)."""
    prior = get_prior("occupation", "11-1011.00")
    assert prior is not None and prior.human == (0.18, 0.35, 0.52)
    data = two_activities()
    del data["activities"][0]["automatability"]
    data["activities"][0]["occupation"] = "11-1011.00"
    act = analyse(data).activity("x")
    assert act.automatability_source == "occupation"
    assert (act.exposure.low, act.exposure.point, act.exposure.high) == pytest.approx((0.10, 0.405, 0.82))
    assert (act.time_saving.low, act.time_saving.point, act.time_saving.high) == pytest.approx((0.5, 0.5, 0.8))
    ar = act.automatability_range
    assert (ar.low, ar.point, ar.high) == pytest.approx((0.05, 0.2025, 0.656))
    data["assumptions"] = {"exposure_rater": "human", "exposure_time_saving": 1.0}
    act = analyse(data).activity("x")
    assert act.automatability == pytest.approx(0.35)


def test_borderline_flag() -> None:
    """τ = 0.5, margin 0.05: g's r = 0.75 is not borderline; a = 0.5 of x is; 'medium' is."""
    data = two_activities()
    result = analyse(data)
    assert [f.kind for f in result.activity("x").flags] == ["borderline"]
    assert result.activity("x").flags[0].evidence["scores"] == ["automatability"]
    assert "borderline" not in [f.kind for f in result.activity("g").flags]
    data["activities"][1]["relational"] = "medium"
    data["activities"][1]["automatability"] = 0.1
    flags = {f.kind: f for f in analyse(data).activity("g").flags}
    assert flags["borderline"].evidence["scores"] == ["relational"]


def test_lead_scenario_rule_and_errors() -> None:
    """lead: true wins; else base; else the first. Two leads: a located error."""
    data = two_activities()
    data["scenarios"] = [{"id": "a"}, {"id": "base"}, {"id": "c"}]
    assert analyse(data).lead == "base"
    data["scenarios"][2]["lead"] = True
    result = analyse(data)
    assert result.lead == "c" and result.lead_scenario() == "c" and result.scenarios["c"].lead
    data["scenarios"] = [{"id": "a"}, {"id": "b"}]
    assert analyse(data).lead == "a"
    text = ("relmap: 1\ncompany: {name: X}\nactivities:\n  - {id: a, name: A, hours: 1, automatability: 0.1, "
            "relational: low}\nscenarios:\n  - {id: s1, lead: true}\n  - {id: s2, lead: true}\n")
    with pytest.raises(InputError) as exc:
        loads(text, "c.yaml")
    assert "c.yaml:7:" in exc.value.format() and "lead" in exc.value.format()


def test_assumptions_typo_and_rater_errors() -> None:
    base = ("relmap: 1\ncompany: {name: X}\nactivities:\n  - {id: a, name: A, hours: 1, automatability: 0.1, "
            "relational: low}\n")
    with pytest.raises(InputError) as exc:
        loads(base + "assumptions: {exposure_ratr: human}\n", "c.yaml")
    assert "exposure_rater" in exc.value.format()
    with pytest.raises(InputError) as exc:
        loads(base + "assumptions: {exposure_rater: robot}\n", "c.yaml")
    assert "c.yaml:5:" in exc.value.format()
    with pytest.raises(InputError):
        loads(base + "scenarios: [{id: s, costs: {yearly: -5}}]\n", "c.yaml")


def test_centi_supplies_keep_the_total() -> None:
    """0.333, 0.333, 0.334 h → 33, 33, 34 centi-hours (total 100 = round(100 × 1.0))."""
    assert centi_supplies({"a": 0.333, "b": 0.333, "c": 0.334}, ["a", "b", "c"]) == {"a": 33, "b": 33, "c": 34}


def test_vendor_concentration_needs_coverage() -> None:
    """A provider on x's 250 of 450 freed hours (56%) is a risk; on a sliver (below 20%) it is not."""
    data = two_activities()
    data["activities"][0]["ai_provider"] = "Acme"
    assert [r.kind for r in analyse(data).risks] == ["vendor_concentration"]
    data["activities"][0]["hours"] = 20
    assert analyse(data).risks == []


@PROPS
@given(chain_data(with_roles=True))
def test_balance_adds_up(data: dict[str, Any]) -> None:
    """For every scenario: balance hours sum to hours_freed and values to value_freed (±0.01)."""
    result = analyse(data)
    for sc in result.scenarios.values():
        assert [b.line for b in sc.balance] == list(BALANCE_LINES)
        assert math.fsum(b.hours for b in sc.balance) == pytest.approx(sc.hours_freed, abs=0.01)
        assert math.fsum(b.value for b in sc.balance) == pytest.approx(sc.value_freed, abs=0.01)
        assert sc.ai_cost >= 0
        assert all(b.hours > -0.01 for b in sc.balance)


def _rename(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Every activity, actor and stage id renamed, in reverse order, and the file's lists reversed."""
    out = copy.deepcopy(data)
    ids = [a["id"] for a in out["activities"]] + [a["id"] for a in out["actors"]] + [s["id"] for s in out["stages"]]
    new = {old: f"z{len(ids) - k:03d}" for k, old in enumerate(ids)}
    for act in out["activities"]:
        act["id"] = new[act["id"]]
        if "stage" in act:
            act["stage"] = new[act["stage"]]
        if "touches" in act:
            act["touches"] = [new[t] for t in act["touches"]]
    for actor in out["actors"]:
        actor["id"] = new[actor["id"]]
    for stage in out["stages"]:
        stage["id"] = new[stage["id"]]
    for flow in out["flows"]:
        flow["from"], flow["to"] = new[flow["from"]], new[flow["to"]]
    for tr in out["policy"]["transfers"]:
        tr["from"], tr["to"] = new[tr["from"]], new[tr["to"]]
    role_ids = [r["id"] for r in out.get("roles", [])]
    new.update({old: f"y{len(role_ids) - k:03d}" for k, old in enumerate(role_ids)})
    for role in out.get("roles", []):
        role["id"] = new[role["id"]]
        for move in role.get("can_move_to", []):
            move["role"] = new[move["role"]]
    for act in out["activities"]:
        if "roles" in act and role_ids:
            act["roles"] = [new[r] for r in act["roles"]]
        if "staffing" in act:
            act["staffing"] = {new[r]: s for r, s in reversed(act["staffing"].items())}
    if role_ids:
        out["roles"].reverse()
    out["activities"].reverse()
    out["flows"].reverse()
    return out, new


@PROPS
@given(chain_data(with_roles=True))
def test_renaming_ids_changes_no_number(data: dict[str, Any]) -> None:
    """Renaming every id (roles too) and reordering the file changes no figure of any activity, role or
    scenario."""
    for i, act in enumerate(data["activities"]):
        act["name"] = f"Activity {i}"  # distinct names: the content that breaks ties
    renamed, new = _rename(data)
    a, b = analyse(data), analyse(renamed)
    for sid, sa in a.scenarios.items():
        sb = b.scenarios[sid]
        for key in ("hours_freed", "value_freed", "hours_reinvested", "unallocated", "hours_kept", "net_savings",
                    "ai_cost", "training_needed"):
            assert getattr(sa, key) == pytest.approx(getattr(sb, key), abs=1e-6), key
        assert [(x.line, round(x.hours, 6)) for x in sa.balance] == [(x.line, round(x.hours, 6)) for x in sb.balance]
        if sa.uncertainty:
            for key, p in sa.uncertainty.items():
                q = sb.uncertainty[key]  # type: ignore[index]
                assert (p.p10, p.p50, p.p90) == pytest.approx((q.p10, q.p50, q.p90), rel=1e-6, abs=1e-6)
    for act in a.activities:
        other = b.activity(new[act.id])
        for sid, row in act.by_scenario.items():
            o = other.by_scenario[sid]
            assert (row.hours_sent, row.hours_received, row.hours_kept) == pytest.approx(
                (o.hours_sent, o.hours_received, o.hours_kept), abs=1e-6)
        assert act.metrics.betweenness == pytest.approx(other.metrics.betweenness)
        assert sorted(f.kind for f in act.flags) == sorted(f.kind for f in other.flags)
    roles_b = {r.id: r for r in b.roles}
    for role in a.roles:
        other_role = roles_b[new[role.id]]
        for sid, rs in role.by_scenario.items():
            assert rs.model_dump() == pytest.approx(other_role.by_scenario[sid].model_dump(), abs=1e-6), role.id
