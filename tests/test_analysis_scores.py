"""Automatability and relational index from every input form, and the quadrant boundaries."""

from __future__ import annotations

import textwrap

import pytest

import relmap
from relmap.analysis.classify import classify
from relmap.seeds import get_prior

HEAD = """\
relmap: 1
company: {name: Scores Co, hourly_cost: 10}
activities:
"""


def analyse(activities: str, extra: str = "") -> relmap.analysis.AnalysisResult:
    text = HEAD + textwrap.indent(textwrap.dedent(activities), "  ") + textwrap.dedent(extra)
    return relmap.analyze(relmap.loads(text), draws=200)


def test_precedence_and_sources() -> None:
    """value > tasks > occupation > archetype; the source and the prior's key are recorded.

    tasks: 0.5 × 0.8 + 0.3 × 0.2 = 0.46 (the uncovered 20 % counts 0).
    occupation '43-4051' (no suffix) → the prior of 43-4051.00: exposure E by both raters (GPT-4
    0.1364 / 0.5682 / 1.0, human 0.5455 / 0.7045 / 0.8636) = (min α, mean β, max γ) =
    (0.1364, 0.63635, 1.0), times T = (0.5, 0.5, 0.8): a = (0.0682, 0.318175, 0.8) (SPEC §6.1).
    archetype processing_data → its prior's (low, mode, high).
    """
    result = analyse("""\
        - {id: v, name: V, hours: 100, automatability: 0.3, occupation: "43-4051.00", relational: low}
        - id: t
          name: T
          hours: 100
          relational: low
          occupation: "43-4051.00"
          tasks:
            - {name: x, share: 0.5, automatability: 0.8}
            - {name: y, share: 0.3, automatability: 0.2}
        - {id: o, name: O, hours: 100, occupation: "43-4051", archetype: processing_data, relational: low}
        - {id: r, name: R, hours: 100, archetype: processing_data, relational: low}
    """)
    occ = get_prior("occupation", "43-4051.00")
    arch = get_prior("archetype", "processing_data")
    assert occ is not None and arch is not None
    v, t, o, r = (result.activity(x) for x in "vtor")
    assert (v.automatability, v.automatability_source, v.automatability_ref) == (0.3, "value", None)
    assert (t.automatability, t.automatability_source) == (pytest.approx(0.46), "tasks")
    assert (o.automatability_source, o.automatability_ref) == ("occupation", "43-4051.00")
    assert (o.automatability_range.low, o.automatability, o.automatability_range.high) == pytest.approx(
        (0.0682, 0.318175, 0.8))
    assert o.exposure is not None and (o.exposure.low, o.exposure.point, o.exposure.high) == pytest.approx(
        (occ.low, (occ.mode + 0.7045) / 2, occ.high))
    assert (r.automatability_source, r.automatability_ref, r.automatability) == ("archetype", "processing_data",
                                                                                arch.mode)


def test_task_priors_and_ranges() -> None:
    """Each bound of a task-derived estimate is the share-weighted sum of the tasks' bounds.

    Task 1 (share 0.6): [0.4, 0.8] → (0.4, 0.6, 0.8); task 2 (share 0.4): archetype
    processing_data (0.59, 0.69, 0.79). low = 0.6 × 0.4 + 0.4 × 0.59 = 0.476,
    mode = 0.36 + 0.276 = 0.636, high = 0.48 + 0.316 = 0.796.
    """
    result = analyse("""\
        - id: t
          name: T
          hours: 100
          relational: 0.1
          tasks:
            - {name: x, share: 0.6, automatability: [0.4, 0.8]}
            - {name: y, share: 0.4, archetype: processing_data}
    """)
    spread = result.activity("t").automatability_range
    assert (spread.low, spread.point, spread.high) == pytest.approx((0.476, 0.636, 0.796))


def test_relational_forms_and_weights() -> None:
    """Rubric (identity 4, others 0) with default weights: 4 / 7 / 4 = 1/7 ≈ 0.143.
    With identity weighted 6 (others 1): (6 × 4) / 12 / 4 = 0.5 — a relational good.
    Words: medium = 0.5. Range [0.2, 0.6] → point 0.4.
    """
    acts = """\
        - {id: rub, name: Rub, hours: 10, automatability: 0.1,
           relational: {identity: 4, reciprocity: 0, simultaneity: 0, presence: 0, empathy: 0, trust: 0,
                        motivation: 0}}
        - {id: word, name: Word, hours: 10, automatability: 0.1, relational: medium}
        - {id: rng, name: Rng, hours: 10, automatability: 0.1, relational: [0.2, 0.6]}
    """
    plain = analyse(acts)
    assert plain.activity("rub").relational_index == pytest.approx(1 / 7)
    assert plain.activity("rub").rubric == {"identity": 4, "reciprocity": 0, "simultaneity": 0, "presence": 0,
                                            "empathy": 0, "trust": 0, "motivation": 0}
    assert plain.activity("word").relational_index == 0.5 and plain.activity("word").relational_good
    rng = plain.activity("rng")
    assert (rng.relational_range.low, rng.relational_index, rng.relational_range.high) == pytest.approx((0.2, 0.4, 0.6))
    weighted = analyse(acts, "thresholds:\n  rubric_weights: {identity: 6}\n")
    assert weighted.activity("rub").relational_index == pytest.approx(0.5)
    assert weighted.activity("rub").quadrant == "relational_core"


@pytest.mark.parametrize(("a", "r", "quadrant"), [
    (0.5, 0.5, "augment"), (0.5, 0.49, "automate"), (0.49, 0.5, "relational_core"), (0.49, 0.49, "sustain"),
    (0.3 * 0.5 + 0.7 * 0.5, 0.5, "augment"), (0.0, 0.0, "sustain"), (1.0, 1.0, "augment"),
])
def test_quadrant_boundaries(a: float, r: float, quadrant: str) -> None:
    """Thresholds are inclusive (a ≥ τa, r ≥ τr), with a 1e-9 tolerance for sums of shares."""
    assert classify(a, r, 0.5, 0.5) == quadrant


def test_thresholds_move_quadrants() -> None:
    """τa = 0.7: an activity at a = 0.6 is no longer automatable."""
    acts = "- {id: x, name: X, hours: 10, automatability: 0.6, relational: 0.1}\n"
    assert analyse(acts).activity("x").quadrant == "automate"
    assert analyse(acts, "thresholds: {automatable: 0.7}\n").activity("x").quadrant == "sustain"


def test_missing_costs_are_noted() -> None:
    """No company hourly_cost and none on the activity: value figures are 0 and a note says why."""
    text = "relmap: 1\ncompany: {name: N}\nactivities:\n  - {id: x, name: X, hours: 100, automatability: 0.5, " \
           "relational: low}\n"
    result = relmap.analyze(relmap.loads(text))
    assert result.scenarios["base"].value_freed == 0
    assert result.scenarios["base"].hours_freed == pytest.approx(30)
    assert [(n.kind, n.evidence) for n in result.notes] == [("missing_costs", {"count": 1})]
