"""Every word and sentence said about a result, in the current language: the one vocabulary.

The analysis result is data: **contract** codes (``relational_core``,
``bridge_at_risk``…) and, for flags, risks and notes, a ``kind`` with its
``evidence``. This module turns them into words at display time — names of
the enumerations (quadrants, flags, sources, moves, mobility, balance lines)
and the sentences of flags, risks and notes — for the terminal summary, the
diagrams, the reports, the deck and the workbook.

Why one module: ``analysis.json`` is the same bytes whatever the language (it
holds no sentence); a quadrant, a flag or a risk is said the same way
everywhere, in English and in French; and the French catalogue has every one
of them. It imports only the result and :mod:`relmap.i18n` (layer rule:
``render``, ``report`` and ``cli`` import it; ``analysis`` does not).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .i18n import _, format_number, format_percent, language

if TYPE_CHECKING:
    from .analysis.result import ActivityResult, AnalysisResult, Flag, Note, Risk, ScenarioResult, SensitivityEntry

__all__ = [
    "activity_flags", "balance_label", "default_notes", "flag_label", "flag_mark", "flag_text", "input_label",
    "mobility_label", "names", "note_text", "notes_text", "quadrant_label", "quadrant_meaning", "risk_groups",
    "risk_text", "scenario_name", "scenario_notes", "source_label", "stage_name", "unplaced_label", "value_label",
    "via_label",
]


def _pick(labels: dict[str, str], key: str, lower: bool) -> str:
    """``labels[key]`` (the key itself when unknown); ``lower``: for running text ("Cœur…" → "cœur…")."""
    label = labels.get(key, key)
    return label[:1].lower() + label[1:] if lower else label


def quadrant_label(quadrant: str, *, lower: bool = False) -> str:
    """``relational_core`` → ``Relational core`` / ``Cœur relationnel`` (``lower``: in running text)."""
    labels = {
        "automate": _("Automate"),
        "augment": _("Augment"),
        "relational_core": _("Relational core"),
        "sustain": _("Sustain"),
    }
    return _pick(labels, quadrant, lower)


def quadrant_meaning(quadrant: str) -> str:
    """One sentence: what the quadrant means for the consultant."""
    meanings = {
        "automate": _("AI can take the work over; little relational value is at stake."),
        "augment": _("AI can do much of the work, but the relation matters: AI should assist the people."),
        "relational_core": _("The relation is the value and AI can do little: keep it human, invest in it."),
        "sustain": _("Neither very automatable nor relational: keep it running efficiently."),
    }
    return meanings.get(quadrant, "")


def activity_flags(act: ActivityResult) -> str:
    """Flag names of an activity, comma-separated ("" when none)."""
    return ", ".join(flag_label(f.kind) for f in act.flags)


def flag_label(kind: str, *, lower: bool = False) -> str:
    """Short name of a flag (``lower``: in running text)."""
    labels = {
        "bridge_at_risk": _("Human relay at risk"),
        "invisible": _("Invisible relational work"),
        "single_point": _("Single point of failure"),
        "borderline": _("Borderline"),
    }
    return _pick(labels, kind, lower)


def flag_mark(kind: str) -> str:
    """The flag as written inside a diagram's box: a few words, a sign where the border shows it too."""
    marks = {
        "bridge_at_risk": _("▲ relay at risk"),
        "invisible": _("invisible work"),
        "single_point": _("single point of failure"),
        "borderline": _("≈ borderline"),
    }
    return marks.get(kind, kind)


def unplaced_label(*, lower: bool = False) -> str:
    """The one name of the reinvestment hours no relational good could take (``ScenarioResult.unallocated``)."""
    text = _("Unplaced hours")
    return text[:1].lower() + text[1:] if lower else text


def source_label(source: str) -> str:
    """Where an automatability or relational score comes from."""
    labels = {
        "value": _("given value"),
        "tasks": _("tasks breakdown"),
        "occupation": _("occupation prior"),
        "archetype": _("archetype prior"),
        "rubric": _("rubric"),
        "word": _("word scale"),
    }
    return labels.get(source, source)


def via_label(via: str) -> str:
    """How hours moved: own, explicit transfer, mobility."""
    labels = {"own": _("own hours"), "transfer": _("explicit transfer"), "mobility": _("mobility policy")}
    return labels.get(via, via)


def mobility_label(mobility: str) -> str:
    """``policy.mobility`` in words."""
    labels = {
        "any": _("any activity"),
        "stage": _("within the same stage"),
        "adjacent": _("within a few flow hops"),
        "role": _("where the people's role, its family or a reskilling path allows"),
    }
    return labels.get(mobility, mobility)


def balance_label(line: str) -> str:
    """The name of a balance line, the same in every output."""
    labels = {
        "kept": _("Kept in relational goods"),
        "reinvested": _("Reinvested in relational goods"),
        "unplaced": unplaced_label(),
        "recognition": _("Funds recognition"),
        "training": _("Training"),
        "community": _("Skills volunteering"),
        "savings": _("Savings"),
    }
    return labels.get(line, line)


# --------------------------------------------------------------------------- names of the result's ids


def names(result: AnalysisResult, ids: str | Iterable[str] | None) -> str:
    """Comma-separated display names of activity or actor ids (unknown ids as they are)."""
    if ids is None or isinstance(ids, str):
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


def stage_name(result: AnalysisResult, stage_id: str | None) -> str:
    """Display name of a stage id ("—" when none), through an index built once per result (reports call it per row)."""
    if not stage_id:
        return "—"
    index = result.derived(("stage_names", len(result.stages)), lambda: {s.id: s.name for s in result.stages})
    return index.get(stage_id, stage_id)


def scenario_name(result: AnalysisResult, scenario_id: str) -> str:
    """Display name of a scenario id (the id when unknown)."""
    scen = result.scenarios.get(scenario_id)
    return scen.name if scen else scenario_id


# --------------------------------------------------------------------------- sentences from kinds and evidence


def flag_text(result: AnalysisResult, flag: Flag) -> str:
    """The flag's explanation, from its kind and evidence (keys: :class:`~relmap.analysis.result.Flag`).

    The sentence does not name the flagged activity: every caller shows it
    beside the activity's name and the flag's label.
    """
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
        ).format(cut=_separated(result, ev))
    margin = format_number(float(ev.get("margin", 0.0)), 2)
    scores = ev.get("scores") or []
    if scores == ["automatability"]:
        return _("Its automatability is within {margin} of the threshold: the quadrant is a judgement call, "
                 "check the estimate.").format(margin=margin)
    if scores == ["relational"]:
        return _("Its relational index is within {margin} of the threshold: whether it is a relational good "
                 "is a judgement call; score the rubric.").format(margin=margin)
    return _("Both its automatability and its relational index are within {margin} of their thresholds: "
             "the quadrant is a judgement call.").format(margin=margin)


def _separated(result: AnalysisResult, ev: dict[str, object]) -> str:
    """Who a single point of failure cuts off: the names listed, and how many more when the list is cut."""
    listed = ev.get("separates")
    shown = [str(i) for i in listed] if isinstance(listed, list) else []
    if not shown:
        return _("part of the chain")
    count = ev.get("separated_count")
    more = int(count) - len(shown) if isinstance(count, int | float) else 0
    text = names(result, shown)
    return text + " " + _("and {n} more").format(n=format_number(more)) if more > 0 else text


def _risk_figures(risk: Risk) -> dict[str, str]:
    """The figures a risk's sentence shows, formatted, read from its evidence (hollowed stage: ``share``;
    vendor: ``share`` of its provider, ``hhi``, ``covered``)."""
    ev = risk.evidence

    def number(key: str) -> float:
        value = ev.get(key, 0.0)
        return float(value) if isinstance(value, int | float) else 0.0

    if risk.kind == "hollowed_stage":
        return {"share": format_percent(number("share"))}
    shares = ev.get("shares")
    share = float(shares.get(risk.subject, 0.0)) if isinstance(shares, dict) else 0.0
    return {"share": format_percent(share), "hhi": format_number(number("hhi"), 2),
            "covered": format_percent(number("covered_share"))}


def risk_text(result: AnalysisResult, risk: Risk) -> str:
    """The risk's explanation, from its kind, subject and evidence (keys: :class:`~relmap.analysis.result.Risk`)."""
    scenario = scenario_name(result, risk.scenario)
    figures = _risk_figures(risk)
    if risk.kind == "hollowed_stage":
        return _(
            "Stage {stage} is hollowed out in scenario {scenario}: {share} of its hours are freed "
            "(more than half); intermediate functions may disappear."
        ).format(stage=stage_name(result, risk.subject), scenario=scenario, **figures)
    from .analysis.gains import VENDOR_HHI

    return _(
        "In scenario {scenario}, {share} of the hours freed with a named AI provider depend on {provider} "
        "(Herfindahl index {hhi}, above {limit}; {covered} of all freed hours name a provider): a single "
        "vendor's prices or outages would hit the whole plan."
    ).format(scenario=scenario, provider=risk.subject, limit=format_number(VENDOR_HHI, 1), **figures)


def _per_scenario(values: list[tuple[str, str]]) -> str:
    """One figure when every scenario has the same, else each with its scenario: ``53 % (Central), 61 % (Bold)``."""
    if len({v for _name, v in values}) == 1:
        return values[0][1]
    return ", ".join(_("{value} ({scenario})").format(value=v, scenario=name) for name, v in values)


def risk_groups(result: AnalysisResult) -> list[tuple[str, str]]:
    """Each risk once: ``(label, text)`` per kind and subject, the label naming the scenarios it appears in.

    A risk raised by several scenarios (the same stage hollowed out, the same vendor) is one line whose
    figures (from each risk's evidence) are given once when the scenarios agree, else scenario by
    scenario; groups keep the order of their first appearance.
    """
    groups: dict[tuple[str, str], list[Risk]] = {}
    for risk in result.risks:
        groups.setdefault((risk.kind, risk.subject), []).append(risk)
    out = []
    for (kind, subject), risks in groups.items():
        scen_names = [scenario_name(result, r.scenario) for r in risks]
        if len(risks) == 1:
            out.append((_("Scenario {name}").format(name=scen_names[0]), risk_text(result, risks[0])))
            continue
        per_risk = [_risk_figures(r) for r in risks]
        figures = {key: _per_scenario([(name, f[key]) for name, f in zip(scen_names, per_risk, strict=True)])
                   for key in per_risk[0]}
        if kind == "hollowed_stage":
            text = _("Stage {stage} is hollowed out: {share} of its hours are freed (more than half); intermediate "
                     "functions may disappear.").format(stage=stage_name(result, subject), **figures)
        else:
            from .analysis.gains import VENDOR_HHI

            text = _(
                "{share} of the hours freed with a named AI provider depend on {provider} (Herfindahl index "
                "{hhi}, above {limit}; {covered} of all freed hours name a provider): a single vendor's prices "
                "or outages would hit the whole plan."
            ).format(provider=subject, limit=format_number(VENDOR_HHI, 1), **figures)
        out.append((_("Scenarios {names}").format(names=", ".join(scen_names)), text))
    return out


def note_text(result: AnalysisResult, note: Note) -> str:
    """A caveat about the figures, from its kind and evidence (keys: :class:`~relmap.analysis.result.Note`)."""
    ev = note.evidence
    if note.kind == "missing_costs":
        return _("Some activities have no hourly cost and the company gives no default: their value "
                 "figures count as 0.")
    if note.kind == "unusual_fte":
        return _("Activity {id} counts {fte} FTE: more than any company; check the unit if this is "
                 "not a whole sector.").format(id=ev.get("activity", ""), fte=format_number(float(ev.get("fte", 0))))
    return _("The transfer {source} → {target} is not used: {target} is not a relational good "
             "(relational index below the threshold).").format(source=ev.get("from", ""), target=ev.get("to", ""))


def scenario_notes(result: AnalysisResult, scen: ScenarioResult) -> list[str]:
    """What the reader must know about a scenario's figures, from its note codes (``ScenarioResult.notes``)."""
    out: list[str] = []
    for code in scen.notes:
        if code == "recognition_to_savings":
            out.append(_("Scenario {name}: no activity is a relational good, so the recognition share has no one "
                         "to pay; its hours go to savings.").format(name=scen.name))
        elif code == "training_gap":
            out.append(_("Scenario {name}: the moves need {needed} h of training but the training share gives "
                         "{given} h: a gap of {gap} h.").format(
                name=scen.name, needed=format_number(scen.training_needed),
                given=format_number(scen.training_hours), gap=format_number(scen.training_gap)))
        elif code == "unplaced_kept":
            out.append(_("Scenario {name}: {hours} h of the reinvestment could not be placed; with policy "
                         "'unplaced: keep' the people stay, as slack, and these hours are not counted as "
                         "savings.").format(name=scen.name, hours=format_number(scen.line("unplaced")[0])))
    return out


def default_notes(result: AnalysisResult) -> list[str]:
    """One sentence per version 1.1 default the file relies on (``result.defaults_applied``)."""
    texts = {
        "relational_dividend": _("Default applied: the hours AI frees inside a relational good stay there (policy "
                                 "relational_dividend: all); set 'share' to split them like other hours."),
        "unplaced": _("Default applied: reinvestment hours no relational good can take count as savings (policy "
                      "unplaced: savings); set 'keep' to keep the people as slack."),
        "exposure_rater": _("Default applied: occupation priors combine the GPT-4 and human raters (assumptions "
                            "exposure_rater: both)."),
        "exposure_time_saving": _("Default applied: AI saves half the time of an exposed task, up to 80 % in the "
                                  "high case (assumptions exposure_time_saving: low 0.5, mode 0.5, high 0.8)."),
        "ai_costs": _("No scenario gives AI costs: net savings count the AI as free. Add scenarios[].costs "
                      "(one_off, yearly, per_user_year)."),
    }
    return [texts[code] for code in result.defaults_applied if code in texts]


def notes_text(result: AnalysisResult) -> list[str]:
    """Every note a summary shows, in order: the figures' caveats, each scenario's, then the defaults applied."""
    return ([note_text(result, n) for n in result.notes]
            + [text for scen in result.scenarios.values() for text in scenario_notes(result, scen)]
            + default_notes(result))


def input_label(entry: SensitivityEntry) -> str:
    """The input's name in the current language (an activity: "Automatability: <name>")."""
    names = {
        "adoption": _("AI adoption"),
        "reinvest": _("Reinvest share"),
        "recognition": _("Recognition share"),
        "training": _("Training share"),
        "community": _("Community share"),
        "max_increase": _("Maximum growth of a relational good"),
        "tau_a": _("Automatable threshold"),
        "tau_r": _("Relational threshold"),
        "exposure_time_saving": _("Time saved on exposed tasks"),
        "exposure_rater": _("Exposure rater"),
        "hourly_cost": _("Hourly costs"),
        "ai_cost": _("AI costs"),
        "mobility": _("Mobility rule"),
    }
    if entry.input.startswith("activity:"):
        return _("Automatability: {name}").format(name=entry.label)
    return names.get(entry.input, entry.label)


def value_label(entry: SensitivityEntry, side: str, lang: str) -> str:
    """The value tried on one side, as the reader writes it (× factors for costs, words for rules)."""
    raw = entry.low if side == "low" else entry.high
    if entry.input in ("hourly_cost", "ai_cost"):
        with language(lang):
            return "×" + format_number(float(raw), 1)
    words = {"gpt4": "GPT-4", "human": _("human raters"), "any": _("any"), "stage": _("same stage"),
             "adjacent": _("adjacent")}
    if raw in words:
        return words[raw]
    try:
        number = float(raw)
    except ValueError:
        return raw
    with language(lang):
        return format_number(number, 2)
