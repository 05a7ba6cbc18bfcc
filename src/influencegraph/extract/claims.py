"""Proposed influence claims: a sentence that joins two mentions with a cue of a kind.

The cue lexicon is data, read from the graph (the ontology's ``ig:cue`` literals, plus any
a user adds): ``"{target} endorses {influencer}"`` says which side of the cue is which.
A cue followed by "by" after was/is/been is read in the passive, the sides swapped ("X
was cited by Y"); a verb ending in -s also matches without it ("we provide", "it
provides"). The nearest mention on each side is taken, with the names listed beside it
("A, B and C"); a possessor ("X's report") gives way to what it possesses, and "our" before
a name is not the publisher. The evidence is the sentence, verbatim.

Example:
    >>> lexicon = CueLexicon.from_source(open_source())            # doctest: +SKIP
    >>> [c.kind.name for c in lexicon.cues if c.phrase == "chaired by"]  # doctest: +SKIP
    ['chairs']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InfluenceGraphError
from ..vocab import KIND_BY_IRI, InfluenceKind
from .mentions import Mention, pipeline
from .numbered import NUMBER_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Span

    from ..graph import Source

_CUE_QUERY = "SELECT ?kind ?cue WHERE { ?kind ig:cue ?cue } ORDER BY ?kind ?cue"
_PLACEHOLDER = re.compile(r"\{(influencer|target)\}")
_BE = frozenset({"was", "were", "is", "are", "been", "being", "be", "'s"})
_LIST_WORDS = frozenset(
    {
        ",",
        "and",
        "or",
        "&",
        "including",
        "as",
        "well",
        "plus",
        "the",
        "with",
        "both",
        "also",
        "other",
        "several",
        "many",
        "local",
        "authorities",
        "organisations",
        "bodies",
        "councils",
        "agencies",
        "charities",
        "departments",
    }
)
_POSSESSED_GAP = frozenset({"'s", "’s", "'", "’", *NUMBER_WORDS})
"""Words between a possessor and what it possesses: "the Council's three Priority Themes"."""
_CONTAINED_IN = ("set out in", "published in", "described in", "presented in", "from", "in")
MAX_GAP = 12
"""Tokens allowed between a cue and the mention it joins."""


@dataclass(frozen=True)
class Cue:
    """One cue phrase: its words, its kind, and whether the influencer stands first."""

    phrase: str
    kind: InfluenceKind
    influencer_first: bool
    written: str
    """The cue as the lexicon writes it, with its placeholders."""


@dataclass
class CueLexicon:
    """Every cue of every influence kind, and a spaCy PhraseMatcher over them."""

    cues: list[Cue] = field(default_factory=list)
    _matcher: Any = None

    @classmethod
    def from_source(cls, source: Source) -> CueLexicon:
        """The cues the graph declares (``ig:cue``); a malformed one is an error that names it."""
        lexicon = cls()
        for row in source.select(_CUE_QUERY):
            kind = KIND_BY_IRI.get(str(row["kind"]))
            if kind is not None:
                lexicon.add(kind, str(row["cue"]))
        if not lexicon.cues:
            raise InfluenceGraphError(
                "the graph declares no cues (ig:cue) for any influence "
                "kind; load the project's ontology"
            )
        return lexicon

    def add(self, kind: InfluenceKind, written: str) -> None:
        """Add a cue such as ``"{target} endorses {influencer}"``, and its form without -s."""
        sides = _PLACEHOLDER.findall(written)
        phrase = " ".join(_PLACEHOLDER.sub(" ", written).split())
        if sorted(sides) != ["influencer", "target"] or not phrase:
            raise InfluenceGraphError(
                f"cue {written!r} of {kind.label!r}: write it with "
                "{influencer} and {target} around the words"
            )
        first = sides[0] == "influencer"
        words = phrase.split()
        forms = {phrase}
        if len(words[0]) > 3 and words[0].endswith("s") and not words[0].endswith("ss"):
            forms.add(" ".join([words[0][:-1], *words[1:]]))
        for form in sorted(forms):
            self.cues.append(Cue(form, kind, first, written))
        self._matcher = None

    def matches(self, doc: Any) -> list[tuple[int, int, Cue]]:
        """(start, end, cue) for every cue in a doc; where cues overlap the longest wins."""
        from spacy.matcher import PhraseMatcher
        from spacy.util import filter_spans

        if self._matcher is None:
            nlp = pipeline()
            self._matcher = PhraseMatcher(nlp.vocab, attr="NORM")
            for i, cue in enumerate(self.cues):
                self._matcher.add(str(i), [nlp.make_doc(cue.phrase)])
        from spacy.tokens import Span

        strings = pipeline().vocab.strings
        spans = [
            Span(doc, s, e, strings[match_id])
            for match_id, s, e in self._matcher(doc)
            if not _capitalised_inside(doc, s)
        ]
        return [(span.start, span.end, self.cues[int(span.label_)]) for span in filter_spans(spans)]


def _capitalised_inside(doc: Any, start: int) -> bool:
    """A capitalised cue word inside a sentence is a name or a title ("Oxford (Chair)"),
    not the verb the cue means."""
    return (
        doc[start].text[:1].isupper()
        and start > 0
        and doc[start - 1].text not in {".", "!", "?", ":", "•", "-", "–", "—"}
        and not doc[start - 1].is_quote
    )


@dataclass(frozen=True)
class ClaimProposal:
    """A proposed claim: who influenced whom, in what kind, and why it was read so."""

    influencer: Mention
    target: Mention
    kind: InfluenceKind
    sentence: str
    confidence: float
    why: str
    year: str | None = None


def _side(
    mentions: Sequence[Mention], doc: Any, position: int, step: int
) -> list[tuple[Mention, int]]:
    """The mentions on one side of a cue: the nearest, then those listed with it.

    Returns (mention, extra) pairs, extra counting how far down the list it stands."""
    ordered = list(mentions) if step > 0 else list(reversed(mentions))
    chosen: list[tuple[Mention, int]] = []
    edge = position
    possessor: Mention | None = None
    """A listed name followed by "'s": what it possesses, if named next, stands instead."""
    for mention in ordered:
        gap = range(edge, mention.start) if step > 0 else range(mention.end, edge)
        if len(gap) > MAX_GAP:
            break
        words = [doc[i].lower_ for i in gap]
        if chosen and (mention.start, mention.end) == (chosen[-1][0].start, chosen[-1][0].end):
            chosen.append((mention, chosen[-1][1]))  # "both reports": each work they mean
            continue
        if possessor is not None:
            if words and all(w in _POSSESSED_GAP or w.isdigit() for w in words):
                chosen.append((mention, len(chosen)))  # "A and the B's five Cs": Cs
                edge, possessor = mention.end, None
                continue
            chosen.append((possessor, len(chosen)))  # "A and the B's staff": B
            edge, possessor = possessor.end, None
            gap = range(edge, mention.start)
            words = [doc[i].lower_ for i in gap]
        if not chosen:
            if any(w in {".", ";", ":"} for w in words):
                break
            if step > 0 and _possessor(mention, mentions, doc) and len(ordered) > 1:
                continue
            if mention.how == "publisher" and _our_before_name(mention, mentions):
                continue
        elif (
            not words
            or not all(w in _LIST_WORDS for w in words)
            or not ({",", "and", "or", "&", "including"} & set(words))
        ):
            break
        if chosen and step > 0 and _possessor(mention, mentions, doc):
            possessor, edge = mention, mention.end
            continue
        chosen.append((mention, len(chosen)))
        edge = mention.end if step > 0 else mention.start
    if possessor is not None:
        chosen.append((possessor, len(chosen)))
    return chosen


def _possessor(mention: Mention, mentions: Sequence[Mention], doc: Any) -> bool:
    """X's Y, or X 'Y' (a possessive that lost its apostrophe): X gives way to Y."""
    after = doc[mention.end].text if mention.end < len(doc) else ""
    if after in {"'s", "’s"} or (
        after in {"'", "’"}
        and mention.text.endswith("s")
        and mention.end + 1 < len(doc)
        and doc[mention.end + 1].is_alpha
    ):
        return True
    following = min((m.start for m in mentions if m.start >= mention.end), default=None)
    return (
        following is not None
        and following - mention.end <= 2
        and all(doc[i].is_quote for i in range(mention.end, following))
    )


def _our_before_name(mention: Mention, mentions: Sequence[Mention]) -> bool:
    """'our' directly before a name is a determiner ("our X report"), not the publisher."""
    return mention.text.lower() == "our" and any(m.start == mention.end for m in mentions)


def _passive(doc: Any, start: int, end: int, cue: Cue) -> bool:
    """A cue read backwards: "[was] [also] CUE by" where the cue itself lacks "by"."""
    if cue.phrase.endswith(" by") or end >= len(doc) or doc[end].lower_ != "by":
        return False
    before = {doc[i].lower_ for i in range(max(0, start - 3), start)}
    return bool(before & _BE)


def _contained(mention: Mention, mentions: Sequence[Mention], doc: Any) -> Mention | None:
    """The work a mentioned idea is set out in ("the X principles set out in our Y report")."""
    for other in mentions:
        if other.start <= mention.end or other.how == "publisher":
            continue
        between = " ".join(
            doc[i].lower_ for i in range(mention.end, other.start) if not doc[i].is_quote
        )
        between = re.sub(r"\b(?:our|the|its|their|his|her)\b", "", between).strip()
        if between in _CONTAINED_IN and other.type in ("Report", "Survey", "Strategy"):
            return other
        return None
    return None


_PERSON_KINDS = frozenset({"chairs", "memberOfWorkingGroup"})
"""Kinds whose influencer is a person where the sentence names one."""


def _prefer_people(
    side: list[tuple[Mention, int]], inside: Sequence[Mention], doc: Any, start: int, end: int
) -> list[tuple[Mention, int]]:
    """A person named in apposition beside the nearest name ("chaired by the Academy's
    Fellow, Dr NAME") rather than the organisation."""
    if not side or side[0][0].type == "Person":
        return side
    near = [
        m
        for m in inside
        if m.type == "Person"
        and (0 <= m.start - end <= MAX_GAP or 0 <= start - m.end <= MAX_GAP)
        and not any(doc[i].text in {".", ";"} for i in range(min(m.start, end), max(m.start, end)))
    ]
    return [(near[0], 0)] if near else side


def _year(text: str) -> str | None:
    found = re.search(r"\b(?:19|20)\d\d\b", text)
    return found.group(0) if found else None


def claims_in(
    sentence: Span,
    mentions: Sequence[Mention],
    cues: Sequence[tuple[int, int, Cue]],
    itself: Mention | None = None,
) -> Iterator[ClaimProposal]:
    """Every claim a sentence states: each cue with the mentions around it.

    ``mentions`` and ``cues`` (from :meth:`CueLexicon.matches`) carry token offsets in the
    sentence's doc; those outside the sentence are ignored. ``itself`` (the document's
    own entity) stands on a side of a cue that names nobody ("Funded by X, the project
    ..."), with less confidence."""
    doc = sentence.doc
    inside = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end]
    for start, end, cue in cues:
        if not (sentence.start <= start and end <= sentence.end):
            continue
        left = _side([m for m in inside if m.end <= start], doc, start, -1)
        right = _side([m for m in inside if m.start >= end], doc, end, +1)
        if itself is not None and bool(left) != bool(right):
            left, right = left or [(itself, 3)], right or [(itself, 3)]
        if not left or not right:
            continue
        passive = _passive(doc, start, end, cue)
        first_is_influencer = cue.influencer_first != passive
        influencers, targets = (left, right) if first_is_influencer else (right, left)
        if cue.kind.name in _PERSON_KINDS:
            influencers = _prefer_people(influencers, inside, doc, start, end)
        extra_influencers = []
        for mention, _ in influencers:
            container = _contained(mention, inside, doc)
            if container is not None:
                extra_influencers.append((container, 1))
        for x, xi in [*influencers, *extra_influencers]:
            for y, yi in targets:
                if x.label == y.label:
                    continue
                confidence = 0.9 - 0.1 * (xi + yi)
                confidence -= 0.2 * sum(m.how == "fuzzy" for m in (x, y))
                confidence -= 0.1 * sum(m.how == "publisher" for m in (x, y))
                confidence -= 0.1 * sum(m.how == "a reference back" for m in (x, y))
                why = (
                    f"cue {cue.written!r}{' (passive)' if passive else ''}: "
                    f"{x.text!r} -> {y.text!r}"
                )
                yield ClaimProposal(
                    x,
                    y,
                    cue.kind,
                    sentence.text.strip(),
                    round(max(confidence, 0.1), 2),
                    why,
                    _year(sentence.text),
                )
