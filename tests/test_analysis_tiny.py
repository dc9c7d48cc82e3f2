"""Every figure of tests/cases/analysis/tiny.yaml, worked out by hand.

The chain (company: 1,000 h per FTE, 20 €/h for everyone; τa = τr = 0.5)::

    client ──► greet ──► booking ──► advise ──► client
      ▲          │  (touches)  │
      └──────────┘             └──► billing ──► client
               greet ──► mentoring ──► filing

    id         stage  hours   a     r                 quadrant
    greet      front  1000   0.2   0.8               relational_core (good)
    booking    front  2000   0.8   0.2               automate
    advise     front  1000   0.6   0.6               augment (good)
    billing    back   1000   0.9   none = 0          automate   (fte 1 × 1000)
    mentoring  back    500   0.1   rubric all 4 = 1  relational_core (good)
    filing     back    500   0.3   0.1               sustain
"""

from __future__ import annotations

from pathlib import Path

import pytest

import relmap
from relmap.analysis import AnalysisResult
from relmap.input.model import ValueChain
from relmap.vocabulary import flag_text, note_text

CASES = Path(__file__).parent / "cases" / "analysis"


@pytest.fixture(scope="module")
def chain() -> ValueChain:
    return relmap.load(CASES / "tiny.yaml")


@pytest.fixture(scope="module")
def result(chain: ValueChain) -> AnalysisResult:
    return relmap.analyze(chain)


def test_scores_and_quadrants(result: AnalysisResult) -> None:
    """a and r as given; the rubric of seven 4s is (7 × 4) / 7 / 4 = 1; 'none' is 0.

    greet (0.2, 0.8) → relational_core; booking (0.8, 0.2) → automate;
    advise (0.6, 0.6) → augment; billing (0.9, 0) → automate;
    mentoring (0.1, 1) → relational_core; filing (0.3, 0.1) → sustain.
    Relational goods (r ≥ 0.5): greet, advise, mentoring — listed in output
    order (stage position, then id): advise, greet (front), mentoring (back).
    """
    expected = {"greet": ("relational_core", 0.2, 0.8), "booking": ("automate", 0.8, 0.2),
                "advise": ("augment", 0.6, 0.6), "billing": ("automate", 0.9, 0.0),
                "mentoring": ("relational_core", 0.1, 1.0), "filing": ("sustain", 0.3, 0.1)}
    for aid, (quadrant, a, r) in expected.items():
        act = result.activity(aid)
        assert (act.quadrant, act.automatability, act.relational_index) == (quadrant, a, r), aid
    assert result.relational_goods == ["advise", "greet", "mentoring"]
    assert result.quadrants == {"automate": ["booking", "billing"], "augment": ["advise"],
                                "relational_core": ["greet", "mentoring"], "sustain": ["filing"]}
    assert result.activity("mentoring").relational_source == "rubric"
    assert result.activity("billing").relational_source == "word"
    assert result.activity("billing").hours == 1000.0 and result.activity("billing").fte == 1.0


def test_graph_metrics(result: AnalysisResult) -> None:
    """Customer distance follows the flows: greet → client (touches) = 1; booking → advise → client = 2;
    advise, billing = 1; mentoring → filing never reaches the client: None.

    Customer reach (paths to the client, the client's own out-edge cut): advise and billing
    have one path each, through no good after them: 0. booking has two paths (via advise,
    a good; via billing, not): 1/2. greet has three (booking→advise→client, booking→billing→client,
    client directly; the mentoring branch reaches no customer): only the first meets a good: 1/3.

    Articulation points of the undirected chain: greet (cuts off mentoring and filing) and
    mentoring (cuts off filing).
    """
    m = {a.id: a.metrics for a in result.activities}
    assert {k: v.customer_distance for k, v in m.items()} == {
        "greet": 1, "booking": 2, "advise": 1, "billing": 1, "mentoring": None, "filing": None}
    assert m["booking"].customer_reach == pytest.approx(0.5)
    assert m["greet"].customer_reach == pytest.approx(1 / 3)
    assert m["advise"].customer_reach == 0.0
    assert {k for k, v in m.items() if v.articulation_point} == {"greet", "mentoring"}
    assert {k for k, v in m.items() if v.touchpoint} == {"greet", "advise", "billing"}
    assert not m["booking"].touches_customer


def test_flags(result: AnalysisResult) -> None:
    """booking is automate with greet upstream and advise downstream → bridge_at_risk.
    billing is automate with booking (not a good) upstream and only the client downstream → no flag.
    mentoring is a good with no path to the client → invisible; it is also an articulation
    point → single_point, separating filing. greet is a good and an articulation point →
    single_point, separating mentoring and filing (2 pieces: the client side and that branch).
    """
    flags = {a.id: {f.kind: f.evidence for f in a.flags} for a in result.activities}
    assert flags["booking"] == {"bridge_at_risk": {"upstream": ["greet"], "downstream": ["advise"], "max_hops": 1}}
    assert flags["billing"] == {}
    assert set(flags["mentoring"]) == {"invisible", "single_point"}
    assert flags["mentoring"]["single_point"] == {"components": 2, "separates": ["filing"], "separated_count": 1}
    assert flags["greet"] == {"single_point": {"components": 2, "separates": ["filing", "mentoring"],
                                               "separated_count": 2}}
    assert flags["advise"] == flags["filing"] == {}
    assert all(flag_text(result, f) for a in result.activities for f in a.flags)


def test_freed_hours_base(result: AnalysisResult) -> None:
    """Scenario base, α = 0.5: freed = h × a × α.

    greet 1000×0.2×0.5 = 100; booking 2000×0.8×0.5 = 800; advise 300; billing 450;
    mentoring 500×0.1×0.5 = 25; filing 75. Total 1,750 h = 1.75 FTE (1,000 h/FTE),
    value 1,750 × 20 = 35,000. Training 10 % = 175 h; community 0; savings share
    1 − 0.5 − 0.1 − 0.1 = 0.3: 525 h and 10,500.
    """
    sc = result.scenarios["base"]
    freed = {a.id: a.by_scenario["base"].hours_freed for a in result.activities}
    assert freed == pytest.approx({"greet": 100, "booking": 800, "advise": 300, "billing": 450,
                                   "mentoring": 25, "filing": 75})
    assert (sc.hours_freed, sc.fte_freed, sc.value_freed) == pytest.approx((1750, 1.75, 35000))
    assert sc.training_hours == pytest.approx(175) and sc.community_hours == 0
    assert sc.shares["savings"] == 0.3
    assert sc.savings == pytest.approx({"hours": 525, "value": 10500})


def test_allocation_base(result: AnalysisResult) -> None:
    """Reinvest 50 %: supplies greet 50, booking 400, advise 150, billing 225, mentoring 12.5,
    filing 37.5: pool 875. Capacities (max_increase 0.2 × hours): greet 200, advise 200,
    mentoring 100 = 500 < 875, so every good is filled and 375 h stay unallocated.

    With every good full, Σ good cost × capacity is fixed; the optimum minimises move costs
    (own 0 < same stage 10 < elsewhere 30): each good keeps its own supply (50, 150, 12.5);
    the rest comes from its own stage: booking fills greet (150) and advise (50); the back
    office's billing and filing are interchangeable for mentoring's 87.5 h — ties break on
    content, never on ids (SPEC §6.8): filing (r = 0.1) comes before billing (r = 0), so filing
    sends its 37.5 h and billing the other 50.
    """
    sc = result.scenarios["base"]
    assert (sc.reinvest_pool, sc.hours_reinvested, sc.unallocated) == (875.0, 500.0, 375.0)
    moves = {(m.from_, m.to, m.via): m.hours for m in sc.allocation}
    assert moves == {("greet", "greet", "own"): 50, ("advise", "advise", "own"): 150,
                     ("mentoring", "mentoring", "own"): 12.5, ("booking", "greet", "mobility"): 150,
                     ("booking", "advise", "mobility"): 50, ("filing", "mentoring", "mobility"): 37.5,
                     ("billing", "mentoring", "mobility"): 50}
    assert sc.received == {"advise": 200.0, "greet": 200.0, "mentoring": 100.0}
    assert result.activity("booking").by_scenario["base"].hours_sent == 200
    assert result.activity("greet").by_scenario["base"].capacity == 200


def test_recognition(result: AnalysisResult) -> None:
    """Recognition 10 % of 35,000 = 3,500 over the goods' 2,500 h (2.5 FTE): 1,400 per FTE;
    their cost 2,500 × 20 = 50,000, so 7 %. greet gets 3,500 × 1000/2500 = 1,400, mentoring 700.
    """
    rec = result.scenarios["base"].recognition
    assert (rec.value, rec.beneficiary_fte, rec.per_fte, rec.pct_of_cost) == pytest.approx((3500, 2.5, 1400, 0.07))
    assert result.activity("greet").by_scenario["base"].recognition_value == pytest.approx(1400)
    assert result.activity("mentoring").by_scenario["base"].recognition_value == pytest.approx(700)
    assert result.activity("booking").by_scenario["base"].recognition_value == 0


def test_risks(result: AnalysisResult) -> None:
    """Vendors (base): BotCo frees 800 h, Ledgr 450: shares 0.64 / 0.36,
    HHI = 0.64² + 0.36² = 0.4096 + 0.1296 = 0.5392 > 0.5 → vendor_concentration on BotCo,
    covering 1,250 / 1,750 of the freed hours. Same shares in push (α scales them all).

    Stages: in base front frees 1,200 / 4,000 = 30 %, back 550 / 2,000 = 27.5 %: none hollowed.
    In push (α = 0.9) front frees 2,160 / 4,000 = 54 % > 50 % → hollowed_stage; back
    990 / 2,000 = 49.5 %: not.
    """
    risks = {(r.kind, r.scenario): r for r in result.risks}
    assert set(risks) == {("vendor_concentration", "base"), ("vendor_concentration", "push"),
                          ("hollowed_stage", "push")}
    vendor = risks[("vendor_concentration", "base")]
    assert vendor.subject == "BotCo"
    assert vendor.evidence["hhi"] == pytest.approx(0.5392)
    assert vendor.evidence["shares"] == pytest.approx({"BotCo": 0.64, "Ledgr": 0.36})
    assert vendor.evidence["covered_share"] == pytest.approx(1250 / 1750)
    hollow = risks[("hollowed_stage", "push")]
    assert hollow.subject == "front"
    assert hollow.evidence["share"] == pytest.approx(0.54)
    assert hollow.evidence["hours_freed"] == pytest.approx(2160)
    assert result.scenarios["base"].by_stage["back"] == pytest.approx(
        {"hours": 2000, "hours_freed": 550, "share_freed": 0.275, "hours_received": 100})


def test_scenario_or_none(result: AnalysisResult) -> None:
    """The lead scenario when none is named, the one named, a KeyError for an unknown one."""
    assert result.scenario_or_none() is result.scenario_result()
    assert result.scenario_or_none("push") is result.scenarios["push"]
    with pytest.raises(KeyError):
        result.scenario_or_none("pusj")


def test_no_uncertainty(result: AnalysisResult) -> None:
    """Every input is a single number: no Monte Carlo, no confidence, no percentiles."""
    assert result.monte_carlo is None
    assert all(row.confidence is None for a in result.activities for row in a.by_scenario.values())
    assert all(sc.uncertainty is None for sc in result.scenarios.values())


def test_stage_mobility_leaves_hours_unallocated() -> None:
    """tiny-stage.yaml: max_increase 0.5 (greet 500, advise 500, mentoring 250: 1,250 ≥ the
    875 h pool) but mobility 'stage'.

    Front: supplies greet 50 + booking 400 + advise 150 = 600 ≤ 1,000: all placed. Unit costs
    (good cost = 100 × (1 − r) + 0 for touching the client: greet 20, advise 40; + move):
    greet own 20, advise own 40, booking/advise → greet 30, booking → advise 50. Greet takes
    500 and advise 100; sending a unit to advise instead of greet costs +20 for booking but
    only +10 for advise's own hours, so advise keeps 100 of its own and sends 50 to greet,
    which gets 50 (own) + 400 (booking) + 50 (advise).

    Back: supplies billing 225 + mentoring 12.5 + filing 37.5 = 275 > mentoring's 250:
    mentoring keeps 12.5 and takes 237.5 of the others, which tie: content breaks the tie
    (filing, r = 0.1, before billing, r = 0): filing's 37.5 and 200 of billing; 25 h of
    billing cannot move to the front: unallocated = 25.

    With mobility 'any' the same chain places all 875 h (capacity 1,250).
    """
    chain = relmap.load(CASES / "tiny-stage.yaml")
    sc = relmap.analyze(chain).scenarios["base"]
    assert (sc.reinvest_pool, sc.hours_reinvested, sc.unallocated) == (875.0, 850.0, 25.0)
    moves = {(m.from_, m.to, m.via): m.hours for m in sc.allocation}
    assert moves == {("greet", "greet", "own"): 50, ("booking", "greet", "mobility"): 400,
                     ("advise", "greet", "mobility"): 50, ("advise", "advise", "own"): 100,
                     ("mentoring", "mentoring", "own"): 12.5, ("billing", "mentoring", "mobility"): 200,
                     ("filing", "mentoring", "mobility"): 37.5}
    anywhere = chain.model_copy(update={"policy": chain.policy.model_copy(update={"mobility": "any"})})
    sc_any = relmap.analyze(anywhere).scenarios["base"]
    assert (sc_any.hours_reinvested, sc_any.unallocated) == (875.0, 0.0)


def test_transfer_is_always_allowed() -> None:
    """tiny-stage.yaml plus a transfer filing → greet (35 training hours per FTE): mobility
    'stage' forbids it, the transfer allows it, and the 25 stranded hours now find a place.

    Unit costs: filing → greet 20 + 10 (transfer) = 30, filing → mentoring 60 + 10 = 70, so
    filing sends its 37.5 h to greet. Mentoring: own 12.5 + billing 225 = 237.5 (billing has
    nowhere else to go). Greet (500): own 50, then booking (its alternative, advise, costs
    +20), filing (+40) and advise (its own hours cost +10) compete for 450 places among
    587.5: the cheapest to push out is advise, which keeps 137.5 h and sends 12.5 to greet.
    Greet: 50 + 400 + 37.5 + 12.5 = 500; placed 500 + 137.5 + 237.5 = 875 = the pool.
    Training for the transfer: 35 × 37.5 / 1,000 = 1.3125 h.
    """
    chain = relmap.load(CASES / "tiny-stage.yaml")
    policy = chain.policy.model_copy(update={"transfers": [
        relmap.input.model.Transfer.model_validate({"from": "filing", "to": "greet", "training_hours_per_fte": 35})]})
    sc = relmap.analyze(chain.model_copy(update={"policy": policy})).scenarios["base"]
    assert (sc.hours_reinvested, sc.unallocated) == (875.0, 0.0)
    moves = {(m.from_, m.to, m.via): m.hours for m in sc.allocation}
    assert moves == {("greet", "greet", "own"): 50, ("booking", "greet", "mobility"): 400,
                     ("filing", "greet", "transfer"): 37.5, ("advise", "greet", "mobility"): 12.5,
                     ("advise", "advise", "own"): 137.5, ("mentoring", "mentoring", "own"): 12.5,
                     ("billing", "mentoring", "mobility"): 225}
    assert sc.transfer_training_hours == pytest.approx(1.3125)


def test_relational_dividend_all(chain: ValueChain) -> None:
    """The default dividend on tiny: the goods' freed hours stay (greet 100, advise 300, mentoring 25 = 425 h kept).
    The other 1,325 h: reinvest 50 % = 662.5 h offered to capacities 200 + 200 + 100 = 500 (kept hours use none):
    500 placed, 162.5 not. Recognition 10 % × 1,325 × 20 = 2,650; training 132.5 h; savings 30 % = 397.5 h.
    """
    policy = chain.policy.model_copy(update={"relational_dividend": "all"})
    sc = relmap.analyze(chain.model_copy(update={"policy": policy})).scenarios["base"]
    lines = {b.line: b.hours for b in sc.balance}
    assert lines == pytest.approx({"kept": 425, "reinvested": 500, "unplaced": 162.5, "recognition": 132.5,
                                   "training": 132.5, "community": 0, "savings": 397.5})
    assert sc.recognition.value == pytest.approx(2650)
    assert sum(lines.values()) == pytest.approx(sc.hours_freed)


def test_keep_human_frees_nothing(chain: ValueChain) -> None:
    """keep_human on booking: its 800 h are no longer freed (base total 1,750 − 800 = 950)."""
    acts = [a.model_copy(update={"keep_human": True, "reason": "valued for itself"}) if a.id == "booking" else a
            for a in chain.activities]
    result = relmap.analyze(chain.model_copy(update={"activities": acts}))
    assert result.activity("booking").by_scenario["base"].hours_freed == 0
    assert result.scenarios["base"].hours_freed == pytest.approx(950)


def test_json_contract(result: AnalysisResult) -> None:
    """analysis.json has the contract keys of SPEC §4, and two runs are byte-identical."""
    import json

    data = json.loads(result.to_json())
    for key in ("relmap", "company", "thresholds", "activities", "relational_goods", "scenarios", "risks"):
        assert key in data
    for key in ("id", "name", "stage", "hours", "automatability", "relational_index", "quadrant",
                "relational_good", "flags", "metrics", "by_scenario"):
        assert key in data["activities"][0]
    for key in ("hours_freed", "value_freed", "fte_freed", "hours_reinvested", "unallocated", "allocation",
                "recognition", "savings"):
        assert key in data["scenarios"]["base"]
    assert set(data["scenarios"]["base"]["allocation"][0]) >= {"from", "to", "hours"}
    assert relmap.analyze(relmap.load(CASES / "tiny.yaml")).to_json() == result.to_json()


def test_transfer_to_a_non_good_is_noted(chain: ValueChain) -> None:
    """A transfer to filing (r = 0.1, not a relational good) places nothing there and says why."""
    policy = chain.policy.model_copy(update={"transfers": [
        relmap.input.model.Transfer.model_validate({"from": "booking", "to": "filing"})]})
    result = relmap.analyze(chain.model_copy(update={"policy": policy}))
    assert all(m.to != "filing" for sc in result.scenarios.values() for m in sc.allocation)
    assert [(n.kind, n.evidence) for n in result.notes] == [("unused_transfer", {"from": "booking", "to": "filing"})]
    assert "booking → filing" in note_text(result, result.notes[0])
