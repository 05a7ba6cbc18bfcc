"""ROR organisation records (schema v2, and v1's ``name``) as items.

An organisation's ``id`` and its name are required; its Wikidata id (``external_ids``)
and ``relationships`` of type ``parent`` (``org:subOrganizationOf``) are used. A parent
that is not in the graph or the file is left out.
"""

from __future__ import annotations

from typing import Any

from .model import Agent, BadRecord, Item, field_of, identifier, label_of, quoted

NAME = "ROR"
HOME = "https://ror.org/"
RECORD = "https://api.ror.org/v2/organizations/"


def _name(record: dict[str, Any]) -> str | None:
    for entry in field_of(record, "names", list) or []:
        if isinstance(entry, dict) and "ror_display" in (entry.get("types") or []):
            return entry.get("value")
    name: str | None = field_of(record, "name", str)
    return name


def stamp(record: Any) -> tuple[str, str] | None:
    """The record's address and last change, read cheaply, or None."""
    if not isinstance(record, dict):
        return None
    admin = record.get("admin")
    modified = (admin.get("last_modified") or {}).get("date") if isinstance(admin, dict) else None
    if isinstance(record.get("id"), str) and isinstance(modified, str):
        return RECORD + record["id"].rsplit("/", 1)[-1].lower(), modified
    return None


def item(record: Any) -> Item:
    """One ROR record as an :class:`Item` (or :class:`BadRecord`)."""
    if not isinstance(record, dict):
        raise BadRecord("a record should be a JSON object")
    ror = identifier(field_of(record, "id", str, required=True), "ror", "id")
    name = _name(record)
    ids = [ror]
    for external in field_of(record, "external_ids", list) or []:
        if isinstance(external, dict) and external.get("type") == "wikidata":
            ids += [
                identifier(q, "wikidata", "wikidata id") for q in (external.get("all") or [])[:1]
            ]
    parents = [
        identifier(r.get("id"), "ror", "relationship id")
        for r in field_of(record, "relationships", list) or []
        if isinstance(r, dict) and str(r.get("type", "")).lower() == "parent"
    ]
    types = field_of(record, "types", list) or []
    kind = "Government body" if "government" in [str(t).lower() for t in types] else "Organisation"
    admin = record.get("admin")
    modified = (admin.get("last_modified") or {}).get("date") if isinstance(admin, dict) else None
    agent = Agent(
        kind,
        label_of(name, f"organisation {ror.value}"),
        ids,
        quoted("value", name),
        parents=parents,
    )
    return Item(RECORD + ror.value, f"ROR record {ror.value}", modified, agents=[agent])
