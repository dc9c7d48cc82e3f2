"""A plain-text table with box-drawing borders, for long listings in the terminal.

Why not rich: rich lays out every cell through its segment pipeline, which
made ``relmap archetypes`` (930 priors) slow to print (figures in
``bench/RESULTS.md``). This writes the same look (heavy header, light body)
with :mod:`textwrap`, and folds the wrapping columns so the ones marked ``keep`` (the keys
a user copies into a file) are never cut or wrapped, however narrow the
terminal.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

__all__ = ["Column", "box_table"]

@dataclass(frozen=True)
class Column:
    """One column: its header, whether it is kept whole (never wrapped) and right-aligned."""

    header: str
    keep: bool = False
    right: bool = False


def _widths(columns: list[Column], rows: list[list[str]], width: int) -> list[int]:
    """Each column's text width: kept columns their longest cell; the others share what is left.

    The table is ``sum(widths) + 3 × columns + 1`` characters wide (a space
    either side of each cell and a border between and around them). Wrapping
    columns get their natural width when everything fits; otherwise the
    room left is shared by water-filling: from the narrowest column up, each
    takes its natural width or an equal share of what is left
    (``left // columns left``, rounded down), whichever is smaller, at least 1.
    """
    natural = [max([len(col.header)] + [len(row[i]) for row in rows]) for i, col in enumerate(columns)]
    kept = [i for i, col in enumerate(columns) if col.keep]
    wrapping = [i for i, col in enumerate(columns) if not col.keep]
    room = width - 3 * len(columns) - 1 - sum(natural[i] for i in kept)
    widths = list(natural)
    wanted = sum(natural[i] for i in wrapping)
    if wanted <= room or not wrapping:
        return widths
    left, count = max(room, len(wrapping)), len(wrapping)
    for i in sorted(wrapping, key=lambda i: (natural[i], i)):
        widths[i] = max(1, min(natural[i], left // count))
        left, count = left - widths[i], count - 1
    return widths


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def box_table(title: str, columns: list[Column], rows: list[list[str]], width: int) -> str:
    """The table as text, ``width`` characters wide at most (unless the kept columns alone need more).

    Layout: the title centred on the table, a heavy-bordered header, then one
    bordered line per row line; cells of the wrapping columns are wrapped on
    words (a word longer than the column is cut), kept cells never.
    """
    widths = _widths(columns, rows, width)

    def rule(left: str, fill: str, mid: str, right: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    total = sum(widths) + 3 * len(widths) + 1
    out = [title.center(total).rstrip()] if title else []
    out.append(rule("┏", "━", "┳", "┓"))
    out += [_join(line, "┃") for line in _raw([col.header for col in columns], columns, widths, bottom=True)]
    out.append(rule("┡", "━", "╇", "┩"))
    for row in rows:
        out += [_join(line, "│") for line in _raw(row, columns, widths)]
    out.append(rule("└", "─", "┴", "┘"))
    return "\n".join(out) + "\n"


def _raw(values: list[str], columns: list[Column], widths: list[int], *, bottom: bool = False) -> list[list[str]]:
    """One row's lines, each a list of cells padded to their column's width: cells wrapped to their width (kept
    cells whole), aligned, and the shorter cells padded with blank lines at the top (header, as rich does) or
    at the bottom."""
    wrapped = [[v] if col.keep else _lines(v, w) for v, col, w in zip(values, columns, widths, strict=True)]
    height = max(len(cell) for cell in wrapped)
    lines: list[list[str]] = []
    for cell in wrapped:
        pad = [""] * (height - len(cell))
        cell[:] = pad + cell if bottom else cell + pad
    for k in range(height):
        lines.append([cell[k].rjust(w) if col.right else cell[k].ljust(w)
                      for cell, col, w in zip(wrapped, columns, widths, strict=True)])
    return lines


def _join(cells: list[str], side: str) -> str:
    return side + side.join(f" {cell} " for cell in cells) + side
