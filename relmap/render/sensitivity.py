"""``sensitivity.svg``: a tornado of the lead scenario's net savings.

One bar per input of ``result.sensitivity`` (largest swing at the top): it
runs from the net savings with the input at its low value to those at its
high value, around a vertical line at the scenario's net savings. The bar's
left part (input low) is blue, its right part (input high) orange; each end
is labelled with the value tried and the net savings it gives. Input names
are on the left, in the report's language.
"""

from __future__ import annotations

from ..analysis.result import AnalysisResult
from ..i18n import _, language
from ..vocabulary import input_label, value_label
from .canvas import Canvas
from .plot import Frame, legend, nice_ticks, tick_bins, x_axis
from .text import fmt_money, fmt_number, wrap
from .theme import OKABE_ITO, Theme, get_theme

__all__ = ["MAX_BARS", "sensitivity_canvas"]

#: bars drawn (the rest are smaller swings)
MAX_BARS = 12


def sensitivity_canvas(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                       lang: str = "en") -> Canvas:
    """The tornado laid out (the lead scenario's sensitivity; ``scenario`` only picks the base line): its SVG is
    written directly, its PNG drawn by Pillow."""
    th = get_theme(theme)
    del scenario
    with language(lang):
        scen = result.scenario_or_none(None)
        entries = result.sensitivity[:MAX_BARS]
        c = Canvas(12.0 * 72, 7.5 * 72, th.background)
        currency = str(result.company.get("currency", "EUR"))
        company = str(result.company.get("name") or "")
        with c.group("title"):
            c.text(0.03 * c.width, 0.955 * c.height, _("{company} — what moves net savings most").format(
                company=company), size=19, bold=True, color=th.text, va="bottom")
        if scen is None or not entries:
            c.text(c.width / 2, c.height / 2, _("No sensitivity was computed."), ha="center", size=16,
                   color=th.muted)
            return c
        base = scen.net_savings
        with c.group("subtitle"):
            c.text(0.03 * c.width, 0.935 * c.height, _(
                "Scenario “{name}”: net savings {value} a year; each bar moves one input from its low to its high "
                "value").format(name=scen.name, value=fmt_money(base, currency, lang)), size=12, color=th.muted,
                va="top")
        n = len(entries)
        lows = [e.net_savings[0] for e in entries]
        highs = [e.net_savings[1] for e in entries]
        span = max([abs(x - base) for x in lows + highs] + [1.0])
        f = Frame(0.30 * c.width, 0.08 * c.height, 0.96 * c.width, 0.88 * c.height, base - 1.5 * span,
                  base + 1.5 * span, -0.7, n - 0.3)
        for k, e in enumerate(entries):
            y = n - 1 - k
            lo, hi = e.net_savings
            with c.group(f"bar-{k}"):
                for value, colour in ((lo, OKABE_ITO["sky_blue"]), (hi, OKABE_ITO["orange"])):
                    a, b = sorted((f.x(base), f.x(value)))
                    c.rect(a, f.y(y - 0.3), b - a, f.y(y + 0.3) - f.y(y - 0.3), fill=colour)
                ends = [(value, f"{value_label(e, side, lang)}: {fmt_money(value, currency, lang)}")
                        for value, side in ((lo, "low"), (hi, "high"))]
                if (lo - base) * (hi - base) > 0:  # both on one side: one label at the far end, nearer value first
                    ends.sort(key=lambda vt: abs(vt[0] - base))
                    ends = [(ends[1][0], f"{ends[0][1]} · {ends[1][1]}")]
                for k_end, (value, text) in enumerate(ends):
                    right = value > base + 1e-9 or (abs(value - base) <= 1e-9 and k_end == 1)
                    c.text(f.x(value + (0.02 if right else -0.02) * span), f.y(y), text, va="center",
                           ha="left" if right else "right", size=10, color=th.text)
                c.text(f.x(base - 1.55 * span), f.y(y), "\n".join(wrap(input_label(e), 34)[:2]), va="center",
                       ha="right", size=12, color=th.text)
        with c.group("base"):
            c.line([(f.x(base), f.y0), (f.x(base), f.y1)], th.text, 1.2)
        with c.group("legend"):
            legend(c, f.x1 - 9, f.y0 + 9 + 2 * 15.0, [(OKABE_ITO["sky_blue"], _("input at its low value")),
                                                      (OKABE_ITO["orange"], _("input at its high value"))],
                   color=th.text, anchor="right")
        with c.group("axis-x"):
            x_axis(c, f, nice_ticks(f.xlo, f.xhi, tick_bins(f.x1 - f.x0)), lambda v: fmt_number(v, lang),
                   color=th.muted, title=_("Net savings a year ({currency})").format(currency=currency),
                   title_color=th.text)
        return c
