"""``trajectory.svg``: the lead scenario year by year.

Top: hours per year — freed (bar), of which reinvested in relational goods
and no longer needed (narrower bars side by side). Bottom: cumulative net
savings (line), with the payback year marked (the first year it is ≥ 0) and
the NPV in the subtitle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.result import AnalysisResult
from ..i18n import _, language
from .charts import mpl_context, new_figure
from .text import fmt_money, fmt_number, fmt_percent
from .theme import OKABE_ITO, Theme, get_theme

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

__all__ = ["trajectory_figure"]


def trajectory_figure(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                      lang: str = "en") -> Figure:
    """The trajectory view drawn, not saved."""
    th = get_theme(theme)
    with language(lang), mpl_context(th):
        scen = result.scenario_or_none(scenario)
        fig = new_figure(12.0, 7.5)
        currency = str(result.company.get("currency", "EUR"))
        company = str(result.company.get("name") or "")
        fig.text(0.04, 0.955, _("{company} — the path over the years").format(company=company), fontsize=19,
                 fontweight="bold", color=th.text, parse_math=False, va="bottom")
        if scen is None or not scen.trajectory:
            fig.text(0.5, 0.5, _("No trajectory was computed."), ha="center", fontsize=16, color=th.muted)
            return fig
        years = scen.trajectory
        payback = (_("pays back in year {year}").format(year=scen.payback_year) if scen.payback_year is not None
                   else _("does not pay back within {n} years").format(n=len(years)))
        rate = float(result.assumptions.get("discount_rate", 0.0))
        fig.text(0.04, 0.935, _("Scenario “{name}”: NPV {npv} at {rate}; {payback}").format(
            name=scen.name, npv=fmt_money(scen.npv or 0.0, currency, lang), rate=fmt_percent(rate, lang),
            payback=payback), fontsize=12, color=th.muted, parse_math=False, va="top")
        top = fig.add_axes((0.09, 0.50, 0.86, 0.36))
        bottom = fig.add_axes((0.09, 0.08, 0.86, 0.33))
        xs = [y.year for y in years]
        hpf = result.hours_per_fte
        top.bar([x - 0.27 for x in xs], [y.hours_freed for y in years], width=0.26, color=OKABE_ITO["sky_blue"],
                label=_("Hours AI could free"))
        top.bar(xs, [y.hours_reinvested for y in years], width=0.26, color=OKABE_ITO["bluish_green"],
                label=_("Reinvested in relational goods"))
        top.bar([x + 0.27 for x in xs], [y.fte_no_longer_needed * hpf for y in years], width=0.26,
                color=OKABE_ITO["vermillion"], label=_("No longer needed"))
        top.set_ylabel(_("hours a year"), fontsize=11)
        top.yaxis.set_major_formatter(_formatter(lang))
        top.legend(loc="upper left", fontsize=10, frameon=False)
        for k, y in enumerate(years):
            top.text(xs[k], -0.02, fmt_percent(y.adoption, lang), transform=top.get_xaxis_transform(), ha="center",
                     va="top", fontsize=10, color=th.muted)
        top.set_xticks([])
        cumulative = [y.cumulative for y in years]
        bottom.plot(xs, cumulative, color=OKABE_ITO["blue"], marker="o", linewidth=2.2,
                    label=_("Cumulative net savings"))
        bottom.axhline(0, color=th.muted, linewidth=1)
        if scen.payback_year is not None:
            py = scen.payback_year
            bottom.axvline(py, color=OKABE_ITO["bluish_green"], linewidth=1.5, linestyle="--")
            bottom.annotate(_("payback: year {year}").format(year=py), (py, cumulative[py - 1]),
                            xytext=(8, 10), textcoords="offset points", fontsize=11, color=th.text)
        bottom.set_xticks(xs)
        bottom.set_xticklabels([_("year {n}").format(n=x) for x in xs], fontsize=10)
        bottom.set_ylabel(currency, fontsize=11)
        bottom.yaxis.set_major_formatter(_formatter(lang))
        bottom.legend(loc="upper left", fontsize=10, frameon=False)
        for ax in (top, bottom):
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        return fig


def _formatter(lang: str) -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: fmt_number(x, lang))
