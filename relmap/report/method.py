"""The method section and the appendix: formulas, thresholds, sources of priors, rubric, all activities."""

from __future__ import annotations

from .. import vocabulary as lb
from ..analysis.result import AnalysisResult, ScenarioResult
from ..analysis.roles import EXACT_NODES
from ..analysis.uncertainty import EXACT_LIMIT, GROUP_LIMIT
from ..analysis.whatif import RERUN_EXACT_LIMIT
from ..i18n import _, format_number, get_language
from .blocks import Item, Section, Table, fte, hours, money, score, spread
from .sections import net_formula


def prior_table(result: AnalysisResult) -> Table | None:
    """The archetype and occupation priors the activities used, with their published source."""
    from ..seeds import get_prior

    used = sorted(
        {
            (a.automatability_source, a.automatability_ref)
            for a in result.activities
            if a.automatability_source in ("archetype", "occupation") and a.automatability_ref
        }
    )
    users_of: dict[str, list[str]] = {}
    for a in result.activities:
        if a.automatability_ref:
            users_of.setdefault(a.automatability_ref, []).append(a.name)
    rows = []
    for kind, ref in used:
        prior = get_prior(kind, ref) if ref else None
        if prior is None or ref is None:
            continue
        name = prior.name_fr if get_language() == "fr" else prior.name_en
        users = ", ".join(users_of.get(ref, []))
        rows.append(
            [
                f"{name} ({ref})",
                f"{score(prior.low)} / {score(prior.mode)} / {score(prior.high)}",
                users,
                prior.source,
            ]
        )
    if not rows:
        return None
    return Table(
        [_("Prior"), _("Low / mode / high"), _("Used by"), _("Source")],
        rows,
        [False, True, False, False],
        caption=_("Sources of the automatability priors"),
    )


def rubric_table() -> Table:
    """The seven rubric dimensions, their question and the literature they come from."""
    from ..seeds import rubric_guide

    guide = rubric_guide()
    lang = get_language()
    refs = guide.get("references", {})
    rows = []
    for info in guide.get("dimensions", {}).values():
        cites = " ".join(str(refs[k]["citation"]) for k in info.get("sources", []) if k in refs)
        rows.append([str(info["name"][lang]), str(info["question"][lang]), cites])
    return Table(
        [_("Dimension"), _("The activity's value depends on…"), _("Sources")],
        rows,
        [False, False, False],
        caption=_("Relational rubric (0 = absent … 4 = essential)"),
    )


def _time_saving_text(result: AnalysisResult) -> str:
    """``T`` as written in the method: ``0.5`` or ``0.5 (0.5–0.8)``."""
    t = result.assumptions.get("exposure_time_saving", 0.5)
    if isinstance(t, dict):
        low, high = float(t.get("low", 0.5)), float(t.get("high", 0.5))
        mode = float(t["mode"]) if t.get("mode") is not None else (low + high) / 2
    elif isinstance(t, list):
        low, high = float(t[0]), float(t[1])
        mode = (low + high) / 2
    else:
        low = mode = high = float(t)
    return spread(low, mode, high)


def _roles_items(result: AnalysisResult) -> list[Item]:
    """The mobility rule and the training arithmetic of roles, and the at-risk rule."""
    items = []
    if result.policy.get("mobility") == "role":
        items.append(Item(
            _("Role mobility"),
            _("freed hours of role r in activity x may go to relational good y when y is staffed by r (move cost "
              "5, no training), by a role of r's family ({family} h of training per FTE), or by a role in r's "
              "can_move_to (its training hours per FTE). A change of role costs 10 + round(1000 × t / H × "
              "c_r / c̄) in the arc cost (t training hours per FTE, H = {hpf} h per FTE, c_r the role's "
              "hourly cost or its activities' mean, c̄ the mean hourly cost), so the cheapest plausible moves "
              "win; explicit transfers always apply. Training needed = hours moved × t / H, drawn from the "
              "training line; a shortfall is a training gap. Suppliers are the roles, hubs their families and "
              "receiving roles; above "
              "{nodes} nodes the same arcs are filled cheapest first instead of solved exactly").format(
                family=format_number(float(result.policy.get("family_training_hours", 35.0))),
                hpf=format_number(result.hours_per_fte),
                nodes=format_number(EXACT_NODES)),
        ))
    items.append(Item(
        _("Who is affected"),
        _("role r's hours in x = h_x × its share (equal shares for 'roles', else 'staffing'), and so its freed, "
          "kept, training and community hours; an hour costs the role's hourly cost, else the activity's, "
          "else the company's. No longer needed = freed − kept − redeployed − training − community; a role "
          "is at risk when that exceeds {risk} × its hours. Without roles, each activity is its own role").format(
            risk=score(float(result.policy.get("role_risk", 0.25)))),
    ))
    return items


def method_section(result: AnalysisResult) -> Section:
    """Assumptions and method: formulas, thresholds, defaults, policy, sources of priors, rubric."""
    c = result.company
    th = result.thresholds
    formulas = [
        Item(
            _("Hours"),
            _("h = fte × hours per FTE ({hpf} h), or the hours given").format(
                hpf=format_number(result.hours_per_fte)
            ),
        ),
        Item(
            _("Relational index"),
            _(
                "r = weighted mean of the seven rubric scores / 4, or the number given, or "
                "none 0, low 0.25, medium 0.5, high 0.75, very_high 1"
            ),
        ),
        Item(
            _("Quadrant"),
            _(
                "automate: a ≥ {ta}, r < {tr} · augment: a ≥ {ta}, r ≥ {tr} · relational core: "
                "a < {ta}, r ≥ {tr} · sustain: a < {ta}, r < {tr}"
            ).format(ta=score(th.get("automatable", 0.5)), tr=score(th.get("relational", 0.5))),
        ),
        Item(
            _("Automatability from an occupation"),
            _(
                "a = E × T: E = exposure of the occupation (share of its tasks an LLM could speed up by at "
                "least half; Eloundou et al. 2024, rater: {rater}), T = share of an exposed task's time saved "
                "({t}). Exposure is not automation: these are hours AI could free, not hours it takes over."
            ).format(rater=str(result.assumptions.get("exposure_rater", "both")),
                     t=_time_saving_text(result)),
        ),
        Item(_("Hours AI could free"), _("hours freed = h × a × adoption (0 when keep_human)")),
        Item(
            _("Value freed"),
            _("value freed = hours freed × hourly cost ({currency})").format(
                currency=c.get("currency") or "EUR"
            ),
        ),
        Item(
            _("Relational dividend"),
            _("hours AI frees inside a relational good stay in it, as time given back to the relation (kept)")
            if result.policy.get("relational_dividend", "all") == "all"
            else _("policy relational_dividend: share — a relational good's freed hours are split like any "
                   "other, and keeping them uses its capacity"),
        ),
        Item(
            _("Split"),
            _(
                "the other freed hours go by the scenario's shares to reinvestment, recognition (their value "
                "funds the premium), training and community; the rest is savings. With no relational good, the "
                "recognition share goes to savings"
            ),
        ),
        Item(
            _("Reinvestment"),
            _(
                "minimum-cost flow from freeing activities to relational goods, each able to receive at most "
                "{max} × its hours; moves allowed: {mobility}, plus {n} explicit transfers. Arc cost = "
                "100 × (1 − r) of the good + a customer term (0 if it touches a customer, 10 per flow hop to "
                "one up to 50, 60 if none) + the move (0 own, 1 transfer, 10 same stage, 10 per hop, 30 "
                "elsewhere). With mobility 'any', hours first fill goods of their own stage, then the rest goes "
                "to the cheapest goods anywhere. Ties break on content, never on ids"
            ).format(
                max=score(float(result.policy.get("max_increase", 0.3))),
                mobility=lb.mobility_label(str(result.policy.get("mobility", "any"))),
                n=len(result.policy.get("transfers") or []),
            ),
        ),
        *_roles_items(result),
        Item(
            _("Balance"),
            _(
                "kept + reinvested + not placed + recognition + training + community + savings = hours AI "
                "could free; each line's value = its hours × the hourly cost of the activities they were "
                "freed in, so the values add up to the value freed"
            ),
        ),
        Item(
            _("AI cost and net savings"),
            _("AI cost = yearly + per user × users (FTE of the activities where AI frees hours); net savings "
              "= {formula}").format(formula=net_formula(result)),
        ),
        Item(
            _("Borderline"),
            _("an activity whose a or r is within {m} of its threshold is flagged borderline: its quadrant "
              "is a judgement call").format(m=score(float(th.get("borderline", 0.05)))),
        ),
        Item(
            _("Point estimates"),
            _("a range [low, high] counts as its midpoint, {low, mode, high} as its mode"),
        ),
    ]
    if result.uncertainty:
        formulas.extend(uncertainty_items(result))
    formulas.extend(timeline_items(result))
    priors = prior_table(result)
    notes = (
        [] if priors else [_("No archetype or occupation prior was used: every automatability was given.")]
    )
    tables = [t for t in (priors, rubric_table()) if t is not None]
    sec = Section("method", _("Assumptions and method"), items=formulas, tables=tables, notes=notes)
    sec.paragraphs.append(
        _(
            "relmap {version}. Every figure above is computed from the company file by the "
            "formulas below; archetype and occupation priors cite their published source."
        ).format(version=result.version)
    )
    return sec


def appendix_section(result: AnalysisResult, scen: ScenarioResult) -> Section:
    """Every activity, with its inputs and results."""
    rows = []
    for a in result.activities:
        ar, rr = a.automatability_range, a.relational_range
        s = a.by_scenario.get(scen.id)
        rows.append(
            [
                a.id,
                a.name,
                lb.stage_name(result, a.stage),
                hours(a.hours),
                fte(a.fte),
                money(result, a.hourly_cost),
                spread(ar.low, ar.point, ar.high),
                lb.source_label(a.automatability_source),
                spread(rr.low, rr.point, rr.high),
                lb.quadrant_label(a.quadrant),
                _("yes") if a.keep_human else "",
                hours(s.hours_freed) if s else "—",
                lb.activity_flags(a),
            ]
        )
    cols = [
        _("Id"),
        _("Activity"),
        _("Stage"),
        _("Hours"),
        _("FTE"),
        _("Hourly cost"),
        _("Automatability"),
        _("Source"),
        _("Relational index"),
        _("Quadrant"),
        _("Keep human"),
        _("Hours freed"),
        _("Flags"),
    ]
    numeric = [False, False, False, True, True, True, True, False, True, False, False, True, False]
    return Section(
        "appendix",
        _("Appendix: all activities"),
        paragraphs=[_("Hours freed in scenario {name}.").format(name=scen.name)],
        tables=[Table(cols, rows, numeric)],
    )


def uncertainty_items(result: AnalysisResult) -> list[Item]:
    """The Monte Carlo as computed: copula, what is drawn once per draw, how reinvested hours were solved."""
    mc = result.uncertainty
    if mc is None:
        return []
    rho = mc.correlation
    role = result.policy.get("mobility") == "role"
    how = {
        "closed_form": _("in every draw, the total the allocation places, in closed form (mobility 'any': "
                         "min(pool, capacity); 'stage' without transfers: the sum over stages of min(pool, "
                         "capacity))"),
        "max_flow": (_("the maximum flow of the role network (a supplier per role, each activity's supply split "
                       "by its staffing shares, a hub per receiving role), built once (only the supplies change "
                       "between draws), solved in {n} of the draws, evenly spaced") if role else
                     _("the maximum flow of the allocation network, built once (only the supplies change "
                       "between draws), solved in {n} of the draws, evenly spaced")).format(
                          n=format_number(mc.solved_draws)),
        "approximation": {
            "greedy": _("above {n} activities, the role allocation fills its network greedily (above {nodes} "
                        "nodes), so an approximation: min(share of the pool placed at the point estimate × pool, "
                        "total capacity) in each draw").format(n=format_number(EXACT_LIMIT),
                                                               nodes=format_number(EXACT_NODES)),
            "below_maximum": _("the role allocation fills its network greedily (above {nodes} nodes) and placed "
                               "less than its maximum flow at the point estimate, so an approximation: min(share of "
                               "the pool placed at the point estimate × pool, total capacity) in each "
                               "draw").format(nodes=format_number(EXACT_NODES)),
        }.get(mc.approximated or "", _("above {n} activities and {groups} supplier groups, an approximation: "
                                       "min(share of the pool placed at the point estimate × pool, total capacity) "
                                       "in each draw").format(n=format_number(EXACT_LIMIT),
                                                              groups=format_number(GROUP_LIMIT))),
    }.get(mc.reinvested, mc.method)
    return [
        Item(_("Uncertainty"), _(
            "{draws} Monte Carlo draws (seed {seed}) on the {n} ranged inputs, triangular; P10/P50/P90 "
            "reported").format(draws=format_number(mc.draws), seed=mc.seed, n=format_number(mc.uncertain_inputs))),
        Item(_("Correlation"), _(
            "automatability (exposure E for occupation priors) is drawn through a one-factor Gaussian copula: "
            "U = Φ(√ρ′ Z + √(1 − ρ′) ε), a common factor Z per draw and ε per activity, ρ′ = 2 sin(π ρ / 6) "
            "for the rank correlation ρ = {rho}; the time saved T and each scenario's adoption are drawn once "
            "per draw, shared by every activity").format(rho=score(rho))),
        Item(_("Reinvested hours per draw"), how + _("; net savings per draw value the reinvested hours at the "
                                                     "draw's mean hourly cost of the reinvest pool")),
    ]


def timeline_items(result: AnalysisResult) -> list[Item]:
    """The sensitivity protocol and the trajectory formulas."""
    items = []
    if result.sensitivity:
        items.append(Item(_("Sensitivity"), _(
            "lead scenario; one input at a time set to a low and a high value (adoption: its range, else ± 0.15; "
            "each share ± 0.1 keeping their sum ≤ 1; max_increase × 0.5 / × 1.5; thresholds ± 0.1; time saved T "
            "at its low and high; rater GPT-4 / human; hourly costs × 0.9 / × 1.1; AI costs × 0.5 / × 1.5; the "
            "other mobility rules; the five activities whose automatability range moves the most value), the "
            "scenario computed again without Monte Carlo; inputs ranked by the swing of net savings")))
        if len(result.activities) > RERUN_EXACT_LIMIT:
            items.append(Item(_("Re-runs above {n} activities").format(n=format_number(RERUN_EXACT_LIMIT)), _(
                "sensitivity and trajectory years take the total the allocation places (in closed form, or the "
                "maximum flow of its network) and value the reinvested hours at the mean hourly cost of the "
                "reinvest pool, instead of a full allocation per run")))
    if any(s.trajectory for s in result.scenarios.values()):
        rate = float(result.assumptions.get("discount_rate", 0.0))
        items.append(Item(_("Trajectory"), _(
            "adoption year t = the file's adoption_path, else adoption × (L(t) − L(0)) / (L(H) − L(0)) with "
            "L(t) = 1 / (1 + e^(−8 (t − H/2) / H)), H = horizon_years; each year is the scenario computed at "
            "that adoption; AI cost_t = yearly + per user × users × adoption_t / adoption, + one-off in year 1; "
            "NPV = Σ net_t / (1 + {rate})^t; payback = first year whose cumulative net savings ≥ 0").format(
                rate=score(rate))))
    return items
