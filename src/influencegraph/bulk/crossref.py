"""Crossref works (REST API ``/works`` answers, their ``items``, or JSON Lines) as items.

A work's ``DOI`` and ``title`` are required; ``issued`` (or ``published``) gives the year,
``author`` the people (with ORCID) and their ``affiliation`` names, and ``reference`` the
citations: a reference with a ``DOI`` becomes a citation claim, one without is counted
as unlinked (no identifier to link it by).
"""

from __future__ import annotations

import json
from typing import Any

from .model import Agent, BadRecord, Item, Reference, Work, field_of, identifier, label_of, quoted

NAME = "Crossref"
HOME = "https://www.crossref.org/"
RECORD = "https://api.crossref.org/works/"


def _year(record: dict[str, Any]) -> str | None:
    for key in ("issued", "published", "published-print", "published-online", "created"):
        parts = (
            (record.get(key) or {}).get("date-parts") if isinstance(record.get(key), dict) else None
        )
        if parts and isinstance(parts[0], list) and parts[0] and isinstance(parts[0][0], int):
            return f"{parts[0][0]:04d}"
    return None


def _author(data: Any) -> Agent | None:
    if not isinstance(data, dict):
        raise BadRecord("an author should be a JSON object")
    name = " ".join(str(data[k]) for k in ("given", "family") if data.get(k)) or data.get("name")
    if not name:
        return None
    ids = []
    if (orcid := field_of(data, "ORCID", str)) is not None:
        ids.append(identifier(orcid, "orcid", "author ORCID"))
    affiliations = []
    for place in field_of(data, "affiliation", list) or []:
        if isinstance(place, dict) and place.get("name"):
            affiliations.append(
                Agent(
                    "Organisation",
                    label_of(place["name"], "affiliation"),
                    [],
                    quoted("name", place["name"]),
                )
            )
    return Agent(
        "Person",
        label_of(name, "author"),
        ids,
        quoted("author", {k: data[k] for k in ("given", "family", "name") if k in data}),
        affiliations=affiliations,
    )


def stamp(record: Any) -> tuple[str, str] | None:
    """The record's address and last change, read cheaply, or None."""
    if not isinstance(record, dict):
        return None
    indexed = record.get("indexed")
    if (
        isinstance(record.get("DOI"), str)
        and isinstance(indexed, dict)
        and isinstance(indexed.get("date-time"), str)
    ):
        return RECORD + record["DOI"].strip().lower(), indexed["date-time"]
    return None


def item(record: Any) -> Item:
    """One Crossref work record as an :class:`Item` (or :class:`BadRecord`)."""
    if not isinstance(record, dict):
        raise BadRecord("a record should be a JSON object")
    doi = identifier(field_of(record, "DOI", str, required=True), "doi", "DOI")
    titles = field_of(record, "title", list) or []
    title = next((t for t in titles if isinstance(t, str) and t.strip()), None)
    ids = [doi]
    for isbn in field_of(record, "ISBN", list) or []:
        ids.append(identifier(isbn, "isbn", "ISBN"))
    refs = []
    for ref in field_of(record, "reference", list) or []:
        if isinstance(ref, dict) and isinstance(ref.get("DOI"), str):
            refs.append(
                Reference(
                    [identifier(ref["DOI"], "doi", "reference DOI")],
                    json.dumps(ref, ensure_ascii=False, sort_keys=True),
                )
            )
    authors = [a for a in (_author(x) for x in field_of(record, "author", list) or []) if a]
    work = Work(
        label_of(title, f"work {doi.value}"),
        ids,
        quoted("title", titles),
        _year(record),
        field_of(record, "type", str),
        authors,
        refs,
    )
    indexed = record.get("indexed")
    modified = indexed.get("date-time") if isinstance(indexed, dict) else None
    return Item(RECORD + doi.value, f"Crossref work {doi.value}", modified, work=work)
