"""Turn one read row into a clean record, or into the full list of what is wrong with it.

Every problem in a row is reported (not only the first), each with the column, the offending
value, what is wrong and how to fix it. A row with any problem is rejected whole: storing half
a record would make the count and the linkage wrong in ways nobody could see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from reckon.errors import UnknownTermError, ValidationError
from reckon.ingest.fields import ColumnMapping
from reckon.ingest.rows import RawRow
from reckon.records.partial_dates import PartialDate, parse_age, parse_partial_date
from reckon.records.scripts import ROMANIZATIONS, detect_script
from reckon.records.vocabulary import load_vocabulary

MAX_CHARS = {"record_id": 200, "name": 400, "county": 200, "method": 200, "notes": 20_000}
EXTRA_MAX_CHARS = 5_000
# A cell that a spreadsheet would run as a formula. Our own CSV export writes such text with a
# leading apostrophe (see export.py); ingest reads that form back.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EMPTY_MARKERS = {"", "-"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or with the row, when ``column`` is None)."""

    column: str | None
    value: str | None
    problem: str
    fix: str

    def __post_init__(self) -> None:
        # Library messages may list details on several lines; a report line holds one problem.
        lines = [line.strip(" -") for line in self.problem.splitlines() if line.strip(" -")]
        object.__setattr__(self, "problem", "; ".join(lines))

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "value": self.value,
            "problem": self.problem,
            "fix": self.fix,
        }


@dataclass
class CleanRecord:
    """A row that passed every check, with values in their stored form."""

    row_number: int
    row_hash: str
    record_id: str | None = None
    name: str | None = None
    name_script: str | None = None
    name_romanization: str | None = None
    sex: str | None = None
    birth: PartialDate | None = None
    age_at_event: int | None = None
    province: str | None = None  # vocabulary code
    county: str | None = None
    event: PartialDate | None = None
    violation: str | None = None  # vocabulary code
    facility_code: str | None = None  # gazetteer code of a known facility
    facility_type: str | None = None  # DF code
    perpetrator: str | None = None  # PI code
    method: str | None = None
    notes: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def has_act(self) -> bool:
        return any(
            v is not None
            for v in (
                self.event,
                self.violation,
                self.facility_type,
                self.perpetrator,
                self.method,
                self.age_at_event,
            )
        )

    def person_signature(self) -> tuple[Any, ...]:
        """What must agree for two rows with one record id to be the same person."""
        birth = (self.birth.earliest, self.birth.latest) if self.birth else None
        return (self.name, self.sex, birth, self.province, self.county)


def row_hash(row: RawRow) -> str:
    """Content hash of a row's cells (header-sorted), independent of row position and mapping."""
    cells = sorted((k, (v or "").strip()) for k, v in row.cells.items())
    encoded = json.dumps(cells, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


class RowValidator:
    """Validates rows of one file under one column mapping."""

    def __init__(
        self, mapping: ColumnMapping, *, source: str | None = None, today: dt.date | None = None
    ) -> None:
        self.mapping = mapping
        self.source = source
        self._memo: dict[tuple[Any, ...], tuple[Any, ValidationError | None]] = {}
        self.today = today or dt.date.today()
        self._vocab = {
            name: load_vocabulary(name)
            for name in (
                "sex",
                "provinces",
                "violation_types",
                "facilities",
                "facility_types",
                "perpetrator_institutions",
            )
        }

    def validate(self, row: RawRow) -> CleanRecord | list[Problem]:
        if row.problem:
            return [Problem(None, None, row.problem, _fix_for_reading_problem(row.problem))]
        problems: list[Problem] = []
        cells: dict[str, str | None] = {}
        for column, raw in row.cells.items():
            cells[column] = self._cell(column, raw, problems)
        record = CleanRecord(row_number=row.number, row_hash=row_hash(row))
        get = self._getter(cells)
        self._identity(record, get, problems)
        self._dates(record, get, problems)
        self._places_and_acts(record, get, problems)
        for column in self.mapping.extras:
            value = cells.get(column)
            if value is None:
                continue
            if len(value) > EXTRA_MAX_CHARS:
                problems.append(
                    Problem(
                        column,
                        _clip(value),
                        f"{len(value):,} characters is more "
                        f"than the {EXTRA_MAX_CHARS:,} kept for an extra column",
                        "shorten the cell or map the column to 'notes'",
                    )
                )
            record.extra[column] = value
        return problems if problems else record

    # Lists repeat the same years, provinces and terms thousands of times: parse each once.
    # Outcomes, errors included, are cached; both are immutable.

    def _lookup(self, vocabulary: str, value: str) -> Any:
        return self._cached(
            ("term", vocabulary, value), lambda: self._vocab[vocabulary].lookup(value)
        )

    def _parse_date(self, value: str, min_year: int) -> PartialDate:
        return self._cached(
            ("date", value, min_year),
            lambda: parse_partial_date(value, today=self.today, min_year=min_year),
        )

    def _cached(self, key: tuple[Any, ...], compute: Any) -> Any:
        if key not in self._memo:
            if len(self._memo) > 200_000:
                self._memo.clear()
            try:
                self._memo[key] = (compute(), None)
            except ValidationError as err:
                self._memo[key] = (None, err)
        value, error = self._memo[key]
        if error is not None:
            raise error.with_traceback(None)
        return value

    # -- cells ----------------------------------------------------------------------------------

    def _cell(self, column: str, raw: str | None, problems: list[Problem]) -> str | None:
        if raw is None:
            return None
        value = unicodedata.normalize("NFC", raw).strip()
        if value in EMPTY_MARKERS:
            return None
        if value[:1] == "'" and value[1:2] in FORMULA_START:
            return value[1:]  # written so by a spreadsheet-safe export: the text is literal
        if raw[:1] in FORMULA_START or (value[:1] in FORMULA_START and not _NUMBER.match(value)):
            problems.append(
                Problem(
                    column,
                    _clip(value),
                    "the cell starts like a spreadsheet formula",
                    "remove the leading character, or write a leading apostrophe (') if the text "
                    "really starts so",
                )
            )
            return None
        control = _CONTROL.search(value)
        if control:
            problems.append(
                Problem(
                    column,
                    _clip(value),
                    f"the cell holds the control character U+{ord(control.group()):04X}",
                    "remove it (it usually comes from a broken export)",
                )
            )
            return None
        return value

    def _getter(self, cells: dict[str, str | None]) -> Any:
        fields = self.mapping.fields

        def get(name: str) -> tuple[str | None, str | None]:
            column = fields.get(name)
            return (column, cells.get(column)) if column else (None, None)

        return get

    def _text(self, name: str, get: Any, problems: list[Problem]) -> str | None:
        column, value = get(name)
        if value is not None and len(value) > MAX_CHARS[name]:
            problems.append(
                Problem(
                    column,
                    _clip(value),
                    f"{len(value):,} characters is more than the "
                    f"{MAX_CHARS[name]:,} allowed for {name}",
                    f"shorten the {name}, or put long text in notes",
                )
            )
            return None
        return value

    def _term(self, vocabulary: str, name: str, get: Any, problems: list[Problem]) -> Any:
        column, value = get(name)
        if value is None:
            return None
        try:
            return self._lookup(vocabulary, value)
        except UnknownTermError as err:
            problems.append(
                Problem(
                    column, _clip(value), str(err), f"use a term from `reckon vocab {vocabulary}`"
                )
            )
        except ValidationError as err:
            problems.append(Problem(column, _clip(value), str(err), "write the term exactly"))
        return None

    # -- field groups ---------------------------------------------------------------------------

    def _identity(self, record: CleanRecord, get: Any, problems: list[Problem]) -> None:
        column, value = get("source")
        if value is not None and self.source is not None and value != self.source:
            problems.append(
                Problem(
                    column,
                    value,
                    f"the row belongs to source {value!r}, not {self.source!r}",
                    f"ingest it with --source {value!r}, or export one source at a time",
                )
            )
        record.record_id = self._text("record_id", get, problems)
        record.name = self._text("name", get, problems)
        if record.name is not None:
            record.name = re.sub(r"\s+", " ", record.name)
            record.name_script = detect_script(record.name)
        column, value = get("name_romanization")
        if value is not None:
            key = value.strip().casefold().replace("-", "").replace("–", "")
            key = {"revisedromanization": "rr", "mccunereischauer": "mr"}.get(key, key)
            if key in ROMANIZATIONS:
                record.name_romanization = key
            else:
                problems.append(
                    Problem(
                        column,
                        value,
                        "not a known romanization system",
                        f"write one of {', '.join(ROMANIZATIONS)}",
                    )
                )
        sex = self._term("sex", "sex", get, problems)
        record.sex = sex.code if sex else None
        record.method = self._text("method", get, problems)
        record.notes = self._text("notes", get, problems)

    def _dates(self, record: CleanRecord, get: Any, problems: list[Problem]) -> None:
        # Someone born in the 1880s could still be a victim in the 1950s.
        record.birth = self._date_pair("birth_date", "birth_year", get, problems, min_year=1850)
        record.event = self._date_pair("event_date", "event_year", get, problems)
        column, value = get("age_at_event")
        if value is not None:
            try:
                record.age_at_event = parse_age(value)
            except ValidationError as err:
                problems.append(
                    Problem(
                        column, value, str(err), "write the age in whole years between 0 and 120"
                    )
                )
        birth, event = record.birth, record.event
        if birth and event and birth.earliest and event.latest and event.latest < birth.earliest:
            problems.append(
                Problem(
                    get("event_date")[0] or get("event_year")[0],
                    event.original,
                    f"the event ({event.original}) is before the birth ({birth.original})",
                    "check both dates; one of them is in the wrong column or mistyped",
                )
            )

    def _date_pair(
        self,
        date_name: str,
        year_name: str,
        get: Any,
        problems: list[Problem],
        *,
        min_year: int = 1900,
    ) -> PartialDate | None:
        parsed: list[tuple[str, PartialDate]] = []
        for name in (date_name, year_name):
            column, value = get(name)
            if value is None:
                continue
            if name == year_name and not re.fullmatch(r"\d{4}", value):
                problems.append(
                    Problem(
                        column,
                        value,
                        "a year must be four digits",
                        f"write the year like 1997, or map the column to "
                        f"{date_name} for a fuller date",
                    )
                )
                continue
            try:
                parsed.append((column, self._parse_date(value, min_year)))
            except ValidationError as err:
                problems.append(
                    Problem(
                        column,
                        _clip(value),
                        str(err),
                        "write a date like 1997, 1997-03, spring 1997 or 2005년 3월",
                    )
                )
        if len(parsed) == 2:
            (c1, first), (c2, second) = parsed
            if not first.overlaps(second):
                problems.append(
                    Problem(
                        c2,
                        second.original,
                        f"{c1} {first.original!r} and {c2} {second.original!r} disagree",
                        "correct one of the two, or leave one empty",
                    )
                )
        return parsed[0][1] if parsed else None

    def _places_and_acts(self, record: CleanRecord, get: Any, problems: list[Problem]) -> None:
        province = self._term("provinces", "province", get, problems)
        if province is not None:
            record.province = province.code
        record.county = self._text("county", get, problems)
        violation = self._term("violation_types", "violation", get, problems)
        record.violation = violation.code if violation else None
        perpetrator = self._term("perpetrator_institutions", "perpetrator", get, problems)
        record.perpetrator = perpetrator.code if perpetrator else None
        column, value = get("facility")
        if value is None:
            return
        try:
            known = self._lookup("facilities", value)
            record.facility_code = known.code
            record.facility_type = _facility_type_of(known)
            return
        except UnknownTermError as err:
            suggestions = list(err.suggestions)
        except ValidationError as err:
            problems.append(Problem(column, value, str(err), "write the facility exactly"))
            return
        try:
            record.facility_type = self._lookup("facility_types", value).code
        except UnknownTermError as err:
            suggestions += list(err.suggestions)
            hint = f"did you mean {', '.join(suggestions[:4])}?" if suggestions else ""
            problems.append(
                Problem(
                    column,
                    _clip(value),
                    f"{value!r} is neither a known facility nor a facility type {hint}".strip(),
                    "use a name from `reckon vocab facilities` or a type from "
                    "`reckon vocab facility_types`",
                )
            )
        except ValidationError as err:
            problems.append(Problem(column, value, str(err), "write the facility type exactly"))


def _facility_type_of(term: Any) -> str | None:
    found = term.attributes.get("facility_type")
    return str(found) if found else None


def _clip(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _fix_for_reading_problem(problem: str) -> str:
    text = problem.casefold()
    if "encoding" in text or "utf-8" in text or "cp949" in text:
        return "save the whole file in one encoding (UTF-8), or pass --encoding"
    if "cells but the header" in text:
        return "check for an unquoted delimiter or line break inside a cell"
    if "nul" in text:
        return "remove the NUL bytes (the file may be binary or UTF-16 read as UTF-8)"
    return "correct the row in the source file and import it again"
