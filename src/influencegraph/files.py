"""Writing files so that nothing is lost: the whole new file or the old one, never half.

Every command that writes (``add``, ``import``, ``export``, ``viz``, ``dossier``) goes
through :func:`write_atomically`. Writers of the same file take turns through
:func:`locked` (an ``fcntl`` lock on a hidden ``.NAME.lock`` file beside it, removed when
released), so a read-compare-replace is never interleaved with another one: two
concurrent ``add`` runs both land, one after the other.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InfluenceGraphError

LOCK_WAIT = 60.0
"""Seconds a writer waits for another one to finish with the same file before giving up."""

_held: dict[Path, int] = {}
"""Files this process holds the lock of, with how many nested :func:`locked` hold it."""


@contextlib.contextmanager
def locked(path: str | os.PathLike[str], wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the write lock of ``path`` (re-entrant within this process).

    Waits up to ``wait`` seconds for another process to release it, then raises
    :class:`InfluenceGraphError` naming the file. The lock file is ``.NAME.lock`` in the
    same folder; it is removed on release, and a waiter that locked a removed lock file
    tries again, so two processes never both believe they hold it.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
        >>> with locked(target):
        ...     _ = write_atomically(target, "x")
    """
    target = Path(os.path.realpath(path))
    if target in _held:
        _held[target] += 1
        try:
            yield
        finally:
            _held[target] -= 1
        return
    lock_path = target.parent / f".{target.name}.lock"
    fd = _acquire(lock_path, path, wait)
    _held[target] = 1
    try:
        yield
    finally:
        del _held[target]
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)  # closing releases the lock, after the unlink


def _acquire(lock_path: Path, shown: str | os.PathLike[str], wait: float) -> int:
    """Open and lock ``lock_path``; the descriptor is returned locked."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            if not lock_path.parent.is_dir():
                raise InfluenceGraphError(
                    f"{shown}: the folder {lock_path.parent} does not exist"
                ) from None
            raise InfluenceGraphError(
                f"{shown}: cannot write: cannot lock it ({exc.strerror or exc}); nothing written"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise InfluenceGraphError(
                    f"{shown}: cannot lock it ({exc.strerror}); nothing written"
                ) from None
            if time.monotonic() >= deadline:
                raise InfluenceGraphError(
                    f"{shown} is being changed by another command (it holds {lock_path}); "
                    f"nothing written after waiting {wait:g} s, run the command again"
                ) from None
            time.sleep(0.05)
            continue
        try:  # the holder before us may have removed the file we locked
            if os.fstat(fd).st_ino == os.stat(lock_path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def write_atomically(
    path: str | os.PathLike[str], data: bytes | str | Iterable[str], *, expect: bytes | None = None
) -> Path:
    """Replace ``path`` with ``data``: a temp file in the same folder, fsync, then a rename.

    Text is written as UTF-8; an iterable of text chunks is streamed (``generate`` writes
    millions of triples this way without holding them in memory). A failure at any step
    removes the temp file, leaves the old file as it was and raises
    :class:`InfluenceGraphError` saying why. With ``expect``, the write is refused if the
    file no longer holds those bytes (someone changed it meanwhile); the comparison and the
    rename happen under :func:`locked`. A read-only file is refused, never replaced. A
    symlink is followed, so the link stays a link; an existing file keeps its permissions.
    Returns the path as given.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
        >>> write_atomically(target, "hello\\n").read_text()
        'hello\\n'
    """
    chunks: Iterable[bytes | str] = (data,) if isinstance(data, (bytes, str)) else data
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        raise InfluenceGraphError(f"{path}: the folder {target.parent} does not exist")
    with locked(path):
        _refuse_read_only(target, path)
        _replace(target, path, chunks, expect)
    with contextlib.suppress(OSError):  # make the rename itself durable where possible
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return Path(path)


def _refuse_read_only(target: Path, shown: str | os.PathLike[str]) -> None:
    """A file the user made read-only is protected: replacing it would go around that."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise InfluenceGraphError(
            f"{shown} is read-only; nothing written (make it writable "
            "first, e.g. chmod u+w, if it should change)"
        )


def _replace(
    target: Path, path: str | os.PathLike[str], chunks: Iterable[bytes | str], expect: bytes | None
) -> None:
    """Write ``chunks`` to a temp file beside ``target`` and rename it over ``target``."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(target))
        if expect is not None and target.read_bytes() != expect:
            raise InfluenceGraphError(
                f"{path} changed while the change was prepared; "
                "nothing written, run the command again"
            )
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InfluenceGraphError(
                f"{path}: cannot write: {exc.strerror or exc}; the file is unchanged"
            ) from None
        raise


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
