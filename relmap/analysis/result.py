"""Result models of the analysis: ``AnalysisResult.model_dump_json()`` *is* ``analysis.json``.

The **contract** keys of analysis.json keep their names (other tools read them); what is
added (``fte``, ``sources``, ``uncertainty``…) only adds. Every number here is
traceable to an input and to the formula in the docstring of the function that
computes it (see :mod:`relmap.analysis`).

Renderers and reports read only these models, never the input model, so what
a diagram shows is exactly what ``analysis.json`` says.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

Quadrant = Literal["automate", "augment", "relational_core", "sustain"]
QUADRANTS: tuple[Quadrant, ...] = ("automate", "augment", "relational_core", "sustain")
FlagKind = Literal["bridge_at_risk", "invisible", "single_point", "borderline"]
BalanceLineName = Literal["kept", "reinvested", "unplaced", "recognition", "training", "community", "savings"]
ScenarioNote = Literal["recognition_to_savings", "training_gap", "unplaced_kept"]
DefaultCode = Literal["relational_dividend", "unplaced", "exposure_rater", "exposure_time_saving", "ai_costs"]
RiskKind = Literal["hollowed_stage", "vendor_concentration"]
NoteKind = Literal["missing_costs", "unusual_fte", "unused_transfer"]
AutomatabilitySource = Literal["value", "tasks", "occupation", "archetype"]
RelationalSource = Literal["rubric", "value", "word"]


#: id(result) → values derived from it, dropped when the result is freed (see AnalysisResult.derived).
_DERIVED: dict[int, dict[Hashable, Any]] = {}
T = TypeVar("T")


class Result(BaseModel):
    """Base of result models: plain, serialisable, no extra keys."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, ser_json_inf_nan="null")


class Spread(Result):
    """Low / point / high of an estimate (low == point == high when certain)."""

    low: float
    point: float
    high: float


class Percentiles(Result):
    """P10 / P50 / P90 from the Monte Carlo draws."""

    p10: float
    p50: float
    p90: float


class Flag(Result):
    """A flag on an activity, with the evidence a consultant can read out.

    ``evidence`` keys by kind:
      * ``bridge_at_risk``: ``upstream`` and ``downstream`` (ids of the relational goods it sits between);
      * ``invisible``: ``nearest_customer`` (None), ``reason`` and ``customer_reach`` (0);
      * ``single_point``: ``separates`` (ids cut off from customers if it goes, the first few sorted),
        ``separated_count`` (how many in all) and ``components`` (pieces the chain splits into);
      * ``bridge_at_risk``: also ``max_hops`` (how far the goods were looked for);
      * ``borderline``: ``scores`` (which of ``automatability`` / ``relational`` is within
        ``margin`` of its threshold), ``automatability``, ``relational``, ``margin`` and ``thresholds``.

    Data only: the sentence is made at display time from ``kind`` and ``evidence``
    (:func:`relmap.vocabulary.flag_text`), so ``analysis.json`` is the same in every
    language. (Earlier versions also wrote a ``message``; it is ignored when read.)
    """

    kind: FlagKind
    evidence: dict[str, Any] = Field(default_factory=dict)


class Metrics(Result):
    """Graph evidence about an activity (networkx DiGraph of activities and actors)."""

    touchpoint: bool = Field(description="Adjacent to an actor (a flow or a 'touches').")
    touches_customer: bool = Field(description="Adjacent to a customer actor.")
    customer_distance: int | None = Field(
        description="Fewest edges to a customer, following flow direction (None: no path).")
    betweenness: float = Field(description="Betweenness centrality (normalised, exact below 2,000 nodes).")
    articulation_point: bool = Field(description="Removing it disconnects the (undirected) chain.")
    customer_reach: float = Field(
        description="Share of the activity's paths to customers that meet a relational good after it "
                    "(0..1; 0 when it reaches no customer; counted on the chain with its cycles condensed, "
                    "see relmap.analysis.structure.customer_reach).")
    in_degree: int
    out_degree: int


class ActivityScenario(Result):
    """One activity under one scenario."""

    hours_freed: float = Field(description="h × a × adoption (0 when keep_human).")
    value_freed: float = Field(description="hours_freed × hourly_cost.")
    fte_freed: float = Field(description="hours_freed / hours_per_fte.")
    reinvest_supply: float = Field(description="hours_freed × reinvest share: what it offers to relational goods.")
    hours_sent: float = Field(description="Of its supply, the hours placed in relational goods.")
    hours_received: float = Field(description="Hours it receives as a relational good.")
    capacity: float = Field(description="max_increase × hours when a relational good, else 0.")
    recognition_value: float = Field(description="Recognition paid to its people (relational goods only).")
    hours_kept: float = Field(
        default=0.0, description="Freed hours that stay in it as time given back to the relation (relational "
                                 "goods under relational_dividend 'all').")
    confidence: float | None = Field(
        default=None, description="Share of Monte Carlo draws where it lands in its quadrant (None: no uncertainty).")


class ActivityResult(Result):
    """One activity: scores, class, flags, graph metrics, and its figures per scenario."""

    id: str
    name: str
    stage: str | None
    hours: float
    fte: float
    hourly_cost: float
    automatability: float
    automatability_range: Spread
    automatability_source: AutomatabilitySource
    automatability_ref: str | None = Field(
        default=None, description="Archetype key or occupation code used, when that is the source.")
    exposure: Spread | None = Field(
        default=None, description="Occupation exposure E (share of tasks an LLM could speed up by half or more), "
                                  "when the source is an occupation; automatability = exposure × time_saving.")
    time_saving: Spread | None = Field(
        default=None, description="T, the share of an exposed task's time AI saves, when an occupation prior "
                                  "was used (directly or in a task).")
    relational_index: float
    relational_range: Spread
    relational_source: RelationalSource
    rubric: dict[str, float] | None = None
    quadrant: Quadrant
    relational_good: bool
    keep_human: bool
    reason: str | None = None
    ai_provider: str | None = None
    roles: list[str] = Field(default_factory=list)
    staffing: dict[str, float] | None = Field(
        default=None, description="Share of its hours each role carries, when the file gives 'staffing'.")
    touches: list[str] = Field(default_factory=list)
    pain_points: list[str] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    metrics: Metrics
    by_scenario: dict[str, ActivityScenario]


class Allocation(Result):
    """Hours moved from a freeing activity to a relational good."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    from_: str = Field(alias="from")
    to: str
    hours: float
    via: Literal["own", "transfer", "mobility"] = Field(
        description="'own': a good keeps its own freed hours; 'transfer': an explicit policy transfer; "
                    "'mobility': allowed by policy.mobility.")
    training_hours: float = Field(default=0.0, description="Training needed for this move (transfers, role moves).")
    role: str | None = Field(default=None, description="The role whose hours move (mobility 'role'), else None.")


class Recognition(Result):
    """Recognition of the people who carry relational goods.

    value = recognition share × value freed, spread over relational goods in
    proportion to their hours.
    """

    value: float
    beneficiary_fte: float
    per_fte: float
    pct_of_cost: float = Field(description="value / total cost of relational goods (0..1).")


class BalanceLine(Result):
    """One line of a scenario's balance: where freed hours go, and their value."""

    line: BalanceLineName
    hours: float
    value: float = Field(description="hours × the hourly cost of the activities they were freed in.")


class ScenarioResult(Result):
    """Totals of one scenario."""

    id: str
    name: str
    lead: bool = Field(default=False, description="The scenario the headline figures and default views use.")
    adoption: float
    adoption_range: Spread
    shares: dict[str, float] = Field(description="reinvest, recognition, training, community, savings (sum 1).")
    hours_freed: float
    value_freed: float
    fte_freed: float
    reinvest_pool: float
    hours_reinvested: float
    unallocated: float
    allocation: list[Allocation]
    received: dict[str, float] = Field(description="Hours each relational good receives.")
    recognition: Recognition
    training_hours: float = Field(description="training share × hours freed.")
    transfer_training_hours: float = Field(description="Training hours the explicit transfers need.")
    community_hours: float
    savings: dict[str, float] = Field(description="'hours' and 'value' of the savings line (the rest share).")
    hours_kept: float = Field(
        default=0.0, description="Freed hours that stay in relational goods (relational dividend).")
    balance: list[BalanceLine] = Field(
        default_factory=list, description="kept, reinvested, unplaced, recognition, training, community, savings: "
                                          "hours add up to hours_freed, values to value_freed.")
    costs: dict[str, float] = Field(default_factory=dict, description="one_off, yearly, per_user_year (input).")
    users: float = Field(default=0.0, description="FTE working in activities where AI frees hours.")
    ai_cost: float = Field(default=0.0, description="yearly + per_user_year × users.")
    net_savings: float = Field(
        default=0.0, description="value of savings (+ unplaced when policy.unplaced is 'savings') − ai_cost.")
    training_needed: float = Field(
        default=0.0, description="Training hours the moves need (explicit transfers and role moves).")
    training_gap: float = Field(default=0.0, description="max(0, training_needed − training line hours).")
    hours_no_longer_needed: float = Field(
        default=0.0, description="Σ (freed − kept − redeployed − training − community): hours of work that no "
                                 "longer need the people who did them.")
    fte_no_longer_needed: float = Field(default=0.0, description="hours_no_longer_needed / hours_per_fte.")
    notes: list[ScenarioNote] = Field(
        default_factory=list, description="Codes of what the reader must know about this scenario's figures.")

    def line(self, name: str) -> tuple[float, float]:
        """``(hours, value)`` of the balance line ``name`` (``(0, 0)`` when the balance has none)."""
        for b in self.balance:
            if b.line == name:
                return b.hours, b.value
        return 0.0, 0.0
    by_stage: dict[str, dict[str, float]] = Field(
        description="Per stage: hours, hours_freed, share_freed, hours_received.")
    uncertainty: dict[str, Percentiles] | None = Field(
        default=None, description="P10/P50/P90 of hours_freed, value_freed, hours_reinvested, net_savings, "
                                  "fte_no_longer_needed (when inputs are ranges).")
    horizon_years: int = Field(default=0, description="Years of the trajectory.")
    trajectory: list[TrajectoryYear] = Field(default_factory=list, description="Figures year by year.")
    npv: float | None = Field(default=None, description="Σ_t net_t / (1 + discount_rate)^t.")
    payback_year: int | None = Field(default=None, description="First year whose cumulative net savings ≥ 0.")


class RoleScenario(Result):
    """One role under one scenario: where its freed hours go."""

    hours_freed: float = Field(description="Σ over its activities of hours freed × its share.")
    kept: float = Field(description="Its share of the hours kept in relational goods (relational dividend).")
    redeployed: float = Field(description="Its freed hours placed in relational goods.")
    training: float = Field(description="Its share of the training line.")
    community: float = Field(description="Its share of the community line.")
    no_longer_needed: float = Field(description="hours_freed − kept − redeployed − training − community.")
    fte_no_longer_needed: float = Field(description="no_longer_needed / hours_per_fte.")
    training_needed: float = Field(description="Training hours its moves need.")
    at_risk: bool = Field(description="no_longer_needed > policy.role_risk × hours.")


class RoleResult(Result):
    """A role (or, without top-level roles, an activity standing for its own role) and who it affects."""

    id: str
    name: str
    family: str | None = None
    hourly_cost: float | None = None
    defined: bool = Field(default=True, description="false: an activity that names no role is its own role.")
    hours: float
    fte: float
    activities: list[str] = Field(default_factory=list, description="Ids of the activities it staffs.")
    can_move_to: list[dict[str, Any]] = Field(
        default_factory=list, description="Roles its people may move to, with the training hours per FTE.")
    by_scenario: dict[str, RoleScenario]


class Risk(Result):
    """A risk found in a scenario, with its evidence.

    ``evidence`` keys by kind:
      * ``hollowed_stage`` (``subject``: the stage id): ``hours``, ``hours_freed``, ``share``
        (= hours_freed / hours, > 0.5) and ``activities`` (``{id, hours_freed}`` of the stage's
        activities that free hours, most first);
      * ``vendor_concentration`` (``subject``: the provider with the largest share): ``hhi``
        (Herfindahl index), ``shares`` and ``hours_freed`` by provider, ``covered_share`` (share of
        all freed hours whose activity names a provider).

    Data only: the sentence is made at display time (:func:`relmap.vocabulary.risk_text`).
    (Earlier versions also wrote a ``message``; it is ignored when read.)
    """

    kind: RiskKind
    scenario: str
    subject: str = Field(description="The stage id or the AI provider concerned.")
    evidence: dict[str, Any] = Field(default_factory=dict)


class Note(Result):
    """A caveat about the figures, as data (the sentence: :func:`relmap.vocabulary.note_text`).

    ``evidence`` keys by kind:
      * ``missing_costs``: ``count`` (activities with no hourly cost while the company gives no
        default: their value figures count as 0);
      * ``unusual_fte``: ``activity`` (id), ``fte`` and ``limit`` (the activity counts more FTE
        than :data:`relmap.input.model.UNUSUAL_FTE`: allowed, but a unit mistake is likely);
      * ``unused_transfer``: ``from`` and ``to`` (an explicit transfer towards an activity that is
        not a relational good, so it moves nothing).
    """

    kind: NoteKind
    evidence: dict[str, Any] = Field(default_factory=dict)


class StageInfo(Result):
    """A stage as the renderers need it."""

    id: str
    name: str
    kind: Literal["primary", "support"]


class ActorInfo(Result):
    """An actor as the renderers need it."""

    id: str
    name: str
    kind: str


class FlowInfo(Result):
    """A flow as the renderers need it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    from_: str = Field(alias="from")
    to: str
    kind: str
    volume: float | None = None
    label: str | None = None


class UncertaintySettings(Result):
    """How the Monte Carlo was run."""

    draws: int
    seed: int
    correlation: float = Field(default=0.0, description="Rank correlation of automatability across activities "
                                                        "(one-factor Gaussian copula).")
    method: str = Field(default="", description="How the draws and the reinvested percentiles were computed.")
    reinvested: Literal["closed_form", "max_flow", "approximation"] = Field(
        default="approximation", description="closed_form: the allocation's total placed in every draw; max_flow: "
                                             "solved in solved_draws evenly spaced draws; approximation: "
                                             "min(placed share × pool, capacity).")
    solved_draws: int = Field(default=0, description="Draws whose allocation total was computed.")
    approximated: Literal["greedy", "size", "below_maximum"] | None = Field(
        default=None, description="Why the approximation, when reinvested is 'approximation': 'greedy', above 2,000 "
                                  "activities the role allocation fills its network greedily; 'size', above 2,000 "
                                  "activities and 1,000 supplier groups; 'below_maximum', the role allocation, filled "
                                  "greedily, placed less than its network's maximum flow at the point estimate.")
    uncertain_inputs: int = Field(description="How many inputs are ranges.")


class TrajectoryYear(Result):
    """One year of a scenario's path."""

    year: int
    adoption: float
    hours_freed: float
    hours_reinvested: float
    fte_no_longer_needed: float
    ai_cost: float = Field(description="yearly + per_user_year × users × adoption_t / adoption, + one_off in year 1.")
    net_savings: float = Field(description="value of savings (+ unplaced under policy.unplaced 'savings') − ai_cost.")
    cumulative: float = Field(description="Sum of net_savings up to this year.")


class SensitivityEntry(Result):
    """One input of the lead scenario moved to its low and high value, the others unchanged."""

    input: str = Field(description="Code of the input: adoption, reinvest, max_increase, tau_a, hourly_cost, "
                                   "mobility, activity:<id>…")
    label: str = Field(description="The input in words (English).")
    low: str = Field(description="The value tried on the low side.")
    high: str = Field(description="The value tried on the high side.")
    net_savings: list[float]
    hours_reinvested: list[float]
    fte_no_longer_needed: list[float]


def _without_message(entry: Any) -> Any:
    """A flag or risk of an ``analysis.json`` written before 1.1, without its ``message``."""
    if isinstance(entry, dict) and "message" in entry:
        return {k: v for k, v in entry.items() if k != "message"}
    return entry


class AnalysisResult(Result):
    """The whole analysis of one company: what ``analysis.json`` holds."""

    relmap: int = 1
    version: str = Field(description="relmap version that produced it.")
    lead: str = Field(default="", description="Id of the lead scenario (lead: true, else 'base', else the first).")
    assumptions: dict[str, Any] = Field(
        default_factory=dict, description="Exposure rater, time saving, correlation, discount rate (as applied).")
    company: dict[str, Any]
    thresholds: dict[str, float]
    stages: list[StageInfo]
    actors: list[ActorInfo]
    flows: list[FlowInfo]
    activities: list[ActivityResult]
    relational_goods: list[str]
    quadrants: dict[str, list[str]]
    scenarios: dict[str, ScenarioResult]
    risks: list[Risk]
    uncertainty: UncertaintySettings | None = Field(
        default=None, description="How the Monte Carlo was run (named monte_carlo before 1.1; still read).")
    sensitivity: list[SensitivityEntry] = Field(
        default_factory=list, description="Lead scenario: inputs moved one at a time, largest swing of net "
                                          "savings first.")
    policy: dict[str, Any]
    roles: list[RoleResult] = Field(
        default_factory=list, description="Per role, who loses hours and who gains them; without "
                                          "top-level roles, each activity is its own role.")
    notes: list[Note] = Field(
        default_factory=list, description="Caveats about the figures, as {kind, evidence}: missing_costs, "
                                          "unusual_fte, unused_transfer.")
    defaults_applied: list[DefaultCode] = Field(
        default_factory=list, description="Version 1.1 defaults the file relies on (it does not set these keys): "
                                          "relational_dividend, unplaced, exposure_rater, exposure_time_saving, "
                                          "ai_costs.")

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        """Read an ``analysis.json`` written by an earlier version.

        Before 1.1 the settings block was ``monte_carlo``; until the result
        became language-free data, flags and risks carried a ``message`` and
        ``notes`` were sentences, in the language of the run.
        The messages are dropped (the vocabulary makes them again from the
        evidence) and so are sentence notes (their data was not kept).
        """
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "monte_carlo" in data:
            data.setdefault("uncertainty", data.pop("monte_carlo"))
        if isinstance(data.get("risks"), list):
            data["risks"] = [_without_message(r) for r in data["risks"]]
        if isinstance(data.get("activities"), list):
            data["activities"] = [
                {**a, "flags": [_without_message(f) for f in a["flags"]]}
                if isinstance(a, dict) and any(isinstance(f, dict) and "message" in f for f in a.get("flags") or ())
                else a for a in data["activities"]]
        if isinstance(data.get("notes"), list):
            data["notes"] = [n for n in data["notes"] if not isinstance(n, str)]
        return data

    @property
    def hours_per_fte(self) -> float:
        """``company.hours_per_fte`` (:data:`relmap.seeds.DEFAULT_HOURS_PER_FTE` when a result lacks it)."""
        from ..seeds import DEFAULT_HOURS_PER_FTE

        return float(self.company.get("hours_per_fte") or DEFAULT_HOURS_PER_FTE)

    @property
    def monte_carlo(self) -> UncertaintySettings | None:
        """The former name of :attr:`uncertainty`."""
        return self.uncertainty

    def activity(self, activity_id: str) -> ActivityResult:
        """The activity with this id (KeyError if none), through an id index built once (see :meth:`derived`)."""
        index = self.derived(("activities_by_id", len(self.activities)),
                             lambda: {act.id: act for act in self.activities})
        return index[activity_id]

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """A value computed from this result once per ``key`` and kept beside it until the result is freed.

        Why beside and not in it: equality and serialisation stay those of the
        data; a result is not hashable, so the store is keyed by ``id`` and
        emptied by a finalizer. Callers treat the value as read-only (results
        are not changed after the analysis).
        """
        store = _DERIVED.get(id(self))
        if store is None:
            store = _DERIVED[id(self)] = {}
            weakref.finalize(self, _DERIVED.pop, id(self), None)
        if key not in store:
            store[key] = build()
        value: T = store[key]
        return value

    def lead_scenario(self, scenario: str | None = None) -> str:
        """The id of the scenario summaries, diagrams and reports lead with.

        ``scenario`` when given (KeyError if unknown); else the scenario marked
        ``lead: true``; else ``base`` when the file has it; else the file's
        first scenario.

        Why: files often list scenarios from cautious to ambitious; the central
        case, not the most cautious one, is what a summary should show.
        """
        if scenario is not None:
            if scenario not in self.scenarios:
                raise KeyError(scenario)
            return scenario
        if self.lead in self.scenarios:
            return self.lead
        if "base" in self.scenarios:
            return "base"
        return next(iter(self.scenarios))

    def scenario_result(self, scenario: str | None = None) -> ScenarioResult:
        """The figures of ``scenario``, else of the lead scenario (:meth:`lead_scenario`).

        Raises:
            KeyError: ``scenario`` is not a scenario of the result, or the result holds no scenario.
        """
        if not self.scenarios:
            raise KeyError(scenario)
        return self.scenarios[self.lead_scenario(scenario)]

    def scenario_or_none(self, scenario: str | None = None) -> ScenarioResult | None:
        """:meth:`scenario_result`, or None when the result holds no scenario at all (whatever ``scenario`` says:
        a diagram then draws no hours).

        Raises:
            KeyError: the result has scenarios and ``scenario`` is not one of them.
        """
        return self.scenario_result(scenario) if self.scenarios else None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """Jupyter display: the summary and the value-chain SVG (see :mod:`relmap.report.notebook`)."""
        from ..report.notebook import mimebundle

        return mimebundle(self)

    def to_json(self) -> str:
        """``analysis.json`` text: stable key order (the models' field order), UTF-8, newline-terminated.

        Why pydantic's serializer rather than ``json.dumps``: it is ~9× faster and
        holds one copy of the data instead of two (3 s and hundreds of MB at 10,000
        activities). The analysis produces only finite numbers (inputs are finite
        and bounded); a non-finite value would be written as ``null``, never ``NaN``.
        """
        return self.model_dump_json(indent=2, by_alias=True) + "\n"
