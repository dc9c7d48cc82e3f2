"""relmap.analysis.rows.trusted: the same rows as pydantic's model_construct, every field required."""

from __future__ import annotations

import pytest

from relmap.analysis.result import ActivityScenario, Allocation
from relmap.analysis.rows import trusted


def test_trusted_row_serialises_like_model_construct() -> None:
    values = {"hours_freed": 12.5, "value_freed": 500.0, "fte_freed": 0.0078, "reinvest_supply": 6.25,
              "hours_sent": 3.0, "hours_received": 0.0, "capacity": 0.0, "recognition_value": 0.0,
              "hours_kept": 0.0, "confidence": None}
    fast = trusted(ActivityScenario, **dict(reversed(list(values.items()))))  # given in another order
    slow = ActivityScenario.model_construct(**values)
    assert fast.model_dump_json() == slow.model_dump_json()
    assert fast == slow


def test_trusted_uses_field_names_and_the_alias_in_json() -> None:
    row = trusted(Allocation, from_="a", to="b", hours=1.5, via="own", training_hours=0.0, role=None)
    assert row.model_dump_json() == '{"from":"a","to":"b","hours":1.5,"via":"own","training_hours":0.0,"role":null}'


def test_trusted_refuses_a_missing_field() -> None:
    with pytest.raises(KeyError, match="role"):
        trusted(Allocation, from_="a", to="b", hours=1.5, via="own", training_hours=0.0)


def test_analysis_parts_left_out_stay_empty_and_change_nothing_else() -> None:
    from pathlib import Path

    import relmap

    chain = relmap.load(Path(__file__).parent.parent / "examples" / "hotel-group" / "company.yaml")
    full = relmap.analyze(chain, draws=50)
    bare = relmap.analyze(chain, draws=50, parts=())
    assert full.uncertainty is not None and full.sensitivity
    assert bare.uncertainty is None and bare.sensitivity == []
    for sid, sc in bare.scenarios.items():
        assert sc.trajectory == [] and full.scenarios[sid].trajectory
        assert sc.balance == full.scenarios[sid].balance and sc.allocation == full.scenarios[sid].allocation


def test_trusted_rows_in_field_order_are_independent() -> None:
    values = {"hours_freed": 1.0, "value_freed": 2.0, "fte_freed": 0.5, "reinvest_supply": 0.25, "hours_sent": 0.0,
              "hours_received": 0.0, "capacity": 0.0, "recognition_value": 0.0, "hours_kept": 0.0,
              "confidence": None}
    first = trusted(ActivityScenario, **values)
    second = trusted(ActivityScenario, **values)
    assert first == ActivityScenario.model_construct(**values)
    assert list(first.__dict__) == list(ActivityScenario.model_fields)
    first.confidence = 0.9  # what the analysis does once the Monte Carlo has answered
    assert second.confidence is None and values["confidence"] is None
    assert first.model_fields_set == second.model_fields_set == set(ActivityScenario.model_fields)
    assert first.model_fields_set is not second.model_fields_set


def test_trusted_refuses_an_unknown_field() -> None:
    with pytest.raises(KeyError, match="colour"):
        trusted(Allocation, from_="a", to="b", hours=1.5, via="own", training_hours=0.0, role=None, colour="red")
    with pytest.raises(KeyError, match="role"):
        trusted(Allocation, from_="a", to="b", hours=1.5, via="own", colour="red", training_hours=0.0)
