"""The spreadsheet form of the input format: the sheets, their columns (named like the YAML keys), their help.

``activities.xlsx`` (:mod:`relmap.report.xlsx`, rows from :mod:`relmap.report.tables`) is written with these
columns and ``relmap import`` (:mod:`relmap.input.importing`) reads them back, so both share the lists below.
Result columns (quadrant, hours freed…) follow the input columns and are ignored by import.

Cell conventions: an uncertain value is written ``0.4..0.8`` (a range) or
``0.4..0.5..0.8`` (low..mode..high); lists are comma-separated; booleans are
TRUE/FALSE; a rubric is the seven score columns, ``relational`` left blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..i18n import LANGUAGES, _
from .model import RUBRIC_DIMENSIONS

Kind = Literal["id", "text", "number", "int", "share", "score4", "bool", "list", "estimate", "relational", "enum",
               "shares", "numbers"]


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
                  _col("costs.yearly", "number"), _col("costs.per_user_year", "number"), _col("lead", "bool"),
                  _col("horizon_years", "int"), _col("adoption_path", "numbers")),
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
        "horizon_years": _("Years of the trajectory (blank: the company's assumptions)."),
        "adoption_path": _("Adoption year by year, one value per year, separated by ';' (e.g. 0.2; 0.5; 0.8), the "
                           "last equal to 'adoption'; blank: an S-curve."),
        "value": _("Setting value."),
    }
    if name in RUBRIC_DIMENSIONS:
        return _("Rubric score 0..4 (0 absent … 4 essential). Fill all seven or none.")
    if name in RESULT_COLUMNS.get(sheet, ()) or sheet == "trajectory":
        return _("Result of the analysis: ignored by 'relmap import'.")
    return helps.get(name, "")
