"""Dates as the graph writes them (xsd:gYear, xsd:gYearMonth, xsd:date): their precision
and their order. Small and free of I/O, so analysis, rendering, validation and editing
share one reading of a date.

Example:
    >>> date_parts("2018-03")
    (2018, 3)
    >>> runs_backwards("2019", "2018-06")
    True
    >>> date_literal("2018-03").datatype.endswith("gYearMonth")
    True
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Literal

_XSD = "http://www.w3.org/2001/XMLSchema#"


def date_parts(text: str) -> tuple[int, ...]:
    """``"2018-03"`` -> (2018, 3); ``"2018"`` -> (2018,). Timezones and suffixes are ignored."""
    match = re.match(r"^\s*(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not match:
        return ()
    return tuple(int(part) for part in match.groups() if part is not None)


def runs_backwards(earlier: str, later: str) -> bool:
    """True when a work dated ``earlier`` is in fact after ``later``, at their shared precision."""
    a, b = date_parts(earlier), date_parts(later)
    common = min(len(a), len(b))
    return common > 0 and a[:common] > b[:common]


def date_literal(text: str) -> Literal:
    """``"2018"`` -> xsd:gYear, ``"2018-03"`` -> xsd:gYearMonth, ``"2018-03-05"`` -> xsd:date.

    Raises ``ValueError`` with the reason for anything else.
    """
    from rdflib import Literal, URIRef

    value = text.strip()
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=URIRef(_XSD + "gYear"))
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if match and 1 <= int(match.group(2)) <= 12:
        return Literal(value, datatype=URIRef(_XSD + "gYearMonth"))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
        return Literal(value, datatype=URIRef(_XSD + "date"))
    raise ValueError(f"{value!r} is not a year: use YYYY, YYYY-MM or YYYY-MM-DD")
