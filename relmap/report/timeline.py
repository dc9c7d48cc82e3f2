"""Report sections for sensitivity and the path over the years.

Both read only the analysis result: ``result.sensitivity`` and each scenario's
``trajectory``, ``npv`` and ``payback_year``.
"""

from __future__ import annotations

from ..analysis.result import AnalysisResult, ScenarioResult
from ..i18n import _, format_number, get_language
from ..vocabulary import input_label, value_label
from .blocks import Figure, Section, Table, fte, hours, money, score

__all__ = ["payback_sentence", "sensitivity_section", "top_two_sentence", "trajectory_section", "trajectory_table"]

#: rows of the sensitivity table
ROWS = 15


def top_two_sentence(result: AnalysisResult) -> str:
    """One sentence naming the two assumptions that move net savings most (empty without sensitivity)."""
    entries = result.sensitivity
    if not entries:
        return ""
    swing = [abs(e.net_savings[1] - e.net_savings[0]) for e in entries]
    if len(entries) == 1:
        return _("The assumption that matters most is {first} (net savings move by {swing1}).").format(
            first=input_label(entries[0]).lower(), swing1=money(result, swing[0]))
    return _("The two assumptions that matter most are {first} (net savings move by {swing1}) and {second} "
             "({swing2}).").format(first=_lower(input_label(entries[0])), second=_lower(input_label(entries[1])),
                                   swing1=money(result, swing[0]), swing2=money(result, swing[1]))


def _lower(text: str) -> str:
    """Lower-case the first letter for running text, unless the word is an acronym (AI, IT…)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def sensitivity_section(result: AnalysisResult, scen: ScenarioResult) -> Section:
    """The tornado, the sentence, and the table of every input tried."""
    lang = get_language()
    scen = result.scenarios[result.lead_scenario()]  # sensitivity is computed for the lead scenario
    paras = []
    sentence = top_two_sentence(result)
    if sentence:
        paras.append(sentence)
    paras.append(_("Each input of scenario “{name}” is moved to a low and a high value, every other input "
                   "unchanged, and the scenario is computed again.").format(name=scen.name))
    rows = []
    for e in result.sensitivity[:ROWS]:
        rows.append([input_label(e), value_label(e, "low", lang), value_label(e, "high", lang),
                     money(result, e.net_savings[0]), money(result, e.net_savings[1]),
                     hours(e.hours_reinvested[0]), hours(e.hours_reinvested[1]),
                     fte(e.fte_no_longer_needed[0]), fte(e.fte_no_longer_needed[1])])
    cols = [_("Input"), _("Low"), _("High"), _("Net savings (low)"), _("Net savings (high)"),
            _("Reinvested (low)"), _("Reinvested (high)"), _("FTE no longer needed (low)"),
            _("FTE no longer needed (high)")]
    tables = [Table(cols, rows, [False, True, True, True, True, True, True, True, True])] if rows else []
    fig = Figure("sensitivity", _("What moves net savings most"),
                 _("Scenario {name}; net savings {value} a year at the base values.").format(
                     name=scen.name, value=money(result, scen.net_savings)))
    return Section("sensitivity", _("Sensitivity"), paragraphs=paras, figures=[fig] if rows else [], tables=tables)


def payback_sentence(result: AnalysisResult, scen: ScenarioResult) -> str:
    """"NPV … at …; pays back in year N" (or does not pay back within H years)."""
    if not scen.trajectory:
        return ""
    rate = float(result.assumptions.get("discount_rate", 0.0))
    if scen.payback_year is not None:
        return _("Over {n} years, net present value {npv} at {rate}; cumulative net savings turn positive in "
                 "year {year}.").format(n=format_number(len(scen.trajectory)), npv=money(result, scen.npv or 0.0),
                                        rate=score(rate), year=scen.payback_year)
    return _("Over {n} years, net present value {npv} at {rate}; cumulative net savings stay negative: it does "
             "not pay back within the horizon.").format(n=format_number(len(scen.trajectory)),
                                                        npv=money(result, scen.npv or 0.0), rate=score(rate))


def trajectory_table(result: AnalysisResult, scen: ScenarioResult) -> Table:
    """Year, adoption, hours freed, reinvested, FTE no longer needed, AI cost, net savings, cumulative."""
    rows = [[str(y.year), score(y.adoption), hours(y.hours_freed), hours(y.hours_reinvested),
             fte(y.fte_no_longer_needed), money(result, y.ai_cost), money(result, y.net_savings),
             money(result, y.cumulative)] for y in scen.trajectory]
    cols = [_("Year"), _("Adoption"), _("Hours freed"), _("Reinvested"), _("FTE no longer needed"), _("AI cost"),
            _("Net savings"), _("Cumulative")]
    return Table(cols, rows, [True] * len(cols))


def trajectory_section(result: AnalysisResult, scen: ScenarioResult) -> Section:
    """The path of the lead scenario year by year, and every scenario's NPV and payback."""
    if not scen.trajectory:
        return Section("trajectory", _("The path over the years"))
    paras = [payback_sentence(result, scen),
             _("Each year is the scenario computed at that year's adoption (the file's adoption_path, else an "
               "S-curve to the horizon); AI costs scale with adoption and the one-off cost falls in year 1.")]
    others = [[s.name, money(result, s.npv or 0.0),
               str(s.payback_year) if s.payback_year is not None else _("not within {n} years").format(
                   n=s.horizon_years)] for s in result.scenarios.values() if s.trajectory]
    tables = [trajectory_table(result, scen), Table([_("Scenario"), _("NPV"), _("Payback year")], others,
                                                    [False, True, True])]
    fig = Figure("trajectory", _("The path over the years"), _("Scenario {name}.").format(name=scen.name))
    return Section("trajectory", _("The path over the years"), paragraphs=paras, figures=[fig], tables=tables)
