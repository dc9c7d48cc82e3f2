"""``portfolio.md``: the companies side by side, in the report language."""

from __future__ import annotations

from ..errors import Problem
from ..i18n import _, format_number, format_percent, ngettext
from ..vocabulary import unplaced_label
from .summary import PortfolioResult


def _num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else format_number(value, digits)


def render_portfolio_md(result: PortfolioResult) -> str:
    """``portfolio.md``: one row per company (figures of its compared scenario), then the failures."""
    from ..report.markdown import escape

    lines = ["# " + _("Portfolio"), ""]
    ok = [c for c in result.companies if c.ok or c.company is not None]
    lines.append(ngettext("{n} company file analysed", "{n} company files analysed",
                          len(result.companies)).format(n=len(result.companies))
                 + (("; " + ngettext("{n} failed", "{n} failed", result.failed).format(n=result.failed))
                    if result.failed else "") + ".")
    lines += ["", _("Hours per year, in the scenario shown (the file's lead scenario: lead: true, else "
                    "\u2018base\u2019, else its first). Relational goods share = hours of relational goods / hours "
                    "of all activities. Net savings per year, in the file's currency."), ""]
    headers = [_("Company"), _("Folder"), _("Scenario"), _("Activities"), _("Relational goods"),
               _("Relational goods share of hours"), _("Hours AI could free"), _("Kept in relational goods"),
               _("Hours reinvested"), unplaced_label(), _("Net savings per year")]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|---|---|---|" + "---:|" * 8)
    for c in ok:
        share = "–" if c.relational_share is None else format_percent(c.relational_share, 1)
        lines.append("| " + " | ".join([
            escape(c.company or ""), f"[{escape(c.folder)}]({c.folder}/report.md)", escape(c.scenario or ""),
            _num(c.activities), _num(c.relational_goods), share, _num(c.hours_freed), _num(c.hours_kept),
            _num(c.hours_reinvested), _num(c.unallocated),
            (_num(c.net_savings) + (" " + c.currency if c.currency else "")) if c.net_savings is not None else "–"])
            + " |")
    failed = [c for c in result.companies if not c.ok]
    if failed:
        lines += ["", "## " + _("Files that failed"), ""]
        for c in failed:
            lines.append("- " + escape(c.path))
            for p in c.problems:
                problem = Problem(p.path, p.line, p.column, p.message, p.hint)
                for k, text in enumerate(problem.format().splitlines()):
                    lines.append(("  - " if k == 0 else "    ") + escape(text.strip()))
    return "\n".join(lines) + "\n"
