"""``relmap diff`` in the terminal: a :class:`~relmap.analysis.compare.DiffResult` as rich tables.

The comparison itself is :func:`relmap.analysis.compare.diff_results`.
"""

from __future__ import annotations

from typing import Any

from ..analysis.compare import DiffResult
from ..i18n import _, format_number, language
from ..vocabulary import quadrant_label, unplaced_label

MONEY = frozenset({"value_freed", "recognition_value", "savings_value", "net_savings", "npv"})


def column_heads(diff: DiffResult) -> tuple[str, str]:
    """Heads of the before/after columns: the scenario names when one file is compared with itself."""
    if diff.old == diff.new and diff.old_scenario != diff.new_scenario:
        return diff.old_scenario_name or diff.old_scenario, diff.new_scenario_name or diff.new_scenario
    return diff.old, diff.new


def _signed(value: float, digits: int = 0) -> str:
    text = format_number(abs(value), digits)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def total_label(key: str) -> str:
    """Display name of a total."""
    labels = {"hours_freed": _("Hours freed"), "value_freed": _("Value freed"), "fte_freed": _("FTE freed"),
              "hours_reinvested": _("Hours reinvested"), "unallocated": unplaced_label(),
              "recognition_value": _("Recognition"), "savings_hours": _("Savings line (h)"),
              "savings_value": _("Savings line"), "net_savings": _("Net savings (after AI costs)"),
              "npv": _("Net present value")}
    return labels.get(key, key)


def render_diff(diff: DiffResult, lang: str = "en") -> Any:
    """A rich renderable of the diff, in ``lang``."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    with language(lang):
        if diff.old == diff.new:
            before, after = column_heads(diff)
            head = _("{file}: scenario {old} → scenario {new}").format(file=diff.old, old=before, new=after)
        else:
            head = _("{old} ({old_scenario}) → {new} ({new_scenario})").format(
                old=diff.old, old_scenario=diff.old_scenario, new=diff.new, new_scenario=diff.new_scenario)
        parts: list[Any] = [Text(head, style="bold")]
        if diff.unchanged:
            parts.append(Text(_("No change.")))
            return Group(*parts)
        totals = Table(title=_("Scenario totals"), title_justify="left")
        before, after = column_heads(diff)
        for col, right in ((_("Figure"), False), (before, True), (after, True), (_("Change"), True)):
            totals.add_column(Text(col), justify="right" if right else "left")
        for key, d in diff.totals.items():
            digits = 1 if key == "fte_freed" else 0
            label = total_label(key) + (f" ({diff.currency})" if key in MONEY else "")
            totals.add_row(label, format_number(d.old, digits), format_number(d.new, digits),
                           _signed(d.delta, digits))
        parts.append(totals)
        for label, ids in ((_("Activities added"), diff.added), (_("Activities removed"), diff.removed),
                           (_("Relational goods gained"), diff.goods_gained),
                           (_("Relational goods lost"), diff.goods_lost)):
            if ids:
                parts.append(Text(_("{label}: {items}").format(label=label, items=", ".join(ids))))
        if diff.quadrant_moves:
            moves = Table(title=_("Quadrant changes"), title_justify="left")
            for col in (_("Activity"), _("Before"), _("After")):
                moves.add_column(col)
            for m in diff.quadrant_moves:
                moves.add_row(Text(m.name), quadrant_label(m.old), quadrant_label(m.new))
            parts.append(moves)
        _timeline_parts(diff, parts)
        if diff.activities:
            acts = Table(title=_("Hours by activity (largest change first)"), title_justify="left")
            for col, right in ((_("Activity"), False), (_("Hours freed"), True), (_("Change"), True),
                               (_("Hours received"), True), (_("Change"), True)):
                acts.add_column(col, justify="right" if right else "left")
            for a in diff.activities:
                acts.add_row(Text(a.name), format_number(a.hours_freed.new), _signed(a.hours_freed.delta),
                             format_number(a.hours_received.new), _signed(a.hours_received.delta))
            parts.append(acts)
        return Group(*parts)


def _timeline_parts(diff: DiffResult, parts: list[Any]) -> None:
    """Payback years, the trajectories side by side and the sensitivity ranking (rich renderables)."""
    from rich.table import Table
    from rich.text import Text

    from ..vocabulary import input_label

    old_pb, new_pb = diff.payback_year.get("old"), diff.payback_year.get("new")
    if diff.trajectory:
        def payback(year: int | None) -> str:
            return _("year {n}").format(n=year) if year is not None else _("none within the horizon")

        parts.append(Text(_("Payback: {old} → {new}").format(old=payback(old_pb), new=payback(new_pb))))
        years = Table(title=_("Net savings year by year ({currency})").format(currency=diff.currency),
                      title_justify="left")
        for col in (_("Year"), diff.old, diff.new, _("Change"), _("Cumulative"), _("Change")):
            years.add_column(Text(col), justify="right")
        for y in diff.trajectory:
            years.add_row(str(y.year), format_number(y.net_savings.old), format_number(y.net_savings.new),
                          _signed(y.net_savings.delta), format_number(y.cumulative.new), _signed(y.cumulative.delta))
        parts.append(years)
    if diff.sensitivity:
        from ..analysis.result import SensitivityEntry

        ranking = Table(title=_("What moves net savings most (rank and swing)"), title_justify="left")
        for col, right in ((_("Input"), False), (diff.old, True), (diff.new, True), (_("Swing change"), True)):
            ranking.add_column(Text(col), justify="right" if right else "left")
        for r in diff.sensitivity:
            name = input_label(SensitivityEntry(input=r.input, label=r.input.partition(":")[2] or r.input, low="",
                                                high="", net_savings=[], hours_reinvested=[],
                                                fte_no_longer_needed=[]))
            ranking.add_row(Text(name), "—" if r.old_rank is None else f"#{r.old_rank}",
                            "—" if r.new_rank is None else f"#{r.new_rank}", _signed(r.swing.delta))
        parts.append(ranking)
