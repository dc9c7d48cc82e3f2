"""``sensitivity.svg``: a tornado of the lead scenario's net savings.

One bar per input of ``result.sensitivity`` (largest swing at the top): it
runs from the net savings with the input at its low value to those at its
high value, around a vertical line at the scenario's net savings. The bar's
left part (input low) is blue, its right part (input high) orange; each end
is labelled with the value tried and the net savings it gives. Input names
are on the left, in the report's language.
"""

from __future__ import annotations

from ..analysis.result import AnalysisResult, SensitivityEntry
from ..i18n import _, language
from ..vocabulary import input_label, value_label
from .canvas import Canvas, text_width
from .plot import Frame, legend, nice_ticks, tick_bins, x_axis
from .text import fmt_money, fmt_number, wrap
from .theme import OKABE_ITO, Theme, get_theme

__all__ = ["MAX_BARS", "end_labels", "sensitivity_canvas"]

#: bars drawn (the rest are smaller swings)
MAX_BARS = 12
#: size of the values at the bars' ends, in points
LABEL_PT = 10.0
#: colour of a value written inside its bar (sky blue and orange both take black text)
INSIDE_TEXT = "#000000"
#: net savings closer to the base than this (half a currency unit) are the base: no bar on that side
SAME = 0.5


def end_labels(e: SensitivityEntry, base: float, span: float, f: Frame, lang: str,
               currency: str) -> list[tuple[float, str, bool, bool]]:
    """Where a bar's end values are written: ``(x, text, right, inside)`` for each label (``right``: the text
    starts at ``x``; else it ends there; ``inside``: within the bar, in :data:`INSIDE_TEXT`).

    Rules, so that no label sits on a bar or on the input names:

    * an end that moves net savings away from the base is written just beyond the bar's end
      (``0.02 × span`` away), on its side;
    * an end that does not move them (within :data:`SAME`) is written beside the base line, on the side where
      no bar is;
    * both ends on one side: one label (the nearer value first) beside the base line on the empty side;
    * a label that would cross the frame's edge (into the names) is written inside its bar, against its end.
    """
    lo, hi = e.net_savings
    ends = [(value, f"{value_label(e, side, lang)}: {fmt_money(value, currency, lang)}")
            for value, side in ((lo, "low"), (hi, "high"))]
    moved = [abs(value - base) >= SAME for value, _text in ends]
    gap = 0.02 * span
    if all(moved) and (lo - base) * (hi - base) > 0:
        ends.sort(key=lambda vt: abs(vt[0] - base))
        right = ends[1][0] < base  # the bar is on the other side
        return [(f.x(base + (gap if right else -gap)), f"{ends[0][1]} · {ends[1][1]}", right, False)]
    out: list[tuple[float, str, bool, bool]] = []
    for k, (value, text) in enumerate(ends):
        other = ends[1 - k][0]
        if not moved[k]:
            right = other < base if moved[1 - k] else k == 1
            out.append((f.x(base + (gap if right else -gap)), text, right, False))
            continue
        right = value > base
        x = f.x(value + (gap if right else -gap))
        width = text_width(text, LABEL_PT)
        if (x + width > f.x1) if right else (x - width < f.x0):
            x = f.x(value) + (-4.0 if right else 4.0)
            out.append((x, text, not right, True))
        else:
            out.append((x, text, right, False))
    return out


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
                for x, text, right, inside in end_labels(e, base, span, f, lang, currency):
                    c.text(x, f.y(y), text, va="center", ha="left" if right else "right", size=LABEL_PT,
                           color=INSIDE_TEXT if inside else th.text)
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
