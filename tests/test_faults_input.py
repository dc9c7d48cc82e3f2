"""Issue #17: hostile input files — special files, zip bombs, malformed workbooks, CSV ambiguities, round trips.

Attack files are small ones under ``tests/cases/faults/``; bombs and large
files are built at test time (nothing large is committed).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import relmap
from relmap.cli import main
from relmap.errors import InputError
from relmap.input import sheetguard
from relmap.input.importing import import_table
from relmap.report.xlsx import build_workbook

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "faults"
HOTEL = ROOT / "examples" / "hotel-group" / "company.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def problems(path: Path | str, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        import_table(path, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


# --- family 4: only regular files are read ---------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("command", ["validate", "import"])
def test_devices_and_symlinks_to_them_are_refused(command: str, tmp_path: Path) -> None:
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    for target in ("/dev/zero", str(link)):
        args = [command, target] + (["--company", "X"] if command == "import" else [])
        code, out = run(*args)
        assert code == 1, out
        assert "only regular files are read" in out and target in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "company.yaml"
    os.mkfifo(fifo)
    outcome: list[tuple[int, str]] = []
    thread = threading.Thread(target=lambda: outcome.append(run("validate", str(fifo))), daemon=True)
    thread.start()
    thread.join(20)
    assert outcome, "relmap validate hung on a FIFO"
    assert outcome[0][0] == 1 and "pipe (FIFO)" in outcome[0][1]


def test_size_limit_is_enforced_while_reading(tmp_path: Path) -> None:
    """The limit holds even when the size the file claims is not what it gives (read at most limit + 1 bytes)."""
    from relmap.fsutil import read_regular

    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 101)
    with pytest.raises(InputError, match="too large"):
        read_regular(big, 100)
    assert read_regular(big, 101) == b"#" * 101


# --- family 3: imports stream with a bound on the unpacked size ------------------------------------------------


def _bomb(path: Path, part: str, size: int) -> Path:
    """A valid zip whose ``part`` unpacks to ``size`` bytes of one repeated byte (~230:1: the fastest deflate level,
    a quarter of the time of the default level for 129 MB)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf, \
            zf.open(part, "w", force_zip64=True) as fh:
        chunk = b"<" * (1 << 20)
        for _i in range(size // len(chunk)):
            fh.write(chunk)
    return path


def test_zip_bomb_is_refused_with_its_part(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", sheetguard.MAX_PART_BYTES + (1 << 20))
    assert bomb.stat().st_size < 2_000_000
    message = problems(bomb)
    assert "bomb.xlsx!xl/worksheets/sheet1.xml" in message and "unpacks to" in message


def test_lying_zip_sizes_are_caught_while_reading(tmp_path: Path) -> None:
    """An entry that declares 1 KB but unpacks to 40 MB is stopped at its real size, never believed."""
    bomb = _bomb(tmp_path / "liar.xlsx", "xl/styles.xml", 40 << 20)
    data = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/styles.xml")
    # patch the uncompressed size in the central directory and in the zip64 extra field: 1 KB
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (1024).to_bytes(4, "little") if info.file_size < 0xFFFFFFFF else data[
        central + 24:central + 28]
    extra = data.find(b"\x01\x00", central + 46)
    if extra != -1 and extra < central + 46 + len("xl/styles.xml") + 40:
        data[extra + 4:extra + 12] = (1024).to_bytes(8, "little")
    liar = tmp_path / "liar2.xlsx"
    liar.write_bytes(bytes(data))
    message = problems(liar)
    assert "liar2.xlsx" in message


@pytest.mark.slow  # a real process fed a template bomb
def test_template_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused before any drawing (no chart worker is needed: RELMAP_WORKER=0) and before anything is written."""
    monkeypatch.setenv("RELMAP_WORKER", "0")
    bomb = _bomb(tmp_path / "firm.pptx", "ppt/media/image1.png", sheetguard.MAX_PART_BYTES + (1 << 20))
    out = tmp_path / "out"
    code, text = run("analyze", str(HOTEL), "-o", str(out), "--template", str(bomb), "--no-xlsx")
    assert code == 1, text
    assert "firm.pptx!ppt/media/image1.png" in text and "unpacks to" in text
    assert not (out / "analysis.json").exists()


def shared_strings_bomb(path: Path, item: bytes, size: int) -> Path:
    """A workbook whose shared strings (listed in its relations, so openpyxl loads them) unpack to ``size`` bytes."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "activities"
    ws.append(["id", "name", "hours", "automatability", "relational"])
    ws.append(["a", "Desk", 100, 0.5, "high"])
    buf = io.BytesIO()
    wb.save(buf)
    rel = (b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           b'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    kind = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info).replace(b"</Relationships>", rel).replace(b"</Types>", kind)
            dst.writestr(info, data)
        with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            count = (size - 100) // len(item)
            block = 1 << 16  # items written 65,536 at a time (one write per item took 8 s for 2.8 million)
            for _i in range(count // block):
                fh.write(item * block)
            fh.write(item * (count % block))
            fh.write(b"</sst>")
    return path


def test_shared_strings_past_their_limit_are_refused(tmp_path: Path) -> None:
    bomb = shared_strings_bomb(tmp_path / "sst.xlsx", b"<si><t/></si>", sheetguard.MAX_SHARED_STRINGS_BYTES + 4096)
    assert "sst.xlsx!xl/sharedStrings.xml" in problems(bomb)


@pytest.mark.slow  # a real process reads a workbook of parts just under their limits; its peak memory measured
def test_import_bomb_peak_memory_under_1_gb(tmp_path: Path) -> None:
    """Parts just under their limits (shared strings, a worksheet of long cells) are read within 1 GB.

    The worst case, 32 MB of empty shared strings (2.6 million), was measured by hand: 318 MB
    (``/usr/bin/time -f %M relmap import``); this test uses long strings to stay fast.
    """
    bomb = shared_strings_bomb(tmp_path / "wide.xlsx", b"<si><t>" + b"x" * 1000 + b"</t></si>",
                               sheetguard.MAX_SHARED_STRINGS_BYTES - 4096)
    code = ("import resource, sys\nfrom relmap.input.importing import import_table\n"
            "from relmap.errors import InputError\n"
            "try:\n    import_table(sys.argv[1])\nexcept InputError as exc:\n    print(str(exc)[:200])\n"
            "print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    done = subprocess.run([sys.executable, "-c", code, str(bomb)], capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "sharedStrings" not in done.stdout  # read, not refused: it is under the limit
    peak_kib = int(done.stdout.rsplit("peak", 1)[1])
    assert peak_kib < 1024 * 1024, f"peak {peak_kib / 1024:.0f} MiB"


# --- family 7: malformed workbooks are located errors ----------------------------------------------------------


def _patched(tmp_path: Path, part: str, change: object) -> Path:
    """The hotel workbook with ``part`` rewritten by ``change(bytes) -> bytes``."""
    workbook = build_workbook(relmap.load(HOTEL))
    path = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(io.BytesIO(workbook)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item.filename, change(data) if item.filename == part else data)  # type: ignore[operator]
        if part not in src.namelist():
            dst.writestr(part, change(b""))  # type: ignore[operator]
    return path


SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(("name", "part", "change", "expected"), [
    ("dtd", SHEET, lambda d: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + d.split(b"?>", 1)[-1],
     "DOCTYPE"),
    ("bad shared string", SHEET, lambda d: d.replace(b'<c r="A2" t="inlineStr"><is><t>', b'<c r="A2" t="s"><v>99999'
                                                      b'</v><is><t>', 1), "not a readable Excel workbook"),
    ("NaN cell", SHEET, lambda d: d.replace(b'<c r="A2" t="inlineStr">', b'<c r="Z2"><v>NaN</v></c>'
                                            b'<c r="A2" t="inlineStr">', 1), "activities"),
    ("invalid character reference", SHEET, lambda d: d.replace(b"<t>", b"<t>&#0;", 1),
     "not a readable Excel workbook"),
])
def test_malformed_workbook_is_a_located_error(name: str, part: str, change: object, expected: str,
                                               tmp_path: Path) -> None:
    path = _patched(tmp_path, part, change)
    code, out = run("import", str(path))
    assert code == 1, (name, out)
    assert "patched.xlsx" in out and expected in out, out
    assert "internal error" not in out


def test_formulas_and_external_links_are_warned(tmp_path: Path) -> None:
    path = _patched(tmp_path, "xl/externalLinks/externalLink1.xml", lambda _d: b"<externalLink/>")
    warnings: list[str] = []
    import_table(path, warn=warnings.append)
    assert any("links to other workbooks" in w for w in warnings)
    path = _patched(tmp_path, SHEET, lambda d: d.replace(b'<c r="A2" t="inlineStr">', b'<c r="Z2"><f>1+1</f>'
                                                         b'<v>2</v></c><c r="A2" t="inlineStr">', 1))
    warnings.clear()
    import_table(path, warn=warnings.append)
    assert any("formulas" in w for w in warnings)


# --- family 7 and 10: CSV encodings, sizes and headers ---------------------------------------------------------


def test_csv_field_over_the_limit_is_located(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("id,name,hours,automatability,relational\nfront,\"" + "x" * 200_000 + "\",1,0.5,high\n")
    message = problems(path, company="X")
    assert "long.csv:" in message and "CSV error" in message


def test_bom_followed_by_cp1252_is_located() -> None:
    message = problems(CASES / "bom-then-cp1252.csv", company="X")
    assert "bom-then-cp1252.csv:2:8:" in message and "0xe9" in message


def test_utf16_gets_the_right_hint(tmp_path: Path) -> None:
    assert "UTF-16" in problems(CASES / "utf16.csv", company="X")
    yaml16 = tmp_path / "company.yaml"
    yaml16.write_bytes(HOTEL.read_text(encoding="utf-8").encode("utf-16"))
    code, out = run("validate", str(yaml16))
    assert code == 1 and "UTF-16" in out


def test_duplicate_header_is_refused() -> None:
    message = problems(CASES / "duplicate-header.csv", company="X")
    assert "duplicate-header.csv!D1" in message and "duplicate column 'hours'" in message


@pytest.mark.parametrize("case", ["ambiguous-thousands.csv", "ambiguous-dot-semicolon.csv"])
def test_ambiguous_numbers_are_refused(case: str) -> None:
    message = problems(CASES / case, company="X")
    assert f"{case}!D2" in message and "ambiguous" in message and "1234" in message


# --- family 6: exact round trips -------------------------------------------------------------------------------


def test_list_items_with_commas_and_leading_spaces_round_trip(tmp_path: Path) -> None:
    chain = relmap.load(HOTEL)
    act = chain.activities[0]
    items = ["slow check-in, long queues", "lost keys; again", " indented item", "=1+1"]
    many = [f"pain point number {i}, with a comma" for i in range(100)]
    changed = chain.model_copy(update={"activities": [
        act.model_copy(update={"pain_points": items, "name": " =1+1"}),
        chain.activities[1].model_copy(update={"pain_points": ["only one, with a comma"]}),
        chain.activities[2].model_copy(update={"pain_points": many}),
        *chain.activities[3:]]})
    path = tmp_path / "activities.xlsx"
    path.write_bytes(build_workbook(changed))
    again = relmap.loads(import_table(path))
    by_id = {a.id: a for a in again.activities}
    assert by_id[act.id].pain_points == items
    assert by_id[act.id].name == " =1+1"
    assert by_id[chain.activities[1].id].pain_points == ["only one, with a comma"]
    assert by_id[chain.activities[2].id].pain_points == many


def test_old_comma_lists_still_read(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text("id,name,hours,automatability,relational,roles\nfront,Front,1,0.5,high,\"a, b\"\n")
    assert relmap.loads(import_table(path, company="X")).activities[0].roles == ["a", "b"]


def test_a_cut_cell_is_refused(tmp_path: Path) -> None:
    chain = relmap.load(HOTEL)
    long = [f"pain point {i:05d} " + "x" * 80 for i in range(400)]  # ~40,000 characters: more than a cell holds
    changed = chain.model_copy(update={"activities": [
        chain.activities[0].model_copy(update={"pain_points": long}), *chain.activities[1:]]})
    path = tmp_path / "activities.xlsx"
    path.write_bytes(build_workbook(changed))
    message = problems(path)
    assert "activities!" in message and "probably cut" in message


def test_formula_like_text_is_a_quoted_text_cell() -> None:
    import openpyxl

    chain = relmap.load(HOTEL)
    changed = chain.model_copy(update={"activities": [
        chain.activities[0].model_copy(update={"name": "=HYPERLINK(\"http://x\")"}),
        chain.activities[1].model_copy(update={"name": "+33 1 23"}), *chain.activities[2:]]})
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(changed)))
    cells = [c for row in wb["activities"].iter_rows() for c in row if isinstance(c.value, str)
             and c.value[:1] in "=+"]
    assert len(cells) == 2
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
