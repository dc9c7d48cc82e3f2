"""The role greedy (relmap.analysis.roles._solve_greedy) against the plain heap it replaced.

The greedy walks each role's arcs sorted once per network, merged by a heap of one cursor per role; the
reference below keeps one heap entry per (role, receiving role) cursor and per direct arc, re-sorting nothing.
Both take the arcs in the same increasing (cost, kind, who, good, …) order, so the moves must be identical —
on random chains with roles, with the exact network switched off (``EXACT_NODES = 0``).
"""

from __future__ import annotations

import copy
import heapq
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import given, settings
from strategies import chain_data
from test_roles import bank

import relmap
import relmap.analysis.roles as roles
from relmap.input.model import ValueChain

PROPS = settings(max_examples=int(__import__("os").environ.get("RELMAP_PROP_EXAMPLES", "50")), deadline=None)


def reference_greedy(net: Any, goods: dict[str, int], gw: dict[str, int], staff_goods: dict[str, list[str]],
                     cache: Any = None) -> dict[tuple[int, str, str, float], int]:
    """The heap version (one entry per direct arc and per role → receiving role cursor)."""
    by_role: dict[str, list[int]] = defaultdict(list)
    for k, (_a, r, _c) in enumerate(net.pairs):
        by_role[r].append(k)
    left = [c for _a, _r, c in net.pairs]
    role_left = {r: sum(left[k] for k in members) for r, members in by_role.items()}
    first = dict.fromkeys(by_role, 0)
    room = dict(goods)
    sorted_goods = {s: sorted(gs, key=lambda g: (gw[g], g)) for s, gs in staff_goods.items()}
    heap: list[tuple[Any, ...]] = [(w, 0, f"{k:08d}", to, via, t, "", 0)
                                   for (k, to), (w, via, t) in net.direct.items()]
    for r in by_role:
        for staff, (w, t, _fam) in net.reach.get(r, {}).items():
            gs = sorted_goods[staff]
            heap.append((w + gw[gs[0]], 1, r, gs[0], "mobility", t, staff, 0))
    heapq.heapify(heap)
    moves: dict[tuple[int, str, str, float], int] = defaultdict(int)
    while heap:
        cost, kind, who, to, via, t, staff, pos = heapq.heappop(heap)
        if kind == 0:
            k = int(who)
            take = min(left[k], room[to])
            if take > 0:
                moves[(k, to, via, t)] += take
                left[k] -= take
                room[to] -= take
                role_left[net.pairs[k][1]] -= take
            continue
        members = by_role[who]
        while role_left[who] > 0 and room[to] > 0:
            while left[members[first[who]]] == 0:
                first[who] += 1
            k = members[first[who]]
            take = min(left[k], room[to])
            moves[(k, to, via, t)] += take
            left[k] -= take
            room[to] -= take
            role_left[who] -= take
        gs = sorted_goods[staff]
        if role_left[who] > 0 and pos + 1 < len(gs):
            nxt = gs[pos + 1]
            heapq.heappush(heap, (cost - gw[to] + gw[nxt], 1, who, nxt, via, t, staff, pos + 1))
    return moves


def both(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """analysis.json with the greedy, then with the reference (every network greedy)."""
    chain = ValueChain.model_validate(copy.deepcopy(data))
    with monkeypatch.context() as m:
        m.setattr(roles, "EXACT_NODES", 0)
        new = relmap.analyze(chain, draws=10).to_json()
        m.setattr(roles, "_solve_greedy", reference_greedy)
        old = relmap.analyze(ValueChain.model_validate(copy.deepcopy(data)), draws=10).to_json()
    return new, old


def test_greedy_equals_the_heap_on_the_bank(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bank case of test_roles (clerks' hours to the assistants' welcome and, trained, to advice)."""
    new, old = both(bank(), monkeypatch)
    assert new == old
    assert '"via": "mobility"' in new


@pytest.mark.slow  # each random chain analysed twice, against the old heap greedy
@PROPS
@given(chain_data(with_roles=True))
def test_greedy_equals_the_heap(data: dict[str, Any]) -> None:
    """Random chains with roles: the same analysis.json, byte for byte."""
    with pytest.MonkeyPatch.context() as mp:
        new, old = both(data, mp)
    assert new == old


def test_split_centi_two_shares_by_hand() -> None:
    """101 centi-hours at 0.6 / 0.4 → 60.6 / 40.4: floors 60 + 40, the missing 1 to the larger fraction (0.6) →
    61 / 40; at 0.4 / 0.6 → 40.4 / 60.6 → 40 / 61; a tie (0.5 / 0.5 of 101: 50.5 each) → the first, 51 / 50;
    100 at 0.5 / 0.5 → 50 / 50 (nothing missing)."""
    assert roles.split_centi(101, [("a", 0.6), ("b", 0.4)]) == [("a", 61), ("b", 40)]
    assert roles.split_centi(101, [("a", 0.4), ("b", 0.6)]) == [("a", 40), ("b", 61)]
    assert roles.split_centi(101, [("a", 0.5), ("b", 0.5)]) == [("a", 51), ("b", 50)]
    assert roles.split_centi(100, [("a", 0.5), ("b", 0.5)]) == [("a", 50), ("b", 50)]
