"""Reading record files: JSON or JSON Lines, gzipped or not, one record at a time.

A JSON Lines file (the OpenAlex snapshot, a ``jq -c`` dump) is streamed line by line. A
whole JSON document (an API page such as OpenAlex's ``{"results": [...]}``, ROR's
``{"items": [...]}``, Crossref's ``{"message": {"items": [...]}}`` or one record, or a
JSON array as in the ROR data dump) is read at once; each record still gets the line it
starts on, so every problem is reported as ``FILE:LINE: reason``.

JSON Lines are read a megabyte at a time and split into lines here: a re-import that skips
a million unchanged records spends most of its time reading them.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import DataFileError

ENVELOPES = (("results",), ("items",), ("message", "items"))
"""Where API pages keep their records (OpenAlex, ROR, Crossref)."""
SINGLE = ("message",)
"""Where an API answer about one record keeps it (Crossref)."""


@dataclass(frozen=True)
class Record:
    """One record as read: where it starts and its parsed JSON (or why it is unreadable)."""

    path: str
    line: int
    data: Any = None
    error: str | None = None

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _open(path: Path) -> BinaryIO | gzip.GzipFile:
    """The file's bytes, gunzipped if it starts with gzip's magic bytes."""
    try:
        with path.open("rb") as probe:
            gzipped = probe.read(2) == b"\x1f\x8b"
        if gzipped:
            return gzip.open(path, "rb")
        return path.open("rb")
    except OSError as exc:
        raise DataFileError(str(path), exc.strerror or str(exc)) from None


def read_records(path: str | Path) -> Iterator[Record]:
    """Every record of ``path`` in order; an unreadable one comes with its ``error``.

    A JSON Lines file keeps going after a bad line (the caller decides); a whole JSON
    document that does not parse, or a file that cannot be read or decompressed, raises
    :class:`DataFileError` with the line.
    """
    where = Path(path)
    handle = _open(where)
    number = 0
    try:
        with handle:
            first = b""
            for line in handle:
                number += 1
                if line.strip():
                    first = line
                    break
            if not first:
                raise DataFileError(str(path), "the file holds no records")
            start = number
            head = _loads(first)
            if isinstance(head, dict) and _records_in(head) is None:
                yield Record(str(path), start, head)
                for line in _lines(handle):
                    number += 1
                    if line.strip():
                        yield _line_record(str(path), number, line)
                return
            data = first + handle.read()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                number = start - 1 + data.count(b"\n", 0, exc.start)
                raise
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataFileError(
            str(path), f"the gzip stream is damaged or ends early ({exc})", number + 1
        ) from None
    except UnicodeDecodeError as exc:
        raise DataFileError(str(path), f"not UTF-8 text ({exc.reason})", number + 1) from None
    yield from _document_records(str(path), text, start)


def estimate_records(path: str | Path) -> int | None:
    """About how many records ``path`` holds, one a line: its size over its first line's
    (a gzip file's size read from its trailer). None where that can't be told; only a
    guide for choosing how to look things up, never for what is imported."""
    where = Path(path)
    try:
        size = where.stat().st_size
        with where.open("rb") as raw:
            if raw.read(2) == b"\x1f\x8b":
                raw.seek(-4, 2)
                whole = int.from_bytes(raw.read(4), "little")
                if whole < size // 2:  # it wrapped round past 4 GiB (or holds nothing)
                    return None
                size = whole
        with _open(where) as handle:
            first = handle.readline(1 << 20)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile, DataFileError):
        return None
    return size // len(first) if first.strip() else None


CHUNK = 1 << 20
"""Bytes read at a time: splitting a megabyte into lines is cheaper than one readline a
line through gzip's file object (about half the reading time of a re-import)."""


def _lines(handle: BinaryIO | gzip.GzipFile) -> Iterator[bytes]:
    """The rest of ``handle`` line by line (without the line ends), read a chunk at a time."""
    rest = b""
    while chunk := handle.read(CHUNK):
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        yield from lines
    if rest:
        yield rest


_NOT_JSON = object()


def _loads(line: bytes) -> Any:
    try:
        return _parse(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _NOT_JSON


def _parse(line: bytes) -> Any:
    return json.loads(line.decode("utf-8"))


def _line_record(path: str, number: int, raw: bytes) -> Record:
    try:
        return Record(path, number, _parse(raw))
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text ({exc.reason})", number) from None
    except json.JSONDecodeError as exc:
        line = raw.decode("utf-8")
        error = _error(line + "\n") or exc  # as the file has it: a cut line ends mid-string
        cut = " (the line is cut short)" if error.pos >= len(line.rstrip()) else ""
        return Record(
            path, number, error=f"not valid JSON{cut}: {error.msg} at column {error.colno}"
        )


def _error(text: str) -> json.JSONDecodeError | None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc
    return None


def _records_in(document: dict[str, Any]) -> tuple[str, list[Any]] | None:
    """(key, list of records) of an API page, or None for a single record."""
    for keys in ENVELOPES:
        found = _dig(document, *keys)
        if isinstance(found, list):
            return keys[-1], found
    return None


def _document_records(path: str, text: str, first_line: int) -> Iterator[Record]:
    """The records of one whole JSON document, each with the line it starts on."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            path, f"not valid JSON: {exc.msg} at column {exc.colno}", first_line - 1 + exc.lineno
        ) from None
    if isinstance(document, list):
        records, key = document, None
    elif isinstance(document, dict) and (found := _records_in(document)) is not None:
        key, records = found
    elif isinstance(document, dict):
        single = _dig(document, *SINGLE)
        yield Record(
            path,
            first_line,
            single if isinstance(single, dict) and "message-type" in document else document,
        )
        return
    else:
        raise DataFileError(path, "not a JSON object or array of records", first_line)
    lines = _starts(text, key, len(records))
    for i, record in enumerate(records):
        yield Record(path, first_line - 1 + lines[i] if i < len(lines) else first_line, record)


def _dig(document: Any, *keys: str) -> Any:
    for key in keys:
        document = document.get(key) if isinstance(document, dict) else None
    return document


def _starts(text: str, key: str | None, count: int) -> list[int]:
    """The line each element of the records array starts on (1-based within ``text``)."""
    pattern = r"\s*\[" if key is None else r'"' + re.escape(key) + r'"\s*:\s*\['
    match = re.match(pattern, text) if key is None else re.search(pattern, text)
    if match is None:
        return []
    decoder = json.JSONDecoder()
    position, counted, line, lines = match.end(), 0, 1, []
    for _ in range(count):
        while text[position] in " \t\r\n,":
            position += 1
        line += text.count("\n", counted, position)
        counted = position
        lines.append(line)
        _, position = decoder.raw_decode(text, position)
    return lines
