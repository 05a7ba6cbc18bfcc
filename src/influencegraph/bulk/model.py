"""What a bulk record says, whichever service it comes from: works, agents, references.

Each source module (:mod:`.openalex`, :mod:`.crossref`, :mod:`.ror`) turns one JSON record
into an :class:`Item`, raising :class:`BadRecord` with a one-line reason for a record of
the wrong shape or with a bad identifier; :mod:`.build` turns items into triples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..identifiers import BadIdentifier, Identifier, parse


class BadRecord(ValueError):
    """A record that cannot be imported; the message says why (one line)."""


@dataclass
class Agent:
    """A person or organisation a record names: type, label and identifiers (the first
    is the one its IRI is made from), its evidence, and for organisations the parents
    (``org:subOrganizationOf``), for people their affiliations."""

    type: str
    label: str
    ids: list[Identifier]
    evidence: str
    parents: list[Identifier] = field(default_factory=list)
    affiliations: list[Agent] = field(default_factory=list)


@dataclass
class Reference:
    """A reference from a work: the cited work's identifiers and the reference record."""

    ids: list[Identifier]
    evidence: str


@dataclass
class Work:
    """A work a record describes."""

    label: str
    ids: list[Identifier]
    evidence: str
    year: str | None
    kind: str | None
    """The service's own type (``article``, ``book-chapter``), kept as dcterms:type."""
    authors: list[Agent] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


@dataclass
class Item:
    """One record: its own address (the source document), when it last changed, and what it
    describes (a work with its authors, or organisations)."""

    record: str
    title: str
    modified: str | None
    work: Work | None = None
    agents: list[Agent] = field(default_factory=list)


# ---------------------------------------------------------------- helpers for the readers


def field_of(
    record: dict[str, Any], key: str, kind: type | tuple[type, ...], required: bool = False
) -> Any:
    """``record[key]`` if it has the expected JSON type; None if absent or null (or
    :class:`BadRecord` when required); :class:`BadRecord` for a wrong type."""
    value = record.get(key)
    if value is None:
        if required:
            raise BadRecord(f"no {key!r} field (is this the right --from?)")
        return None
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise BadRecord(
            f"{key!r} should be a JSON {_JSON_NAMES.get(names, names)}, not {type(value).__name__}"
        )
    return value


_JSON_NAMES = {"str": "string", "list": "array", "dict": "object", "int": "number"}


def identifier(text: Any, scheme: str, what: str) -> Identifier:
    """The identifier of ``scheme`` in a record's field, or :class:`BadRecord` saying why."""
    if not isinstance(text, str):
        raise BadRecord(f"{what} should be a string, not {type(text).__name__}")
    try:
        return parse(text, scheme)
    except BadIdentifier as exc:
        raise BadRecord(f"{what}: {exc}") from None


def quoted(key: str, value: Any) -> str:
    """The record's own words for a field, as evidence: ``"key": value`` in JSON."""
    return f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"


def label_of(text: Any, what: str) -> str:
    """A label: the text with white space folded; :class:`BadRecord` if empty."""
    label = " ".join(str(text or "").split())
    if not label:
        raise BadRecord(f"{what} has no name")
    return label


def year_of(value: Any) -> str | None:
    """A four-digit year from an int or a date string, or None."""
    text = str(value) if value is not None else ""
    return text[:4] if len(text) >= 4 and text[:4].isdigit() and text[:4] != "0000" else None
