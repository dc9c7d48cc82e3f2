"""A hand-made :class:`AnalysisResult` for the render tests and goldens.

Why: the goldens must not move when the analysis engine changes, so the render
tests draw a small fixed chain built here (8 activities, 3 stages of which one
is support, 2 actors, flows of every kind, one ``bridge_at_risk`` and one
``invisible`` flag, 2 scenarios). The numbers follow SPEC §3 formulas with a
simple greedy allocation; they are plausible, not the engine's output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from relmap.analysis.result import (
    ActivityResult,
    ActivityScenario,
    ActorInfo,
    Allocation,
    AnalysisResult,
    Flag,
    FlowInfo,
    Metrics,
    Percentiles,
    Recognition,
    ScenarioResult,
    Spread,
    StageInfo,
)

HOURS_PER_FTE = 1607.0


@dataclass
class Act:
    """Compact activity spec: id, name, stage, fte, automatability, relational index."""

    id: str
    name: str
    stage: str | None
    fte: float
    a: float
    r: float
    a_range: tuple[float, float] | None = None
    r_range: tuple[float, float] | None = None
    keep_human: bool = False
    flags: list[str] = field(default_factory=list)
    touches: list[str] = field(default_factory=list)
    ai_provider: str | None = None


DEFAULT_STAGES = [("acquire", "Acquire", "primary"), ("stay", "Welcome & stay", "primary"),
                  ("support", "People & admin", "support")]
DEFAULT_ACTORS = [("guests", "Guests", "customer"), ("producers", "Local producers", "supplier")]
DEFAULT_ACTS = [
    Act("booking", "Online booking", "acquire", 2.0, 0.8, 0.2),
    Act("revenue", "Revenue management", "acquire", 1.0, 0.7, 0.1, a_range=(0.5, 0.9)),
    Act("checkin", "Check-in paperwork", "stay", 1.5, 0.75, 0.3, flags=["bridge_at_risk"]),
    Act("welcome", "Front desk welcome", "stay", 6.0, 0.55, 0.8, r_range=(0.6, 0.9), touches=["guests"]),
    Act("concierge", "Concierge advice", "stay", 2.0, 0.3, 0.9, touches=["guests"]),
    Act("housekeeping", "Housekeeping", "stay", 14.0, 0.2, 0.3),
    Act("invoicing", "Invoicing", "support", 1.5, 0.85, 0.05, ai_provider="LedgerBot"),
    Act("mentoring", "Team mentoring", "support", 0.3, 0.1, 0.85, keep_human=True, flags=["invisible"]),
]
DEFAULT_FLOWS: list[tuple[str, str, str, float | None]] = [
    ("revenue", "booking", "information", None),
    ("booking", "checkin", "information", 50000.0),
    ("checkin", "welcome", "service", 50000.0),
    ("welcome", "concierge", "relationship", 12000.0),
    ("welcome", "guests", "relationship", 50000.0),
    ("concierge", "guests", "relationship", 20000.0),
    ("housekeeping", "guests", "service", 50000.0),
    ("invoicing", "guests", "information", 48000.0),
    ("producers", "housekeeping", "material", 1200.0),
]
DEFAULT_SCENARIOS: list[dict[str, Any]] = [
    {"id": "base", "name": "Base case", "adoption": 0.6, "reinvest": 0.5, "recognition": 0.1,
     "training": 0.1, "community": 0.05},
    {"id": "bold", "name": "Bold adoption", "adoption": 0.8, "reinvest": 0.4, "recognition": 0.2,
     "training": 0.1, "community": 0.1},
]


def _quadrant(a: float, r: float) -> str:
    if a >= 0.5:
        return "augment" if r >= 0.5 else "automate"
    return "relational_core" if r >= 0.5 else "sustain"


def _flag(kind: str) -> Flag:
    if kind == "bridge_at_risk":
        return Flag(kind="bridge_at_risk",
                    evidence={"upstream": ["welcome"], "downstream": ["welcome"]})
    if kind == "invisible":
        return Flag(kind="invisible",
                    evidence={"nearest_customer": None, "reason": "no path"})
    return Flag(kind="single_point", evidence={"separates": [], "components": 2})


def _scenario(spec: dict[str, Any], acts: list[Act], cost: float) -> tuple[ScenarioResult, dict[str, ActivityScenario]]:
    """Freed = h × a × adoption; allocation: goods keep their own, then greedy in input order."""
    alpha = spec["adoption"]
    shares = {k: spec[k] for k in ("reinvest", "recognition", "training", "community")}
    shares["savings"] = round(1 - sum(shares.values()), 10)
    goods = [x for x in acts if x.r >= 0.5]
    freed = {x.id: 0.0 if x.keep_human else x.fte * HOURS_PER_FTE * x.a * alpha for x in acts}
    supply = {k: v * shares["reinvest"] for k, v in freed.items()}
    room = {g.id: 0.3 * g.fte * HOURS_PER_FTE for g in goods}
    alloc: list[Allocation] = []
    sent = dict.fromkeys(freed, 0.0)
    received = dict.fromkeys(room, 0.0)
    for g in goods:
        moved = min(supply[g.id], room[g.id])
        if moved > 0:
            alloc.append(Allocation(from_=g.id, to=g.id, hours=moved, via="own"))
            sent[g.id] += moved
            received[g.id] += moved
            room[g.id] -= moved
    for x in acts:
        for g in goods:
            left = supply[x.id] - sent[x.id]
            moved = min(left, room[g.id])
            if x.id == g.id or moved <= 1e-9:
                continue
            alloc.append(Allocation(from_=x.id, to=g.id, hours=moved, via="mobility"))
            sent[x.id] += moved
            received[g.id] += moved
            room[g.id] -= moved
    total = sum(freed.values())
    pool = sum(supply.values())
    placed = sum(a.hours for a in alloc)
    good_hours = sum(g.fte * HOURS_PER_FTE for g in goods)
    rec_value = shares["recognition"] * total * cost
    per_act = {}
    for x in acts:
        h = x.fte * HOURS_PER_FTE
        per_act[x.id] = ActivityScenario(
            hours_freed=freed[x.id], value_freed=freed[x.id] * cost, fte_freed=freed[x.id] / HOURS_PER_FTE,
            reinvest_supply=supply[x.id], hours_sent=sent[x.id], hours_received=received.get(x.id, 0.0),
            capacity=0.3 * h if x.r >= 0.5 else 0.0,
            recognition_value=rec_value * h / good_hours if x.r >= 0.5 else 0.0,
            confidence=0.8 if (x.a_range or x.r_range) else None)
    by_stage: dict[str, dict[str, float]] = {}
    for x in acts:
        row = by_stage.setdefault(x.stage or "", {"hours": 0.0, "hours_freed": 0.0, "hours_received": 0.0})
        row["hours"] += x.fte * HOURS_PER_FTE
        row["hours_freed"] += freed[x.id]
        row["hours_received"] += received.get(x.id, 0.0)
    for row in by_stage.values():
        row["share_freed"] = row["hours_freed"] / row["hours"]
    result = ScenarioResult(
        id=spec["id"], name=spec["name"], adoption=alpha, adoption_range=Spread(low=alpha, point=alpha, high=alpha),
        shares=shares, hours_freed=total, value_freed=total * cost, fte_freed=total / HOURS_PER_FTE,
        reinvest_pool=pool, hours_reinvested=placed, unallocated=pool - placed, allocation=alloc,
        received={k: v for k, v in received.items() if v > 0},
        recognition=Recognition(value=rec_value, beneficiary_fte=good_hours / HOURS_PER_FTE,
                                per_fte=rec_value / (good_hours / HOURS_PER_FTE),
                                pct_of_cost=rec_value / (good_hours * cost)),
        training_hours=shares["training"] * total, transfer_training_hours=0.0,
        community_hours=shares["community"] * total,
        savings={"hours": shares["savings"] * total, "value": shares["savings"] * total * cost},
        by_stage=by_stage,
        uncertainty={"hours_freed": Percentiles(p10=0.8 * total, p50=total, p90=1.2 * total)})
    return result, per_act


def build_result(
    acts: list[Act] | None = None,
    *,
    stages: list[tuple[str, str, str]] | None = None,
    actors: list[tuple[str, str, str]] | None = None,
    flows: list[tuple[str, str, str, float | None]] | None = None,
    scenarios: list[dict[str, Any]] | None = None,
    company: str = "Hôtel du Lac",
    date: str | None = "2026-09",
) -> AnalysisResult:
    """An :class:`AnalysisResult` for these specs (defaults: the fixed golden chain)."""
    acts = DEFAULT_ACTS if acts is None else acts
    stages = DEFAULT_STAGES if stages is None else stages
    actors = DEFAULT_ACTORS if actors is None else actors
    flows = DEFAULT_FLOWS if flows is None else flows
    scenarios = DEFAULT_SCENARIOS if scenarios is None else scenarios
    cost = 30.0
    per_scenario = {s["id"]: _scenario(s, acts, cost) for s in scenarios}
    activities = []
    for x in acts:
        ar = x.a_range or (x.a, x.a)
        rr = x.r_range or (x.r, x.r)
        activities.append(ActivityResult(
            id=x.id, name=x.name, stage=x.stage, hours=x.fte * HOURS_PER_FTE, fte=x.fte, hourly_cost=cost,
            automatability=x.a, automatability_range=Spread(low=ar[0], point=x.a, high=ar[1]),
            automatability_source="value", relational_index=x.r,
            relational_range=Spread(low=rr[0], point=x.r, high=rr[1]), relational_source="value",
            quadrant=_quadrant(x.a, x.r), relational_good=x.r >= 0.5, keep_human=x.keep_human,
            reason="valued for itself" if x.keep_human else None, ai_provider=x.ai_provider,
            touches=x.touches, flags=[_flag(k) for k in x.flags],
            metrics=Metrics(touchpoint=bool(x.touches), touches_customer=bool(x.touches),
                            customer_distance=1 if x.touches else None, betweenness=0.0,
                            articulation_point=False, customer_reach=0.0, in_degree=1, out_degree=1),
            by_scenario={sid: pair[1][x.id] for sid, pair in per_scenario.items()}))
    quadrants: dict[str, list[str]] = {q: [] for q in ("automate", "augment", "relational_core", "sustain")}
    for act in activities:
        quadrants[act.quadrant].append(act.id)
    return AnalysisResult(
        version="0.1.0",
        company={"name": company, "currency": "EUR", "hours_per_fte": HOURS_PER_FTE, "date": date,
                 "language": "en"},
        thresholds={"automatable": 0.5, "relational": 0.5},
        stages=[StageInfo(id=i, name=n, kind=k) for i, n, k in stages],
        actors=[ActorInfo(id=i, name=n, kind=k) for i, n, k in actors],
        flows=[FlowInfo(from_=f, to=t, kind=k, volume=v) for f, t, k, v in flows],
        activities=activities,
        relational_goods=[a.id for a in activities if a.relational_good],
        quadrants=quadrants,
        scenarios={sid: pair[0] for sid, pair in per_scenario.items()},
        risks=[], policy={"max_increase": 0.3, "mobility": "any"})


def fixture_result() -> AnalysisResult:
    """The fixed golden chain."""
    return build_result()


def large_result(n: int = 120) -> AnalysisResult:
    """A chain of ``n`` activities over 6 stages (for the aggregation threshold)."""
    stages = [(f"s{i}", f"Stage {i}", "support" if i == 5 else "primary") for i in range(6)]
    acts = [Act(f"a{i:03d}", f"Activity {i}", f"s{i % 6}", 1.0 + (i % 5), (i * 37 % 100) / 100,
                (i * 53 % 100) / 100, touches=["guests"] if i % 11 == 0 else []) for i in range(n)]
    flows: list[tuple[str, str, str, float | None]] = [
        (f"a{i:03d}", f"a{i + 1:03d}", ("information", "service", "material", "relationship")[i % 4], float(i + 1))
        for i in range(n - 1)]
    flows += [(f"a{i:03d}", "guests", "service", 10.0) for i in range(0, n, 11)]
    return build_result(acts, stages=stages, flows=flows, company="Big Co")
