"""Atomic file writes: a reader never sees a half-written output, and inputs are never overwritten."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import UsageError
from .i18n import _


def write_atomic(path: str | Path, data: bytes | str, *, protect: tuple[Path, ...] = ()) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Args:
        path: destination.
        data: bytes, or text (written as UTF-8 with ``\\n`` line ends).
        protect: input files that must never be overwritten (raises UsageError).
    """
    target = Path(path)
    for guarded in protect:
        try:
            if target.exists() and target.resolve() == Path(guarded).resolve():
                raise UsageError(_("refusing to overwrite the input file {path}").format(path=guarded))
        except OSError:
            continue
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
