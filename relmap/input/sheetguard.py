"""Checks on an ``.xlsx`` before openpyxl reads it: zip bombs, XML entities, formulas and external links.

Why: an ``.xlsx`` is a zip of XML files. 5 MB of zip can unpack to gigabytes
(a 5.2 MB file once took 5.3 GB of memory), and openpyxl reads what the
zip holds. So before openpyxl sees the bytes, every entry is read here as a
stream, in chunks, counting the bytes it *actually* unpacks to (the sizes the
zip declares are checked first, but a forged entry may lie): past
:data:`MAX_PART_BYTES` for one part or :data:`MAX_UNPACKED_BYTES` in all,
reading stops and the file is refused. Memory stays at one chunk.

The same pass refuses XML with a document type declaration (``<!DOCTYPE``,
``<!ENTITY``: entity expansion bombs, external entities; Excel never writes
one) and notices what the import cannot honour: formula cells (read as the
value Excel last computed) and links to other workbooks.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from ..errors import InputError, Problem
from ..i18n import _

#: the most bytes all the parts of a workbook may unpack to (a 20,000-row workbook written by relmap: ~30 MB)
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
#: the most bytes one part may unpack to (worksheets: openpyxl streams them, and reads at most MAX_ROWS rows)
MAX_PART_BYTES = 128 * 1024 * 1024
#: the most bytes of the shared strings, which openpyxl keeps in memory as a list *and* an index (~150 bytes per
#: string: 32 MB of the shortest strings is ~2.5 million of them, ~0.5 GB); Excel writes ~10 bytes per cell of text
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
#: the most bytes of the parts openpyxl reads whole (styles, workbook, relations, …): worksheets are streamed
MAX_SMALL_PART_BYTES = 16 * 1024 * 1024
#: the most entries in the zip
MAX_ENTRIES = 10_000
CHUNK = 1 << 16
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_STREAMED = re.compile(r"^xl/worksheets/sheet\d+\.xml$", re.IGNORECASE)
_SHARED = re.compile(r"^xl/sharedStrings\.xml$", re.IGNORECASE)


def _refuse(name: str, message: str, hint: str = "") -> InputError:
    return InputError([Problem(name, 0, 0, message, hint)])


def check_workbook(data: bytes, name: str, warn: Callable[[str], None] | None = None, *,
                   small_part: int = MAX_SMALL_PART_BYTES) -> None:
    """Refuse a workbook that unpacks too large or holds a DTD; warn about formulas and external links.

    Args:
        data: the ``.xlsx`` bytes.
        name: the file as shown in messages.
        warn: called with each warning (formula cells, external links).
        small_part: the limit of a part read whole (a deck template's pictures may need more).

    Raises:
        InputError: not a zip, too many entries, a part or the whole unpacking
            past the limits (declared or actual), an XML part with ``<!DOCTYPE``.
    """
    hint = _("save it from Excel as .xlsx, or export the activities sheet as CSV")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(name, _("not a readable Excel workbook: {error}").format(error=exc), hint) from None
    if len(entries) > MAX_ENTRIES:
        raise _refuse(name, _("not a readable Excel workbook: {n} parts in the zip, the limit is {limit}").format(
            n=len(entries), limit=MAX_ENTRIES), hint)
    declared = sum(e.file_size for e in entries)
    if declared > MAX_UNPACKED_BYTES:
        raise _bomb(name, declared, MAX_UNPACKED_BYTES)
    total = 0
    formulas: list[str] = []
    links = False
    for entry in entries:
        if entry.filename.lower().startswith("xl/externallinks/"):
            links = True
        limit = (MAX_PART_BYTES if _STREAMED.match(entry.filename) else
                 MAX_SHARED_STRINGS_BYTES if _SHARED.match(entry.filename) else min(small_part, MAX_PART_BYTES))
        if entry.file_size > limit:
            raise _bomb(name, entry.file_size, limit, entry.filename)
        size, doctype, formula = _scan(archive, entry, name, limit, MAX_UNPACKED_BYTES - total)
        total += size
        if doctype:
            raise _refuse(f"{name}!{entry.filename}",
                          _("XML document type declarations (<!DOCTYPE>, <!ENTITY>) are not allowed"),
                          _("Excel never writes them: save the workbook again from Excel"))
        if formula:
            formulas.append(entry.filename)
    if warn is not None and formulas:
        warn(_("{path}: some cells hold formulas; their last computed values were read (recalculate in Excel "
               "and save before importing if they changed)").format(path=name))
    if warn is not None and links:
        warn(_("{path}: the workbook links to other workbooks; their values were not updated").format(path=name))


def _scan(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str, limit: int,
          room: int) -> tuple[int, bool, bool]:
    """Unpack ``entry`` chunk by chunk: (bytes, has a DTD, has a formula); refused past ``limit`` or ``room``."""
    size = 0
    doctype = formula = False
    tail = b""
    xml = entry.filename.lower().endswith((".xml", ".rels", ".vml"))
    worksheet = entry.filename.lower().startswith("xl/worksheets/")
    try:
        with archive.open(entry) as stream:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise _bomb(name, size - len(chunk), limit, entry.filename, more=True)
                if size > room:
                    raise _bomb(name, MAX_UNPACKED_BYTES - room + size - len(chunk), MAX_UNPACKED_BYTES, more=True)
                if xml:
                    window = tail + chunk
                    doctype = doctype or bool(_DOCTYPE.search(window))
                    formula = formula or (worksheet and bool(_FORMULA.search(window)))
                    tail = window[-16:]
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise _refuse(f"{name}!{entry.filename}", _("not a readable Excel workbook: {error}").format(error=exc),
                      _("save it from Excel as .xlsx, or export the activities sheet as CSV")) from None
    return size, doctype, formula


def _bomb(name: str, size: int, limit: int, part: str = "", *, more: bool = False) -> InputError:
    where = f"{name}!{part}" if part else name
    amount = (_("more than {size:,} bytes") if more else _("{size:,} bytes")).format(size=size)
    return _refuse(where, _("the file unpacks to {amount}, the limit is {limit:,} bytes").format(
        amount=amount, limit=limit),
        _("an Office file of a company is a few megabytes unpacked; this one may be a zip bomb"))
