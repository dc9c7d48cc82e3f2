"""``activities.xlsx``: the input tables and the results, one sheet per table, ready to edit and re-import.

Each sheet has a frozen, commented header, an Excel Table (filters, banding),
drop-down validation on enumerations and range checks on 0..1 shares and 0..4
rubric scores. ``relmap import`` turns the workbook back into ``company.yaml``.
Sheets are streamed (openpyxl's write-only mode), which takes about half the
time of building every cell object first (figures: bench/RESULTS.md).

Why byte-identical output: openpyxl stamps the creation time and every zip
entry's time; :func:`relmap.report.zipfix.normalise_zip` fixes both, so the
same analysis gives the same file (reviewable in git, cacheable).
"""

from __future__ import annotations

import io
import math
import re
import warnings
from typing import Any
from xml.sax.saxutils import escape

from ..analysis.result import AnalysisResult
from ..i18n import _, language
from ..input.model import ValueChain
from ..input.sheets import RESULT_COLUMNS, SETTINGS, SHEET_ORDER, SHEETS, TRAJECTORY_COLUMNS, Column, column_help
from .tables import result_cells, rows_from_chain, rows_from_result
from .zipfix import FIXED_DATE, normalise_zip

HEADER_FILL = "1F3A5F"
RESULT_FILL = "5B6877"


#: first characters that make a spreadsheet read text as a formula (OWASP "CSV injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(ws: Any, value: Any) -> Any:
    """A value for a streamed row: itself, or a text cell when it starts like a formula (no formula injection).

    Such a cell is a string cell *and* carries Excel's quote prefix (the ``'``
    typed before text), so it stays text when the file is edited in Excel or
    saved again as CSV.
    """
    if isinstance(value, str) and value.lstrip(" ")[:1] in FORMULA_START and value.strip(" "):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


#: characters XML 1.0 allows (a text with another one goes the slow way, which refuses it as openpyxl does)
_XML_TEXT = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
#: a text openpyxl stores otherwise (a formula, an error code) or refuses (control characters), or cuts
_NOT_PLAIN = re.compile(r"[\000-\010\013\014\016-\037]")


def _plain_rows(ws: Any) -> None:
    """Stream ``ws``'s next rows faster: a row of plain values (text, whole or decimal numbers, booleans, None)
    is written as one element, not cell by cell through openpyxl's cell objects; any other row (styled or
    quoted cells, dates…) goes openpyxl's way.

    Why: openpyxl writes each cell through three nested XML writer contexts, most of the workbook's time. The
    bytes are openpyxl's: the same elements, attributes and text (see :func:`_row_xml`); nothing changes when
    openpyxl's write-only internals are not there.
    """
    from lxml import etree

    writer = getattr(ws, "_writer", None)
    slow_values, slow_write = getattr(ws, "_values_to_row", None), getattr(writer, "write_row", None)
    if writer is None or slow_values is None or slow_write is None:
        return

    def values_to_row(values: Any, row_idx: int) -> Any:
        xml = _row_xml(values, row_idx) if isinstance(values, list) and row_idx not in ws.row_dimensions else None
        return _Plain(xml) if xml is not None else slow_values(values, row_idx)

    def write_row(xf: Any, row: Any, row_idx: int) -> None:
        if not isinstance(row, _Plain):
            slow_write(xf, row, row_idx)
            return
        element = etree.fromstring(row.xml)
        for empty in (element, *element):  # an empty row or text: openpyxl writes <c …></c>, not <c …/>
            if len(empty) == 0:
                empty.text = ""
        xf.write(element)

    ws._values_to_row = values_to_row
    writer.write_row = write_row


class _Plain:
    """A row :func:`_row_xml` wrote."""

    def __init__(self, xml: str) -> None:
        self.xml = xml


_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def _row_xml(values: list[Any], row_idx: int) -> str | None:
    """The ``<row>`` openpyxl writes for ``values`` in write-only mode, or None when a value is not plain.

    Plain: None (no cell), ``str`` (an inline string, ``xml:space="preserve"`` when it starts or ends with
    white space; not one openpyxl reads as a formula or an error code, has control characters or is longer than
    32,767 characters), ``bool`` (``t="b"``, 1 or 0), ``int`` and finite ``float`` (``t="n"``, ``%.16g``).
    """
    from openpyxl.utils import get_column_letter

    out = [f'<row r="{row_idx}">']
    for j, value in enumerate(values, start=1):
        if value is None:
            continue
        kind = type(value)
        ref = f"{get_column_letter(j)}{row_idx}"
        if kind is str:
            if (len(value) > 32767 or value in _ERROR_CODES or (len(value) > 1 and value[0] == "=")
                    or _NOT_PLAIN.search(value) or not _XML_TEXT.fullmatch(value)):
                return None
            if not value:
                out.append(f'<c r="{ref}" t="inlineStr"></c>')
                continue
            space = ' xml:space="preserve"' if value != value.strip() else ""
            text = escape(value, {"\r": "&#13;"})
            out.append(f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        elif kind is bool:
            out.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif kind is int or (kind is float and math.isfinite(value)):
            out.append(f'<c r="{ref}" t="n"><v>{value:.16g}</v></c>')
        else:
            return None
    out.append("</row>")
    return "".join(out)


def _header(ws: Any, names: list[str], sheet: str, n_input: int) -> list[Any]:
    """The header row's cells (bold, filled, with the column's help as a comment); sets the column widths."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    cells = []
    for j, name in enumerate(names, start=1):
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL if j <= n_input else RESULT_FILL)
        help_text = column_help(sheet, name)
        if help_text:
            comment = Comment(help_text, "relmap")
            comment.width, comment.height = 260, 90
            cell.comment = comment
        cells.append(cell)
        ws.column_dimensions[get_column_letter(j)].width = max(10, min(40, len(name) + 4))
    return cells


def _validate(ws: Any, col: Column, letter: str, last_row: int, stage_ref: str | None,
              area: str | None = None) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    area = area or f"{letter}2:{letter}{max(last_row, 2) + 200}"
    dv = None
    if col.kind == "enum":
        dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True)
    elif col.kind == "bool":
        dv = DataValidation(type="list", formula1='"TRUE,FALSE"', allow_blank=True)
    elif col.kind == "share":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
    elif col.kind == "score4":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="4", allow_blank=True)
    elif col.kind in ("number", "int"):
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    elif col.name == "stage" and stage_ref:
        dv = DataValidation(type="list", formula1=stage_ref, allow_blank=True)
    if dv is None:
        return
    dv.error = _("This value is not allowed here: see the column's comment.")
    dv.errorTitle = _("Invalid value")
    dv.showErrorMessage = True
    dv.add(area)
    ws.data_validations.append(dv)


def _table_sheet(wb: Any, sheet: str, columns: list[Column], extra: list[str], rows: list[dict[str, Any]],
                 stage_ref: str | None, widths: dict[str, float] | None = None,
                 checks: list[tuple[Column, str]] | None = None) -> None:
    """One sheet, streamed (openpyxl's write-only mode): header, rows, checks, frozen header, an Excel Table.

    ``widths`` overrides column widths by letter; ``checks`` adds a validation per (column, cell range).
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    ws = wb.create_sheet(sheet)
    names = [c.name for c in columns] + extra
    header = _header(ws, names, sheet, len(columns))
    for letter, width in (widths or {}).items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "B2" if sheet == "activities" else "A2"
    last_row = max(len(rows) + 1, 2)
    for j, col in enumerate(columns, start=1):
        _validate(ws, col, get_column_letter(j), last_row, stage_ref)
    for col, area in checks or ():
        _validate(ws, col, area[:1], last_row, None, area=area)
    ws.append(header)
    _plain_rows(ws)
    for row in rows:
        ws.append([_cell(ws, row.get(name)) for name in names])
    table = Table(displayName=f"t_{sheet}", ref=f"A1:{get_column_letter(len(names))}{last_row}")
    table.tableColumns = [TableColumn(id=j, name=name) for j, name in enumerate(names, start=1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    with warnings.catch_warnings():  # "you must add table columns manually": done just above
        warnings.filterwarnings("ignore", message="In write-only mode", category=UserWarning)
        ws.add_table(table)


def _settings_sheet(wb: Any, sheet: str, row: dict[str, Any]) -> None:
    columns = [Column("field", "text"), Column("value", "text")]
    rows = [{"field": c.name, "value": row.get(c.name), "meaning": column_help(sheet, c.name.split(".")[0])}
            for c in SETTINGS[sheet]]
    # the value cell of each setting gets its own check
    checks = [(col, f"B{i}") for i, col in enumerate(SETTINGS[sheet], start=2)
              if col.kind in ("enum", "share", "number", "int")]
    _table_sheet(wb, sheet, columns, ["meaning"], rows, None, widths={"A": 28, "B": 28, "C": 70}, checks=checks)


def _trajectory_sheet(wb: Any, result: AnalysisResult) -> None:
    """The ``trajectory`` result sheet: one row per scenario and year."""
    rows = [{"scenario": sid, **year.model_dump()} for sid, sc in result.scenarios.items() for year in sc.trajectory]
    if rows:
        _table_sheet(wb, "trajectory", [], list(TRAJECTORY_COLUMNS), rows, None)


def build_workbook(data: AnalysisResult | ValueChain, *, chain: ValueChain | None = None,
                   scenario: str | None = None, lang: str = "en") -> bytes:
    """``activities.xlsx`` as bytes.

    Args:
        data: an analysis (input tables plus result columns) or a chain (input tables only).
        chain: the chain the analysis came from, for an exact round trip (tasks, fte, descriptions).
        scenario: scenario of the activities' result columns (default: the first).
        lang: language of the header comments and validation messages.
    """
    from openpyxl import Workbook

    result = data if isinstance(data, AnalysisResult) else None
    chain = data if isinstance(data, ValueChain) else chain
    if chain is not None:
        rows = rows_from_chain(chain)
    else:
        assert result is not None
        rows = rows_from_result(result)
    extras: dict[str, dict[str, dict[str, Any]]] = {}
    if result is not None:
        lead = result.lead_scenario(scenario if scenario in result.scenarios else None)
        extras = result_cells(result, lead)
    with language(lang):
        wb = Workbook(write_only=True)
        stage_ref = f"stages!$A$2:$A${max(len(rows['stages']) + 1, 2)}" if rows["stages"] else None
        for sheet in SHEET_ORDER:
            if sheet in SETTINGS:
                _settings_sheet(wb, sheet, rows[sheet][0] if rows[sheet] else {})
                continue
            extra = list(RESULT_COLUMNS.get(sheet, ())) if extras else []
            sheet_rows = [{**r, **extras.get(sheet, {}).get(str(r.get("id")), {})} for r in rows[sheet]]
            _table_sheet(wb, sheet, list(SHEETS[sheet]), extra, sheet_rows, stage_ref)
        if result is not None:
            _trajectory_sheet(wb, result)
        wb.properties.creator = "relmap"
        wb.properties.created = FIXED_DATE
        wb.properties.modified = FIXED_DATE
        buf = io.BytesIO()
        _save_stored(wb, buf)
    return normalise_zip(buf.getvalue())


def _save_stored(wb: Any, buf: io.BytesIO) -> None:
    """:meth:`openpyxl.Workbook.save` into ``buf`` without compressing: :func:`relmap.report.zipfix.normalise_zip`
    compresses every entry anyway (saving compressed it twice)."""
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    if wb.write_only and not wb.worksheets:  # as Workbook.save does
        wb.create_sheet()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
