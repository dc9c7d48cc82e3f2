"""Property: any valid model round-trips YAML → model → JSON, and its dump satisfies the JSON Schema."""

from __future__ import annotations

from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import dump_yaml, examples

import relmap
from relmap.input.model import RELATIONAL_WORDS, RUBRIC_DIMENSIONS
from relmap.input.schema import json_schema

SCHEMA = json_schema()
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
share = st.floats(min_value=0, max_value=1, allow_nan=False).map(lambda x: round(x, 4))
names = st.text(alphabet=st.characters(categories=("L", "N", "Zs", "P", "S", "So")), min_size=1,
                max_size=30).filter(lambda s: s.strip() != "" and s == s.strip())


@st.composite
def estimates(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["number", "range", "triangle"]))
    a, b = sorted([draw(share), draw(share)])
    if kind == "number":
        return a
    if kind == "range":
        return [a, b]
    return {"low": a, "mode": round((a + b) / 2, 6), "high": b}


@st.composite
def relationals(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["rubric", "word", "estimate"]))
    if kind == "rubric":
        return {d: draw(st.integers(0, 4)) for d in RUBRIC_DIMENSIONS}
    if kind == "word":
        return draw(st.sampled_from(sorted(RELATIONAL_WORDS)))
    return draw(estimates())


@st.composite
def chains(draw: st.DrawFn) -> dict[str, Any]:
    n_stages = draw(st.integers(1, 3))
    stages = [{"id": f"s{i}", "name": draw(names), "kind": draw(st.sampled_from(["primary", "support"]))}
              for i in range(n_stages)]
    actors = [{"id": "client", "name": draw(names), "kind": "customer"}]
    acts = []
    for i in range(draw(st.integers(1, 6))):
        act: dict[str, Any] = {"id": f"a{i}", "name": draw(names), "stage": f"s{draw(st.integers(0, n_stages - 1))}",
                               "relational": draw(relationals())}
        if draw(st.booleans()):
            act["fte"] = draw(st.floats(0, 50, allow_nan=False).map(lambda x: round(x, 2)))
        else:
            act["hours"] = draw(st.integers(0, 80000))
        source = draw(st.sampled_from(["value", "tasks", "archetype", "occupation"]))
        if source == "value":
            act["automatability"] = draw(estimates())
        elif source == "tasks":
            act["tasks"] = [{"name": "t1", "share": 0.5, "automatability": draw(estimates())},
                            {"name": "t2", "share": 0.25, "archetype": "managing_others"}]
        elif source == "archetype":
            act["archetype"] = draw(st.sampled_from(["processing_data", "stakeholder_interactions"]))
        else:
            act["occupation"] = "43-4051.00"
        if draw(st.booleans()):
            act["touches"] = ["client"]
        if draw(st.integers(0, 4)) == 0:
            act["keep_human"] = True
            act["reason"] = draw(names)
        acts.append(act)
    ids = [a["id"] for a in acts] + ["client"]
    flows = [{"from": draw(st.sampled_from(ids)), "to": draw(st.sampled_from(ids)),
              "kind": draw(st.sampled_from(["information", "material", "service", "relationship"]))}
             for _ in range(draw(st.integers(0, 5)))]
    flows = [f for f in flows if f["from"] != f["to"]]
    r, rec = draw(share), draw(share)
    scale = max(1.0, r + rec)
    scenario = {"id": "base", "adoption": draw(estimates()), "reinvest": round(r / scale / 1.001, 4),
                "recognition": round(rec / scale / 1.001, 4)}
    return {"relmap": 1, "company": {"name": draw(names), "hourly_cost": 42.5, "language": "fr"},
            "stages": stages, "actors": actors, "activities": acts, "flows": flows, "scenarios": [scenario],
            "policy": {"mobility": draw(st.sampled_from(["any", "stage", "adjacent"]))}}




@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains())
def test_yaml_model_json_roundtrip(data: dict[str, Any]) -> None:
    text = dump_yaml(data)
    chain = relmap.loads(text)
    dumped = chain.model_dump(mode="json", by_alias=True, exclude_none=True)
    VALIDATOR.validate(dumped)
    again = relmap.loads(dump_yaml(dumped))
    assert again == chain
