"""The chart worker of ``analyze -o``: the same bytes as drawing in-process, and a failed worker loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_fixture import make_result

import relmap
from relmap.errors import OutputError
from relmap.render.worker import CHART_VIEWS, ChartWorker, start_chart_worker
from relmap.report import draw_diagrams, write_outputs


@pytest.fixture(scope="module")
def result() -> relmap.AnalysisResult:
    """The hand-made result of tests/report_fixture.py: every view, drawn in a second."""
    return make_result()


def test_worker_gives_the_bytes_of_in_process_drawing(result: relmap.AnalysisResult) -> None:
    """The SVG of every view from two children equals the one drawn in-process (French, so the language travels).

    The PNGs the deck shows are compared in tests/test_determinism.py: a run with the worker and one without
    write the same deck.pptx, byte for byte.
    """
    from relmap.render import render_view

    expected = draw_diagrams(result, lang="fr", png=False)
    worker = ChartWorker(2)
    assert sorted(v for child in worker._children for v in child.views) == sorted(CHART_VIEWS)
    worker.draw(result, lang="fr", scenario=None, theme="light", png=False)
    got = draw_diagrams(result, lang="fr", png=False, worker=worker)
    assert got == expected
    assert set(got.svg) == {"value-chain", *CHART_VIEWS} and not got.missing and not got.png
    for view in CHART_VIEWS:  # the language matters to every view: had it not travelled, they would differ
        assert render_view(result, view, lang="en") != expected.svg[view].encode("utf-8"), view


@pytest.mark.slow  # every output, with a worker process
def test_write_outputs_with_a_worker(result: relmap.AnalysisResult, tmp_path: Path) -> None:
    """``write_outputs`` starts the drawing, writes what needs none, then the rest; the files come back in order."""
    worker = ChartWorker(1)
    written = write_outputs(result, tmp_path, deck=False, worker=worker)
    assert [p.name for p in written] == ["analysis.json", "value-chain.svg", "matrix.svg", "reinvestment.svg",
                                         "people.svg", "sensitivity.svg", "trajectory.svg",
                                         "report.md", "report.html", "activities.xlsx"]
    assert (tmp_path / "matrix.svg").read_text(encoding="utf-8") == draw_diagrams(result, png=False).svg["matrix"]


def test_a_dead_worker_is_replaced_by_in_process_drawing() -> None:
    """Children killed before they answer: the views are drawn here, identical, and nothing is missing."""
    result = make_result()
    expected = draw_diagrams(result, theme="dark", png=False)
    worker = ChartWorker(2)
    worker.stop()
    got = draw_diagrams(result, theme="dark", png=False, worker=worker)
    assert got == expected
    assert not got.missing and set(got.svg) == {"value-chain", *CHART_VIEWS}


@pytest.mark.slow  # a worker process and every view
def test_a_worker_asked_for_other_drawings_is_not_used() -> None:
    """The worker drew the light theme; the dark one is asked for: it is drawn here, not taken from the worker."""
    result = make_result()
    worker = ChartWorker(1)
    try:
        worker.draw(result, lang="en", scenario=None, theme="light", png=False)
        assert not worker.wants(lang="en", scenario=None, theme="dark", png=False)
        got = draw_diagrams(result, theme="dark", png=False, worker=worker)
        assert got == draw_diagrams(result, theme="dark", png=False)
    finally:
        worker.stop()


def test_no_worker_when_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELMAP_WORKER", "0")
    assert start_chart_worker() is None


@pytest.mark.slow  # every view drawn twice, in a worker and in-process
@pytest.mark.parametrize("scenario", [None, "bold"])
def test_the_part_sent_to_the_worker_draws_the_same_views(scenario: str | None) -> None:
    """Only the drawn scenario's rows travel; the matplotlib views drawn from them are the same bytes."""
    from relmap.render import render_view
    from relmap.render.worker import views_part

    result = make_result()
    lead = result.lead_scenario(scenario)
    part = views_part(result, lead)
    assert list(part.scenarios) == [lead] and all(set(a.by_scenario) <= {lead} for a in part.activities)
    for view in CHART_VIEWS:
        assert render_view(part, view, scenario=lead) == render_view(result, view, scenario=scenario)


def test_a_failed_write_stops_the_worker_at_once(tmp_path: Path) -> None:
    """The output folder is a file: the error comes at once and the worker's children are stopped."""
    import time

    blocker = tmp_path / "out"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    worker = ChartWorker(1)
    result = make_result()
    worker.draw(result, lang="en", scenario=None, theme="light", png=True)
    started = time.monotonic()
    with pytest.raises(OutputError, match="a file of that name is in the way"):
        write_outputs(result, blocker, deck=True, worker=worker)
    assert time.monotonic() - started < 5
    assert all(not child.process.is_alive() for child in worker._children)
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"
