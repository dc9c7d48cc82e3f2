"""Files in and out: only regular files are read, within a size limit; outputs are written atomically.

A reader never sees a half-written output, and inputs are never overwritten.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import InputError, OutputError, Problem, UsageError
from .i18n import _


def output_mode() -> int:
    """The mode of a new output file: ``0o666 & ~umask``, as ``open()`` or ``touch`` would give it.

    Why: outputs hold salary costs; under ``umask 077`` they must be 0600,
    and under the usual 022 they are 0644. Read from ``/proc/self/status``
    on Linux (no change to the process), else by setting and restoring it.
    """
    with contextlib.suppress(OSError, ValueError, StopIteration):
        with open("/proc/self/status", encoding="ascii") as fh:
            line = next(line for line in fh if line.startswith("Umask:"))
        return 0o666 & ~int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def output_error(path: str | Path, exc: OSError) -> OutputError:
    """``cannot write PATH: cause`` (disk full, read-only, not a folder…)."""
    return OutputError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc))


def make_folder(path: str | Path) -> Path:
    """Create ``path`` and its parents (an :class:`OutputError` naming it when that fails)."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise OutputError(_("cannot write {path}: {reason}").format(
            path=folder, reason=_("a file of that name is in the way"))) from exc
    except OSError as exc:
        raise output_error(folder, exc) from exc
    return folder


def write_atomic(path: str | Path, data: bytes | str, *, protect: tuple[Path, ...] = (),
                 shown: str | Path | None = None) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    The file gets :func:`output_mode` (the umask decides, whatever the mode
    of the file it replaces).

    Args:
        path: destination.
        data: bytes, or text (written as UTF-8 with ``\\n`` line ends).
        protect: input files that must never be overwritten (raises UsageError).
        shown: the path named in an error message (default: ``path``).

    Raises:
        UsageError: ``path`` is one of ``protect``.
        OutputError: the file could not be written (the message names it and says why).
    """
    target = Path(path)
    check_not_input(target, protect)
    make_folder(target.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, output_mode())
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise output_error(shown or target, exc) from exc
    except BaseException:
        _remove(tmp)
        raise
    return target


def _remove(tmp: str) -> None:
    if tmp:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def check_not_input(target: Path, protect: tuple[Path, ...]) -> None:
    """Raise :class:`UsageError` when writing ``target`` would overwrite one of the inputs ``protect``."""
    for guarded in protect:
        try:
            if target.exists() and target.resolve() == Path(guarded).resolve():
                raise UsageError(_("refusing to overwrite the input file {path}").format(path=guarded))
        except OSError:
            continue

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


#: the lock file of an output folder (one ``relmap`` run at a time writes into a folder)
LOCK_NAME = ".relmap.lock"


class OutputSet:
    """A set of files that replaces the previous set in a folder whole, or not at all; one writer at a time.

    Why: two runs into one folder mixed their files, and an interrupted run
    left new and old files side by side. So: a lock file in the
    folder (``fcntl.flock``: released by the system when the process dies,
    never stale) refuses a second concurrent run; files are written into a
    hidden staging folder inside it, and :meth:`commit` moves them over the
    old ones (each ``os.replace`` is atomic, same file system) only once every
    file is written. On an error, the staging folder is removed and the old
    set stays as it was.

    Use::

        with OutputSet(folder, protect=(source,), names=[...]) as out:
            out.put("a.json", text)
            out.commit(remove=["stale.svg"])
    """

    def __init__(self, folder: str | Path, *, protect: tuple[Path, ...] = (), names: tuple[str, ...] = ()) -> None:
        self.folder = Path(folder)
        self.protect = protect
        for name in names:  # before anything is written: would a file of the set overwrite the input?
            check_not_input(self.folder / name, protect)
        self.staged: list[str] = []
        self._lock: int | None = None
        self._staging: Path | None = None

    def __enter__(self) -> OutputSet:
        make_folder(self.folder)
        self._lock = _lock(self.folder)
        try:
            self._staging = Path(tempfile.mkdtemp(prefix=".relmap-staging-", dir=self.folder))
        except OSError as exc:
            self._unlock()
            raise output_error(self.folder, exc) from exc
        return self

    def put(self, name: str, data: str | bytes) -> Path:
        """Stage one file; it replaces ``folder/name`` at :meth:`commit`."""
        check_not_input(self.folder / name, self.protect)
        assert self._staging is not None, "OutputSet.put outside its with block"
        write_atomic(self._staging / name, data, shown=self.folder / name)
        self.staged.append(name)
        return self.folder / name

    def commit(self, remove: tuple[str, ...] = ()) -> None:
        """Move every staged file into the folder; delete ``remove`` (stale files of the old set)."""
        assert self._staging is not None
        for name in self.staged:
            try:
                os.replace(self._staging / name, self.folder / name)
            except OSError as exc:
                raise output_error(self.folder / name, exc) from exc
        for name in remove:
            target = self.folder / name
            if target.is_file() and not any(target.resolve() == Path(p).resolve() for p in self.protect):
                with contextlib.suppress(OSError):
                    target.unlink()
        self.staged = []

    def __exit__(self, *exc: object) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
        self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock)  # closing the descriptor releases the lock
            self._lock = None


def _lock(folder: Path) -> int | None:
    """Hold ``folder/.relmap.lock`` exclusively, or raise :class:`OutputError`; ``None`` without ``fcntl``."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks here
        return None
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, output_mode())
    except OSError as exc:
        raise output_error(path, exc) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise OutputError(_("another relmap run is writing into {folder} (it holds {lock}); wait for it to end, "
                            "or choose another folder").format(folder=folder, lock=LOCK_NAME)) from None
    return fd
