"""The summary ``relmap analyze`` prints in the terminal: rich tables in the current language, or Markdown.

Library first: a notebook calls :func:`print_summary` or :func:`markdown_summary`
on a result as the command does. The summary is a list of lines (rich markup)
and tables (:class:`relmap.report.plaintext.TableSpec`); rich prints them on a
terminal, and :mod:`relmap.report.plaintext` writes the same text rich would
when stdout is a file or a pipe (no style to show there), without loading
rich's console.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from ..i18n import _, format_money, format_number, format_percent
from ..vocabulary import flag_label, quadrant_label, source_label, unplaced_label, via_label
from .plaintext import MARKUP, NeedsRich, TableSpec
from .sections import goods as sorted_goods

if TYPE_CHECKING:
    from rich.console import Console

    from ..analysis.result import AnalysisResult, ScenarioResult

#: a line of the summary (rich markup) or a table
Block = str | TableSpec

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
    blocks = summary_blocks(result, scenario)
    if _plain_stdout():
        try:
            text = plain_summary(blocks)
        except NeedsRich:
            pass
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
    console = _console()
    for block in blocks:
        console.print(block if isinstance(block, str) else _rich_table(block))


def summary_blocks(result: AnalysisResult, scenario: str) -> list[Block]:
    """The summary's lines (rich markup, user text escaped) and tables, in order."""
    n_goods = len(result.relational_goods)
    blocks: list[Block] = [_("[bold]{company}[/bold] — {n} activities, {goods} relational goods").format(
        company=_escape(str(result.company["name"])), n=format_number(len(result.activities)),
        goods=format_number(n_goods))]
    blocks.append(_goods_table(result, scenario))
    blocks.append(_candidates_table(result, scenario))
    blocks.append(_scenarios_table(result))
    blocks.append(_balance_table(result, result.scenarios[scenario]))
    blocks.append(_allocation_table(result, result.scenarios[scenario]))
    blocks.extend(_people_lines(result, scenario))
    blocks.extend(_risk_lines(result))
    from ..vocabulary import notes_text

    for note in notes_text(result):
        blocks.append(_("Note: {note}").format(note=_escape(note)))
    if result.uncertainty is not None:
        mc = result.uncertainty
        blocks.append(_("Uncertainty: {inputs} inputs are ranges; Monte Carlo of {draws} draws, seed {seed}.").format(
            inputs=format_number(mc.uncertain_inputs), draws=format_number(mc.draws), seed=mc.seed))
    return blocks


def plain_summary(blocks: list[Block]) -> str:
    """The text rich prints for ``blocks`` on a console that is not a terminal; :class:`NeedsRich` when some text
    would not show as it is (markup, an emoji code…)."""
    from .plaintext import line_text, table_text

    return "".join(table_text(block) if isinstance(block, TableSpec)
                   else line_text(block.replace("[bold]", "").replace("[/bold]", "")) for block in blocks)


#: variables that make rich treat a file as a terminal, or change what it prints
_RICH_ENVIRONMENT = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES",
                     "DATABRICKS_RUNTIME_VERSION", "VSCODE_PID")


def _plain_stdout() -> bool:
    """Whether rich would print to stdout as to a plain file: not a terminal, no colour forced, UTF-8, no notebook."""
    out = sys.stdout
    try:
        if out.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    encoding = (getattr(out, "encoding", None) or "").lower()
    if not encoding.startswith("utf") or any(name in os.environ for name in _RICH_ENVIRONMENT):
        return False
    return "ipykernel" not in sys.modules and "idlelib" not in sys.modules


def _rich_table(spec: TableSpec) -> Any:
    """The rich table of ``spec``."""
    from rich.table import Table

    table = Table(title=spec.title, title_justify="left")
    for header, justify in spec.columns:
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for row in spec.rows:
        table.add_row(*row)
    if spec.caption:
        table.caption = spec.caption
    return table


def _escape(text: str) -> str:
    """``text`` as rich markup that shows it as it is (:func:`rich.markup.escape`; most texts need nothing)."""
    if not MARKUP.search(text):
        return text
    from rich.markup import escape

    return escape(text)


def _goods_table(result: AnalysisResult, scenario: str) -> TableSpec:
    from ..vocabulary import stage_name

    title = _("Relational goods (r ≥ {tau}; hours freed by AI in them, and received)").format(
        tau=format_number(result.thresholds["relational"], 2))
    table = TableSpec(title, [(_("activity"), "left"), (_("stage"), "left"), (_("r"), "right"), (_("a"), "right"),
                              (_("quadrant"), "left"), (_("hours"), "right"), (_("freed"), "right"),
                              (_("received"), "right"), (_("evidence"), "left")])
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
        table.rows.append([_escape(act.name), _escape(stage_name(result, act.stage)),
                           format_number(act.relational_index, 2), format_number(act.automatability, 2),
                           quadrant_label(act.quadrant, lower=True), format_number(act.hours),
                           format_number(act.by_scenario[scenario].hours_freed),
                           format_number(act.by_scenario[scenario].hours_received), ", ".join(evidence)])
    return table


def _candidates_table(result: AnalysisResult, scenario: str) -> TableSpec:
    currency = str(result.company["currency"])
    table = TableSpec(_("Top automation candidates ({scenario})").format(scenario=result.scenarios[scenario].name),
                      [(_("activity"), "left"), (_("quadrant"), "left"), (_("a"), "right"), (_("source"), "left"),
                       (_("hours freed"), "right"), (_("value freed"), "right"), (_("confidence"), "right")])
    rows = sorted((a for a in result.activities
                   if a.quadrant in ("automate", "augment") and a.by_scenario[scenario].hours_freed > 0),
                  key=lambda a: (-a.by_scenario[scenario].hours_freed, a.id))[:TOP]
    for act in rows:
        row = act.by_scenario[scenario]
        conf = format_percent(row.confidence) if row.confidence is not None else "—"
        table.rows.append([_escape(act.name), quadrant_label(act.quadrant, lower=True),
                           format_number(act.automatability, 2), source_label(act.automatability_source),
                           format_number(row.hours_freed), format_money(row.value_freed, currency), conf])
    return table


def _range(sc: ScenarioResult, key: str, value: float) -> str:
    text = format_number(value)
    if sc.uncertainty and key in sc.uncertainty:
        p = sc.uncertainty[key]
        text += f" ({format_number(p.p10)}–{format_number(p.p90)})"
    return text


def _scenarios_table(result: AnalysisResult) -> TableSpec:
    currency = str(result.company["currency"])
    headers = (_("scenario"), _("adoption"), _("hours AI could free"), _("FTE"), _("value freed"), _("kept h"),
               _("reinvested h"), unplaced_label(lower=True), _("AI cost"), _("net savings"))
    table = TableSpec(_("Scenarios (P10–P90 in brackets)"),
                      [(header, "left" if header == _("scenario") else "right") for header in headers])
    for sc in result.scenarios.values():
        name = _escape(sc.name) + (" ★" if sc.id == result.lead_scenario() else "")
        table.rows.append([name, format_percent(sc.adoption), _range(sc, "hours_freed", sc.hours_freed),
                           format_number(sc.fte_freed, 1), format_money(sc.value_freed, currency),
                           format_number(sc.hours_kept), _range(sc, "hours_reinvested", sc.hours_reinvested),
                           format_number(sc.unallocated), format_money(sc.ai_cost, currency),
                           format_money(sc.net_savings, currency)])
    table.caption = _("★ lead scenario")
    return table


def _balance_table(result: AnalysisResult, sc: ScenarioResult) -> TableSpec:
    from ..vocabulary import balance_label
    from .sections import net_formula

    currency = str(result.company["currency"])
    table = TableSpec(_("Every freed hour accounted for ({scenario})").format(scenario=_escape(sc.name)),
                      [(_("line"), "left"), (_("hours"), "right"), (_("value"), "right")])
    for line in sc.balance:
        table.rows.append([balance_label(line.line), format_number(line.hours), format_money(line.value, currency)])
    table.rows.append([_("hours AI could free"), format_number(sc.hours_freed),
                       format_money(sc.value_freed, currency)])
    table.rows.append([_("AI cost per year"), "", format_money(-sc.ai_cost, currency)])
    table.rows.append([_("net savings per year"), "", format_money(sc.net_savings, currency)])
    table.caption = _escape(net_formula(result))
    return table


def _allocation_table(result: AnalysisResult, sc: ScenarioResult) -> TableSpec:
    table = TableSpec(_("Where freed hours go ({scenario}): {placed} of {pool} h placed").format(
        scenario=sc.name, placed=format_number(sc.hours_reinvested), pool=format_number(sc.reinvest_pool)),
        [(_("from"), "left"), (_("to"), "left"), (_("hours"), "right"), (_("how"), "left")])
    moves = sorted(sc.allocation, key=lambda m: (-m.hours, m.from_, m.to))[:TOP]
    names = {a.id: a.name for a in result.activities}
    for move in moves:
        table.rows.append([_escape(names.get(move.from_, move.from_)), _escape(names.get(move.to, move.to)),
                           format_number(move.hours), via_label(move.via)])
    if len(sc.allocation) > TOP:
        table.caption = _("{n} more moves in analysis.json").format(n=format_number(len(sc.allocation) - TOP))
    return table


def _people_lines(result: AnalysisResult, scenario: str) -> list[str]:
    """Who is affected: the FTE no longer needed and the roles at risk, by name."""
    from .people import at_risk_roles

    sc = result.scenarios[scenario]
    risky = at_risk_roles(result, scenario)
    lines = [_("[bold]Who is affected ({scenario})[/bold]: {fte} FTE no longer needed of {freed} FTE of hours "
               "AI could free.").format(scenario=_escape(scenario), fte=format_number(sc.fte_no_longer_needed, 1),
                                        freed=format_number(sc.fte_freed, 1))]
    if not risky:
        return [*lines, _("No role is at risk.")]
    limit = float(result.policy.get("role_risk", 0.25))
    names = [f"{_escape(r.name)} ({format_number(r.by_scenario[scenario].fte_no_longer_needed, 1)} FTE)"
             for r in risky[:8]]
    more = len(risky) - len(names)
    lines.append(_("At risk (more than {share} of their hours no longer needed): {names}").format(
        share=format_percent(limit), names=", ".join(names))
        + (" " + _("and {n} more").format(n=format_number(more)) if more > 0 else "") + ".")
    return lines


#: A flag kind carried by more activities names this many in the terminal, then how many more.
TERMINAL_NAMES = 8


def _risk_lines(result: AnalysisResult) -> list[str]:
    """Each risk once with the scenarios it appears in, then each kind of flag once with the activities that carry
    it: the lines of the deck's risk slide (:func:`relmap.report.deck_text.risk_lines`)."""
    from .deck_text import risk_lines

    lines = risk_lines(result, most=TERMINAL_NAMES)
    if not lines:
        return [_("No flags or risks.")]
    # names, not ids, and numbers in the language's style (as in the report)
    return [_("[bold]Flags and risks[/bold]"), *("• " + _escape(f"{line.label} — {line.text}") for line in lines)]


