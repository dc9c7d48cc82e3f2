"""``relmap import``: ``activities.xlsx`` or a CSV of activities back to a valid ``company.yaml``.

The workbook's sheets are the tables of :mod:`relmap.report.tables`; a CSV is
the activities table alone (``;`` or ``,`` separated, UTF-8 or Windows-1252,
decimal commas accepted), the company name given apart.

Every error names its cell (``activities!E7: …``): cell values are parsed
here, and the YAML written is then validated with :func:`relmap.loads`, whose
``line:column`` problems are mapped back to the cell each YAML line came from.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, UsageError, did_you_mean
from ..i18n import _
from . import cells
from .model import RUBRIC_DIMENSIONS
from .schema import SCHEMA_LINE
from .sheets import RESULT_COLUMNS, SETTINGS, SHEETS, Column

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
#: columns read per row (the known columns are fewer than 40; a forged sheet dimension cannot make rows wider)
MAX_COLUMNS = 256
#: the most characters a spreadsheet cell holds (Excel, openpyxl): a cell that long was cut
EXCEL_CELL_LIMIT = 32_767
#: "1,234" or "1.234": thousands or decimals? (a leading 0, as in 0.600, is not ambiguous)
_AMBIGUOUS = re.compile(r"^[-+]?[1-9][0-9]{0,2}[.,][0-9]{3}$")
IGNORED_COLUMNS = frozenset({"meaning"} | {c for cols in RESULT_COLUMNS.values() for c in cols})

_PLAIN = re.compile(r"^[a-z][a-z0-9_-]*$")
_KEYWORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf"})

Row = dict[str, tuple[Any, str]]
"""A sheet row: column name → (raw cell value, cell reference such as ``activities!E7``)."""


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


class _Reader:
    """Collects problems while turning raw rows into typed values."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(where, 0, 0, message, hint))

    def table(self, sheet: str, raw: list[list[Any]], prefix: str) -> list[Row]:
        """Rows of a sheet whose first row is the header, keyed by known column names."""
        known = {c.name for c in SHEETS.get(sheet, ())} | {"field", "value"}
        header = [cells.text(h) for h in (raw[0] if raw else [])]
        columns: dict[int, str] = {}
        for j, name in enumerate(header):
            if name is None:
                continue
            key = name.strip().lower().replace(" ", "_")
            if key in columns.values():
                first = next(k for k, v in columns.items() if v == key)
                self.add(f"{prefix}{_letter(j + 1)}1", _("duplicate column '{name}' (first in column {first})").format(
                    name=name, first=_letter(first + 1)), _("keep one column of each name"))
            elif key in known:
                columns[j] = key
            elif key not in IGNORED_COLUMNS:
                self.add(f"{prefix}{_letter(j + 1)}1", _("unknown column '{name}'").format(name=name),
                         did_you_mean(key, sorted(known)))
        rows = []
        for i, values in enumerate(raw[1:], start=2):
            if i > MAX_ROWS:
                self.add(f"{prefix}A{i}", _("too many rows (more than {n})").format(n=MAX_ROWS))
                break
            row = {columns[j]: (v, f"{prefix}{_letter(j + 1)}{i}")
                   for j, v in enumerate(values) if j in columns and cells.text(v) is not None}
            if row:
                rows.append(row)
        return rows

    def value(self, row: Row, column: Column) -> Any:
        """The typed value of ``column`` in ``row`` (None when blank or wrong, the problem recorded)."""
        if column.name not in row:
            return None
        raw, where = row[column.name]
        if isinstance(raw, str) and len(raw) >= EXCEL_CELL_LIMIT:
            self.add(where, _("the cell holds {n:,} characters, the most a spreadsheet cell can hold: it was probably "
                              "cut").format(n=len(raw)),
                     _("keep long lists and texts in company.yaml; the workbook cannot carry them whole"))
            return None
        if column.kind in ("number", "share", "int") and isinstance(raw, str) and _AMBIGUOUS.match(raw.strip()):
            self.add(where, _("'{value}' is ambiguous: a thousands separator or a decimal mark?").format(
                value=raw.strip()), _("write 1234 or 1.234 (no thousands separator)"))
            return None
        parse: dict[str, Callable[[Any], Any]] = {
            "number": cells.number, "share": cells.number, "score4": cells.number, "int": cells.integer,
            "bool": cells.boolean, "list": cells.items, "estimate": cells.estimate,
            "relational": cells.relational, "shares": _shares, "numbers": cells.numbers,
        }
        try:
            if column.kind in parse:
                return parse[column.kind](raw)
            value = cells.text(raw)
            if value is not None and column.kind == "text" and isinstance(raw, str):
                value = raw.rstrip()  # leading spaces are the user's: kept, as YAML keeps them
            if value is not None and column.kind in ("id", "enum"):
                value = value.strip()
                if column.kind == "enum":
                    value = value.lower()
            return value
        except cells.CellError as exc:
            self.add(where, str(exc))
            return None


def _shares(value: Any) -> dict[str, float] | None:
    """``clerk: 0.6, notary: 0.4`` (``=`` also accepted) → ``{clerk: 0.6, notary: 0.4}``; blank → None."""
    parts = cells.items(value)
    if not parts:
        return None
    out: dict[str, float] = {}
    for part in parts:
        key, sep, share = part.replace("=", ":").partition(":")
        number = cells.number(share) if sep else None
        if not key.strip() or number is None:
            raise cells.CellError(_("'{part}' is not 'role: share' (for example 'clerk: 0.6')").format(part=part))
        out[key.strip()] = number
    return out


class Block(list[tuple[str, Any, str]]):
    """A nested YAML mapping: ``(key, value, cell)`` entries."""


class Items(list[Block]):
    """A YAML sequence of mappings."""


def _flow(value: Any) -> str:
    """A YAML 1.2 flow scalar/collection: JSON strings, plain numbers and booleans."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if _PLAIN.match(text) and text not in _KEYWORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


class YamlWriter:
    """Writes YAML line by line and remembers which cell each line comes from."""

    def __init__(self, header: Iterable[str]) -> None:
        self.lines: list[str] = list(header)
        self.cells: dict[int, str] = {}

    def _line(self, text: str, cell: str) -> None:
        self.lines.append(text)
        if cell:
            self.cells[len(self.lines)] = cell

    def mapping(self, entries: Block, indent: int = 0, first: str = "") -> None:
        """Write ``entries``; the first line gets ``first`` (``"- "`` for a sequence item) before the key."""
        for n, (key, value, cell) in enumerate(entries):
            pad = " " * indent + (first if n == 0 else " " * len(first))
            if isinstance(value, Items):
                self._line(f"{pad}{key}:", cell)
                for item in value:
                    self.mapping(item, indent + len(first) + 2, "- ")
            elif isinstance(value, Block):
                self._line(f"{pad}{key}:", cell)
                self.mapping(value, indent + len(first) + 2)
            else:
                self._line(f"{pad}{key}: {_flow(value)}", cell)

    def cell_of(self, line: int) -> str | None:
        """The cell of ``line`` or of the nearest line above it that has one."""
        for n in range(line, 0, -1):
            if n in self.cells:
                return self.cells[n]
        return None

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _entries(reader: _Reader, row: Row, columns: Iterable[Column], skip: Iterable[str] = ()) -> Block:
    block = Block()
    for col in columns:
        if col.name in skip:
            continue
        value = reader.value(row, col)
        if value is None or value == []:
            continue
        block.append((col.name, value, row[col.name][1]))
    return block


def _activity(reader: _Reader, row: Row, tasks: dict[str, Items]) -> Block:
    columns = SHEETS["activities"]
    block = _entries(reader, row, columns, skip=(*RUBRIC_DIMENSIONS, "relational"))
    first_cell = next(iter(row.values()))[1]
    act_id = cells.text(row["id"][0]) if "id" in row else None
    if act_id and act_id in tasks:
        block.append(("tasks", tasks.pop(act_id), row["id"][1]))
    scores = Block((d, v, row[d][1]) for d in RUBRIC_DIMENSIONS
                   if d in row and (v := reader.value(row, Column(d, "score4"))) is not None)
    word = reader.value(row, Column("relational", "relational"))
    if scores and word is not None:
        reader.add(row["relational"][1], _("give either 'relational' or the seven rubric scores, not both"))
    elif scores:
        block.append(("relational", scores, scores[0][2]))
    elif word is not None:
        block.append(("relational", word, row["relational"][1]))
    else:
        reader.add(row.get("relational", (None, first_cell))[1],
                   _("activity '{id}' has no relational score").format(id=act_id or "?"),
                   _("fill 'relational' (a number 0..1 or none, low, medium, high, very_high) or the seven "
                     "rubric columns"))
    return block


def _settings(reader: _Reader, sheet: str, rows: list[Row]) -> Block:
    columns = {c.name: c for c in SETTINGS[sheet]}
    block = Block()
    for row in rows:
        if "field" not in row:
            continue
        field_raw, field_cell = row["field"]
        name = cells.text(field_raw) or ""
        if name not in columns:
            reader.add(field_cell, _("unknown setting '{name}'").format(name=name), did_you_mean(name, columns))
            continue
        if "value" not in row:
            continue
        value = reader.value({name: row["value"]}, columns[name])
        if value is not None:
            block.append((name, value, row["value"][1]))
    return block


def _nested(block: Block, prefix: str) -> Block:
    """``prefix.x`` entries become one nested ``prefix`` mapping (``costs.yearly`` → ``costs: {yearly: …}``)."""
    out = Block(e for e in block if not e[0].startswith(prefix + "."))
    inner = Block((k.split(".", 1)[1], v, c) for k, v, c in block if k.startswith(prefix + "."))
    if inner:
        out.append((prefix, inner, inner[0][2]))
    return out


def _thresholds(block: Block) -> Block:
    """``rubric_weights.x`` settings become a nested ``rubric_weights`` mapping (omitted when all 1)."""
    out = Block(e for e in block if not e[0].startswith("rubric_weights."))
    weights = Block((k.split(".", 1)[1], v, c) for k, v, c in block if k.startswith("rubric_weights."))
    if any(v != 1 for _k, v, _c in weights):
        out.append(("rubric_weights", weights, weights[0][2]))
    return out


def _roles(reader: _Reader, tables: dict[str, list[Row]]) -> Items:
    """The ``roles`` sheet, each role with its ``can_move_to`` from the ``role_moves`` sheet."""
    moves: dict[str, Items] = {}
    for row in tables.get("role_moves", []):
        role = reader.value(row, Column("role", "id"))
        entries = _entries(reader, row, SHEETS["role_moves"], skip=("role",))
        entries = Block(("role" if k == "to" else k, v, c) for k, v, c in entries)
        if role:
            moves.setdefault(role, Items()).append(entries)
    roles = Items()
    for row in tables.get("roles", []):
        block = _entries(reader, row, SHEETS["roles"])
        role_id = reader.value(row, Column("id", "id"))
        if role_id in moves:
            block.append(("can_move_to", moves.pop(role_id), row["id"][1]))
        roles.append(block)
    for role_id, items in sorted(moves.items()):
        reader.add(items[0][0][2] if items[0] else "role_moves!A1",
                   _("reskilling path of unknown role '{id}'").format(id=role_id))
    return roles


def build_yaml(reader: _Reader, tables: dict[str, list[Row]], source: str) -> YamlWriter:
    """The company file from parsed sheets (problems recorded in ``reader``)."""
    out = YamlWriter([SCHEMA_LINE, f"# Imported by 'relmap import' from {Path(source).name}.", ""])
    out.mapping(Block([("relmap", 1, "")]))
    company = _settings(reader, "company", tables.get("company", []))
    out.mapping(Block([("company", company, "company!A1")]))
    tasks: dict[str, Items] = {}
    for row in tables.get("tasks", []):
        act = reader.value(row, Column("activity", "id"))
        entries = _entries(reader, row, SHEETS["tasks"], skip=("activity",))
        if act:
            tasks.setdefault(act, Items()).append(entries)
    for sheet in ("stages", "actors"):
        items = Items(_entries(reader, r, SHEETS[sheet]) for r in tables.get(sheet, []))
        if items:
            out.mapping(Block([(sheet, items, f"{sheet}!A1")]))
    roles = _roles(reader, tables)
    if roles:
        out.mapping(Block([("roles", roles, "roles!A1")]))
    acts = Items(_activity(reader, r, tasks) for r in tables.get("activities", []))
    out.mapping(Block([("activities", acts, "activities!A1")]))
    for act_id, items in sorted(tasks.items()):
        reader.add(items[0][0][2] if items[0] else "tasks!A1",
                   _("task of unknown activity '{id}'").format(id=act_id))
    flows = Items(_entries(reader, r, SHEETS["flows"]) for r in tables.get("flows", []))
    if flows:
        out.mapping(Block([("flows", flows, "flows!A1")]))
    scenarios = Items(_nested(_entries(reader, r, SHEETS["scenarios"]), "costs") for r in tables.get("scenarios", []))
    if scenarios:
        out.mapping(Block([("scenarios", scenarios, "scenarios!A1")]))
    policy = _settings(reader, "policy", tables.get("policy", []))
    transfers = Items(_entries(reader, r, SHEETS["transfers"]) for r in tables.get("transfers", []))
    if transfers:
        policy.append(("transfers", transfers, "transfers!A1"))
    if policy:
        out.mapping(Block([("policy", policy, "policy!A1")]))
    thresholds = _thresholds(_settings(reader, "thresholds", tables.get("thresholds", [])))
    if thresholds:
        out.mapping(Block([("thresholds", thresholds, "thresholds!A1")]))
    assumptions = _settings(reader, "assumptions", tables.get("assumptions", []))
    if assumptions:
        out.mapping(Block([("assumptions", assumptions, "assumptions!A1")]))
    return out


def read_workbook(path: Path, reader: _Reader, data: bytes | None = None,
                  warn: Callable[[str], None] | None = None) -> dict[str, list[Row]]:
    """The known sheets of an ``.xlsx`` workbook as rows (formulas read as their cached values).

    The bytes are checked first (:func:`relmap.input.sheetguard.check_workbook`:
    zip bombs, DTDs, formulas, external links); whatever openpyxl then fails
    on is a located error, never a crash.
    """
    from openpyxl import load_workbook

    from .sheetguard import check_workbook

    name = str(path)
    if data is None:
        from ..fsutil import read_regular

        data = read_regular(path, MAX_IMPORT_BYTES)
    check_workbook(data, name, warn)
    known = set(SHEETS) | set(SETTINGS)
    tables: dict[str, list[Row]] = {}
    sheet = ""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                sheet = ws.title
                key = ws.title.strip().lower()
                if key not in known:
                    continue
                rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
                raw = [list(r) for _i, r in zip(range(MAX_ROWS + 2), rows, strict=False)]
                tables[key] = reader.table(key, raw, f"{ws.title}!")
        finally:
            wb.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl's errors on a malformed file are of every kind (KeyError, IndexError, …)
        where = f"{name}!{sheet}" if sheet else name
        raise InputError([Problem(where, 0, 0, _("not a readable Excel workbook: {error}").format(
            error=f"{type(exc).__name__}: {exc}"[:300]),
            _("save it from Excel as .xlsx, or export the activities sheet as CSV"))]) from None
    if "activities" not in tables:
        raise InputError([Problem(name, 0, 0, _("the workbook has no 'activities' sheet"),
                                  _("name the sheet of activities 'activities'"))])
    return tables


def decode_csv(data: bytes, name: str = "<csv>") -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (French Excel exports); UTF-16 refused with a hint.

    A file that starts with a UTF-8 BOM is UTF-8: a byte that is not is a
    located error (no guessing). Without a BOM, a file that is not UTF-8 is
    read as Windows-1252.
    """
    from .loader import _position

    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) >= 4 and b"\0\0" in (data[0:4:2], data[1:4:2])):
        raise InputError([Problem(name, 0, 0, _("the file is UTF-16 (Excel's \"Unicode text\"), not UTF-8"),
                                  _("in Excel, save as \"CSV UTF-8 (comma delimited)\""))])
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            line, col = _position(data[3:], exc.start)
            raise InputError([Problem(name, line, col, _(
                "the file starts as UTF-8 (it has a BOM) but byte 0x{byte:02x} is not UTF-8").format(
                    byte=data[3 + exc.start]),
                _("save the file again as \"CSV UTF-8\"; its parts were written in two encodings"))]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(path: Path, reader: _Reader, company: str | None, data: bytes | None = None) -> dict[str, list[Row]]:
    """A CSV of activities (``;``, ``,`` or tab separated) plus the company name."""
    if data is None:
        from ..fsutil import read_regular

        data = read_regular(path, MAX_IMPORT_BYTES)
    text = decode_csv(data, str(path))
    del data
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    raw: list[list[Any]] = []
    try:
        for _i, r in zip(range(MAX_ROWS + 2), rows, strict=False):
            raw.append(list(r))
    except csv.Error as exc:
        raise InputError([Problem(str(path), rows.line_num, 0, _("CSV error: {error}").format(error=exc),
                                  _("a field may miss its closing quote, or hold more than {n:,} characters").format(
                                      n=csv.field_size_limit()))]) from None
    prefix = f"{path.name}!"
    tables = {"activities": reader.table("activities", raw, prefix)}
    if not company:
        raise UsageError(_("a CSV holds only activities: give the company name with --company NAME"))
    tables["company"] = [{"field": ("name", "--company"), "value": (company, "--company")}]
    return tables


def import_table(path: str | Path, *, company: str | None = None,
                 warn: Callable[[str], None] | None = None) -> str:
    """The text of a valid ``company.yaml`` rebuilt from ``activities.xlsx`` or an activities CSV.

    Only a regular file of at most :data:`MAX_IMPORT_BYTES` is read (the limit
    enforced while reading); a workbook's unpacked size is bounded too
    (:mod:`relmap.input.sheetguard`), so memory stays bounded whatever the file.

    Args:
        path: an ``.xlsx`` workbook (as written by ``relmap analyze``) or a ``.csv`` of activities.
        company: the company name (required for a CSV; overrides the workbook's).
        warn: called with each warning (formula cells, links to other workbooks).

    Raises:
        InputError: every problem, each at its cell (``activities!E7``).
        UsageError: unknown file type, or a CSV without ``company``.
    """
    from ..fsutil import read_regular

    source = Path(path)
    suffix = source.suffix.lower()
    data = read_regular(source, MAX_IMPORT_BYTES, name=str(path))  # first: a device or a FIFO is refused as such
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise UsageError(_("cannot import '{suffix}' files: give an .xlsx workbook or a .csv of activities").format(
            suffix=suffix or source.name))
    reader = _Reader()
    if suffix in (".xlsx", ".xlsm"):
        tables = read_workbook(source, reader, data, warn)
        if company:
            tables["company"] = [r for r in tables.get("company", []) if cells.text(r.get("field", ("",))[0])
                                 != "name"] + [{"field": ("name", "--company"), "value": (company, "--company")}]
    else:
        tables = read_csv(source, reader, company, data)
    del data
    out = build_yaml(reader, tables, str(source))
    if reader.problems:
        raise InputError(reader.problems)
    _check(out, str(source))
    return out.text()


def _check(out: YamlWriter, source: str) -> None:
    """Validate the YAML written; map each problem's line back to its cell."""
    from .validate import loads

    try:
        loads(out.text(), name=source)
    except InputError as exc:
        problems = [Problem(out.cell_of(p.line) or source, 0, 0, p.message, p.hint) for p in exc.problems]
        raise InputError(problems) from None
