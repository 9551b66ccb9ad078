"""Turn a table of records into the columns the linkage model compares.

Lists describe the same person in different scripts, vocabularies and precisions: 리철호 born
1962 in 함경북도, "Ri Chol Ho", aged 35 in 1997, North Hamgyong. :func:`prepare_records` reduces
each record to comparable columns:

- the name keys of :mod:`reckon.linkage.korean_names` (script- and romanization-independent),
  with the given-name syllables and the alternative readings as arrays for overlap tests;
- a birth-year *interval*: ``[y, y]`` from a birth year, ``[e - a - 1, e - a]`` from an age
  ``a`` at an event in year ``e`` (the birthday may fall before or after the event);
- sex, province and violation as vocabulary codes, so that "North Hamgyong", "함경북도" and
  "KP-09" agree; a value outside the vocabulary is kept as its lookup key;
- county and facility as lookup keys (case, spaces and diacritics removed).

Records of other kinds (no Korean ``name`` but ``first_name``/``surname``, ``dob``, ``postcode``
...) keep those columns in a cleaned form, and :func:`reckon.linkage.model.build_settings`
chooses generic comparisons for them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from reckon.errors import UnknownTermError, ValidationError
from reckon.linkage.korean_names import name_key_columns
from reckon.records.vocabulary import load_vocabulary, term_key

__all__ = [
    "GENERIC_TEXT_COLUMNS",
    "ID_COLUMN",
    "SOURCE_COLUMN",
    "birth_interval",
    "prepare_records",
    "vocabulary_code",
]

#: Column holding the row number Splink uses as its unique id.
ID_COLUMN = "unique_id"
#: Column holding the list (source) of each record.
SOURCE_COLUMN = "source"

#: Free-text columns of non-Korean records that are kept (lower-cased, trimmed) when present.
GENERIC_TEXT_COLUMNS = (
    "first_name",
    "surname",
    "full_name",
    "birth_place",
    "postcode",
    "occupation",
    "address",
    "city",
    "state",
    "id_number",
)

_VOCABULARY_OF = {"sex": "sex", "province": "provinces", "violation": "violation_types"}
_KEY_COLUMNS = ("county", "facility")
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")


@functools.cache
def vocabulary_code(vocabulary: str, text: str) -> str:
    """Code of ``text`` in a reckon vocabulary, or its lookup key if the vocabulary lacks it.

    Parameters
    ----------
    vocabulary : str
        ``"sex"``, ``"provinces"`` or ``"violation_types"``.
    text : str
        The value as a list wrote it.

    Returns
    -------
    str
        ``"KP.NH"`` for "North Hamgyong", "함경북도" or "KP-09"; for an unknown or ambiguous
        value its :func:`~reckon.records.vocabulary.term_key` (so equal spellings still agree);
        ``""`` for a blank value.
    """
    if not text.strip():
        return ""
    try:
        return load_vocabulary(vocabulary).lookup(text).code
    except (UnknownTermError, ValidationError):
        return term_key(text)


def _number(series: pd.Series) -> pd.Series:
    """Numbers from a column of numbers or texts ("1962", "1962년", "c. 1962"); NaN if none."""
    if pd.api.types.is_numeric_dtype(series):
        return pd.to_numeric(series, errors="coerce").astype(float)
    text = series.astype("string")
    found = text.str.extract(r"(-?\d+(?:\.\d+)?)", expand=False)
    return pd.to_numeric(found, errors="coerce").astype(float)


def _year(series: pd.Series) -> pd.Series:
    """Years from numbers, dates or texts ("1997", "1997년 봄", "1997-03-02"); NaN if none."""
    if pd.api.types.is_numeric_dtype(series):
        return pd.to_numeric(series, errors="coerce").astype(float)
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.year.astype(float)
    found = series.astype("string").str.extract(_YEAR.pattern, expand=False)
    return pd.to_numeric(found, errors="coerce").astype(float)


def birth_interval(
    birth_year: pd.Series | None,
    age_at_event: pd.Series | None = None,
    event_year: pd.Series | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Earliest and latest possible birth year of each record.

    Parameters
    ----------
    birth_year : pandas.Series or None
        Stated birth years (numbers or texts holding a year).
    age_at_event, event_year : pandas.Series or None
        Age at the event and the event's year, used where the birth year is missing: a person
        aged ``a`` in year ``e`` was born in ``e - a - 1`` or ``e - a``.

    Returns
    -------
    (pandas.Series, pandas.Series)
        ``birth_lo`` and ``birth_hi`` as nullable integers (``<NA>`` when nothing is known).
    """
    index = next(s.index for s in (birth_year, age_at_event, event_year) if s is not None)
    lo = pd.Series(np.nan, index=index)
    hi = pd.Series(np.nan, index=index)
    if birth_year is not None:
        year = _year(birth_year)
        lo, hi = year.copy(), year.copy()
    if age_at_event is not None and event_year is not None:
        age = _number(age_at_event)
        event = _year(event_year)
        fill = lo.isna() & age.notna() & event.notna()
        lo[fill] = event[fill] - age[fill] - 1
        hi[fill] = event[fill] - age[fill]
    return lo.round().astype("Int64"), hi.round().astype("Int64")


def _clean_text(series: pd.Series) -> pd.Series:
    text = series.astype("string").str.strip().str.lower()
    return text.mask(text == "", pd.NA)


_DATE_FORMATS = ("%Y%m%d", "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y")
_DIGIT_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def _dob_text(series: pd.Series) -> pd.Series:
    """Dates of birth as ``YYYY-MM-DD`` text, keeping a mistyped date's digits.

    A date that parses (ISO 8601, ``YYYYMMDD``, ``YYYY/MM/DD``, ``YYYY.MM.DD``, ``DD.MM.YYYY``)
    is written in ISO form. One that does not but has the shape of a date
    (``19560631``: a typing error in the day) keeps its digits in that form, so that the
    edit-distance level of the date comparison still sees it; anything else becomes missing.
    """
    text = series.astype("string").str.strip()
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    for fmt in _DATE_FORMATS:
        unparsed = parsed.isna() & text.notna()
        if unparsed.any():
            parsed = parsed.fillna(pd.to_datetime(text[unparsed], errors="coerce", format=fmt))
    iso = parsed.dt.strftime("%Y-%m-%d").astype("string")
    shaped = text.str.replace(_DIGIT_DATE, r"\1-\2-\3", regex=True)
    shaped = shaped.where(text.str.fullmatch(_DIGIT_DATE).fillna(False).astype(bool))
    return iso.fillna(shaped)


def _codes(series: pd.Series, vocabulary: str | None) -> pd.Series:
    values = series.astype("string")
    uniques = values.dropna().unique()
    if vocabulary is None:
        mapping = {v: term_key(v) for v in uniques}
    else:
        mapping = {v: vocabulary_code(vocabulary, v) for v in uniques}
    coded = values.map(mapping).astype("string")
    return coded.mask(coded == "", pd.NA)


def _split_array(value: object) -> list[str] | None:
    if not isinstance(value, str) or not value:
        return None
    return value.split()


def prepare_records(
    frame: pd.DataFrame,
    *,
    record_id: str = "record_id",
    source: str = "source",
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Linkage columns of a table of records, one row per record, in the input order.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record. Recognised columns: ``name`` (Korean name, any script),
        ``sex``, ``birth_year``, ``age_at_event``, ``event_year``, ``province``, ``county``,
        ``violation``, ``facility``; for non-Korean records ``first_name``, ``surname``,
        ``full_name``, ``dob`` (a date), ``birth_place``, ``postcode``, ``occupation``,
        ``address``, ``city``, ``state``, ``id_number`` (an identity-document or social
        security number), ``gender`` (read as ``sex``). Other columns are ignored.
    record_id : str
        Column identifying each record within its source (default ``"record_id"``); if the
        frame has no such column, the row position is used.
    source : str
        Column naming the list each record comes from; required.
    columns : mapping, optional
        Renames applied first, input column → recognised name (``{"이름": "name"}``).

    Returns
    -------
    pandas.DataFrame
        ``unique_id`` (row position), ``record_id``, ``source`` and the linkage columns that
        the input allows: name keys (``exact_key``, ``surname_key``, ``given_key``,
        ``full_key``, ``given_syllables``, ``alt_full_keys`` as arrays, ``name_script``),
        ``birth_lo``/``birth_hi``/``birth_mid``, ``dob``, ``sex``, ``province``, ``county``,
        ``event_year``, ``violation``, ``facility`` and the generic text columns.

    Raises
    ------
    ValidationError
        Listing every problem: no source column, missing sources, repeated record ids within
        a source, no column the model can compare.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError(f"records must be a pandas DataFrame, not {type(frame).__name__}")
    data = frame.rename(columns=dict(columns or {})).reset_index(drop=True)
    if "gender" in data.columns and "sex" not in data.columns:
        data = data.rename(columns={"gender": "sex"})
    if "postcode_fake" in data.columns and "postcode" not in data.columns:
        data = data.rename(columns={"postcode_fake": "postcode"})
    problems: list[str] = []
    if source not in data.columns:
        problems.append(
            f"there is no source column {source!r}; columns are {[str(c) for c in data.columns]}"
        )
    else:
        missing = np.flatnonzero(data[source].isna().to_numpy())
        if len(missing):
            rows = ", ".join(str(i + 1) for i in missing[:10])
            problems.append(f"{len(missing)} record(s) have no source: rows {rows}")
    ids = (
        data[record_id].astype("string")
        if record_id in data.columns
        else pd.Series(np.arange(len(data)).astype(str), dtype="string")
    )
    if source in data.columns:
        repeated = pd.DataFrame({"s": data[source].astype("string"), "r": ids}).duplicated()
        if repeated.any():
            shown = ", ".join(ids[repeated].head(10).tolist())
            problems.append(
                f"{int(repeated.sum())} record id(s) repeat within their source: {shown}; "
                "give every record of a list its own id"
            )
    comparable = {"name", "birth_year", "age_at_event", "dob", "first_name", "surname"}
    if not comparable & set(data.columns):
        problems.append(
            f"none of the columns {sorted(comparable)} is present, so records cannot be "
            "compared; map your columns onto them"
        )
    if problems:
        raise ValidationError("cannot prepare records for linkage", problems)

    out = pd.DataFrame(
        {
            ID_COLUMN: np.arange(len(data), dtype=np.int64),
            "record_id": ids.to_numpy(),
            SOURCE_COLUMN: data[source].astype("string").to_numpy(),
        }
    )
    if "name" in data.columns:
        keys = pd.DataFrame(name_key_columns(data["name"].tolist()))
        for column in ("exact_key", "surname_key", "given_key", "full_key"):
            values = keys[column].astype("string")
            out[column] = values.mask(values == "", pd.NA).to_numpy()
        out["given_syllables"] = keys["given_syllables"].map(_split_array).to_numpy()
        alternatives = keys["alt_full_keys"].str.cat(keys["full_key"], sep=" ").str.strip()
        out["alt_full_keys"] = alternatives.map(
            lambda v: sorted(set(v.split())) if v else None
        ).to_numpy()
        out["name_script"] = np.where(
            data["name"].astype("string").str.contains(r"[\uac00-\ud7a3]", na=False),
            "hangul",
            "latin",
        )
    for column in GENERIC_TEXT_COLUMNS:
        if column in data.columns:
            out[column] = _clean_text(data[column]).to_numpy()
    # Coarse keys only blocking uses, to reach pairs whose names or postcodes differ a little.
    if "first_name" in out.columns:
        out["first_initial"] = out["first_name"].str[:1].to_numpy()
    if "surname" in out.columns:
        out["surname_prefix"] = out["surname"].str[:3].to_numpy()
    if "postcode" in out.columns:
        out["postcode_area"] = out["postcode"].str.split(" ").str[0].to_numpy()
        out["postcode_prefix"] = out["postcode"].str[:3].to_numpy()
    if "given_key" in out.columns:
        out["given_initial"] = pd.Series(out["given_key"]).str[:1].to_numpy()
    if "dob" in data.columns:
        out["dob"] = _dob_text(data["dob"]).to_numpy()
        if "birth_year" not in data.columns:
            data["birth_year"] = pd.to_numeric(out["dob"].str[:4], errors="coerce")
    if {"birth_year", "age_at_event"} & set(data.columns):
        lo, hi = birth_interval(
            data.get("birth_year"), data.get("age_at_event"), data.get("event_year")
        )
        out["birth_lo"] = lo.to_numpy()
        out["birth_hi"] = hi.to_numpy()
        out["birth_mid"] = ((lo + hi) // 2).astype("Int64").to_numpy()
    if "event_year" in data.columns:
        out["event_year"] = _year(data["event_year"]).round().astype("Int64").to_numpy()
    for column, vocabulary in _VOCABULARY_OF.items():
        if column in data.columns:
            out[column] = _codes(data[column], vocabulary).to_numpy()
    for column in _KEY_COLUMNS:
        if column in data.columns:
            out[column] = _codes(data[column], None).to_numpy()
    return out
