"""``relmap diff``: what changed between two analyses (two files, or two scenarios of one file).

Changes reported: activities added or removed, quadrant moves, relational
goods gained or lost, and the scenario totals (freed, reinvested, savings,
net savings, NPV) with their deltas; per activity, the change in freed and
received hours; the trajectories year by year (net savings, cumulative) and
the payback years; the sensitivity ranking of each side (lead scenario:
inputs by swing of net savings, with their rank and swing on both sides).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..analysis.result import AnalysisResult, ScenarioResult
from ..i18n import _, format_number, language
from ..vocabulary import quadrant_label, unplaced_label
from .content import main_scenario

TOTALS: tuple[str, ...] = ("hours_freed", "value_freed", "fte_freed", "hours_reinvested", "unallocated",
                           "recognition_value", "savings_hours", "savings_value", "net_savings", "npv")
MONEY = frozenset({"value_freed", "recognition_value", "savings_value", "net_savings", "npv"})
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
    so, sn = main_scenario(old, old_scenario), main_scenario(new, new_scenario)
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


def column_heads(diff: DiffResult) -> tuple[str, str]:
    """Heads of the before/after columns: the scenario names when one file is compared with itself."""
    if diff.old == diff.new and diff.old_scenario != diff.new_scenario:
        return diff.old_scenario_name or diff.old_scenario, diff.new_scenario_name or diff.new_scenario
    return diff.old, diff.new


def _signed(value: float, digits: int = 0) -> str:
    text = format_number(abs(value), digits)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def total_label(key: str) -> str:
    """Display name of a total."""
    labels = {"hours_freed": _("Hours freed"), "value_freed": _("Value freed"), "fte_freed": _("FTE freed"),
              "hours_reinvested": _("Hours reinvested"), "unallocated": unplaced_label(),
              "recognition_value": _("Recognition"), "savings_hours": _("Savings line (h)"),
              "savings_value": _("Savings line"), "net_savings": _("Net savings (after AI costs)"),
              "npv": _("Net present value")}
    return labels.get(key, key)


def render_diff(diff: DiffResult, lang: str = "en") -> Any:
    """A rich renderable of the diff, in ``lang``."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    with language(lang):
        if diff.old == diff.new:
            before, after = column_heads(diff)
            head = _("{file}: scenario {old} → scenario {new}").format(file=diff.old, old=before, new=after)
        else:
            head = _("{old} ({old_scenario}) → {new} ({new_scenario})").format(
                old=diff.old, old_scenario=diff.old_scenario, new=diff.new, new_scenario=diff.new_scenario)
        parts: list[Any] = [Text(head, style="bold")]
        if diff.unchanged:
            parts.append(Text(_("No change.")))
            return Group(*parts)
        totals = Table(title=_("Scenario totals"), title_justify="left")
        before, after = column_heads(diff)
        for col, right in ((_("Figure"), False), (before, True), (after, True), (_("Change"), True)):
            totals.add_column(Text(col), justify="right" if right else "left")
        for key, d in diff.totals.items():
            digits = 1 if key == "fte_freed" else 0
            label = total_label(key) + (f" ({diff.currency})" if key in MONEY else "")
            totals.add_row(label, format_number(d.old, digits), format_number(d.new, digits),
                           _signed(d.delta, digits))
        parts.append(totals)
        for label, ids in ((_("Activities added"), diff.added), (_("Activities removed"), diff.removed),
                           (_("Relational goods gained"), diff.goods_gained),
                           (_("Relational goods lost"), diff.goods_lost)):
            if ids:
                parts.append(Text(_("{label}: {items}").format(label=label, items=", ".join(ids))))
        if diff.quadrant_moves:
            moves = Table(title=_("Quadrant changes"), title_justify="left")
            for col in (_("Activity"), _("Before"), _("After")):
                moves.add_column(col)
            for m in diff.quadrant_moves:
                moves.add_row(Text(m.name), quadrant_label(m.old), quadrant_label(m.new))
            parts.append(moves)
        _timeline_parts(diff, parts)
        if diff.activities:
            acts = Table(title=_("Hours by activity (largest change first)"), title_justify="left")
            for col, right in ((_("Activity"), False), (_("Hours freed"), True), (_("Change"), True),
                               (_("Hours received"), True), (_("Change"), True)):
                acts.add_column(col, justify="right" if right else "left")
            for a in diff.activities:
                acts.add_row(Text(a.name), format_number(a.hours_freed.new), _signed(a.hours_freed.delta),
                             format_number(a.hours_received.new), _signed(a.hours_received.delta))
            parts.append(acts)
        return Group(*parts)


def _timeline_parts(diff: DiffResult, parts: list[Any]) -> None:
    """Payback years, the trajectories side by side and the sensitivity ranking (rich renderables)."""
    from rich.table import Table
    from rich.text import Text

    from ..render.sensitivity import input_label

    old_pb, new_pb = diff.payback_year.get("old"), diff.payback_year.get("new")
    if diff.trajectory:
        def payback(year: int | None) -> str:
            return _("year {n}").format(n=year) if year is not None else _("none within the horizon")

        parts.append(Text(_("Payback: {old} → {new}").format(old=payback(old_pb), new=payback(new_pb))))
        years = Table(title=_("Net savings year by year ({currency})").format(currency=diff.currency),
                      title_justify="left")
        for col in (_("Year"), diff.old, diff.new, _("Change"), _("Cumulative"), _("Change")):
            years.add_column(Text(col), justify="right")
        for y in diff.trajectory:
            years.add_row(str(y.year), format_number(y.net_savings.old), format_number(y.net_savings.new),
                          _signed(y.net_savings.delta), format_number(y.cumulative.new), _signed(y.cumulative.delta))
        parts.append(years)
    if diff.sensitivity:
        from ..analysis.result import SensitivityEntry

        ranking = Table(title=_("What moves net savings most (rank and swing)"), title_justify="left")
        for col, right in ((_("Input"), False), (diff.old, True), (diff.new, True), (_("Swing change"), True)):
            ranking.add_column(Text(col), justify="right" if right else "left")
        for r in diff.sensitivity:
            name = input_label(SensitivityEntry(input=r.input, label=r.input.partition(":")[2] or r.input, low="",
                                                high="", net_savings=[], hours_reinvested=[],
                                                fte_no_longer_needed=[]))
            ranking.add_row(Text(name), "—" if r.old_rank is None else f"#{r.old_rank}",
                            "—" if r.new_rank is None else f"#{r.new_rank}", _signed(r.swing.delta))
        parts.append(ranking)
