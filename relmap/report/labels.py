"""What the reports say about a result: names from ids, flag and risk explanations, provider shares.

The words of the enumerations (quadrants, flags, sources…) come from
:mod:`relmap.vocabulary`, shared with the terminal summary and the diagrams;
they are re-exported here for the report modules.
"""

from __future__ import annotations

from typing import Any

from ..analysis.result import ActivityResult, AnalysisResult, Flag, Risk
from ..i18n import _, format_number, format_percent
from ..vocabulary import flag_label, mobility_label, quadrant_label, quadrant_meaning, source_label, via_label

__all__ = ["activity_flags", "flag_label", "flag_text", "mobility_label", "names", "provider_shares", "quadrant_label",
           "quadrant_meaning", "risk_groups", "risk_text", "source_label", "stage_name", "via_label"]


def names(result: AnalysisResult, ids: Any) -> str:
    """Comma-separated display names of activity, actor or stage ids (unknown ids as they are)."""
    if not isinstance(ids, list | tuple):
        ids = [ids] if ids else []
    lookup = _name_lookup(result)
    return ", ".join(lookup.get(str(i), str(i)) for i in ids)


def _name_lookup(result: AnalysisResult) -> dict[str, str]:
    """Id → display name of activities and actors, built once per result (reports call it per table row)."""

    def build() -> dict[str, str]:
        lookup = {a.id: a.name for a in result.activities}
        lookup.update({a.id: a.name for a in result.actors})
        return lookup

    return result.derived("names_by_id", build)


def flag_text(result: AnalysisResult, flag: Flag) -> str:
    """The flag's explanation in the current language, built from its kind and evidence."""
    ev = flag.evidence
    if flag.kind == "bridge_at_risk":
        return _(
            "A human relay between {upstream} and {downstream}: automating it cuts the link "
            "between two relational moments."
        ).format(upstream=names(result, ev.get("upstream")), downstream=names(result, ev.get("downstream")))
    if flag.kind == "invisible":
        return _(
            "A relational good with no path to any customer: internal care that no one sees "
            "and that savings could remove unnoticed."
        )
    if flag.kind == "single_point":
        return _(
            "An articulation point of the chain that is a relational good: without it, {cut} "
            "would be cut off."
        ).format(cut=names(result, ev.get("separates")) or _("part of the chain"))
    if flag.kind == "borderline":
        scores = ev.get("scores") or []
        if scores == ["automatability"]:
            return _("Its automatability is within {margin} of the threshold: the quadrant is a judgement call, "
                     "check the estimate.").format(margin=format_number(float(ev.get("margin", 0.0)), 2))
        if scores == ["relational"]:
            return _("Its relational index is within {margin} of the threshold: whether it is a relational good "
                     "is a judgement call; score the rubric.").format(
                margin=format_number(float(ev.get("margin", 0.0)), 2))
        return _("Both its automatability and its relational index are within {margin} of their thresholds: "
                 "the quadrant is a judgement call.").format(margin=format_number(float(ev.get("margin", 0.0)), 2))
    return flag.message


def stage_name(result: AnalysisResult, stage_id: str | None) -> str:
    """Display name of a stage id ("—" when none), through an index built once per result (reports call it per row)."""
    if not stage_id:
        return "—"
    index = result.derived(("stage_names", len(result.stages)), lambda: {s.id: s.name for s in result.stages})
    return index.get(stage_id, stage_id)


def provider_shares(result: AnalysisResult, scenario: str) -> dict[str, float]:
    """Share of the freed hours of activities with an ``ai_provider``, by provider, in ``scenario``.

    share(p) = Σ hours_freed of activities with provider p / Σ hours_freed of activities with any provider.
    """
    totals: dict[str, float] = {}
    for act in result.activities:
        if act.ai_provider and scenario in act.by_scenario:
            totals[act.ai_provider] = totals.get(act.ai_provider, 0.0) + act.by_scenario[scenario].hours_freed
    whole = sum(totals.values())
    return {p: (h / whole if whole else 0.0) for p, h in sorted(totals.items())}


def risk_text(result: AnalysisResult, risk: Risk) -> str:
    """The risk's explanation in the current language, from its kind, subject and the scenario's figures."""
    scenario = result.scenarios.get(risk.scenario)
    scen_name = scenario.name if scenario else risk.scenario
    if risk.kind == "hollowed_stage":
        share = scenario.by_stage.get(risk.subject, {}).get("share_freed", 0.0) if scenario else 0.0
        return _(
            "Stage {stage} is hollowed out in scenario {scenario}: {share} of its hours are freed "
            "(more than half); intermediate functions may disappear."
        ).format(stage=stage_name(result, risk.subject), scenario=scen_name, share=format_percent(share))
    if risk.kind == "vendor_concentration":
        shares = provider_shares(result, risk.scenario)
        hhi = sum(s * s for s in shares.values())
        return _(
            "In scenario {scenario}, {share} of the freed hours depend on {provider} "
            "(Herfindahl index {hhi}, above 0.5): a single vendor's prices or outages would hit "
            "the whole plan."
        ).format(
            scenario=scen_name,
            share=format_percent(shares.get(risk.subject, 0.0)),
            provider=risk.subject,
            hhi=format_number(hhi, 2),
        )
    return risk.message


def _per_scenario(values: list[tuple[str, str]]) -> str:
    """One figure when every scenario has the same, else each with its scenario: ``53 % (Central), 61 % (Bold)``."""
    if len({v for _name, v in values}) == 1:
        return values[0][1]
    return ", ".join(_("{value} ({scenario})").format(value=v, scenario=name) for name, v in values)


def risk_groups(result: AnalysisResult) -> list[tuple[str, str]]:
    """Each risk once: ``(label, text)`` per kind and subject, the label naming the scenarios it appears in.

    A risk raised by several scenarios (the same stage hollowed out, the same vendor) is one line whose
    figures are given once when the scenarios agree, else scenario by scenario; groups keep the order of
    their first appearance.
    """
    groups: dict[tuple[str, str], list[Risk]] = {}
    for risk in result.risks:
        groups.setdefault((risk.kind, risk.subject), []).append(risk)
    out = []
    for (kind, subject), risks in groups.items():
        scen_names = [result.scenarios[r.scenario].name if r.scenario in result.scenarios else r.scenario
                      for r in risks]
        label = _("Scenario {name}").format(name=scen_names[0]) if len(risks) == 1 else _(
            "Scenarios {names}").format(names=", ".join(scen_names))
        if len(risks) == 1 or kind not in ("hollowed_stage", "vendor_concentration"):
            out.append((label, risk_text(result, risks[0])))
            continue
        if kind == "hollowed_stage":
            shares = [(name, format_percent(result.scenarios[r.scenario].by_stage.get(subject, {}).get(
                "share_freed", 0.0) if r.scenario in result.scenarios else 0.0)) for name, r in zip(
                scen_names, risks, strict=True)]
            text = _("Stage {stage} is hollowed out: {share} of its hours are freed (more than half); intermediate "
                     "functions may disappear.").format(stage=stage_name(result, subject), share=_per_scenario(shares))
        else:
            figures = [provider_shares(result, r.scenario) for r in risks]
            text = _("{share} of the freed hours depend on {provider} (Herfindahl index {hhi}, above 0.5): a single "
                     "vendor's prices or outages would hit the whole plan.").format(
                share=_per_scenario([(n, format_percent(f.get(subject, 0.0))) for n, f in zip(
                    scen_names, figures, strict=True)]),
                provider=subject,
                hhi=_per_scenario([(n, format_number(sum(s * s for s in f.values()), 2)) for n, f in zip(
                    scen_names, figures, strict=True)]))
        out.append((label, text))
    return out


def activity_flags(result: AnalysisResult, act: ActivityResult) -> str:
    """Flag names of an activity, comma-separated ("" when none)."""
    return ", ".join(flag_label(f.kind) for f in act.flags)
