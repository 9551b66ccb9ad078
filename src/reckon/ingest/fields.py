"""The fields a list can fill, the headers that name them, and how a file's columns map to them.

A column maps to a field by an explicit mapping (a YAML map file or ``--map col=field``) or, when
none is given, by its header: common English and Korean headers are known (``이름``, ``성별``,
``생년``, ``출신지``...). Columns that map to no field are kept with the row as extra fields and
reported, never dropped.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reckon.errors import ValidationError


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    headers: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field(
        "source",
        "the list the row belongs to; when present it must equal --source",
        ("source", "list", "출처"),
    ),
    Field(
        "record_id",
        "the list's own identifier of the record",
        ("record_id", "id", "record", "case_id", "case", "번호", "일련번호", "사례번호"),
    ),
    Field(
        "name",
        "the victim's name in any script or romanization",
        ("name", "full_name", "victim", "victim_name", "이름", "성명", "피해자", "피해자명"),
    ),
    Field(
        "name_romanization",
        "how a romanized name was written: rr, mr, dprk or passport",
        ("name_romanization", "romanization", "로마자표기"),
    ),
    Field("sex", "sex: M, F (or 남/여)", ("sex", "gender", "성별")),
    Field(
        "birth_date",
        "date of birth, as precise as known",
        ("birth_date", "date_of_birth", "dob", "birthdate", "생년월일", "출생일"),
    ),
    Field(
        "birth_year",
        "year of birth",
        ("birth_year", "year_of_birth", "yob", "생년", "출생연도", "출생년도"),
    ),
    Field(
        "age_at_event",
        "age at the time of the violation",
        ("age_at_event", "age", "나이", "연령", "당시나이", "당시연령"),
    ),
    Field(
        "province",
        "province of origin (DPRK)",
        ("province", "origin_province", "origin", "출신지", "출신도", "도"),
    ),
    Field(
        "county",
        "county or city of origin",
        ("county", "city", "origin_county", "시군", "군", "출신시군"),
    ),
    Field(
        "event_date",
        "date of the violation, as precise as known",
        ("event_date", "date", "date_of_event", "발생일", "발생일자", "사건일", "피해일"),
    ),
    Field(
        "event_year",
        "year of the violation",
        ("event_year", "year", "발생연도", "발생년도", "사건연도"),
    ),
    Field(
        "violation",
        "type of violation (controlled vocabulary)",
        (
            "violation",
            "violation_type",
            "act",
            "type_of_act",
            "피해유형",
            "침해유형",
            "인권침해유형",
        ),
    ),
    Field(
        "facility",
        "detention facility: a known camp or prison, or a facility type",
        ("facility", "camp", "prison", "detention_facility", "시설", "수용시설", "구금시설"),
    ),
    Field(
        "perpetrator",
        "perpetrator institution (controlled vocabulary)",
        ("perpetrator", "perpetrator_institution", "가해기관", "가해자기관"),
    ),
    Field("method", "method of violence, as written", ("method", "수법", "방법")),
    Field(
        "notes", "free-text remarks", ("notes", "remarks", "comment", "comments", "비고", "메모")
    ),
)

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
IGNORE = "ignore"  # an explicit mapping target: the column is read, counted and not stored


def normalise_header(header: str) -> str:
    text = unicodedata.normalize("NFC", header).strip().casefold()
    return re.sub(r"[\s_\-.()]+", "", text)


_BY_HEADER: dict[str, str] = {
    normalise_header(h): f.name for f in FIELDS for h in (f.name, *f.headers)
}


@dataclass
class ColumnMapping:
    """Which column fills which field, and which columns are kept as extras."""

    fields: dict[str, str]  # field name -> column header
    extras: list[str] = field(default_factory=list)  # columns kept as extra fields
    ignored: list[str] = field(default_factory=list)  # columns the user mapped to `ignore`

    def describe(self) -> dict[str, str]:
        return {column: name for name, column in self.fields.items()}


def build_mapping(
    headers: list[str], explicit: dict[str, str] | None = None, *, file_label: str = "the file"
) -> ColumnMapping:
    """Map a file's headers to fields; explicit entries (column → field) win over header names.

    Every problem is collected and raised together: unknown fields, columns that are not in the
    file, two columns for one field.
    """
    explicit = dict(explicit or {})
    problems: list[str] = []
    by_norm = {normalise_header(h): h for h in headers}
    chosen: dict[str, str] = {}
    ignored: list[str] = []
    for column, target in explicit.items():
        actual = column if column in headers else by_norm.get(normalise_header(column))
        if actual is None:
            problems.append(
                f"the mapping names column {column!r}, which {file_label} does not have "
                f"(its columns are: {', '.join(headers)})"
            )
            continue
        if target == IGNORE:
            ignored.append(actual)
            continue
        if target not in FIELD_NAMES:
            close = difflib.get_close_matches(target, FIELD_NAMES, n=3)
            hint = f"did you mean {', '.join(close)}?" if close else "see `reckon ingest --help`"
            problems.append(f"{column}={target}: {target!r} is not a field; {hint}")
            continue
        if target in chosen:
            problems.append(
                f"columns {chosen[target]!r} and {actual!r} are both mapped to {target}; "
                "map one of them to another field or to 'ignore'"
            )
            continue
        chosen[target] = actual
    taken = set(chosen.values()) | set(ignored)
    for header in headers:
        if header in taken:
            continue
        target = _BY_HEADER.get(normalise_header(header))
        if target is None or target in chosen:
            continue
        chosen[target] = header
        taken.add(header)
    if problems:
        raise ValidationError(f"the column mapping for {file_label} cannot be used:", problems)
    extras = [h for h in headers if h not in taken]
    return ColumnMapping(fields=chosen, extras=extras, ignored=ignored)


@dataclass(frozen=True)
class MapFile:
    """A YAML map file: ``columns: {header: field}`` plus optional reading options."""

    columns: dict[str, str]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def read_map_file(path: str | Path) -> MapFile:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ValidationError(f"cannot read map file {path}: {err.strerror}") from err
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ValidationError(f"map file {path} is not valid YAML: {err}") from err
    if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
        raise ValidationError(
            f"map file {path} must be a mapping with a 'columns:' section of "
            "'column header: field' lines, e.g.\ncolumns:\n  피해자 이름: name\n  성별: sex"
        )
    unknown = sorted(set(data) - {"columns", "encoding", "delimiter", "sheet"})
    if unknown:
        raise ValidationError(
            f"map file {path} has unknown keys {unknown}; allowed: columns, encoding, "
            "delimiter, sheet"
        )
    columns = {str(k): str(v) for k, v in (data.get("columns") or {}).items()}
    return MapFile(
        columns=columns,
        encoding=data.get("encoding"),
        delimiter=data.get("delimiter"),
        sheet=data.get("sheet"),
    )


def parse_map_pairs(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["이름=name", "Gender=sex"]`` → ``{"이름": "name", "Gender": "sex"}``."""
    mapping: dict[str, str] = {}
    problems = []
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            problems.append(f"--map {pair!r} is not of the form COLUMN=FIELD")
            continue
        mapping[column.strip()] = target.strip()
    if problems:
        raise ValidationError("the --map options cannot be used:", problems)
    return mapping


def resolve_maps(values: list[str] | tuple[str, ...]) -> MapFile:
    """Combine ``--map`` values: each is a YAML map file or one ``COLUMN=FIELD`` pair.

    Later values win over earlier ones, so a pair can correct one line of a map file.
    """
    columns: dict[str, str] = {}
    options: dict[str, str | None] = {"encoding": None, "delimiter": None, "sheet": None}
    for value in values:
        if Path(value).is_file() or value.endswith((".yaml", ".yml")):
            spec = read_map_file(value)
            columns.update(spec.columns)
            for key in options:
                options[key] = getattr(spec, key) or options[key]
        else:
            columns.update(parse_map_pairs([value]))
    return MapFile(columns=columns, **options)
