"""OpenAlex works (API ``/works`` pages and the snapshot's JSON Lines) as items.

A work's ``id`` and ``display_name`` (or ``title``) are required; its DOI, year, type,
authorships (authors with ORCID, institutions with ROR) and ``referenced_works`` are used
when present.
"""

from __future__ import annotations

from typing import Any

from .model import (
    Agent,
    BadRecord,
    Item,
    Reference,
    Work,
    field_of,
    identifier,
    label_of,
    quoted,
    year_of,
)

NAME = "OpenAlex"
HOME = "https://openalex.org/"
RECORD = "https://api.openalex.org/works/"


def _institution(data: Any) -> Agent:
    if not isinstance(data, dict):
        raise BadRecord("an institution should be a JSON object")
    ids = [identifier(field_of(data, "id", str, required=True), "openalex", "institution id")]
    if (ror := field_of(data, "ror", str)) is not None:
        ids.insert(0, identifier(ror, "ror", "institution ror"))
    name = field_of(data, "display_name", str)
    kind = "Government body" if data.get("type") == "government" else "Organisation"
    return Agent(
        kind, label_of(name, f"institution {ids[-1].value}"), ids, quoted("display_name", name)
    )


def _author(authorship: Any) -> Agent:
    if not isinstance(authorship, dict):
        raise BadRecord("an authorship should be a JSON object")
    data = field_of(authorship, "author", dict, required=True)
    ids = [identifier(field_of(data, "id", str, required=True), "openalex", "author id")]
    if (orcid := field_of(data, "orcid", str)) is not None:
        ids.insert(0, identifier(orcid, "orcid", "author orcid"))
    name = field_of(data, "display_name", str)
    institutions = field_of(authorship, "institutions", list) or []
    return Agent(
        "Person",
        label_of(name, f"author {ids[-1].value}"),
        ids,
        quoted("display_name", name),
        affiliations=[_institution(i) for i in institutions],
    )


def stamp(record: Any) -> tuple[str, str] | None:
    """The record's address and last change, read cheaply (to skip an unchanged record
    before checking it all), or None."""
    if (
        isinstance(record, dict)
        and isinstance(record.get("id"), str)
        and isinstance(record.get("updated_date"), str)
    ):
        return RECORD + record["id"].rsplit("/", 1)[-1].upper(), record["updated_date"]
    return None


def item(record: Any) -> Item:
    """One OpenAlex work record as an :class:`Item` (or :class:`BadRecord`)."""
    if not isinstance(record, dict):
        raise BadRecord("a record should be a JSON object")
    work_id = identifier(field_of(record, "id", str, required=True), "openalex", "id")
    if work_id.value[0] != "W":
        raise BadRecord(
            f"{work_id.value} is not an OpenAlex work (W...): use the works endpoint or snapshot"
        )
    title = field_of(record, "display_name", str) or field_of(record, "title", str)
    ids = [work_id]
    if (doi := field_of(record, "doi", str)) is not None:
        ids.append(identifier(doi, "doi", "doi"))
    refs = [
        Reference([identifier(r, "openalex", "referenced_works")], quoted("referenced_works", r))
        for r in field_of(record, "referenced_works", list) or []
    ]
    authors = [_author(a) for a in field_of(record, "authorships", list) or []]
    work = Work(
        label_of(title, f"work {work_id.value}"),
        ids,
        quoted("display_name", title),
        year_of(record.get("publication_year") or record.get("publication_date")),
        field_of(record, "type", str),
        authors,
        refs,
    )
    return Item(
        RECORD + work_id.value,
        f"OpenAlex work {work_id.value}",
        field_of(record, "updated_date", str),
        work=work,
    )
