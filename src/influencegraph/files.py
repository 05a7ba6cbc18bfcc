"""Writing files so that nothing is lost: the whole new file or the old one, never half.

Every command that writes (``add``, ``import``, ``export``, ``viz``, ``dossier``) goes
through :func:`write_atomically`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import InfluenceGraphError


def write_atomically(path: str | os.PathLike[str], data: bytes | str | Iterable[str], *,
                     expect: bytes | None = None) -> Path:
    """Replace ``path`` with ``data``: a temp file in the same folder, fsync, then a rename.

    Text is written as UTF-8; an iterable of text chunks is streamed (``generate`` writes
    millions of triples this way without holding them in memory). A failure at any step
    removes the temp file, leaves the old file as it was and raises
    :class:`InfluenceGraphError` saying why. With ``expect``, the write is refused if the
    file no longer holds those bytes (someone changed it meanwhile). A symlink is followed,
    so the link stays a link; an existing file keeps its permissions. Returns the path as given.

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
            raise InfluenceGraphError(f"{path} changed while the change was prepared; "
                                      "nothing written, run the command again")
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InfluenceGraphError(f"{path}: cannot write: {exc.strerror or exc}; "
                                      "the file is unchanged") from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where possible
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return Path(path)


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
