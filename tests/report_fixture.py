"""A small hand-made analysis for report tests, with hostile names.

The figures follow SPEC §3 by hand: h × a × α for freed hours, 1600 h/FTE,
adoption 0.6 in ``base`` and [0.4, 0.8] in ``bold``; they need not be what the
engine computes, only consistent enough to read back in every output.
"""

from __future__ import annotations

from relmap.analysis.result import (
    ActivityResult,
    ActivityScenario,
    ActorInfo,
    Allocation,
    AnalysisResult,
    BalanceLine,
    Flag,
    FlowInfo,
    Metrics,
    Percentiles,
    Recognition,
    Risk,
    ScenarioResult,
    Spread,
    StageInfo,
    UncertaintySettings,
)

HOSTILE = "<script>alert(1)</script>"
CAFE = 'Café "Ré" & Co'
PIPE = "Billing | [link](javascript:alert(1))\nnext"

CHAIN_YAML = """\
relmap: 1
company:
  name: 'Café "Ré" & Co'
  sector: hospitality
  currency: EUR
  hours_per_fte: 1600
  hourly_cost: 30
  language: en
stages:
  - {id: front, name: "<script>alert(1)</script>", kind: primary}
  - {id: back, name: Back office, kind: support}
actors:
  - {id: guests, name: Guests, kind: customer}
activities:
  - id: welcome
    name: 'Café "Ré" & Co welcome'
    stage: front
    fte: 2
    automatability: 0.2
    relational: {identity: 4, reciprocity: 3, simultaneity: 4, presence: 4, empathy: 3, trust: 3, motivation: 3}
    touches: [guests]
    roles: [Receptionist]
  - id: billing
    name: "Billing | [link](javascript:alert(1))"
    stage: back
    hours: 1000
    automatability: [0.6, 0.8]
    relational: low
    ai_provider: "<b>Vendor</b>"
  - id: mentoring
    name: "<script>alert(1)</script>"
    stage: back
    hours: 400
    hourly_cost: 40
    archetype: managing_others
    relational: 0.8
    keep_human: true
    reason: "Passing on know-how <i>in person</i>"
flows:
  - {from: billing, to: welcome, kind: information}
  - {from: welcome, to: guests, kind: service}
scenarios:
  - {id: base, name: Base, adoption: 0.6, reinvest: 0.5, recognition: 0.1}
  - {id: bold, name: "Bold & fast", adoption: [0.4, 0.8], reinvest: 0.5, training: 0.1}
"""


def _metrics(**kw: object) -> Metrics:
    base: dict[str, object] = dict(touchpoint=False, touches_customer=False, customer_distance=None,
                                   betweenness=0.0, articulation_point=False, customer_reach=0.0,
                                   in_degree=0, out_degree=0)
    base.update(kw)
    return Metrics.model_validate(base)


def _scen(freed: float, cost: float, received: float = 0.0, sent: float = 0.0, capacity: float = 0.0,
          recognition: float = 0.0, confidence: float | None = None) -> ActivityScenario:
    return ActivityScenario(hours_freed=freed, value_freed=freed * cost, fte_freed=freed / 1600,
                            reinvest_supply=freed * 0.5, hours_sent=sent, hours_received=received,
                            capacity=capacity, recognition_value=recognition, confidence=confidence)


def make_result() -> AnalysisResult:
    """The fixture: 3 activities, 2 scenarios (the second uncertain), hostile names everywhere."""
    welcome = ActivityResult(
        id="welcome", name=CAFE + " welcome", stage="front", hours=3200, fte=2, hourly_cost=30,
        automatability=0.2, automatability_range=Spread(low=0.2, point=0.2, high=0.2),
        automatability_source="value", relational_index=24 / 28,
        relational_range=Spread(low=24 / 28, point=24 / 28, high=24 / 28), relational_source="rubric",
        rubric={"identity": 4, "reciprocity": 3, "simultaneity": 4, "presence": 4, "empathy": 3, "trust": 3,
                "motivation": 3},
        quadrant="relational_core", relational_good=True, keep_human=False, roles=["Receptionist"],
        touches=["guests"],
        metrics=_metrics(touchpoint=True, touches_customer=True, customer_distance=1, betweenness=0.5,
                         articulation_point=True, customer_reach=1.0, in_degree=1, out_degree=1),
        flags=[Flag(kind="single_point", evidence={"separates": ["billing"], "separated_count": 1, "components": 2})],
        by_scenario={"base": _scen(384, 30, received=210, capacity=960, recognition=1200),
                     "bold": _scen(384, 30, received=240, capacity=960, confidence=0.97)})
    billing = ActivityResult(
        id="billing", name=PIPE.replace("\n", " "), stage="back", hours=1000, fte=0.625, hourly_cost=30,
        automatability=0.7, automatability_range=Spread(low=0.6, point=0.7, high=0.8),
        automatability_source="value", relational_index=0.25,
        relational_range=Spread(low=0.25, point=0.25, high=0.25), relational_source="word",
        quadrant="automate", relational_good=False, keep_human=False, ai_provider="<b>Vendor</b>",
        metrics=_metrics(customer_distance=2, out_degree=1),
        by_scenario={"base": _scen(420, 30, sent=210), "bold": _scen(420, 30, sent=210, confidence=0.81)})
    mentoring = ActivityResult(
        id="mentoring", name=HOSTILE, stage="back", hours=400, fte=0.25, hourly_cost=40,
        automatability=0.3, automatability_range=Spread(low=0.1, point=0.3, high=0.5),
        automatability_source="archetype", automatability_ref="managing_others", relational_index=0.8,
        relational_range=Spread(low=0.8, point=0.8, high=0.8), relational_source="value",
        quadrant="relational_core", relational_good=True, keep_human=True,
        reason="Passing on know-how <i>in person</i>",
        metrics=_metrics(),
        flags=[Flag(kind="invisible",
                    evidence={"nearest_customer": None, "reason": "no path to a customer"})],
        by_scenario={"base": _scen(0, 40, capacity=120, recognition=300),
                     "bold": _scen(0, 40, capacity=120, confidence=1.0)})
    base = ScenarioResult(
        id="base", name="Base", adoption=0.6, adoption_range=Spread(low=0.6, point=0.6, high=0.6),
        shares={"reinvest": 0.5, "recognition": 0.1, "training": 0.0, "community": 0.0, "savings": 0.4},
        hours_freed=804, value_freed=24120, fte_freed=804 / 1600, reinvest_pool=402, hours_reinvested=330,
        unallocated=72,
        allocation=[Allocation(from_="billing", to="welcome", hours=210, via="mobility"),
                    Allocation(from_="welcome", to="welcome", hours=120, via="own")],
        received={"welcome": 330, "mentoring": 0},
        recognition=Recognition(value=2412, beneficiary_fte=2.25, per_fte=1072, pct_of_cost=0.02),
        training_hours=0, transfer_training_hours=0, community_hours=0,
        savings={"hours": 321.6, "value": 9648},
        balance=[BalanceLine(line=line, hours=h, value=h * 30) for line, h in (
            ("kept", 0), ("reinvested", 330), ("unplaced", 72), ("recognition", 80.4), ("training", 0),
            ("community", 0), ("savings", 321.6))],
        by_stage={"front": {"hours": 3200, "hours_freed": 384, "share_freed": 0.12, "hours_received": 330},
                  "back": {"hours": 1400, "hours_freed": 420, "share_freed": 0.3, "hours_received": 0}})
    bold = base.model_copy(update=dict(
        id="bold", name="Bold & fast", adoption=0.6, adoption_range=Spread(low=0.4, point=0.6, high=0.8),
        shares={"reinvest": 0.5, "recognition": 0.0, "training": 0.1, "community": 0.0, "savings": 0.4},
        training_hours=80.4, hours_reinvested=360, unallocated=42,
        balance=[BalanceLine(line=line, hours=h, value=h * 30) for line, h in (
            ("kept", 0), ("reinvested", 360), ("unplaced", 42), ("recognition", 0), ("training", 80.4),
            ("community", 0), ("savings", 321.6))],
        recognition=Recognition(value=0, beneficiary_fte=2.25, per_fte=0, pct_of_cost=0),
        uncertainty={"hours_freed": Percentiles(p10=600, p50=800, p90=1010),
                     "hours_reinvested": Percentiles(p10=280, p50=355, p90=400),
                     "value_freed": Percentiles(p10=18000, p50=24000, p90=30300)}))
    return AnalysisResult(
        version="0.1.0",
        company={"name": CAFE, "sector": "hospitality", "currency": "EUR", "hours_per_fte": 1600,
                 "hourly_cost": 30, "language": "en", "date": None},
        thresholds={"automatable": 0.5, "relational": 0.5},
        stages=[StageInfo(id="front", name=HOSTILE, kind="primary"),
                StageInfo(id="back", name="Back office", kind="support")],
        actors=[ActorInfo(id="guests", name="Guests", kind="customer")],
        flows=[FlowInfo(from_="billing", to="welcome", kind="information"),
               FlowInfo(from_="welcome", to="guests", kind="service")],
        activities=[welcome, billing, mentoring],
        relational_goods=["welcome", "mentoring"],
        quadrants={"automate": ["billing"], "augment": [], "relational_core": ["welcome", "mentoring"],
                   "sustain": []},
        scenarios={"base": base, "bold": bold},
        risks=[Risk(kind="vendor_concentration", scenario="base", subject="<b>Vendor</b>",
                    evidence={"hhi": 1.0, "shares": {"<b>Vendor</b>": 1.0}, "hours_freed": {"<b>Vendor</b>": 420},
                              "covered_share": 420 / 804})],
        monte_carlo=UncertaintySettings(draws=2000, seed=0, uncertain_inputs=2),
        policy={"max_increase": 0.3, "mobility": "any", "max_distance": 2, "transfers": []})
