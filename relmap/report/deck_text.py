"""The words of the deck: a message title, a kicker and speaker notes per slide, computed from the results.

Why a module of its own: a partner's slide says its conclusion in the title
("AI could free 23,176 h a year; 60% of the hours are relational work"), with
the section name as a small kicker above, and the notes say where the figure
comes from (formula and inputs) and what it does not say (exposure is not
automation; ranges). :mod:`relmap.report.pptx` only lays these texts out.

Every function reads the current language (:func:`relmap.i18n.language`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis.result import ActivityResult, AnalysisResult, ScenarioResult
from ..i18n import _, format_number, format_percent, ngettext
from ..vocabulary import flag_label, flag_text, names, quadrant_label, risk_groups, stage_name
from .blocks import hours, money


@dataclass
class SlideText:
    """What a slide says: the kicker (section name), the message title and the speaker notes."""

    kicker: str
    title: str
    notes: list[str] = field(default_factory=list)

    def notes_text(self) -> str:
        """The notes as paragraphs."""
        return "\n\n".join(n for n in self.notes if n)


def h(value: float) -> str:
    """Hours with the unit: ``23,176 h`` / ``23 176 h``."""
    return hours(value) + "\u00a0h"


def _exposure_caveat() -> str:
    return _("Caveat: automatability is technical exposure to AI, not a forecast of automation; what is freed "
             "depends on adoption, which each scenario sets.")


def _range_note(scen: ScenarioResult, key: str) -> str:
    """``P10–P90: a–b h`` when the figure is a range (Monte Carlo), else that it is a point estimate."""
    p = (scen.uncertainty or {}).get(key)
    if p is None:
        return _("All inputs behind this figure are single values: it is a point estimate.")
    return _("Inputs given as ranges make this figure a range: P10–P90 {low}–{high} h (median {mid} h).").format(
        low=hours(p.p10), high=hours(p.p90), mid=hours(p.p50))


def total_hours(result: AnalysisResult) -> float:
    """Σ hours of all activities."""
    return sum(a.hours for a in result.activities)


def goods_share(result: AnalysisResult) -> float:
    """Share of the hours in relational goods: ``Σ h(goods) / Σ h`` (0 without hours)."""
    total = total_hours(result)
    return sum(a.hours for a in result.activities if a.relational_good) / total if total else 0.0


def figures_text(result: AnalysisResult, scen: ScenarioResult) -> SlideText:
    """Key figures: hours freed and the share of the work that is relational."""
    share = goods_share(result)
    title = _("AI could free {hours} a year; {share} of the hours are relational work").format(
        hours=h(scen.hours_freed), share=format_percent(share))
    notes = [
        _("What it shows: the lead scenario {name} in eight figures, each with its formula under it.").format(
            name=scen.name),
        _("Headline: hours freed = Σ hours × automatability × adoption over the activities not kept human = "
          "{freed}; adoption {adoption}. Relational share = hours of relational goods / all hours = {good} / "
          "{total}.").format(freed=h(scen.hours_freed), adoption=format_percent(scen.adoption),
                              good=h(total_hours(result) * share), total=h(total_hours(result))),
        _range_note(scen, "hours_freed"),
        _exposure_caveat(),
    ]
    return SlideText(_("Key figures"), title, notes)


def chain_text(result: AnalysisResult, scen: ScenarioResult, aggregated: bool, details: bool) -> SlideText:
    """Value chain overview: how many relational goods, where, and the relays at risk (``details``: the stage
    slides follow)."""
    n_goods = len(result.relational_goods)
    risky = sum(1 for a in result.activities if any(f.kind == "bridge_at_risk" for f in a.flags))
    title = ngettext("{n} relational good carries {share} of the hours",
                     "{n} relational goods carry {share} of the hours", n_goods).format(
        n=format_number(n_goods), share=format_percent(goods_share(result)))
    if risky:
        relays = ngettext("{n} human relay is at risk", "{n} human relays are at risk", risky).format(
            n=format_number(risky))
        title = _("{first}; {second}").format(first=title, second=relays)
    notes = [
        _("What it shows: the stages left to right, suppliers and customers beside or below, colour = quadrant, "
          "♥ and bold border = relational good; −h freed by AI → +h reinvested, scenario {name}.").format(
            name=scen.name),
        _("Formula: a relational good has a relational index r ≥ {tr}; r is the weighted mean of the seven "
          "rubric scores (or the level given). A human relay at risk is an automatable activity between two "
          "relational goods.").format(tr=format_number(result.thresholds.get("relational", 0.5), 2)),
    ]
    if aggregated and details:
        notes.append(_("In detail the chain would put its text under 7 pt on a slide, so this overview has one "
                       "box per stage; the next slides show each stage in detail."))
    elif aggregated:
        notes.append(_("In detail the chain would put its text under 7 pt on a slide, so this overview has one "
                       "box per stage; draw a stage in detail with: relmap render FILE -o DIR --stage ID."))
    notes.append(_exposure_caveat())
    return SlideText(_("The value chain"), title, notes)


def stage_text(result: AnalysisResult, scen: ScenarioResult, stage_id: str,
               part: tuple[int, int, list[str]] | None = None) -> SlideText:
    """One stage in detail: its activities and the share of its hours AI frees.

    ``part``: ``(k, n, activity ids)`` when the stage is drawn over ``n`` slides, this one the ``k``-th.
    """
    acts = [a for a in result.activities if a.stage == stage_id]
    row = scen.by_stage.get(stage_id, {})
    freed, total = row.get("hours_freed", 0.0), row.get("hours", sum(a.hours for a in acts))
    title = ngettext("{stage}: {n} activity, AI frees {hours} ({share} of its hours)",
                     "{stage}: {n} activities, AI frees {hours} ({share} of its hours)", len(acts)).format(
        stage=stage_name(result, stage_id), n=format_number(len(acts)), hours=h(freed),
        share=format_percent(freed / total if total else 0.0))
    goods = [a.name for a in acts if a.relational_good]
    notes = [
        _("What it shows: stage {stage} in detail, its neighbours collapsed to one box each; scenario {name}.")
        .format(stage=stage_name(result, stage_id), name=scen.name),
        _("Formula: hours freed in the stage = Σ hours × automatability × adoption of its activities = {freed} "
          "of {total}.").format(freed=h(freed), total=h(total)),
        (_("Relational goods here: {names}.").format(names=", ".join(goods)) if goods
         else _("No relational good in this stage.")),
        _exposure_caveat(),
    ]
    if part is not None:
        k, n, ids = part
        title = _("{title} (part {k} of {n})").format(title=title, k=format_number(k), n=format_number(n))
        drawn = {a.id: a.name for a in acts}
        notes.insert(1, _("Part {k} of {n}: drawn on a slide of its own so that no text is under 7 pt; this slide "
                          "draws {names}. The stage's other activities are on the other part slides (one box, "
                          "“the rest of the stage”, where a flow joins them to these).").format(
            k=format_number(k), n=format_number(n), names=", ".join(drawn[i] for i in ids if i in drawn)))
    return SlideText(_("The value chain — stage in detail"), title, notes)


def matrix_text(result: AnalysisResult) -> SlideText:
    """Matrix: how many activities in each quadrant."""
    count = {q: len(ids) for q, ids in result.quadrants.items()}
    a, b, c = count.get("automate", 0), count.get("augment", 0), count.get("relational_core", 0)
    title = _("{automate}, {augment}, {core}").format(
        automate=ngettext("{n} activity AI could take over", "{n} activities AI could take over", a).format(
            n=format_number(a)),
        augment=ngettext("{n} to augment", "{n} to augment", b).format(n=format_number(b)),
        core=ngettext("{n} relational core to keep human", "{n} relational cores to keep human", c).format(
            n=format_number(c)))
    th = result.thresholds
    notes = [
        _("What it shows: each activity at (automatability, relational index), bubble area = hours, whiskers = "
          "range of the inputs."),
        _("Formula: automate when a ≥ {ta} and r < {tr}; augment when a ≥ {ta} and r ≥ {tr}; relational core "
          "when a < {ta} and r ≥ {tr}; sustain otherwise. Counts: {counts}.").format(
            ta=format_number(th.get("automatable", 0.5), 2), tr=format_number(th.get("relational", 0.5), 2),
            counts=", ".join(f"{quadrant_label(q)} {format_number(n)}" for q, n in count.items())),
        _exposure_caveat(),
    ]
    return SlideText(_("What AI can take over"), title, notes)


def goods_text(result: AnalysisResult, scen: ScenarioResult, goods: list[ActivityResult]) -> SlideText:
    """Relational goods: the first one and what they receive."""
    received = sum(scen.received.values())
    if goods:
        title = ngettext("{first} is the one relational good; it receives {hours} in scenario {name}",
                         "{first} leads {n} relational goods; they receive {hours} in scenario {name}",
                         len(goods)).format(first=goods[0].name, n=format_number(len(goods)), hours=h(received),
                                            name=scen.name)
    else:
        title = _("No activity reaches the relational threshold ({tr})").format(
            tr=format_number(result.thresholds.get("relational", 0.5), 2))
    notes = [
        _("What it shows: the relational goods, most relational first, with their graph evidence."),
        _("Formula: received = hours placed in the good by the minimum-cost flow, within max_increase × its "
          "hours; Σ received = {hours} = hours reinvested.").format(hours=h(received)),
        _range_note(scen, "hours_reinvested"),
    ]
    return SlideText(_("Relational goods"), title, notes)


def candidates_text(result: AnalysisResult, scen: ScenarioResult, shown: list[ActivityResult]) -> SlideText:
    """Automation candidates: what the top ones free, as a share of all freed hours."""
    top = sum(a.by_scenario[scen.id].hours_freed for a in shown if scen.id in a.by_scenario)
    share = top / scen.hours_freed if scen.hours_freed else 0.0
    title = ngettext("The top candidate frees {hours} a year, {share} of the hours freed",
                     "The top {n} candidates free {hours} a year, {share} of the hours freed", len(shown)).format(
        n=format_number(len(shown)), hours=h(top), share=format_percent(share))
    notes = [
        _("What it shows: the activities AI can take over or augment, ranked by hours freed in scenario {name}.")
        .format(name=scen.name),
        _("Formula: hours freed = hours × automatability × adoption ({adoption}); value = hours freed × hourly "
          "cost. Confidence = share of Monte Carlo draws in which the activity stays in its quadrant.").format(
            adoption=format_percent(scen.adoption)),
        _exposure_caveat(),
    ]
    return SlideText(_("Automation candidates"), title, notes)


def scenarios_text(result: AnalysisResult) -> SlideText:
    """Scenarios compared: the spread of hours freed."""
    scens = sorted(result.scenarios.values(), key=lambda s: (s.hours_freed, s.id))
    low, high = scens[0], scens[-1]
    if len(scens) == 1:
        title = _("One scenario: {name} frees {hours} a year").format(name=low.name, hours=h(low.hours_freed))
    else:
        title = _("Hours freed range from {low} ({low_name}) to {high} ({high_name})").format(
            low=h(low.hours_freed), low_name=low.name, high=h(high.hours_freed), high_name=high.name)
    notes = [
        _("What it shows: every scenario side by side, one line per figure."),
        _("Formula: hours freed = Σ hours × automatability × adoption; the scenarios differ by adoption and by "
          "how the freed hours are shared (reinvest, recognition, training, community, net savings)."),
        _("Caveat: scenarios are assumptions to compare, not forecasts; figures given as P10 / P50 / P90 come "
          "from ranges in the inputs."),
    ]
    return SlideText(_("Scenarios side by side"), title, notes)


def reinvest_text(result: AnalysisResult, scen: ScenarioResult) -> SlideText:
    """Reinvestment: what stays in or goes back to relational goods in the named scenario, and the net."""
    relational = scen.hours_kept + scen.hours_reinvested
    share = relational / scen.hours_freed if scen.hours_freed else 0.0
    title = _("{name}: {hours} stay in or go to relational goods ({share} of the hours AI could free); "
              "net savings {net} a year").format(
        name=scen.name, hours=h(relational), share=format_percent(share), net=money(result, scen.net_savings))
    notes = [
        _("What it shows: where the {freed} freed in scenario {name} go, chart and bullets alike.").format(
            freed=h(scen.hours_freed), name=scen.name),
        _("Formula: kept = hours freed inside relational goods = {kept}; reinvestment pool = reinvest share × the "
          "other hours freed = {pool}; placed in relational goods by a minimum-cost flow = {placed}; unplaced = "
          "pool − placed = {left}. Net savings = value of savings (+ unplaced) − AI cost {cost} = {net}.").format(
            kept=h(scen.hours_kept), pool=h(scen.reinvest_pool), placed=h(scen.hours_reinvested),
            left=h(scen.unallocated), cost=money(result, scen.ai_cost), net=money(result, scen.net_savings)),
        _range_note(scen, "hours_reinvested"),
    ]
    return SlideText(_("Reinvestment plan"), title, notes)


@dataclass
class RiskLine:
    """A risk or a group of flags for the deck, said once."""

    label: str
    text: str


def risk_lines(result: AnalysisResult, most: int | None = None) -> list[RiskLine]:
    """Risks said once: one line per (kind, subject) with the scenarios it appears in (as in the report:
    :func:`relmap.vocabulary.risk_groups`), then one per flag kind naming every activity that carries it, or
    its first ``most`` and how many more (the terminal: a line of 78 names is no summary).
    """
    lines = [RiskLine(label, text) for label, text in risk_groups(result)]
    by_kind: dict[str, list[ActivityResult]] = {}
    for act in result.activities:
        for flag in act.flags:
            by_kind.setdefault(flag.kind, []).append(act)
    for kind, acts in by_kind.items():
        first = next(f for f in acts[0].flags if f.kind == kind)
        ids = [a.id for a in acts]
        listed = names(result, ids)
        if most is not None and len(ids) > most:
            more = len(ids) - most
            listed = ngettext("{names} and {n} more", "{names} and {n} more", more).format(
                names=names(result, ids[:most]), n=format_number(more))
        text = (flag_text(result, first) if len(acts) == 1
                else _("{names}. Example: {example}").format(names=listed, example=flag_text(result, first)))
        lines.append(RiskLine(f"{flag_label(kind)} ({format_number(len(acts))})",
                              (acts[0].name + " — " + text) if len(acts) == 1 else text))
    return lines


def risks_text(result: AnalysisResult, lines: list[RiskLine]) -> SlideText:
    """Risks: how many distinct risks and flagged activities."""
    n_risks = len({(r.kind, r.subject) for r in result.risks})
    n_flagged = sum(1 for a in result.activities if a.flags)
    title = _("{risks} and {flags} to watch").format(
        risks=ngettext("{n} distinct risk", "{n} distinct risks", n_risks).format(n=format_number(n_risks)),
        flags=ngettext("{n} flagged activity", "{n} flagged activities", n_flagged).format(
            n=format_number(n_flagged)))
    notes = [
        _("What it shows: each risk once, with the scenarios it appears in; flags grouped by kind."),
        _("Formula: a stage is hollowed out when AI frees more than half its hours; vendor concentration when "
          "the Herfindahl index of freed hours by AI provider exceeds 0.5; flags come from the flow graph."),
        _("Caveat: these are signals to discuss, not verdicts; the report lists every risk per scenario."),
    ]
    return SlideText(_("Risks"), title, notes)


def method_text(result: AnalysisResult) -> SlideText:
    """Method and assumptions (the one slide whose title carries no figure)."""
    notes = [
        _("What it shows: how every figure is computed and which inputs are assumptions."),
        _exposure_caveat(),
    ]
    return SlideText(_("Method"), _("Method and assumptions"), notes)




def people_text(result: AnalysisResult, scen: ScenarioResult) -> SlideText:
    """Who is affected: the work no longer needed and the roles at risk in the lead scenario."""
    rows = [(r, r.by_scenario[scen.id]) for r in result.roles if scen.id in r.by_scenario]
    at_risk = [r for r, s in rows if s.at_risk]
    losing = [r for r, s in rows if s.hours_freed > 0.5]
    title = _("{fte} FTE of work no longer needed in {name}; {n} of {m} roles at risk").format(
        fte=format_number(scen.fte_no_longer_needed, 1), name=scen.name, n=format_number(len(at_risk)),
        m=format_number(len(rows)))
    notes = [
        _("What it shows: one bar per role, its hours split into unchanged, kept in relational goods, redeployed, "
          "training, community and no longer needed; {n} roles lose hours to AI.").format(
            n=format_number(len(losing))),
        _("Formula: no longer needed = hours freed − kept − redeployed − training − community, per role; a role is "
          "at risk when that exceeds policy.role_risk of its hours. FTE = hours / hours per FTE."),
        _("Caveat: hours no longer needed are work, not people: who leaves, who is retrained and who takes "
          "the relational hours is a decision for the firm and its staff representatives."),
    ]
    return SlideText(_("Who is affected"), title, notes)


def sensitivity_text(result: AnalysisResult, scen: ScenarioResult) -> SlideText:
    """Sensitivity: the input whose range moves net savings most, by how much."""
    from ..vocabulary import input_label
    from .timeline import top_two_sentence

    entries = result.sensitivity
    first = entries[0]
    swing = abs(first.net_savings[1] - first.net_savings[0])
    title = _("{input} moves net savings by {swing} a year, more than any other assumption").format(
        input=input_label(first), swing=money(result, swing))
    notes = [
        _("What it shows: each input of scenario {name} moved alone to a low and a high value, the others "
          "unchanged; bars from the low to the high net savings around the base ({base}).").format(
            name=scen.name, base=money(result, scen.net_savings)),
        top_two_sentence(result),
        _("Caveat: one input at a time; inputs that move together (adoption and AI costs, say) can move the "
          "result further."),
    ]
    return SlideText(_("Sensitivity"), title, notes)


def trajectory_text(result: AnalysisResult, scen: ScenarioResult) -> SlideText:
    """The path over the years: payback and net present value."""
    years = len(scen.trajectory)
    npv = money(result, scen.npv or 0.0)
    if scen.payback_year is not None:
        title = _("{name} pays back in year {year}; net present value {npv} over {n} years").format(
            name=scen.name, year=scen.payback_year, npv=npv, n=years)
    else:
        title = _("{name} does not pay back within {n} years; net present value {npv}").format(
            name=scen.name, n=years, npv=npv)
    notes = [
        _("What it shows: adoption rising along an S-curve (or the file's adoption_path) to the horizon; each "
          "year solved at that adoption: hours freed, reinvested, no longer needed, and cumulative net savings."),
        _("Formula: net_t = value of savings (+ unplaced) − AI cost_t, AI cost_t = yearly + per user × users × "
          "adoption_t / adoption, + the one-off cost in year 1; NPV = Σ net_t / (1 + discount rate)^t; payback = "
          "the first year whose cumulative net savings are ≥ 0."),
    ]
    return SlideText(_("The path over the years"), title, notes)
