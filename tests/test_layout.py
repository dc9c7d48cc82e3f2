"""Very large chains: stage boxes wrap into rows so the overview stays near 16:9, not a ribbon."""

from __future__ import annotations

from relmap.render.layout import WRAP_ABOVE, Box, Group, _place_rows, per_row


def _groups(n: int, w: float = 200.0, h: float = 120.0) -> list[Group]:
    return [Group(cluster=f"c{i}", label=None, subcols=[[Box(f"b{i}", w, h)]]) for i in range(n)]


def test_few_stages_stay_on_one_row() -> None:
    groups = _groups(WRAP_ABOVE)
    assert per_row(groups) == WRAP_ABOVE
    _right, height = _place_rows(groups, 0.0, 0.0)
    assert {round(g.bb[1], 3) for g in groups} == {round(groups[0].bb[1], 3)}  # one row
    assert height == max(g.height() for g in groups)


def test_many_stages_wrap_towards_16_9() -> None:
    """250 stage boxes: k = ⌈√(250 · 16/9 · h / w)⌉ per row with h, w including the gaps; the band ends up
    between 1:1 and 3:1, where one row would be about 40 times wider than high."""
    groups = _groups(250)
    k = per_row(groups)
    assert WRAP_ABOVE // 2 <= k < 250
    right, height = _place_rows(groups, 0.0, 0.0)
    assert 1.0 <= right / height <= 3.0
    rows = {round(g.bb[1], 3) for g in groups}
    assert len(rows) == -(-250 // k)
    xs = sorted({round(g.bb[0], 3) for g in groups})
    assert len(xs) == k  # columns line up from row to row


def test_group_size_by_hand() -> None:
    """A cluster with a 30 pt label box and columns [40×20, 60×10] and [50×30]:
    width = max(60 + 40 (sub-column gap) + 50, 30) + 2 × 14 (pad) = 178;
    height = max(20 + 22 (gap) + 10, 30) + (label 12 + 8) + 2 × 14 = 52 + 20 + 28 = 100.
    Placing it again and again (as the candidate layouts do) gives the same size, and places its boxes."""
    group = Group(cluster="c", label=Box("l", 30.0, 12.0),
                  subcols=[[Box("a", 40.0, 20.0), Box("b", 60.0, 10.0)], [Box("c", 50.0, 30.0)]])
    assert (group.width(), group.height()) == (178.0, 100.0)
    for _ in range(3):
        _place_rows([group], 0.0, 0.0)
        assert (group.width(), group.height()) == (178.0, 100.0)
    assert group.bb == (0.0, -100.0, 178.0, 0.0)


def test_text_ems_sums_the_character_widths() -> None:
    """"il" is two narrow letters (0.25 em each), "mW" two wide ones (0.85 em each), "" nothing."""
    from relmap.render.layout import text_ems

    assert text_ems("il") == 0.5
    assert text_ems("mW") == 1.7
    assert text_ems("") == 0


def test_bounding_box_alone_is_the_placed_one() -> None:
    """``place(plan, inner=False)`` (what best_plan compares candidates by) gives the bounding box of the full
    placement: stages in a band and a support band, suppliers, customers and a bottom row that wraps."""
    from relmap.render.layout import Plan, place

    def plan() -> Plan:
        primary = [Group(f"c{i}", Box(f"l{i}", 80.0, 14.0),
                         [[Box(f"a{i}{j}", 90.0 + 7 * j, 30.0 + 5 * i) for j in range(3)], [Box(f"b{i}", 120.0, 44.0)]])
                   for i in range(4)]
        support = [Group("s", None, [[Box("s1", 100.0, 30.0), Box("s2", 60.0, 30.0)]])]
        return Plan(header=Box("h", 300.0, 40.0), primary=primary, support=support,
                    left=[Box(f"p{i}", 70.0, 90.0) for i in range(6)], right=[Box("c", 80.0, 40.0)],
                    bottom=[Box(f"r{i}", 150.0, 30.0) for i in range(9)])

    full, alone = place(plan()), place(plan(), inner=False)
    assert alone.bb == full.bb and full.bb[2] > 0 and full.bb[3] > 0
