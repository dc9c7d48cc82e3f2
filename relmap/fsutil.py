"""Files in and out: only regular files are read, within a size limit; outputs are written atomically.

A reader never sees a half-written output, and inputs are never overwritten.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import InputError, Problem, UsageError
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


def _kind(mode: int) -> str:
    """A word for a file type that is not a regular file."""
    kinds = ((stat.S_ISDIR, _("a folder")), (stat.S_ISCHR, _("a device")), (stat.S_ISBLK, _("a device")),
             (stat.S_ISFIFO, _("a pipe (FIFO)")), (stat.S_ISSOCK, _("a socket")))
    return next((word for test, word in kinds if test(mode)), _("not a regular file"))


def read_regular(path: str | Path, limit: int, *, name: str | None = None, hint: str = "") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or an :class:`InputError` naming the file.

    Why: ``stat`` then ``read`` trusts the size the file claims. ``/dev/zero``
    (or a symlink to it) has size 0 and never ends; a FIFO blocks forever; a
    file may grow between the check and the read. So: open without blocking
    (``O_NONBLOCK``: a FIFO with no writer does not hang), refuse what
    ``fstat`` says is not a regular file (after symlinks are followed), then
    read at most ``limit + 1`` bytes and refuse when that many came.

    Args:
        path: the file.
        limit: the most bytes accepted.
        name: the file as shown in messages (default: ``path``).
        hint: how to raise the limit, shown when the file is too large.
    """
    shown = name or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError([Problem(shown, 0, 0, _("file not found"),
                                  _("check the path; run 'relmap init FILE' to start a new one"))]) from None
    except IsADirectoryError:
        raise InputError([Problem(shown, 0, 0, _("this is a folder, not a file"))]) from None
    except OSError as exc:
        raise InputError([Problem(shown, 0, 0, _("cannot read the file: {error}").format(
            error=exc.strerror or exc))]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError([Problem(shown, 0, 0, _("cannot read {kind}: only regular files are read").format(
                kind=_kind(info.st_mode)), _("give the path of a file saved on disk"))])
        if info.st_size > limit:
            raise _too_large(shown, info.st_size, limit, hint)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # the file grew while being read
            raise _too_large(shown, size, limit, hint, more=True)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError([Problem(shown, 0, 0, _("cannot read the file: {error}").format(
            error=exc.strerror or exc))]) from None
    finally:
        os.close(fd)


def _too_large(shown: str, size: int, limit: int, hint: str, *, more: bool = False) -> InputError:
    message = (_("file is too large: more than {limit:,} bytes") if more
               else _("file is too large: {size:,} bytes, the limit is {limit:,}"))
    return InputError([Problem(shown, 0, 0, message.format(size=size, limit=limit), hint)])
