"""The summary ``relmap analyze`` prints in the terminal: rich tables in the current language, or Markdown.

Library first: a notebook calls :func:`print_summary` or :func:`markdown_summary`
on a result as the command does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import _, format_money, format_number, format_percent
from ..vocabulary import flag_label, quadrant_label, source_label, unplaced_label, via_label
from .sections import goods as sorted_goods

if TYPE_CHECKING:
    from rich.console import Console

    from ..analysis.result import AnalysisResult, ScenarioResult

#: how many rows the terminal tables show at most
TOP = 10
#: how many relational goods the terminal lists (every good of a consultant's chain; the strongest of an inventory)
GOODS_TOP = 25


def markdown_summary(result: AnalysisResult, lang: str, scenario: str | None) -> str:
    """The Markdown report (:func:`relmap.report.markdown.render_markdown`)."""
    from .markdown import render_markdown

    return render_markdown(result, lang=lang, scenario=scenario)


def _console() -> Console:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=140)
    return console


def print_summary(result: AnalysisResult, scenario: str) -> None:
    """The terminal summary: relational goods, automation candidates, scenarios, reinvestment, risks."""
    console = _console()
    n_goods = len(result.relational_goods)
    console.print(_("[bold]{company}[/bold] — {n} activities, {goods} relational goods").format(
        company=_escape(str(result.company["name"])), n=format_number(len(result.activities)),
        goods=format_number(n_goods)))
    console.print(_goods_table(result, scenario))
    console.print(_candidates_table(result, scenario))
    console.print(_scenarios_table(result))
    console.print(_balance_table(result, result.scenarios[scenario]))
    console.print(_allocation_table(result, result.scenarios[scenario]))
    _print_people(console, result, scenario)
    _print_risks(console, result)
    from ..vocabulary import notes_text

    for note in notes_text(result):
        console.print(_("Note: {note}").format(note=_escape(note)))
    if result.uncertainty is not None:
        mc = result.uncertainty
        console.print(_("Uncertainty: {inputs} inputs are ranges; Monte Carlo of {draws} draws, seed {seed}.").format(
            inputs=format_number(mc.uncertain_inputs), draws=format_number(mc.draws), seed=mc.seed))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _goods_table(result: AnalysisResult, scenario: str) -> object:
    from rich.table import Table

    from ..vocabulary import stage_name

    title = _("Relational goods (r ≥ {tau}; hours freed by AI in them, and received)").format(
        tau=format_number(result.thresholds["relational"], 2))
    table = Table(title=title, title_justify="left")
    for header, justify in ((_("activity"), "left"), (_("stage"), "left"), (_("r"), "right"),
                            (_("a"), "right"), (_("quadrant"), "left"), (_("hours"), "right"),
                            (_("freed"), "right"), (_("received"), "right"), (_("evidence"), "left")):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    goods = sorted_goods(result)
    if len(goods) > GOODS_TOP:
        table.caption = _("{n} more relational goods in report.html and analysis.json").format(
            n=format_number(len(goods) - GOODS_TOP))
    for act in goods[:GOODS_TOP]:
        m = act.metrics
        evidence = []
        if m.touches_customer:
            evidence.append(_("touches a customer"))
        elif m.customer_distance is not None:
            evidence.append(_("{n} steps from a customer").format(n=m.customer_distance))
        evidence.extend(flag_label(f.kind, lower=True) for f in act.flags)
        if act.keep_human:
            evidence.append(_("kept human"))
        table.add_row(_escape(act.name), _escape(stage_name(result, act.stage)), format_number(act.relational_index, 2),
                      format_number(act.automatability, 2), quadrant_label(act.quadrant, lower=True),
                      format_number(act.hours), format_number(act.by_scenario[scenario].hours_freed),
                      format_number(act.by_scenario[scenario].hours_received),
                      ", ".join(evidence))
    return table


def _candidates_table(result: AnalysisResult, scenario: str) -> object:
    from rich.table import Table

    currency = str(result.company["currency"])
    table = Table(title=_("Top automation candidates ({scenario})").format(scenario=result.scenarios[scenario].name),
                  title_justify="left")
    for header, justify in ((_("activity"), "left"), (_("quadrant"), "left"), (_("a"), "right"),
                            (_("source"), "left"), (_("hours freed"), "right"), (_("value freed"), "right"),
                            (_("confidence"), "right")):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    rows = sorted((a for a in result.activities
                   if a.quadrant in ("automate", "augment") and a.by_scenario[scenario].hours_freed > 0),
                  key=lambda a: (-a.by_scenario[scenario].hours_freed, a.id))[:TOP]
    for act in rows:
        row = act.by_scenario[scenario]
        conf = format_percent(row.confidence) if row.confidence is not None else "—"
        table.add_row(_escape(act.name), quadrant_label(act.quadrant, lower=True),
                      format_number(act.automatability, 2), source_label(act.automatability_source),
                      format_number(row.hours_freed),
                      format_money(row.value_freed, currency), conf)
    return table


def _range(sc: ScenarioResult, key: str, value: float) -> str:
    text = format_number(value)
    if sc.uncertainty and key in sc.uncertainty:
        p = sc.uncertainty[key]
        text += f" ({format_number(p.p10)}–{format_number(p.p90)})"
    return text


def _scenarios_table(result: AnalysisResult) -> object:
    from rich.table import Table

    currency = str(result.company["currency"])
    table = Table(title=_("Scenarios (P10–P90 in brackets)"), title_justify="left")
    for header in (_("scenario"), _("adoption"), _("hours AI could free"), _("FTE"), _("value freed"),
                   _("kept h"), _("reinvested h"), unplaced_label(lower=True), _("AI cost"), _("net savings")):
        table.add_column(header, justify="left" if header == _("scenario") else "right")
    for sc in result.scenarios.values():
        name = _escape(sc.name) + (" ★" if sc.id == result.lead_scenario() else "")
        table.add_row(name, format_percent(sc.adoption), _range(sc, "hours_freed", sc.hours_freed),
                      format_number(sc.fte_freed, 1), format_money(sc.value_freed, currency),
                      format_number(sc.hours_kept),
                      _range(sc, "hours_reinvested", sc.hours_reinvested), format_number(sc.unallocated),
                      format_money(sc.ai_cost, currency), format_money(sc.net_savings, currency))
    table.caption = _("★ lead scenario")
    return table


def _balance_table(result: AnalysisResult, sc: ScenarioResult) -> object:
    from rich.table import Table

    from ..vocabulary import balance_label
    from .sections import net_formula

    currency = str(result.company["currency"])
    table = Table(title=_("Every freed hour accounted for ({scenario})").format(scenario=_escape(sc.name)),
                  title_justify="left")
    for header, justify in ((_("line"), "left"), (_("hours"), "right"), (_("value"), "right")):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for line in sc.balance:
        table.add_row(balance_label(line.line), format_number(line.hours), format_money(line.value, currency))
    table.add_row(_("hours AI could free"), format_number(sc.hours_freed), format_money(sc.value_freed, currency))
    table.add_row(_("AI cost per year"), "", format_money(-sc.ai_cost, currency))
    table.add_row(_("net savings per year"), "", format_money(sc.net_savings, currency))
    table.caption = _escape(net_formula(result))
    return table


def _allocation_table(result: AnalysisResult, sc: ScenarioResult) -> object:
    from rich.table import Table

    table = Table(title=_("Where freed hours go ({scenario}): {placed} of {pool} h placed").format(
        scenario=sc.name, placed=format_number(sc.hours_reinvested), pool=format_number(sc.reinvest_pool)),
        title_justify="left")
    for header, justify in ((_("from"), "left"), (_("to"), "left"), (_("hours"), "right"), (_("how"), "left")):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    moves = sorted(sc.allocation, key=lambda m: (-m.hours, m.from_, m.to))[:TOP]
    names = {a.id: a.name for a in result.activities}
    for move in moves:
        table.add_row(_escape(names.get(move.from_, move.from_)), _escape(names.get(move.to, move.to)),
                      format_number(move.hours), via_label(move.via))
    if len(sc.allocation) > TOP:
        table.caption = _("{n} more moves in analysis.json").format(n=format_number(len(sc.allocation) - TOP))
    return table


def _print_people(console: Console, result: AnalysisResult, scenario: str) -> None:
    """Who is affected: the FTE no longer needed and the roles at risk, by name."""
    from .people import at_risk_roles

    sc = result.scenarios[scenario]
    risky = at_risk_roles(result, scenario)
    console.print(_("[bold]Who is affected ({scenario})[/bold]: {fte} FTE no longer needed of {freed} FTE of hours "
                    "AI could free.").format(scenario=_escape(scenario), fte=format_number(sc.fte_no_longer_needed, 1),
                                             freed=format_number(sc.fte_freed, 1)))
    if not risky:
        console.print(_("No role is at risk."))
        return
    limit = float(result.policy.get("role_risk", 0.25))
    names = [f"{_escape(r.name)} ({format_number(r.by_scenario[scenario].fte_no_longer_needed, 1)} FTE)"
             for r in risky[:8]]
    more = len(risky) - len(names)
    console.print(_("At risk (more than {share} of their hours no longer needed): {names}").format(
        share=format_percent(limit), names=", ".join(names))
        + (" " + _("and {n} more").format(n=format_number(more)) if more > 0 else "") + ".")


#: A flag kind carried by more activities names this many in the terminal, then how many more.
TERMINAL_NAMES = 8


def _print_risks(console: Console, result: AnalysisResult) -> None:
    """Each risk once with the scenarios it appears in, then each kind of flag once with the activities that carry
    it: the lines of the deck's risk slide (:func:`relmap.report.deck_text.risk_lines`)."""
    from .deck_text import risk_lines

    lines = risk_lines(result, most=TERMINAL_NAMES)
    if not lines:
        console.print(_("No flags or risks."))
        return
    console.print(_("[bold]Flags and risks[/bold]"))
    for line in lines:  # names, not ids, and numbers in the language's style (as in the report)
        console.print("• " + _escape(f"{line.label} — {line.text}"))


