"""The spreadsheet form of the input format: one table per sheet, columns named like the YAML keys.

``activities.xlsx`` (:mod:`relmap.report.xlsx`) writes these tables and
``relmap import`` (:mod:`relmap.input.importing`) reads them back, so both
share the column lists below. Result columns (quadrant, hours freed…) follow
the input columns and are ignored by import.

Cell conventions: an uncertain value is written ``0.4..0.8`` (a range) or
``0.4..0.5..0.8`` (low..mode..high); lists are comma-separated; booleans are
TRUE/FALSE; a rubric is the seven score columns, ``relational`` left blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..analysis.result import AnalysisResult
from ..i18n import LANGUAGES, _
from ..input.model import (
    RELATIONAL_WORDS,
    RUBRIC_DIMENSIONS,
    Activity,
    Task,
    Triangle,
    ValueChain,
    as_triangle,
    from_occupation,
    task_list,
)

Kind = Literal["id", "text", "number", "int", "share", "score4", "bool", "list", "estimate", "relational", "enum",
               "shares"]


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header (the YAML key), the kind of its cells, and allowed values for enums."""

    name: str
    kind: Kind
    choices: tuple[str, ...] = ()


def _col(name: str, kind: Kind, *choices: str) -> Column:
    return Column(name, kind, tuple(choices))


#: Input columns of each table sheet, in order.
SHEETS: dict[str, tuple[Column, ...]] = {
    "activities": (
        _col("id", "id"), _col("name", "text"), _col("stage", "id"), _col("description", "text"),
        _col("roles", "list"), _col("touches", "list"), _col("fte", "number"), _col("hours", "number"),
        _col("hourly_cost", "number"), _col("automatability", "estimate"), _col("occupation", "text"),
        _col("archetype", "id"), _col("relational", "relational"),
        *(_col(d, "score4") for d in RUBRIC_DIMENSIONS),
        _col("keep_human", "bool"), _col("reason", "text"), _col("ai_provider", "text"),
        _col("pain_points", "list"), _col("staffing", "shares"),
    ),
    "tasks": (
        _col("activity", "id"), _col("name", "text"), _col("share", "number"), _col("automatability", "estimate"),
        _col("onet_task", "int"), _col("occupation", "text"), _col("archetype", "id"),
    ),
    "stages": (_col("id", "id"), _col("name", "text"), _col("kind", "enum", "primary", "support"),
               _col("description", "text")),
    "actors": (_col("id", "id"), _col("name", "text"),
               _col("kind", "enum", "customer", "supplier", "partner", "community", "regulator"),
               _col("description", "text")),
    "flows": (_col("from", "id"), _col("to", "id"),
              _col("kind", "enum", "information", "material", "service", "relationship"),
              _col("volume", "number"), _col("label", "text")),
    "scenarios": (_col("id", "id"), _col("name", "text"), _col("description", "text"),
                  _col("adoption", "estimate"), _col("reinvest", "share"), _col("recognition", "share"),
                  _col("training", "share"), _col("community", "share"), _col("costs.one_off", "number"),
                  _col("costs.yearly", "number"), _col("costs.per_user_year", "number"), _col("lead", "bool")),
    "transfers": (_col("from", "id"), _col("to", "id"), _col("training_hours_per_fte", "number")),
    "roles": (_col("id", "id"), _col("name", "text"), _col("hourly_cost", "number"), _col("family", "text"),
              _col("description", "text")),
    "role_moves": (_col("role", "id"), _col("to", "id"), _col("training_hours", "number")),
}

#: Field / value sheets: field name → kind.
SETTINGS: dict[str, tuple[Column, ...]] = {
    "company": (_col("name", "text"), _col("sector", "text"), _col("currency", "text"),
                _col("hours_per_fte", "number"), _col("hourly_cost", "number"),
                _col("language", "enum", *LANGUAGES), _col("date", "text")),
    "policy": (_col("max_increase", "number"), _col("mobility", "enum", "any", "stage", "adjacent", "role"),
               _col("max_distance", "int"), _col("relational_dividend", "enum", "all", "share"),
               _col("unplaced", "enum", "savings", "keep"), _col("family_training_hours", "number"),
               _col("role_risk", "share")),
    "thresholds": (_col("automatable", "share"), _col("relational", "share"), _col("borderline", "share"),
                   *(_col(f"rubric_weights.{d}", "number") for d in RUBRIC_DIMENSIONS)),
    "assumptions": (_col("exposure_rater", "enum", "gpt4", "human", "both"),
                    _col("exposure_time_saving", "estimate"), _col("correlation", "share"),
                    _col("discount_rate", "number")),
}

#: Sheet order in the workbook.
SHEET_ORDER: tuple[str, ...] = ("activities", "company", "stages", "actors", "flows", "scenarios", "policy",
                                "transfers", "thresholds", "assumptions", "tasks", "roles", "role_moves")

#: Result columns appended to a sheet when the workbook is built from an analysis (ignored by import).
RESULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "activities": ("quadrant", "relational_good", "relational_index", "automatability_point",
                   "automatability_source", "hours_freed", "value_freed", "hours_received", "flags"),
    "scenarios": ("hours_freed", "value_freed", "fte_freed", "hours_kept", "hours_reinvested", "unallocated",
                  "savings_value", "ai_cost", "net_savings"),
    "roles": ("hours", "fte", "hours_freed", "redeployed", "no_longer_needed", "fte_no_longer_needed",
              "training_needed", "at_risk"),
}

#: The ``trajectory`` sheet of a workbook built from an analysis: every scenario year by year (a result sheet:
#: 'relmap import' reads only the input sheets, so it is ignored).
TRAJECTORY_COLUMNS: tuple[str, ...] = ("scenario", "year", "adoption", "hours_freed", "hours_reinvested",
                                       "fte_no_longer_needed", "ai_cost", "net_savings", "cumulative")


def column_help(sheet: str, name: str) -> str:
    """What a column holds, in the current language (the header's comment)."""
    helps = {
        "id": _("Identifier: lower-case letters, digits, '_' or '-', starting with a letter."),
        "name": _("Name shown on diagrams and reports."),
        "stage": _("Id of the stage (a row of the 'stages' sheet)."),
        "description": _("Free description."),
        "roles": _("Job roles, comma-separated: ids of the 'roles' sheet when it has rows (equal shares), else "
                   "free text."),
        "staffing": _("Share of the hours each role carries, 'role: share' comma-separated (the shares add up "
                      "to 1); instead of 'roles'."),
        "family": _("Job family: roles of one family may take each other's work after training."),
        "role": _("Id of the role whose people may move."),
        "training_hours": _("Training hours per FTE moved."),
        "touches": _("Ids of the actors it is in direct contact with, comma-separated."),
        "fte": _("Size in full-time equivalents (give fte or hours, not both)."),
        "hours": _("Size in hours per year (give fte or hours, not both)."),
        "hourly_cost": _("Loaded hourly cost in the company's currency (blank: company default)."),
        "automatability": _("Share of the hours AI could free, 0..1: a number, low..high, or low..mode..high."),
        "occupation": _("O*NET-SOC code whose exposure is the prior (e.g. 43-4051.00)."),
        "archetype": _("Archetype key whose prior to use (see 'relmap archetypes')."),
        "relational": _("0..1, low..high, or a word: none, low, medium, high, very_high. Blank when the rubric "
                        "columns are filled."),
        "keep_human": _("TRUE when the process is valued for itself: nothing of it is freed."),
        "reason": _("Why it must stay human (required with keep_human)."),
        "ai_provider": _("AI vendor or product that would take over the work."),
        "pain_points": _("Known problems, comma-separated."),
        "activity": _("Id of the activity the task belongs to."),
        "share": _("Share of the activity's time, 0..1."),
        "onet_task": _("O*NET task id whose exposure × time saved is the prior (see 'relmap tasks CODE')."),
        "kind": _("One of the values offered in the cell's list."),
        "from": _("Id of the activity or actor it leaves."),
        "to": _("Id of the activity or actor it reaches."),
        "volume": _("How much passes per year, in any unit."),
        "label": _("Short label drawn on the edge."),
        "adoption": _("Share of the technical potential realised, 0..1 or low..high."),
        "reinvest": _("Share of freed hours reinvested in relational goods, 0..1."),
        "recognition": _("Share of freed value paid as recognition, 0..1."),
        "training": _("Share of freed hours spent on training, 0..1."),
        "community": _("Share of freed hours given as skills volunteering, 0..1."),
        "training_hours_per_fte": _("Training hours needed per FTE moved."),
        "field": _("Setting name (do not change)."),
        "costs": _("AI cost in the company's currency: one_off (once), yearly, per_user_year (per FTE in "
                   "activities where AI frees hours)."),
        "lead": _("TRUE for the scenario that leads the headline figures (at most one)."),
        "value": _("Setting value."),
    }
    if name in RUBRIC_DIMENSIONS:
        return _("Rubric score 0..4 (0 absent … 4 essential). Fill all seven or none.")
    if name in RESULT_COLUMNS.get(sheet, ()) or sheet == "trajectory":
        return _("Result of the analysis: ignored by 'relmap import'.")
    return helps.get(name, "")


# --------------------------------------------------------------------------- cell values


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else float(value)


def estimate_cell(value: float | list[float] | Triangle | None) -> Any:
    """An estimate as a cell: a number, ``low..high`` (a range) or ``low..mode..high`` (a triangle).

    None stays None. A ``{low, high}`` triangle without mode is written with its
    midpoint as the mode (the same distribution).
    """
    if value is None:
        return None
    low, mode, high = as_triangle(value)
    if high - low < 1e-12:
        return _num(mode)
    if isinstance(value, list | tuple):
        return f"{_num(low)}..{_num(high)}"
    return f"{_num(low)}..{_num(mode)}..{_num(high)}"


def _spread_cell(low: float, point: float, high: float) -> Any:
    if high - low < 1e-12:
        return _num(round(point, 6))
    if abs(point - (low + high) / 2) < 1e-9:
        return f"{_num(round(low, 6))}..{_num(round(high, 6))}"
    return f"{_num(round(low, 6))}..{_num(round(point, 6))}..{_num(round(high, 6))}"


def _list_cell(items: list[str]) -> str | None:
    """A list as a cell: one item per line (items hold no line break, so this is exact).

    A single item holding ``,`` or ``;`` gets a final line break, so that it
    is not read as several items the way a typed ``a, b`` is
    (:func:`relmap.input.cells.items`).
    """
    if not items:
        return None
    text = "\n".join(items)
    if len(items) == 1 and ("," in text or ";" in text):
        text += "\n"
    return text


def _shares_cell(shares: dict[str, float] | None) -> str | None:
    """``{clerk: 0.6, notary: 0.4}`` → ``clerk: 0.6, notary: 0.4``."""
    return ", ".join(f"{k}: {_num(v)}" for k, v in shares.items()) if shares else None


def _relational_cells(value: Any) -> dict[str, Any]:
    if hasattr(value, "identity") and not isinstance(value, Triangle):
        return {d: _num(getattr(value, d)) for d in RUBRIC_DIMENSIONS}
    if isinstance(value, str):
        return {"relational": value}
    return {"relational": estimate_cell(value)}


def rows_from_chain(chain: ValueChain) -> dict[str, list[dict[str, Any]]]:
    """Every input table of ``chain``, as rows of cell values keyed by column name (exact round trip)."""
    acts, tasks = [], []
    for a in chain.sorted_activities():
        row: dict[str, Any] = {
            "id": a.id, "name": a.name, "stage": a.stage, "description": a.description,
            "roles": _list_cell(a.roles), "staffing": _shares_cell(a.staffing),
            "touches": _list_cell(a.touches),
            "fte": a.fte, "hours": a.hours, "hourly_cost": a.hourly_cost,
            "automatability": estimate_cell(a.automatability),
            "occupation": a.occupation, "archetype": a.archetype, "keep_human": a.keep_human, "reason": a.reason,
            "ai_provider": a.ai_provider, "pain_points": _list_cell(a.pain_points),
        }
        row.update(_relational_cells(a.relational))
        acts.append(row)
        for t in task_rows(a):
            tasks.append({"activity": a.id, "name": t.name, "share": t.share,
                          "automatability": estimate_cell(t.automatability), "onet_task": t.onet_task,
                          "occupation": t.occupation, "archetype": t.archetype})
    return {
        "activities": acts,
        "tasks": tasks,
        "stages": [s.model_dump() for s in chain.stages],
        "actors": [a.model_dump() for a in chain.actors],
        "flows": [f.model_dump(by_alias=True) for f in chain.sorted_flows()],
        "scenarios": [_scenario_row(s.model_dump(), estimate_cell(s.adoption)) for s in chain.scenarios],
        "transfers": [t.model_dump(by_alias=True) for t in chain.policy.transfers],
        "roles": [r.model_dump(exclude={"can_move_to"}) for r in chain.roles],
        "role_moves": [{"role": r.id, "to": m.role, "training_hours": m.training_hours}
                       for r in chain.roles for m in r.can_move_to],
        "company": [chain.company.model_dump()],
        "policy": [chain.policy.model_dump(exclude={"transfers"})],
        "thresholds": [_thresholds_row(chain.thresholds.automatable, chain.thresholds.relational,
                                       chain.thresholds.rubric_weights.model_dump(), chain.thresholds.borderline)],
        "assumptions": [{**chain.assumptions.model_dump(),
                         "exposure_time_saving": estimate_cell(chain.assumptions.exposure_time_saving)}],
    }


def task_rows(act: Activity) -> list[Task]:
    """An activity's tasks as rows: its list, or the O*NET tasks it takes ``from_occupation`` with their shares.

    Why: the spreadsheet has no cell for ``from_occupation``; the split it
    stands for is written out (same tasks, same shares, same numbers). Rows
    are named by task id (``O*NET task 2620``), not by the O*NET statement,
    which would need the O*NET attribution in the workbook.
    """
    from ..analysis.scores import split_from_occupation

    if from_occupation(act) is None:
        return task_list(act)
    return [Task(name=_("O*NET task {id}").format(id=task_id), share=share, onet_task=task_id)
            for share, task_id in split_from_occupation(act)]


def _scenario_row(dump: dict[str, Any], adoption: Any) -> dict[str, Any]:
    """A scenario's cells: its fields, ``adoption`` as a cell, costs as ``costs.*`` columns."""
    costs = dump.pop("costs", None) or {}
    return {**dump, "adoption": adoption, **{f"costs.{k}": v for k, v in costs.items()}}


def _thresholds_row(automatable: float, relational: float, weights: dict[str, float],
                    borderline: float = 0.05) -> dict[str, Any]:
    row: dict[str, Any] = {"automatable": automatable, "relational": relational, "borderline": borderline}
    row.update({f"rubric_weights.{d}": weights.get(d, 1.0) for d in RUBRIC_DIMENSIONS})
    return row


def _activity_row_from_result(act: Any) -> dict[str, Any]:
    ar, rr = act.automatability_range, act.relational_range
    row: dict[str, Any] = {
        "id": act.id, "name": act.name, "stage": act.stage,
        "roles": _list_cell(act.roles) if not act.staffing else None, "staffing": _shares_cell(act.staffing),
        "touches": _list_cell(act.touches), "hours": _num(round(act.hours, 6)), "hourly_cost": act.hourly_cost,
        "keep_human": act.keep_human, "reason": act.reason, "ai_provider": act.ai_provider,
        "pain_points": _list_cell(act.pain_points),
    }
    if act.automatability_source in ("archetype", "occupation") and act.automatability_ref:
        row[act.automatability_source] = act.automatability_ref
    else:
        row["automatability"] = _spread_cell(ar.low, ar.point, ar.high)
    if act.relational_source == "rubric" and act.rubric:
        row.update({d: _num(act.rubric.get(d, 0.0)) for d in RUBRIC_DIMENSIONS})
    elif act.relational_source == "word":
        words = {v: k for k, v in RELATIONAL_WORDS.items()}
        row["relational"] = words.get(round(act.relational_index, 6), _spread_cell(rr.low, rr.point, rr.high))
    else:
        row["relational"] = _spread_cell(rr.low, rr.point, rr.high)
    return row


def rows_from_result(result: AnalysisResult) -> dict[str, list[dict[str, Any]]]:
    """The input tables as far as the result records them.

    Sizes come back as ``hours`` and costs as resolved; an automatability
    derived from tasks comes back as its value (the tasks are not in the
    result); descriptions are not kept. Pass the chain for an exact round trip.
    """
    policy = dict(result.policy)
    transfers = policy.pop("transfers", None) or []
    company = {k: v for k, v in result.company.items() if k in {c.name for c in SETTINGS["company"]}}
    th = result.thresholds
    return {
        "activities": [_activity_row_from_result(a) for a in result.activities],
        "tasks": [],
        "stages": [s.model_dump() for s in result.stages],
        "actors": [a.model_dump() for a in result.actors],
        "flows": [f.model_dump(by_alias=True, exclude_none=True) for f in result.flows],
        "scenarios": [{"id": s.id, "name": s.name,
                       "adoption": _spread_cell(s.adoption_range.low, s.adoption_range.point,
                                                s.adoption_range.high),
                       **{k: s.shares.get(k, 0.0) for k in ("reinvest", "recognition", "training", "community")},
                       **{f"costs.{k}": v for k, v in s.costs.items()}, "lead": s.id == result.lead}
                      for s in result.scenarios.values()],
        "transfers": [dict(t) for t in transfers if isinstance(t, dict)],
        "roles": [{"id": r.id, "name": r.name, "hourly_cost": r.hourly_cost, "family": r.family}
                  for r in result.roles if r.defined],
        "role_moves": [{"role": r.id, "to": m["role"], "training_hours": m["training_hours"]}
                       for r in result.roles if r.defined for m in r.can_move_to],
        "company": [company],
        "policy": [{k: v for k, v in policy.items() if k in {c.name for c in SETTINGS["policy"]}}],
        "thresholds": [_thresholds_row(th.get("automatable", 0.5), th.get("relational", 0.5), {},
                                       th.get("borderline", 0.05))],
        "assumptions": [{**result.assumptions,
                         "exposure_time_saving": _assumed_estimate(result.assumptions.get("exposure_time_saving"))}],
    }


def _assumed_estimate(value: Any) -> Any:
    """``exposure_time_saving`` as dumped in the result (number, [low, high] or a dict) → its cell."""
    if isinstance(value, dict):
        low, high = float(value["low"]), float(value["high"])
        mode = float(value["mode"]) if value.get("mode") is not None else (low + high) / 2
        return _spread_cell(low, mode, high)
    if isinstance(value, list):
        return _spread_cell(float(value[0]), (float(value[0]) + float(value[1])) / 2, float(value[1]))
    return value


def result_cells(result: AnalysisResult, scenario: str) -> dict[str, dict[str, dict[str, Any]]]:
    """Result columns by sheet, then by row id (activities: lead scenario ``scenario``)."""
    acts: dict[str, dict[str, Any]] = {}
    for a in result.activities:
        s = a.by_scenario.get(scenario)
        acts[a.id] = {
            "quadrant": a.quadrant, "relational_good": a.relational_good,
            "relational_index": round(a.relational_index, 4), "automatability_point": round(a.automatability, 4),
            "automatability_source": a.automatability_source,
            "hours_freed": round(s.hours_freed, 1) if s else None,
            "value_freed": round(s.value_freed, 2) if s else None,
            "hours_received": round(s.hours_received, 1) if s else None,
            "flags": ", ".join(f.kind for f in a.flags) or None,
        }
    scens = {s.id: {"hours_freed": round(s.hours_freed, 1), "value_freed": round(s.value_freed, 2),
                    "fte_freed": round(s.fte_freed, 2), "hours_reinvested": round(s.hours_reinvested, 1),
                    "unallocated": round(s.unallocated, 1), "savings_value": round(s.savings.get("value", 0.0), 2),
                    "hours_kept": round(s.hours_kept, 1), "ai_cost": round(s.ai_cost, 2),
                    "net_savings": round(s.net_savings, 2)}
             for s in result.scenarios.values()}
    roles = {r.id: {"hours": round(r.hours, 1), "fte": round(r.fte, 2),
                    "hours_freed": round(r.by_scenario[scenario].hours_freed, 1),
                    "redeployed": round(r.by_scenario[scenario].redeployed, 1),
                    "no_longer_needed": round(r.by_scenario[scenario].no_longer_needed, 1),
                    "fte_no_longer_needed": round(r.by_scenario[scenario].fte_no_longer_needed, 2),
                    "training_needed": round(r.by_scenario[scenario].training_needed, 1),
                    "at_risk": r.by_scenario[scenario].at_risk}
             for r in result.roles if r.defined and scenario in r.by_scenario}
    return {"activities": acts, "scenarios": scens, "roles": roles}
