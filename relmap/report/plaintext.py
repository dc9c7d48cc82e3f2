"""The terminal summary as rich prints it when stdout is not a terminal, written without rich's console.

Why: rich's console, markup parser and table layout are most of the summary's
time; when the output goes to a file or a pipe it holds no colour or style,
only the text laid out. :func:`table_text` lays a table out as
:class:`rich.table.Table` does (heavy head box, one space of padding, words
wrapped with rich's own :func:`rich._wrap.divide_line`, widths shared with
:func:`rich._ratio.ratio_reduce`, cells measured with
:func:`rich.cells.cell_len`); :func:`line_text` wraps a printed line as
``Console.print`` does. A text this writer does not take as rich would show it
(markup, an emoji code, a backslash, a control character: :class:`NeedsRich`)
sends the whole summary to rich (:mod:`relmap.report.terminal`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

__all__ = ["WIDTH", "NeedsRich", "TableSpec", "line_text", "table_text"]

#: the width rich gives a console that is not a terminal (:func:`relmap.report.terminal._console`)
WIDTH = 140
#: what rich reads as markup (a tag, a backslash) or an emoji code, or handles apart (control characters, tabs,
#: line breaks)
MARKUP = re.compile(r"\[[a-z#/@]|\\")
_RICH_ONLY = re.compile(r"\[[a-z#/@]|[\\\x00-\x1f\x7f]|:\S*?:")
_TRAILING_SPACE = re.compile(r"\s+$")


class NeedsRich(Exception):
    """A text rich would show otherwise than as it is: the summary goes rich's way."""


@dataclass
class TableSpec:
    """A table of the summary: its title, columns (header, ``left``/``right``), rows of texts and caption."""

    title: str
    columns: list[tuple[str, str]]
    rows: list[list[str]] = field(default_factory=list)
    caption: str | None = None


def shown(text: str) -> str:
    """``text`` as rich shows it (the same text), or :class:`NeedsRich`."""
    if _RICH_ONLY.search(text):
        raise NeedsRich(text)
    return text


def _wrap(text: str, width: int, justify: str, ellipsis: bool = False) -> list[str]:
    """``Text.wrap`` of one line (no line break in ``text``), justified; a word longer than the width is folded
    onto the next lines, or with ``ellipsis`` (a table cell's overflow) cut with "…"."""
    from rich._wrap import divide_line
    from rich.cells import cell_len, set_cell_size

    def truncate(line: str) -> str:
        if cell_len(line) <= width:
            return line
        return set_cell_size(line, width - 1) + "…" if ellipsis else set_cell_size(line, width)

    offsets = divide_line(text, width, fold=not ellipsis)
    bounds = [0, *offsets, len(text)]
    out = []
    for start, end in itertools.pairwise(bounds):
        line = text[start:end]
        if len(line) > width:  # Text.rstrip_end: white space beyond the width goes
            match = _TRAILING_SPACE.search(line)
            if match is not None:
                line = line[:len(line) - min(len(match.group(0)), len(line) - width)]
        if justify == "left":
            length = cell_len(line)
            line = truncate(line) + " " * (width - length) if length < width else truncate(line)
        elif justify in ("right", "center"):
            line = truncate(line.rstrip())
            gap = width - cell_len(line)
            if justify == "right":
                line = " " * gap + line
            else:
                line = " " * (gap // 2) + line
                line += " " * (width - cell_len(line))
        out.append(truncate(line))
    return out


def line_text(text: str, width: int = WIDTH) -> str:
    """A line ``Console.print`` prints (no justification, wrapped at ``width``), with its line break."""
    return "\n".join(_wrap(shown(text), width, "default")) + "\n"


def _measure(text: str, width: int) -> tuple[int, int]:
    """The (minimum, maximum) width of a padded cell of ``text`` in at most ``width`` cells (rich's measure of
    ``Padding(Text)``)."""
    from rich.cells import cell_len

    if width < 1:
        return 0, 0
    if width - 2 < 1:
        low = high = width
    else:
        high = cell_len(text)
        words = text.split()
        low = max(cell_len(word) for word in words) if words else high
        low, high = _normal(low, high, width)
        if high < 1:
            low = high = 0
        low, high = min(low + 2, width), min(high + 2, width)
    low, high = _normal(low, high, width)
    return (0, 0) if high < 1 else (low, high)


def _normal(low: int, high: int, width: int) -> tuple[int, int]:
    """``Measurement.normalize().with_maximum(width)`` then ``normalize()``."""
    low = max(0, min(max(0, low), high))
    high = max(0, low, high)
    low, high = min(low, width), min(high, width)
    low = max(0, min(max(0, low), high))
    return low, max(0, low, high)


def _column(cells: list[str], width: int) -> tuple[int, int]:
    measured = [_measure(cell, width) for cell in cells]
    low = max(m[0] for m in measured) if measured else 1
    high = max(m[1] for m in measured) if measured else width
    return min(low, width), min(high, width)


def _widths(spec: TableSpec, width: int) -> list[int]:
    """``Table._calculate_column_widths`` for columns that wrap, without a fixed width (padding included)."""
    from rich._ratio import ratio_reduce

    columns = [[header, *(row[j] for row in spec.rows)] for j, (header, _justify) in enumerate(spec.columns)]
    widths = [_column(cells, width)[1] or 1 for cells in columns]
    if sum(widths) > width:
        excess = sum(widths) - width
        while sum(widths) and excess > 0:  # Table._collapse_widths: the widest columns shrink first
            widest = max(widths)
            second = max((w for w in widths if w != widest), default=0)
            ratios = [1 if w == widest else 0 for w in widths]
            if not any(ratios) or not widest - second:
                break
            widths = ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
            excess = sum(widths) - width
        if sum(widths) > width:
            widths = ratio_reduce(sum(widths) - width, [1] * len(widths), widths, widths)
        widths = [_column(cells, w)[1] or 0 for cells, w in zip(columns, widths, strict=True)]
    return widths


def _cell(text: str, width: int, justify: str) -> list[str]:
    """The lines of a padded cell ``width`` cells wide."""
    if width - 2 < 1:
        raise NeedsRich(text)
    return [f" {line} " for line in _wrap(text, width - 2, justify, ellipsis=True)]


def table_text(spec: TableSpec, width: int = WIDTH) -> str:
    """``Console.print(Table(title=…, title_justify="left", caption=…))`` of ``spec``, as text."""
    if not spec.columns:
        return "\n"
    spec = TableSpec(shown(spec.title), [(shown(h), j) for h, j in spec.columns],
                     [[shown(c) for c in row] for row in spec.rows],
                     shown(spec.caption) if spec.caption else None)
    widths = _widths(spec, width - len(spec.columns) - 1)
    table_width = sum(widths) + len(spec.columns) + 1
    out = [line + "\n" for line in _wrap(spec.title, table_width, "left")] if spec.title else []
    out.append("┏" + "┳".join("━" * w for w in widths) + "┓\n")
    for index, row in enumerate([[h for h, _j in spec.columns], *spec.rows]):
        cells = [_cell(text, w, justify) for text, w, (_h, justify) in zip(row, widths, spec.columns, strict=True)]
        height = max(len(c) for c in cells)
        cells = [([" " * w] * (height - len(c)) + c) if index == 0 else (c + [" " * w] * (height - len(c)))
                 for c, w in zip(cells, widths, strict=True)]
        edge = "┃" if index == 0 else "│"
        out.extend(edge + edge.join(cell[k] for cell in cells) + edge + "\n" for k in range(height))
        if index == 0:
            out.append("┡" + "╇".join("━" * w for w in widths) + "┩\n")
    out.append("└" + "┴".join("─" * w for w in widths) + "┘\n")
    if spec.caption:
        out.extend(line + "\n" for line in _wrap(spec.caption, table_width, "center"))
    return "".join(out)
