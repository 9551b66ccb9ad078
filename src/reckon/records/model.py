"""The records model every stage shares, after the HURIDOCS Events Standard Formats.

Plain frozen dataclasses, independent of any database: a :class:`Person` as one source records
them (names as written, sex, partial birth date, origin), the :class:`Act` s done to them, the
:class:`Involvement` of perpetrators, :class:`Event` s, :class:`Testimony` and :class:`Witness`
(known only by a pseudonymous code), and :class:`PlaceRef` (province → county; facility).

Controlled values are vocabulary codes and are checked on construction: every problem of an
object is reported at once, and an unknown term comes with the close matches. Text typed by a
person ("Hamgyŏng-pukto", "공개처형") is turned into codes by :func:`term_code`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from reckon.errors import UnknownTermError, ValidationError
from reckon.records.partial_dates import PartialDate
from reckon.records.scripts import ROMANIZATIONS, detect_script
from reckon.records.vocabulary import load_vocabulary

WITNESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: read aloud safely


def term_code(vocabulary: str, text: str) -> str:
    """The code of the term ``text`` names in ``vocabulary`` (code, label, alias...)."""
    return load_vocabulary(vocabulary).lookup(text).code


def _check_code(problems: list[str], vocabulary: str, what: str, code: str | None) -> None:
    if code is None:
        return
    terms = load_vocabulary(vocabulary)
    if code not in terms:
        try:
            suggestion = f"; did you mean {terms.lookup(code).code}?"
        except (UnknownTermError, ValidationError):
            close = terms.suggest(code)
            suggestion = f"; did you mean {', '.join(close)}?" if close else ""
        problems.append(f"{what} {code!r} is not a {vocabulary} code{suggestion}")


def _raise(kind: str, problems: list[str]) -> None:
    if problems:
        raise ValidationError(f"this {kind} cannot be recorded:", problems)


@dataclass(frozen=True)
class Name:
    """A name as written; ``script`` is detected when not given."""

    text: str
    script: str = ""
    romanization: str | None = None
    primary: bool = True

    def __post_init__(self) -> None:
        problems = []
        if not self.text.strip():
            problems.append("a name cannot be empty")
        if len(self.text) > 400:
            problems.append(f"a name of {len(self.text)} characters is longer than 400")
        if self.romanization is not None and self.romanization not in ROMANIZATIONS:
            problems.append(
                f"romanization {self.romanization!r} is not one of {', '.join(ROMANIZATIONS)}"
            )
        _raise("name", problems)
        if not self.script:
            object.__setattr__(self, "script", detect_script(self.text))


@dataclass(frozen=True)
class PlaceRef:
    """Where: a province code, a county as written, and/or a known facility's code."""

    province: str | None = None
    county: str | None = None
    facility: str | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        _check_code(problems, "provinces", "province", self.province)
        _check_code(problems, "facilities", "facility", self.facility)
        if self.county is not None and len(self.county) > 200:
            problems.append("a county name is longer than 200 characters")
        _raise("place", problems)

    def is_empty(self) -> bool:
        return self.province is None and self.county is None and self.facility is None


@dataclass(frozen=True)
class Involvement:
    """A perpetrator institution (and/or a perpetrator person's id) in an act, with a degree."""

    institution: str | None = None
    perpetrator_id: int | None = None
    degree: str | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        _check_code(problems, "perpetrator_institutions", "institution", self.institution)
        _check_code(problems, "degrees_of_involvement", "degree", self.degree)
        if self.institution is None and self.perpetrator_id is None:
            problems.append("an involvement names an institution or a perpetrator")
        _raise("involvement", problems)


@dataclass(frozen=True)
class Act:
    """One violation against one victim."""

    violation: str | None
    date: PartialDate | None = None
    age_at_event: int | None = None
    place: PlaceRef | None = None
    facility_type: str | None = None
    method: str | None = None
    notes: str | None = None
    involvements: tuple[Involvement, ...] = ()
    event_id: int | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        _check_code(problems, "violation_types", "violation", self.violation)
        _check_code(problems, "facility_types", "facility type", self.facility_type)
        if self.age_at_event is not None and not 0 <= self.age_at_event <= 120:
            problems.append(f"age at the event {self.age_at_event} is outside 0 to 120")
        _raise("act", problems)


@dataclass(frozen=True)
class Person:
    """A victim (or perpetrator) as one source records them."""

    names: tuple[Name, ...] = ()
    sex: str | None = None
    birth: PartialDate | None = None
    origin: PlaceRef | None = None
    record_id: str | None = None
    counting_unit: str = "CU.INDIVIDUAL"
    notes: str | None = None
    acts: tuple[Act, ...] = ()
    source: str | None = None  # filled when read from the store
    id: int | None = None  # filled when read from the store

    def __post_init__(self) -> None:
        problems: list[str] = []
        _check_code(problems, "sex", "sex", self.sex)
        _check_code(problems, "counting_units", "counting unit", self.counting_unit)
        if sum(name.primary for name in self.names) > 1:
            problems.append("a person has at most one primary name")
        for act in self.acts:
            if (
                self.birth
                and act.date
                and self.birth.earliest
                and act.date.latest
                and (act.date.latest < self.birth.earliest)
            ):
                problems.append(
                    f"the act dated {act.date.original or act.date} is before the "
                    f"birth ({self.birth.original or self.birth})"
                )
        _raise("person", problems)

    @property
    def name(self) -> str | None:
        """The primary name as written (or the first name when none is marked primary)."""
        for name in self.names:
            if name.primary:
                return name.text
        return self.names[0].text if self.names else None


@dataclass(frozen=True)
class Witness:
    """Who gave a testimony, known here only by a random code such as ``W-7KQ2-M9XD``."""

    code: str
    id: int | None = None

    @classmethod
    def new_code(cls) -> str:
        def block() -> str:
            return "".join(secrets.choice(WITNESS_CODE_ALPHABET) for _ in range(4))

        return f"W-{block()}-{block()}"


@dataclass(frozen=True)
class Testimony:
    """One interview or document, from one source."""

    __test__ = False  # not a test class, whatever its name says to pytest

    source: str
    witness_code: str | None = None
    date: PartialDate | None = None
    language: str | None = None
    interviewer: str | None = None
    text: str | None = None
    file_sha256: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.file_sha256 is not None and (
            len(self.file_sha256) != 64
            or not all(c in "0123456789abcdef" for c in self.file_sha256)
        ):
            problems.append("file_sha256 must be 64 lower-case hexadecimal characters")
        if not self.source.strip():
            problems.append("a testimony belongs to a source; give its name")
        _raise("testimony", problems)


@dataclass(frozen=True)
class Event:
    """Something that happened, possibly with many acts and victims."""

    source: str
    title: str | None = None
    description: str | None = None
    date: PartialDate | None = None
    place: PlaceRef | None = None
    id: int | None = None


@dataclass(frozen=True)
class Source:
    """An organisation's list or archive: a "system" in multiple systems estimation."""

    name: str
    description: str | None = None
    id: int | None = None
