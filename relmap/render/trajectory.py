"""``trajectory.svg``: the lead scenario year by year.

Top: hours per year — freed (bar), of which reinvested in relational goods
and no longer needed (narrower bars side by side). Bottom: cumulative net
savings (line), with the payback year marked (the first year it is ≥ 0) and
the NPV in the subtitle.
"""

from __future__ import annotations

from functools import partial

from ..analysis.result import AnalysisResult
from ..i18n import _, language
from .canvas import Canvas
from .plot import Frame, legend, nice_ticks, tick_bins, x_axis, y_axis
from .text import fmt_money, fmt_number, fmt_percent
from .theme import OKABE_ITO, Theme, get_theme

__all__ = ["trajectory_canvas"]


def trajectory_canvas(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                      lang: str = "en") -> Canvas:
    """The trajectory view laid out: its SVG is written directly, its PNG drawn by Pillow. Both panels share one
    year scale (half a year of margin either side)."""
    th = get_theme(theme)
    with language(lang):
        scen = result.scenario_or_none(scenario)
        c = Canvas(12.0 * 72, 7.5 * 72, th.background)
        currency = str(result.company.get("currency", "EUR"))
        company = str(result.company.get("name") or "")
        with c.group("title"):
            c.text(0.04 * c.width, 0.955 * c.height, _("{company} — the path over the years").format(
                company=company), size=19, bold=True, color=th.text, va="bottom")
        if scen is None or not scen.trajectory:
            c.text(c.width / 2, c.height / 2, _("No trajectory was computed."), ha="center", size=16, color=th.muted)
            return c
        years = scen.trajectory
        payback = (_("pays back in year {year}").format(year=scen.payback_year) if scen.payback_year is not None
                   else _("does not pay back within {n} years").format(n=len(years)))
        rate = float(result.assumptions.get("discount_rate", 0.0))
        with c.group("subtitle"):
            c.text(0.04 * c.width, 0.935 * c.height, _("Scenario “{name}”: NPV {npv} at {rate}; {payback}").format(
                name=scen.name, npv=fmt_money(scen.npv or 0.0, currency, lang), rate=fmt_percent(rate, lang),
                payback=payback), size=12, color=th.muted, va="top")
        xs = [y.year for y in years]
        hpf = result.hours_per_fte
        number = partial(fmt_number, lang=lang)
        series = [(-0.27, [y.hours_freed for y in years], OKABE_ITO["sky_blue"], _("Hours AI could free")),
                  (0.0, [y.hours_reinvested for y in years], OKABE_ITO["bluish_green"],
                   _("Reinvested in relational goods")),
                  (0.27, [y.fte_no_longer_needed * hpf for y in years], OKABE_ITO["vermillion"],
                   _("No longer needed"))]
        x_lo, x_hi = min(xs) - 0.5, max(xs) + 0.5
        peak = max([v for _dx, values, _c, _l in series for v in values] + [0.0])
        low = min([v for _dx, values, _c, _l in series for v in values] + [0.0])
        y_lo, y_hi = low - 0.05 * (peak - low) if low < 0 else 0.0, peak + 0.05 * (peak - low) if peak > low else 1.0
        top = Frame(0.09 * c.width, 0.50 * c.height, 0.95 * c.width, 0.86 * c.height, x_lo, x_hi, y_lo, y_hi)
        with c.group("hours"):
            for dx, values, colour, _label in series:
                for x, v in zip(xs, values, strict=True):
                    a, b = sorted((top.y(0.0), top.y(v)))
                    c.rect(top.x(x + dx - 0.13), a, top.x(x + dx + 0.13) - top.x(x + dx - 0.13), b - a, fill=colour)
            for x, y in zip(xs, years, strict=True):
                c.text(top.x(x), top.y0 - 0.02 * (top.y1 - top.y0), fmt_percent(y.adoption, lang), ha="center",
                       va="top", size=10, color=th.muted)
            c.line([(top.x0, top.y0), (top.x1, top.y0)], th.muted, 0.8)
            y_axis(c, top, nice_ticks(y_lo, y_hi, tick_bins(top.y1 - top.y0, vertical=True)), number, color=th.muted,
                   title=_("hours a year"), title_color=th.text)
            legend(c, top.x0 + 9, top.y1 - 9, [(colour, label) for _dx, _v, colour, label in series], color=th.text)
        cumulative = [y.cumulative for y in years]
        lo, hi = min([*cumulative, 0.0]), max([*cumulative, 0.0])
        pad = 0.05 * (hi - lo) if hi > lo else 1.0
        bottom = Frame(0.09 * c.width, 0.08 * c.height, 0.95 * c.width, 0.41 * c.height, x_lo, x_hi, lo - pad,
                       hi + pad)
        with c.group("savings"):
            c.line([(bottom.x0, bottom.y(0.0)), (bottom.x1, bottom.y(0.0))], th.muted, 1.0)
            if scen.payback_year is not None:
                py = scen.payback_year
                c.line([(bottom.x(py), bottom.y0), (bottom.x(py), bottom.y1)], OKABE_ITO["bluish_green"], 1.5,
                       dash=(5.55, 2.4))
                c.text(bottom.x(py) + 8, bottom.y(cumulative[py - 1]) + 10, _("payback: year {year}").format(
                    year=py), size=11, color=th.text)
            points = [(bottom.x(x), bottom.y(v)) for x, v in zip(xs, cumulative, strict=True)]
            c.line(points, OKABE_ITO["blue"], 2.2)
            for px, py_ in points:
                c.circle(px, py_, 3.0, fill=OKABE_ITO["blue"])
            x_axis(c, bottom, xs, lambda v: _("year {n}").format(n=int(v)), color=th.muted)
            ticks = nice_ticks(bottom.ylo, bottom.yhi, tick_bins(bottom.y1 - bottom.y0, vertical=True))
            y_axis(c, bottom, ticks, number, color=th.muted, title=currency, title_color=th.text)
            legend(c, bottom.x0 + 9, bottom.y1 - 9, [(OKABE_ITO["blue"], _("Cumulative net savings"))],
                   color=th.text, line=2.2)
        return c
