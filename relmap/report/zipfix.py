"""Byte-identical Office files: fixed zip timestamps and document dates.

Why: python-pptx and openpyxl write the current time into every zip entry and
into ``docProps/core.xml``; the same analysis must give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable

#: The date stamped into every generated Office file.
FIXED_DATE = dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
#: Media already compressed: stored, not deflated again.
_PACKED = (".png", ".jpeg", ".jpg", ".gif")
#: zlib's level for the entries: half the time of the default 6 for a deck a tenth larger (the time is on the
#: path of ``relmap analyze -o``, the size hardly matters; the measurements are in ``bench/RESULTS.md``)
ZIP_LEVEL = 3
_W3CDTF = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalise_zip(data: bytes) -> bytes:
    """Rewrite an Office zip with fixed entry times and core-property dates, entries in their original order.

    ``[Content_Types].xml`` stays first (some readers expect it); every entry
    is deflated with the same settings (:data:`ZIP_LEVEL`) and dated 2000-01-01, but for images
    that are compressed already (PNG, JPEG, GIF: stored as they are, which
    Office's package format allows; deflating them again made a deck of 30
    pictures 6 % smaller for 0.4 s of CPU, most of the time spent here); embedded
    Office files (a chart's workbook) are normalised the same way.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    return write_zip((info.filename, src.read(info.filename)) for info in src.infolist())


def write_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """The Office zip of ``entries`` (name, content), in that order, as :func:`normalise_zip` writes it.

    Why apart: a file whose entries are at hand (python-pptx's parts, an Office file written uncompressed) is
    compressed once, here, not once by its library and again here.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            payload = data
            if name.endswith((".xlsx", ".xlsm", ".docx", ".pptx")):  # a chart's embedded workbook
                payload = normalise_zip(payload)
            elif name == "docProps/core.xml":
                payload = _W3CDTF.sub(r"\g<1>2000-01-01T00:00:00Z\g<3>", payload.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_STORED if name.lower().endswith(_PACKED) else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 0
            dst.writestr(fixed, payload, compresslevel=ZIP_LEVEL)
    return out.getvalue()
