"""``activities.xlsx``: the input tables and the results, one sheet per table, ready to edit and re-import.

Each sheet has a frozen, commented header, an Excel Table (filters, banding),
drop-down validation on enumerations and range checks on 0..1 shares and 0..4
rubric scores. ``relmap import`` turns the workbook back into ``company.yaml``.
The workbook is the one openpyxl writes (write-only mode), byte for byte, but
written here as text (:func:`_direct_workbook`): importing openpyxl and going
through its cell and style objects was most of the time of ``-o``'s workbook.
A workbook holding a value that text writer does not take (a date, an error
code, a text with control characters or longer than a cell holds…) is built
by openpyxl itself (:func:`_openpyxl_workbook`), which also gives the tests
their reference.

Why byte-identical output: openpyxl stamps the creation time and every zip
entry's time; :func:`relmap.report.zipfix.normalise_zip` fixes both, so the
same analysis gives the same file (reviewable in git, cacheable).
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ..analysis.result import AnalysisResult
from ..i18n import _, language
from ..input.model import ValueChain
from ..input.sheets import RESULT_COLUMNS, SETTINGS, SHEET_ORDER, SHEETS, TRAJECTORY_COLUMNS, Column, column_help
from .tables import result_cells, rows_from_chain, rows_from_result
from .zipfix import FIXED_DATE, normalise_zip, write_zip

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
    if _quoted(value):
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
    out = [f'<row r="{row_idx}">']
    for j, value in enumerate(values, start=1):
        if value is None:
            continue
        kind = type(value)
        ref = f"{column_letter(j)}{row_idx}"
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


def column_letter(index: int) -> str:
    """The letters of the ``index``-th column (1 → A, 27 → AA), as :func:`openpyxl.utils.get_column_letter`."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _Check:
    """A data validation: the cells it covers and its rule."""

    area: str
    type: str
    formula1: str
    operator: str | None = None
    formula2: str | None = None


@dataclass
class _Sheet:
    """One sheet of the workbook, whatever writes it: header, rows of values, widths, checks, table."""

    name: str
    names: list[str]  # the header
    n_input: int  # the first n_input columns are input columns (header fill), the others results
    helps: list[str]  # each header cell's comment ('' for none)
    widths: dict[str, float]  # column letter → width, in the order openpyxl records them
    freeze: str  # the top-left cell that is not frozen
    checks: list[_Check]
    rows: list[list[Any]]
    table_ref: str


def _check(col: Column, area: str, stage_ref: str | None) -> _Check | None:
    """The validation of a column's cells: a list of choices, a range, or none."""
    if col.kind == "enum":
        return _Check(area, "list", '"' + ",".join(col.choices) + '"')
    if col.kind == "bool":
        return _Check(area, "list", '"TRUE,FALSE"')
    if col.kind == "share":
        return _Check(area, "decimal", "0", "between", "1")
    if col.kind == "score4":
        return _Check(area, "decimal", "0", "between", "4")
    if col.kind in ("number", "int"):
        return _Check(area, "decimal", "0", "greaterThanOrEqual")
    if col.name == "stage" and stage_ref:
        return _Check(area, "list", stage_ref)
    return None


def _sheet(sheet: str, columns: list[Column], extra: list[str], rows: list[dict[str, Any]], stage_ref: str | None,
           widths: dict[str, float] | None = None, checks: list[tuple[Column, str]] | None = None) -> _Sheet:
    """One table sheet: header, rows, checks, frozen header, an Excel Table.

    ``widths`` overrides column widths by letter; ``checks`` adds a validation per (column, cell range).
    """
    names = [c.name for c in columns] + extra
    col_widths = {column_letter(j): float(max(10, min(40, len(name) + 4))) for j, name in enumerate(names, start=1)}
    col_widths.update(widths or {})
    last_row = max(len(rows) + 1, 2)
    found = [_check(col, f"{letter}2:{letter}{max(last_row, 2) + 200}", stage_ref)
             for col, letter in ((col, column_letter(j)) for j, col in enumerate(columns, start=1))]
    found += [_check(col, area, None) for col, area in checks or ()]
    return _Sheet(sheet, names, len(columns), [column_help(sheet, name) for name in names], col_widths,
                  "B2" if sheet == "activities" else "A2", [c for c in found if c is not None],
                  [[row.get(name) for name in names] for row in rows],
                  f"A1:{column_letter(len(names))}{last_row}")


def _settings_sheet(sheet: str, row: dict[str, Any]) -> _Sheet:
    columns = [Column("field", "text"), Column("value", "text")]
    rows = [{"field": c.name, "value": row.get(c.name), "meaning": column_help(sheet, c.name.split(".")[0])}
            for c in SETTINGS[sheet]]
    # the value cell of each setting gets its own check
    checks = [(col, f"B{i}") for i, col in enumerate(SETTINGS[sheet], start=2)
              if col.kind in ("enum", "share", "number", "int")]
    return _sheet(sheet, columns, ["meaning"], rows, None, widths={"A": 28, "B": 28, "C": 70}, checks=checks)


def _sheets(data: AnalysisResult | ValueChain, chain: ValueChain | None, scenario: str | None) -> list[_Sheet]:
    """Every sheet of the workbook, in order (texts in the current language)."""
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
    stage_ref = f"stages!$A$2:$A${max(len(rows['stages']) + 1, 2)}" if rows["stages"] else None
    sheets = []
    for sheet in SHEET_ORDER:
        if sheet in SETTINGS:
            sheets.append(_settings_sheet(sheet, rows[sheet][0] if rows[sheet] else {}))
            continue
        extra = list(RESULT_COLUMNS.get(sheet, ())) if extras else []
        sheet_rows = [{**r, **extras.get(sheet, {}).get(str(r.get("id")), {})} for r in rows[sheet]]
        sheets.append(_sheet(sheet, list(SHEETS[sheet]), extra, sheet_rows, stage_ref))
    if result is not None:  # the trajectory result sheet: one row per scenario and year
        years = [{"scenario": sid, **year.model_dump()} for sid, sc in result.scenarios.items()
                 for year in sc.trajectory]
        if years:
            sheets.append(_sheet("trajectory", [], list(TRAJECTORY_COLUMNS), years, None))
    return sheets


def build_workbook(data: AnalysisResult | ValueChain, *, chain: ValueChain | None = None,
                   scenario: str | None = None, lang: str = "en") -> bytes:
    """``activities.xlsx`` as bytes.

    Args:
        data: an analysis (input tables plus result columns) or a chain (input tables only).
        chain: the chain the analysis came from, for an exact round trip (tasks, fte, descriptions).
        scenario: scenario of the activities' result columns (default: the first).
        lang: language of the header comments and validation messages.
    """
    with language(lang):
        sheets = _sheets(data, chain, scenario)
        messages = (_("This value is not allowed here: see the column's comment."), _("Invalid value"))
    try:
        return _direct_workbook(sheets, messages)
    except _NotPlain:
        return _openpyxl_workbook(sheets, messages)


# --------------------------------------------------------------------------- openpyxl's way


def _openpyxl_workbook(sheets: list[_Sheet], messages: tuple[str, str]) -> bytes:
    """The workbook through openpyxl (write-only mode): every value openpyxl takes, and the reference of
    :func:`_direct_workbook`."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for sheet in sheets:
        _openpyxl_sheet(wb, sheet, messages)
    wb.properties.creator = "relmap"
    wb.properties.created = FIXED_DATE
    wb.properties.modified = FIXED_DATE
    buf = io.BytesIO()
    _save_stored(wb, buf)
    return normalise_zip(buf.getvalue())


def _openpyxl_sheet(wb: Any, sheet: _Sheet, messages: tuple[str, str]) -> None:
    """One sheet, streamed: header (bold, filled, commented), rows, checks, frozen header, an Excel Table."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    ws = wb.create_sheet(sheet.name)
    header = []
    for j, (name, help_text) in enumerate(zip(sheet.names, sheet.helps, strict=True), start=1):
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL if j <= sheet.n_input else RESULT_FILL)
        if help_text:
            comment = Comment(help_text, "relmap")
            comment.width, comment.height = 260, 90
            cell.comment = comment
        header.append(cell)
    for letter, width in sheet.widths.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = sheet.freeze
    for check in sheet.checks:
        dv = DataValidation(type=check.type, operator=check.operator, formula1=check.formula1,
                            formula2=check.formula2, allow_blank=True)
        dv.error, dv.errorTitle = messages
        dv.showErrorMessage = True
        dv.add(check.area)
        ws.data_validations.append(dv)
    ws.append(header)
    _plain_rows(ws)
    for row in sheet.rows:
        ws.append([_cell(ws, value) for value in row])
    table = Table(displayName=f"t_{sheet.name}", ref=sheet.table_ref)
    table.tableColumns = [TableColumn(id=j, name=name) for j, name in enumerate(sheet.names, start=1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    with warnings.catch_warnings():  # "you must add table columns manually": done just above
        warnings.filterwarnings("ignore", message="In write-only mode", category=UserWarning)
        ws.add_table(table)


def _save_stored(wb: Any, buf: io.BytesIO) -> None:
    """:meth:`openpyxl.Workbook.save` into ``buf`` without compressing: :func:`relmap.report.zipfix.normalise_zip`
    compresses every entry anyway (saving compressed it twice)."""
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    if wb.write_only and not wb.worksheets:  # as Workbook.save does
        wb.create_sheet()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()


# --------------------------------------------------------------------------- the same bytes, written as text


class _NotPlain(Exception):
    """A value :func:`_direct_workbook` does not write: the workbook goes openpyxl's way."""


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_CT = "application/vnd.openxmlformats-officedocument"
#: openpyxl's default palette (``openpyxl.styles.colors.COLOR_INDEX``), written into every styles part
_INDEXED = (
    "000000", "FFFFFF", "FF0000", "00FF00", "0000FF", "FFFF00", "FF00FF", "00FFFF", "000000", "FFFFFF", "FF0000",
    "00FF00", "0000FF", "FFFF00", "FF00FF", "00FFFF", "800000", "008000", "000080", "808000", "800080", "008080",
    "C0C0C0", "808080", "9999FF", "993366", "FFFFCC", "CCFFFF", "660066", "FF8080", "0066CC", "CCCCFF", "000080",
    "FF00FF", "FFFF00", "00FFFF", "800080", "800000", "008080", "0000FF", "00CCFF", "CCFFFF", "CCFFCC", "FFFF99",
    "99CCFF", "FF99CC", "CC99FF", "FFCC99", "3366FF", "33CCCC", "99CC00", "FFCC00", "FF9900", "FF6600", "666699",
    "969696", "003366", "339966", "003300", "333300", "993300", "993366", "333399", "333333",
)
#: the version openpyxl writes into ``docProps/app.xml`` (the lock's; a test compares with openpyxl's own)
_OPENPYXL_VERSION = "3.1.5"
_THEME = Path(__file__).with_name("templates") / "xlsx-theme.xml"


def _text(value: str) -> str:
    """Element text as lxml writes it (``\\r`` as a character reference)."""
    return escape(value, {"\r": "&#13;"})


def _attr(value: str) -> str:
    """An attribute value as lxml writes it between double quotes."""
    return escape(value, {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def _string_cell(ref: str, value: str, style: str) -> str:
    """An inline-string cell (``style``: `` s="N"`` or empty), as openpyxl writes it."""
    if (len(value) > 32767 or _NOT_PLAIN.search(value) or not _XML_TEXT.fullmatch(value)):
        raise _NotPlain
    if not value:
        return f'<c r="{ref}"{style} t="inlineStr"></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'


class _Styles:
    """The cell formats in the order openpyxl numbers them: fills as headers are made, formats as cells are
    written."""

    def __init__(self) -> None:
        self.fills: list[str] = []
        self.formats: list[tuple[int, int, int]] = [(0, 0, 0)]  # (font, fill, quote prefix)
        self.bold = False

    def header(self, colour: str) -> int:
        """The format of a header cell filled with ``colour`` (bold white text)."""
        self.bold = True
        if colour not in self.fills:
            self.fills.append(colour)
        return self._format((1, 2 + self.fills.index(colour), 0))

    def quoted(self) -> int:
        """The format of a text cell with Excel's quote prefix."""
        return self._format((0, 0, 1))

    def _format(self, key: tuple[int, int, int]) -> int:
        if key not in self.formats:
            self.formats.append(key)
        return self.formats.index(key)

    def xml(self) -> str:
        fonts = ('<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/>'
                 '<scheme val="minor"/></font>')
        if self.bold:
            fonts += '<font><b val="1"/><color rgb="00FFFFFF"/></font>'
        fills = "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="00{c}"/></patternFill></fill>'
                        for c in self.fills)
        formats = "".join(f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" pivotButton="0" '
                          f'quotePrefix="{quote}" xfId="0"/>' for font, fill, quote in self.formats)
        colours = "".join(f'<rgbColor rgb="00{c}"/>' for c in _INDEXED)
        return (f'<styleSheet xmlns="{_MAIN_NS}"><numFmts count="0"/><fonts count="{1 + self.bold}">{fonts}</fonts>'
                f'<fills count="{2 + len(self.fills)}"><fill><patternFill/></fill>'
                f'<fill><patternFill patternType="gray125"/></fill>{fills}</fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(self.formats)}">{formats}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0" hidden="0"/></cellStyles>'
                '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
                f"<colors><indexedColors>{colours}</indexedColors></colors></styleSheet>")


def _sheet_rows(sheet: _Sheet, styles: _Styles) -> str:
    """``<sheetData>``: the header row (styled), then every row."""
    out = ['<sheetData><row r="1">']
    for j, name in enumerate(sheet.names, start=1):
        style = styles.header(HEADER_FILL if j <= sheet.n_input else RESULT_FILL)
        out.append(_string_cell(f"{column_letter(j)}1", name, f' s="{style}"'))
    out.append("</row>")
    for row_idx, values in enumerate(sheet.rows, start=2):
        xml = None if any(map(_quoted, values)) else _row_xml(values, row_idx)
        out.append(xml if xml is not None else _quoted_row(values, row_idx, styles))
    out.append("</sheetData>")
    return "".join(out)


def _quoted(value: Any) -> bool:
    """Whether :func:`_cell` makes ``value`` a quoted text cell."""
    return isinstance(value, str) and value.lstrip(" ")[:1] in FORMULA_START and bool(value.strip(" "))


def _quoted_row(values: list[Any], row_idx: int, styles: _Styles) -> str:
    """A row :func:`_row_xml` does not write: texts that start like a formula get the quote prefix
    (:func:`_cell`); any other value it refused goes openpyxl's way (:class:`_NotPlain`)."""
    out = [f'<row r="{row_idx}">']
    for j, value in enumerate(values, start=1):
        if value is None:
            continue
        ref = f"{column_letter(j)}{row_idx}"
        if _quoted(value):
            out.append(_string_cell(ref, value, f' s="{styles.quoted()}"'))
            continue
        cell = _row_xml([value], 1)
        if cell is None:
            raise _NotPlain
        out.append(cell[len('<row r="1">'):-len("</row>")].replace('r="A1"', f'r="{ref}"', 1))
    out.append("</row>")
    return "".join(out)


def _worksheet(sheet: _Sheet, styles: _Styles, messages: tuple[str, str], commented: bool) -> bytes:
    """``xl/worksheets/sheetN.xml`` (ASCII, other characters as references, as openpyxl's streamed sheets)."""
    if sheet.freeze == "B2":
        pane = ('<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>'
                '<selection pane="topRight"/><selection pane="bottomLeft"/>'
                '<selection pane="bottomRight" activeCell="A1" sqref="A1"/>')
    else:
        assert sheet.freeze == "A2"
        pane = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/>')
    widths = sorted(sheet.widths.items(), key=lambda item: (len(item[0]), item[0]))
    cols = "".join(f'<col width="{width:.16g}" customWidth="1" min="{n}" max="{n}"/>'
                   for n, width in ((_column_index(letter), width) for letter, width in widths))
    error, title = _attr(messages[0]), _attr(messages[1])
    checks = []
    for c in sheet.checks:
        operator = f' operator="{c.operator}"' if c.operator else ""
        formula2 = f"<formula2>{_text(c.formula2)}</formula2>" if c.formula2 is not None else ""
        checks.append(f'<dataValidation sqref="{c.area}" showDropDown="0" showInputMessage="0" '
                      f'showErrorMessage="1" allowBlank="1" errorTitle="{title}" error="{error}" '
                      f'type="{c.type}"{operator}><formula1>{_text(c.formula1)}</formula1>{formula2}'
                      "</dataValidation>")
    validations = f'<dataValidations count="{len(checks)}">{"".join(checks)}</dataValidations>' if checks else ""
    legacy = f'<legacyDrawing xmlns:r="{_REL_NS}" r:id="anysvml"/>' if commented else ""
    xml = (f'<worksheet xmlns="{_MAIN_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr/>'
           f'</sheetPr><sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
           f'<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}'
           f"{_sheet_rows(sheet, styles)}{validations}"
           '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
           f'{legacy}<tableParts count="1"><tablePart xmlns:r="{_REL_NS}" r:id="rId1"/></tableParts></worksheet>')
    return xml.encode("ascii", "xmlcharrefreplace")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _comments(sheet: _Sheet) -> bytes:
    """``xl/comments/commentN.xml``: the header cells' help (UTF-8)."""
    out = [f'<comments xmlns="{_MAIN_NS}"><authors><author>relmap</author></authors><commentList>']
    for j, help_text in enumerate(sheet.helps, start=1):
        if help_text:
            stripped = help_text.strip()
            space = ' xml:space="preserve"' if stripped and stripped != help_text else ""
            out.append(f'<comment ref="{column_letter(j)}1" authorId="0" shapeId="0"><text>'
                       f"<t{space}>{_text(help_text)}</t></text></comment>")
    out.append("</commentList></comments>")
    return "".join(out).encode("utf-8")


def _comment_shapes(sheet: _Sheet) -> bytes:
    """``xl/drawings/commentsDrawingN.vml``: one hidden note shape per comment (VML, as openpyxl writes it)."""
    vml, office, excel = ("urn:schemas-microsoft-com:vml", "urn:schemas-microsoft-com:office:office",
                          "urn:schemas-microsoft-com:office:excel")
    out = [f'<xml><ns0:shapelayout xmlns:ns0="{office}" xmlns:ns1="{vml}" ns1:ext="edit">'
           '<ns0:idmap ns1:ext="edit" data="1"/></ns0:shapelayout>'
           f'<ns2:shapetype xmlns:ns2="{vml}" xmlns:ns3="{office}" id="_x0000_t202" coordsize="21600,21600" '
           'ns3:spt="202" path="m,l,21600r21600,l21600,xe"><ns2:stroke joinstyle="miter"/>'
           '<ns2:path gradientshapeok="t" ns3:connecttype="rect"/></ns2:shapetype>']
    shape = 1026
    for j, help_text in enumerate(sheet.helps, start=1):
        if not help_text:
            continue
        out.append(f'<ns0:shape xmlns:ns0="{vml}" xmlns:ns1="{office}" type="#_x0000_t202" '
                   'style="position:absolute; margin-left:59.25pt;margin-top:1.5pt;width:260px;height:90px;'
                   f'z-index:1;visibility:hidden" fillcolor="#ffffe1" ns1:insetmode="auto" id="_x0000_s{shape:04d}">'
                   '<ns0:fill color2="#ffffe1"/><ns0:shadow color="black" obscured="t"/>'
                   '<ns0:path ns1:connecttype="none"/><ns0:textbox style="mso-direction-alt:auto">'
                   '<div style="text-align:left"/></ns0:textbox>'
                   f'<ns2:ClientData xmlns:ns2="{excel}" ObjectType="Note"><ns2:MoveWithCells/><ns2:SizeWithCells/>'
                   f"<ns2:AutoFill>False</ns2:AutoFill><ns2:Row>0</ns2:Row><ns2:Column>{j - 1}</ns2:Column>"
                   "</ns2:ClientData></ns0:shape>")
        shape += 1
    out.append("</xml>")
    return "".join(out).encode("utf-8")


def _table(sheet: _Sheet, number: int) -> bytes:
    """``xl/tables/tableN.xml``: the sheet's Excel Table (filters, banded rows)."""
    columns = "".join(f'<tableColumn id="{j}" name="{_attr(name)}"/>' for j, name in enumerate(sheet.names, start=1))
    return (f'<table id="{number}" name="t_{sheet.name}" displayName="t_{sheet.name}" ref="{sheet.table_ref}" '
            f'headerRowCount="1" xmlns="{_MAIN_NS}"><tableColumns count="{len(sheet.names)}">{columns}'
            '</tableColumns><tableStyleInfo name="TableStyleMedium2" showRowStripes="1"/></table>').encode()


def _relationships(rels: list[tuple[str, str, str]]) -> bytes:
    """A relationships part: (type URL, target, id) each."""
    items = "".join(f'<Relationship Type="{kind}" Target="{target}" Id="{rid}"/>' for kind, target, rid in rels)
    return f'<Relationships xmlns="{_PKG_REL_NS}">{items}</Relationships>'.encode()


def _direct_workbook(sheets: list[_Sheet], messages: tuple[str, str]) -> bytes:
    """The bytes :func:`_openpyxl_workbook` gives for ``sheets``, written as text.

    Raises:
        _NotPlain: a value this writer does not take (see :func:`_row_xml`; quoted texts are taken).
    """
    created = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    dcterms = 'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    entries: list[tuple[str, bytes]] = [
        ("docProps/app.xml", ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                              'extended-properties"><Application>Microsoft Excel Compatible / Openpyxl '
                              f"{_OPENPYXL_VERSION}</Application><AppVersion>3.1</AppVersion></Properties>").encode()),
        ("docProps/core.xml", ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
                               'core-properties"><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">relmap'
                               f'</dc:creator><dcterms:created {dcterms} xsi:type="dcterms:W3CDTF">{created}'
                               f'</dcterms:created><dcterms:modified {dcterms} xsi:type="dcterms:W3CDTF">{created}'
                               "</dcterms:modified></cp:coreProperties>").encode()),
        ("xl/theme/theme1.xml", _THEME.read_bytes()),
    ]
    sheet_ct = f"{_OFFICE_CT}.spreadsheetml.worksheet+xml"
    overrides = [("/xl/styles.xml", f"{_OFFICE_CT}.spreadsheetml.styles+xml"),
                 ("/xl/theme/theme1.xml", f"{_OFFICE_CT}.theme+xml"),
                 ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                 ("/docProps/app.xml", f"{_OFFICE_CT}.extended-properties+xml")]
    styles = _Styles()
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    n_comments = 0
    for number, sheet in enumerate(sheets, start=1):
        commented = any(sheet.helps)
        entries.append((f"xl/worksheets/sheet{number}.xml", _worksheet(sheet, styles, messages, commented)))
        overrides.append((f"/xl/worksheets/sheet{number}.xml", sheet_ct))
        rels = [(f"{rel}table", f"/xl/tables/table{number}.xml", "rId1")]
        if commented:
            n_comments += 1
            entries.append((f"xl/comments/comment{n_comments}.xml", _comments(sheet)))
            entries.append((f"xl/drawings/commentsDrawing{n_comments}.vml", _comment_shapes(sheet)))
            overrides.append((f"/xl/comments/comment{n_comments}.xml", f"{_OFFICE_CT}.spreadsheetml.comments+xml"))
            rels += [(f"{rel}comments", f"/xl/comments/comment{n_comments}.xml", "comments"),
                     (f"{rel}vmlDrawing", f"/xl/drawings/commentsDrawing{n_comments}.vml", "anysvml")]
        entries.append((f"xl/tables/table{number}.xml", _table(sheet, number)))
        overrides.append((f"/xl/tables/table{number}.xml", f"{_OFFICE_CT}.spreadsheetml.table+xml"))
        entries.append((f"xl/worksheets/_rels/sheet{number}.xml.rels", _relationships(rels)))
    entries.append(("xl/styles.xml", styles.xml().encode()))
    entries.append(("_rels/.rels", _relationships([
        (f"{rel}officeDocument", "xl/workbook.xml", "rId1"),
        ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
         "docProps/core.xml", "rId2"),
        (f"{rel}extended-properties", "docProps/app.xml", "rId3")])))
    listed = "".join(f'<sheet xmlns:r="{_REL_NS}" name="{_attr(sheet.name)}" sheetId="{n}" state="visible" '
                     f'r:id="rId{n}"/>' for n, sheet in enumerate(sheets, start=1))
    entries.append(("xl/workbook.xml", (
        f'<workbook xmlns="{_MAIN_NS}"><workbookPr/><workbookProtection/><bookViews><workbookView '
        'visibility="visible" minimized="0" showHorizontalScroll="1" showVerticalScroll="1" showSheetTabs="1" '
        'tabRatio="600" firstSheet="0" activeTab="0" autoFilterDateGrouping="1"/></bookViews>'
        f'<sheets>{listed}</sheets><definedNames/><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    ).encode()))
    n = len(sheets)
    entries.append(("xl/_rels/workbook.xml.rels", _relationships(
        [(f"{rel}worksheet", f"/xl/worksheets/sheet{k}.xml", f"rId{k}") for k in range(1, n + 1)]
        + [(f"{rel}styles", "styles.xml", f"rId{n + 1}"), (f"{rel}theme", "theme/theme1.xml", f"rId{n + 2}")])))
    overrides.append(("/xl/workbook.xml", f"{_OFFICE_CT}.spreadsheetml.sheet.main+xml"))
    defaults = [("rels", "application/vnd.openxmlformats-package.relationships+xml"), ("xml", "application/xml")]
    if n_comments:
        defaults.append(("vml", f"{_OFFICE_CT}.vmlDrawing"))
    types = "".join(f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in defaults)
    types += "".join(f'<Override PartName="{part}" ContentType="{ct}"/>' for part, ct in overrides)
    entries.append(("[Content_Types].xml", (
        f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{types}</Types>').encode()))
    return write_zip(entries)
