"""Where every freed hour and euro goes: the relational dividend, the split, the balance, AI costs.

For each activity ``i`` with freed hours ``f_i`` (:func:`relmap.analysis.gains.freed_hours`)
and hourly cost ``c_i``:

* **kept** ``k_i = f_i`` when ``i`` is a relational good and
  ``policy.relational_dividend`` is ``all`` (the time AI gives back stays in the
  relation), else 0;
* the rest ``s_i = f_i − k_i`` is **split** by the scenario's shares: reinvest
  ``ρ``, recognition ``ς``, training ``θ``, community ``κ`` and savings
  ``1 − ρ − ς − θ − κ``; with no relational good at all, the recognition share
  goes to savings (no one to pay);
* the reinvest part ``ρ × s_i`` is offered to the allocation
  (:mod:`relmap.analysis.reinvest`): what it places is **reinvested**, the rest
  **unplaced**.

The **balance** lists, in this order, ``kept``, ``reinvested``, ``unplaced``,
``recognition``, ``training``, ``community``, ``savings``: hours
``Σ_i line_i`` and value ``Σ_i line_i × c_i`` (each hour is valued at the cost
of the activity it was freed in). The hours add up to the hours freed and the
values to the value freed, by construction.

``ai_cost = yearly + per_user_year × users`` where ``users = Σ fte_i`` over
the activities with ``f_i > 0``; ``net_savings = value(savings) +
value(unplaced) − ai_cost`` when ``policy.unplaced`` is ``savings``, and
``value(savings) − ai_cost`` when it is ``keep`` (the people stay, as slack).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..input.model import Policy, Scenario
from .facts import ActivityFacts

__all__ = ["BALANCE_LINES", "Split", "ai_cost", "balance_lines", "net_savings", "no_longer_needed", "split_freed"]

BALANCE_LINES: tuple[str, ...] = ("kept", "reinvested", "unplaced", "recognition", "training", "community",
                                  "savings")


@dataclass
class Split:
    """Per activity, the hours of each destination before the allocation (see the module docstring)."""

    kept: dict[str, float] = field(default_factory=dict)
    supply: dict[str, float] = field(default_factory=dict)
    recognition: dict[str, float] = field(default_factory=dict)
    training: dict[str, float] = field(default_factory=dict)
    community: dict[str, float] = field(default_factory=dict)
    savings: dict[str, float] = field(default_factory=dict)
    recognition_to_savings: bool = False


def split_freed(facts: list[ActivityFacts], freed: dict[str, float], scenario: Scenario, policy: Policy,
                shares: dict[str, float]) -> Split:
    """Split each activity's freed hours: kept (relational dividend), reinvest supply, recognition, training,
    community, savings.

    ``k_i = f_i`` for a relational good under ``relational_dividend: all``, else 0;
    ``s_i = f_i − k_i``; supply ``ρ × s_i``, recognition ``ς × s_i``, training
    ``θ × s_i``, community ``κ × s_i``, savings ``(1 − ρ − ς − θ − κ) × s_i``
    (plus ``ς × s_i`` when there is no relational good: recognition then has
    no beneficiary and goes to savings).

    Example: f = 100 h in a non-good, ρ = 0.5, ς = 0.1, θ = 0.1, κ = 0 →
    supply 50, recognition 10, training 10, community 0, savings 30.
    """
    any_good = any(f.good for f in facts)
    out = Split(recognition_to_savings=not any_good and scenario.recognition > 0)
    rec_share = scenario.recognition if any_good else 0.0
    save_share = shares["savings"] + (0.0 if any_good else scenario.recognition)
    for f in facts:
        hours = freed[f.id]
        kept = hours if (f.good and policy.relational_dividend == "all") else 0.0
        rest = hours - kept
        out.kept[f.id] = kept
        out.supply[f.id] = rest * scenario.reinvest
        out.recognition[f.id] = rest * rec_share
        out.training[f.id] = rest * scenario.training
        out.community[f.id] = rest * scenario.community
        out.savings[f.id] = rest * save_share
    return out


def balance_lines(facts: list[ActivityFacts], split: Split, sent: dict[str, float],
                  sent_value: dict[str, float] | None = None) -> list[tuple[str, float, float]]:
    """The balance ``[(line, hours, value)]`` in :data:`BALANCE_LINES` order.

    ``reinvested_i`` = hours of ``i`` the allocation placed (``sent``);
    ``unplaced_i = supply_i − reinvested_i``; a line's hours are ``Σ_i line_i``
    and its value ``Σ_i line_i × c_i``.

    Example: one activity, f = 100 h at 40 €/h, supply 50 of which 30 placed,
    recognition 10, training 10, savings 30 → reinvested (30 h, 1,200 €),
    unplaced (20 h, 800 €), recognition (10 h, 400 €), training (10 h, 400 €),
    savings (30 h, 1,200 €): 100 h and 4,000 € in all.

    With roles, ``sent_value`` gives the value of each activity's placed hours
    at the cost of the roles that moved (``Σ_r sent_xr × c_xr``,
    :func:`relmap.analysis.roles.sent_value`): the reinvested line's value is
    ``Σ_x sent_value_x`` and the unplaced line's ``Σ_x (supply_x × c_x −
    sent_value_x)``, so the values still add up to the value freed.
    """
    # per activity, in the order of ``facts``, as lists (fsum is exact whatever the order of its terms; lists
    # instead of generators over dicts: the balance is computed ~50 times per analysis by the re-runs)
    ids = [f.id for f in facts]
    costs = [f.hourly_cost for f in facts]
    placed = [sent.get(i, 0.0) for i in ids]
    supply = [split.supply[i] for i in ids]
    per_line: dict[str, list[float]] = {
        "kept": [split.kept[i] for i in ids],
        "reinvested": placed,
        "unplaced": [s - p for s, p in zip(supply, placed, strict=True)],
        "recognition": [split.recognition[i] for i in ids],
        "training": [split.training[i] for i in ids],
        "community": [split.community[i] for i in ids],
        "savings": [split.savings[i] for i in ids],
    }
    out: list[tuple[str, float, float]] = []
    for line in BALANCE_LINES:
        values = per_line[line]
        hours = math.fsum(values)
        if sent_value is not None and line == "reinvested":
            value = math.fsum([sent_value.get(i, 0.0) for i in ids])
        elif sent_value is not None and line == "unplaced":
            value = math.fsum([s * c - sent_value.get(i, 0.0) for i, s, c in zip(ids, supply, costs, strict=True)])
        else:
            value = math.fsum([v * c for v, c in zip(values, costs, strict=True)])
        out.append((line, hours, value))
    return out


def ai_cost(scenario: Scenario, facts: list[ActivityFacts], freed: dict[str, float]) -> tuple[float, float]:
    """``(ai_cost, users)``: ``ai_cost = yearly + per_user_year × users``, ``users = Σ fte_i`` where ``f_i > 0``.

    Example: yearly 50,000, per_user_year 600, two activities of 10 and 5 FTE
    freeing hours → users 15, ai_cost 59,000.
    """
    users = math.fsum(f.fte for f in facts if freed[f.id] > 0)
    return cost_for_users(scenario, users), users


def cost_for_users(scenario: Scenario, users: Any) -> Any:
    """``yearly + per_user_year × users`` (a number, or an array of users per draw).

    Example: yearly 50,000, per_user_year 600, 15 users → 59,000.
    """
    return scenario.costs.yearly + scenario.costs.per_user_year * users


def net_savings(balance: list[tuple[str, float, float]], cost: float, policy: Policy) -> float:
    """Net savings per year.

    ``value(savings) + value(unplaced) − ai_cost`` under ``policy.unplaced: savings``;
    ``value(savings) − ai_cost`` under ``keep``.
    """
    value = {line: v for line, _h, v in balance}
    gross = value["savings"] + (value["unplaced"] if policy.unplaced == "savings" else 0.0)
    return gross - cost


def no_longer_needed(line: dict[str, tuple[float, float]]) -> float:
    """Hours of work no longer needed: ``freed − kept − redeployed − training − community``.

    That is the hours of the ``unplaced``, ``recognition`` and ``savings``
    lines: the people who did them are not given other work by the plan.
    Example: the balance of :func:`balance_lines`' example (reinvested 30,
    unplaced 20, recognition 10, training 10, savings 30 of 100 h) → 60 h.
    """
    return line["unplaced"][0] + line["recognition"][0] + line["savings"][0]
