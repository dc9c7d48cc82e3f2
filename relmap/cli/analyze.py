"""``relmap analyze``: one library call (:func:`relmap.analyze`), then a table, JSON or Markdown."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..analysis import DEFAULT_DRAWS, DEFAULT_SEED
from ..errors import UsageError
from ..i18n import _, format_money, format_number, format_percent
from ..input.loader import MAX_BYTES
from ..vocabulary import flag_label, quadrant_label, source_label, unplaced_label, via_label
from .common import choose_language, file_language, handle_errors, lang_option, max_overview_option

if TYPE_CHECKING:
    from rich.console import Console

    from ..analysis.result import AnalysisResult, ScenarioResult
    from ..render.worker import ChartWorker

#: how many rows the terminal tables show at most
TOP = 10
#: how many relational goods the terminal lists (every good of a consultant's chain; the strongest of an inventory)
GOODS_TOP = 25


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write analysis.json, the diagrams and the reports into this folder.")
@click.option("--scenario", default=None,
              help="Scenario the summary and reports lead with (default: 'base', else the first).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="What to print on stdout.")
@lang_option
@max_overview_option
@click.option("--draws", type=click.IntRange(min=1, max=1_000_000), default=DEFAULT_DRAWS, show_default=True,
              help="Monte Carlo draws (used when some input is a range).")
@click.option("--seed", type=click.IntRange(min=0, max=2**32 - 1), default=DEFAULT_SEED, show_default=True,
              help="Monte Carlo seed (0 to 4294967295).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_BYTES, show_default=True,
              help="Refuse input files larger than this.")
@click.option("--theme", default="light", show_default=True, help="Diagram theme with -o: light, dark or print.")
@click.option("--no-deck", is_flag=True, help="With -o: do not write deck.pptx.")
@click.option("--no-xlsx", is_flag=True, help="With -o: do not write activities.xlsx.")
@click.option("--template", "deck_template", type=click.Path(exists=True, dir_okay=False), default=None,
              help="With -o: a firm's .pptx whose masters and layouts the deck uses.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="With several files: worker processes (default: one per core).")
@handle_errors
def analyze(files: tuple[str, ...], out_dir: str | None, scenario: str | None, fmt: str, lang: str | None,
            max_overview: int | None, draws: int, seed: int, max_bytes: int, theme: str, no_deck: bool,
            no_xlsx: bool, deck_template: str | None, jobs: int | None) -> None:
    """Analyse a company: relational goods, automation candidates, freed hours, reinvestment, risks.

    Prints a summary table by default; --format json prints analysis.json
    (the contract other tools read); -o DIR writes every deliverable. When an
    input is a range, a seeded Monte Carlo gives P10/P50/P90 (same seed, same
    numbers).

    Example:

        relmap analyze company.yaml

        relmap analyze company.yaml --scenario ambitious --format json > analysis.json

        relmap analyze company.yaml -o out/ --lang fr

        relmap analyze a.yaml b.yaml c.yaml -o portfolio/   (one subfolder each, portfolio.md)
    """
    from .. import analyze as run_analysis
    from ..input.validate import did_you_mean, load

    choose_language(lang, file_language(files[0]) if len(files) == 1 else None)
    if out_dir is not None:
        _check_theme(theme)
    if len(files) > 1:
        _analyze_many(files, out_dir, lang=lang, draws=draws, seed=seed, deck=not no_deck, xlsx=not no_xlsx,
                      scenario=scenario, jobs=jobs)
        return
    worker = _start_worker() if out_dir is not None else None  # imports matplotlib while we read and analyse
    try:
        file = files[0]
        chain = load(file, max_bytes=max_bytes)
        code = choose_language(lang, chain.company.language)
        ids = [s.id for s in chain.scenarios]
        if scenario is not None and scenario not in ids:
            raise UsageError(_("unknown scenario '{id}' (scenarios: {ids}). {hint}").format(
                id=scenario, ids=", ".join(ids), hint=did_you_mean(scenario, ids)).strip())
        result = run_analysis(chain, draws=draws, seed=seed, progress=True)
        if worker is not None:  # it draws while the summary is printed
            worker.draw(result, lang=code, scenario=scenario, theme=theme, png=not no_deck)
        if fmt == "json":
            click.echo(result.to_json(), nl=False)
        elif fmt == "markdown":
            click.echo(markdown_summary(result, code, scenario), nl=False)
        else:
            print_summary(result, result.lead_scenario(scenario))
        if out_dir is not None:  # after the summary: a diagram that fails to draw must not hide it
            from ..render.dot import max_overview as overview_limit

            with overview_limit(max_overview):
                _write(result, chain, Path(file), Path(out_dir), code, scenario, theme, not no_deck, not no_xlsx,
                       Path(deck_template) if deck_template else None, worker)
    finally:
        if worker is not None:
            worker.stop()


def _start_worker() -> ChartWorker | None:
    """The chart worker of ``-o`` (:mod:`relmap.render.worker`), when the renderer is installed."""
    if importlib.util.find_spec("relmap.render") is None:
        return None
    from ..render.worker import start_chart_worker

    return start_chart_worker()


def _analyze_many(files: tuple[str, ...], out_dir: str | None, *, lang: str | None, draws: int, seed: int,
                  deck: bool, xlsx: bool, scenario: str | None, jobs: int | None) -> None:
    """Several files: :func:`relmap.batch.portfolio.analyze_many` into ``-o DIR``; exit 1 at the end if any failed."""
    import sys

    from ..batch.portfolio import analyze_many
    from ..errors import Problem

    if out_dir is None:
        raise UsageError(_("several files need an output folder: add -o DIR"))
    result = analyze_many(files, out_dir, jobs=jobs, lang=lang, draws=draws, seed=seed, deck=deck, xlsx=xlsx,
                          scenario=scenario, progress=None)
    for company in result.companies:
        for p in company.problems:
            click.echo(Problem(p.path, p.line, p.column, p.message, p.hint).format(), err=True)
    click.echo(_("wrote {n} company folders and portfolio.md to {folder}; {failed} failed").format(
        n=len(result.companies) - result.failed, folder=out_dir, failed=result.failed), err=True)
    if result.failed:
        sys.exit(1)


def _write(result: AnalysisResult, chain: object, source: Path, out_dir: Path, lang: str, scenario: str | None,
           theme: str, deck: bool, xlsx: bool, template: Path | None = None, worker: ChartWorker | None = None) -> None:
    """``-o DIR``: every deliverable through :func:`relmap.report.write_outputs` (analysis.json alone without it)."""
    if importlib.util.find_spec("relmap.report") is None:
        from ..fsutil import write_atomic

        write_atomic(out_dir / "analysis.json", result.to_json(), protect=(source,))
        return
    from ..report import write_outputs

    written = write_outputs(result, out_dir, source=source, lang=lang, scenario=scenario, theme=theme,
                            deck=deck, xlsx=xlsx, template=template, chain=chain,  # type: ignore[arg-type]
                            worker=worker)
    click.echo(_("wrote {n} files to {folder}").format(n=len(written), folder=out_dir), err=True)


def _check_theme(theme: str) -> None:
    """Refuse an unknown ``--theme`` before any work (exit 2, with a suggestion)."""
    if importlib.util.find_spec("relmap.render.theme") is None:
        return
    from ..input.validate import did_you_mean
    from ..render.theme import THEMES

    if theme not in THEMES:
        raise UsageError(_("unknown theme '{name}' (themes: {names}). {hint}").format(
            name=theme, names=", ".join(THEMES), hint=did_you_mean(theme, THEMES)).strip())


def markdown_summary(result: AnalysisResult, lang: str, scenario: str | None) -> str:
    """The Markdown report (:func:`relmap.report.markdown.render_markdown`)."""
    from ..report.markdown import render_markdown

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
    goods = sorted((a for a in result.activities if a.relational_good), key=lambda a: (-a.relational_index, a.id))
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

    from ..report.sections import net_formula
    from ..vocabulary import balance_label

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
    """Who is affected: the FTE no longer needed and the roles at risk, by name (SPEC §6.4)."""
    from ..report.people import at_risk_roles

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


def _print_risks(console: Console, result: AnalysisResult) -> None:
    flags = [(a, f) for a in result.activities for f in a.flags]
    if not flags and not result.risks:
        console.print(_("No flags or risks."))
        return
    from ..vocabulary import flag_text, risk_text

    console.print(_("[bold]Flags and risks[/bold]"))
    for act, flag in flags:  # names, not ids, and numbers in the language's style (as in the report)
        console.print("• " + _escape(_("{name} — {flag}: {text}").format(
            name=act.name, flag=flag_label(flag.kind), text=flag_text(result, flag))))
    for risk in result.risks:
        console.print("• " + _escape(risk_text(result, risk)))


