"""What changed between two analyses (two files, or two scenarios of one file), as data.

Changes found: activities added or removed, quadrant moves, relational
goods gained or lost, and the scenario totals (freed, reinvested, savings,
net savings, NPV) with their deltas; per activity, the change in freed and
received hours; the trajectories year by year (net savings, cumulative) and
the payback years; the sensitivity ranking of each side (lead scenario:
inputs by swing of net savings, with their rank and swing on both sides).
:mod:`relmap.report.diff` shows a :class:`DiffResult` in the terminal.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict

from .result import AnalysisResult, ScenarioResult

TOTALS: tuple[str, ...] = ("hours_freed", "value_freed", "fte_freed", "hours_reinvested", "unallocated",
                           "recognition_value", "savings_hours", "savings_value", "net_savings", "npv")
#: inputs of the sensitivity ranking compared
RANKED = 5
EPS = 1e-9


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Delta(_Model):
    """A number before and after: ``delta = new − old``."""

    old: float
    new: float
    delta: float


class QuadrantMove(_Model):
    """An activity whose quadrant changed."""

    id: str
    name: str
    old: str
    new: str


class ActivityDelta(_Model):
    """An activity present on both sides whose freed or received hours changed."""

    id: str
    name: str
    hours_freed: Delta
    hours_received: Delta


class YearDelta(_Model):
    """One year of the two trajectories (a year only one side has counts 0 on the other)."""

    year: int
    net_savings: Delta
    cumulative: Delta


class RankDelta(_Model):
    """An input of the sensitivity ranking: its rank (1 = largest swing; None: not tried) and swing on each side."""

    input: str
    old_rank: int | None
    new_rank: int | None
    swing: Delta


class DiffResult(_Model):
    """Everything that changed from ``old`` to ``new``."""

    old: str
    new: str
    old_scenario: str
    new_scenario: str
    old_scenario_name: str = ""
    new_scenario_name: str = ""
    currency: str
    added: list[str]
    removed: list[str]
    quadrant_moves: list[QuadrantMove]
    goods_gained: list[str]
    goods_lost: list[str]
    totals: dict[str, Delta]
    activities: list[ActivityDelta]
    payback_year: dict[str, int | None] = {}
    trajectory: list[YearDelta] = []
    sensitivity: list[RankDelta] = []

    @property
    def unchanged(self) -> bool:
        """True when nothing differs."""
        return not (self.added or self.removed or self.quadrant_moves or self.goods_gained or self.goods_lost
                    or self.activities or any(abs(d.delta) > EPS for d in self.totals.values())
                    or self.payback_year.get("old") != self.payback_year.get("new")
                    or any(abs(y.net_savings.delta) > EPS for y in self.trajectory)
                    or any(r.old_rank != r.new_rank or abs(r.swing.delta) > EPS for r in self.sensitivity))

    def to_json(self) -> str:
        """Locale-free JSON, newline-terminated."""
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _totals(s: ScenarioResult) -> dict[str, float]:
    return {"hours_freed": s.hours_freed, "value_freed": s.value_freed, "fte_freed": s.fte_freed,
            "hours_reinvested": s.hours_reinvested, "unallocated": s.unallocated,
            "recognition_value": s.recognition.value, "savings_hours": s.savings.get("hours", 0.0),
            "savings_value": s.savings.get("value", 0.0), "net_savings": s.net_savings, "npv": s.npv or 0.0}


def _years(so: ScenarioResult, sn: ScenarioResult) -> list[YearDelta]:
    """Both trajectories year by year (net savings and cumulative; 0 for a year one side lacks)."""
    old = {y.year: y for y in so.trajectory}
    new = {y.year: y for y in sn.trajectory}
    out = []
    for year in sorted(old.keys() | new.keys()):
        a, b = old.get(year), new.get(year)
        out.append(YearDelta(year=year, net_savings=_delta(a.net_savings if a else 0.0, b.net_savings if b else 0.0),
                             cumulative=_delta(a.cumulative if a else 0.0, b.cumulative if b else 0.0)))
    return out


def _ranking(old: AnalysisResult, new: AnalysisResult) -> list[RankDelta]:
    """Inputs in the top :data:`RANKED` of either side's sensitivity, new ranking first."""
    def ranks(result: AnalysisResult) -> dict[str, tuple[int, float]]:
        return {e.input: (k, abs(e.net_savings[1] - e.net_savings[0]))
                for k, e in enumerate(result.sensitivity, start=1)}

    ro, rn = ranks(old), ranks(new)
    keys = [e.input for e in new.sensitivity[:RANKED]]
    keys += [e.input for e in old.sensitivity[:RANKED] if e.input not in keys]
    return [RankDelta(input=k, old_rank=ro[k][0] if k in ro else None, new_rank=rn[k][0] if k in rn else None,
                      swing=_delta(ro[k][1] if k in ro else 0.0, rn[k][1] if k in rn else 0.0)) for k in keys]


def _delta(old: float, new: float) -> Delta:
    return Delta(old=old, new=new, delta=new - old)


def diff_results(old: AnalysisResult, new: AnalysisResult, *, old_scenario: str | None = None,
                 new_scenario: str | None = None, old_label: str = "old", new_label: str = "new") -> DiffResult:
    """Compare two analyses (or one analysis with itself under two scenarios).

    Raises:
        KeyError: a scenario id that is not in its analysis.
    """
    so, sn = old.scenario_result(old_scenario), new.scenario_result(new_scenario)
    old_acts = {a.id: a for a in old.activities}
    new_acts = {a.id: a for a in new.activities}
    both = sorted(old_acts.keys() & new_acts.keys())
    moves = [QuadrantMove(id=i, name=new_acts[i].name, old=old_acts[i].quadrant, new=new_acts[i].quadrant)
             for i in both if old_acts[i].quadrant != new_acts[i].quadrant]
    deltas = []
    for i in both:
        a, b = old_acts[i].by_scenario.get(so.id), new_acts[i].by_scenario.get(sn.id)
        freed = _delta(a.hours_freed if a else 0.0, b.hours_freed if b else 0.0)
        received = _delta(a.hours_received if a else 0.0, b.hours_received if b else 0.0)
        if abs(freed.delta) > EPS or abs(received.delta) > EPS:
            deltas.append(ActivityDelta(id=i, name=new_acts[i].name, hours_freed=freed, hours_received=received))
    deltas.sort(key=lambda d: (-change_size(d), d.id))  # largest change first
    t_old, t_new = _totals(so), _totals(sn)
    return DiffResult(
        old=old_label, new=new_label, old_scenario=so.id, new_scenario=sn.id, old_scenario_name=so.name,
        new_scenario_name=sn.name,
        currency=str(new.company.get("currency") or "EUR"),
        added=sorted(new_acts.keys() - old_acts.keys()), removed=sorted(old_acts.keys() - new_acts.keys()),
        quadrant_moves=moves,
        goods_gained=sorted(set(new.relational_goods) - set(old.relational_goods)),
        goods_lost=sorted(set(old.relational_goods) - set(new.relational_goods)),
        totals={k: _delta(t_old[k], t_new[k]) for k in TOTALS}, activities=deltas,
        payback_year={"old": so.payback_year, "new": sn.payback_year}, trajectory=_years(so, sn),
        sensitivity=_ranking(old, new))


def change_size(delta: ActivityDelta) -> float:
    """Size of an activity's change: ``|Δ freed| + |Δ received|`` (the activity table lists the largest first)."""
    return abs(delta.hours_freed.delta) + abs(delta.hours_received.delta)
