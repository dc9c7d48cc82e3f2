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
