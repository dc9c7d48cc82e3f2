"""Freed hours, scenario shares, recognition, stage totals and the risks they reveal."""

from __future__ import annotations

import math

from ..input.model import Scenario
from .facts import ActivityFacts
from .result import Recognition, Risk

__all__ = [
    "HOLLOWED_SHARE",
    "VENDOR_HHI",
    "VENDOR_MIN_COVERAGE",
    "freed_hours",
    "hollowed_stages",
    "recognition",
    "scenario_shares",
    "stage_totals",
    "vendor_concentration",
]

HOLLOWED_SHARE = 0.5
VENDOR_HHI = 0.5
#: share of all freed hours the named providers must carry before their concentration is a risk
VENDOR_MIN_COVERAGE = 0.2


def freed_hours(fact: ActivityFacts, adoption: float) -> float:
    """Hours AI frees in an activity: ``h × a × α`` (a = mode of automatability, α = adoption); 0 if keep_human."""
    if fact.activity.keep_human:
        return 0.0
    return fact.hours * fact.a[1] * adoption


def scenario_shares(scenario: Scenario) -> dict[str, float]:
    """The split of freed hours: reinvest, recognition, training, community and ``savings = 1 − Σ others``.

    ``savings`` is rounded to 12 decimals (so 1 − 0.7 is 0.3, not 0.30000000000000004)
    and clamped at 0 (the input allows a rounding excess of 1e-9).
    """
    shares = {
        "reinvest": scenario.reinvest, "recognition": scenario.recognition,
        "training": scenario.training, "community": scenario.community,
    }
    shares["savings"] = max(0.0, round(1.0 - math.fsum(shares.values()), 12))
    return shares


def recognition(facts: list[ActivityFacts], value: float) -> tuple[Recognition, dict[str, float]]:
    """Recognition of the people in relational goods.

    ``value`` = the value of the balance's recognition line (recognition share
    × the value freed outside the kept hours, :mod:`.economics`), spread over
    relational goods in proportion to their hours: good j gets ``value × h_j / Σ h``;
    ``per_fte = value / Σ fte`` and ``pct_of_cost = value / Σ (h_j × cost_j)``
    (0 when the denominator is 0).

    Returns:
        The totals and the value each good receives.
    """
    goods = [f for f in facts if f.good]
    hours = math.fsum(f.hours for f in goods)
    fte = math.fsum(f.fte for f in goods)
    cost = math.fsum(f.hours * f.hourly_cost for f in goods)
    per_good = {f.id: (value * f.hours / hours if hours > 0 else 0.0) for f in goods}
    total = Recognition(value=value, beneficiary_fte=fte, per_fte=value / fte if fte > 0 else 0.0,
                        pct_of_cost=value / cost if cost > 0 else 0.0)
    return total, per_good


def stage_totals(facts: list[ActivityFacts], freed: dict[str, float],
                 received: dict[str, float], stage_ids: list[str]) -> dict[str, dict[str, float]]:
    """Per stage: ``hours``, ``hours_freed``, ``share_freed = hours_freed / hours`` and ``hours_received``.

    Activities with no stage are not counted in any stage.
    """
    groups: dict[str | None, list[ActivityFacts]] = {}
    for f in facts:
        groups.setdefault(f.activity.stage, []).append(f)
    out: dict[str, dict[str, float]] = {}
    for sid in stage_ids:
        members = groups.get(sid, [])
        hours = math.fsum(f.hours for f in members)
        hf = math.fsum(freed[f.id] for f in members)
        out[sid] = {"hours": hours, "hours_freed": hf, "share_freed": hf / hours if hours > 0 else 0.0,
                    "hours_received": math.fsum(received.get(f.id, 0.0) for f in members)}
    return out


def hollowed_stages(scenario_id: str, by_stage: dict[str, dict[str, float]],
                    facts: list[ActivityFacts], freed: dict[str, float]) -> list[Risk]:
    """``hollowed_stage`` risks: stages whose freed hours exceed half their hours (``share_freed > 0.5``).

    Evidence: ``hours``, ``hours_freed``, ``share`` and ``activities`` (the
    stage's activities that free hours, most first).
    """
    risks: list[Risk] = []
    hollow = {sid for sid, row in by_stage.items() if row["share_freed"] > HOLLOWED_SHARE}
    groups: dict[str, list[ActivityFacts]] = {sid: [] for sid in hollow}
    for f in facts:
        if f.activity.stage in hollow and freed[f.id] > 0:
            groups[f.activity.stage].append(f)
    for sid, row in by_stage.items():
        if sid not in hollow:
            continue
        contributors = sorted(groups[sid],
                              key=lambda f: (-freed[f.id], f.id))
        risks.append(Risk(
            kind="hollowed_stage", scenario=scenario_id, subject=sid,
            evidence={"hours": row["hours"], "hours_freed": row["hours_freed"], "share": row["share_freed"],
                      "activities": [{"id": f.id, "hours_freed": freed[f.id]} for f in contributors]}))
    return risks


def vendor_concentration(scenario_id: str, facts: list[ActivityFacts], freed: dict[str, float]) -> Risk | None:
    """``vendor_concentration``: freed hours concentrated on one AI provider.

    Over the activities that name an ``ai_provider`` and free hours, with
    ``s_p`` = provider p's share of their freed hours, the Herfindahl index is
    ``HHI = Σ_p s_p²``; a risk when ``HHI > 0.5``. Evidence: ``hhi``,
    ``shares`` (by provider), ``hours_freed`` (by provider) and
    ``covered_share`` (share of all freed hours that name a provider). No
    risk when the named providers carry less than 20% of all freed hours
    (:data:`VENDOR_MIN_COVERAGE`): one vendor for a sliver of the work is no
    dependence.
    """
    by_provider: dict[str, float] = {}
    for f in facts:
        provider = f.activity.ai_provider
        if provider and freed[f.id] > 0:
            by_provider[provider] = by_provider.get(provider, 0.0) + freed[f.id]
    named = math.fsum(by_provider.values())
    if named <= 0:
        return None
    total = math.fsum(freed.values())
    if named < VENDOR_MIN_COVERAGE * total:
        return None
    shares = {p: h / named for p, h in sorted(by_provider.items())}
    hhi = math.fsum(s * s for s in shares.values())
    if hhi <= VENDOR_HHI:
        return None
    top = min(shares, key=lambda p: (-shares[p], p))
    return Risk(
        kind="vendor_concentration", scenario=scenario_id, subject=top,
        evidence={"hhi": hhi, "shares": shares, "hours_freed": dict(sorted(by_provider.items())),
                  "covered_share": named / total if total > 0 else 0.0})
