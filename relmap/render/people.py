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

from ..analysis.result import AnalysisResult, RoleResult, RoleScenario
from ..i18n import _, language
from .canvas import ASCENT, DESCENT, Canvas
from .plot import TICK, TICK_PAD, Frame, legend, nice_ticks, tick_bins, x_axis
from .text import fmt_fte, fmt_number, fmt_percent, wrap
from .theme import OKABE_ITO, Theme, get_theme

__all__ = ["MAX_ROWS", "PARTS", "PeopleRow", "activity_roles", "part_colours", "part_labels", "people_canvas",
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


def people_canvas(result: AnalysisResult, *, scenario: str | None = None, theme: str | Theme = "light",
                  lang: str = "en") -> Canvas:
    """The people view laid out: its SVG is written directly, its PNG drawn by Pillow."""
    th = get_theme(theme)
    with language(lang):
        scen = result.scenario_or_none(scenario)
        rows = people_rows(result, scen.id) if scen is not None else []
        n = max(1, len(rows))
        height = min(13.5, max(5.0, 1.9 + 0.3 * n))
        c = Canvas(13.33 * 72, height * 72, th.background)
        company = str(result.company.get("name") or "")
        with c.group("title"):
            c.text(0.03 * c.width, c.height - 0.35 * 72, _("{company} — who is affected").format(company=company),
                   size=19, bold=True, color=th.text, va="top")
        if scen is None or not rows:
            c.text(c.width / 2, c.height / 2, _("No role has hours in this analysis."), ha="center", va="center",
                   size=16, color=th.muted)
            return c
        at_risk = [r for r in rows if r.at_risk]
        sub = [_("Scenario “{name}”").format(name=scen.name),
               _("{fte} no longer needed").format(fte=fmt_fte(scen.fte_no_longer_needed, lang)),
               _("{n} at risk (more than {share} of their hours no longer needed)").format(
                   n=len(at_risk), share=fmt_percent(float(result.policy.get("role_risk", 0.25)), lang))]
        with c.group("subtitle"):
            c.text(0.03 * c.width, c.height - 0.8 * 72, " · ".join(sub), size=12, color=th.muted, va="top")
        colors = part_colours()
        labels = part_labels()
        biggest = max(r.hours for r in rows) or 1.0
        font = 11 if n <= 20 else 9 if n <= 30 else 8
        # bars top to bottom: row k spans k ± 0.36 on an axis from n − 0.5 (bottom) to −0.5 (top)
        f = Frame(0.30 * c.width, 0.9 * 72, 0.92 * c.width, c.height - 1.25 * 72, 0.0, biggest * 1.12, n - 0.5, -0.5)
        with c.group("bars"):
            for y, row in enumerate(rows):
                left = 0.0
                for part in PARTS:
                    width = row.parts[part]
                    if width > 0:
                        c.rect(f.x(left), f.y(y + 0.36), f.x(left + width) - f.x(left), f.y(y - 0.36) - f.y(y + 0.36),
                               fill=colors[part], stroke=th.background, width=0.5)
                    left += width
        with c.group("at-risk"):
            for y, row in enumerate(rows):
                if row.at_risk:
                    end = sum(row.parts[part] for part in PARTS)
                    c.text(f.x(end + biggest * 0.01), f.y(y), f"{WARN} {fmt_percent(row.share_lost, lang)}",
                           va="center", size=font, color=OKABE_ITO["vermillion"], bold=True)
        with c.group("roles"):
            c.line([(f.x0, f.y0), (f.x0, f.y1)], th.muted, 0.8)
            for y, row in enumerate(rows):
                name = " ".join(wrap(row.label, 1000)) + (f" {WARN}" if row.at_risk else "")
                c.line([(f.x0, f.y(y)), (f.x0 - TICK, f.y(y))], th.muted, 0.8)
                c.text(f.x0 - TICK - TICK_PAD, f.y(y), name, size=font, ha="right", va="center",
                       color=OKABE_ITO["vermillion"] if row.at_risk else th.muted, bold=row.at_risk)
        with c.group("axis-x"):
            x_axis(c, f, nice_ticks(0.0, biggest * 1.12, tick_bins(f.x1 - f.x0)), lambda v: fmt_number(v, lang),
                   color=th.muted, title=_("hours per year"), title_color=th.text)
        with c.group("legend"):
            legend(c, c.width / 2, 0.4 * 10 + 10 * (ASCENT + DESCENT) + 5, [(colors[p], labels[p]) for p in PARTS],
                   color=th.text, columns=len(PARTS), anchor="center")
        return c
