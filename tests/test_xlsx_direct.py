"""activities.xlsx written as text gives openpyxl's bytes: the same file as the workbook built through openpyxl,
for the examples (English and French, from an analysis, from a result alone, from a chain) and for hostile values;
a value the text writer does not take sends the workbook openpyxl's way."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from report_fixture import CHAIN_YAML, make_result

import relmap
from relmap.i18n import _, language
from relmap.input.sheets import Column
from relmap.report import xlsx
from relmap.report.xlsx import _Check, _direct_workbook, _openpyxl_workbook, _Sheet, _sheets, build_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(ROOT.glob("examples/*/company.yaml"))
MESSAGES = ("This value is not allowed here: see the column's comment.", "Invalid value")


def _both(sheets: list[_Sheet], messages: tuple[str, str] = MESSAGES) -> tuple[bytes, bytes]:
    return _direct_workbook(sheets, messages), _openpyxl_workbook(sheets, messages)


def _read(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book.worksheets}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_examples_give_openpyxl_bytes(path: Path, lang: str) -> None:
    chain = relmap.load(path)
    result = relmap.analyze(chain, draws=50)
    with language(lang):
        messages = (_("This value is not allowed here: see the column's comment."), _("Invalid value"))
        cases = [_sheets(result, chain, None), _sheets(result, None, None), _sheets(chain, None, None)]
    for sheets in cases:
        ours, theirs = _both(sheets, messages)
        assert ours == theirs
    assert build_workbook(result, chain=chain, lang=lang) == _openpyxl_workbook(cases[0], messages)


def test_fixture_with_hostile_names_gives_openpyxl_bytes() -> None:
    chain = relmap.loads(CHAIN_YAML)
    for sheets in (_sheets(make_result(), chain, None), _sheets(make_result(), None, None), _sheets(chain, None, None)):
        ours, theirs = _both(sheets)
        assert ours == theirs


def _hostile_sheet(rows: list[list[Any]]) -> _Sheet:
    names = ["id", " lead space", "a & b <c> \"d\"", "Ünï — ♥", "result"]
    return _Sheet(
        name="activities", names=names, n_input=4,
        helps=["Plain help.", "  padded help  ", "", "Aide en français : « é » & <b>\r\nligne", "   "],
        widths={"A": 10.0, "B": 12.5, "C": 40.0, "D": 10.0, "E": 11.0, "AA": 7.0},
        freeze="B2",
        checks=[_Check("A2:A201", "list", '"x,y"'), _Check("B2:B201", "decimal", "0", "between", "1"),
                _Check("C2:C201", "decimal", "0", "greaterThanOrEqual"), _Check("D3", "list", "stages!$A$2:$A$9")],
        rows=rows, table_ref=f"A1:E{max(len(rows) + 1, 2)}")


def test_hostile_values_give_openpyxl_bytes() -> None:
    """Formula-like texts (quoted), white space, markup, line breaks, Unicode, numbers of every kind."""
    rows: list[list[Any]] = [
        ["a", 1, 2.5, True, False],
        [None, "", " lead", "trail ", "a & b < c > d \"q\" 'a'"],
        ["=SUM(A1)", "-5", "+x", "@y", " =spaced"],
        ["\tab", "cr\r\nlf", "Ünïcödé — ♥ 漢字 😀", 12345678901234567890, -0.0],
        [1e20, 0.1 + 0.2, -7, "=", "-"],
        ["   ", " ", None, None, "#N/A with text"],
        [],
    ]
    for messages in (MESSAGES, ("Valeur non autorisée ici : voir le commentaire « de la colonne » & <x>\n\"q\"\t",
                                "Valeur invalide\u202f!")):
        ours, theirs = _both([_hostile_sheet(rows)], messages)
        assert ours == theirs
    sheets = [_hostile_sheet(rows), _hostile_sheet([["=first quoted"]]),
              _Sheet("company", ["field", "value", "meaning"], 2, ["", "", ""], {"A": 28, "B": 28, "C": 70}, "A2",
                     [], [["x", "-1", None]], "A1:C2")]
    sheets[1].name = "stages"
    ours, theirs = _both(sheets)  # a sheet without comments, formats numbered across sheets
    assert ours == theirs
    assert _read(ours)["activities"][3] == ("=SUM(A1)", "-5", "+x", "@y", " =spaced")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "#N/A", "x" * 40000, 2 ** 70 + 0.5j, [1, 2]])
def test_values_it_does_not_take_go_openpyxls_way(value: Any) -> None:
    """NaN, infinity, error codes, texts longer than a cell, other types: the whole workbook is openpyxl's."""
    sheets = [_hostile_sheet([["a", value]])]
    with pytest.raises(xlsx._NotPlain):
        _direct_workbook(sheets, MESSAGES)
    try:
        theirs = _openpyxl_workbook(sheets, MESSAGES)
    except ValueError:  # openpyxl refuses it: so does build_workbook
        return
    assert _read(theirs)["activities"][1][0] == "a"


def test_control_characters_are_refused_as_openpyxl_refuses_them() -> None:
    from openpyxl.utils.exceptions import IllegalCharacterError

    chain = relmap.loads(CHAIN_YAML)
    sheets = _sheets(chain, None, None)
    sheets[0].rows[0][1] = "bell\x07"
    with pytest.raises(xlsx._NotPlain):
        _direct_workbook(sheets, MESSAGES)
    with pytest.raises(IllegalCharacterError):
        _openpyxl_workbook(sheets, MESSAGES)


def test_constants_are_openpyxls() -> None:
    """The theme, the palette and the version written into docProps/app.xml are openpyxl's."""
    from openpyxl.styles.colors import COLOR_INDEX
    from openpyxl.writer.theme import theme_xml

    assert xlsx._THEME.read_text(encoding="utf-8") == theme_xml
    assert list(xlsx._INDEXED) == [c[2:] for c in COLOR_INDEX[:64]]
    assert openpyxl.__version__ == xlsx._OPENPYXL_VERSION


def test_workbook_is_built_without_openpyxl() -> None:
    """The workbook of an analysis does not import openpyxl (a fresh interpreter)."""
    import subprocess
    import sys

    code = ("import sys, relmap\nfrom relmap.report.xlsx import build_workbook\n"
            f"chain = relmap.load({str(EXAMPLES[0])!r})\n"
            "data = build_workbook(relmap.analyze(chain, draws=20), chain=chain)\n"
            "assert data[:2] == b'PK' and 'openpyxl' not in sys.modules, sorted(sys.modules)\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_columns_past_z() -> None:
    from openpyxl.utils import get_column_letter

    assert [xlsx.column_letter(n) for n in (1, 26, 27, 52, 53, 702, 703, 16384)] == [
        get_column_letter(n) for n in (1, 26, 27, 52, 53, 702, 703, 16384)]
    assert all(xlsx._column_index(get_column_letter(n)) == n for n in range(1, 2000, 37))


def test_check_kinds() -> None:
    assert xlsx._check(Column("x", "text"), "A2:A3", None) is None
    assert xlsx._check(Column("stage", "id"), "A2:A3", "stages!$A$2:$A$3") == _Check("A2:A3", "list",
                                                                                      "stages!$A$2:$A$3")
