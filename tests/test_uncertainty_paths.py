"""SPEC §6.5–6.7: correlated Monte Carlo, reinvested percentiles per draw, sensitivity, trajectory."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import relmap
from relmap.analysis.facts import build_facts
from relmap.analysis.graph import build_graph
from relmap.analysis.reinvest import allocate_reinvestment
from relmap.analysis.result import AnalysisResult, ScenarioResult
from relmap.analysis.roles import build_staffing
from relmap.analysis.structure import analyse_structure
from relmap.analysis.trajectory import logistic, npv, payback_year, s_curve
from relmap.analysis.uncertainty import PlacementPlan, normal_cdf, pearson_for_rank

EXAMPLES = ("care-home", "hotel-group", "industrial-sme", "it-services", "retail-bank")


def _chain(correlation: float, n: int = 50) -> str:
    acts = "\n".join(f"  - {{id: a{k:02d}, name: Act {k:02d}, hours: 100, automatability: "
                     f"{{low: 0.2, mode: 0.5, high: 0.8}}, relational: 0.1}}" for k in range(n))
    return (f"relmap: 1\ncompany: {{name: Band Co, hourly_cost: 10}}\nassumptions: {{correlation: {correlation}}}\n"
            f"activities:\n{acts}\nscenarios:\n  - {{id: base, adoption: 1.0, reinvest: 0.5}}\n")


def _band(correlation: float, seed: int = 11) -> tuple[float, float, float]:
    p = relmap.analyze(relmap.loads(_chain(correlation)), seed=seed).scenarios["base"].uncertainty
    assert p is not None
    return p["hours_freed"].p10, p["hours_freed"].p50, p["hours_freed"].p90


def test_band_widens_with_correlation_and_is_independent_at_zero() -> None:
    """50 activities of 100 h, a ~ Tri(0.2, 0.5, 0.8), adoption 1: freed S = 100 Σ a_i.

    Var(a) = (0.2² + 0.8² + 0.5² − 0.2·0.8 − 0.2·0.5 − 0.8·0.5) / 18 = 0.27 / 18 = 0.015.
    Independent (ρ = 0): sd(S) = 100 × √(50 × 0.015) = 86.6, so P90 − P10 = 2 × 1.2816 × 86.6 = 222.
    Fully correlated (ρ = 1): S = 5000 × a, P90 − P10 = 5000 × (0.6658 − 0.3342) = 1658.
    """
    widths = []
    for rho in (0.0, 0.25, 0.5, 0.9, 1.0):
        p10, p50, p90 = _band(rho)
        assert p50 == pytest.approx(2500, abs=40)
        widths.append(p90 - p10)
    assert widths == sorted(widths)
    assert widths[0] == pytest.approx(222, rel=0.08)
    assert widths[-1] == pytest.approx(1658, rel=0.04)
    assert widths[2] > 2 * widths[0]


def test_correlation_zero_is_the_independent_draw() -> None:
    """At ρ = 0 each activity's uniform is Φ(ε) of its own normal: the same numbers as drawing independently.

    The reference draws the same stream (common factor first, then one normal per activity) and never
    uses the factor; hours freed then follow exactly.
    """
    chain = relmap.loads(_chain(0.0, n=5))
    got = relmap.analyze(chain, seed=3, draws=100).scenarios["base"].uncertainty
    assert got is not None
    rng = np.random.default_rng(3)
    rng.standard_normal(100)  # the common factor, unused at ρ = 0
    eps = rng.standard_normal((5, 100), dtype=np.float32)
    u = normal_cdf(eps)
    a = np.where(u < 0.5, 0.2 + np.sqrt(u * 0.18), 0.8 - np.sqrt((1 - u) * 0.18))
    freed = 100 * a.astype(np.float64).sum(axis=0)
    assert got["hours_freed"].p50 == pytest.approx(float(np.percentile(freed, 50)), rel=1e-5)
    assert got["hours_freed"].p10 == pytest.approx(float(np.percentile(freed, 10)), rel=1e-5)


def test_pearson_for_rank_and_normal_cdf() -> None:
    """ρ′ = 2 sin(π ρ / 6): 0.5 → 0.5176, 1 → 1; Φ(0) = 0.5, Φ(1.2816) = 0.9, Φ(−1.2816) = 0.1."""
    assert pearson_for_rank(0.5) == pytest.approx(2 * math.sin(math.pi / 12))
    assert pearson_for_rank(1.0) == pytest.approx(1.0)
    x = np.array([0.0, 1.2816, -1.2816], dtype=np.float64)
    assert normal_cdf(x) == pytest.approx([0.5, 0.9, 0.1], abs=1e-4)


BOUND = """\
relmap: 1
company: {name: Bound Co, hourly_cost: 20}
stages: [{id: s1, name: One}, {id: s2, name: Two}]
activities:
  - {id: care, name: Care, stage: s1, hours: 1000, automatability: 0.1, relational: 0.9}
  - {id: desk, name: Desk, stage: s1, hours: 5000, automatability: [0.5, 0.9], relational: 0.1}
  - {id: back, name: Back, stage: s2, hours: 5000, automatability: [0.5, 0.9], relational: 0.1}
  - {id: host, name: Host, stage: s2, hours: 400, automatability: 0.1, relational: 0.8}
scenarios:
  - {id: base, adoption: [0.6, 0.9], reinvest: 0.5}
policy: {mobility: MOBILITY, max_increase: 0.3}
"""


@pytest.mark.parametrize("mobility", ["any", "stage", "adjacent"])
def test_capacity_always_binds(mobility: str) -> None:
    """Capacity 0.3 × 1000 + 0.3 × 400 = 420 h; the pool is at least 0.5 × 0.5 × 0.6 × 5000 = 750 h per stage.

    Every draw places exactly the capacity, so P10 = P50 = P90 = 420 (with 'adjacent' no flow links
    the activities: nothing reaches a good, so 0 in every draw, as the allocation says).
    """
    result = relmap.analyze(relmap.loads(BOUND.replace("MOBILITY", mobility)))
    sc = result.scenarios["base"]
    p = sc.uncertainty["hours_reinvested"]  # type: ignore[index]
    assert (p.p10, p.p50, p.p90) == (sc.hours_reinvested,) * 3
    assert sc.hours_reinvested == (0.0 if mobility == "adjacent" else 420.0)


def _with_mobility(chain: Any, mobility: str | None) -> Any:
    """The chain with another mobility rule (the examples' own is 'role')."""
    return chain.model_copy(update={"policy": chain.policy.model_copy(update={"mobility": mobility})})


def test_plan_total_is_the_allocation_total() -> None:
    """The per-draw total (closed form or max flow) equals what allocate_reinvestment places, for random supplies."""
    rng = np.random.default_rng(5)
    # the examples use roles (mobility 'role', which the Monte Carlo approximates): each is run here under one
    # of the other rules, so that every method of the plan meets the real allocation
    for example, mobility in (("hotel-group", "any"), ("industrial-sme", "stage"), ("retail-bank", "stage"),
                              ("care-home", "adjacent")):
        chain = _with_mobility(relmap.load(f"examples/{example}/company.yaml"), mobility)
        facts = build_facts(chain)
        graph = build_graph(chain)
        metrics, _flags = analyse_structure(graph, {f.id for f in facts if f.good}, {f.id: f.quadrant for f in facts})
        plan = PlacementPlan(facts, chain.policy, graph)
        for _k in range(5):
            supplies = {f.id: 0.0 if plan.kept[i] else float(rng.random() * f.hours * 0.3)
                        for i, f in enumerate(facts)}
            by_group = plan.group_supplies(np.array([supplies[f.id] for f in facts])[:, None])
            alloc = allocate_reinvestment(facts, supplies, graph, metrics, chain.policy, chain.company.hours_per_fte)
            assert float(plan.placed(by_group)[0]) == pytest.approx(alloc.allocated, abs=0.05 * len(facts))


@pytest.mark.parametrize("path", [*(f"examples/{e}/company.yaml" for e in EXAMPLES),
                                  "tests/cases/valid/notary_office_fr.yaml", "tests/cases/valid/logistics_firm.yaml"])
def test_role_plan_total_is_the_role_allocation_total(path: str) -> None:
    """Mobility 'role': the plan's maximum flow (supplies split by staffing share, grouped by role) equals what
    the role allocation places, for random supplies — the Monte Carlo's solved draws are the real allocation.

    The allocation splits each activity's supply in centi-hours (largest remainders): at most 0.01 h per
    (activity, role) pair apart.
    """
    rng = np.random.default_rng(8)
    chain = relmap.load(path)
    facts = build_facts(chain)
    graph = build_graph(chain)
    staffing = build_staffing(chain, facts)
    # the notary office defines no roles: mobility 'role' with each activity its own role
    policy = chain.policy.model_copy(update={"mobility": "role"})
    metrics, _flags = analyse_structure(graph, {f.id for f in facts if f.good}, {f.id: f.quadrant for f in facts})
    plan = PlacementPlan(facts, policy, graph, staffing=staffing)
    assert plan.solvable
    pairs = len(plan.entry_act)
    for scale in (0.05, 0.3, 1.0, 3.0):  # from far below the capacity to far above
        supplies = {f.id: 0.0 if plan.kept[i] else float(rng.random() * f.hours * scale) for i, f in enumerate(facts)}
        supply = np.array([supplies[f.id] for f in facts])
        alloc = allocate_reinvestment(facts, supplies, graph, metrics, policy, chain.company.hours_per_fte, staffing)
        placed = float(plan.placed(plan.group_supplies(supply[:, None]))[0])
        assert placed == pytest.approx(alloc.allocated, abs=0.01 * pairs + 1e-9)


def test_role_plan_respects_who_may_move() -> None:
    """Worked by hand: a clerk (100 h freed) may not become a notary; a notary-only good (capacity 0.5 × 100 h
    = 50 h) receives nothing from the clerk, and a clerk good (0.5 × 40 h = 20 h) takes 20 h of it.

    With ``can_move_to: notary`` the clerk's hours reach both goods: min(100, 50 + 20) = 70 h.
    """
    text = """relmap: 1
company: {name: Office, hourly_cost: 50}
roles:
  - {id: clerk, name: Clerk}
  - {id: notary, name: Notary}
activities:
  - {id: file, name: Filing, hours: 200, automatability: 0.5, relational: 0.1, roles: [clerk]}
  - {id: sign, name: Deed signing, hours: 100, automatability: 0.1, relational: 0.9, roles: [notary]}
  - {id: desk, name: Front desk, hours: 40, automatability: 0.1, relational: 0.9, roles: [clerk]}
scenarios:
  - {id: base, adoption: {low: 0.8, mode: 1.0, high: 1.0}, reinvest: 1.0, recognition: 0, training: 0,
     community: 0}
policy: {max_increase: 0.5}
"""
    for moves, expected in (("", 20.0), (", can_move_to: [{role: notary, training_hours: 40}]", 70.0)):
        chain = relmap.loads(text.replace("name: Clerk}", "name: Clerk" + moves + "}"))
        result = relmap.analyze(chain, draws=200)
        sc = result.scenarios["base"]
        assert result.uncertainty is not None and result.uncertainty.reinvested == "max_flow"
        assert sc.hours_reinvested == pytest.approx(expected, abs=0.02)
        p = sc.uncertainty["hours_reinvested"]  # type: ignore[index]
        assert p.p10 == p.p50 == p.p90 == pytest.approx(expected, abs=0.02)  # the capacity binds in every draw


def test_uncertainty_block_and_legacy_key() -> None:
    """analysis.json has 'uncertainty' (draws, seed, correlation, method); an old 'monte_carlo' still reads."""
    result = relmap.analyze(relmap.load("examples/hotel-group/company.yaml"), draws=300)
    assert result.uncertainty is not None
    assert (result.uncertainty.draws, result.uncertainty.correlation) == (300, 0.5)
    # the hotel staffs its activities with roles: mobility 'role', solved on the role network in evenly spaced draws
    assert result.uncertainty.reinvested == "max_flow" and result.uncertainty.solved_draws == 300
    assert "role network" in result.uncertainty.method
    assert "copula" in result.uncertainty.method
    chain = _with_mobility(relmap.load("examples/hotel-group/company.yaml"), "adjacent")
    other = relmap.analyze(chain, draws=300).uncertainty
    assert other is not None and other.reinvested == "max_flow" and other.solved_draws == 300
    data = result.model_dump(mode="json", by_alias=True)
    data["monte_carlo"] = {"draws": 5, "seed": 1, "uncertain_inputs": 2}
    del data["uncertainty"]
    legacy = AnalysisResult.model_validate(data)
    assert legacy.uncertainty is not None and legacy.uncertainty.draws == 5


# ---------------------------------------------------------------- trajectory


def test_s_curve_by_hand() -> None:
    """H = 4, α = 0.8: L(t) = 1 / (1 + e^(−2 (t − 2))): L(0) = 0.017986, L(1) = 0.119203, L(2) = 0.5,
    L(3) = 0.880797, L(4) = 0.982014; year t = 0.8 × (L(t) − L(0)) / 0.964028 → 0.08399, 0.40000, 0.71601, 0.8.
    """
    assert logistic(2, 4) == 0.5
    assert s_curve(0.8, 4) == pytest.approx([0.083994, 0.4, 0.716006, 0.8], abs=1e-6)


def test_npv_and_payback_by_hand() -> None:
    """[−100, 60, 60] at 10 %: −90.909 + 49.587 + 45.079 = 3.757; cumulative −100, −40, 20 → payback year 3."""
    assert npv([-100, 60, 60], 0.1) == pytest.approx(3.757, abs=1e-3)
    assert payback_year([-100, -40, 20]) == 3
    assert payback_year([-100, -40, -1]) is None


PATH = """\
relmap: 1
company: {name: Path Co, hourly_cost: 50}
activities:
  - {id: desk, name: Desk, hours: 10000, automatability: 0.5, relational: 0.1}
scenarios:
  - id: base
    adoption: 0.6
    reinvest: 0
    horizon_years: 3
    adoption_path: [0.2, 0.4, 0.6]
    costs: {one_off: 100000, yearly: 20000, per_user_year: 1000}
assumptions: {discount_rate: 0.1}
"""


def test_trajectory_by_hand() -> None:
    """Desk: 10,000 h, a = 0.5, cost 50, no relational good, reinvest 0: every freed hour is savings.

    Year t: freed = 5000 × α_t → 1000, 2000, 3000 h, worth 50,000, 100,000, 150,000.
    users = 10000 / 1607 = 6.2228 FTE; AI cost_t = 20,000 + 1000 × 6.2228 × α_t / 0.6 (+ 100,000 in year 1)
    → 122,074.3, 24,148.5, 26,222.8; net −72,074.3, 75,851.5, 123,777.2; cumulative −72,074.3, 3,777.2,
    127,554.4 → payback year 2; NPV = −65,522.1 + 62,687.2 + 92,995.6 = 90,160.8.
    """
    sc = relmap.analyze(relmap.loads(PATH)).scenarios["base"]
    users = 10000 / 1607
    cost = [20000 + 1000 * users * a / 0.6 + (100000 if t == 1 else 0) for t, a in ((1, 0.2), (2, 0.4), (3, 0.6))]
    net = [50000 - cost[0], 100000 - cost[1], 150000 - cost[2]]
    assert [y.hours_freed for y in sc.trajectory] == pytest.approx([1000, 2000, 3000])
    assert [y.ai_cost for y in sc.trajectory] == pytest.approx(cost)
    assert [y.net_savings for y in sc.trajectory] == pytest.approx(net)
    assert sc.trajectory[-1].cumulative == pytest.approx(sum(net))
    assert sc.payback_year == 2
    assert sc.npv == pytest.approx(net[0] / 1.1 + net[1] / 1.21 + net[2] / 1.331)
    assert sc.npv == pytest.approx(90160.8, abs=1)
    assert sc.trajectory[-1].net_savings == pytest.approx(sc.net_savings)


@pytest.mark.parametrize(("fragment", "needle"), [
    ("horizon_years: 3\n    adoption_path: [0.2, 0.6]", "has 2 values but horizon_years is 3"),
    ("horizon_years: 3\n    adoption_path: [0.2, 0.4, 0.5]", "differs from its adoption"),
    ("horizon_years: 0\n    adoption_path: [0.2, 0.4, 0.6]", "horizon_years"),
    ("horizon_years: 200\n    adoption_path: [0.2, 0.4, 0.6]", "horizon_years"),
])
def test_bad_trajectory_inputs_are_located(fragment: str, needle: str) -> None:
    """Each is a located error (file:line:column) with a hint, not a traceback."""
    text = PATH.replace("horizon_years: 3\n    adoption_path: [0.2, 0.4, 0.6]", fragment)
    with pytest.raises(relmap.InputError) as err:
        relmap.loads(text, "path.yaml")
    problem = err.value.problems[0]
    assert needle in problem.message
    assert problem.line > 0 and problem.hint


@pytest.mark.parametrize(("assumption", "word"), [("correlation: 1.5", "correlation"),
                                                   ("discount_rate: -0.1", "discount_rate")])
def test_bad_assumptions_are_located(assumption: str, word: str) -> None:
    with pytest.raises(relmap.InputError) as err:
        relmap.loads(PATH.replace("discount_rate: 0.1", assumption), "path.yaml")
    problem = err.value.problems[0]
    assert word in problem.message and problem.line > 0 and problem.hint


# ---------------------------------------------------------------- sensitivity


@pytest.mark.slow  # three more analyses of an example
def test_sensitivity_entries_reproduce_by_rerunning() -> None:
    """Three tornado entries equal the analysis of the file with that one input changed."""
    path = "examples/retail-bank/company.yaml"
    chain = relmap.load(path)
    result = relmap.analyze(chain, draws=50)
    entries = {e.input: e for e in result.sensitivity}
    lead = chain.lead_scenario()
    swings = [abs(e.net_savings[1] - e.net_savings[0]) for e in result.sensitivity]
    assert swings == sorted(swings, reverse=True)

    def rerun(changed: relmap.ValueChain) -> ScenarioResult:
        return relmap.analyze(changed, draws=10).scenarios[lead.id]

    def with_scenario(**update: object) -> relmap.ValueChain:
        sc = lead.model_copy(update=update)
        return chain.model_copy(update={"scenarios": [sc if s.id == lead.id else s for s in chain.scenarios]})

    e = entries["reinvest"]
    for k, value in enumerate((float(e.low), float(e.high))):
        got = rerun(with_scenario(reinvest=value))
        assert e.net_savings[k] == pytest.approx(got.net_savings, rel=1e-9, abs=1e-6)
        assert e.hours_reinvested[k] == pytest.approx(got.hours_reinvested, abs=1e-6)
        assert e.fte_no_longer_needed[k] == pytest.approx(got.fte_no_longer_needed, abs=1e-9)
    e = entries["mobility"]
    for k, value in enumerate((e.low, e.high)):
        got = rerun(chain.model_copy(update={"policy": chain.policy.model_copy(update={"mobility": value})}))
        assert e.net_savings[k] == pytest.approx(got.net_savings, rel=1e-9, abs=1e-6)
        assert e.hours_reinvested[k] == pytest.approx(got.hours_reinvested, abs=1e-6)
    e = entries["tau_r"]
    for k, value in enumerate((float(e.low), float(e.high))):
        th = chain.thresholds.model_copy(update={"relational": value})
        got = rerun(chain.model_copy(update={"thresholds": th}))
        assert e.net_savings[k] == pytest.approx(got.net_savings, rel=1e-9, abs=1e-6)
        assert e.hours_reinvested[k] == pytest.approx(got.hours_reinvested, abs=1e-6)
    e = entries["hourly_cost"]
    scaled = chain.model_copy(update={
        "company": chain.company.model_copy(update={"hourly_cost": (chain.company.hourly_cost or 0) * 1.1}),
        "activities": [a.model_copy(update={"hourly_cost": a.hourly_cost * 1.1 if a.hourly_cost else None})
                       for a in chain.activities]})
    assert e.net_savings[1] == pytest.approx(rerun(scaled).net_savings, rel=1e-9)


def test_sensitivity_lists_the_inputs_of_the_spec() -> None:
    result = relmap.analyze(relmap.load("examples/retail-bank/company.yaml"), draws=50)
    codes = {e.input for e in result.sensitivity}
    assert {"adoption", "reinvest", "recognition", "training", "community", "max_increase", "tau_a", "tau_r",
            "hourly_cost", "ai_cost", "mobility"} <= codes
    assert sum(1 for c in codes if c.startswith("activity:")) == 5


def test_fast_reruns_place_the_same_hours() -> None:
    """Above 200 activities re-runs use the allocation's plan: same hours reinvested and FTE as a full run."""
    from relmap.analysis.whatif import Rerun

    # the notary office defines no roles and sets no mobility: 'any' as applied (the fast path used to read an
    # unset mobility as 'adjacent')
    for path, mobility in (("examples/hotel-group/company.yaml", "any"), ("examples/retail-bank/company.yaml", "stage"),
                           ("examples/it-services/company.yaml", "adjacent"),
                           ("tests/cases/valid/notary_office_fr.yaml", None)):
        chain = _with_mobility(relmap.load(path), mobility)
        facts = build_facts(chain)
        graph = build_graph(chain)
        metrics, _flags = analyse_structure(graph, {f.id for f in facts if f.good}, {f.id: f.quadrant for f in facts})
        exact, fast = Rerun(graph, metrics, len(facts)), Rerun(graph, metrics, len(facts))
        fast.exact = False
        for sc in chain.scenarios:
            for alpha in (0.2, 0.9):
                a, b = exact.figures(chain, sc, facts, adoption=alpha), fast.figures(chain, sc, facts, adoption=alpha)
                assert b.hours_reinvested == pytest.approx(a.hours_reinvested, abs=0.01 * len(facts))
                assert b.fte_no_longer_needed == pytest.approx(a.fte_no_longer_needed, abs=1e-3)
                assert b.hours_freed == pytest.approx(a.hours_freed)
                assert b.gross == pytest.approx(a.gross, rel=0.05)  # reinvested hours valued at the mean cost


def test_greedy_role_network_solved_when_it_placed_the_maximum(tmp_path: Any) -> None:
    """A role network the allocation fills greedily (above EXACT_NODES nodes, at most EXACT_LIMIT activities):
    the draws solve its maximum flow when the greedy placed that maximum at the point estimate (the method says
    so); a point that placed less (here: 1 h less than the maximum) sends it to the approximation, with why."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import synth

    chain = relmap.load(synth.write(700, tmp_path / "company.yaml", roles=70))
    result = relmap.analyze(chain, draws=60, parts=frozenset({"uncertainty"}))
    assert result.uncertainty is not None
    assert (result.uncertainty.reinvested, result.uncertainty.approximated) == ("max_flow", None)
    assert "fills this network greedily" in result.uncertainty.method
    facts, graph = build_facts(chain), build_graph(chain)
    policy = chain.policy.model_copy(update={"mobility": "role"})
    plan = PlacementPlan(facts, policy, graph, staffing=build_staffing(chain, facts))
    assert plan.greedy and plan.solvable
    lead = result.scenarios[result.lead]
    supply = np.array([next(a for a in result.activities if a.id == f.id).by_scenario[result.lead].reinvest_supply
                       for f in facts])
    assert plan.places_maximum({lead.id: (supply, lead.hours_reinvested)})
    short = lead.hours_reinvested - 0.01 * (len(plan.entry_act) + 1) - 1.0
    assert not plan.places_maximum({lead.id: (supply, short)})
