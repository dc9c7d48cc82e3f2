"""``people.svg``: who is affected — one horizontal bar per role.

Each bar is the role's hours in a year, split into:

* unchanged: ``hours − hours_freed`` (work AI does not touch);
* kept: freed hours that stay in a relational good (time given back to the relation);
* redeployed: freed hours placed in relational goods (own, transfers, role moves);
* training, community: the role's share of those lines;
* no longer needed: ``hours_freed − kept − redeployed − training − community``.

So each bar adds up to the role's hours. A role is *at risk* when its hours
no longer needed exceed ``policy.role_risk`` × its hours: its label is bold,
marked "⚠" and its percentage no longer needed is written at the bar's end.

Readable at slide size up to :data:`MAX_ROWS` bars: beyond, roles are summed
by family (a family bar is at risk when one of its roles is); if there are
still too many, the bars with the most hours no longer needed are kept and
the rest summed into one "other roles" bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..analysis.result import AnalysisResult, RoleResult, RoleScenario
from ..i18n import _, language
from .charts import mpl_context, new_figure
from .text import fmt_fte, fmt_number, fmt_percent, wrap
from .theme import OKABE_ITO, Theme, get_theme

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["MAX_ROWS", "PARTS", "PeopleRow", "activity_roles", "part_colours", "part_labels", "people_figure",
           "people_rows"]

MAX_ROWS = 40
#: the parts of a bar, left to right
PARTS: tuple[str, ...] = ("unchanged", "kept", "redeployed", "training", "community", "no_longer_needed")
WARN = "⚠"


@dataclass
class PeopleRow:
    """One bar: a role, a family of roles, or the other roles."""

    label: str
    hours: float
    parts: dict[str, float]
    at_risk: bool
    roles: int = 1
    roles_at_risk: int = 0

    @property
    def share_lost(self) -> float:
        """Hours no longer needed / hours (0 when no hours)."""
        return self.parts["no_longer_needed"] / self.hours if self.hours > 0 else 0.0


def part_labels() -> dict[str, str]:
    """The parts in words (current language)."""
    return {"unchanged": _("unchanged"), "kept": _("kept in a relational good"),
            "redeployed": _("redeployed to relational goods"), "training": _("training"),
            "community": _("skills volunteering"), "no_longer_needed": _("no longer needed")}


def _row(role: RoleResult, sid: str) -> PeopleRow:
    s = role.by_scenario[sid]
    parts = {"unchanged": max(0.0, role.hours - s.hours_freed), "kept": s.kept, "redeployed": s.redeployed,
             "training": s.training, "community": s.community, "no_longer_needed": max(0.0, s.no_longer_needed)}
    return PeopleRow(label=role.name, hours=role.hours, parts=parts, at_risk=s.at_risk,
                     roles_at_risk=int(s.at_risk))


def activity_roles(result: AnalysisResult) -> list[RoleResult]:
    """Each activity as its own role, for a result that has no ``roles`` (written before roles existed).

    kept = ``hours_kept``, redeployed = ``hours_sent``, training and community =
    the scenario's share × (freed − kept), as in the balance.
    """
    out = []
    risk = float(result.policy.get("role_risk", 0.25))
    for act in result.activities:
        rows = {}
        for sid, row in act.by_scenario.items():
            sc = result.scenarios.get(sid)
            if sc is None:
                continue
            rest = row.hours_freed - row.hours_kept
            training, community = sc.shares.get("training", 0.0) * rest, sc.shares.get("community", 0.0) * rest
            lost = row.hours_freed - (row.hours_kept + row.hours_sent + training + community)
            hpf = result.hours_per_fte
            rows[sid] = RoleScenario(hours_freed=row.hours_freed, kept=row.hours_kept, redeployed=row.hours_sent,
                                     training=training, community=community, no_longer_needed=lost,
                                     fte_no_longer_needed=lost / hpf, training_needed=0.0,
                                     at_risk=lost > risk * act.hours + 1e-9)
        out.append(RoleResult(id=act.id, name=act.name, defined=False, hours=act.hours, fte=act.fte,
                              activities=[act.id], by_scenario=rows))
    return out


def _sum(label: str, rows: list[PeopleRow]) -> PeopleRow:
    parts = {p: sum(r.parts[p] for r in rows) for p in PARTS}
    at_risk = sum(r.roles_at_risk for r in rows)
    return PeopleRow(label=label, hours=sum(r.hours for r in rows), parts=parts, at_risk=at_risk > 0,
                     roles=sum(r.roles for r in rows), roles_at_risk=at_risk)


def people_rows(result: AnalysisResult, scenario: str, max_rows: int = MAX_ROWS) -> list[PeopleRow]:
    """The bars to draw, in the roles' order (at most ``max_rows``; see the module docstring).

    Roles with no hours are left out.
    """
    roles = [r for r in (result.roles or activity_roles(result)) if r.hours > 0 and scenario in r.by_scenario]
    rows = [_row(r, scenario) for r in roles]
    if len(rows) <= max_rows:
        return rows
    families: dict[str, list[PeopleRow]] = {}
    for role, row in zip(roles, rows, strict=True):
        key = role.family if role.family is not None else "\x00" + role.id
        families.setdefault(key, []).append(row)
    grouped = [group[0] if len(group) == 1 else
               _sum(_("{family} ({n} roles)").format(family=key, n=len(group)), group)
               for key, group in families.items()]
    if len(grouped) <= max_rows:
        return grouped
    ranked = sorted(range(len(grouped)), key=lambda k: (-grouped[k].parts["no_longer_needed"], -grouped[k].hours, k))
    keep = sorted(ranked[:max_rows - 1])
    rest = [grouped[k] for k in ranked[max_rows - 1:]]
    return [grouped[k] for k in keep] + [_sum(_("other roles ({n})").format(n=sum(r.roles for r in rest)), rest)]


def part_colours() -> dict[str, str]:
    """The colour of each part of a bar (the same in every theme; the deck's native chart uses them too)."""
    return {"unchanged": "#D9D9D9", "kept": OKABE_ITO["bluish_green"], "redeployed": OKABE_ITO["sky_blue"],
            "training": OKABE_ITO["yellow"], "community": OKABE_ITO["reddish_purple"],
            "no_longer_needed": OKABE_ITO["vermillion"]}


def people_figure(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                  lang: str = "en") -> Figure:
    """The people view drawn, not saved."""
    th = get_theme(theme)
    with language(lang), mpl_context(th):
        scen = result.scenario_or_none(scenario)
        rows = people_rows(result, scen.id) if scen is not None else []
        n = max(1, len(rows))
        height = min(13.5, max(5.0, 1.9 + 0.3 * n))
        fig = new_figure(13.33, height)
        top = 1 - 1.25 / height
        company = str(result.company.get("name") or "")
        fig.text(0.03, 1 - 0.35 / height, _("{company} — who is affected").format(company=company), fontsize=19,
                 fontweight="bold", color=th.text, parse_math=False, va="top")
        if scen is None or not rows:
            fig.text(0.5, 0.5, _("No role has hours in this analysis."), ha="center", va="center", fontsize=16,
                     color=th.muted)
            return fig
        at_risk = [r for r in rows if r.at_risk]
        sub = [_("Scenario “{name}”").format(name=scen.name),
               _("{fte} no longer needed").format(fte=fmt_fte(scen.fte_no_longer_needed, lang)),
               _("{n} at risk (more than {share} of their hours no longer needed)").format(
                   n=len(at_risk), share=fmt_percent(float(result.policy.get("role_risk", 0.25)), lang))]
        fig.text(0.03, 1 - 0.8 / height, " · ".join(sub), fontsize=12, color=th.muted, parse_math=False, va="top")
        ax = fig.add_axes((0.30, 0.55 / height + 0.35 / height, 0.62, top - 0.9 / height))
        colors = part_colours()
        labels = part_labels()
        biggest = max(r.hours for r in rows) or 1.0
        font = 11 if n <= 20 else 9 if n <= 30 else 8
        # every part of every bar in one barh call (row by row, left to right: the order one call per part
        # drew them in), so matplotlib makes one container, not one per part (~0.2 s at 40 roles)
        ys, widths, lefts, fills = [], [], [], []
        for y, row in enumerate(rows):
            left = 0.0
            for part in PARTS:
                width = row.parts[part]
                if width > 0:
                    ys.append(y)
                    widths.append(width)
                    lefts.append(left)
                    fills.append(colors[part])
                left += width
        if ys:
            ax.barh(ys, widths, left=lefts, height=0.72, color=fills, edgecolor=th.background, linewidth=0.5)
        for y, row in enumerate(rows):
            left = sum(row.parts[part] for part in PARTS)
            if row.at_risk:
                ax.text(left + biggest * 0.01, y, f"{WARN} {fmt_percent(row.share_lost, lang)}", va="center",
                        ha="left", fontsize=font, color=OKABE_ITO["vermillion"], fontweight="bold",
                        parse_math=False)
        names = [" ".join(wrap(r.label, 1000)) + (f" {WARN}" if r.at_risk else "") for r in rows]
        ax.set_yticks(range(n), names, fontsize=font)
        for tick, row in zip(ax.get_yticklabels(), rows, strict=True):
            tick.set_parse_math(False)  # names are text: "$x$" is not a formula
            if row.at_risk:
                tick.set_fontweight("bold")
                tick.set_color(OKABE_ITO["vermillion"])
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, biggest * 1.12)
        ax.set_xlabel(_("hours per year"), fontsize=11)
        ax.xaxis.set_major_formatter(lambda v, _pos: fmt_number(v, lang))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        from matplotlib.patches import Patch

        handles = [Patch(color=colors[p], label=labels[p]) for p in PARTS]
        fig.legend(handles=handles, loc="lower center", ncol=6, fontsize=10, frameon=False,
                   bbox_to_anchor=(0.5, 0.0))
        return fig
