"""Sensitivity of the lead scenario: inputs moved one at a time, ranked by the swing of net savings.

Each input is set to a low and a high value, every other input unchanged, and
the scenario is run again (:class:`relmap.analysis.whatif.Rerun`; no Monte
Carlo): the entry gives net savings, hours reinvested and FTE no longer needed
at both. Inputs and the values tried:

* ``adoption``: its range's low and high, else the point ± 0.15 (within 0..1);
* ``reinvest``, ``recognition``, ``training``, ``community``: ± 0.1 (within 0..1,
  the high side lowered so that the four shares still sum to 1 at most);
* ``max_increase`` × 0.5 / × 1.5;
* ``tau_a``, ``tau_r`` (thresholds) ± 0.1 (within 0..1);
* ``exposure_time_saving``: T at its low and at its high (when an occupation prior is used);
* ``exposure_rater``: ``gpt4`` and ``human`` (when an occupation prior is used);
* ``hourly_cost``: every hourly cost × 0.9 / × 1.1;
* ``ai_cost``: the scenario's costs × 0.5 / × 1.5;
* ``mobility``: the two other rules (``any``, ``stage``, ``adjacent`` minus the one in use);
* ``activity:<id>``: for the five ranged activities whose range moves net savings
  most (largest ``h × c × (a_high − a_low)``), automatability at its low and high.

Swing = |net savings at high − net savings at low|; entries are sorted by
decreasing swing (ties: the order above).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..input.model import Scenario, ValueChain, as_triangle
from .facts import ActivityFacts
from .result import SensitivityEntry
from .whatif import Figures, Rerun, refacts

__all__ = ["ACTIVITIES", "SensitivityRun", "rank", "sensitivity", "sensitivity_runs"]

#: how many activities' ranges are tried
ACTIVITIES = 5
SHARES = ("reinvest", "recognition", "training", "community")
MOBILITY = ("any", "stage", "adjacent")

Variant = Callable[[object], tuple[ValueChain, Scenario, list[ActivityFacts]]]


def _clip(x: float) -> float:
    return min(1.0, max(0.0, round(x, 12)))


def _fmt(x: float) -> str:
    return f"{x:.4g}"


@dataclass(frozen=True)
class SensitivityRun:
    """One entry to compute: input ``code`` at ``low`` and at ``high`` (``variant``: the chain, scenario and facts
    with the input at a value; ``cost_factor``: the value multiplies every hourly cost; ``activity``: the value is
    that activity's automatability)."""

    code: str
    label: str
    low: object
    high: object
    variant: Variant
    cost_factor: bool = False
    activity: str | None = None

    def __call__(self, rerun: Rerun) -> SensitivityEntry:
        """The entry: the scenario re-run (:meth:`Rerun.figures`) at both values."""
        figs: list[Figures] = []
        for value in (self.low, self.high):
            ch, s, fa = self.variant(value)
            x = float(value) if isinstance(value, int | float) else 1.0
            figs.append(rerun.figures(ch, s, fa, cost_factor=x if self.cost_factor else 1.0,
                                      automatability=(self.activity, x) if self.activity is not None else None))
        return SensitivityEntry(
            input=self.code, label=self.label, low=_show(self.low), high=_show(self.high),
            net_savings=[figs[0].net_savings, figs[1].net_savings],
            hours_reinvested=[figs[0].hours_reinvested, figs[1].hours_reinvested],
            fte_no_longer_needed=[figs[0].fte_no_longer_needed, figs[1].fte_no_longer_needed])


def sensitivity(chain: ValueChain, facts: list[ActivityFacts], rerun: Rerun) -> list[SensitivityEntry]:
    """The entries of the lead scenario (see the module docstring), largest swing of net savings first."""
    return rank([run(rerun) for run in sensitivity_runs(chain, facts, exact=rerun.exact)])


def rank(entries: list[SensitivityEntry]) -> list[SensitivityEntry]:
    """Entries (in the order of :func:`sensitivity_runs`) by decreasing swing ``|net at high − net at low|``,
    ties in that order."""
    order = sorted(range(len(entries)),
                   key=lambda k: (-abs(entries[k].net_savings[1] - entries[k].net_savings[0]), k))
    return [entries[k] for k in order]


def sensitivity_runs(chain: ValueChain, facts: list[ActivityFacts], *, exact: bool) -> list[SensitivityRun]:
    """The entries to compute, in the module docstring's order (``exact``: :attr:`Rerun.exact` of the rerun that
    will compute them; exact re-runs need facts in content order). Each is independent of the others: any
    process may compute any of them (:mod:`relmap.analysis.parallel`)."""
    sc = chain.lead_scenario()
    runs: list[SensitivityRun] = []
    memo: dict[str, object] = {}  # what refacts keeps of the analysed facts between entries

    def with_scenario(**update: object) -> tuple[ValueChain, Scenario, list[ActivityFacts]]:
        new = sc.model_copy(update=update)
        scenarios = [new if s.id == sc.id else s for s in chain.scenarios]
        return chain.model_copy(update={"scenarios": scenarios}), new, facts

    def with_policy(**update: object) -> tuple[ValueChain, Scenario, list[ActivityFacts]]:
        return chain.model_copy(update={"policy": chain.policy.model_copy(update=update)}), sc, facts

    low, point, high = as_triangle(sc.adoption)
    if high <= low:
        low, high = _clip(point - 0.15), _clip(point + 0.15)
    runs.append(SensitivityRun("adoption", "adoption", low, high, lambda v: with_scenario(adoption=v)))
    used = sum(getattr(sc, k) for k in SHARES)
    for share in SHARES:
        x = getattr(sc, share)
        up = _clip(min(x + 0.1, x + max(0.0, 1.0 - used)))

        def move(v: object, k: str = share) -> tuple[ValueChain, Scenario, list[ActivityFacts]]:
            return with_scenario(**{k: v})

        runs.append(SensitivityRun(share, f"{share} share", _clip(x - 0.1), up, move))
    mi = chain.policy.max_increase
    runs.append(SensitivityRun("max_increase", "max_increase", mi * 0.5, mi * 1.5,
                               lambda v: with_policy(max_increase=v)))
    for code, field in (("tau_a", "automatable"), ("tau_r", "relational")):
        t = getattr(chain.thresholds, field)

        def thresholds(v: object, f: str = field) -> tuple[ValueChain, Scenario, list[ActivityFacts]]:
            ch = chain.model_copy(update={"thresholds": chain.thresholds.model_copy(update={f: v})})
            return ch, sc, refacts(ch, facts, reclassify=True, sort=exact, memo=memo)

        runs.append(SensitivityRun(code, f"threshold {field}", _clip(t - 0.1), _clip(t + 0.1), thresholds))
    if any(f.scores.time_saving is not None for f in facts):
        t_low, _t, t_high = as_triangle(chain.assumptions.exposure_time_saving)

        def assume(v: object, key: str) -> tuple[ValueChain, Scenario, list[ActivityFacts]]:
            ch = chain.model_copy(update={"assumptions": chain.assumptions.model_copy(update={key: v})})
            return ch, sc, refacts(ch, facts, rescore=True, sort=exact, memo=memo)

        runs.append(SensitivityRun("exposure_time_saving", "time saved on exposed tasks", t_low, t_high,
                                   lambda v: assume(v, "exposure_time_saving")))
        if any(f.scores.automatability_source == "occupation" or f.scores.time_saving is not None for f in facts):
            runs.append(SensitivityRun("exposure_rater", "exposure rater", "gpt4", "human",
                                       lambda v: assume(v, "exposure_rater")))

    runs.append(SensitivityRun("hourly_cost", "hourly costs", 0.9, 1.1, lambda v: (chain, sc, facts),
                               cost_factor=True))
    runs.append(SensitivityRun("ai_cost", "AI costs", 0.5, 1.5, lambda v: with_scenario(costs=sc.costs.model_copy(
        update={k: getattr(sc.costs, k) * float(v) for k in ("one_off", "yearly", "per_user_year")}))))  # type: ignore[arg-type]
    others = [m for m in MOBILITY if m != chain.policy.mobility]
    runs.append(SensitivityRun("mobility", "mobility", others[0], others[1], lambda v: with_policy(mobility=v)))
    ranged = [f for f in facts if f.a[2] > f.a[0] and not f.activity.keep_human]
    ranged.sort(key=lambda f: -(f.hours * f.hourly_cost * (f.a[2] - f.a[0])))  # stable: content order on ties
    for f in ranged[:ACTIVITIES]:
        runs.append(SensitivityRun(f"activity:{f.id}", f.activity.name, f.a[0], f.a[2], lambda v: (chain, sc, facts),
                                   activity=f.id))
    return runs


def _show(value: object) -> str:
    """The value tried, as text (numbers with 4 significant digits)."""
    if isinstance(value, float | int):
        return _fmt(float(value))
    return str(value)
