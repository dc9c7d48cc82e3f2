"""Roles: who carries each activity, where their freed hours may go, who is affected.

**Staffing.** With top-level ``roles``, activity *x* is carried by role *r*
for a share ``s_xr``: ``staffing: {r: share}``, or ``roles: [ids]`` in equal
shares ``1 / n``. An activity that names no role (and every activity of a
file without top-level ``roles``) is its own role, keyed by its id. Role *r*'s
hours in *x* are ``h_x × s_xr``, its freed hours ``f_x × s_xr``, and so are
its kept, training, community, recognition and savings hours.

**Cost.** An hour of *r* in *x* costs ``c_xr`` = the role's ``hourly_cost``
when set, else the activity's, else the company's, else 0. The activity's
hourly cost is then the staffing-weighted mean ``c_x = Σ_r s_xr × c_xr``
(:func:`relmap.analysis.facts.activity_hourly_cost`), so value freed = ``Σ_x f_x × c_x`` =
``Σ_xr f_x × s_xr × c_xr``; the reinvested and unplaced lines are valued at
the cost of the roles actually moved (:func:`sent_value`), so the balance's
values still add up to the value freed.

**Mobility ``role``** (:func:`allocate_by_role`). Freed hours of role *r*
in *x* may go to relational good *y*

* when *y* is *x* (``own``) or a ``policy.transfers`` entry allows it
  (``transfer``, with that transfer's training), whatever the roles;
* when *y* is staffed by *r* (no training);
* when *y* is staffed by a role of *r*'s ``family`` (``family_training_hours``
  per FTE moved);
* when *y* is staffed by a role in *r*'s ``can_move_to`` (its ``training_hours``).

The cost of a centi-hour placed in *y* is :func:`relmap.analysis.reinvest.good_cost`
of *y* plus the move's cost: 0 own, 1 transfer, 5 same role, and for a change of
role ``10 + round(1000 × t / H × c_r / c̄)`` — *t* the training hours per FTE,
*H* the hours per FTE (so ``t / H`` training hours per hour moved), ``c_r`` the
role's hourly cost and ``c̄`` the hours-weighted mean hourly cost (the ratio is
1 when costs are missing): the cheaper the training, the sooner the move.
The training a move needs is ``hours moved × t / H``.

The allocation is the minimum-cost flow of :mod:`relmap.analysis.flows`
(maximum placement, then least cost) on a network with a supplier per role
(``role`` nodes), a hub per family (``fam``) and a hub per receiving role
(``staff``) — links grow with roles + staffing entries, not with
suppliers × goods. Above :data:`EXACT_NODES` nodes the same arcs are filled
greedily, cheapest first (ties in content order): near-linear, not
guaranteed maximal (the method section says so).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import networkx as nx
import numpy as np

from .facts import shares_of
from .flows import pour, solve_network
from .result import Allocation, RoleResult, RoleScenario
from .rows import trusted

if TYPE_CHECKING:
    from ..input.model import Policy, ValueChain
    from .economics import Split
    from .facts import ActivityFacts

__all__ = [
    "COST_ROLE_CHANGE", "COST_SAME_ROLE", "EXACT_NODES", "RoleMove", "Staffing",
    "allocate_by_role", "build_staffing", "move_weight", "own_roles", "reachable_roles", "role_moves", "role_results",
    "role_targets", "role_totals", "sent_by_role", "sent_value", "split_centi",
]

COST_SAME_ROLE = 5
COST_ROLE_CHANGE = 10
#: networks above this many nodes are filled greedily (networkx's simplex takes seconds beyond)
EXACT_NODES = 800
K = TypeVar("K")
Via = Literal["own", "transfer", "mobility"]


@dataclass(frozen=True)
class RoleInfo:
    """A role as the analysis reads it (``key`` is the output id)."""

    key: str
    name: str
    family: str | None
    hourly_cost: float | None
    moves: tuple[tuple[str, float], ...] = ()
    defined: bool = True


@dataclass
class Staffing:
    """Who carries what: roles in content order, and each activity's ``[(role key, share)]``."""

    roles: list[RoleInfo]
    shares: dict[str, list[tuple[str, float]]]
    cost: dict[tuple[str, str], float]
    defined: bool
    cache: dict[str, Any] = field(default_factory=dict)

    def role(self, key: str) -> RoleInfo:
        """The role with this key."""
        return self._index()[key]

    def _index(self) -> dict[str, RoleInfo]:
        index: dict[str, RoleInfo] | None = getattr(self, "_by_key", None)
        if index is None:
            index = {r.key: r for r in self.roles}
            object.__setattr__(self, "_by_key", index)
        return index


def _role_key(role: object, position: int) -> tuple[object, ...]:
    from ..input.model import Role

    assert isinstance(role, Role)
    return (role.name.casefold(), role.name, role.hourly_cost if role.hourly_cost is not None else -1.0,
            role.family or "", sorted(m.training_hours for m in role.can_move_to), position)


def build_staffing(chain: ValueChain, facts: Sequence[ActivityFacts]) -> Staffing:
    """Roles in content order (name, cost, family — never ids) and every activity's staffing shares."""
    defined = bool(chain.roles)
    ordered = sorted(enumerate(chain.roles), key=lambda kv: _role_key(kv[1], kv[0]))
    roles = [RoleInfo(key=r.id, name=r.name, family=r.family, hourly_cost=r.hourly_cost,
                      moves=tuple((m.role, m.training_hours) for m in r.can_move_to)) for _k, r in ordered]
    taken = {r.key for r in roles}
    rank = {r.key: k for k, r in enumerate(roles)}
    shares: dict[str, list[tuple[str, float]]] = {}
    cost: dict[tuple[str, str], float] = {}
    role_cost = {r.key: r.hourly_cost for r in roles}
    default = chain.company.hourly_cost or 0.0
    for f in facts:
        act = f.activity
        own_cost = act.hourly_cost if act.hourly_cost is not None else default
        given = shares_of(act, defined)
        if given is None:
            key = act.id if act.id not in taken else f"{act.id}~activity"
            roles.append(RoleInfo(key=key, name=act.name, family=None, hourly_cost=None, defined=False))
            given = [(key, 1.0)]
        else:
            given = sorted(given, key=lambda rs: rank[rs[0]])
        shares[act.id] = given
        for r, _s in given:
            rc = role_cost.get(r)
            cost[(act.id, r)] = rc if rc is not None else own_cost
    return Staffing(roles=roles, shares=shares, cost=cost, defined=defined)


def own_roles(facts: Sequence[ActivityFacts]) -> Staffing:
    """Each activity its own role (a file without top-level roles), costs those of the activities."""
    return Staffing(roles=[RoleInfo(key=f.id, name=f.activity.name, family=None, hourly_cost=None, defined=False)
                           for f in facts],
                    shares={f.id: [(f.id, 1.0)] for f in facts},
                    cost={(f.id, f.id): f.hourly_cost for f in facts}, defined=False)


def role_targets(staffing: Staffing) -> dict[str, list[tuple[str, float | None, str | None]]]:
    """Per role key, the other roles its freed hours may move to under mobility ``role`` (module docstring), in the
    order the role network adds them: the roles of its ``family`` ``(key, None, family)`` (training: the policy's
    ``family_training_hours``), then those of its ``can_move_to`` ``(key, training hours, None)``. Kept on
    ``staffing``."""
    cached: dict[str, list[tuple[str, float | None, str | None]]] | None = staffing.cache.get("targets")
    if cached is not None:
        return cached
    keys = {r.key for r in staffing.roles}
    family: dict[str, list[str]] = defaultdict(list)
    for ri in staffing.roles:
        if ri.family is not None:
            family[ri.family].append(ri.key)
    out: dict[str, list[tuple[str, float | None, str | None]]] = {}
    for ri in staffing.roles:
        mine: list[tuple[str, float | None, str | None]] = []
        if ri.family is not None:
            mine += [(other, None, ri.family) for other in family[ri.family] if other != ri.key]
        mine += [(target, train, None) for target, train in ri.moves if target in keys and target != ri.key]
        out[ri.key] = mine
    staffing.cache["targets"] = out
    return out


def reachable_roles(staffing: Staffing) -> dict[str, frozenset[str]]:
    """Per role key, the roles whose goods its freed hours may reach under mobility ``role``: itself and its
    :func:`role_targets` — the targets of the arcs :func:`allocate_by_role` builds."""
    return {key: frozenset({key, *(t for t, _train, _fam in targets)})
            for key, targets in role_targets(staffing).items()}


def split_centi(total: int, shares: list[tuple[str, float]]) -> list[tuple[str, int]]:
    """Split integer centi-hours by shares, largest remainders (ties: the given order); the parts add up to ``total``.

    Example: 101 centi-hours, shares 0.5 / 0.5 → 51 and 50.
    """
    if len(shares) == 1 and shares[0][1] == 1.0:  # the general case's result, without its sort
        return [(shares[0][0], total)]
    scaled = [total * s for _r, s in shares]
    floors = [math.floor(x) for x in scaled]
    missing = total - sum(floors)
    if len(shares) == 2 and missing in (0, 1):  # the general case's result, without its sort
        if missing == 1:
            floors[0 if scaled[0] - floors[0] >= scaled[1] - floors[1] else 1] += 1
        return [(shares[0][0], floors[0]), (shares[1][0], floors[1])]
    for k in sorted(range(len(shares)), key=lambda k: (-(scaled[k] - floors[k]), k))[:max(0, missing)]:
        floors[k] += 1
    return [(r, c) for (r, _s), c in zip(shares, floors, strict=True)]


def move_weight(training_hours: float, hours_per_fte: float, role_cost: float, mean_cost: float) -> int:
    """Arc weight of a change of role: ``10 + round(1000 × t / H × c_r / c̄)`` (ratio 1 when ``c̄`` is 0).

    Example: t = 120 h, H = 1,600 h, c_r = c̄ → 10 + round(1000 × 0.075) = 85.
    """
    ratio = role_cost / mean_cost if mean_cost > 0 else 1.0
    return COST_ROLE_CHANGE + round(1000 * training_hours / hours_per_fte * ratio)


@dataclass
class RoleMove:
    """Centi-hours of role ``role`` freed in ``source`` and placed in good ``good``, with the training per FTE."""

    source: str
    role: str
    good: str
    via: str
    training_per_fte: float
    centi: int


@dataclass
class _Net:
    """Aliases and arcs of the role network (see :func:`allocate_by_role`)."""

    pairs: list[tuple[str, str, int]] = field(default_factory=list)  # (activity alias, role alias, centi)
    pair_of: list[int] = field(default_factory=list)  # each pair's activity: its position in the facts
    pair_cost: list[float] = field(default_factory=list)  # each pair's hourly cost c_xr
    direct: dict[tuple[int, str], tuple[int, str, float]] = field(default_factory=dict)  # (pair, good) → w, via, t
    reach: dict[str, dict[str, tuple[int, float, str | None]]] = field(default_factory=dict)  # role → staff → w, t, fam


def allocate_by_role(facts: Sequence[ActivityFacts], supply_c: dict[str, int], staffing: Staffing,
                     cap_c: dict[str, int], gcost: dict[str, int], policy: Policy,
                     hours_per_fte: float) -> list[RoleMove]:
    """Place each (activity, role)'s reinvest supply in relational goods under mobility ``role``.

    ``supply_c`` and ``cap_c`` are centi-hours keyed by activity id (supply
    split over the activity's roles by :func:`split_centi`), ``gcost`` the
    goods' costs by activity id. See the module docstring for the moves and
    their costs. Ties break in content order (aliases numbered in the order of
    ``facts`` and of ``staffing.roles``), never on ids.
    """
    return [RoleMove(source=x, role=r, good=g, via=via, training_per_fte=t, centi=c)
            for x, r, g, via, t, c in role_moves(facts, supply_c, staffing, cap_c, gcost, policy, hours_per_fte)]


def role_moves(facts: Sequence[ActivityFacts], supply_c: dict[str, int], staffing: Staffing,
               cap_c: dict[str, int], gcost: dict[str, int], policy: Policy,
               hours_per_fte: float) -> list[tuple[str, str, str, str, float, int]]:
    """:func:`allocate_by_role`'s moves as tuples ``(source, role, good, via, training per FTE, centi-hours)``,
    in the order of their pairs (content order), goods (content order), ``via`` and training."""
    solved = _moves(facts, supply_c, staffing, cap_c, gcost, policy, hours_per_fte)
    if solved is None:
        return []
    moves, net, real, rreal = solved
    pairs = net.pairs
    by_pair: dict[int, list[tuple[str, str, float, int]]] = defaultdict(list)
    for (k, g, via, t), c in moves.items():
        if c > 0:
            by_pair[k].append((g, via, t, c))
    out: list[tuple[str, str, str, str, float, int]] = []
    for k in sorted(by_pair):
        a, r, _c = pairs[k]
        x, role = real[a], rreal[r]
        out.extend((x, role, real[g], via, t, c) for g, via, t, c in sorted(by_pair[k]))
    return out


def role_totals(facts: Sequence[ActivityFacts], supply_c: dict[str, int], staffing: Staffing,
                cap_c: dict[str, int], gcost: dict[str, int], policy: Policy, hours_per_fte: float,
                ids: Sequence[str]) -> tuple[int, Any, Any]:
    """``(centi-hours placed, hours sent per activity, value sent per activity)``, the activities in ``ids``'
    order: the numbers that adding up :func:`role_moves` one by one gives (``tests/role_oracle.role_sent``),
    bit for bit, without building the moves.

    ``sent_x = Σ centi / 100`` over the moves from *x*; ``value_x = Σ_r sent_xr × c_xr`` where ``sent_xr``
    adds ``centi / 100`` over the moves of the pair (x, r) by good id, ``via`` and training, and the roles
    of *x* come by their first move in (good id, ``via``, role id) order — ``role_sent``'s order (which
    only matters from three roles on: a sum of two terms does not depend on their order). On arrays: a
    pair of one move is ``centi / 100``, an activity of one or two pairs their sum from 0.0 (``bincount``);
    the others are added in Python in that order.
    """
    n_ids = len(ids)
    solved = _moves(facts, supply_c, staffing, cap_c, gcost, policy, hours_per_fte)
    if solved is None:
        return 0, np.zeros(n_ids, dtype=np.int64) / 100, np.zeros(n_ids, dtype=np.float64)
    moves, net, real, rreal = solved
    pairs = net.pairs
    keys = list(moves)
    c_all = np.fromiter(moves.values(), dtype=np.int64, count=len(keys))
    k_all = np.array([key[0] for key in keys], dtype=np.int64)
    positive = np.flatnonzero(c_all > 0)
    k_of, c_of = k_all[positive], c_all[positive]
    n_pairs = len(pairs)
    count = np.bincount(k_of, minlength=n_pairs)
    placed = np.zeros(n_pairs, dtype=np.int64)
    np.add.at(placed, k_of, c_of)
    h = placed / 100  # a pair of one move: 0.0 + centi / 100
    several = count > 1
    if several.any():  # the moves of pairs of several moves, added by (good id, via, training)
        multi: dict[int, list[tuple[str, str, float, int]]] = defaultdict(list)
        for n in positive[several[k_of]].tolist():
            k, g, via, t = keys[n]
            multi[k].append((real[g], via, t, int(c_all[n])))
        for k, ms in multi.items():
            ms.sort()
            total_h = 0.0
            for _g, _via, _t, c in ms:
                total_h += c / 100
            h[k] = total_h
    x_of = (_positions(staffing, ids, real)[np.array(net.pair_of, dtype=np.int64)] if n_pairs
            else np.zeros(0, dtype=np.int64))
    c_xr = np.array(net.pair_cost, dtype=np.float64)
    used = count > 0
    part = h * c_xr
    sent_c = np.zeros(n_ids, dtype=np.int64)
    np.add.at(sent_c, x_of[used], placed[used])
    value = np.bincount(x_of[used], weights=part[used], minlength=n_ids)
    n_parts = np.bincount(x_of[used], minlength=n_ids)
    crowded = np.flatnonzero(n_parts > 2)
    if len(crowded):  # the pairs of these activities, by first move: (good id, via, role id)
        in_crowded = used & np.isin(x_of, crowded)
        of_crowded = np.flatnonzero(in_crowded)
        first: dict[int, tuple[str, str]] = {}
        for n in positive[in_crowded[k_of]].tolist():
            k, g, via, _t = keys[n]
            move = (real[g], via)
            seen = first.get(k)
            if seen is None or move < seen:
                first[k] = move
        role = {k: rreal[pairs[k][1]] for k in of_crowded.tolist()}
        ks = sorted(of_crowded.tolist(), key=lambda k: (x_of[k], *first[k], role[k]))
        value[crowded] = 0.0
        for k in ks:
            value[x_of[k]] += part[k]
    return int(placed.sum()), sent_c / 100, value


def _positions(staffing: Staffing, ids: Sequence[str], real: dict[str, str]) -> Any:
    """Each fact's position in ``ids`` (the fact numbered *n* is ``real[a{n:07d}]``), as an array: ``0 .. n − 1``
    when ``ids`` lists the facts in their order (what the re-runs give), else looked up. Kept on ``staffing`` for
    the last four (``ids``, ``real``) seen."""
    kept: list[tuple[Sequence[str], dict[str, str], Any]] = staffing.cache.setdefault("positions", [])
    for seen_ids, seen_real, positions in kept:
        if seen_ids is ids and seen_real is real:
            return positions
    n = len(real)
    if len(ids) == n and all(i == real[f"a{k:07d}"] for k, i in enumerate(ids)):
        positions = np.arange(n, dtype=np.int64)
    else:
        index = {i: k for k, i in enumerate(ids)}
        positions = np.array([index[real[f"a{k:07d}"]] for k in range(n)], dtype=np.int64)
    kept.insert(0, (ids, real, positions))
    del kept[4:]
    return positions


def _moves(facts: Sequence[ActivityFacts], supply_c: dict[str, int], staffing: Staffing,
           cap_c: dict[str, int], gcost: dict[str, int], policy: Policy, hours_per_fte: float
           ) -> tuple[Moves, _Net, dict[str, str], dict[str, str]] | None:
    """The solver's moves (``(pair k, good alias, via, training) → centi``), the network (its pairs
    ``(activity alias, role alias, centi)``, each pair's activity position and hourly cost) and the aliases
    back to ids; None when nothing can move."""
    static = _static_part(facts, staffing, cap_c, gcost, policy, hours_per_fte)
    alias, real, _ralias, rreal, goods, gw, staff_goods, reach, n_families, plan = static
    if not goods or not supply_c:
        return None
    net = _Net(reach=reach)
    transfers: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for tr in policy.transfers:
        if tr.from_ in alias and tr.to in alias:
            transfers[alias[tr.from_]].append((alias[tr.to], tr.training_hours_per_fte))
    for moves_of in transfers.values():
        moves_of.sort()
    pairs, direct, pair_of, pair_cost = net.pairs, net.direct, net.pair_of, net.pair_cost
    get = supply_c.get
    for fid, n, a, own, single, single_cost, sh, costs in plan:
        total = get(fid)
        if total is None:
            continue
        out = transfers.get(a) if transfers else None
        if single is not None and out is None:  # one role, no transfer: one pair
            if total > 0:
                if own is not None:
                    direct[(len(pairs), a)] = own
                pairs.append((a, single, total))
                pair_of.append(n)
                pair_cost.append(single_cost)
            continue
        for r, c in ((sh[0][0], total),) if single is not None else split_centi(total, sh):
            if c <= 0:
                continue
            k = len(pairs)
            pairs.append((a, r, c))
            pair_of.append(n)
            pair_cost.append(costs[r])
            if own is not None:
                direct[(k, a)] = own
            for to, train in out or ():
                if to in goods and to != a and ((k, to) not in direct or direct[(k, to)][0] > gw[to] + 1):
                    direct[(k, to)] = (gw[to] + 1, "transfer", train)
    size = len(net.pairs) + len(staffing.roles) * 2 + n_families + len(goods)
    if size <= EXACT_NODES:
        moves = _solve_exact(net, goods, gw, staff_goods)
    else:
        moves = _solve_greedy(net, goods, gw, staff_goods, staffing.cache)
    return moves, net, real, rreal


#: per activity in content order: id, position, alias, its own arc (a good), its role alias and that role's hourly
#: cost when it has one role (share 1), its ``[(role alias, share)]`` and ``{role alias: hourly cost}``
PlanRow = tuple[str, int, str, tuple[int, str, float] | None, str | None, float, list[tuple[str, float]],
                dict[str, float]]
Static = tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str], dict[str, int], dict[str, int],
               dict[str, list[str]], dict[str, dict[str, tuple[int, float, str | None]]], int,
               list[PlanRow]]


def _static_part(facts: Sequence[ActivityFacts], staffing: Staffing, cap_c: dict[str, int], gcost: dict[str, int],
                 policy: Policy, hours_per_fte: float) -> Static:
    """What does not change between scenarios: aliases, goods, who staffs them, each role's reach.

    Kept on ``staffing`` (keyed by the goods' capacities and costs, the family training and the hours
    per FTE), so a chain's scenarios build it once.
    """
    cached = staffing.cache.get("static")
    same = (cap_c, gcost, policy.family_training_hours, hours_per_fte)
    if cached is not None and cached[2][0] is cap_c and cached[2][1] is gcost and cached[2][2:] == same[2:]:
        return cached[1]  # type: ignore[no-any-return]  # the very dictionaries of the last call (re-runs)
    key = (tuple(sorted(cap_c.items())), tuple(sorted(gcost.items())), policy.family_training_hours,
           hours_per_fte)
    if cached is not None and cached[0] == key:
        staffing.cache["static"] = (key, cached[1], same)
        return cached[1]  # type: ignore[no-any-return]
    # the rest depends on the order and hours of the facts, on which goods have room (not how much) and on
    # their costs: a network of the last three with the same is rebuilt from its parts, only the rooms new
    core = (tuple((f.id, f.hours) for f in facts), frozenset(g for g, c in cap_c.items() if c > 0),
            tuple(gcost.items()), policy.family_training_hours, hours_per_fte)
    cores: list[tuple[object, Static]] = staffing.cache.setdefault("cores", [])
    for n, (seen, parts) in enumerate(cores):
        if seen == core:
            cores.insert(0, cores.pop(n))
            alias = parts[0]
            out = (*parts[:4], {alias[g]: c for g, c in cap_c.items() if c > 0}, *parts[5:])
            staffing.cache["static"] = (key, out, same)
            return out
    out = _build_static(facts, staffing, cap_c, gcost, policy, hours_per_fte)
    cores.insert(0, (core, out))
    del cores[3:]
    staffing.cache["static"] = (key, out, same)
    return out


def _build_static(facts: Sequence[ActivityFacts], staffing: Staffing, cap_c: dict[str, int], gcost: dict[str, int],
                  policy: Policy, hours_per_fte: float) -> Static:
    """:func:`_static_part` built from the facts (and from :func:`_goods_free`, which does not depend on the goods)."""
    alias, real, ralias, rreal, full_reaches, n_families, rows = _goods_free(facts, staffing, policy, hours_per_fte)
    goods = {alias[g]: c for g, c in cap_c.items() if c > 0}
    gw = {alias[g]: w for g, w in gcost.items()}
    staff_goods: dict[str, list[str]] = defaultdict(list)
    for f in facts:
        if alias[f.id] in goods:
            for r, s in staffing.shares[f.id]:
                if s > 0:
                    staff_goods[ralias[r]].append(alias[f.id])
    reaches = {ra: {s: v for s, v in reach.items() if s in staff_goods} for ra, reach in full_reaches.items()}
    # per activity: see PlanRow (its own arc when it is a good)
    plan: list[PlanRow] = [(fid, n, a, (gw[a], "own", 0.0) if a in goods else None, single, single_cost, sh, costs)
                           for fid, n, a, single, single_cost, sh, costs in rows]
    return (alias, real, ralias, rreal, goods, gw, staff_goods, reaches, n_families, plan)


GoodsFree = tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str],
                  dict[str, dict[str, tuple[int, float, str | None]]], int,
                  list[tuple[str, int, str, str | None, float, list[tuple[str, float]], dict[str, float]]]]


def _goods_free(facts: Sequence[ActivityFacts], staffing: Staffing, policy: Policy,
                hours_per_fte: float) -> GoodsFree:
    """What of the static part does not depend on the goods: aliases, each role's reach to every role (arc weight,
    training, family hub), the number of families and each activity's plan row without its own arc.

    Kept on ``staffing`` for the same facts (ids and hours in order), family training and hours per FTE: a
    threshold that changes the goods rebuilds only the rest.
    """
    kept = staffing.cache.get("goods_free")
    if kept is not None and kept[0] is facts and kept[1] == (policy.family_training_hours, hours_per_fte):
        return kept[3]  # type: ignore[no-any-return]
    key = (tuple((f.id, f.hours) for f in facts), policy.family_training_hours, hours_per_fte)
    if kept is not None and kept[2] == key:
        staffing.cache["goods_free"] = (facts, key[1:], key, kept[3])
        return kept[3]  # type: ignore[no-any-return]
    alias = {f.id: f"a{k:07d}" for k, f in enumerate(facts)}
    real = {v: k for k, v in alias.items()}
    ralias = {r.key: f"r{k:06d}" for k, r in enumerate(staffing.roles)}
    rreal = {v: k for k, v in ralias.items()}
    hours = {f.id: f.hours for f in facts}
    total_h = math.fsum(hours.values())
    mean_cost = (math.fsum(hours[x] * s * staffing.cost[(x, r)] for x, sh in staffing.shares.items() for r, s in sh)
                 / total_h) if total_h > 0 else 0.0
    n_families = len({ri.family for ri in staffing.roles if ri.family is not None})
    role_mean_cost = _role_costs(staffing, hours)
    targets = role_targets(staffing)
    reaches: dict[str, dict[str, tuple[int, float, str | None]]] = {}
    for ri in staffing.roles:
        ra = ralias[ri.key]
        reach: dict[str, tuple[int, float, str | None]] = {ra: (COST_SAME_ROLE, 0.0, None)}
        cr = role_mean_cost[ri.key]
        family_w = (move_weight(policy.family_training_hours, hours_per_fte, cr, mean_cost)
                    if ri.family is not None else 0)
        for target, train, fam in targets[ri.key]:
            if fam is not None:
                w, hours_t = family_w, policy.family_training_hours
            else:
                assert train is not None
                w, hours_t = move_weight(train, hours_per_fte, cr, mean_cost), train
            ta = ralias[target]
            if ta not in reach or reach[ta][0] > w:
                reach[ta] = (w, hours_t, fam)
        reaches[ra] = reach
    rows = []
    cost = staffing.cost
    for n, f in enumerate(facts):
        sh = staffing.shares[f.id]
        single = len(sh) == 1 and sh[0][1] == 1.0
        rows.append((f.id, n, alias[f.id], ralias[sh[0][0]] if single else None, cost[(f.id, sh[0][0])],
                     [(ralias[r], s) for r, s in sh], {ralias[r]: cost[(f.id, r)] for r, _s in sh}))
    out: GoodsFree = (alias, real, ralias, rreal, reaches, n_families, rows)
    staffing.cache["goods_free"] = (facts, key[1:], key, out)
    return out


def _role_costs(staffing: Staffing, hours: dict[str, float]) -> dict[str, float]:
    """A role's hourly cost for its training: its own, else the hours-weighted mean over the activities it staffs."""
    num: dict[str, float] = defaultdict(float)
    den: dict[str, float] = defaultdict(float)
    for x, sh in staffing.shares.items():
        for r, s in sh:
            num[r] += hours[x] * s * staffing.cost[(x, r)]
            den[r] += hours[x] * s
    out = {}
    for ri in staffing.roles:
        if ri.hourly_cost is not None:
            out[ri.key] = ri.hourly_cost
        else:
            out[ri.key] = num[ri.key] / den[ri.key] if den[ri.key] > 0 else 0.0
    return out


Moves = dict[tuple[int, str, str, float], int]


def _solve_exact(net: _Net, goods: dict[str, int], gw: dict[str, int],
                 staff_goods: dict[str, list[str]]) -> Moves:
    """Build the network (pairs, role, family and staff hubs, goods), solve it, decompose the flow along paths."""
    g: nx.DiGraph = nx.DiGraph()
    direct_pairs = {k for k, _to in net.direct}
    pooled: dict[str, list[int]] = defaultdict(list)
    for k, (_a, r, c) in enumerate(net.pairs):
        if k in direct_pairs:
            g.add_node(("sup", f"p{k:08d}"), supply=c)
            g.add_edge(("sup", f"p{k:08d}"), ("role", r), weight=0)
        else:
            pooled[r].append(k)
            g.add_node(("role", r))
            g.nodes[("role", r)]["supply"] = g.nodes[("role", r)].get("supply", 0) + c
    for (k, to), (w, _via, _t) in net.direct.items():
        g.add_edge(("sup", f"p{k:08d}"), ("good", to), weight=w)
    for to, cap in goods.items():
        g.add_node(("good", to), cap=cap)
    for r in sorted({r for _a, r, _c in net.pairs}):
        for staff, (w, _t, fam) in sorted(net.reach.get(r, {}).items()):
            if fam is None:
                g.add_edge(("role", r), ("staff", staff), weight=w)
            else:
                g.add_edge(("role", r), ("fam", fam), weight=w)
                g.add_edge(("fam", fam), ("staff", staff), weight=0)
    for staff, targets in staff_goods.items():
        if g.has_node(("staff", staff)):
            for to in targets:
                g.add_edge(("staff", staff), ("good", to), weight=gw[to])
    flow = solve_network(g)
    return _decompose(flow, net, pooled)


def _outs(flow: dict[object, dict[object, int]], node: object) -> list[tuple[object, int]]:
    return sorted(((v, x) for v, x in flow.get(node, {}).items() if x > 0), key=lambda vx: str(vx[0]))


def _decompose(flow: dict[object, dict[object, int]], net: _Net, pooled: dict[str, list[int]]) -> Moves:
    """Follow the flow from pairs to goods: direct arcs as they are, hubs paired in content order."""
    moves: Moves = defaultdict(int)
    role_in: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for k in range(len(net.pairs)):
        node = ("sup", f"p{k:08d}")
        for v, x in _outs(flow, node):
            assert isinstance(v, tuple)
            if v[0] == "good":
                w_via = net.direct[(k, v[1])]
                moves[(k, v[1], w_via[1], w_via[2])] += x
            else:
                role_in[net.pairs[k][1]].append((k, x))
    staff_in: dict[str, list[tuple[tuple[int, float], int]]] = defaultdict(list)
    fam_in: dict[str, list[tuple[tuple[int, float], int]]] = defaultdict(list)
    for r in sorted(set(role_in) | set(pooled)):
        sources = role_in[r] + [(k, net.pairs[k][2]) for k in pooled.get(r, [])]
        reach = net.reach.get(r, {})
        for k, target, x in pour(sources, _outs(flow, ("role", r))):
            assert isinstance(target, tuple)
            if target[0] == "staff":
                staff_in[target[1]].append(((k, reach[target[1]][1]), x))
            else:
                train = next(t for _w, t, fam in reach.values() if fam == target[1])
                fam_in[target[1]].append(((k, train), x))
    for fam in sorted(fam_in):
        for label, target, x in pour(fam_in[fam], _outs(flow, ("fam", fam))):
            assert isinstance(target, tuple)
            staff_in[target[1]].append((label, x))
    for staff in sorted(staff_in):
        for (k, train), target, x in pour(staff_in[staff], _outs(flow, ("staff", staff))):
            assert isinstance(target, tuple)
            moves[(k, target[1], "mobility", train)] += x
    return moves


def _solve_greedy(net: _Net, goods: dict[str, int], gw: dict[str, int], staff_goods: dict[str, list[str]],
                  cache: dict[str, Any] | None = None) -> Moves:
    """Fill the same arcs cheapest first (ties: pair or role, then good, in content order).

    The arcs are taken in increasing ``(cost, kind, who, good, …)``: first the direct arcs of the
    pairs (own, transfer; kind 0, who = the pair), then the arcs of a role through a receiving role
    to each good it staffs (kind 1, who = the role, cost = move + good). Each arc moves
    ``min(what its source has left, the good's room left)``; a role's arcs take its pairs in
    content order. The role arcs do not depend on the supplies: their order is sorted once per
    network (kept in ``cache``, keyed by goods, costs and reaches) and walked again for each
    allocation, skipping the roles whose supply is used up and the arcs to goods already full
    (rooms only shrink, so such an arc moves nothing whenever it comes).
    """
    by_role: dict[str, list[int]] = defaultdict(list)
    role_left: dict[str, int] = defaultdict(int)
    for k, (_a, r, c) in enumerate(net.pairs):
        by_role[r].append(k)
        role_left[r] += c
    left = [c for _a, _r, c in net.pairs]
    room = dict(goods)
    direct = sorted((w, k, to, via, t) for (k, to), (w, via, t) in net.direct.items())
    moves: Moves = defaultdict(int)
    d = 0
    no_more = len(direct)
    span, costs, tos, trains = _role_arcs(net, gw, staff_goods, cache)
    # one cursor per role with supply, over its arcs in order: the heap yields the arcs of all roles in
    # increasing (cost, role, good, training, receiving role), and a role used up leaves it
    heap = []
    for r in by_role:
        lo_hi = span.get(r)
        if role_left[r] > 0 and lo_hi is not None and lo_hi[0] < lo_hi[1]:
            heap.append((costs[lo_hi[0]], r, lo_hi[0]))
    heapq.heapify(heap)
    pairs = net.pairs
    while heap:
        cost, who, pos = heap[0]
        while d < no_more and direct[d][0] <= cost:  # the direct arcs of cost ≤ this one come first
            _w, k, to, via, t = direct[d]
            take = min(left[k], room[to])
            if take > 0:
                moves[(k, to, via, t)] += take
                left[k] -= take
                room[to] -= take
                role_left[pairs[k][1]] -= take
            d += 1
        rl = role_left[who]
        if rl <= 0:
            heapq.heappop(heap)
            continue
        to = tos[pos]
        free = room[to]
        if free > 0:
            t = trains[pos]
            members = by_role[who]
            while rl > 0 and free > 0:
                k = members[0]
                while left[k] == 0:  # the role's pairs used up leave its list (content order kept)
                    members.pop(0)
                    k = members[0]
                has = left[k]
                take = has if has < free else free
                moves[(k, to, "mobility", t)] += take
                left[k] -= take
                free -= take
                rl -= take
            room[to] = free
            role_left[who] = rl
            if rl <= 0:
                heapq.heappop(heap)
                continue
        pos += 1
        end = span[who][1]
        while pos < end and room[tos[pos]] == 0:
            pos += 1
        if pos < end:
            heapq.heapreplace(heap, (costs[pos], who, pos))
        else:
            heapq.heappop(heap)
    for _w, k, to, via, t in direct[d:]:
        take = min(left[k], room[to])
        if take > 0:
            moves[(k, to, via, t)] += take
            left[k] -= take
            room[to] -= take
    return moves


RoleArcs = tuple[dict[str, tuple[int, int]], list[int], list[str], list[float]]


def _role_arcs(net: _Net, gw: dict[str, int], staff_goods: dict[str, list[str]],
               cache: dict[str, Any] | None) -> RoleArcs:
    """Every arc role → receiving role → good, each role's sorted by ``(move + good cost, good, training,
    receiving role)``: ``(span, costs, goods, trainings)``, role *r*'s arcs at ``span[r][0]:span[r][1]``
    of the three flat lists.

    Kept in ``cache`` (the three last networks) under everything the lists depend on: the goods' costs,
    who staffs them and each role's reach.
    """
    kept: list[tuple[object, tuple[object, ...], RoleArcs]] = (cache.setdefault("arcs", []) if cache is not None
                                                               else [])
    objects = (gw, staff_goods, net.reach)
    for n, (_k, seen, arcs) in enumerate(kept):
        if all(a is b for a, b in zip(seen, objects, strict=True)):  # the same (unchanged) dictionaries
            kept.insert(0, kept.pop(n))
            return arcs
    key = (tuple(gw.items()), tuple((s, tuple(gs)) for s, gs in staff_goods.items()),
           tuple((r, tuple(reach.items())) for r, reach in net.reach.items()))
    for n, (k, _seen, arcs) in enumerate(kept):
        if k == key:
            kept.pop(n)
            kept.insert(0, (key, objects, arcs))
            return arcs
    out = _sorted_arcs(net.reach, gw, staff_goods)
    kept.insert(0, (key, objects, out))
    del kept[3:]
    return out


def _sorted_arcs(reaches: dict[str, dict[str, tuple[int, float, str | None]]], gw: dict[str, int],
                 staff_goods: dict[str, list[str]]) -> RoleArcs:
    """:func:`_role_arcs`' lists, sorted with numpy (aliases are zero-padded numbers: their order is the
    numbers' order)."""
    staff_names = list(staff_goods)
    staff_at = {s: n for n, s in enumerate(staff_names)}
    lengths = np.array([len(staff_goods[s]) for s in staff_names], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64) if len(lengths) else lengths
    flat_goods = [g for s in staff_names for g in staff_goods[s]]
    good_num = np.array([int(g[1:]) for g in flat_goods], dtype=np.int64)
    good_w = np.array([gw[g] for g in flat_goods], dtype=np.int64)
    e_role, e_staff, e_w, e_t = [], [], [], []
    for n, reach in enumerate(reaches.values()):
        for staff, (w, t, _fam) in reach.items():
            e_role.append(n)
            e_staff.append(staff_at[staff])
            e_w.append(w)
            e_t.append(t)
    staff_e = np.array(e_staff, dtype=np.int64)
    count = lengths[staff_e] if len(staff_e) else np.zeros(0, dtype=np.int64)
    total = int(count.sum())
    # the flat index of each arc's good: its receiving role's start + its rank among that role's goods
    offsets = np.repeat(np.cumsum(count) - count, count)
    idx = np.repeat(starts[staff_e], count) + (np.arange(total, dtype=np.int64) - offsets)
    role_a = np.repeat(np.array(e_role, dtype=np.int64), count)
    cost_a = np.repeat(np.array(e_w, dtype=np.int64), count) + good_w[idx]
    t_a = np.repeat(np.array(e_t, dtype=np.float64), count)
    staff_num = np.array([int(s[1:]) for s in staff_names], dtype=np.int64)
    staff_a = np.repeat(staff_num[staff_e], count)
    order = np.lexsort((staff_a, t_a, good_num[idx], cost_a, role_a))
    bounds = np.searchsorted(role_a[order], np.arange(len(reaches) + 1))
    span = {r: (int(bounds[n]), int(bounds[n + 1])) for n, r in enumerate(reaches)}
    return span, cost_a[order].tolist(), [flat_goods[i] for i in idx[order].tolist()], t_a[order].tolist()


def sent_by_role(staffing: Staffing, sent: dict[str, float],
                 allocation: Sequence[Allocation]) -> dict[tuple[str, str], float]:
    """Hours of each (activity, role) placed in goods: from the moves' roles when they carry one, else
    the activity's placed hours split by the staffing shares (``sent_x × s_xr``)."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    if any(a.role is not None for a in allocation):
        for a in allocation:
            out[(a.from_, a.role or staffing.shares[a.from_][0][0])] += a.hours
        return dict(out)
    for x, h in sent.items():
        for r, s in staffing.shares[x]:
            out[(x, r)] += h * s
    return dict(out)


def sent_value(staffing: Staffing, by_pair: dict[tuple[str, str], float]) -> dict[str, float]:
    """Value of each activity's placed hours: ``Σ_r sent_xr × c_xr``."""
    out: dict[str, float] = defaultdict(float)
    for (x, r), h in by_pair.items():
        out[x] += h * staffing.cost[(x, r)]
    return dict(out)


def role_results(staffing: Staffing, facts: Sequence[ActivityFacts], hours_per_fte: float, role_risk: float,
                 per_scenario: Mapping[str, tuple[dict[str, float], Split, dict[tuple[str, str], float],
                                                  Sequence[Allocation]]]) -> list[RoleResult]:
    """Per role: hours, FTE and, per scenario, where its freed hours go.

    For role *r*: ``hours_freed = Σ_x f_x s_xr``, ``kept = Σ_x k_x s_xr``,
    ``redeployed = Σ_x sent_xr``, ``training = Σ_x θ_x s_xr``, ``community =
    Σ_x κ_x s_xr``, ``no_longer_needed = hours_freed − kept − redeployed −
    training − community``, ``training_needed`` = Σ of its moves' training,
    ``at_risk`` when ``no_longer_needed > role_risk × hours``.

    ``per_scenario``: scenario id → (freed by activity, split, placed hours by
    (activity, role), allocation).
    """
    hours: dict[str, float] = defaultdict(float)
    acts: dict[str, list[str]] = defaultdict(list)
    for f in facts:
        for r, s in staffing.shares[f.id]:
            hours[r] += f.hours * s
            acts[r].append(f.id)
    rows: dict[str, dict[str, RoleScenario]] = {r.key: {} for r in staffing.roles}
    keys = [r.key for r in staffing.roles]
    for sid, (freed, split, by_pair, allocation) in per_scenario.items():
        acc = {key: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0] for key in keys}  # freed kept redeployed training community need
        for f in facts:
            x = f.id
            fx, kx, tx, cx = freed[x], split.kept[x], split.training[x], split.community[x]
            for r, s in staffing.shares[x]:
                a = acc[r]
                a[0] += fx * s
                a[1] += kx * s
                a[3] += tx * s
                a[4] += cx * s
        for (_x, r), h in by_pair.items():
            acc[r][2] += h
        for al in allocation:
            if al.training_hours > 0:
                acc[al.role or staffing.shares[al.from_][0][0]][5] += al.training_hours
        for key in keys:
            freed_r, kept, redeployed, training, community, needed = acc[key]
            nln = freed_r - (kept + redeployed + training + community)
            rows[key][sid] = trusted(
                RoleScenario,
                hours_freed=freed_r, kept=kept, redeployed=redeployed, training=training, community=community,
                no_longer_needed=nln, fte_no_longer_needed=nln / hours_per_fte, training_needed=needed,
                at_risk=nln > role_risk * hours[key] + 1e-9)
    return [trusted(
        RoleResult,
        id=r.key, name=r.name, family=r.family, hourly_cost=r.hourly_cost, defined=r.defined,
        hours=hours[r.key], fte=hours[r.key] / hours_per_fte, activities=acts[r.key], can_move_to=[],
        by_scenario=rows[r.key])
        for r in staffing.roles]
