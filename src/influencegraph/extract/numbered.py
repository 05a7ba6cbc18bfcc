"""Named sets counted after a possessive: "the Council's three Priority Themes".

Policy writing names a body's programme of areas, themes or zones by a capitalised
plural after the body and a count ("the Department's twelve Opportunity Areas", "its
four Pathfinder Zones"). Such a name has no head word of an organisation or a work, so
the other patterns miss it; the count and the possessive give it away. It is proposed
as a Programme. Bodies and people counted the same way ("the city's two Universities",
"the Council's three Deputy Mayors") are left alone, and so is a year ("the Trust's
2021 Annual Report" is a report, found by its head word).

Example:
    >>> [(p.label, p.type) for p in numbered_sets("the Council's three Priority Themes")]
    [('Priority Themes', 'Programme')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .proposals import _HEADS, Proposal

NUMBER_WORDS = frozenset(
    [
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
    ]
)
_PEOPLE = frozenset(
    {
        "Mayors",
        "Ministers",
        "Members",
        "Directors",
        "Trustees",
        "Fellows",
        "Chairs",
        "Commissioners",
        "Officers",
        "Councillors",
        "Secretaries",
        "Governors",
        "Leaders",
        "Partners",
        "Champions",
        "Ambassadors",
    }
)
_NUMBERED = re.compile(
    r"(?:[’']s|\b(?:[Oo]ur|[Ii]ts|[Tt]heir))\s+"
    rf"(?:{'|'.join(sorted(NUMBER_WORDS))}|[1-9]\d?)\s+"
    r"((?:[A-Z][a-z]+[ \t]+){1,3}[A-Z][a-z]+[a-rt-z]s)\b"
)
"""A possessive, a count (a word or a number under 100), then two to four capitalised
words, the last a plural (not ending in -ss)."""


def numbered_sets(text: str, offset: int = 0) -> Iterator[Proposal]:
    """The named sets of ``text``, each a Programme, with offsets plus ``offset``."""
    for m in _NUMBERED.finditer(text):
        name = m.group(1)
        last = name.split()[-1]
        if last in _PEOPLE or last[:-1] in _HEADS or last.removesuffix("ies") + "y" in _HEADS:
            continue
        yield Proposal(
            name,
            "Programme",
            m.start(1) + offset,
            m.end(1) + offset,
            'a capitalised plural counted after a possessive ("X\'s three Priority Areas")',
        )
