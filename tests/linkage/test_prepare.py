"""Turning records into linkage columns."""

from __future__ import annotations

import pandas as pd
import pytest

from reckon.errors import ValidationError
from reckon.linkage.prepare import birth_interval, prepare_records, vocabulary_code


def _records() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "record_id": ["A-1", "B-1", "C-1"],
            "source": ["a", "b", "c"],
            "name": ["리철호", "Ri Chol Ho", "Lee Cheol-ho"],
            "sex": ["남", "M", None],
            "birth_year": [1962, None, "1962년"],
            "age_at_event": [None, 35, None],
            "event_year": ["1997년 봄", 1997, 1997],
            "province": ["함경북도", "North Hamgyong", "KP-09"],
            "county": ["회령시", "Hoeryong", None],
            "violation": ["공개처형", "Public execution", "Nowhere listed"],
        }
    )


def test_prepare_gives_one_name_key_for_every_script() -> None:
    prepared = prepare_records(_records())
    assert prepared["full_key"].tolist() == ["i|jol-ho"] * 3
    assert prepared["given_syllables"].iloc[1] == ["jol", "ho"]
    assert prepared["name_script"].tolist() == ["hangul", "latin", "latin"]


def test_prepare_birth_interval_from_age_at_event() -> None:
    prepared = prepare_records(_records())
    assert prepared["birth_lo"].tolist() == [1962, 1961, 1962]
    assert prepared["birth_hi"].tolist() == [1962, 1962, 1962]


def test_prepare_codes_places_and_violations_whatever_the_language() -> None:
    prepared = prepare_records(_records())
    assert prepared["province"].nunique() == 1
    assert prepared["violation"].iloc[0] == prepared["violation"].iloc[1]
    assert prepared["violation"].iloc[2] == "nowherelisted"  # unknown terms keep their key
    assert prepared["sex"].iloc[0] == prepared["sex"].iloc[1]
    assert pd.isna(prepared["sex"].iloc[2])


def test_prepare_reads_years_inside_text() -> None:
    assert prepare_records(_records())["event_year"].tolist() == [1997] * 3


def test_prepare_keeps_input_order_and_ids() -> None:
    prepared = prepare_records(_records())
    assert prepared["unique_id"].tolist() == [0, 1, 2]
    assert prepared["record_id"].tolist() == ["A-1", "B-1", "C-1"]


def test_prepare_applies_column_renames() -> None:
    frame = _records().rename(columns={"name": "이름", "birth_year": "생년"})
    prepared = prepare_records(frame, columns={"이름": "name", "생년": "birth_year"})
    assert prepared["full_key"].iloc[0] == "i|jol-ho"


def test_prepare_generic_records_keep_dates_and_names() -> None:
    frame = pd.DataFrame(
        {
            "unique_id": [1, 2],
            "source": ["x", "x"],
            "first_name": [" Robert", "ROBERT"],
            "surname": ["Allen", "Alan"],
            "dob": ["1971-06-24", "not a date"],
            "gender": ["male", "male"],
        }
    )
    prepared = prepare_records(frame, record_id="unique_id")
    assert prepared["first_name"].tolist() == ["robert", "robert"]
    assert prepared["dob"].iloc[0] == "1971-06-24"
    assert pd.isna(prepared["dob"].iloc[1])
    assert prepared["birth_lo"].iloc[0] == 1971
    assert "full_key" not in prepared.columns


def test_prepare_keeps_the_digits_of_a_mistyped_date_of_birth() -> None:
    frame = pd.DataFrame(
        {
            "source": ["x"] * 4,
            "first_name": ["ann"] * 4,
            "dob": ["19560628", "19560631", "1956/06/28", "28th of June"],
            "id_number": [" 5304218", "5304218", None, ""],
        }
    )
    prepared = prepare_records(frame)
    assert prepared["dob"].tolist()[:3] == ["1956-06-28", "1956-06-31", "1956-06-28"]
    assert pd.isna(prepared["dob"].iloc[3])
    assert prepared["birth_lo"].tolist()[:3] == [1956, 1956, 1956]
    assert prepared["id_number"].tolist()[:2] == ["5304218", "5304218"]
    assert prepared["id_number"].isna().tolist()[2:] == [True, True]


def test_prepare_reports_every_problem_at_once() -> None:
    frame = pd.DataFrame({"record_id": ["1", "1"], "place": ["x", "y"]})
    with pytest.raises(ValidationError) as info:
        prepare_records(frame)
    assert len(info.value.problems) == 2  # no source column, nothing to compare
    frame = pd.DataFrame({"record_id": ["1", "1"], "source": ["a", "a"], "name": ["x", "y"]})
    with pytest.raises(ValidationError, match="repeat within their source"):
        prepare_records(frame)


def test_birth_interval_prefers_the_stated_birth_year() -> None:
    lo, hi = birth_interval(
        pd.Series([1950, None, None]), pd.Series([40, 40, None]), pd.Series([2000, 2000, 2000])
    )
    assert lo.tolist()[:2] == [1950, 1959]
    assert hi.tolist()[:2] == [1950, 1960]
    assert pd.isna(lo.iloc[2])


def test_vocabulary_code_accepts_iso_codes_and_korean_labels() -> None:
    assert vocabulary_code("provinces", "KP-09") == vocabulary_code("provinces", "함경북도")
    assert vocabulary_code("provinces", " ") == ""
