"""A section's heading titled by the link that closes it: "Download the report".

Publication pages list works as a heading, a few lines about it, and a link to the file
("Download the report", "Read the full briefing", "View the summary report (PDF)"). The
heading is then the title of a work of the link's kind, even when the lines between
never say "this report" ("The project was supported by ..."). Headings that are no
title ("Resources", "Our publications", "About the project") are left alone.

Example:
    >>> linked_work("Streets for Play", "Download the report").type
    'Report'
"""

from __future__ import annotations

import re

from .proposals import Proposal, guess_type

_LINK = re.compile(
    r"(?:Download|Read|View|Open|Get)(?: the| this| our)?"
    r"(?: full| final| summary| short| executive)?"
    r" (report|pamphlet|paper|briefing|study|review|survey|evaluation|publication)"
    r"(?: summary)?(?:\s*\((?:PDF|pdf)[^)]*\))?[.:]?"
)
"""A line that only links to a work's file."""
_NOT_TITLES = frozenset(
    {
        "about",
        "our",
        "other",
        "related",
        "further",
        "more",
        "latest",
        "recent",
        "all",
        "publications",
        "resources",
        "downloads",
        "reports",
        "research",
        "documents",
        "find",
        "get",
        "see",
        "read",
        "download",
        "view",
        "join",
        "contact",
        "executive",
        "summary",
    }
)
"""First words of headings that head a list of works or a page part, not one work."""


def is_link(line: str) -> bool:
    """Whether ``line`` is only a link to a work's file ("Download the report")."""
    return _LINK.fullmatch(line.strip()) is not None


def linked_work(heading: str | None, line: str) -> Proposal | None:
    """The work ``heading`` titles when ``line``, under it, links to the work's file."""
    link = _LINK.fullmatch(line.strip())
    if link is None or heading is None or is_link(heading):
        return None
    words = heading.split()
    if not 2 <= len(words) <= 16 or words[0].lower() in _NOT_TITLES:
        return None
    noun = link.group(1)
    return Proposal(
        heading,
        guess_type(heading) or ("Survey" if noun == "survey" else "Report"),
        -1,
        -1,
        f'a heading over "{line.strip()}"',
    )
