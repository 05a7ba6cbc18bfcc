"""Mentions of named entities in sentences: exact names through spaCy's PhraseMatcher, close
variants through rapidfuzz (marked fuzzy), and "we"/"our" as the document's publisher.

Matching is on spaCy's NORM attribute (lower case, curly quotes folded, possessive ``’s``
split off), so "the APPG’s", "The APPG's" and "THE APPG" all meet the label "The APPG";
a name's capitalised words must still be capitalised in the text, so the label
"Challenge" does not match "the challenge of". Only ``spacy.blank("en")`` is used: no
model is downloaded.

Example:
    >>> names = Names.from_entities([Entity("x", "All Together Now", "Report")])  # doctest: +SKIP
    >>> [m.label for m in names.find(pipeline()("We wrote All Together Now."))]  # doctest: +SKIP
    ['All Together Now']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..names import Entity, normalise

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

FUZZY_CUTOFF = 90
"""rapidfuzz ratio (0-100) at or above which a capitalised phrase is a fuzzy mention."""

SELF_WORDS = frozenset({"we", "our", "us", "ours"})
"""Words by which a document speaks of its own publisher."""
SELF_NOUNS = frozenset(
    {
        "report",
        "strategy",
        "plan",
        "paper",
        "review",
        "survey",
        "study",
        "document",
        "publication",
        "pamphlet",
        "briefing",
        "framework",
        "project",
        "programme",
    }
)
"""Nouns by which a document speaks of itself ("this strategy"; also "the project")."""


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """spaCy's blank English tokenizer with a rule-based sentencizer (no model download)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=1)
def sentence_ends() -> frozenset[int]:
    """The ORTH ids of the characters that end a sentence, as spaCy's sentencizer has them."""
    from spacy.pipeline import Sentencizer

    strings = pipeline().vocab.strings
    return frozenset(strings.add(char) for char in Sentencizer.default_punct_chars)


@dataclass(frozen=True)
class Mention:
    """A span of a sentence that names an entity (token offsets within the sentence)."""

    start: int
    end: int
    text: str
    label: str
    """The entity's label (a known one, or a proposal's)."""
    type: str
    known: bool
    how: str
    """``label``, ``alternative label``, ``fuzzy`` or ``publisher`` (we/our)."""
    iri: str | None = None


@dataclass
class Names:
    """The names to look for: every label and alternative label of each entity."""

    entities: dict[str, Entity] = field(default_factory=dict)
    """Key (an IRI, or ``new:label`` for a proposal) -> entity."""
    names: dict[str, set[str]] = field(default_factory=dict)
    """Folded name -> keys of the entities answering to it."""
    preferred: dict[str, str] = field(default_factory=dict)
    """Folded name -> the name as written (for the capitalisation check)."""
    _matcher: Any = None
    _choices: dict[str, str] | None = None

    @classmethod
    def from_entities(
        cls, entities: Iterable[Entity], alt_labels: Mapping[str, Iterable[str]] | None = None
    ) -> Names:
        names = cls()
        for entity in entities:
            if entity.type != "Source document":
                names.add(entity.iri, entity, (alt_labels or {}).get(entity.iri, ()))
        return names

    def add(self, key: str, entity: Entity, alt_labels: Iterable[str] = ()) -> None:
        """Answer to ``entity``'s label and alternative labels (and each without "The")."""
        self.entities[key] = entity
        for name in (entity.label, *alt_labels):
            for variant in {name, re.sub(r"^(?:the|The)\s+", "", name)}:
                folded = normalise(variant)
                if len(folded) >= 2 and folded not in SELF_WORDS:
                    self.names.setdefault(folded, set()).add(key)
                    self.preferred.setdefault(folded, variant)
        self._matcher = self._choices = None

    def _phrase_matcher(self) -> Any:
        if self._matcher is None:
            from spacy.matcher import PhraseMatcher

            nlp = pipeline()
            self._matcher = PhraseMatcher(nlp.vocab, attr="NORM")
            for folded, written in self.preferred.items():
                self._matcher.add(folded, [nlp.make_doc(written)])
        return self._matcher

    def find(
        self,
        doc: Doc,
        publisher: str | None = None,
        candidates: Iterable[Span] = (),
        itself: str | None = None,
    ) -> list[Mention]:
        """Every mention in a document's text (token offsets in ``doc``), in order; where
        names overlap the longest wins.

        ``publisher`` (a key of :attr:`entities`) is what "we" and "our" name, ``itself``
        what "this report" (strategy, paper...) names: the document itself;
        ``candidates`` are capitalised phrases to try as fuzzy variants of a name.
        """
        from spacy.tokens import Span as Span_
        from spacy.util import filter_spans

        strings = pipeline().vocab.strings
        spans = []
        for match_id, start, end in self._phrase_matcher()(doc):
            folded = strings[match_id]
            if _capitalised_alike(self.preferred[folded], doc[start:end]):
                spans.append(Span_(doc, start, end, folded))
        found = [self._mention(span, span.label_, "label") for span in filter_spans(spans)]
        taken = {i for m in found for i in range(m.start, m.end)}
        for span in candidates:
            if taken.intersection(range(span.start, span.end)):
                continue
            folded = self._fuzzy(span.text)
            if folded is not None:
                found.append(self._mention(span, folded, "fuzzy"))
                taken.update(range(span.start, span.end))
        for match_id, start, end in _self_matcher()(doc):
            key = publisher if strings[match_id] == "we" else itself
            if key is None or key not in self.entities or taken.intersection(range(start, end)):
                continue
            entity = self.entities[key]
            found.append(
                Mention(
                    start,
                    end,
                    doc[start:end].text,
                    entity.label,
                    entity.type,
                    _is_known(key),
                    "publisher" if key == publisher else "this document",
                    _iri(key),
                )
            )
        return sorted(found, key=lambda m: m.start)

    def _mention(self, span: Any, folded: str, how: str) -> Mention:
        keys = sorted(self.names[folded])
        if len(keys) > 1:  # the one whose label's other words follow ("Survey (2019)")
            near = {t.lower_ for t in span.doc[span.end : span.end + 4]}
            keys.sort(
                key=lambda k: (
                    -len(
                        near & set(normalise(self.entities[k].label).split()) - set(folded.split())
                    )
                )
            )
        entity = self.entities[keys[0]]
        if (
            how == "label"
            and normalise(entity.label) != folded
            and normalise(re.sub(r"^(?:the|The)\s+", "", entity.label)) != folded
        ):
            how = "alternative label"
        if len(keys) > 1:  # several entities answer to it: say so
            how += f" (also {', '.join(self.entities[k].label for k in keys[1:])})"
        return Mention(
            span.start,
            span.end,
            span.text,
            entity.label,
            entity.type,
            _is_known(keys[0]),
            how,
            _iri(keys[0]),
        )

    def _fuzzy(self, text: str) -> str | None:
        from rapidfuzz import fuzz, process

        if self._choices is None:
            self._choices = {folded: folded for folded in self.names if len(folded) > 5}
        best = process.extractOne(
            normalise(text), self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        return best[0] if best else None


def _is_known(key: str) -> bool:
    return not key.startswith("new:")


def _iri(key: str) -> str | None:
    return key if _is_known(key) else None


@lru_cache(maxsize=1)
def _self_matcher() -> Any:
    """Matches "we"/"our"/"us" (the publisher) and "this report", "this green paper"...
    (the document itself), as phrases: spaCy's token Matcher is ten times slower here."""
    from spacy.matcher import PhraseMatcher

    nlp = pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("we", [nlp.make_doc(word) for word in sorted(SELF_WORDS)])
    matcher.add(
        "this",
        [
            nlp.make_doc(f"this {adjective}{noun}")
            for noun in sorted(SELF_NOUNS)
            for adjective in (
                "",
                "green ",
                "white ",
                "annual ",
                "policy ",
                "final ",
                "new ",
                "short ",
            )
        ]
        + [
            nlp.make_doc(f"{det} {noun}")
            for det in ("the", "our")
            for noun in ("project", "programme")
        ],
    )
    return matcher


@lru_cache(maxsize=65536)
def _capitals(name: str) -> tuple[bool, ...]:
    """Which tokens of a name are capitalised."""
    return tuple(t.text[:1].isupper() for t in pipeline().make_doc(name))


def _capitalised_alike(name: str, span: Any) -> bool:
    """Each capitalised word of the name is capitalised in the text too."""
    capitals = _capitals(name)
    if len(capitals) != len(span):
        return True
    return all(
        not upper or t.text[:1].isupper() or t.text[:1].isdigit()
        for upper, t in zip(capitals, span, strict=True)
    )
