"""Persistent identifiers: DOI, ISBN, ROR, ORCID, Wikidata, UK Parliament, Charity
Commission, Companies House, gov.uk and OpenAlex; parsed, checked and normalised.

Every identifier is stored as one plain ``dcterms:identifier`` literal written
``scheme:value`` in its canonical form (``"doi:10.7717/peerj.4375"``,
``"orcid:0000-0002-1825-0097"``), so one exact, indexed lookup finds it whatever way a user
typed it; where the scheme has a resolvable IRI for the thing itself (DOI, ORCID, ROR,
Wikidata, UK Parliament member, OpenAlex) the entity also gets ``owl:sameAs`` that IRI.
A gov.uk address names a page, not the thing, so it has no ``owl:sameAs``.

The checksums (ORCID's ISO 7064 mod 11-2, ISBN-10 and ISBN-13, ROR's ISO 7064 mod 97-10
over its Crockford base32 digits) are checked here; the SHACL shapes check only formats.

Example:
    >>> parse("https://doi.org/10.7717/PeerJ.4375").literal
    'doi:10.7717/peerj.4375'
    >>> parse("0000-0002-1825-0097").iri
    'https://orcid.org/0000-0002-1825-0097'

Kept as one module: it is a table of schemes, each a parser of a few lines with its
checksum; the table is read as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from .errors import InfluenceGraphError


class BadIdentifier(InfluenceGraphError):
    """Text that claims to be an identifier of a scheme but is not a valid one."""


@dataclass(frozen=True)
class Identifier:
    """One identifier in canonical form: its scheme and value."""

    scheme: str
    value: str

    @property
    def literal(self) -> str:
        """The ``dcterms:identifier`` text: ``scheme:value``."""
        return f"{self.scheme}:{self.value}"

    @property
    def iri(self) -> str | None:
        """The resolvable IRI of the thing itself (for ``owl:sameAs``), if the scheme has one."""
        base = SCHEMES[self.scheme].resolver
        if base is None:
            return None
        return base + (self.value.upper() if self.scheme == "openalex" else self.value)


# ---------------------------------------------------------------- checksums

_ROR_DIGITS = "0123456789abcdefghjkmnpqrstvwxyz"
"""Crockford base32, as ROR writes it (no i, l, o or u)."""


def orcid_check_digit(digits: str) -> str:
    """The ISO 7064 mod 11-2 check character of the first 15 digits of an ORCID iD.

    Example:
        >>> orcid_check_digit("000000021825009")
        '7'
    """
    total = 0
    for ch in digits:
        total = (total + int(ch)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def isbn10_check_digit(digits: str) -> str:
    """The check character of the first 9 digits of an ISBN-10."""
    total = sum((10 - i) * int(ch) for i, ch in enumerate(digits))
    result = (11 - total % 11) % 11
    return "X" if result == 10 else str(result)


def isbn13_check_digit(digits: str) -> str:
    """The check digit of the first 12 digits of an ISBN-13 (EAN-13)."""
    total = sum(int(ch) * (3 if i % 2 else 1) for i, ch in enumerate(digits))
    return str((10 - total % 10) % 10)


def ror_checksum(body: str) -> str:
    """ROR's two check digits: ISO 7064 mod 97-10 of the six base32 digits after the 0.

    Example:
        >>> ror_checksum("5dxps0")
        '55'
    """
    number = 0
    for ch in body:
        number = number * 32 + _ROR_DIGITS.index(ch)
    return f"{98 - (number * 100) % 97:02d}"


# ---------------------------------------------------------------- schemes


def _doi(text: str) -> str:
    value = unquote(text).strip().lower()
    if not re.fullmatch(r"10\.\d{4,9}/\S+", value):
        raise ValueError("a DOI is 10.NNNN/suffix")
    return value


def _isbn(text: str) -> str:
    value = re.sub(r"[\s-]", "", text).upper()
    if re.fullmatch(r"\d{9}[\dX]", value):
        if isbn10_check_digit(value[:9]) != value[9]:
            raise ValueError(f"ISBN-10 check digit should be {isbn10_check_digit(value[:9])}")
        return value
    if re.fullmatch(r"97[89]\d{10}", value):
        if isbn13_check_digit(value[:12]) != value[12]:
            raise ValueError(f"ISBN-13 check digit should be {isbn13_check_digit(value[:12])}")
        return value
    raise ValueError("an ISBN has 10 characters or 13 digits starting 978 or 979")


def _orcid(text: str) -> str:
    value = re.sub(r"[\s-]", "", text).upper()
    if not re.fullmatch(r"\d{15}[\dX]", value):
        raise ValueError("an ORCID iD is 16 digits (the last may be X): 0000-0002-1825-0097")
    if orcid_check_digit(value[:15]) != value[15]:
        raise ValueError(
            f"ORCID checksum fails: the last character should be {orcid_check_digit(value[:15])}"
        )
    return "-".join(value[i : i + 4] for i in range(0, 16, 4))


def _ror(text: str) -> str:
    value = text.strip().lower()
    if not re.fullmatch(r"0[0-9a-hjkmnp-tv-z]{6}\d{2}", value):
        raise ValueError("a ROR id is 0, six base32 characters and two digits: 05dxps055")
    if ror_checksum(value[1:7]) != value[7:]:
        raise ValueError(
            f"ROR checksum fails: the last two digits should be {ror_checksum(value[1:7])}"
        )
    return value


def _qid(text: str) -> str:
    value = text.strip().upper()
    if not re.fullmatch(r"Q[1-9]\d*", value):
        raise ValueError("a Wikidata item is Q and a number: Q42")
    return value


def _parliament(text: str) -> str:
    value = text.strip()
    if not re.fullmatch(r"[1-9]\d{0,5}", value):
        raise ValueError("a UK Parliament member id is a number: 4514")
    return value


def _charity(text: str) -> str:
    value = re.sub(r"\s", "", text)
    if not re.fullmatch(r"[1-9]\d{5,6}(-\d{1,2})?", value):
        raise ValueError("a Charity Commission number has 6 or 7 digits (and maybe -N): 1092871")
    return value


def _company(text: str) -> str:
    value = re.sub(r"\s", "", text).upper()
    if re.fullmatch(r"\d{1,8}", value):
        value = value.zfill(8)
    if not re.fullmatch(r"(\d{2}|[A-Z]{2})\d{6}", value):
        raise ValueError("a Companies House number is 8 digits, or 2 letters and 6 digits")
    return value


def _govuk(text: str) -> str:
    value = "/" + text.strip().lstrip("/").split("?")[0].split("#")[0].rstrip("/")
    if not re.fullmatch(r"(/[a-z0-9][a-z0-9._-]*)+", value):
        raise ValueError(
            "a gov.uk address is a path of lower-case words: "
            "/government/organisations/department-for-education"
        )
    return value


def _openalex(text: str) -> str:
    value = text.strip().upper()
    if not re.fullmatch(r"[WAISPFTC][1-9]\d*", value):
        raise ValueError("an OpenAlex id is a letter and a number: W2741809807")
    return value


@dataclass(frozen=True)
class Scheme:
    """One identifier scheme: its name, what it identifies, its canonical form and resolver."""

    name: str
    label: str
    normalise: Callable[[str], str]
    pattern: str
    """The canonical ``scheme:value`` form as a regular expression (SHACL's sh:pattern)."""
    resolver: str | None = None
    urls: tuple[str, ...] = ()
    """Regular expressions for addresses that carry the value (group 1)."""
    bare: str | None = None
    """A regular expression for the value written alone, if it cannot be mistaken."""


SCHEMES: dict[str, Scheme] = {
    s.name: s
    for s in (
        Scheme(
            "doi",
            "DOI",
            _doi,
            r"doi:10\.[0-9]{4,9}/\S+",
            "https://doi.org/",
            (r"(?:https?://)?(?:dx\.)?doi\.org/(.+)",),
            r"10\.\d{4,9}/\S+",
        ),
        Scheme(
            "isbn",
            "ISBN",
            _isbn,
            r"isbn:([0-9]{9}[0-9X]|97[89][0-9]{10})",
            bare=r"(?:97[89][\d -]{10,14}|\d{9}[\dX])",
        ),
        Scheme(
            "ror",
            "ROR",
            _ror,
            r"ror:0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}",
            "https://ror.org/",
            (r"(?:https?://)?ror\.org/(\w+)",),
            r"0[0-9a-hjkmnp-tv-z]{6}\d{2}",
        ),
        Scheme(
            "orcid",
            "ORCID",
            _orcid,
            r"orcid:[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]",
            "https://orcid.org/",
            (r"(?:https?://)?(?:www\.)?orcid\.org/([\d-]+[\dXx])",),
            r"\d{4}-\d{4}-\d{4}-\d{3}[\dXx]",
        ),
        Scheme(
            "wikidata",
            "Wikidata",
            _qid,
            r"wikidata:Q[1-9][0-9]*",
            "http://www.wikidata.org/entity/",
            (r"(?:https?://)?(?:www\.)?wikidata\.org/(?:wiki|entity)/(Q\d+)",),
            r"Q[1-9]\d*",
        ),
        Scheme(
            "ukparliament",
            "UK Parliament member",
            _parliament,
            r"ukparliament:[1-9][0-9]{0,5}",
            "https://members.parliament.uk/member/",
            (r"(?:https?://)?members\.parliament\.uk/member/(\d+)(?:/.*)?",),
        ),
        Scheme(
            "charity",
            "Charity Commission",
            _charity,
            r"charity:[1-9][0-9]{5,6}(-[0-9]{1,2})?",
            urls=(
                r"(?:https?://)?register-of-charities\.charitycommission\.gov\.uk/"
                r"(?:[\w-]+/)*charity-(?:details|search)/.*?(\d{6,7})(?:/.*)?",
            ),
        ),
        Scheme(
            "companieshouse",
            "Companies House",
            _company,
            r"companieshouse:([0-9]{2}|[A-Z]{2})[0-9]{6}",
            urls=(
                r"(?:https?://)?find-and-update\.company-information\.service\.gov\.uk/"
                r"company/(\w+)(?:/.*)?",
            ),
        ),
        Scheme(
            "govuk",
            "gov.uk address",
            _govuk,
            r"govuk:(/[a-z0-9][a-z0-9._-]*)+",
            urls=(r"(?:https?://)?(?:www\.)?gov\.uk(/.*)",),
        ),
        Scheme(
            "openalex",
            "OpenAlex",
            _openalex,
            r"openalex:[WAISPFTC][1-9][0-9]*",
            "https://openalex.org/",
            (r"(?:https?://)?openalex\.org/(\w+)",),
            r"W[1-9]\d{3,}",
        ),
    )
}
"""Every scheme, by the name its literals start with."""

_ALIASES = {
    "companies-house": "companieshouse",
    "ch": "companieshouse",
    "qid": "wikidata",
    "wd": "wikidata",
    "ukparl": "ukparliament",
    "mnis": "ukparliament",
    "gov.uk": "govuk",
}


@lru_cache(maxsize=1 << 16)  # bulk records name the same authors and places again and again
def parse(text: str, scheme: str | None = None) -> Identifier:
    """The identifier ``text`` writes, in canonical form, checksum checked.

    Accepts ``scheme:value``, a resolver or register address, or (for DOI, ORCID, ROR,
    ISBN, Wikidata and OpenAlex work ids) the bare value; ``scheme`` says which scheme a
    bare value is. Raises :class:`BadIdentifier` saying why.

    Example:
        >>> parse("Q42").literal, parse("isbn:978-0-306-40615-7").literal
        ('wikidata:Q42', 'isbn:9780306406157')
    """
    found = _split(text.strip(), scheme)
    if found is None:
        raise BadIdentifier(
            f"{text!r} is not an identifier of a known scheme ({', '.join(SCHEMES)})"
        )
    name, value = found
    try:
        return Identifier(name, SCHEMES[name].normalise(value))
    except ValueError as exc:
        raise BadIdentifier(f"{text!r}: {exc}") from None


def _split(text: str, scheme: str | None) -> tuple[str, str] | None:
    """(scheme, raw value) of an identifier's text, or None if it names no scheme."""
    if scheme is not None:
        name = _ALIASES.get(scheme.lower(), scheme.lower())
        if name not in SCHEMES:
            raise BadIdentifier(f"unknown identifier scheme {scheme!r}")
        for url in SCHEMES[name].urls:
            if match := re.fullmatch(url, text, re.IGNORECASE):
                return name, match.group(1)
        prefix, _, rest = text.partition(":")
        return name, rest if _ALIASES.get(prefix.lower(), prefix.lower()) == name else text
    prefix, sep, rest = re.sub(r"^isbn\s+", "isbn:", text, flags=re.IGNORECASE).partition(":")
    name = _ALIASES.get(prefix.lower(), prefix.lower())
    if sep and name in SCHEMES and not rest.startswith("//"):
        return name, rest
    for candidate in SCHEMES.values():
        for url in candidate.urls:
            if match := re.fullmatch(url, text, re.IGNORECASE):
                return candidate.name, match.group(1)
    for candidate in SCHEMES.values():
        if candidate.bare and re.fullmatch(candidate.bare, text, re.IGNORECASE):
            return candidate.name, text
    return None


def looks_like(text: str) -> Identifier | None:
    """The identifier ``text`` is, if it is a valid one; None for anything else (a label).

    Example:
        >>> looks_like("The Challenge") is None, looks_like("Q42").scheme
        (True, 'wikidata')
    """
    try:
        return parse(text)
    except BadIdentifier:
        return None


def from_literal(text: str) -> Identifier:
    """The identifier a stored ``dcterms:identifier`` literal holds, re-checked (checksums
    included); raises :class:`BadIdentifier` for an unknown scheme or a bad value."""
    name, sep, value = text.partition(":")
    if not sep or name not in SCHEMES:
        raise BadIdentifier(
            f"{text!r} does not start with a known scheme ({', '.join(SCHEMES)}) and a colon"
        )
    found = parse(value, name)
    if found.literal != text:
        raise BadIdentifier(f"{text!r} is not in canonical form: write {found.literal!r}")
    return found


def from_iri(iri: str) -> Identifier | None:
    """The identifier a resolvable IRI (``owl:sameAs`` object) stands for, if any."""
    for scheme in SCHEMES.values():
        if scheme.resolver and iri.startswith(scheme.resolver):
            try:
                return parse(iri[len(scheme.resolver) :], scheme.name)
            except BadIdentifier:
                return None
    return None


def shacl_pattern() -> str:
    """One regular expression every ``dcterms:identifier`` must match (kept equal to the
    sh:pattern in ontology/shapes.ttl by a test)."""
    return "^(" + "|".join(s.pattern for s in SCHEMES.values()) + ")$"
