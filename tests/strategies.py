"""Hypothesis strategies: small random valid value chains for property tests."""

from __future__ import annotations

import os
from typing import Any

import yaml
from hypothesis import strategies as st

from relmap.input.model import ValueChain


class QuotingDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Every string in double quotes: PyYAML (YAML 1.1) leaves ``1e+100`` or ``1e3`` bare, which relmap (YAML 1.2)
    reads as a number; a generated text must reach relmap as the text it was."""


QuotingDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text,
                                                                                style='"'))


def dump_yaml(data: Any) -> str:
    """Generated data as the YAML text of a company file (strings quoted, one line per scalar)."""
    return str(yaml.dump(data, Dumper=QuotingDumper, allow_unicode=True, sort_keys=False, width=100000))


#: ``RELMAP_TESTS=full`` (``make test-slow``, so CI): every property test tries its whole number of examples;
#: otherwise (the quick loop, ``make test``) a quarter of them, at least 3. Every property still runs in both.
FULL = os.environ.get("RELMAP_TESTS", "") == "full"


def examples(n: int) -> int:
    """How many examples a property test written for ``n`` tries in this run.

    ``n`` in full, else ``min(n, max(3, n // 4))``: 60 → 15, 25 → 6, 2 → 2.
    """
    return n if FULL else min(n, max(3, n // 4))


shares = st.floats(0.0, 1.0, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def estimates(draw: st.DrawFn) -> Any:
    """A 0..1 estimate: a number, [low, high] or {low, mode, high}."""
    kind = draw(st.sampled_from(["number", "number", "range", "triangle"]))
    if kind == "number":
        return draw(shares)
    low, high = sorted((draw(shares), draw(shares)))
    if kind == "range":
        return [low, high]
    mode = draw(st.floats(low, high).map(lambda x: min(high, max(low, round(x, 3)))))
    return {"low": low, "mode": mode, "high": high}


@st.composite
def relationals(draw: st.DrawFn) -> Any:
    """A relational field: a word, a number, a range or a rubric."""
    kind = draw(st.sampled_from(["word", "estimate", "rubric"]))
    if kind == "word":
        return draw(st.sampled_from(["none", "low", "medium", "high", "very_high"]))
    if kind == "estimate":
        return draw(estimates())
    dims = ("identity", "reciprocity", "simultaneity", "presence", "empathy", "trust", "motivation")
    return {d: draw(st.integers(0, 4)) for d in dims}


@st.composite
def chain_data(draw: st.DrawFn, max_activities: int = 8, with_roles: bool = False) -> dict[str, Any]:
    """The plain data of a valid chain (stages, one or two customers, flows, scenarios, policy).

    ``with_roles``: half of the chains also get top-level roles (:func:`add_roles`); the other
    draws are the same as without it, so callers that do not ask see the same chains as before.
    """
    n_stages = draw(st.integers(1, 3))
    stages = [{"id": f"s{i}", "name": f"Stage {i}"} for i in range(n_stages)]
    actors = [{"id": "cust", "name": "Customer", "kind": "customer"},
              {"id": "supp", "name": "Supplier", "kind": "supplier"}]
    n = draw(st.integers(1, max_activities))
    activities = []
    for i in range(n):
        act: dict[str, Any] = {
            "id": f"act{i}", "name": f"Activity {i}",
            "hours": draw(st.integers(0, 5000)),
            "automatability": draw(estimates()),
            "relational": draw(relationals()),
        }
        stage = draw(st.integers(-1, n_stages - 1))
        if stage >= 0:
            act["stage"] = f"s{stage}"
        if draw(st.booleans()):
            act["touches"] = [draw(st.sampled_from(["cust", "supp"]))]
        if draw(st.integers(0, 5)) == 0:
            act["keep_human"] = True
            act["reason"] = "valued for itself"
        if draw(st.booleans()):
            act["ai_provider"] = draw(st.sampled_from(["A", "B"]))
        if draw(st.booleans()):
            act["hourly_cost"] = draw(st.integers(0, 120))
        activities.append(act)
    nodes = [a["id"] for a in activities] + ["cust", "supp"]
    pairs = draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=2 * n + 2))
    flows = [{"from": u, "to": v} for u, v in pairs if u != v]
    ids = [a["id"] for a in activities]
    transfers = [{"from": u, "to": v, "training_hours_per_fte": 10}
                 for u, v in draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=2))]
    reinvest = draw(shares)
    recognition = round((1 - reinvest) * draw(shares), 3)
    training = round((1 - reinvest - recognition) * draw(shares), 3)
    community = round(max(0.0, 1 - reinvest - recognition - training) * draw(shares), 3)
    scenario = {"id": "s", "adoption": draw(estimates()), "reinvest": reinvest,
                "recognition": recognition, "training": training, "community": community,
                "costs": {"one_off": draw(st.integers(0, 10**6)), "yearly": draw(st.integers(0, 10**5)),
                          "per_user_year": draw(st.integers(0, 1000))}}
    data = {
        "relmap": 1,
        "company": {"name": "Random", "hourly_cost": draw(st.integers(0, 60)), "hours_per_fte": 1600},
        "stages": stages, "actors": actors, "activities": activities, "flows": flows,
        "scenarios": [scenario],
        "policy": {"max_increase": draw(st.sampled_from([0.0, 0.1, 0.3, 1.0])),
                   "mobility": draw(st.sampled_from(["any", "stage", "adjacent"])),
                   "max_distance": draw(st.integers(1, 3)), "transfers": transfers,
                   "relational_dividend": draw(st.sampled_from(["all", "share"])),
                   "unplaced": draw(st.sampled_from(["savings", "keep"]))},
    }
    if with_roles and draw(st.booleans()):
        add_roles(draw, data)
    return data


def add_roles(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """Top-level roles (families, reskilling paths, some costs), each activity staffed by ``roles`` (equal
    shares), ``staffing`` (shares in tenths) or no role; mobility ``role`` (given or by default) or another."""
    n = draw(st.integers(1, 4))
    ids = [f"role{k}" for k in range(n)]
    roles: list[dict[str, Any]] = []
    for k, rid in enumerate(ids):
        role: dict[str, Any] = {"id": rid, "name": f"Role {k}"}
        family = draw(st.sampled_from([None, "office", "care"]))
        if family is not None:
            role["family"] = family
        if draw(st.booleans()):
            role["hourly_cost"] = draw(st.integers(0, 120))
        targets = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
        moves = [{"role": t, "training_hours": draw(st.integers(0, 400))} for t in targets if t != rid]
        if moves:
            role["can_move_to"] = moves
        roles.append(role)
    data["roles"] = roles
    for act in data["activities"]:
        kind = draw(st.sampled_from(["roles", "roles", "staffing", "none"]))
        if kind == "roles":
            act["roles"] = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
        elif kind == "staffing" and n >= 2:
            first, second = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
            tenths = draw(st.integers(1, 9))
            act["staffing"] = {first: tenths / 10, second: (10 - tenths) / 10}
    mobility = draw(st.sampled_from(["role", "role", "default", "any"]))
    if mobility == "default":
        del data["policy"]["mobility"]
    else:
        data["policy"]["mobility"] = mobility
    data["policy"]["family_training_hours"] = draw(st.integers(0, 100))
    data["policy"]["role_risk"] = draw(st.sampled_from([0.0, 0.25, 0.5]))


def chains(max_activities: int = 8, with_roles: bool = False) -> st.SearchStrategy[ValueChain]:
    """Random valid :class:`ValueChain` objects."""
    return chain_data(max_activities, with_roles).map(ValueChain.model_validate)
