"""The terminal's plain box table (``relmap archetypes``): widths, wrapping, kept columns."""

from __future__ import annotations

from relmap.cli.boxtable import Column, _widths, box_table

COLUMNS = [Column("key", keep=True), Column("name"), Column("kind"), Column("low", keep=True, right=True)]
ROWS = [["collecting_data", "Collecting data from many sources", "archetype", "0.54"],
        ["a", "B", "occupation (exposure)", "1.00"]]


def test_everything_fits_at_natural_width() -> None:
    # natural widths: key 15, name 33, kind 21, low 4 → 73 + 3 × 4 + 1 = 86 characters
    assert _widths(COLUMNS, ROWS, 86) == [15, 33, 21, 4]
    lines = box_table("", COLUMNS, ROWS, 86).splitlines()
    assert {len(line) for line in lines} == {86}
    assert lines[1] == "┃ key             ┃ name                              ┃ kind                  ┃  low ┃"


def test_water_filling_by_hand() -> None:
    # width 60: kept 15 + 4 = 19, borders 13, room 28 for name (33) and kind (21);
    # kind first (narrowest): min(21, 28 // 2 = 14) = 14; then name: min(33, 14 // 1) = 14
    assert _widths(COLUMNS, ROWS, 60) == [15, 14, 14, 4]
    text = box_table("Title", COLUMNS, ROWS, 60)
    lines = text.splitlines()
    assert lines[0].strip() == "Title"
    assert all(len(line) == 60 for line in lines[1:])
    assert "│ collecting_data │ Collecting     │ archetype      │ 0.54 │" in lines
    assert "│                 │ data from many │                │      │" in lines
    assert "│ a               │ B              │ occupation     │ 1.00 │" in lines
    assert "│                 │                │ (exposure)     │      │" in lines


def test_kept_columns_are_never_cut_however_narrow() -> None:
    text = box_table("", COLUMNS, ROWS, 20)
    assert "collecting_data" in text and "1.00" in text
    widths = _widths(COLUMNS, ROWS, 20)
    assert widths[0] == 15 and widths[3] == 4 and widths[1] >= 1 and widths[2] >= 1


def test_header_lines_are_aligned_at_the_bottom() -> None:
    columns = [Column("k", keep=True), Column("a long header")]
    lines = box_table("", columns, [["x", "y"]], 13).splitlines()
    # room: 13 − 7 (borders) − 1 (kept "k") = 5 → "a", "long", "heade", "r"; "k" on the last line
    header = [line for line in lines if line.startswith("┃")]
    assert header == ["┃   ┃ a     ┃", "┃   ┃ long  ┃", "┃   ┃ heade ┃", "┃ k ┃ r     ┃"]
