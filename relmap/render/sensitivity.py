"""``sensitivity.svg``: a tornado of the lead scenario's net savings.

One bar per input of ``result.sensitivity`` (largest swing at the top): it
runs from the net savings with the input at its low value to those at its
high value, around a vertical line at the scenario's net savings. The bar's
left part (input low) is blue, its right part (input high) orange; each end
is labelled with the value tried and the net savings it gives. Input names
are on the left, in the report's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.result import AnalysisResult
from ..i18n import _, language
from ..vocabulary import input_label, value_label
from .charts import mpl_context, new_figure
from .text import fmt_money, fmt_number, wrap
from .theme import OKABE_ITO, Theme, get_theme

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

__all__ = ["MAX_BARS", "sensitivity_figure"]

#: bars drawn (the rest are smaller swings)
MAX_BARS = 12


def sensitivity_figure(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                       lang: str = "en") -> Figure:
    """The tornado drawn, not saved (the lead scenario's sensitivity; ``scenario`` only picks the base line)."""
    th = get_theme(theme)
    with language(lang), mpl_context(th):
        scen = result.scenario_or_none(None)
        entries = result.sensitivity[:MAX_BARS]
        fig = new_figure(12.0, 7.5)
        currency = str(result.company.get("currency", "EUR"))
        company = str(result.company.get("name") or "")
        fig.text(0.03, 0.955, _("{company} — what moves net savings most").format(company=company), fontsize=19,
                 fontweight="bold", color=th.text, parse_math=False, va="bottom")
        if scen is None or not entries:
            fig.text(0.5, 0.5, _("No sensitivity was computed."), ha="center", fontsize=16, color=th.muted)
            return fig
        base = scen.net_savings
        fig.text(0.03, 0.935, _("Scenario “{name}”: net savings {value} a year; each bar moves one input from its "
                                "low to its high value").format(name=scen.name, value=fmt_money(base, currency, lang)),
                 fontsize=12, color=th.muted, parse_math=False, va="top")
        ax = fig.add_axes((0.30, 0.08, 0.66, 0.80))
        n = len(entries)
        lows = [e.net_savings[0] for e in entries]
        highs = [e.net_savings[1] for e in entries]
        span = max([abs(x - base) for x in lows + highs] + [1.0])
        for k, e in enumerate(entries):
            y = n - 1 - k
            lo, hi = e.net_savings
            ax.barh(y, lo - base, left=base, height=0.6, color=OKABE_ITO["sky_blue"], edgecolor="none")
            ax.barh(y, hi - base, left=base, height=0.6, color=OKABE_ITO["orange"], edgecolor="none")
            ends = [(value, f"{value_label(e, side, lang)}: {fmt_money(value, currency, lang)}")
                    for value, side in ((lo, "low"), (hi, "high"))]
            if (lo - base) * (hi - base) > 0:  # both on one side: one label at the far end, nearer value first
                ends.sort(key=lambda vt: abs(vt[0] - base))
                ends = [(ends[1][0], f"{ends[0][1]} · {ends[1][1]}")]
            for k_end, (value, text) in enumerate(ends):
                right = value > base + 1e-9 or (abs(value - base) <= 1e-9 and k_end == 1)
                ax.text(value + (0.02 if right else -0.02) * span, y, text, va="center",
                        ha="left" if right else "right", fontsize=10, color=th.text, parse_math=False)
            ax.text(base - 1.55 * span, y, "\n".join(wrap(input_label(e), 34)[:2]), va="center", ha="right",
                    fontsize=12, color=th.text, parse_math=False)
        ax.axvline(base, color=th.text, linewidth=1.2)
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=OKABE_ITO["sky_blue"], label=_("input at its low value")),
                           Patch(color=OKABE_ITO["orange"], label=_("input at its high value"))],
                  loc="lower right", fontsize=10, frameon=False)
        ax.set_xlim(base - 1.5 * span, base + 1.5 * span)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_yticks([])
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="x", labelsize=10)
        ax.xaxis.set_major_formatter(_money_axis(currency, lang))
        ax.set_xlabel(_("Net savings a year ({currency})").format(currency=currency), fontsize=11)
        return fig


def _money_axis(currency: str, lang: str) -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: fmt_number(x, lang))
