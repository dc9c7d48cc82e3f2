"""Sections of the report: summary, chain, matrix, relational goods, candidates, scenarios, plan, risks.

Each builder returns a :class:`~relmap.report.content.Section` of translated,
formatted text; each figure says where it comes from (input or formula).
"""

from __future__ import annotations

from .. import vocabulary as lb
from ..analysis.result import ActivityResult, AnalysisResult, ScenarioResult
from ..i18n import _, format_number, format_percent, ngettext
from .blocks import Figure, Item, KeyFigure, Section, Table, fte, hours, money, score, spread


def goods(result: AnalysisResult) -> list[ActivityResult]:
    """Relational goods, most relational first."""
    return sorted(
        (a for a in result.activities if a.relational_good), key=lambda a: (-a.relational_index, a.id)
    )


def balance_formula(line: str) -> str:
    """How a balance line is computed, in words."""
    formulas = {
        "kept": _("hours freed inside relational goods (relational dividend)"),
        "reinvested": _("reinvest share × other hours freed, placed by minimum-cost flow"),
        "unplaced": _("reinvest share × other hours freed that no relational good could take"),
        "recognition": _("recognition share × other hours freed (their value funds the premium)"),
        "training": _("training share × other hours freed"),
        "community": _("community share × other hours freed"),
        "savings": _("the rest × other hours freed"),
    }
    return formulas.get(line, "")


def net_formula(result: AnalysisResult) -> str:
    """The net savings formula under the file's ``policy.unplaced``."""
    if result.policy.get("unplaced") == "keep":
        return _("value of savings − AI cost (unplaced hours stay, as slack)")
    return _("value of savings + value of unplaced hours − AI cost")


def key_figures(result: AnalysisResult, scen: ScenarioResult) -> list[KeyFigure]:
    """Headline figures of the lead scenario, each with its formula."""
    unc = scen.uncertainty or {}
    freed_detail = _("Σ h × a × adoption over activities not kept human")
    if "hours_freed" in unc:
        p = unc["hours_freed"]
        freed_detail += " · " + _("P10–P90: {p10}–{p90} h").format(p10=hours(p.p10), p90=hours(p.p90))
    return [
        KeyFigure(_("Hours AI could free per year"), hours(scen.hours_freed), freed_detail),
        KeyFigure(_("FTE freed"), fte(scen.fte_freed), _("hours freed / hours per FTE")),
        KeyFigure(
            _("Value freed per year"), money(result, scen.value_freed), _("Σ hours freed × hourly cost")
        ),
        KeyFigure(
            _("Kept in relational goods"), hours(scen.hours_kept),
            _("hours freed inside relational goods, given back to the relation"),
        ),
        KeyFigure(
            _("Hours reinvested in relational goods"),
            hours(scen.hours_reinvested),
            _("reinvest share × other hours freed, placed by minimum-cost flow"),
        ),
        KeyFigure(
            _("Recognition paid"), money(result, scen.recognition.value),
            _("recognition share × value freed outside relational goods"),
        ),
        KeyFigure(_("AI cost per year"), money(result, scen.ai_cost), _("yearly + per user × users")),
        KeyFigure(_("Net savings per year"), money(result, scen.net_savings), net_formula(result)),
    ]


def balance_table(result: AnalysisResult, scen: ScenarioResult) -> Table:
    """Where every freed hour and its value go (the balance), then AI cost and net savings."""
    total_h = scen.hours_freed
    rows = [[lb.balance_label(b.line), hours(b.hours), format_percent(b.hours / total_h if total_h else 0.0),
             money(result, b.value), balance_formula(b.line)] for b in scen.balance]
    rows.append([_("Hours AI could free"), hours(scen.hours_freed), format_percent(1.0 if total_h else 0.0),
                 money(result, scen.value_freed), _("Σ of the lines above")])
    rows.append([_("AI cost per year"), "", "", money(result, -scen.ai_cost),
                 _("yearly {yearly} + {per_user} per user × {users} users (FTE in activities AI frees "
                   "hours in)").format(
                     yearly=money(result, scen.costs.get("yearly", 0.0)),
                     per_user=money(result, scen.costs.get("per_user_year", 0.0)), users=fte(scen.users))])
    rows.append([_("Net savings per year"), "", "", money(result, scen.net_savings), net_formula(result)])
    return Table([_("Line"), _("Hours"), _("Share"), _("Value"), _("How it is computed")], rows,
                 [False, True, True, True, False],
                 caption=_("Balance of scenario {name}: every freed hour and its value").format(name=scen.name))


def summary_section(result: AnalysisResult, scen: ScenarioResult) -> Section:
    """Executive summary: five sentences a partner can read out."""
    total = sum(a.hours for a in result.activities)
    good_list = goods(result)
    good_hours = sum(a.hours for a in good_list)
    hpf = result.hours_per_fte
    n_flags = sum(len(a.flags) for a in result.activities)
    n_risks = len({(r.kind, r.subject) for r in result.risks})  # each said once (see risks_section)
    items = [
        Item(
            "",
            ngettext("{n} activity", "{n} activities", len(result.activities)).format(
                n=format_number(len(result.activities))
            )
            + " · "
            + _("{hours} hours a year ({fte} FTE)").format(hours=hours(total), fte=fte(total / hpf)),
        ),
        Item(
            _("Relational goods"),
            ngettext(
                "{n} relational good carries {share} of the hours: {names}.",
                "{n} relational goods carry {share} of the hours: {names}.",
                len(good_list),
            ).format(
                n=format_number(len(good_list)),
                share=format_percent(good_hours / total if total else 0.0),
                names=", ".join(a.name for a in good_list[:5])
                + (f" (+{len(good_list) - 5})" if len(good_list) > 5 else ""),
            )
            if good_list
            else _("No activity reaches the relational threshold."),
        ),
        Item(
            _("Scenario {name}").format(name=scen.name),
            _("AI could free {hours} hours a year ({fte} FTE, {value}) at an adoption of {adoption}.").format(
                hours=hours(scen.hours_freed),
                fte=fte(scen.fte_freed),
                value=money(result, scen.value_freed),
                adoption=format_percent(scen.adoption),
            ),
        ),
        Item(
            _("Reinvestment"),
            _(
                "{kept} hours stay in relational goods as time given back to the relation, {reinvested} "
                "more move into them from other activities, {unplaced} hours of the reinvestment could not "
                "be placed. The AI costs {cost} a year; net savings are {net}."
            ).format(
                kept=hours(scen.hours_kept),
                reinvested=hours(scen.hours_reinvested),
                unplaced=hours(scen.line("unplaced")[0]),
                cost=money(result, scen.ai_cost),
                net=money(result, scen.net_savings),
            ),
        ),
        Item(
            _("Risks"),
            ngettext("{n} risk", "{n} risks", n_risks).format(n=format_number(n_risks))
            + ", "
            + ngettext("{n} flag on activities", "{n} flags on activities", n_flags).format(n=format_number(n_flags))
            + " "
            + _("(see Risks)."),
        ),
    ]
    return Section("summary", _("Executive summary"), items=items,
                   notes=[lb.note_text(result, n) for n in result.notes] + lb.scenario_notes(result, scen)
                   + lb.default_notes(result))


def chain_section(result: AnalysisResult) -> Section:
    """The value chain diagram and the count of activities per quadrant."""
    rows = []
    for quadrant, ids in result.quadrants.items():
        acts = [result.activity(i) for i in ids]
        rows.append(
            [
                lb.quadrant_label(quadrant),
                str(len(acts)),
                hours(sum(a.hours for a in acts)),
                lb.quadrant_meaning(quadrant),
            ]
        )
    table = Table(
        [_("Quadrant"), _("Activities"), _("Hours"), _("Meaning")], rows, [False, True, True, False]
    )
    fig = Figure(
        "value-chain",
        _("Value chain"),
        _(
            "Stages as columns, actors outside; colour = quadrant; relational goods are marked; "
            "freed → reinvested hours annotated."
        ),
    )
    return Section("value-chain", _("The value chain"), figures=[fig], tables=[table])


def matrix_section(result: AnalysisResult) -> Section:
    """The automatability × relational matrix and how quadrants are drawn."""
    th = result.thresholds
    fig = Figure(
        "matrix",
        _("Automatability × relational matrix"),
        _("Each bubble is an activity; its size is its hours."),
    )
    text = _("An activity is automatable when a ≥ {ta} and a relational good when r ≥ {tr}.").format(
        ta=score(th.get("automatable", 0.5)), tr=score(th.get("relational", 0.5))
    )
    return Section("matrix", _("Where AI could free hours"), paragraphs=[text], figures=[fig])


def goods_section(result: AnalysisResult, scen: ScenarioResult) -> Section:
    """Relational goods with their graph evidence."""
    rows = []
    for a in goods(result):
        m = a.metrics
        dist = "—" if m.customer_distance is None else str(m.customer_distance)
        rows.append(
            [
                a.name,
                lb.stage_name(result, a.stage),
                hours(a.hours),
                score(a.relational_index),
                lb.quadrant_label(a.quadrant),
                _("yes") if m.touchpoint else _("no"),
                dist,
                score(m.betweenness),
                format_percent(m.customer_reach),
                hours(a.by_scenario[scen.id].hours_received) if scen.id in a.by_scenario else "—",
                lb.activity_flags(a),
            ]
        )
    cols = [
        _("Activity"),
        _("Stage"),
        _("Hours"),
        _("Relational index"),
        _("Quadrant"),
        _("Touchpoint"),
        _("Distance to customer"),
        _("Betweenness"),
        _("Customer reach"),
        _("Receives (h)"),
        _("Flags"),
    ]
    table = Table(cols, rows, [False, False, True, True, False, False, True, True, True, True, False])
    intro = _(
        "A relational good (r ≥ {tr}) exists only between identified people. The graph evidence says "
        "where it sits: in contact with an actor (touchpoint), how many steps from a customer, how "
        "much of the chain passes through it (betweenness), and the share of paths to customers that "
        "cross a relational good (customer reach)."
    ).format(tr=score(result.thresholds.get("relational", 0.5)))
    if not rows:
        return Section("relational-goods", _("Relational goods"), paragraphs=[intro, _("None.")])
    return Section("relational-goods", _("Relational goods"), paragraphs=[intro], tables=[table])


def candidates_section(result: AnalysisResult, scen: ScenarioResult) -> Section:
    """Activities AI can take over or augment, by hours freed in the lead scenario."""
    acts = [a for a in result.activities if a.quadrant in ("automate", "augment")]
    acts.sort(key=lambda a: (-a.by_scenario[scen.id].hours_freed if scen.id in a.by_scenario else 0, a.id))
    rows = []
    for a in acts:
        s = a.by_scenario.get(scen.id)
        r = a.automatability_range
        conf = "—" if s is None or s.confidence is None else format_percent(s.confidence)
        rows.append(
            [
                a.name,
                lb.quadrant_label(a.quadrant),
                spread(r.low, r.point, r.high),
                lb.source_label(a.automatability_source),
                hours(s.hours_freed if s else 0),
                money(result, s.value_freed if s else 0),
                conf,
            ]
        )
    cols = [
        _("Activity"),
        _("Quadrant"),
        _("Automatability"),
        _("Source"),
        _("Hours freed"),
        _("Value freed"),
        _("Confidence"),
    ]
    intro = _(
        "Scenario {name}. Hours freed = h × a × adoption; confidence = share of Monte Carlo draws in "
        "which the activity stays in its quadrant."
    ).format(name=scen.name)
    if not rows:
        return Section("automation", _("Automation candidates"), paragraphs=[intro, _("None.")])
    return Section(
        "automation",
        _("Automation candidates"),
        paragraphs=[intro],
        tables=[Table(cols, rows, [False, False, True, False, True, True, True])],
    )


def _scenario_rows(result: AnalysisResult) -> list[tuple[str, str, list[str]]]:
    """(metric, how it is computed, one value per scenario)."""
    scens = list(result.scenarios.values())

    def row(label: str, how: str, fmt: list[str]) -> tuple[str, str, list[str]]:
        return label, how, fmt

    rows = [
        row(
            _("Adoption"),
            _("input: scenarios[].adoption"),
            [spread(s.adoption_range.low, s.adoption_range.point, s.adoption_range.high) for s in scens],
        ),
        row(_("Hours AI could free"), _("Σ h × a × adoption"), [hours(s.hours_freed) for s in scens]),
    ]
    for key, label in (
        ("hours_freed", _("Hours freed P10 / P50 / P90")),
        ("hours_reinvested", _("Hours reinvested P10 / P50 / P90")),
        ("value_freed", _("Value freed P10 / P50 / P90")),
        ("net_savings", _("Net savings P10 / P50 / P90")),
        ("fte_no_longer_needed", _("FTE no longer needed P10 / P50 / P90")),
    ):
        if any(s.uncertainty and key in s.uncertainty for s in scens):
            cells = []
            for s in scens:
                p = (s.uncertainty or {}).get(key)
                if p is None:
                    cells.append("—")
                else:
                    vals = [p.p10, p.p50, p.p90]
                    show = (lambda v: money(result, v)) if key in ("value_freed", "net_savings") else (
                        fte if key == "fte_no_longer_needed" else hours)
                    cells.append(" / ".join(show(v) for v in vals))
            rows.append(row(label, _("Monte Carlo, correlated triangular draws"), cells))
    rows += [
        row(_("FTE freed"), _("hours freed / hours per FTE"), [fte(s.fte_freed) for s in scens]),
        row(
            _("Value freed"), _("Σ hours freed × hourly cost"), [money(result, s.value_freed) for s in scens]
        ),
    ]
    rows += [row(lb.balance_label(b), balance_formula(b), [hours(s.line(b)[0]) for s in scens])
             for b in ("kept", "reinvested", "unplaced", "recognition", "training", "community", "savings")]
    rows += [
        row(
            _("Recognition"),
            _("recognition share × value freed outside relational goods"),
            [money(result, s.recognition.value) for s in scens],
        ),
        row(
            _("Recognition per FTE"),
            _("recognition / FTE in relational goods"),
            [money(result, s.recognition.per_fte) for s in scens],
        ),
        row(
            _("Training needed by moves (h)"),
            _("training hours per FTE moved × FTE moved"),
            [hours(s.training_needed) for s in scens],
        ),
        row(_("Savings (value)"), _("value of the savings line"),
            [money(result, s.line("savings")[1]) for s in scens]),
        row(_("AI cost per year"), _("yearly + per user × users"), [money(result, s.ai_cost) for s in scens]),
        row(_("One-off AI cost"), _("input: scenarios[].costs.one_off"),
            [money(result, s.costs.get("one_off", 0.0)) for s in scens]),
        row(_("Net savings per year"), net_formula(result), [money(result, s.net_savings) for s in scens]),
    ]
    return rows


def scenarios_section(result: AnalysisResult) -> Section:
    """Every scenario side by side, with the formula of each line."""
    scens = list(result.scenarios.values())
    rows = [[label, *values, how] for label, how, values in _scenario_rows(result)]
    cols = [_("Figure"), *[s.name for s in scens], _("How it is computed")]
    numeric = [False, *[True] * len(scens), False]
    paras = []
    if result.uncertainty and result.uncertainty.uncertain_inputs:
        mc = result.uncertainty
        paras.append(
            _(
                "{n} inputs are ranges: P10 / P50 / P90 come from {draws} seeded Monte Carlo draws "
                "(seed {seed})."
            ).format(n=format_number(mc.uncertain_inputs), draws=format_number(mc.draws), seed=mc.seed)
        )
    return Section(
        "scenarios", _("Scenarios side by side"), paragraphs=paras, tables=[Table(cols, rows, numeric)]
    )


def reinvestment_section(result: AnalysisResult, scen: ScenarioResult) -> Section:
    """Where the lead scenario's freed hours and value go."""
    sh = scen.shares
    kept_h = scen.hours_kept
    items = [
        Item(
            _("Time given back to the relation"),
            _("{kept} h freed inside relational goods stay there (policy relational_dividend: {mode}).").format(
                kept=hours(kept_h), mode=str(result.policy.get("relational_dividend", "all"))),
        ),
        Item(
            _("More time in relational goods"),
            _("{share} of the other freed hours = {pool} h; {placed} h placed, {left} h not placed.").format(
                share=format_percent(sh.get("reinvest", 0.0)),
                pool=hours(scen.reinvest_pool),
                placed=hours(scen.hours_reinvested),
                left=hours(scen.unallocated),
            ),
        ),
        Item(
            _("Recognition pay"),
            _(
                "{share} of the other freed value = {value}: {per_fte} per FTE over {fte} FTE, {pct} of their cost."
            ).format(
                share=format_percent(sh.get("recognition", 0.0)),
                value=money(result, scen.recognition.value),
                per_fte=money(result, scen.recognition.per_fte),
                fte=fte(scen.recognition.beneficiary_fte),
                pct=format_percent(scen.recognition.pct_of_cost, 1),
            ),
        ),
        Item(
            _("Training"),
            _("{share} of the other freed hours = {hours} h; the moves need {needed} h.").format(
                share=format_percent(sh.get("training", 0.0)),
                hours=hours(scen.training_hours),
                needed=hours(scen.training_needed),
            ),
        ),
        Item(
            _("Skills volunteering"),
            _("{share} of the other freed hours = {hours} h given to the community.").format(
                share=format_percent(sh.get("community", 0.0)), hours=hours(scen.community_hours)
            ),
        ),
        Item(
            _("Net savings"),
            _("{hours} h of savings worth {value}, minus an AI cost of {cost} a year: {net}.").format(
                hours=hours(scen.savings.get("hours", 0.0)),
                value=money(result, scen.savings.get("value", 0.0)),
                cost=money(result, scen.ai_cost),
                net=money(result, scen.net_savings),
            ),
        ),
    ]
    fig = Figure("reinvestment", _("Where freed hours go"), _("Scenario {name}.").format(name=scen.name))
    tables = [balance_table(result, scen)]
    if scen.allocation:
        rows = [
            [
                lb.names(result, al.from_),
                lb.names(result, al.to),
                hours(al.hours),
                lb.via_label(al.via),
                hours(al.training_hours),
            ]
            for al in scen.allocation
        ]
        tables.append(
            Table(
                [_("From"), _("To"), _("Hours"), _("How"), _("Training (h)")],
                rows,
                [False, False, True, False, True],
                caption=_("Allocation of the reinvestment pool"),
            )
        )
    receivers = [a for a in goods(result) if scen.id in a.by_scenario]
    if receivers:
        rows = []
        for a in receivers:
            s = a.by_scenario[scen.id]
            rows.append(
                [
                    a.name,
                    hours(a.hours),
                    hours(s.capacity),
                    hours(s.hours_received),
                    format_percent(s.hours_received / s.capacity if s.capacity else 0.0),
                    money(result, s.recognition_value),
                ]
            )
        tables.append(
            Table(
                [
                    _("Relational good"),
                    _("Hours"),
                    _("Capacity (h)"),
                    _("Receives (h)"),
                    _("Filled"),
                    _("Recognition"),
                ],
                rows,
                [False, True, True, True, True, True],
                caption=_("What each relational good receives"),
            )
        )
    note = _(
        "Capacity = max_increase × hours = {max} × hours; it bounds what a good receives from other "
        "activities, not the hours it keeps. Placed + not placed = reinvestment pool."
    ).format(max=score(float(result.policy.get("max_increase", 0.3))))
    return Section(
        "reinvestment", _("Reinvestment plan"), figures=[fig], items=items, tables=tables,
        notes=[note, *lb.scenario_notes(result, scen)]
    )


def risks_section(result: AnalysisResult) -> Section:
    """Each risk once, with the scenarios it appears in (:func:`relmap.vocabulary.risk_groups`), then flags
    by activity."""
    items = [Item(label, text) for label, text in lb.risk_groups(result)]
    for act in result.activities:
        for flag in act.flags:
            items.append(Item(f"{act.name} — {lb.flag_label(flag.kind)}", lb.flag_text(result, flag)))
    paras = [] if items else [_("No risk or flag found.")]
    return Section("risks", _("Risks"), paragraphs=paras, items=items)
