"""Many companies at once: ``relmap analyze a.yaml b.yaml … -o DIR``.

Each file is loaded, analysed and written into its own subfolder of ``DIR``
by a pool of worker processes (one per core at most); a file that fails is
reported with its located problems and never stops the others. The summary
``portfolio.json`` (language-free, sorted) and ``portfolio.md`` (a table in
the report language) compare the companies on the scenario ``base`` (or each
file's first scenario).

Example:
    >>> from relmap.batch import analyze_many
    >>> res = analyze_many(["a/company.yaml", "b/company.yaml"], "out/")  # doctest: +SKIP
    >>> res.failed  # doctest: +SKIP
    0
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis import DEFAULT_DRAWS, DEFAULT_SEED
from ..errors import InputError, RelmapError
from ..fsutil import write_atomic
from ..i18n import _, get_language, language
from .folders import folder_names
from .markdown import render_portfolio_md
from .summary import CompanySummary, PortfolioProblem, PortfolioResult, summarise


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
