"""The input format, version 1: pydantic models, the single source of truth.

These models define what ``company.yaml`` may contain, the JSON Schema in
``schemas/relmap.schema.json`` (``relmap schema``), and the field documentation
(every ``description`` below). Validation is strict: ``extra="forbid"``, no
string-to-number coercion, finite numbers only.

Cross-references (a flow naming an unknown activity, an unknown archetype…)
are checked in :mod:`relmap.input.validate`, which has the whole file in view.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..i18n import Language
from ..seeds import DEFAULT_HOURS_PER_FTE
from ..seeds import RUBRIC_DIMENSIONS as RUBRIC_DIMENSIONS  # the format names them; defined once in seeds

ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
OCCUPATION_PATTERN = r"^[0-9]{2}-[0-9]{4}(\.[0-9]{2})?$"
RELATIONAL_WORDS: dict[str, float] = {
    "none": 0.0, "low": 0.25, "medium": 0.5, "high": 0.75, "very_high": 1.0,
}
_CONTROL = re.compile("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
#: long texts (descriptions, reasons) may hold line breaks and tabs: ``description: |`` is natural YAML
_CONTROL_LONG = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
#: the most FTE of one activity: a whole sector's workforce (3 million clerks) fits; more is not physical
MAX_FTE = 1e8
#: FTE above which the analysis notes an unusual magnitude (a unit mistake is likelier than such a company)
UNUSUAL_FTE = 1e6
#: the most a rubric weight may be (weights are relative; larger ones only risk overflow)
MAX_RUBRIC_WEIGHT = 1000.0
EPSILON = 1e-9


def _clean_text(value: str, control: re.Pattern[str] = _CONTROL) -> str:
    value = unicodedata.normalize("NFC", value)
    match = control.search(value)
    if match:
        raise PydanticCustomError(
            "control_character", "text contains the control character U+{code}",
            {"code": f"{ord(match.group()):04X}"})
    if not value.strip():
        raise PydanticCustomError("blank_text", "text must not be blank", {})
    return value


Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=64),
    Field(description="Identifier: lower-case letters, digits, '_' or '-', starting with a letter "
                      "(at most 64 characters).", examples=["front_desk"]),
]
Text = Annotated[str, StringConstraints(max_length=500), AfterValidator(_clean_text)]
def _clean_long_text(value: str) -> str:
    return _clean_text(value, _CONTROL_LONG)


LongText = Annotated[str, StringConstraints(max_length=5000), AfterValidator(_clean_long_text)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Strict(BaseModel):
    """Base of every input model: unknown keys are errors, no lax coercion."""

    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, populate_by_name=True,
        validate_default=False, frozen=True,
    )


class Triangle(Strict):
    """An uncertain value given as ``{low, mode, high}`` (a triangular distribution)."""

    low: Annotated[float, Field(description="Lowest plausible value.")]
    mode: Annotated[float | None, Field(description="Most likely value (default: the midpoint).")] = None
    high: Annotated[float, Field(description="Highest plausible value.")]

    @model_validator(mode="after")
    def _ordered(self) -> Triangle:
        mode = self.mode if self.mode is not None else (self.low + self.high) / 2
        if not self.low <= mode <= self.high:
            raise PydanticCustomError("order", "must satisfy low ≤ mode ≤ high (got {low}, {mode}, {high})",
                                      {"low": self.low, "mode": mode, "high": self.high})
        return self


class Triangle01(Triangle):
    """``{low, mode, high}`` within 0..1."""

    low: Annotated[float, Field(ge=0.0, le=1.0, description="Lowest plausible value (0..1).")]
    mode: Annotated[float | None, Field(ge=0.0, le=1.0,
                                        description="Most likely value (0..1; default: the midpoint).")] = None
    high: Annotated[float, Field(ge=0.0, le=1.0, description="Highest plausible value (0..1).")]


def _check_range(value: list[float]) -> list[float]:
    if value[0] > value[1]:
        raise PydanticCustomError("range_order", "range must be [low, high] with low ≤ high (got [{low}, {high}])",
                                  {"low": value[0], "high": value[1]})
    return value


Range01 = Annotated[list[Share], Field(min_length=2, max_length=2), AfterValidator(_check_range)]


def _estimate_kind(value: Any) -> str:
    if isinstance(value, dict | Triangle):
        return "triangle"
    if isinstance(value, list | tuple):
        return "range"
    return "number"


Estimate01 = Annotated[
    Annotated[Share, Tag("number")] | Annotated[Range01, Tag("range")] | Annotated[Triangle01, Tag("triangle")],
    Discriminator(_estimate_kind),
    Field(description="A share between 0 and 1: a number (0.6), a range [low, high] ([0.4, 0.8], whose "
                      "point estimate is the midpoint), or {low, mode, high}."),
]
"""A 0..1 value, possibly uncertain. Use :func:`as_triangle` to read it."""


def as_triangle(value: float | list[float] | Triangle) -> tuple[float, float, float]:
    """``(low, mode, high)`` of any estimate form: a number, ``[low, high]`` or ``{low, mode, high}``.

    A range's mode is its midpoint: ``[l, h]`` → ``(l, (l + h) / 2, h)``.
    """
    if isinstance(value, Triangle):
        mode = value.mode if value.mode is not None else (value.low + value.high) / 2
        return value.low, mode, value.high
    if isinstance(value, list | tuple):
        low, high = float(value[0]), float(value[1])
        return low, (low + high) / 2, high
    v = float(value)
    return v, v, v


def is_uncertain(value: float | list[float] | Triangle | None) -> bool:
    """True when an estimate has a spread (low < high)."""
    if value is None:
        return False
    low, _mode, high = as_triangle(value)
    return high > low


# --------------------------------------------------------------------------- company


class CompanyInfo(Strict):
    """Who the company is, and the defaults its activities inherit."""

    name: Annotated[Text, Field(description="Company name, shown in titles.")]
    sector: Annotated[Text | None, Field(description="Sector, free text (e.g. 'hospitality').")] = None
    currency: Annotated[
        str, StringConstraints(pattern=r"^[A-Z]{3}$"),
        Field(description="ISO 4217 currency code of every cost (default EUR).", examples=["EUR", "USD"]),
    ] = "EUR"
    hours_per_fte: Annotated[float, Field(
        gt=0, le=8784,
        description="Worked hours per full-time equivalent per year (default 1607, the French legal year).",
    )] = DEFAULT_HOURS_PER_FTE
    hourly_cost: Annotated[float | None, Field(
        ge=0, le=1e6, description="Default loaded hourly cost (salary + charges) for activities that give none.",
    )] = None
    language: Annotated[Language, Field(
        description="Language of the reports: 'en' (English) or 'fr' (French).")] = "en"
    date: Annotated[Text | None, Field(
        description="Date of the data (free text, e.g. '2026-09'), shown in diagram subtitles.")] = None


class Stage(Strict):
    """A column of the value chain, in chain order."""

    id: Id
    name: Annotated[Text, Field(description="Stage name shown on diagrams.")]
    kind: Annotated[Literal["primary", "support"], Field(
        description="'primary' (the chain that reaches customers) or 'support' (drawn apart).")] = "primary"
    description: Annotated[LongText | None, Field(description="Free description.")] = None


ActorKind = Literal["customer", "supplier", "partner", "community", "regulator"]


class Actor(Strict):
    """An external party the activities deal with."""

    id: Id
    name: Annotated[Text, Field(description="Actor name shown on diagrams.")]
    kind: Annotated[ActorKind, Field(
        description="'customer', 'supplier', 'partner', 'community' or 'regulator'.")]
    description: Annotated[LongText | None, Field(description="Free description.")] = None


# --------------------------------------------------------------------------- roles


class RoleMove(Strict):
    """A reskilling path: the role the people may move to, and the training it takes."""

    role: Annotated[Id, Field(description="Id of the role they may move to.")]
    training_hours: Annotated[float, Field(
        ge=0, le=1e5, description="Training hours per FTE moved (default 0).")] = 0.0


class Role(Strict):
    """A job role: the people who carry activities."""

    id: Id
    name: Annotated[Text, Field(description="Role name shown in reports.")]
    hourly_cost: Annotated[float | None, Field(
        ge=0, le=1e6, description="Loaded hourly cost of the role (default: the activity's, else the "
                                  "company's).")] = None
    family: Annotated[Text | None, Field(
        description="Job family (free text): roles of one family may take each other's work after "
                    "policy.family_training_hours of training per FTE.")] = None
    can_move_to: Annotated[list[RoleMove], Field(
        description="Roles its people may move to, each with the training hours per FTE it takes.")] = []
    description: Annotated[LongText | None, Field(description="Free description.")] = None


# --------------------------------------------------------------------------- activities


class Rubric(Strict):
    """Relational rubric: how much the activity's value depends on each dimension (0 = absent … 4 = essential).

    The relational index is the weighted mean of the seven scores divided by 4.
    """

    identity: Annotated[float, Field(ge=0, le=4, description="Who the people are: they are not interchangeable.")]
    reciprocity: Annotated[float, Field(ge=0, le=4, description="Both sides giving: value is co-produced.")]
    simultaneity: Annotated[float, Field(
        ge=0, le=4, description="Produced and consumed together, in the same moment.")]
    presence: Annotated[float, Field(ge=0, le=4, description="Physical presence, touch, place.")]
    empathy: Annotated[float, Field(ge=0, le=4, description="Emotional attunement, care.")]
    trust: Annotated[float, Field(
        ge=0, le=4, description="Trust, exemplarity, passing on experience and tacit know-how.")]
    motivation: Annotated[float, Field(
        ge=0, le=4, description="Genuine, non-instrumental motivation (gratuitousness).")]


RelationalWord = Literal["none", "low", "medium", "high", "very_high"]


def _relational_kind(value: Any) -> str:
    if isinstance(value, Rubric):
        return "rubric"
    if isinstance(value, Triangle):
        return "triangle"
    if isinstance(value, dict):
        return "triangle" if set(value) & {"low", "mode", "high"} else "rubric"
    if isinstance(value, list | tuple):
        return "range"
    if isinstance(value, str):
        return "word"
    return "number"


Relational = Annotated[
    Annotated[Rubric, Tag("rubric")]
    | Annotated[Share, Tag("number")]
    | Annotated[Range01, Tag("range")]
    | Annotated[Triangle01, Tag("triangle")]
    | Annotated[RelationalWord, Tag("word")],
    Discriminator(_relational_kind),
    Field(description="How relational the activity is: a rubric of seven 0..4 scores (identity, reciprocity, "
                      "simultaneity, presence, empathy, trust, motivation), a number 0..1, a range [low, high], "
                      "{low, mode, high}, or a word: none (0), low (0.25), medium (0.5), high (0.75), "
                      "very_high (1)."),
]


ONET_TASK_DESCRIPTION = (
    "O*NET task id (list them with 'relmap tasks CODE'): the task's LLM exposure E (Eloundou et al. 2024, label "
    "of assumptions.exposure_rater: E0 → 0, E1 → 1, E2 → 0 / 0.5 / 1 as α / β / γ; 'both' = lowest α, mean β, "
    "highest γ) × assumptions.exposure_time_saving is the prior. Task statements: O*NET, USDOL/ETA, CC BY 4.0."
)


class Task(Strict):
    """A part of an activity's time, with its own automatability."""

    name: Annotated[Text, Field(description="What the task is.")]
    share: Annotated[float, Field(gt=0, le=1, description="Share of the activity's time spent on it (0..1).")]
    automatability: Annotated[Estimate01 | None, Field(
        description="Share of the task's time AI could free.")] = None
    onet_task: Annotated[int | None, Field(ge=1, le=10_000_000, description=ONET_TASK_DESCRIPTION)] = None
    occupation: Annotated[str | None, StringConstraints(pattern=OCCUPATION_PATTERN), Field(
        description="O*NET-SOC code whose AI exposure is the prior (e.g. '43-4051.00').")] = None
    archetype: Annotated[Id | None, Field(
        description="Key of the seed catalogue whose prior to use (see 'relmap archetypes').")] = None

    @model_validator(mode="after")
    def _has_source(self) -> Task:
        if (self.automatability is None and self.onet_task is None and self.occupation is None
                and self.archetype is None):
            raise PydanticCustomError(
                "missing_automatability",
                "task '{name}' needs an automatability, an onet_task, an occupation or an archetype",
                {"name": self.name})
        return self


class TaskShare(Strict):
    """The share of one O*NET task in ``tasks: {from_occupation: …, shares: […]}``."""

    onet_task: Annotated[int, Field(ge=1, le=10_000_000, description="O*NET task id of the occupation.")]
    share: Annotated[float, Field(gt=0, le=1, description="Share of the activity's time spent on it (0..1).")]


class TasksFromOccupation(Strict):
    """Split an activity into its occupation's O*NET tasks (see :class:`Activity` ``tasks``)."""

    from_occupation: Annotated[Literal["core", "all"], Field(
        description="Which tasks of the activity's occupation: 'core' (O*NET core tasks; all of them when the "
                    "occupation has none typed core) or 'all'.")]
    shares: Annotated[list[TaskShare], Field(
        description="Shares of some of these tasks; the others share the rest of the time equally.")] = []


def _tasks_kind(value: Any) -> str:
    if isinstance(value, str):
        return "task_word"
    if isinstance(value, dict | TasksFromOccupation):
        return "task_split"
    return "task_list"


TASKS_DESCRIPTION = (
    "Breakdown of the activity's time; automatability is the share-weighted sum (time not covered by a task "
    "counts as not automatable). Either a list of tasks (name, share, and automatability, onet_task, occupation "
    "or archetype), or, with an 'occupation', 'from_occupation' (its O*NET core tasks, equal shares), or "
    "{from_occupation: core|all, shares: [{onet_task, share}]} (the listed tasks take their shares, the others "
    "split the rest equally). Each O*NET task's prior is its exposure × exposure_time_saving."
)
ActivityTasks = Annotated[
    Annotated[list[Task], Tag("task_list")]
    | Annotated[Literal["from_occupation"], Tag("task_word")]
    | Annotated[TasksFromOccupation, Tag("task_split")],
    Discriminator(_tasks_kind),
]


class Activity(Strict):
    """A node of the value chain: something people do, with its size, cost and scores."""

    id: Id
    name: Annotated[Text, Field(description="Activity name shown on diagrams and reports.")]
    stage: Annotated[Id | None, Field(description="Id of the stage (column) it belongs to.")] = None
    description: Annotated[LongText | None, Field(description="Free description.")] = None
    roles: Annotated[list[Text], Field(
        description="Job roles that carry it: ids of top-level 'roles' (equal shares) when the file defines "
                    "roles, else free text.")] = []
    staffing: Annotated[dict[Id, Annotated[float, Field(gt=0, le=1)]] | None, Field(
        description="Share of its hours each role carries, {role id: share} (the shares add up to 1); "
                    "needs top-level 'roles'. Instead of 'roles'.")] = None
    touches: Annotated[list[Id], Field(
        description="Ids of the actors it is in direct contact with (drawn as relationship edges).")] = []
    fte: Annotated[float | None, Field(
        ge=0, le=MAX_FTE, description="Size in full-time equivalents (give fte or hours).")] = None
    hours: Annotated[float | None, Field(
        ge=0, le=MAX_FTE * 8784, description="Size in hours per year (give fte or hours).")] = None
    hourly_cost: Annotated[float | None, Field(
        ge=0, le=1e6,
        description="Loaded hourly cost in the company's currency (default: company.hourly_cost).")] = None
    automatability: Annotated[Estimate01 | None, Field(
        description="Share of the activity's hours AI could free at the horizon (technical potential). Takes "
                    "precedence over tasks, occupation and archetype.")] = None
    tasks: Annotated[ActivityTasks | None, Field(description=TASKS_DESCRIPTION)] = None
    occupation: Annotated[str | None, StringConstraints(pattern=OCCUPATION_PATTERN), Field(
        description="O*NET-SOC code whose AI exposure (Eloundou et al. 2024) is the automatability prior.",
        examples=["43-4051.00"])] = None
    archetype: Annotated[Id | None, Field(
        description="Activity type from the seed catalogue (Chui, Manyika & Miremadi 2016) whose "
                    "automatability prior to use: see 'relmap archetypes'.", examples=["processing_data"])] = None
    relational: Relational
    keep_human: Annotated[bool, Field(
        description="true when the process is valued for itself: nothing of it is counted as freed.")] = False
    reason: Annotated[LongText | None, Field(description="Why it must stay human (required with keep_human).")] = None
    ai_provider: Annotated[Text | None, Field(
        description="AI vendor or product that would take over the work (for dependency analysis).")] = None
    pain_points: Annotated[list[Text], Field(description="Known problems, free text.")] = []

    @model_validator(mode="after")
    def _consistent(self) -> Activity:
        if self.fte is None and self.hours is None:
            raise PydanticCustomError("missing_size", "activity '{id}' needs a size: give 'fte' or 'hours'",
                                      {"id": self.id})
        if self.fte is not None and self.hours is not None:
            raise PydanticCustomError("both_sizes", "activity '{id}' gives both 'fte' and 'hours': keep one",
                                      {"id": self.id})
        if self.keep_human and not self.reason:
            raise PydanticCustomError("missing_reason",
                                      "activity '{id}' has keep_human: true but no 'reason'", {"id": self.id})
        if (self.automatability is None and not self.tasks and self.occupation is None
                and self.archetype is None):
            raise PydanticCustomError("missing_automatability",
                                      "activity '{id}' has no automatability", {"id": self.id})
        split = from_occupation(self)
        if split is not None and self.occupation is None:
            raise PydanticCustomError("split_needs_occupation",
                                      "activity '{id}' takes its tasks from_occupation but names no occupation",
                                      {"id": self.id})
        if split is not None and sum(s.share for s in split.shares) > 1 + EPSILON:
            raise PydanticCustomError("task_shares", "the task shares of activity '{id}' add up to {total}, more "
                                      "than 1", {"id": self.id, "total": f"{sum(s.share for s in split.shares):.3g}"})
        if isinstance(self.tasks, list):
            total = sum(t.share for t in self.tasks)
            if total > 1 + EPSILON:
                raise PydanticCustomError("task_shares",
                                          "the task shares of activity '{id}' add up to {total}, more than 1",
                                          {"id": self.id, "total": f"{total:.3g}"})
        return self


def from_occupation(act: Activity) -> TasksFromOccupation | None:
    """An activity's ``tasks`` when taken from its occupation (the word ``from_occupation`` = core tasks), else None."""
    if act.tasks == "from_occupation":
        return TasksFromOccupation(from_occupation="core")
    return act.tasks if isinstance(act.tasks, TasksFromOccupation) else None


def task_list(act: Activity) -> list[Task]:
    """An activity's explicit list of tasks ([] when none, or when they come from its occupation)."""
    return act.tasks if isinstance(act.tasks, list) else []


FlowKind = Literal["information", "material", "service", "relationship"]


class Flow(Strict):
    """An edge of the chain: something passes from one activity or actor to another."""

    from_: Annotated[Id, Field(alias="from", description="Id of the activity or actor it leaves.")]
    to: Annotated[Id, Field(description="Id of the activity or actor it reaches.")]
    kind: Annotated[FlowKind, Field(
        description="'information', 'material', 'service' or 'relationship'.")] = "information"
    volume: Annotated[float | None, Field(
        gt=0, le=1e15, description="How much passes per year, in any unit (drives the line's thickness).")] = None
    label: Annotated[Text | None, Field(description="Short label drawn on the edge.")] = None


# --------------------------------------------------------------------------- scenarios & policy


MAX_MONEY = 1e15


class ScenarioCosts(Strict):
    """What the AI of a scenario costs, in the company's currency.

    ``ai_cost = yearly + per_user_year × users``, where users are the FTE working
    in activities where AI frees hours; ``one_off`` is paid once (year 1).
    """

    one_off: Annotated[float, Field(
        ge=0, le=MAX_MONEY, description="One-off cost: build, integration and change management (default 0).")] = 0.0
    yearly: Annotated[float, Field(
        ge=0, le=MAX_MONEY, description="Yearly cost independent of users: platform, run, support (default 0).")] = 0.0
    per_user_year: Annotated[float, Field(
        ge=0, le=1e7, description="Yearly cost per user: licences, per FTE working in an activity where AI "
                                  "frees hours (default 0).")] = 0.0


class Scenario(Strict):
    """An AI adoption assumption and how freed hours are split.

    Freed hours are split into ``reinvest`` (moved into relational goods),
    ``recognition`` (paid to the people who carry relational goods),
    ``training``, ``community`` (skills volunteering); the rest is net savings.
    """

    id: Id
    name: Annotated[Text | None, Field(description="Display name (default: the id).")] = None
    description: Annotated[LongText | None, Field(description="What the scenario assumes.")] = None
    adoption: Annotated[Estimate01, Field(
        description="Share of the technical potential realised at the horizon (default 0.6).")] = 0.6
    reinvest: Annotated[Share, Field(
        description="Share of freed hours reinvested in relational goods (default 0.5).")] = 0.5
    recognition: Annotated[Share, Field(
        description="Share of freed value paid as recognition to people in relational goods (default 0).")] = 0.0
    training: Annotated[Share, Field(
        description="Share of freed hours spent training people whose work is automated (default 0).")] = 0.0
    community: Annotated[Share, Field(
        description="Share of freed hours given as skills volunteering in the community (default 0).")] = 0.0
    costs: Annotated[ScenarioCosts, Field(
        description="What the AI costs: one_off, yearly, per_user_year (default 0).")] = ScenarioCosts()
    lead: Annotated[bool, Field(
        description="true for the scenario that leads the headline figures and default views (at most one; "
                    "default: 'base', else the first).")] = False
    horizon_years: Annotated[int, Field(
        ge=1, le=50, description="Years until adoption reaches its value (default 5): the trajectory's length.")] = 5
    adoption_path: Annotated[list[Share] | None, Field(
        description="Adoption year by year, one value per year of horizon_years, the last equal to 'adoption' "
                    "(default: an S-curve).")] = None

    @model_validator(mode="after")
    def _shares(self) -> Scenario:
        total = self.reinvest + self.recognition + self.training + self.community
        if total > 1 + EPSILON:
            raise PydanticCustomError(
                "scenario_shares",
                "reinvest + recognition + training + community = {total} in scenario '{id}', more than 1",
                {"total": f"{total:.3g}", "id": self.id})
        if self.adoption_path is not None:
            if len(self.adoption_path) != self.horizon_years:
                raise PydanticCustomError(
                    "adoption_path_length",
                    "adoption_path of scenario '{id}' has {n} values but horizon_years is {h}",
                    {"id": self.id, "n": len(self.adoption_path), "h": self.horizon_years})
            point = as_triangle(self.adoption)[1]
            if abs(self.adoption_path[-1] - point) > 1e-6:
                raise PydanticCustomError(
                    "adoption_path_last",
                    "the last value of adoption_path ({last}) in scenario '{id}' differs from its adoption ({a})",
                    {"id": self.id, "last": f"{self.adoption_path[-1]:g}", "a": f"{point:g}"})
        return self


class Transfer(Strict):
    """An explicit move of freed hours from one activity to a relational good, always allowed."""

    from_: Annotated[Id, Field(alias="from", description="Id of the activity whose freed hours move.")]
    to: Annotated[Id, Field(description="Id of the relational good that receives them.")]
    training_hours_per_fte: Annotated[float, Field(
        ge=0, le=1e5, description="Training hours needed per FTE moved (reported as a cost of the move).")] = 0.0


class Policy(Strict):
    """Rules for reinvesting freed hours into relational goods."""

    max_increase: Annotated[float, Field(
        ge=0, le=10, description="A relational good may grow by at most this share of its hours (default 0.3).",
    )] = 0.3
    mobility: Annotated[Literal["any", "stage", "adjacent", "role"] | None, Field(
        description="Where freed hours may go: 'any' activity, same 'stage', 'adjacent' (within max_distance "
                    "flow hops), or 'role' (goods staffed by the same role, its family, or a role it can move "
                    "to). Default: 'role' when the file defines top-level roles, else 'any'.")] = None
    max_distance: Annotated[int, Field(
        ge=1, le=100, description="Hops allowed with mobility 'adjacent' (default 2).")] = 2
    transfers: Annotated[list[Transfer], Field(
        description="Explicit moves, allowed whatever the mobility.")] = []
    relational_dividend: Annotated[Literal["all", "share"], Field(
        description="'all' (default): hours AI frees inside a relational good stay in it, as time given back "
                    "to the relation ('kept'); 'share': they are split like any other freed hours.")] = "all"
    unplaced: Annotated[Literal["savings", "keep"], Field(
        description="Reinvest hours no relational good can take: 'savings' (default, counted in net savings) "
                    "or 'keep' (the people stay, as slack).")] = "savings"
    family_training_hours: Annotated[float, Field(
        ge=0, le=1e5, description="Training hours per FTE when hours move to a role of the same family "
                                  "(mobility 'role'; default 35).")] = 35.0
    role_risk: Annotated[Share, Field(
        description="A role is at risk when its hours no longer needed exceed this share of its hours "
                    "(default 0.25).")] = 0.25

    def resolved_mobility(self, has_roles: bool) -> str:
        """``mobility`` as applied: the given one, else ``role`` when the file defines roles, else ``any``."""
        if self.mobility is not None:
            return self.mobility
        return "role" if has_roles else "any"


class RubricWeights(Strict):
    """Weights of the rubric dimensions in the relational index (default: all 1)."""

    identity: Annotated[float, Field(ge=0, le=MAX_RUBRIC_WEIGHT, description="Weight of 'identity'.")] = 1.0
    reciprocity: Annotated[float, Field(ge=0, le=MAX_RUBRIC_WEIGHT, description="Weight of 'reciprocity'.")] = 1.0
    simultaneity: Annotated[float, Field(ge=0, le=MAX_RUBRIC_WEIGHT, description="Weight of 'simultaneity'.")] = 1.0
    presence: Annotated[float, Field(ge=0, le=MAX_RUBRIC_WEIGHT, description="Weight of 'presence'.")] = 1.0
    empathy: Annotated[float, Field(ge=0, le=MAX_RUBRIC_WEIGHT, description="Weight of 'empathy'.")] = 1.0
    trust: Annotated[float, Field(ge=0, le=MAX_RUBRIC_WEIGHT, description="Weight of 'trust'.")] = 1.0
    motivation: Annotated[float, Field(ge=0, le=MAX_RUBRIC_WEIGHT, description="Weight of 'motivation'.")] = 1.0

    @model_validator(mode="after")
    def _positive(self) -> RubricWeights:
        if sum(getattr(self, d) for d in RUBRIC_DIMENSIONS) <= 0:
            raise PydanticCustomError("weights_zero", "at least one rubric weight must be positive", {})
        return self


class Thresholds(Strict):
    """Classification thresholds."""

    automatable: Annotated[Share, Field(
        description="Automatability at or above which an activity is automatable (default 0.5).")] = 0.5
    relational: Annotated[Share, Field(
        description="Relational index at or above which an activity is a relational good (default 0.5).")] = 0.5
    rubric_weights: Annotated[RubricWeights, Field(
        description="Weights of the seven rubric dimensions (default: equal).")] = RubricWeights()
    borderline: Annotated[float, Field(
        ge=0, le=0.5, description="An activity whose automatability or relational index is within this "
                                  "distance of its threshold is flagged 'borderline' (default 0.05).")] = 0.05


def _default_time_saving() -> Triangle01:
    return Triangle01(low=0.5, mode=0.5, high=0.8)


class Assumptions(Strict):
    """Assumptions behind the priors and the uncertainty."""

    exposure_rater: Annotated[Literal["gpt4", "human", "both"], Field(
        description="Whose exposure figures (Eloundou et al. 2024) an occupation prior uses: 'gpt4', 'human', "
                    "or 'both' (default: lowest α, mean β, highest γ of the two).")] = "both"
    exposure_time_saving: Annotated[Estimate01, Field(
        description="Share of an exposed task's time AI saves (T; automatability = exposure × T for occupation "
                    "priors). Default {low: 0.5, mode: 0.5, high: 0.8}: exposed means at least half.",
    )] = Field(default_factory=_default_time_saving)
    correlation: Annotated[Share, Field(
        description="Rank correlation of the Monte Carlo draws across activities (default 0.5).")] = 0.5
    discount_rate: Annotated[float, Field(
        ge=0, le=1, description="Yearly discount rate of the net present value (default 0.08).")] = 0.08


def _default_scenarios() -> list[Scenario]:
    return [Scenario(id="base")]


class ValueChain(Strict):
    """A relmap input file (format version 1): one company's value chain."""

    model_config = ConfigDict(title="relmap company file (format v1)")

    relmap: Annotated[Literal[1], Field(description="Format version: the integer 1.")]
    company: Annotated[CompanyInfo, Field(description="Who the company is, and the defaults its activities inherit.")]
    stages: Annotated[list[Stage], Field(description="Columns of the chain, in order.")] = []
    actors: Annotated[list[Actor], Field(description="External parties (customers, suppliers…).")] = []
    roles: Annotated[list[Role], Field(
        description="Job roles (optional): who carries the activities, what they cost, where they may move.")] = []
    activities: Annotated[list[Activity], Field(min_length=1, description="The activities (nodes of the chain).")]
    flows: Annotated[list[Flow], Field(description="Edges between activities and actors.")] = []
    scenarios: list[Scenario] = Field(
        default_factory=_default_scenarios, min_length=1,
        description="AI adoption scenarios (default: one scenario 'base').")
    policy: Annotated[Policy, Field(description="Reinvestment rules.")] = Policy()
    thresholds: Annotated[Thresholds, Field(description="Classification thresholds.")] = Thresholds()
    assumptions: Annotated[Assumptions, Field(
        description="Exposure rater, time saved on exposed tasks, correlation, discount rate.")] = Assumptions()

    def lead_scenario(self) -> Scenario:
        """The scenario that leads: the one with ``lead: true``, else ``base``, else the first."""
        for sc in self.scenarios:
            if sc.lead:
                return sc
        for sc in self.scenarios:
            if sc.id == "base":
                return sc
        return self.scenarios[0]

    def sorted_activities(self) -> list[Activity]:
        """Activities in output order: the stage's position in the chain, then the id.

        Why: outputs must not depend on the order activities are listed in the
        file; stages keep the consultant's order, which is meaningful.
        Activities without a stage come last.
        """
        position = {s.id: i for i, s in enumerate(self.stages)}
        return sorted(self.activities, key=lambda a: (position.get(a.stage or "", len(position)), a.id))

    def sorted_flows(self) -> list[Flow]:
        """Flows in output order: by source, target, kind, volume and label."""
        return sorted(self.flows, key=lambda f: (f.from_, f.to, f.kind, f.volume or 0.0, f.label or ""))

    def activity(self, activity_id: str) -> Activity:
        """The activity with this id (KeyError if none)."""
        for act in self.activities:
            if act.id == activity_id:
                return act
        raise KeyError(activity_id)
