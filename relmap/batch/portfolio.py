"""Many companies at once: ``relmap analyze a.yaml b.yaml … -o DIR``.

Each file is loaded, analysed and written into its own subfolder of ``DIR``
by a pool of worker processes (one per core at most); a file that fails is
reported with its located problems and never stops the others. The summary
``portfolio.json`` (language-free, sorted) and ``portfolio.md`` (a table in
the report language) compare the companies on the scenario ``base`` (or each
file's first scenario).

Example:
    >>> from relmap.batch.portfolio import analyze_many
    >>> res = analyze_many(["a/company.yaml", "b/company.yaml"], "out/")  # doctest: +SKIP
    >>> res.failed  # doctest: +SKIP
    0
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..analysis import DEFAULT_DRAWS, DEFAULT_SEED
from ..errors import InputError, Problem, RelmapError
from ..fsutil import write_atomic
from ..i18n import _, format_number, format_percent, get_language, language, ngettext
from ..vocabulary import unplaced_label

__all__ = ["CompanySummary", "PortfolioResult", "analyze_many", "folder_names",
           "summarise"]

#: The scenario the summary compares, when a file has it (else the file's first scenario).
_RESERVED = frozenset({"portfolio.md", "portfolio.json"})
_UNSAFE = re.compile(r"[^\w.-]+")


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


@dataclass(frozen=True)
class _Job:
    path: str
    folder: Path
    lang: str | None
    message_lang: str
    draws: int
    seed: int
    deck: bool
    xlsx: bool
    scenario: str | None


# --------------------------------------------------------------------------- folders


def _safe(name: str) -> str:
    cleaned = _UNSAFE.sub("_", name).strip("._-") or "company"
    return cleaned[:80]


def folder_names(paths: Sequence[str | Path]) -> list[str]:
    """One distinct output subfolder name per path, deterministic, in the order of ``paths``.

    The name is the file's stem. When several files share it (compared without
    case, as on macOS and Windows), each takes the name of its parent folder
    instead (``examples/hotel-group/company.yaml`` → ``hotel-group``), then of
    more ancestors joined by ``-`` while they still clash, and a number as a
    last resort (``company-2``, in the order of the paths; also for files of
    the same folder). Unsafe characters become ``_``; ``portfolio.md`` and
    ``portfolio.json`` are never used.
    """
    parts = [Path(os.path.abspath(p)).parts[:-1] for p in paths]
    stems = [_safe(Path(p).stem) for p in paths]
    depth = [0] * len(paths)

    def name(i: int) -> str:
        return stems[i] if depth[i] == 0 else _safe("-".join(parts[i][-depth[i]:]))

    for _level in range(64):
        groups: dict[str, list[int]] = {}
        for i in range(len(paths)):
            groups.setdefault(name(i).lower(), []).append(i)
        changed = False
        for members in groups.values():
            if len(members) > 1 and len({parts[i] for i in members}) > 1:
                for i in members:
                    if depth[i] < len(parts[i]) - 1:  # never the file system root
                        depth[i] += 1
                        changed = True
        if not changed:
            break
    used: set[str] = set()
    final = []
    for i in range(len(paths)):
        base = name(i)
        candidate, count = base, 1
        while candidate.lower() in used or candidate.lower() in _RESERVED:
            count += 1
            candidate = f"{base}-{count}"
        used.add(candidate.lower())
        final.append(candidate)
    return final


# --------------------------------------------------------------------------- one file (in a worker)


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


def _problems(error: InputError) -> list[PortfolioProblem]:
    return [PortfolioProblem(path=p.path, line=p.line, column=p.column, message=p.message, hint=p.hint)
            for p in error.problems]


def _whole_file(path: str, message: str) -> list[PortfolioProblem]:
    return [PortfolioProblem(path=path, line=0, column=0, message=message)]


def _analyse_one(job: _Job) -> CompanySummary:
    """Load, analyse and write one file; every failure becomes problems in the summary, never an exception."""
    from ..analysis import analyze
    from ..input.validate import load
    from ..report import write_outputs

    folder = job.folder.name
    try:
        with language(job.lang or job.message_lang):
            chain = load(job.path)
    except InputError as exc:
        return CompanySummary(path=job.path, folder=folder, ok=False, problems=_problems(exc))
    lang = job.lang or chain.company.language
    summary: CompanySummary | None = None
    with language(lang):
        try:
            result = analyze(chain, draws=job.draws, seed=job.seed)
            summary = summarise(result, job.path, folder, job.scenario)
            write_outputs(result, job.folder, source=Path(job.path), lang=lang, deck=job.deck, xlsx=job.xlsx,
                          scenario=job.scenario if job.scenario in result.scenarios else None, chain=chain)
        except InputError as exc:
            problems = _problems(exc)
        except RelmapError as exc:  # RenderError: every other file was written
            problems = _whole_file(job.path, str(exc))
        except Exception as exc:  # a bug must not stop the other files
            problems = _whole_file(job.path, _(
                "internal error (a bug in relmap, please report it): {kind}: {message}").format(
                kind=type(exc).__name__, message=exc))
        else:
            assert summary is not None
            return summary
    if summary is None:
        return CompanySummary(path=job.path, folder=folder, ok=False, problems=problems)
    return summary.model_copy(update={"ok": False, "problems": problems})


# --------------------------------------------------------------------------- the pool


def analyze_many(paths: Sequence[str | Path], out_dir: str | Path, *, jobs: int | None = None,
                 lang: str | None = None, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, deck: bool = True,
                 xlsx: bool = True, scenario: str | None = None,
                 progress: bool | None = None) -> PortfolioResult:
    """Analyse many company files in parallel, one subfolder each, and write the portfolio summary.

    Workers: ``min(len(paths), jobs or os.cpu_count())`` processes (one file
    runs in this process). Each file goes through :func:`relmap.load`,
    :func:`relmap.analyze` and :func:`relmap.report.write_outputs` into
    ``out_dir/<folder>`` (see :func:`folder_names`); a file that fails is
    recorded with its located problems and the others go on. Then
    ``portfolio.json`` and ``portfolio.md`` are written atomically.

    Args:
        paths: the company files.
        out_dir: the output folder (created).
        jobs: maximum worker processes (default: the number of cores).
        lang: report language for every file (default: each file's ``company.language``).
        draws, seed: Monte Carlo settings, as for :func:`relmap.analyze`.
        deck, xlsx: write ``deck.pptx`` / ``activities.xlsx`` in each subfolder.
        scenario: the scenario reports and the summary lead with, in the files that have it.
        progress: a progress bar on stderr: True always, False never, None when stderr is a terminal.

    Returns:
        The summaries, sorted by folder (``.failed`` counts the failures).
    """
    out = Path(out_dir)
    names = folder_names(paths)
    message_lang = get_language()
    work = [_Job(str(p), out / name, lang, message_lang, draws, seed, deck, xlsx, scenario)
            for p, name in zip(paths, names, strict=True)]
    show = progress if progress is not None else sys.stderr.isatty()
    workers = max(1, min(len(work), jobs or os.cpu_count() or 1))
    summaries = _run(work, workers, show)
    result = PortfolioResult(companies=sorted(summaries, key=lambda c: (c.folder.lower(), c.folder)))
    protect = tuple(Path(p) for p in paths)
    write_atomic(out / "portfolio.json", result.to_json(), protect=protect)
    with language(lang or message_lang):
        write_atomic(out / "portfolio.md", render_portfolio_md(result), protect=protect)
    return result


def _run(work: list[_Job], workers: int, show: bool) -> list[CompanySummary]:
    """Run the jobs (in a pool when ``workers`` > 1), ticking the progress bar as each finishes.

    Why the order: the workers are forked when the jobs are submitted, before
    the progress bar starts its refresh thread (forking a process that runs
    threads can deadlock the child).
    """
    if workers == 1:
        with _Progress(show, len(work)) as tick:
            done = []
            for job in work:
                done.append(_analyse_one(job))
                tick(job.path)
            return done
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    summaries: list[CompanySummary] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        futures: dict[Future[CompanySummary], _Job] = {pool.submit(_analyse_one, job): job for job in work}
        with _Progress(show, len(work)) as tick:
            for future in as_completed(futures):
                job = futures[future]
                try:
                    summaries.append(future.result())
                except Exception as exc:  # a worker died (out of memory, killed)
                    summaries.append(CompanySummary(
                        path=job.path, folder=job.folder.name, ok=False, problems=_whole_file(
                            job.path, _("the worker analysing this file stopped: {error}").format(
                                error=type(exc).__name__))))
                tick(job.path)
    return summaries


class _Progress:
    """A rich progress bar on stderr that counts files (does nothing when hidden)."""

    def __init__(self, show: bool, total: int):
        self.show = show
        self.total = total
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[str], None]:
        if self.show:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(stderr=True), transient=False)
            self._bar.__enter__()
            self._task = self._bar.add_task(_("Analysing"), total=self.total)
        return self.tick

    def tick(self, _path: str) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


# --------------------------------------------------------------------------- portfolio.md


def _num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else format_number(value, digits)


def render_portfolio_md(result: PortfolioResult) -> str:
    """``portfolio.md``: one row per company (figures of its compared scenario), then the failures."""
    from ..report.markdown import escape

    lines = ["# " + _("Portfolio"), ""]
    ok = [c for c in result.companies if c.ok or c.company is not None]
    lines.append(ngettext("{n} company file analysed", "{n} company files analysed",
                          len(result.companies)).format(n=len(result.companies))
                 + (("; " + ngettext("{n} failed", "{n} failed", result.failed).format(n=result.failed))
                    if result.failed else "") + ".")
    lines += ["", _("Hours per year, in the scenario shown (the file's lead scenario: lead: true, else "
                    "\u2018base\u2019, else its first). Relational goods share = hours of relational goods / hours "
                    "of all activities. Net savings per year, in the file's currency."), ""]
    headers = [_("Company"), _("Folder"), _("Scenario"), _("Activities"), _("Relational goods"),
               _("Relational goods share of hours"), _("Hours AI could free"), _("Kept in relational goods"),
               _("Hours reinvested"), unplaced_label(), _("Net savings per year")]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|---|---|---|" + "---:|" * 8)
    for c in ok:
        share = "–" if c.relational_share is None else format_percent(c.relational_share, 1)
        lines.append("| " + " | ".join([
            escape(c.company or ""), f"[{escape(c.folder)}]({c.folder}/report.md)", escape(c.scenario or ""),
            _num(c.activities), _num(c.relational_goods), share, _num(c.hours_freed), _num(c.hours_kept),
            _num(c.hours_reinvested), _num(c.unallocated),
            (_num(c.net_savings) + (" " + c.currency if c.currency else "")) if c.net_savings is not None else "–"])
            + " |")
    failed = [c for c in result.companies if not c.ok]
    if failed:
        lines += ["", "## " + _("Files that failed"), ""]
        for c in failed:
            lines.append("- " + escape(c.path))
            for p in c.problems:
                problem = Problem(p.path, p.line, p.column, p.message, p.hint)
                for k, text in enumerate(problem.format().splitlines()):
                    lines.append(("  - " if k == 0 else "    ") + escape(text.strip()))
    return "\n".join(lines) + "\n"
