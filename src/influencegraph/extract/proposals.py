"""New entities proposed from how documents name things, each with a type guess.

General patterns of English policy writing, not the wording of any page: quoted titles;
"the X report" (strategy, survey, review...); "Title (2018)"; "the All-Party Parliamentary
Group (APPG) on X"; people by honorific or post-nominal ("Professor NAME", "NAME MP",
"chaired by NAME CBE"); organisations by their head word ("... Foundation",
"University of ...", "Department for ..."), and the organisations in affiliation lines
("NAME, Role, Organisation"). The type is guessed from the head word of the name.

Example:
    >>> [p.label for p in propose("She chairs the Northfield Housing Trust.")]
    ['Northfield Housing Trust']

Kept as one module: the patterns share their word lists (honorifics, head words, stop words)
and the type guess, and are tuned together against the recall benchmark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_HONORIFIC = (
    r"(?:Professor|Prof\.?|Dr\.?|Dame|Sir|Lord|Lady|Baroness|Baron|Mr\.?|Mrs\.?|"
    r"Ms\.?|Cllr|Councillor|Rt\.? Hon\.?|The Rt\.? Hon\.?)"
)
_POSTNOMINAL = r"(?:MP|MSP|MS|AM|MEP|CBE|OBE|MBE|KBE|DBE|FBA|FRS|FRSE|FAcSS|QC|KC|PhD)"
_WORD = (
    rf"(?:(?!(?:{_POSTNOMINAL}|{_HONORIFIC})\b)"
    r"[A-Z](?:[a-z]+|['’][A-Z][a-z]+|[A-Z]+\b)(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)*)"
)
"""A capitalised word: Heath, O'Beirne, Weekes-Bernard, McDonald, NAO."""
_CAPW = r"(?:[A-Z](?:[\w&.-]*\w)?(?:['’](?!s\b)\w+)*)"
_CAP = rf"(?:{_CAPW}|\d+)"
_CONN = r"(?:of|and|for|the|on|in|to|&|not|our|at|with|de|du|von|van|der)"
_RUN = rf"{_CAP}(?:[ \t]+(?:{_CONN}[ \t]+){{0,2}}{_CAPW})*"
"""A run of capitalised words, with small joining words inside (Centre for the Study of)."""
_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{1,2}}"

_GOVERNMENT_HEADS = (
    "Office",
    "Department",
    "Ministry",
    "Commission",
    "Authority",
    "Council",
    "Government",
    "Treasury",
    "Parliament",
    "Agency",
    "Executive",
    "Inspectorate",
    "Ombudsman",
    "Regulator",
    "Assembly",
    "Cabinet",
    "Mayor",
)
_ORGANISATION_HEADS = (
    "Foundation",
    "Trust",
    "Institute",
    "Institution",
    "University",
    "College",
    "Academy",
    "Association",
    "Society",
    "Network",
    "Centre",
    "Center",
    "Charity",
    "Company",
    "Ltd",
    "Limited",
    "Alliance",
    "Federation",
    "Union",
    "Forum",
    "Fund",
    "Consortium",
    "Coalition",
    "Partnership",
    "School",
    "Board",
    "Bank",
    "Press",
    "Unit",
    "Lab",
    "Laboratory",
    "Observatory",
    "Challenge",
)
_WORK_HEADS = {
    "Strategy": "Strategy",
    "Paper": "Strategy",
    "Plan": "Strategy",
    "Survey": "Survey",
    "Report": "Report",
    "Review": "Report",
    "Study": "Report",
    "Inquiry": "Report",
    "Index": "Report",
    "Briefing": "Report",
    "Audit": "Report",
    "Evaluation": "Report",
    "Principles": "Idea",
    "Framework": "Idea",
    "Approach": "Idea",
    "Model": "Idea",
    "Toolkit": "Idea",
    "Charter": "Idea",
    "Manifesto": "Idea",
    "Programme": "Programme",
    "Program": "Programme",
    "Initiative": "Programme",
    "Project": "Project",
    "Group": "Group",
    "Committee": "Group",
    "Panel": "Group",
    "Taskforce": "Group",
    "Commission": "Government body",
}
_HEADS = frozenset({*_GOVERNMENT_HEADS, *_ORGANISATION_HEADS, *_WORK_HEADS})
_SINGLE_BODIES = frozenset({"Government", "Parliament", "Treasury", "Cabinet"})
"""Bodies named by one word after "the" (the Government)."""
_NAMED_WORK_TYPES = frozenset({"Strategy", "Survey", "Programme"})
"""Works a capitalised name of two words or more gives away by its head alone."""
_FUNCTION = frozenset(
    {
        "this",
        "that",
        "these",
        "the",
        "a",
        "an",
        "its",
        "their",
        "our",
        "his",
        "her",
        "to",
        "of",
        "is",
        "was",
        "has",
        "have",
        "and",
        "or",
    }
)
"""Words that never stand inside a work's name and its noun ("X social integration strategy")."""
_PREPOSITIONS = frozenset({"of", "for", "on", "to", "in", "at"})
_WORK_NOUNS = {
    "report": "Report",
    "strategy": "Strategy",
    "survey": "Survey",
    "review": "Report",
    "paper": "Strategy",
    "plan": "Strategy",
    "study": "Report",
    "briefing": "Report",
    "pamphlet": "Report",
    "framework": "Idea",
    "principles": "Idea",
    "programme": "Programme",
    "project": "Project",
    "initiative": "Programme",
    "inquiry": "Report",
    "toolkit": "Idea",
}

_APPG = re.compile(
    rf"\b(?:All[- ]Party Parliamentary Group\s*(?:\(APPG\)\s*)?|APPG )"
    rf"(?:on|for)\s+({_RUN})"
)
_PERSON_HONORIFIC = re.compile(rf"\b({_HONORIFIC})\s+({_NAME}|{_WORD})((?:,?\s+{_POSTNOMINAL}\b)*)")
_PERSON_POSTNOMINAL = re.compile(rf"\b({_NAME})((?:,?\s+{_POSTNOMINAL}\b)+)")
_YEARS = r"\(((?:19|20)\d\d)(\s*(?:to|-|–)\s*(?:19|20)?\d\d)?\)"
"""A year in brackets, or a span of years ("(2011 to 2016)": the years covered, no date)."""
_TITLE_YEAR = re.compile(rf"({_RUN})\s*{_YEARS}")
_WHOLE_TITLE_YEAR = re.compile(rf"^([^.!?()]{{3,120}}?)\s*{_YEARS}\.?$")
_QUOTED = re.compile(
    r"(?:(?<![\w’'])[‘']|[“\"])([A-Z0-9][^‘’“”\"\n]{2,120}?)"
    r"(?:[’'](?![\w])|[”\"])"
)
_NAMED_WORK = re.compile(
    rf"(\b[Tt]he|\b[Oo]ur|\b[Ii]ts|\b[Tt]heir|\b[Hh]is|\b[Hh]er|['’]s)\s+({_RUN})"
    rf"((?:\s+[a-z][a-z-]+){{0,2}})\s+({'|'.join(_WORK_NOUNS)})\b"
    r"(?:\s*\(((?:19|20)\d\d)\))?"
)
_NOUN_ANCHOR = re.compile(rf"\b(?:{'|'.join(_WORK_NOUNS)})\b")
_ORG_RUN = re.compile(rf"(?<![\w’'])((?:[Tt]he )?{_RUN})")
_YEAR_ANCHOR = re.compile(r"\((?:19|20)\d\d[^)]{0,12}\)")
_POSTNOMINAL_ANCHOR = re.compile(rf"\b{_POSTNOMINAL}\b")
_AFFILIATION = re.compile(rf"^(?:{_HONORIFIC}\s+)?({_NAME})(?:,?\s+{_POSTNOMINAL}\b)*,\s+(.+)$")
_STOP_FIRST = frozenset(
    {
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "Our",
        "We",
        "Its",
        "Their",
        "In",
        "On",
        "At",
        "For",
        "By",
        "With",
        "From",
        "Visit",
        "See",
        "Read",
        "Download",
        "Find",
        "Join",
        "Hear",
        "Get",
        "If",
        "When",
        "While",
        "As",
        "Ahead",
        "It",
        "Each",
        "Both",
    }
)


@dataclass(frozen=True)
class Proposal:
    """A new entity a document seems to name: label, type guess, where and why."""

    label: str
    type: str
    start_char: int
    end_char: int
    why: str
    alt_labels: tuple[str, ...] = ()
    year: str | None = None
    by_publisher: bool = False
    """Named as the document's own ("our X report"): its publisher made it."""


def guess_type(name: str) -> str | None:
    """The entity type a name's head word suggests (``Paul Hamlyn Foundation`` ->
    Organisation, ``Centre for Social Investigation`` -> Organisation), or None.

    The head is the last word before the first preposition (``Design Principles for
    Meaningful Mixing`` -> Principles -> Idea)."""
    words = name.replace("’", "'").split()
    if not words:
        return None
    if words[0] == "APPG" or name.startswith("All-Party Parliamentary Group"):
        return "APPG"
    if re.search(r"\b[Ww]orking [Gg]roup$", name):
        return "Working group"
    cut = next((i for i, w in enumerate(words) if i and w in _PREPOSITIONS), len(words))
    head = words[cut - 1]
    if head in _WORK_HEADS:
        return _WORK_HEADS[head]
    if head in _GOVERNMENT_HEADS:
        return "Government body"
    if head in _ORGANISATION_HEADS:
        return "Organisation"
    return None


def _clean(run: str) -> str:
    """A run without a leading article or a trailing possessive."""
    run = re.sub(r"['’]s$", "", run.strip(" ,.;:"))
    return re.sub(r"^(?:The|A|An)\s+(?=\S+\s)", "", run)


def _person_label(honorific: str, name: str) -> str:
    """People are named without titles, except peers known by one name (Lord X)."""
    if len(name.split()) == 1:
        return f"{honorific} {name}"
    return name


def propose(text: str, offset: int = 0) -> Iterator[Proposal]:
    """Every entity the patterns find in one text (a paragraph or a sentence), with its
    character offsets in that text plus ``offset``."""
    whole = _WHOLE_TITLE_YEAR.match(text)
    if whole and len(whole.group(1).split()) <= 12:
        title = whole.group(1).strip()
        yield Proposal(
            title,
            guess_type(title) or "Report",
            whole.start(1) + offset,
            whole.end(1) + offset,
            "a title followed by a year in brackets",
            year=None if whole.group(3) else whole.group(2),
        )
    for m in _APPG.finditer(text):
        topic = m.group(1)
        alts = dict.fromkeys(
            [f"All-Party Parliamentary Group on {topic}", " ".join(m.group(0).split())]
        )
        yield Proposal(
            f"APPG on {topic}",
            "APPG",
            m.start() + offset,
            m.end(1) + offset,
            "All-Party Parliamentary Group on ...",
            tuple(alts),
        )
    for m in _PERSON_HONORIFIC.finditer(text):
        label = _person_label(m.group(1), m.group(2))
        yield Proposal(
            label,
            "Person",
            m.start() + offset,
            m.end() + offset,
            f"a person's title ({m.group(1)})",
            tuple({" ".join(m.group(0).split())} - {label}),
        )
    for m in _near(_PERSON_POSTNOMINAL, _POSTNOMINAL_ANCHOR, text):
        name = m.group(1)
        if name.split()[0] in _STOP_FIRST or guess_type(name) is not None:
            continue
        yield Proposal(
            name,
            "Person",
            m.start() + offset,
            m.end() + offset,
            f"a person's post-nominal letters ({m.group(2).strip(' ,')})",
            (" ".join(m.group(0).split()),),
        )
    if not whole:
        for m in _near(_TITLE_YEAR, _YEAR_ANCHOR, text):
            title = _clean(m.group(1))
            if title.split()[0] not in _STOP_FIRST:
                yield Proposal(
                    title,
                    guess_type(title) or "Report",
                    m.start(1) + offset,
                    m.end(1) + offset,
                    "a title followed by a year in brackets",
                    year=None if m.group(3) else m.group(2),
                )
    for m in _QUOTED.finditer(text):
        title = m.group(1).strip()
        if 1 <= len(title.split()) <= 15 and not re.search(r"[.!?,;:]\s", title):
            kind = guess_type(title)
            yield Proposal(
                title,
                kind if kind in ("Idea", "Strategy", "Survey", "Report") else "Report",
                m.start(1) + offset,
                m.end(1) + offset,
                "a quoted title",
            )
    for m in _near(_NAMED_WORK, _NOUN_ANCHOR, text):
        title = _clean(m.group(2))
        noun = m.group(4)
        between = set(m.group(3).split())
        if (
            title.split()[0] in _STOP_FIRST - {"The"}
            or len(title) < 3
            or between & _FUNCTION
            or guess_type(title) in ("Organisation", "Government body")
        ):
            continue
        longer = f"{title}{m.group(3)} {noun}".strip()
        longer_titles = (longer,) if m.group(3) else ()
        ours = m.group(1).lower() == "our"
        yield Proposal(
            title,
            guess_type(title) or _WORK_NOUNS[noun],
            m.start(2) + offset,
            m.end(2) + offset,
            f'a named {noun} ("{m.group(1).lower()} ... {noun}")',
            longer_titles,
            year=m.group(5),
            by_publisher=ours,
        )
    for m in _ORG_RUN.finditer(text):
        if _HEADS.isdisjoint(m.group(1).split()):
            continue  # no head word: no organisation, body or work (most runs)
        yield from _organisations(
            m.group(1),
            m.start(1) + offset,
            "a name with the head word of an organisation, a body or a work",
        )
    affiliation = _AFFILIATION.match(text)
    if affiliation:
        yield from _affiliation(affiliation, offset)


def _near(
    pattern: re.Pattern[str], anchor: re.Pattern[str], text: str, before: int = 160
) -> Iterator[re.Match[str]]:
    """``pattern``'s matches that end by an ``anchor`` (a year in brackets, a work noun, a
    post-nominal), found in a window before each anchor only: the patterns start with a
    capitalised run, slow to try at every capital of a long page."""
    seen: set[tuple[int, int]] = set()
    for hit in anchor.finditer(text):
        start = max(0, hit.start() - before)
        if start:  # begin the window at a word boundary
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < hit.start() else hit.start()
        for m in pattern.finditer(text, start, hit.end() + 8):
            if (m.start(), m.end()) not in seen:
                seen.add((m.start(), m.end()))
                yield m


def _organisations(
    run: str, start: int, why: str, *, fallback: str | None = None
) -> Iterator[Proposal]:
    """The organisation or body a capitalised run names, by head word: the whole run, or
    its longest tail that has one (``Director of the Centre for X`` -> ``Centre for X``);
    ``fallback`` is the type when no head word says (an affiliation's last part)."""
    words = run.split()
    for i in range(len(words)):
        if i and words[i - 1] not in _PREPOSITIONS | {"the", "and", "The"}:
            continue
        name = _clean(" ".join(words[i:]))
        if not name or name.split()[0] in _STOP_FIRST or name.split()[0].islower():
            continue
        kind = guess_type(name) or (fallback if i == 0 else None)
        size = len(name.split())
        if name in _SINGLE_BODIES and words[i - 1 : i] in (["the"], ["The"]):
            name, kind, size = f"The {name}", "Government body", 2
        if (kind in ("Organisation", "Government body") and (size >= 2 or fallback)) or (
            kind in _NAMED_WORK_TYPES and size >= 2
        ):
            begin = start + run.find(name)
            yield Proposal(name, kind, begin, begin + len(name), why)
            return


def affiliation_person(text: str) -> str | None:
    """The person an affiliation line names ("Dr NAME, Role, Organisation"), or None."""
    match = _AFFILIATION.match(text)
    return match.group(1) if match else None


def _affiliation(match: re.Match[str], offset: int) -> Iterator[Proposal]:
    """``NAME, Role, Organisation[, and Role, Organisation]``: the person and the
    organisations of the list line (the last part is an organisation whatever its name)."""
    name = match.group(1)
    yield Proposal(
        name,
        "Person",
        match.start(1) + offset,
        match.end(1) + offset,
        "a person in an affiliation line (NAME, role, organisation)",
    )
    rest = match.group(2)
    segments = [(m.start(), m.group(0)) for m in re.finditer(r"[^,]+", rest)]
    for i, (at, segment) in enumerate(segments):
        piece = re.sub(r"\s*\([^)]*\)\s*\.?$", "", segment).strip(" .")
        piece = re.sub(r"^and\s+", "", piece)
        if i == 0 or not piece or not re.fullmatch(_RUN, piece):
            continue  # the first part is a role
        yield from _organisations(
            piece,
            offset + match.start(2) + at + segment.find(piece),
            "an organisation in an affiliation line",
            fallback="Organisation" if i == len(segments) - 1 else None,
        )
