"""Plural references back to works named before: "both reports", "the two studies".

A page that has just presented two works goes on: "This summary draws together lessons
from both reports". The phrase names no work, but a reader takes it to mean the works
last named (by name, or by "this report" under a work's heading) of the kind the noun
says, leaving out the work being described at that point (the section's or document's
own). :class:`RecentWorks` remembers the works named in the last few paragraphs and
turns each such phrase into one mention per work, all on the phrase's span, so a cue
beside it gives one claim per work. Nothing is resolved when fewer works than the
count were named recently.

Example:
    >>> from influencegraph.extract.mentions import pipeline
    >>> [(s, e, n) for s, e, n, _ in plural_references(pipeline()("It uses both reports."))]
    [(2, 4, 2)]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from .mentions import Mention

_WRITTEN = frozenset({"Report", "Survey", "Strategy"})
_PLURAL_WORKS = {
    "publications": _WRITTEN,
    "reports": _WRITTEN,
    "papers": _WRITTEN,
    "documents": _WRITTEN,
    "pamphlets": _WRITTEN,
    "briefings": _WRITTEN,
    "studies": _WRITTEN,
    "reviews": _WRITTEN,
    "surveys": frozenset({"Survey"}),
    "strategies": frozenset({"Strategy"}),
    "projects": frozenset({"Project", "Programme"}),
    "programmes": frozenset({"Project", "Programme"}),
}
"""The plural nouns that point back to works, and the types of work each can mean."""
_COUNTS = {"two": 2, "three": 3, "four": 4}
WINDOW = 12
"""Paragraphs (or headings) back within which a work counts as just named."""
_WORK_TYPES = frozenset().union(*_PLURAL_WORKS.values())


def plural_references(doc: Any) -> Iterator[tuple[int, int, int, frozenset[str]]]:
    """(start, end, count, types) of each "both [the|these] NOUN" and "the|these|those|all
    two|three|four NOUN" in a doc (token offsets)."""
    lowered = doc.text.lower()
    if "both" not in lowered and not any(f"{n} " in lowered for n in _COUNTS):
        return  # most paragraphs: no Python object per word
    words = [t.lower_ for t in doc]
    for i, word in enumerate(words):
        if word == "both":  # both [of] [the|these] NOUN
            j = i + 1
            j += words[j : j + 1] == ["of"]
            j += words[j : j + 1] in (["the"], ["these"])
            count = 2
        elif word in ("the", "these", "those", "all") and i + 1 < len(words):
            count = _COUNTS.get(words[i + 1], 0)
            j = i + 2
        else:
            continue
        if count and j < len(words) and words[j] in _PLURAL_WORKS:
            yield i, j + 1, count, _PLURAL_WORKS[words[j]]


class RecentWorks:
    """The works named in the last :data:`WINDOW` paragraphs of a document, in order."""

    def __init__(self) -> None:
        self._seen: deque[tuple[int, Mention]] = deque()
        self._unit = 0

    def resolve(self, doc: Any, mentions: Sequence[Mention], current: str | None) -> list[Mention]:
        """``mentions`` of one paragraph plus a mention of each work a plural reference
        points back to (``current``, the label of the work being described, left out);
        then remembers the paragraph's works. Call once per paragraph, in order."""
        self._unit += 1
        while self._seen and self._seen[0][0] <= self._unit - WINDOW:
            self._seen.popleft()
        found = list(mentions)
        for start, end, count, types in plural_references(doc):
            earlier = [m for _, m in self._seen] + [m for m in mentions if m.end <= start]
            works: list[Mention] = []
            for mention in reversed(earlier):
                if (
                    mention.type in types
                    and mention.label != current
                    and all(w.label != mention.label for w in works)
                ):
                    works.append(mention)
            if len(works) < count:
                continue  # fewer works named recently than the phrase counts
            text = doc[start:end].text
            for work in reversed(works[:count]):
                found.append(replace(work, start=start, end=end, text=text, how="a reference back"))
        self._seen.extend(
            (self._unit, m) for m in mentions if m.type in _WORK_TYPES and m.how != "publisher"
        )
        return sorted(found, key=lambda m: m.start)
