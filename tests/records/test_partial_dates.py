"""Partial dates: every written form becomes the right interval, never a made-up day."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.errors import ValidationError
from reckon.records.partial_dates import (
    DP,
    DQ,
    PartialDate,
    event_from_age,
    interval_from_age,
    parse_age,
    parse_partial_date,
)

D = dt.date
TODAY = D(2024, 6, 1)
FEW = settings(derandomize=True, database=None, max_examples=200, deadline=None)
MANY = settings(derandomize=True, database=None, max_examples=500, deadline=None)


def fields(d: PartialDate) -> tuple:
    """Every field but ``original``."""
    return (d.earliest, d.latest, d.precision, d.qualifiers, d.calendar)


def age_at(birth: dt.date, day: dt.date) -> int:
    """Completed years; someone born on 29 February is a year older on 1 March."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# text -> earliest, latest, precision, qualifiers, calendar
EXAMPLES = {
    "1997": (D(1997, 1, 1), D(1997, 12, 31), DP.YEAR, set(), "gregorian"),
    "1997-03": (D(1997, 3, 1), D(1997, 3, 31), DP.MONTH, set(), "gregorian"),
    "1997/3": (D(1997, 3, 1), D(1997, 3, 31), DP.MONTH, set(), "gregorian"),
    "03/1997": (D(1997, 3, 1), D(1997, 3, 31), DP.MONTH, set(), "gregorian"),
    "1996-02": (D(1996, 2, 1), D(1996, 2, 29), DP.MONTH, set(), "gregorian"),
    "1997-03-12": (D(1997, 3, 12), D(1997, 3, 12), DP.DAY, set(), "gregorian"),
    "1997/3/12": (D(1997, 3, 12), D(1997, 3, 12), DP.DAY, set(), "gregorian"),
    "1997.3.12": (D(1997, 3, 12), D(1997, 3, 12), DP.DAY, set(), "gregorian"),
    "13.03.1997": (D(1997, 3, 13), D(1997, 3, 13), DP.DAY, set(), "gregorian"),
    "03/13/1997": (D(1997, 3, 13), D(1997, 3, 13), DP.DAY, set(), "gregorian"),
    "05.05.1997": (D(1997, 5, 5), D(1997, 5, 5), DP.DAY, set(), "gregorian"),
    "March 1997": (D(1997, 3, 1), D(1997, 3, 31), DP.MONTH, set(), "gregorian"),
    "Mar 1997": (D(1997, 3, 1), D(1997, 3, 31), DP.MONTH, set(), "gregorian"),
    "Sept. 1997": (D(1997, 9, 1), D(1997, 9, 30), DP.MONTH, set(), "gregorian"),
    "12 March 1997": (D(1997, 3, 12), D(1997, 3, 12), DP.DAY, set(), "gregorian"),
    "March 12th, 1997": (D(1997, 3, 12), D(1997, 3, 12), DP.DAY, set(), "gregorian"),
    "in 1997": (D(1997, 1, 1), D(1997, 12, 31), DP.YEAR, set(), "gregorian"),
    "spring 1997": (D(1997, 3, 1), D(1997, 5, 31), DP.SEASON, set(), "gregorian"),
    "summer 1997": (D(1997, 6, 1), D(1997, 8, 31), DP.SEASON, set(), "gregorian"),
    "autumn 1997": (D(1997, 9, 1), D(1997, 11, 30), DP.SEASON, set(), "gregorian"),
    "fall 1997": (D(1997, 9, 1), D(1997, 11, 30), DP.SEASON, set(), "gregorian"),
    "winter 1997": (D(1997, 12, 1), D(1998, 2, 28), DP.SEASON, set(), "gregorian"),
    "winter 1999": (D(1999, 12, 1), D(2000, 2, 29), DP.SEASON, set(), "gregorian"),
    "early 1997": (D(1997, 1, 1), D(1997, 4, 30), DP.SEASON, set(), "gregorian"),
    "mid-1997": (D(1997, 5, 1), D(1997, 8, 31), DP.SEASON, set(), "gregorian"),
    "late 1997": (D(1997, 9, 1), D(1997, 12, 31), DP.SEASON, set(), "gregorian"),
    "around 2005": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.APPROX}, "gregorian"),
    "about 2005": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.APPROX}, "gregorian"),
    "c. 2005": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.APPROX}, "gregorian"),
    "ca. 2005": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.APPROX}, "gregorian"),
    "circa 2005": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.APPROX}, "gregorian"),
    "~2005": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.APPROX}, "gregorian"),
    "2005?": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.UNCERTAIN}, "gregorian"),
    "around 2005?": (
        D(2005, 1, 1),
        D(2005, 12, 31),
        DP.YEAR,
        {DQ.APPROX, DQ.UNCERTAIN},
        "gregorian",
    ),
    "reportedly 1997": (D(1997, 1, 1), D(1997, 12, 31), DP.YEAR, {DQ.REPORTED}, "gregorian"),
    "1997 (inferred)": (D(1997, 1, 1), D(1997, 12, 31), DP.YEAR, {DQ.INFERRED}, "gregorian"),
    "1990s": (D(1990, 1, 1), D(1999, 12, 31), DP.DECADE, set(), "gregorian"),
    "the 1990s": (D(1990, 1, 1), D(1999, 12, 31), DP.DECADE, set(), "gregorian"),
    "early 1990s": (D(1990, 1, 1), D(1993, 12, 31), DP.DECADE, set(), "gregorian"),
    "mid 1990s": (D(1994, 1, 1), D(1996, 12, 31), DP.DECADE, set(), "gregorian"),
    "mid-1990s": (D(1994, 1, 1), D(1996, 12, 31), DP.DECADE, set(), "gregorian"),
    "late 1990s": (D(1997, 1, 1), D(1999, 12, 31), DP.DECADE, set(), "gregorian"),
    "before 2000": (None, D(1999, 12, 31), DP.BEFORE, set(), "gregorian"),
    "before 2000-03": (None, D(2000, 2, 29), DP.BEFORE, set(), "gregorian"),
    "after 2000": (D(2001, 1, 1), None, DP.AFTER, set(), "gregorian"),
    "after spring 2000": (D(2000, 6, 1), None, DP.AFTER, set(), "gregorian"),
    "1997-1999": (D(1997, 1, 1), D(1999, 12, 31), DP.YEARS, set(), "gregorian"),
    "1997 - 1999": (D(1997, 1, 1), D(1999, 12, 31), DP.YEARS, set(), "gregorian"),
    "1997–1999": (D(1997, 1, 1), D(1999, 12, 31), DP.YEARS, set(), "gregorian"),
    "1997 to 1999": (D(1997, 1, 1), D(1999, 12, 31), DP.YEARS, set(), "gregorian"),
    "from 1997 to 1999": (D(1997, 1, 1), D(1999, 12, 31), DP.YEARS, set(), "gregorian"),
    "between 1997 and 1999": (D(1997, 1, 1), D(1999, 12, 31), DP.YEARS, set(), "gregorian"),
    "1997 or 1998": (D(1997, 1, 1), D(1998, 12, 31), DP.YEARS, set(), "gregorian"),
    "spring 1997 to 1998-06": (D(1997, 3, 1), D(1998, 6, 30), DP.YEARS, set(), "gregorian"),
    "2005년": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, set(), "gregorian"),
    "2005년 3월": (D(2005, 3, 1), D(2005, 3, 31), DP.MONTH, set(), "gregorian"),
    "2005년 3월 12일": (D(2005, 3, 12), D(2005, 3, 12), DP.DAY, set(), "gregorian"),
    "2005년3월12일": (D(2005, 3, 12), D(2005, 3, 12), DP.DAY, set(), "gregorian"),
    "2005년경": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.APPROX}, "gregorian"),
    "2005년쯤": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.APPROX}, "gregorian"),
    "2005년 무렵": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.APPROX}, "gregorian"),
    "2005년 전후": (D(2005, 1, 1), D(2005, 12, 31), DP.YEAR, {DQ.APPROX}, "gregorian"),
    "2005년 3월경": (D(2005, 3, 1), D(2005, 3, 31), DP.MONTH, {DQ.APPROX}, "gregorian"),
    "1990년대": (D(1990, 1, 1), D(1999, 12, 31), DP.DECADE, set(), "gregorian"),
    "1990년대 초반": (D(1990, 1, 1), D(1993, 12, 31), DP.DECADE, set(), "gregorian"),
    "1990년대 중반": (D(1994, 1, 1), D(1996, 12, 31), DP.DECADE, set(), "gregorian"),
    "1990년대 후반": (D(1997, 1, 1), D(1999, 12, 31), DP.DECADE, set(), "gregorian"),
    "1990년대 말": (D(1997, 1, 1), D(1999, 12, 31), DP.DECADE, set(), "gregorian"),
    "1997년 초": (D(1997, 1, 1), D(1997, 4, 30), DP.SEASON, set(), "gregorian"),
    "1997년 말": (D(1997, 9, 1), D(1997, 12, 31), DP.SEASON, set(), "gregorian"),
    "2005년 봄": (D(2005, 3, 1), D(2005, 5, 31), DP.SEASON, set(), "gregorian"),
    "2005년 여름": (D(2005, 6, 1), D(2005, 8, 31), DP.SEASON, set(), "gregorian"),
    "2005년 가을": (D(2005, 9, 1), D(2005, 11, 30), DP.SEASON, set(), "gregorian"),
    "2005년 겨울": (D(2005, 12, 1), D(2006, 2, 28), DP.SEASON, set(), "gregorian"),
    "2000년 이전": (None, D(1999, 12, 31), DP.BEFORE, set(), "gregorian"),
    "2000년 전": (None, D(1999, 12, 31), DP.BEFORE, set(), "gregorian"),
    "2000년 이후": (D(2001, 1, 1), None, DP.AFTER, set(), "gregorian"),
    "2008~2009년경": (D(2008, 1, 1), D(2009, 12, 31), DP.YEARS, {DQ.APPROX}, "gregorian"),
    "2008년～2009년": (D(2008, 1, 1), D(2009, 12, 31), DP.YEARS, set(), "gregorian"),
    "2005년 3월~2005년 6월": (D(2005, 3, 1), D(2005, 6, 30), DP.YEARS, set(), "gregorian"),
    "2005년부터 2007년까지": (D(2005, 1, 1), D(2007, 12, 31), DP.YEARS, set(), "gregorian"),
    "주체86년": (D(1997, 1, 1), D(1997, 12, 31), DP.YEAR, set(), "gregorian"),
    "주체86년 3월": (D(1997, 3, 1), D(1997, 3, 31), DP.MONTH, set(), "gregorian"),
    "주체1년": (D(1912, 1, 1), D(1912, 12, 31), DP.YEAR, set(), "gregorian"),
    "Juche 86": (D(1997, 1, 1), D(1997, 12, 31), DP.YEAR, set(), "gregorian"),
    "음력 1997년 3월": (D(1997, 3, 1), D(1997, 3, 31), DP.MONTH, set(), "lunar"),
    "1997년 3월 12일 (음력)": (D(1997, 3, 12), D(1997, 3, 12), DP.DAY, set(), "lunar"),
    "양력 1997년 3월": (D(1997, 3, 1), D(1997, 3, 31), DP.MONTH, set(), "gregorian"),
    "unknown": (None, None, DP.UNKNOWN, set(), "gregorian"),
    "Unknown": (None, None, DP.UNKNOWN, set(), "gregorian"),
    "n/a": (None, None, DP.UNKNOWN, set(), "gregorian"),
    "?": (None, None, DP.UNKNOWN, set(), "gregorian"),
    "모름": (None, None, DP.UNKNOWN, set(), "gregorian"),
    "미상": (None, None, DP.UNKNOWN, set(), "gregorian"),
    "불명": (None, None, DP.UNKNOWN, set(), "gregorian"),
    "": (None, None, DP.UNKNOWN, set(), "gregorian"),
    "   ": (None, None, DP.UNKNOWN, set(), "gregorian"),
    "unknown (reported)": (None, None, DP.UNKNOWN, {DQ.REPORTED}, "gregorian"),
}


@pytest.mark.parametrize("text", list(EXAMPLES))
def test_parse_gives_the_interval_the_text_states(text: str) -> None:
    earliest, latest, precision, qualifiers, calendar = EXAMPLES[text]
    d = parse_partial_date(text, today=TODAY)
    assert fields(d) == (earliest, latest, precision, frozenset(qualifiers), calendar)
    assert d.original == text


@pytest.mark.parametrize(
    ("text", "canonical", "edtf", "esf"),
    [
        ("1997", "1997", "1997", "03"),
        ("1997년 3월", "1997-03", "1997-03", "02"),
        ("January 1997", "1997-01", "1997-01", "02"),
        ("1997년 12월", "1997-12", "1997-12", "02"),
        ("12 March 1997", "1997-03-12", "1997-03-12", None),
        ("2005년 봄", "spring 2005", "2005-21", "03"),
        ("fall 2005", "autumn 2005", "2005-23", "03"),
        ("winter 2005", "winter 2005", "2005-24", "03"),
        ("1997년 말", "late 1997", "1997-39", "03"),
        ("around 2005", "around 2005", "2005~", "01"),
        ("2005?", "2005?", "2005?", "01"),
        ("c. 2005?", "around 2005?", "2005%", "01"),
        ("1997-03-12 (inferred)", "1997-03-12 (inferred)", "1997-03-12", "01"),
        ("reportedly 1997-03-12", "1997-03-12 (reported)", "1997-03-12", None),
        ("1990년대", "1990s", "199X", "01"),
        ("1990년대 초반", "early 1990s", "1990/1993", "01"),
        ("mid-1990s", "mid 1990s", "1994/1996", "01"),
        ("1990s?", "1990s?", "1990?/1999?", "01"),
        ("2000년 이전", "before 2000", "../1999", "01"),
        ("after 2000", "after 2000", "2001/..", "01"),
        ("between 1997 and 1999", "1997–1999", "1997/1999", "01"),
        ("2008~2009년경", "around 2008–2009", "2008~/2009~", "01"),
        ("1997-03 to 1998-06-15", "1997-03–1998-06-15", "1997-03/1998-06-15", "01"),
        ("음력 1997년 3월", "lunar 1997-03", "1997-03", "02"),
        ("모름", "unknown", "..", "01"),
    ],
)
def test_format_edtf_and_esf_date_type(
    text: str, canonical: str, edtf: str, esf: str | None
) -> None:
    d = parse_partial_date(text)
    assert d.format() == canonical
    assert str(d) == canonical
    assert d.to_edtf() == edtf
    assert d.esf_date_type == esf


@pytest.mark.parametrize("text", list(EXAMPLES))
def test_format_reads_back_as_the_same_date(text: str) -> None:
    d = parse_partial_date(text)
    again = parse_partial_date(d.format())
    assert fields(again) == fields(d)
    assert again.original == d.format()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1998-13-40", ["'1998-13-40'", "month 13 does not exist", "day 40 does not exist",
                        "YYYY-MM-DD"]),
        ("1999-02-30", ["'1999-02-30'", "day 30 does not exist in February 1999",
                        "28 days", "YYYY-MM-DD"]),
        ("2005년 2월 29일", ["day 29 does not exist in February 2005"]),
        ("31 April 2001", ["day 31 does not exist in April 2001"]),
        ("1999-1997", ["'1999-1997'", "ends (1997) before it starts (1999)", "1997–1999"]),
        ("2009년~2008년", ["ends (2008) before it starts (2009)"]),
        ("between 1999 and 1997", ["ends (1997) before it starts (1999)"]),
        ("1850", ["'1850'", "1850", "before 1900", "check the year"]),
        ("1890s", ["1890", "before 1900"]),
        ("before 1900", ["1899", "before 1900"]),
        ("2030", ["'2030'", "in the future", "2030-01-01", "2024-06-01", "check the year"]),
        ("after 2024", ["in the future", "2025-01-01"]),
        ("yesterday-ish", ["the text 'yesterday-ish' is not a date reckon understands; write "
                           "e.g. 1997, 1997-03, spring 1997, around 2005, 1990s, 2005년 3월"]),
        ("1990년대 중", ["not a date reckon understands"]),
        ("12 march", ["not a date reckon understands"]),
        ("97", ["two-digit year ('97')", "1997 or 2097", "four digits"]),
        ("'90s", ["two-digit year ('90')", "four digits"]),
        ("early 90s", ["two-digit year ('90')", "four digits"]),
        ("97년 3월", ["two-digit year ('97')", "four digits"]),
        ("March 97", ["two-digit year ('97')", "four digits"]),
        ("3/12/97", ["two-digit year ('97')", "four digits"]),
        ("1997-99", ["month 99 does not exist", "1997 to 1999", "1997-1999"]),
        ("12.03.1997", ["'12.03.1997'", "ambiguous", "12 March", "3 December 1997",
                        "1997-03-12 or 1997-12-03"]),
        ("03/04/1997", ["ambiguous", "3 April", "4 March"]),
        ("주체0년", ["Juche year 0", "1912"]),
        ("winter 9999", ["10000", "cannot store"]),
        ("after 9999", ["beyond the dates reckon can store"]),
        ("음력 1997년 2월 30일", ["day 30 does not exist", "record the lunar month instead"]),
    ],
)  # fmt: skip
def test_impossible_dates_are_refused_with_what_and_how(text: str, expected: list[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_partial_date(text, today=TODAY)
    for fragment in expected:
        assert fragment in str(caught.value)


def test_every_problem_of_a_date_is_reported_together() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_partial_date("1998-13-40")
    assert len(caught.value.problems) == 2


def test_future_is_only_checked_against_a_given_today() -> None:
    assert parse_partial_date("2030").earliest == D(2030, 1, 1)
    assert parse_partial_date("2024", today=TODAY).latest == D(2024, 12, 31)
    assert parse_partial_date("before 2030", today=TODAY).latest == D(2029, 12, 31)
    with pytest.raises(ValidationError, match="in the future"):
        parse_partial_date("2024-06-02", today=TODAY)
    assert parse_partial_date("2024-06-01", today=TODAY).earliest == TODAY


def test_min_year_can_be_lowered_for_births() -> None:
    with pytest.raises(ValidationError, match="before 1900"):
        parse_partial_date("1895")
    assert parse_partial_date("1895", min_year=1850).earliest_year == 1895


def test_non_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be text"):
        parse_partial_date(1997)  # type: ignore[arg-type]


def test_year_properties() -> None:
    d = parse_partial_date("winter 1997")
    assert (d.earliest_year, d.latest_year) == (1997, 1998)
    before = parse_partial_date("before 2000")
    assert (before.earliest_year, before.latest_year) == (None, 1999)


def test_is_after_needs_the_earliest_day_after() -> None:
    d = parse_partial_date("1997-03")
    assert d.is_after(D(1997, 2, 28))
    assert not d.is_after(D(1997, 3, 1))
    assert not parse_partial_date("before 2000").is_after(D(1900, 1, 1))
    assert not parse_partial_date("unknown").is_after(D(1900, 1, 1))
    assert parse_partial_date("after 2000").is_after(D(2000, 12, 31))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1997", "1997-03", True),
        ("1997", "1998", False),
        ("winter 1997", "1998-02", True),
        ("winter 1997", "1998-03", False),
        ("before 2000", "1999-12-31", True),
        ("before 2000", "2000", False),
        ("after 2000", "2001", True),
        ("after 2000", "before 2000", False),
        ("before 2000", "after 1990", True),
        ("unknown", "1997", True),
        ("1990s", "late 1990s", True),
        ("early 1990s", "late 1990s", False),
        # a lunar date falls later in the Gregorian year than its numbers say
        ("음력 1997년 12월", "1998-01", True),
        ("음력 1997년 12월", "1998-04", False),
        ("음력 1997년 12월", "음력 1998년 1월", False),
        ("음력 1997년 3월", "1997-02", False),
    ],
)
def test_overlaps_is_symmetric_and_respects_open_ends(a: str, b: str, expected: bool) -> None:
    first, second = parse_partial_date(a), parse_partial_date(b)
    assert first.overlaps(second) is expected
    assert second.overlaps(first) is expected


def test_to_dict_is_plain_data() -> None:
    d = parse_partial_date("around 2005?")
    assert d.to_dict() == {
        "earliest": "2005-01-01",
        "latest": "2005-12-31",
        "precision": DP.YEAR,
        "qualifiers": [DQ.APPROX, DQ.UNCERTAIN],
        "original": "around 2005?",
        "calendar": "gregorian",
        "text": "around 2005?",
        "edtf": "2005%",
        "esf_date_type": "01",
    }
    assert parse_partial_date("모름").to_dict()["earliest"] is None


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"earliest": D(1997, 1, 2), "latest": D(1997, 1, 1), "precision": DP.YEAR}, "after"),
        ({"earliest": D(1997, 1, 1), "latest": None, "precision": DP.YEAR}, "does not fit"),
        ({"earliest": D(1997, 1, 1), "latest": D(1997, 1, 1), "precision": "day"}, "precision"),
        ({"earliest": None, "latest": None, "precision": DP.UNKNOWN, "qualifiers": {"x"}}, "x"),
        ({"earliest": None, "latest": None, "precision": DP.UNKNOWN, "calendar": "juche"},
         "calendar"),
        ({"earliest": None, "latest": dt.date.max, "precision": DP.BEFORE}, "last"),
    ],
)  # fmt: skip
def test_partial_date_refuses_inconsistent_fields(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        PartialDate(**kwargs)


def test_partial_date_is_frozen_and_hashable() -> None:
    d = parse_partial_date("1997")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.precision = DP.DAY  # type: ignore[misc]
    assert len({d, parse_partial_date("1997")}) == 1


# --- ages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "age"),
    [("23", 23), ("age 23", 23), ("Aged 23", 23), ("23세", 23), ("23살", 23), ("만 23세", 23),
     ("23 years old", 23), (" 0 ", 0), ("120", 120), ("２３세", 23), (23, 23)],
)  # fmt: skip
def test_parse_age(text: str, age: int) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("-3", "negative"), ("age -1", "negative"), ("121", "over 120"), ("99999", "over 120"),
     ("9" * 5000, "over 120"), ("twenty", "not an age"), ("23.5", "not an age"),
     ("", "not an age"), ("about 23", "not an age")],
)  # fmt: skip
def test_parse_age_refuses_what_is_not_an_age(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        parse_age(text)


def test_birth_from_age_at_a_known_day() -> None:
    born = interval_from_age(23, parse_partial_date("1997-03-12"))
    assert (born.earliest, born.latest) == (D(1973, 3, 13), D(1974, 3, 12))
    assert born.precision == DP.YEARS
    assert born.qualifiers == {DQ.INFERRED}
    assert "23" in born.original and "1997-03-12" in born.original


def test_birth_from_age_at_a_year_spans_two_years() -> None:
    born = interval_from_age(23, parse_partial_date("around 1997"))
    assert (born.earliest, born.latest) == (D(1973, 1, 2), D(1974, 12, 31))
    assert born.qualifiers == {DQ.INFERRED, DQ.APPROX}


def test_birth_from_age_on_new_years_eve_is_one_calendar_year() -> None:
    born = interval_from_age(23, parse_partial_date("1997-12-31"))
    assert (born.earliest, born.latest, born.precision) == (D(1974, 1, 1), D(1974, 12, 31), DP.YEAR)


def test_birth_from_age_keeps_open_ends() -> None:
    before = interval_from_age(30, parse_partial_date("before 2000"))
    assert (before.earliest, before.latest, before.precision) == (None, D(1969, 12, 31), DP.BEFORE)
    after = interval_from_age(30, parse_partial_date("after 2000"))
    assert (after.earliest, after.latest, after.precision) == (D(1970, 1, 2), None, DP.AFTER)
    assert interval_from_age(30, parse_partial_date("모름")).precision == DP.UNKNOWN


def test_event_from_age() -> None:
    event = event_from_age(parse_partial_date("1974"), 23)
    assert (event.earliest, event.latest, event.precision) == (
        D(1997, 1, 1), D(1998, 12, 30), DP.YEARS)  # fmt: skip
    exact = event_from_age(parse_partial_date("1974-01-01"), 23)
    assert (exact.earliest, exact.latest, exact.precision) == (
        D(1997, 1, 1), D(1997, 12, 31), DP.YEAR)  # fmt: skip
    assert exact.qualifiers == {DQ.INFERRED}


def test_leap_day_births_turn_a_year_older_on_the_first_of_march() -> None:
    event = event_from_age(parse_partial_date("1976-02-29"), 1)
    assert (event.earliest, event.latest) == (D(1977, 3, 1), D(1978, 2, 28))
    born = interval_from_age(23, parse_partial_date("2000-02-29"))
    assert (born.earliest, born.latest) == (D(1976, 3, 1), D(1977, 2, 28))


@pytest.mark.parametrize("age", [-1, 121, 23.5, "23", True])
def test_ages_outside_0_to_120_are_refused(age: object) -> None:
    at = parse_partial_date("1997")
    with pytest.raises(ValidationError, match="age"):
        interval_from_age(age, at)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="age"):
        event_from_age(at, age)  # type: ignore[arg-type]


def test_age_bounds_are_inclusive() -> None:
    at = parse_partial_date("2000")
    assert interval_from_age(0, at).latest == D(2000, 12, 31)
    assert interval_from_age(120, at).earliest == D(1879, 1, 2)


# --- properties -----------------------------------------------------------------------------

days = st.dates(D(1900, 1, 1), D(2090, 12, 31))
years = st.integers(1900, 2090)
MONTHS = ["January", "Feb", "March", "apr", "May", "June", "Jul", "August", "Sept", "Oct",
          "November", "Dec"]  # fmt: skip


@st.composite
def simple_texts(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["day", "month", "season", "year", "decade"]))
    y = draw(years)
    if kind == "day":
        d = draw(days)
        return draw(st.sampled_from([
            d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}년 {d.month}월 {d.day}일",
            f"{d.day} {MONTHS[d.month - 1]} {d.year}",
        ]))  # fmt: skip
    if kind == "month":
        m = draw(st.integers(1, 12))
        return draw(st.sampled_from([f"{y}-{m:02d}", f"{y}년 {m}월", f"{MONTHS[m - 1]} {y}"]))
    if kind == "season":
        names = ["spring", "summer", "fall", "winter", "early", "mid", "late"]
        name = draw(st.sampled_from([*names, "봄", "여름", "가을", "겨울", "초", "중반", "말"]))
        return f"{y}년 {name}" if name[0] > "z" else f"{name} {y}"
    if kind == "year":
        juche = [f"주체{y - 1911}년"] if y > 1911 else []
        return draw(st.sampled_from([str(y), f"{y}년", *juche]))
    decade = y - y % 10
    part = draw(st.sampled_from(["", "early ", "mid ", "late ", "초반", "중반", "후반"]))
    return f"{decade}년대 {part}" if part and part[0] > "z" else f"{part}{decade}s"


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["simple", "range", "before", "after", "unknown"]))
    if shape == "simple":
        core = draw(simple_texts())
    elif shape == "range":
        a, b = draw(simple_texts()), draw(simple_texts())
        if parse_partial_date(a).earliest > parse_partial_date(b).latest:
            a, b = b, a
        core = draw(st.sampled_from([f"{a} to {b}", f"between {a} and {b}", f"{a} – {b}"]))
    elif shape in ("before", "after"):
        bound = draw(simple_texts())
        if parse_partial_date(bound).earliest == D(1900, 1, 1):
            shape = "after"  # "before 1900" reaches back past the first year reckon records
        core = f"{shape} {bound}"
    else:
        core = draw(st.sampled_from(["unknown", "모름", "미상", "n/a"]))
    if draw(st.booleans()):
        core = draw(st.sampled_from(["around ", "c. ", "~", "about "])) + core
    if draw(st.booleans()):
        core = draw(st.sampled_from(["음력 ", "lunar "])) + core
    for suffix in (draw(st.sampled_from(["", "?"])), draw(st.sampled_from(["", " (reported)"])),
                   draw(st.sampled_from(["", " (inferred)"]))):  # fmt: skip
        core += suffix
    return core


@MANY
@given(date_texts())
def test_format_round_trips_for_every_precision(text: str) -> None:
    d = parse_partial_date(text)
    again = parse_partial_date(d.format())
    assert fields(again) == fields(d)
    assert again.format() == d.format()


@MANY
@given(date_texts())
def test_earliest_is_never_after_latest(text: str) -> None:
    d = parse_partial_date(text)
    if d.earliest is not None and d.latest is not None:
        assert d.earliest <= d.latest
    assert d.overlaps(d)


@FEW
@given(date_texts(), st.sampled_from(["", " ", "  ", "\t"]), st.booleans())
def test_original_is_kept_verbatim(text: str, pad: str, upper: bool) -> None:
    written = pad + (text.upper() if upper else text) + pad
    assert parse_partial_date(written).original == written


TOKENS = ["1997", "0001", "9999", "1900", "0000", "97", "12", "13", "40", "2", "-", "/", ".",
          "–", "~", "to", "and", "between", "before", "after", "around", "?", "(reported)",
          "lunar", "음력", "년", "월", "일", "년대", "주체", "경", "이전", "이후", "전", "후",
          "봄", "겨울", "초반", "말", "spring", "winter", "late", "march", "s", "'", "부터",
          "까지"]  # fmt: skip
date_like = st.builds(
    lambda tokens, sep: sep.join(tokens),
    st.lists(st.sampled_from(TOKENS), max_size=7),
    st.sampled_from(["", " "]),
)


@MANY
@given(st.one_of(
    st.text(),
    st.text(alphabet="0123456789-/.~–? 년월일대경쯤초반말봄겨울전후음력주체s'abefhilnorstuvw"),
    date_like,
))  # fmt: skip
def test_parsing_arbitrary_text_raises_nothing_but_validation_errors(text: str) -> None:
    try:
        d = parse_partial_date(text, today=TODAY)
    except ValidationError as err:
        assert str(err)
    else:
        assert d.original == text
        assert d.earliest is None or d.latest is None or d.earliest <= d.latest


@MANY
@given(days, st.integers(0, 119), st.integers(0, 364))
def test_birth_and_event_intervals_from_age_are_exact(
    born: dt.date, years: int, extra: int
) -> None:
    day = born + dt.timedelta(days=int(365.25 * years) + extra)
    age = age_at(born, day)
    birth = interval_from_age(age, PartialDate(day, day, DP.DAY))
    assert birth.earliest <= born <= birth.latest
    assert age_at(birth.earliest, day) == age_at(birth.latest, day) == age
    assert age_at(birth.earliest - dt.timedelta(days=1), day) == age + 1
    assert age_at(birth.latest + dt.timedelta(days=1), day) == age - 1
    event = event_from_age(PartialDate(born, born, DP.DAY), age)
    assert event.earliest <= day <= event.latest
    assert age_at(born, event.earliest) == age_at(born, event.latest) == age
    assert age_at(born, event.earliest - dt.timedelta(days=1)) == age - 1
    assert age_at(born, event.latest + dt.timedelta(days=1)) == age + 1


@FEW
@given(days, st.integers(0, 120), st.sampled_from(["year", "month"]))
def test_age_intervals_contain_every_consistent_birth(born: dt.date, age: int, grain: str) -> None:
    day = born + dt.timedelta(days=int(365.25 * age) + 100)
    at = parse_partial_date(str(day.year) if grain == "year" else f"{day.year}-{day.month:02d}")
    birth = interval_from_age(age_at(born, day), at)
    assert birth.earliest <= born <= birth.latest
    event = event_from_age(interval_from_age(age_at(born, day), at), age_at(born, day))
    assert event.earliest <= day <= event.latest


@FEW
@given(date_texts(), st.integers(0, 120))
def test_dates_inferred_from_ages_round_trip(text: str, age: int) -> None:
    d = parse_partial_date(text)
    for inferred in (interval_from_age(age, d), event_from_age(d, age)):
        assert DQ.INFERRED in inferred.qualifiers
        assert fields(parse_partial_date(inferred.format(), min_year=1)) == fields(inferred)
