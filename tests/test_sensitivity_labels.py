"""Where the tornado writes each bar's end values (relmap.render.sensitivity.end_labels), worked by hand.

The frame: 100 pt to 700 pt for net savings base − 1.5 × span to base + 1.5 × span, so with base 0 and
span 100 one unit of savings is 2 pt, ``x(v) = 400 + 2 v`` and the gap beyond a bar's end (0.02 × span = 2)
is 4 pt.
"""

from __future__ import annotations

from relmap.analysis.result import SensitivityEntry
from relmap.render.canvas import text_width
from relmap.render.plot import Frame
from relmap.render.sensitivity import LABEL_PT, end_labels

FRAME = Frame(100.0, 0.0, 700.0, 500.0, -150.0, 150.0, 0.0, 1.0)


def _entry(lo: float, hi: float, low: str = "0.4", high: str = "0.6") -> SensitivityEntry:
    return SensitivityEntry(input="reinvest", label="Reinvested share", low=low, high=high, net_savings=[lo, hi],
                            hours_reinvested=[0.0, 0.0], fte_no_longer_needed=[0.0, 0.0])


def _labels(lo: float, hi: float) -> list[tuple[float, str, bool, bool]]:
    return end_labels(_entry(lo, hi), 0.0, 100.0, FRAME, "en", "EUR")


def test_ends_on_both_sides_by_hand() -> None:
    """lo −50 → x = 300, label ends 4 pt before: 296; hi +80 → x = 560, label starts at 564."""
    (x1, t1, r1, in1), (x2, t2, r2, in2) = _labels(-50.0, 80.0)
    assert (x1, r1, in1) == (296.0, False, False) and t1.startswith("0.4")
    assert (x2, r2, in2) == (564.0, True, False) and t2.startswith("0.6")


def test_an_end_at_the_base_goes_where_no_bar_is() -> None:
    """lo = base (within half a unit), hi −100: the bar runs left, so lo's label starts right of the base line
    at 404; the other way round it ends left of it, at 396."""
    (x1, _t1, r1, _), (x2, _t2, r2, _) = _labels(0.3, -100.0)
    assert (x1, r1) == (404.0, True) and (x2, r2) == (196.0, False)
    (x1, _t1, r1, _), (x2, _t2, r2, _) = _labels(0.0, 100.0)
    assert (x1, r1) == (396.0, False) and (x2, r2) == (604.0, True)


def test_both_ends_on_one_side_make_one_label_on_the_empty_side() -> None:
    """lo −120 and hi −40, both left: one label, the nearer (hi) first, starting at 404 right of the base."""
    [(x, text, right, inside)] = _labels(-120.0, -40.0)
    assert (x, right, inside) == (404.0, True, False)
    assert text.index("0.6") < text.index("0.4")


def test_a_label_that_would_cross_the_frame_goes_inside_its_bar() -> None:
    """lo −140 → x(−142) = 116: a label ending there starts left of the frame (100) whenever it is wider
    than 16 pt, so it is written inside the bar, starting 4 pt inside its end: x(−140) + 4 = 124."""
    (x1, t1, r1, in1), _hi = _labels(-140.0, 10.0)
    assert text_width(t1, LABEL_PT) > 16
    assert (x1, r1, in1) == (124.0, True, True)
