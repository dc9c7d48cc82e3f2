"""The portfolio's data: one :class:`CompanySummary` per file (its headline figures, or why it failed), and
:class:`PortfolioResult`, whose JSON is ``portfolio.json`` (language-free, sorted)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PortfolioProblem(BaseModel):
    """A located problem of a file that failed (``line``/``column`` 0: the whole file)."""

    model_config = ConfigDict(extra="forbid")

    path: str
    line: int
    column: int
    message: str
    hint: str = ""


class CompanySummary(BaseModel):
    """One file of the portfolio: where its outputs are, and its headline figures (or why it failed).

    Figures are those of ``scenario``; ``relational_share`` = hours of the
    relational goods / hours of all activities.
    """

    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="The file as given on the command line.")
    folder: str = Field(description="Subfolder of the output folder holding its outputs.")
    ok: bool = Field(description="True when every output was written.")
    company: str | None = None
    currency: str | None = None
    activities: int | None = None
    relational_goods: int | None = None
    hours: float | None = None
    relational_hours: float | None = None
    relational_share: float | None = None
    scenario: str | None = None
    hours_freed: float | None = None
    value_freed: float | None = None
    hours_reinvested: float | None = None
    unallocated: float | None = None
    hours_kept: float | None = None
    ai_cost: float | None = None
    net_savings: float | None = None
    problems: list[PortfolioProblem] = Field(default_factory=list)


class PortfolioResult(BaseModel):
    """Every file's summary, sorted by folder; ``portfolio.json`` is its JSON."""

    model_config = ConfigDict(extra="forbid")

    relmap: int = 1
    companies: list[CompanySummary]

    @property
    def failed(self) -> int:
        """How many files failed."""
        return sum(1 for c in self.companies if not c.ok)

    def to_json(self) -> str:
        """``portfolio.json`` text: sorted keys, no NaN, newline-terminated, language-free."""
        return json.dumps(self.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False,
                          allow_nan=False) + "\n"


def summarise(result: Any, path: str, folder: str, scenario: str | None = None) -> CompanySummary:
    """The headline figures of one analysis (an :class:`~relmap.analysis.result.AnalysisResult`).

    ``relational_share = Σ hours of relational goods / Σ hours``; hours freed,
    reinvested and unallocated are those of ``scenario``, else the file's lead
    scenario (``lead: true``, else ``base``, else the first).
    """
    chosen = result.lead_scenario(scenario if scenario in result.scenarios else None)
    sc = result.scenarios[chosen]
    hours = sum(a.hours for a in result.activities)
    relational = sum(a.hours for a in result.activities if a.relational_good)
    return CompanySummary(
        path=path, folder=folder, ok=True, company=str(result.company.get("name")),
        currency=str(result.company.get("currency")), activities=len(result.activities),
        relational_goods=len(result.relational_goods), hours=hours, relational_hours=relational,
        relational_share=relational / hours if hours > 0 else 0.0, scenario=chosen,
        hours_freed=sc.hours_freed, value_freed=sc.value_freed, hours_reinvested=sc.hours_reinvested,
        unallocated=sc.unallocated, hours_kept=sc.hours_kept, ai_cost=sc.ai_cost, net_savings=sc.net_savings)
