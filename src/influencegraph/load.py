"""Bulk-loading RDF files into an on-disk Oxigraph store (``influencegraph load``).

Oxigraph's own parsers and bulk loader do the work (never rdflib: ten times slower on
big files). The project's vocabulary goes in first, so influence kinds and strengths are
queryable in the store like in the bundled graph.

Big files are cut into pieces that load on two threads at once (about twice as fast on
two cores, and with less memory): N-Triples and N-Quads at line ends, Turtle after a line
that ends a statement, each piece carrying the ``@prefix``/``@base`` directives in force
where it starts. A file is only cut where that cannot change what it says: from the first
blank-node label (labels only hold within one load), long string or directive sharing a
line with a statement, the rest of the file loads as one piece. TriG files and files
smaller than a piece load whole (a syntax error in a small file leaves nothing of it in
the store). After a syntax error in a piece, other pieces may stay loaded; loading is
idempotent (a triple already in the store is not added twice), so fix the line and load
the file again.

After loading, the store is compacted (Oxigraph's ``optimize``): it costs a second or two
per million triples and makes whole-graph queries about 1.5 times faster afterwards.

Kept as one module: cutting a file into pieces and loading the pieces share the rules of
where a cut is safe (statement ends, directives in force, blank-node labels), which are read
and changed together.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import DataFileError, LoadInterrupted, SourceError, first_line
from .graph import PathLike, ontology_path, open_oxigraph, oxigraph_format, syntax_error
from .output import plural

SLICE_BYTES: dict[str, int] = {
    "N-Triples": 32 * 1024 * 1024,
    "N-Quads": 32 * 1024 * 1024,
    "Turtle": 10 * 1024 * 1024,
}
"""Size of the slices big files are cut into for parallel loading, by format (Turtle says
about three times as much per byte). Smaller slices keep the loader's memory down."""
SCAN_BYTES = 8 * 1024 * 1024
"""How much of a file the slicer reads at a time."""

Progress = Callable[[int], None]
"""Called with the number of bytes read so far (from every file)."""


@dataclass
class LoadSummary:
    """What :func:`load_files` did. ``as_dict`` gives the stable JSON shape."""

    store: str
    files: list[str] = field(default_factory=list)
    bytes: int = 0
    triples_before: int = 0
    triples: int = 0
    seconds: float = 0.0
    optimize_seconds: float = 0.0

    @property
    def added(self) -> int:
        return self.triples - self.triples_before

    def as_dict(self) -> dict[str, object]:
        """Stable keys: store, files, bytes, triples_before, triples, added, seconds
        (all of it), optimize_seconds (the compaction at the end, part of seconds)."""
        return {
            "store": self.store,
            "files": self.files,
            "bytes": self.bytes,
            "triples_before": self.triples_before,
            "triples": self.triples,
            "added": self.added,
            "seconds": round(self.seconds, 3),
            "optimize_seconds": round(self.optimize_seconds, 3),
        }


def load_format(path: PathLike) -> str:
    """The format ``load`` reads ``path`` as, by suffix (``Turtle``, ``N-Triples``,
    ``N-Quads``, ``TriG``): the same files ``--data`` reads (:data:`FORMAT_BY_SUFFIX`;
    RDF/XML and JSON-LD are refused, as both can fetch remote resources), or a
    :class:`DataFileError`."""
    return oxigraph_format(path).name


def _check_file(path: PathLike) -> int:
    """The file's size; a clear error when it is missing, a directory or unreadable."""
    where = Path(path)
    load_format(where)
    if where.is_dir():
        raise DataFileError(str(path), "is a directory, not an RDF file")
    try:
        with where.open("rb"):
            return where.stat().st_size
    except FileNotFoundError:
        raise DataFileError(str(path), "no such file") from None
    except OSError as exc:
        raise DataFileError(str(path), exc.strerror or str(exc)) from None


@dataclass(frozen=True)
class Piece:
    """A byte range of a file that loads on its own: ``header`` holds the Turtle
    directives (``@prefix``, ``@base``) in force where the piece starts, with their byte
    offsets in the file, so errors in them can be reported at their true line."""

    start: int
    end: int
    header: tuple[tuple[int, bytes], ...] = ()


class _Reader:
    """A piece of a file (its header first) as a binary stream; reports the file bytes read."""

    def __init__(self, path: Path, piece: Piece, report: Callable[[int], None]) -> None:
        self._file: IO[bytes] = path.open("rb")
        self._file.seek(piece.start)
        self._head = b"".join(line for _, line in piece.header)
        self._left = piece.end - piece.start
        self._report = report

    def read(self, size: int | None = -1) -> bytes:
        if self._head:
            data, self._head = self._head, b""
            return data
        if size is None or size < 0 or size > self._left:
            size = self._left
        data = self._file.read(size)
        self._left -= len(data)
        self._report(len(data))
        return data

    def read_all(self) -> bytes:
        """The header and the whole byte range at once."""
        head, self._head = self._head, b""
        return head + self.read()

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._file.close()


# Turtle cut only where it is safe to: no long strings (so every line starts outside any
# token), no blank-node labels (they only hold within one load), and directives only as
# whole lines of their own (so each piece can be given those in force where it starts).
_UNSAFE_TURTLE = (b"_:", b'"""', b"'''")
_DIRECTIVE = re.compile(
    rb"[ \t]*(?:@prefix[ \t]+[^\s:]*:[ \t]*<[^<>\s]*>[ \t]*\."
    rb"|@base[ \t]*<[^<>\s]*>[ \t]*\."
    rb"|(?i:prefix)[ \t]+[^\s:]*:[ \t]*<[^<>\s]*>"
    rb"|(?i:base)[ \t]*<[^<>\s]*>)[ \t]*(?:#[^\n]*)?\r?"
)
_DIRECTIVE_LIKE = re.compile(rb"(?i)(?:^|\.)[ \t]*@?(?:prefix|base)\b")
_LINE_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"' rb"|'(?:[^'\\]|\\.)*'" rb'|<[^<>]*>|#.*|[^"\'<#]+')


def _ends_statement(line: bytes) -> bool:
    """True when a Turtle line (outside any long string) ends a statement: its last
    character outside strings, IRIs and comments is a full stop. In valid Turtle such a
    full stop can only end a statement (a name cannot end with one, nor can a number)."""
    if b"." not in line:
        return False
    last = b""
    for token in _LINE_TOKENS.finditer(line):
        text = token.group()
        if text.startswith(b"#"):
            break
        if text.strip():
            last = text
    return last[:1] not in (b'"', b"'", b"<") and last.rstrip().endswith(b".")


def _directives(block: bytes, offset: int) -> list[tuple[int, bytes]] | None:
    """The directive lines in ``block`` (whole lines, starting at file offset ``offset``)
    with their offsets; None when something looks like a directive but is not a line of
    its own, so the file must load whole."""
    lowered = block.lower()
    found: dict[int, bytes] = {}
    for word in (b"prefix", b"base"):
        at = lowered.find(word)
        while at >= 0:
            begin = block.rfind(b"\n", 0, at) + 1
            finish = block.find(b"\n", at)
            line = block[begin : finish if finish >= 0 else len(block)]
            if _DIRECTIVE.fullmatch(line):
                found[begin] = line.rstrip(b"\r") + b"\n"
            elif _DIRECTIVE_LIKE.search(line):
                return None
            at = lowered.find(word, at + 1)
    return [(offset + begin, found[begin]) for begin in sorted(found)]


def pieces(path: Path, fmt: str, size: int) -> Iterator[Piece]:
    """Cut a file into pieces of about :data:`SLICE_BYTES` that load independently, in
    order, as the file is read (so loading can start before the file is scanned to its
    end). N-Triples and N-Quads are cut at any line end, Turtle after a line that ends a
    statement. Where a file stops being safe to cut (blank-node labels; in Turtle also long
    strings and directives sharing a line), the rest loads as one piece. Other formats,
    and files smaller than a slice, are one piece."""
    step = SLICE_BYTES.get(fmt)
    if step is None or size <= step:
        yield Piece(0, size)
        return
    turtle = fmt == "Turtle"
    unsafe = _UNSAFE_TURTLE if turtle else (b"_:",)
    header: list[tuple[int, bytes]] = []
    seen: list[tuple[int, bytes]] = []
    piece_start, offset, carry = 0, 0, b""
    with path.open("rb") as handle:
        while True:
            data = handle.read(SCAN_BYTES)
            block = carry + data
            if data:  # keep whole lines; the partial last one goes with the next block
                keep = block.rfind(b"\n") + 1
                block, carry = block[:keep], block[keep:]
            else:
                carry = b""
            if any(marker in block for marker in unsafe):
                break
            if turtle:
                found = _directives(block, offset)
                if found is None:
                    break
                seen += found
            cut_from = piece_start + step - offset
            while 0 <= cut_from < len(block) or (cut_from < 0 and block):
                cut = _cut_after(block, max(cut_from, 0), turtle)
                if cut is None:
                    break
                yield Piece(piece_start, offset + cut, tuple(header))
                piece_start = offset + cut
                header = [d for d in seen if d[0] < piece_start]
                cut_from = piece_start + step - offset
            offset += len(block)
            if not data:
                break
    if piece_start < size:
        yield Piece(piece_start, size, tuple(header))


def _cut_after(block: bytes, start: int, turtle: bool) -> int | None:
    """Offset just after the first line end at or after ``start`` where a piece may end
    (for Turtle: a line that ends a statement); None if the block has none."""
    at = start
    while True:
        newline = block.find(b"\n", at)
        if newline < 0:
            return None
        if not turtle:
            return newline + 1
        begin = block.rfind(b"\n", 0, newline) + 1
        if _ends_statement(block[begin:newline]):
            return newline + 1
        at = newline + 1


def _line_at(path: Path, offset: int) -> int:
    """How many lines of ``path`` end before byte ``offset``: to report an error in a piece
    at its line in the file."""
    count = 0
    with path.open("rb") as handle:
        while offset > 0:
            block = handle.read(min(SCAN_BYTES, offset))
            if not block:
                break
            count += block.count(b"\n")
            offset -= len(block)
    return count


def _file_line(path: Path, piece: Piece, line: int) -> int:
    """The line in the file of ``line`` (1-based) of a piece as the parser saw it."""
    if line <= len(piece.header):
        return _line_at(path, piece.header[line - 1][0]) + 1
    return _line_at(path, piece.start) + line - len(piece.header)


def _load_one(
    store: Any, path: Path, fmt: str, size: int, report: Callable[[int], None], workers: int
) -> None:
    """Load one file into ``store``, in parallel pieces where that is safe."""
    rdf_format = oxigraph_format(path)
    base = path.resolve().as_uri()

    def run(piece: Piece, whole: bool = False) -> None:
        reader = _Reader(path, piece, report)
        try:
            if whole:  # Oxigraph reads a stream in small chunks, each taking the GIL
                store.bulk_load(input=reader, format=rdf_format, base_iri=base)
            else:  # a piece is read at once, so that the loading threads never wait
                store.bulk_load(input=reader.read_all(), format=rdf_format, base_iri=base)
        except SyntaxError as exc:
            error = syntax_error(path, fmt, exc)
            if error.line is not None and (piece.start or piece.header):
                error = DataFileError(error.path, error.reason, _file_line(path, piece, error.line))
            raise error from None
        except (OSError, ValueError) as exc:
            text = first_line(exc)
            raise DataFileError(str(path), text) from None
        finally:
            reader.close()

    planned = pieces(path, fmt, size) if workers > 1 else iter([Piece(0, size)])
    first = next(planned)
    if first.end >= size:
        run(first, whole=True)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run, first)]
        try:
            for piece in planned:
                if any(f.done() and f.exception() is not None for f in futures):
                    break
                futures.append(pool.submit(run, piece))
            wait(futures, return_when=FIRST_EXCEPTION)
        except KeyboardInterrupt:  # Ctrl-C: drop the queued pieces, finish the running ones
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        failed = [f for f in futures if f.done() and f.exception() is not None]
        if failed:
            for future in futures:
                future.cancel()
            error = failed[0].exception()
            assert isinstance(error, DataFileError)
            raise DataFileError(
                error.path,
                error.reason + " (other parts of this file were "
                "loaded; fix it and load it again: triples already in the "
                "store are not added twice)",
                error.line,
            )
        for future in futures:
            future.result()


def load_files(
    store_dir: PathLike,
    files: Iterable[PathLike],
    *,
    progress: Progress | None = None,
    with_ontology: bool = True,
    workers: int | None = None,
    optimize: bool = True,
) -> LoadSummary:
    """Bulk-load Turtle, N-Triples, N-Quads or TriG files into the store at ``store_dir``
    (created if missing), with the project's vocabulary.

    Every file is checked (exists, known suffix) before the store is touched. A syntax
    error raises :class:`DataFileError` as ``file:line: malformed FORMAT: reason``;
    files before it stay loaded. ``progress`` is called with the bytes read so far.
    ``optimize`` compacts the store at the end (faster queries afterwards).

    Example:
        >>> import tempfile
        >>> from influencegraph.graph import default_data_paths
        >>> summary = load_files(tempfile.mkdtemp() + "/store", default_data_paths())
        >>> summary.triples > 800
        True
    """
    started = time.perf_counter()
    paths = [Path(p) for p in files]
    sizes = [_check_file(p) for p in paths]
    formats = [load_format(p) for p in paths]
    if with_ontology:
        paths.insert(0, ontology_path())
        sizes.insert(0, ontology_path().stat().st_size)
        formats.insert(0, "Turtle")
    _make_store_dir(Path(store_dir))
    store = open_oxigraph(store_dir, read_only=False)
    summary = LoadSummary(
        str(store_dir),
        [str(p) for p in paths[1 if with_ontology else 0 :]],
        sum(sizes),
        triples_before=len(store),
    )
    loaded: list[str] = []
    lock = threading.Lock()
    read = 0

    def report(count: int) -> None:
        nonlocal read
        with lock:  # reports come from several threads; keep them in order
            read += count
            if progress is not None:
                progress(read)

    jobs = workers if workers is not None else min(2, os.cpu_count() or 1)
    try:
        for path, fmt, size in zip(paths, formats, sizes, strict=True):
            _load_one(store, path, fmt, size, report, jobs)
            loaded.append(str(path))
        if optimize:
            compacting = time.perf_counter()
            store.optimize()
            summary.optimize_seconds = time.perf_counter() - compacting
        summary.triples = len(store)
    except KeyboardInterrupt:
        raise LoadInterrupted(
            _interrupted(store_dir, paths, loaded, len(store), summary.triples_before)
        ) from None
    finally:
        store.flush()
        del store
    summary.seconds = time.perf_counter() - started
    return summary


def _make_store_dir(where: Path) -> None:
    """Create the store's folder, or say in one line why it cannot be."""
    if where.exists() and not where.is_dir():
        raise SourceError(
            f"{where} is a file, not a store directory; give a new folder name to --store"
        )
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SourceError(
            f"cannot create the store folder {where}: {exc.strerror or exc}"
        ) from None


def _interrupted(
    store_dir: PathLike, paths: list[Path], loaded: list[str], triples: int, before: int
) -> str:
    """What a Ctrl-C left: which files are in the store in full, and how to finish."""
    whole = len(loaded) == len(paths)
    state = (
        "every file was loaded (the store is complete, not compacted)"
        if whole
        else f"{paths[len(loaded)]} was loaded in part"
        + (f", after {plural(len(loaded), 'file')} in full" if loaded else "")
    )
    return (
        f"interrupted: {state}; the store at {store_dir} holds {triples} triples "
        f"({triples - before} added); loading again adds only what is missing, so run "
        "the same command to finish"
    )
