"""The report section "Who is affected": per role, where its freed hours go, and who is at risk."""

from __future__ import annotations

from ..analysis.result import AnalysisResult, RoleResult, ScenarioResult
from ..i18n import _, format_percent
from .blocks import Figure, Item, Section, Table, fte, hours

__all__ = ["MAX_TABLE_ROLES", "at_risk_roles", "people_section", "people_table", "risk_reason", "roles_of"]

#: roles listed one by one in the table (the others are in analysis.json and the workbook)
MAX_TABLE_ROLES = 60


def roles_of(result: AnalysisResult) -> list[RoleResult]:
    """The result's roles, or each activity as its own role for a result without them."""
    from ..render.people import activity_roles

    return result.roles or result.derived("activity_roles", lambda: activity_roles(result))


def at_risk_roles(result: AnalysisResult, sid: str) -> list[RoleResult]:
    """Roles at risk in scenario ``sid``, most hours no longer needed first (ties: the roles' order)."""
    roles = [r for r in roles_of(result) if sid in r.by_scenario and r.by_scenario[sid].at_risk]
    return sorted(roles, key=lambda r: -r.by_scenario[sid].no_longer_needed)


def risk_reason(result: AnalysisResult, role: RoleResult, sid: str) -> str:
    """Why a role is at risk, in one sentence with its figures."""
    s = role.by_scenario[sid]
    share = s.no_longer_needed / role.hours if role.hours > 0 else 0.0
    text = _("{lost} h of its {total} h a year are no longer needed ({share}, above {limit}): {fte} FTE; "
             "{moved} h move to relational goods.").format(
        lost=hours(s.no_longer_needed), total=hours(role.hours), share=format_percent(share),
        limit=format_percent(float(result.policy.get("role_risk", 0.25))), fte=fte(s.fte_no_longer_needed),
        moved=hours(s.redeployed))
    if result.policy.get("mobility") == "role" and s.redeployed < 0.005 and s.hours_freed > 0:
        text += " " + _("No relational good is staffed by this role, its family or a role it can move to "
                        "(add a 'can_move_to' path with its training to open one).")
    return text


def people_table(result: AnalysisResult, sid: str, limit: int = MAX_TABLE_ROLES) -> Table:
    """Per role: hours, freed, kept, redeployed, training, community, no longer needed, training needed, at risk."""
    roles = [r for r in roles_of(result) if sid in r.by_scenario and r.hours > 0]
    roles = sorted(roles, key=lambda r: -r.by_scenario[sid].no_longer_needed)[:limit]
    rows = []
    for r in roles:
        s = r.by_scenario[sid]
        rows.append([r.name, r.family or "", hours(r.hours), hours(s.hours_freed), hours(s.kept),
                     hours(s.redeployed), hours(s.training), hours(s.community), hours(s.no_longer_needed),
                     fte(s.fte_no_longer_needed), hours(s.training_needed), _("yes") if s.at_risk else ""])
    columns = [_("Role"), _("Family"), _("Hours"), _("Freed"), _("Kept"), _("Redeployed"), _("Training"),
               _("Community"), _("No longer needed"), _("FTE no longer needed"), _("Training needed"),
               _("At risk")]
    caption = _("Hours per year; most hours no longer needed first.")
    if len(roles_of(result)) > limit:
        caption += " " + _("The {n} roles with the most hours no longer needed; all are in analysis.json and "
                           "the workbook.").format(n=limit)
    return Table(columns=columns, rows=rows, numeric=[False, False] + [True] * 9 + [False], caption=caption)


def people_section(result: AnalysisResult, scen: ScenarioResult) -> Section:
    """Who is affected: the people view, the at-risk roles and why, the per-role table."""
    sid = scen.id
    defined = any(r.defined for r in roles_of(result))
    paragraphs = [
        _("Freed hours of each role go to: kept (time given back inside relational goods), redeployed "
          "(placed in relational goods), training, skills volunteering, or no longer needed. "
          "{fte} FTE are no longer needed in this scenario, out of {freed} FTE of hours AI could free.").format(
            fte=fte(scen.fte_no_longer_needed), freed=fte(scen.fte_freed)),
    ]
    if not defined:
        paragraphs.append(_("The file defines no roles: each activity stands for its own role. Add top-level "
                            "'roles' to see who moves where."))
    risky = at_risk_roles(result, sid)
    items = [Item(r.name, risk_reason(result, r, sid)) for r in risky[:20]]
    if not risky:
        paragraphs.append(_("No role is at risk: no role loses more than {limit} of its hours.").format(
            limit=format_percent(float(result.policy.get("role_risk", 0.25)))))
    elif len(risky) > 20:
        paragraphs.append(_("{n} roles are at risk; the 20 most affected are listed.").format(n=len(risky)))
    fig = Figure("people", _("Who is affected"), _("Scenario {name}.").format(name=scen.name))
    return Section(id="people", title=_("Who is affected"), paragraphs=paragraphs, figures=[fig], items=items,
                   tables=[people_table(result, sid)])
