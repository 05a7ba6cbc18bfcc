"""Generated OpenAlex work records in the real schema, for benchmarks and tests.

Works ``W1000...`` with DOIs ``10.5555/gen.N``, authors drawn from a pool (half with a
valid ORCID), institutions from a pool with valid ROR ids, and references to earlier works
(heavy-tailed: a few works are cited often). Deterministic for a seed.

Example:
    >>> next(openalex_works(1))["id"]
    'https://openalex.org/W1000'
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from ..identifiers import orcid_check_digit, ror_checksum

_DIGITS = "0123456789abcdefghjkmnpqrstvwxyz"
_WORDS = (
    "integration",
    "mixing",
    "policy",
    "schools",
    "trust",
    "community",
    "cohesion",
    "evidence",
    "youth",
    "housing",
    "volunteering",
    "place",
    "belonging",
    "review",
)


def orcid_for(n: int) -> str:
    """A valid ORCID iD numbered ``n``."""
    body = f"000000{n:09d}"
    digits = body + orcid_check_digit(body)
    return "https://orcid.org/" + "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def ror_for(n: int) -> str:
    """A valid ROR id numbered ``n``."""
    body = ""
    for _ in range(6):
        n, digit = divmod(n, 32)
        body = _DIGITS[digit] + body
    return f"https://ror.org/0{body}{ror_checksum(body)}"


def openalex_works(
    count: int,
    *,
    seed: int = 0,
    authors: int = 3,
    references: int = 5,
    people: int | None = None,
    institutions: int = 1000,
) -> Iterator[dict[str, Any]]:
    """``count`` OpenAlex work records, as the API or snapshot gives them."""
    rng = random.Random(seed)
    pool = people or max(1, count // 2)
    for i in range(count):
        title = " ".join(rng.choice(_WORDS) for _ in range(5)).capitalize() + f" {i}"
        authorships = []
        for _ in range(authors):
            person = rng.randrange(pool)
            place = rng.randrange(institutions)
            authorships.append(
                {
                    "author_position": "middle",
                    "author": {
                        "id": f"https://openalex.org/A{5000 + person}",
                        "display_name": f"Author {person}",
                        "orcid": orcid_for(person) if person % 2 == 0 else None,
                    },
                    "institutions": [
                        {
                            "id": f"https://openalex.org/I{7000 + place}",
                            "display_name": f"Institute {place}",
                            "ror": ror_for(place),
                            "type": "education",
                        }
                    ],
                }
            )
        cited = sorted({int(i * rng.random() ** 3) for _ in range(references)} - {i}) if i else []
        yield {
            "id": f"https://openalex.org/W{1000 + i}",
            "doi": f"https://doi.org/10.5555/gen.{i}",
            "title": title,
            "display_name": title,
            "publication_year": 2000 + i % 20 if not cited else 2020,
            "type": "article",
            "authorships": authorships,
            "referenced_works": [f"https://openalex.org/W{1000 + c}" for c in cited],
            "updated_date": "2024-01-01T00:00:00",
        }
