"""Partial dates: what a witness says about *when*, kept as an interval that never invents a day.

A testimony rarely gives an exact day. "Spring 1997", "around 2005", "1990년대 후반" or "when I
was 23" each say something true about the time of an event, and reckon keeps exactly that: the
earliest and latest possible day, a precision code and qualifier codes (VOCABULARY.md C.4), the
verbatim text and the calendar.

Decisions on ambiguous input (each is also tested):

* ``dd.mm.yyyy`` / ``mm/dd/yyyy`` are read only when the reading is unambiguous: day and month
  are equal, or one of the two numbers is above 12 and so cannot be a month. ``12.03.1997``
  could be 12 March or 3 December and is rejected with both readings named; write ISO
  ``1997-03-12`` instead. Year-first forms (``1997/3/12``, ``1997.3.12``) are never ambiguous.
* Two-digit years (``97``, ``'90s``, ``97년``) are rejected: ``17`` could be 1917 or 2017.
* "around 2005" (and 경/쯤/무렵/께/전후/정도, ``~``, ``c.``) spans the stated year only and carries
  ``DQ.APPROX``; widening it to, say, 2004-2006 would be a made-up number. Analyses that want
  slack read the qualifier.
* ``winter 1997`` / ``1997년 겨울`` is December 1997 to the end of February 1998, the winter
  that begins in the stated year. Seasons are meteorological (spring = March-May).
* ``early/mid/late 1997`` (``1997년 초/중반/말``) are thirds of the year, January-April, May-August,
  September-December (the ISO 8601-2 quadrimesters). ``early/mid/late 1990s`` (초반/중반/후반)
  are 1990-1993, 1994-1996 and 1997-1999. ``1997년 중`` ("during 1997") is not "mid".
* ``before 2000`` ends on 1999-12-31 and ``after 2000`` starts on 2001-01-01; the other end is
  open. A range ("1997-1999", "spring 1997 to 1998-06") has precision ``DP.YEARS`` whatever its
  ends, and runs from the first day of its first end to the last day of its last end. Both ends
  need their year: "2005년 3월~6월" is refused, "2005년 3월~2005년 6월" is read.
* Juche years (``주체86년``) are converted to Gregorian (year - 1911 is the Juche year), so the
  calendar stays ``gregorian``; the original text keeps what was said.
* Lunar dates (``음력``) are stored as given: ``earliest``/``latest`` hold the lunar year, month
  and day numbers, flagged ``calendar="lunar"``. A lunar day always falls between about a week
  and three months later in the Gregorian year than the same numbers read as Gregorian, so
  :meth:`PartialDate.overlaps` widens a lunar interval by 90 days against a Gregorian one, and
  :meth:`PartialDate.is_after` stays safe (it only says "after" when it certainly is). Lunar
  29 and 30 February cannot be stored as given; record the month instead.
* Ages are completed years (만 나이, as used in the DPRK). Someone born on 29 February turns a
  year older on 1 March in other years.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from reckon.errors import ValidationError

__all__ = ["DP", "DQ", "MIN_YEAR", "PartialDate", "event_from_age", "interval_from_age",
           "parse_age", "parse_partial_date"]  # fmt: skip

MIN_YEAR = 1900
MAX_AGE = 120
_LUNAR_SLACK = dt.timedelta(days=90)
_DAY = dt.timedelta(days=1)


class DP:
    """Date precision codes (VOCABULARY.md C.4)."""

    DAY = "DP.DAY"
    MONTH = "DP.MONTH"
    SEASON = "DP.SEASON"
    YEAR = "DP.YEAR"
    YEARS = "DP.YEARS"
    DECADE = "DP.DECADE"
    BEFORE = "DP.BEFORE"
    AFTER = "DP.AFTER"
    UNKNOWN = "DP.UNKNOWN"
    ALL = frozenset({DAY, MONTH, SEASON, YEAR, YEARS, DECADE, BEFORE, AFTER, UNKNOWN})


class DQ:
    """Date qualifier codes (VOCABULARY.md C.4)."""

    APPROX = "DQ.APPROX"
    UNCERTAIN = "DQ.UNCERTAIN"
    INFERRED = "DQ.INFERRED"
    REPORTED = "DQ.REPORTED"
    ALL = frozenset({APPROX, UNCERTAIN, INFERRED, REPORTED})


CALENDARS = ("gregorian", "lunar")

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]  # fmt: skip
_MONTH_NAMES = {name: i for i, name in enumerate(_MONTHS, 1)} | {
    name[:3]: i for i, name in enumerate(_MONTHS, 1)
}
_MONTH_NAMES["sept"] = 9
# Periods within a year: first month, last month, years to add for the last month, EDTF code.
_SEASONS = {
    "spring": (3, 5, 0, 21), "summer": (6, 8, 0, 22), "autumn": (9, 11, 0, 23),
    "winter": (12, 2, 1, 24), "early": (1, 4, 0, 37), "mid": (5, 8, 0, 38), "late": (9, 12, 0, 39),
}  # fmt: skip
_SEASON_BY_SPAN = {(v[0], v[1], v[2]): k for k, v in _SEASONS.items()}
_DECADE_PARTS = {"": (0, 9), "early": (0, 3), "mid": (4, 6), "late": (7, 9)}
_DECADE_BY_SPAN = {v: k for k, v in _DECADE_PARTS.items()}
_KOREAN_SEASONS = {"봄": "spring", "여름": "summer", "가을": "autumn", "겨울": "winter"}
_KOREAN_PARTS = {"초반": "early", "초": "early", "중반": "mid", "후반": "late", "말": "late"}
_UNKNOWN = frozenset({"", "?", "??", "-", "unknown", "not known", "n/a", "na", "unk",
                      "모름", "미상", "불명", "알 수 없음", "알수없음"})  # fmt: skip
_EXAMPLES = "write e.g. 1997, 1997-03, spring 1997, around 2005, 1990s, 2005년 3월"

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "–", "\u2014": "–",
                         "\u2015": "–", "\u301c": "~"})  # fmt: skip
# Markers stripped from either end of the text, in any order: (pattern, qualifier or calendar).
_MARKERS = [
    (r"^(?:lunar|음력)\s*|\s*\((?:lunar|음력)\)$", "lunar"),
    (r"^(?:solar|gregorian|양력)\s*|\s*\((?:solar|gregorian|양력)\)$", "gregorian"),
    (r"^(?:around|about|approx(?:imately|\.)?|circa|ca\.?|c\.|~)\s*", DQ.APPROX),
    (r"\s*(?:경|쯤|무렵|께|전후|정도)$", DQ.APPROX),
    (r"\s*\?$", DQ.UNCERTAIN),
    (r"^reportedly\s+|\s*\(reported\)$", DQ.REPORTED),
    (r"\s*\(inferred\)$", DQ.INFERRED),
]
_MARKERS_RE = [(re.compile(p, re.ASCII), what) for p, what in _MARKERS]


def _korean_part(m: re.Match[str]) -> str:
    return f"{_KOREAN_PARTS[m[2]]} {m[1]}"


def _juche(m: re.Match[str]) -> str:
    if int(m[1]) < 1:
        raise _DateError("{text} has Juche year 0; Juche years start at 1 (1912)")
    return str(int(m[1]) + 1911)


# Korean phrasing rewritten into the English grammar below, in this order.
_KOREAN = [
    (r"(?:주체|juche)\s*(\d{1,4})", _juche),
    (r"(\d+)\s*년대", r"\1s"),
    (r"(\d+)\s*년\s*(\d+)\s*월\s*(\d+)\s*일", r"\1-\2-\3"),
    (r"(\d+)\s*년\s*(\d+)\s*월", r"\1-\2"),
    (r"(\d+)\s*년", r"\1"),
    (r"(\d+s?)\s*(초반|중반|후반|초|말)", _korean_part),
    (r"(\d+)\s*(봄|여름|가을|겨울)", lambda m: f"{_KOREAN_SEASONS[m[2]]} {m[1]}"),
    (r"^(.+?)\s*부터\s*(.+?)\s*까지$", r"\1 to \2"),
    (r"^(.+?)\s*(?:에서|와|과)\s*(.+?)\s*사이$", r"between \1 and \2"),
    (r"^(.+?)\s*(?:이전|전)$", r"before \1"),
    (r"^(.+?)\s*(?:이후|후)$", r"after \1"),
]
_KOREAN_RE = [(re.compile(p, re.ASCII), r) for p, r in _KOREAN]
_OPEN_RE = re.compile(r"^(before|prior to|after)\s+(.+)$")
_RANGE_RE = [
    re.compile(p, re.ASCII)
    for p in (
        r"^between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$",
        r"^(?:from\s+)?(?P<a>.+?)\s+(?:to|or)\s+(?P<b>.+)$",
        r"^(?P<a>.+?)\s*[–~]\s*(?P<b>.+)$",
        r"^(?P<a>.+?)\s+-\s+(?P<b>.+)$",
        r"^(?P<a>\d{4})\s*[-/]\s*(?P<b>\d{4})$",
    )
]
_Span = tuple[dt.date | None, dt.date | None, str]


class _DateError(Exception):
    """A problem found while reading a date; ``{text}`` in the message stands for the input."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message, self.problems = message, problems


def _date(y: int, m: int, d: int) -> dt.date:
    if not 1 <= y <= 9999:
        raise _DateError(f"{{text}} names the year {y}, which reckon cannot store; check the year")
    problems = []
    if not 1 <= m <= 12:
        problems.append(f"month {m} does not exist; months run from 1 to 12")
    if not 1 <= d <= 31:
        problems.append(f"day {d} does not exist; days run from 1 to 31")
    elif 1 <= m <= 12 and d > _calendar.monthrange(y, m)[1]:
        length = _calendar.monthrange(y, m)[1]
        problems.append(f"day {d} does not exist in {_MONTHS[m - 1].title()} {y}, "
                        f"which has {length} days")  # fmt: skip
    if problems:
        raise _DateError(
            "{text} is not a real date; write a real month and day (YYYY-MM-DD), or leave out "
            "what is not known (e.g. 1998 or 1998-12)",
            problems,
        )
    return dt.date(y, m, d)


def _month_end(y: int, m: int) -> dt.date:
    _date(y, m, 1)  # checks the year and month before asking for the month's length
    return _date(y, m, _calendar.monthrange(y, m)[1])


def _shift(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        raise _DateError("{text} reaches beyond the dates reckon can store") from None


def _year_span(y: int) -> _Span:
    return _date(y, 1, 1), _date(y, 12, 31), DP.YEAR


def _month_span(y: int, m: int) -> _Span:
    return _date(y, m, 1), _month_end(y, m), DP.MONTH


def _year_month(y: int, m: int) -> _Span:
    if m > 12 and (end := y - y % 100 + m) > y:  # "1997-99" is a range with a two-digit end
        raise _DateError(
            f"{{text}} is not a month: month {m} does not exist; for the years {y} to {end}, "
            f"write both years in full ({y}-{end})"
        )
    return _month_span(y, m)


def _season_span(name: str, y: int) -> _Span:
    first, last, plus, _ = _SEASONS[name]
    return _date(y, first, 1), _month_end(y + plus, last), DP.SEASON


def _day_month_year(a: int, b: int, y: int) -> _Span:
    """Read ``a.b.yyyy`` only when the order of day and month cannot matter."""
    if b > 12 >= a:
        a, b = b, a
    elif 0 < a <= 12 and 0 < b <= 12 and a != b:
        raise _DateError(
            f"{{text}} is ambiguous: it could be {a} {_MONTHS[b - 1].title()} or {b} "
            f"{_MONTHS[a - 1].title()} {y}; write it as YYYY-MM-DD "
            f"({y}-{b:02d}-{a:02d} or {y}-{a:02d}-{b:02d})"
        )
    day = _date(y, b, a)
    return day, day, DP.DAY


def _named(word: str, y: int, d: int | None = None) -> _Span | None:
    word = word.rstrip("-")
    word = "autumn" if word == "fall" else word
    if word in _MONTH_NAMES:
        if d is None:
            return _month_span(y, _MONTH_NAMES[word])
        day = _date(y, _MONTH_NAMES[word], d)
        return day, day, DP.DAY
    if word in _SEASONS and d is None:
        return _season_span(word, y)
    return None


def _decade(part: str, y: int) -> _Span:
    lo, hi = _DECADE_PARTS[part]
    return _date(y + lo, 1, 1), _date(y + hi, 12, 31), DP.DECADE


_SIMPLE = [
    (r"(\d{4})", lambda m: _year_span(int(m[1]))),
    (r"(\d{4})[-/.](\d{1,2})", lambda m: _year_month(int(m[1]), int(m[2]))),
    (r"(\d{1,2})[-/.](\d{4})", lambda m: _month_span(int(m[2]), int(m[1]))),
    (r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})",
     lambda m: (_date(int(m[1]), int(m[2]), int(m[3])),) * 2 + (DP.DAY,)),
    (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})",
     lambda m: _day_month_year(int(m[1]), int(m[2]), int(m[3]))),
    (r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})",
     lambda m: _named(m[2], int(m[3]), int(m[1]))),
    (r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})",
     lambda m: _named(m[1], int(m[3]), int(m[2]))),
    (r"([a-z]+-?)\.?,?\s*(?:of\s+)?(\d{4})", lambda m: _named(m[1], int(m[2]))),
    (r"(early|mid|late)[\s-]*(?:the\s+)?(\d{3}0)'?s", lambda m: _decade(m[1], int(m[2]))),
    (r"(\d{3}0)'?s", lambda m: _decade("", int(m[1]))),
]  # fmt: skip
_SIMPLE_RE = [(re.compile(f"^(?:in\\s+|the\\s+)?{p}$", re.ASCII), f) for p, f in _SIMPLE]


def _simple(s: str) -> _Span | None:
    for pattern, handler in _SIMPLE_RE:
        m = pattern.match(s)
        if m and (span := handler(m)) is not None:
            return span
    return None


def _core(s: str) -> _Span | None:
    """Read the text left after markers are stripped; ``None`` when no form matches."""
    for pattern, repl in _KOREAN_RE:
        s = pattern.sub(repl, s).strip()
    if s in _UNKNOWN:
        return None, None, DP.UNKNOWN
    if (m := _OPEN_RE.match(s)) and (inner := _simple(m[2])) is not None:
        if m[1] == "after":
            return _shift(inner[1], 1), None, DP.AFTER  # type: ignore[arg-type]
        return None, _shift(inner[0], -1), DP.BEFORE  # type: ignore[arg-type]
    if (span := _simple(s)) is not None:
        return span
    for pattern in _RANGE_RE:
        m = pattern.match(s)
        if m is None:
            continue
        first, last = _simple(m["a"]), _simple(m["b"])
        if first is None or last is None:
            continue
        if first[0] > last[1]:  # type: ignore[operator]
            raise _DateError(
                f"{{text}} is a range that ends ({m['b']}) before it starts ({m['a']}); "
                f"write the earlier date first, e.g. {m['b']}–{m['a']}"
            )
        return first[0], last[1], DP.YEARS
    return None


def _two_digit_year(s: str) -> None:
    """Raise when the text would be a date if one of its two-digit numbers had four digits."""
    tokens = list(re.finditer(r"(?<!\d)'?(\d{2})(?!\d)", s))
    raising = None
    for m in reversed(tokens):
        try:
            found = _core(f"{s[: m.start()]}19{m[1]}{s[m.end() :]}") is not None
        except _DateError:
            found, raising = False, raising or m[1]
        if found:
            raising = m[1]
            break
    if raising is not None:
        raise _DateError(
            f"{{text}} has a two-digit year ({raising!r}), which could be 19{raising} or "
            f"20{raising}; write the year with four digits, e.g. 19{raising}"
        )


def parse_partial_date(
    text: str, *, today: dt.date | None = None, min_year: int = MIN_YEAR
) -> PartialDate:
    """Read what someone wrote about when something happened.

    Parameters
    ----------
    text : str
        The date as written, in English or Korean (see the module docstring for the forms).
    today : datetime.date, optional
        When given, dates whose earliest possible day is after ``today`` are rejected.
    min_year : int, default 1900
        Dates reaching before 1 January of this year are rejected (lower it for births).

    Returns
    -------
    PartialDate
        The interval, with ``original`` set to ``text`` unchanged.

    Raises
    ------
    ValidationError
        When the text is not a date, names an impossible date, a reversed range, a two-digit
        or out-of-range year, or a date in the future. The message quotes the text, says what
        is wrong and how to write it instead.
    """
    if not isinstance(text, str):
        raise ValidationError(f"a date must be text, not {type(text).__name__} ({text!r})")
    try:
        return _parse(text, today, min_year)
    except _DateError as err:
        raise ValidationError(err.message.replace("{text}", repr(text)), err.problems) from None


def _parse(text: str, today: dt.date | None, min_year: int) -> PartialDate:
    s = " ".join(unicodedata.normalize("NFKC", text).translate(_DASHES).lower().split())
    if s in _UNKNOWN:
        return PartialDate(None, None, DP.UNKNOWN, original=text)
    qualifiers, calendar = set(), "gregorian"
    changed = True
    while changed:
        changed = False
        for pattern, what in _MARKERS_RE:
            if (stripped := pattern.sub("", s, count=1).strip()) != s:
                s, changed = stripped, True
                if what in CALENDARS:
                    calendar = what
                else:
                    qualifiers.add(what)
    try:
        span = _core(s)
    except _DateError as err:
        if calendar == "lunar" and err.problems:
            err.problems.append(
                "a lunar date is stored with its month and day as given, so lunar 29 or 30 "
                "February cannot be stored; record the lunar month instead (음력 1997년 2월)"
            )
        raise
    if span is None:
        _two_digit_year(s)
        raise _DateError(f"the text {{text}} is not a date reckon understands; {_EXAMPLES}")
    earliest, latest, precision = span
    for bound in (earliest, latest):
        if bound is not None and bound.year < min_year:
            raise _DateError(
                f"{{text}} reaches back to {bound.year}, before {min_year}; reckon records "
                f"events from {min_year} on, so check the year"
            )
    if today is not None and earliest is not None and earliest > today:
        raise _DateError(
            f"{{text}} is in the future: its earliest possible day, {earliest}, is after "
            f"today ({today}); check the year"
        )
    return PartialDate(earliest, latest, precision, frozenset(qualifiers), text, calendar)


def _lower(day: dt.date) -> str:
    """The shortest text whose first day is ``day``."""
    if day.day == 1:
        return f"{day.year:04d}" if day.month == 1 else f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _upper(day: dt.date) -> str:
    """The shortest text whose last day is ``day``."""
    if day.day == _calendar.monthrange(day.year, day.month)[1]:
        return f"{day.year:04d}" if day.month == 12 else f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


@dataclass(frozen=True)
class PartialDate:
    """When something happened, as well as it is known: an interval of possible days.

    Parameters
    ----------
    earliest, latest : datetime.date or None
        The first and last possible day (``None`` = open on that side).
    precision : str
        One of the ``DP`` codes.
    qualifiers : frozenset of str
        ``DQ`` codes: approximate, uncertain, inferred (e.g. from an age), reported (hearsay).
    original : str
        The text as written; always kept.
    calendar : {"gregorian", "lunar"}
        ``"lunar"`` when the text gave a lunar date; the day numbers are then lunar, unconverted.
    """

    earliest: dt.date | None
    latest: dt.date | None
    precision: str
    qualifiers: frozenset[str] = field(default_factory=frozenset)
    original: str = ""
    calendar: str = "gregorian"

    def __post_init__(self) -> None:
        object.__setattr__(self, "qualifiers", frozenset(self.qualifiers))
        problems = []
        if self.precision not in DP.ALL:
            problems.append(f"precision {self.precision!r} is not one of {sorted(DP.ALL)}")
        if unknown := self.qualifiers - DQ.ALL:
            problems.append(f"qualifiers {sorted(unknown)} are not among {sorted(DQ.ALL)}")
        if self.calendar not in CALENDARS:
            problems.append(f"calendar {self.calendar!r} is not one of {CALENDARS}")
        open_ends = {DP.UNKNOWN: (True, True), DP.BEFORE: (True, False), DP.AFTER: (False, True)}
        if (self.earliest is None, self.latest is None) != open_ends.get(self.precision, (0, 0)):
            problems.append(f"precision {self.precision} does not fit earliest={self.earliest} "
                            f"and latest={self.latest}")  # fmt: skip
        elif self.earliest and self.latest and self.earliest > self.latest:
            problems.append(f"earliest {self.earliest} is after latest {self.latest}")
        if (self.precision, self.latest, self.earliest) in (
            (DP.BEFORE, dt.date.max, None), (DP.AFTER, None, dt.date.min)):  # fmt: skip
            problems.append("an open interval must not end on the last or first storable day")
        if problems:
            raise ValidationError(f"invalid partial date {self.original!r}", problems)

    @property
    def earliest_year(self) -> int | None:
        """Year of the earliest possible day, or ``None`` when open."""
        return None if self.earliest is None else self.earliest.year

    @property
    def latest_year(self) -> int | None:
        """Year of the latest possible day, or ``None`` when open."""
        return None if self.latest is None else self.latest.year

    def _core_text(self) -> str:
        lo, hi, p = self.earliest, self.latest, self.precision
        if lo is None or hi is None:
            if hi is not None:
                return f"before {_lower(hi + _DAY)}"
            return "unknown" if lo is None else f"after {_upper(lo - _DAY)}"
        first, last = _lower(lo), _upper(hi)
        span = (lo.month, hi.month, hi.year - lo.year)
        month_ends = lo.day == 1 and hi.day == _calendar.monthrange(hi.year, hi.month)[1]
        if p == DP.DAY and lo == hi:
            return lo.isoformat()
        if p == DP.MONTH and month_ends and (lo.year, lo.month) == (hi.year, hi.month):
            return f"{lo.year:04d}-{lo.month:02d}"
        if p == DP.YEAR and first == last:
            return first
        if p == DP.SEASON and month_ends and span in _SEASON_BY_SPAN:
            return f"{_SEASON_BY_SPAN[span]} {lo.year:04d}"
        decade = (lo.year % 10, hi.year - lo.year + lo.year % 10)
        if p == DP.DECADE and len(first) == len(last) == 4 and decade in _DECADE_BY_SPAN:
            return f"{_DECADE_BY_SPAN[decade]} {lo.year - lo.year % 10:04d}s".strip()
        return f"{first}–{last}"

    def format(self) -> str:
        """Canonical English text: ``parse_partial_date(d.format())`` equals ``d`` but for
        ``original``.

        Examples: ``1997``, ``1997-03``, ``1997-03-12``, ``spring 1997``, ``early 1990s``,
        ``before 2000``, ``1997–1999``, ``around 2005``, ``1997?``, ``lunar 1997-03``,
        ``1973–1974 (inferred)``, ``unknown``.
        """
        text = self._core_text()
        if DQ.APPROX in self.qualifiers:
            text = f"around {text}"
        if self.calendar == "lunar":
            text = f"lunar {text}"
        if DQ.UNCERTAIN in self.qualifiers:
            text += "?"
        if DQ.INFERRED in self.qualifiers:
            text += " (inferred)"
        if DQ.REPORTED in self.qualifiers:
            text += " (reported)"
        return text

    def __str__(self) -> str:
        return self.format()

    def to_edtf(self) -> str:
        """The date as an EDTF / ISO 8601-2 string (VOCABULARY.md C.4).

        ``~`` marks approximate, ``?`` uncertain, ``%`` both; EDTF has no mark for inferred or
        reported dates, nor for the lunar calendar, so those are left to the other fields.
        """
        approx, unsure = DQ.APPROX in self.qualifiers, DQ.UNCERTAIN in self.qualifiers
        q = "%" if approx and unsure else "~" if approx else "?" if unsure else ""
        lo, hi = self.earliest, self.latest
        if lo is None or hi is None:
            if hi is not None:
                return f"../{_upper(hi)}{q}"
            return ".." if lo is None else f"{_lower(lo)}{q}/.."
        core = self._core_text()
        if "–" not in core and self.precision in (DP.DAY, DP.MONTH, DP.YEAR):
            return core + q
        if "–" not in core and self.precision == DP.SEASON:
            return f"{lo.year:04d}-{_SEASONS[core.split()[0]][3]}{q}"
        if self.precision == DP.DECADE and not q and " " not in core and "–" not in core:
            return f"{lo.year // 10:03d}X"
        return f"{_lower(lo)}{q}/{_upper(hi)}{q}"

    @property
    def esf_date_type(self) -> str | None:
        """HURIDOCS ESF mt48 date type: ``"01"`` estimate, ``"02"`` unknown day, ``"03"``
        unknown month and day, ``None`` for an exact date."""
        if self.qualifiers & {DQ.APPROX, DQ.UNCERTAIN, DQ.INFERRED}:
            return "01"
        return {DP.DAY: None, DP.MONTH: "02", DP.SEASON: "03", DP.YEAR: "03"}.get(
            self.precision, "01"
        )

    def is_after(self, day: dt.date) -> bool:
        """Whether the earliest possible day is after ``day`` (so the date is surely later)."""
        return self.earliest is not None and self.earliest > day

    def _bounds(self, other: PartialDate) -> tuple[dt.date | None, dt.date | None]:
        latest = self.latest
        if latest is not None and self.calendar == "lunar" and other.calendar != "lunar":
            latest = latest + _LUNAR_SLACK if latest < dt.date.max - _LUNAR_SLACK else dt.date.max
        return self.earliest, latest

    def overlaps(self, other: PartialDate) -> bool:
        """Whether the two dates could be the same day (open ends and unknown dates overlap all)."""
        (a_lo, a_hi), (b_lo, b_hi) = self._bounds(other), other._bounds(self)
        return (a_lo is None or b_hi is None or a_lo <= b_hi) and (
            b_lo is None or a_hi is None or b_lo <= a_hi
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (ISO dates, sorted qualifiers) with the derived text, EDTF and mt48."""
        return {
            "earliest": None if self.earliest is None else self.earliest.isoformat(),
            "latest": None if self.latest is None else self.latest.isoformat(),
            "precision": self.precision,
            "qualifiers": sorted(self.qualifiers),
            "original": self.original,
            "calendar": self.calendar,
            "text": self.format(),
            "edtf": self.to_edtf(),
            "esf_date_type": self.esf_date_type,
        }


def _check_age(age: int) -> None:
    if isinstance(age, bool) or not isinstance(age, int):
        raise ValidationError(f"an age must be a whole number of years, not {age!r}")
    if not 0 <= age <= MAX_AGE:
        raise ValidationError(
            f"age {age} is outside 0 to {MAX_AGE}; check the number (ages are completed years)"
        )


def _add_years(day: dt.date, years: int, *, leap_day_to_march: bool) -> dt.date:
    year = day.year + years
    if not 1 <= year <= 9999:
        raise ValidationError(f"{day} shifted by {years} years falls outside the years 1-9999")
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return dt.date(year, 3, 1) if leap_day_to_march else dt.date(year, 2, 28)


def _derived(lo: dt.date | None, hi: dt.date | None, base: PartialDate, text: str) -> PartialDate:
    whole_year = lo and hi and lo.year == hi.year and (lo.month, lo.day, hi.month, hi.day) == (
        1, 1, 12, 31)  # fmt: skip
    open_precision = {(True, True): DP.UNKNOWN, (True, False): DP.BEFORE, (False, True): DP.AFTER}
    precision = open_precision.get((lo is None, hi is None), DP.YEAR if whole_year else DP.YEARS)
    qualifiers = base.qualifiers | {DQ.INFERRED}
    return PartialDate(lo, hi, precision, qualifiers, text, base.calendar)


def interval_from_age(age: int, at: PartialDate) -> PartialDate:
    """Birth interval of someone who was ``age`` (completed years) at an event dated ``at``.

    Parameters
    ----------
    age : int
        Age in completed years, 0 to 120.
    at : PartialDate
        When the event happened.

    Returns
    -------
    PartialDate
        ``DP.YEAR`` when the interval is one calendar year, else ``DP.YEARS`` (``DP.BEFORE`` /
        ``DP.AFTER`` / ``DP.UNKNOWN`` when ``at`` is open), qualified ``DQ.INFERRED``. Births
        may fall before 1900; no lower year limit applies here.
    """
    _check_age(age)
    lo = hi = None
    if at.earliest is not None:
        lo = _add_years(at.earliest, -(age + 1), leap_day_to_march=False) + _DAY
    if at.latest is not None:
        hi = _add_years(at.latest, -age, leap_day_to_march=False)
    return _derived(lo, hi, at, f"aged {age} at {at.original or at.format()}")


def event_from_age(birth: PartialDate, age: int) -> PartialDate:
    """When someone born within ``birth`` was ``age`` (completed years).

    Parameters
    ----------
    birth : PartialDate
        The birth date.
    age : int
        Age in completed years at the event, 0 to 120.

    Returns
    -------
    PartialDate
        The event interval, precision as for :func:`interval_from_age`, qualified
        ``DQ.INFERRED``.
    """
    _check_age(age)
    lo = hi = None
    if birth.earliest is not None:
        lo = _add_years(birth.earliest, age, leap_day_to_march=True)
    if birth.latest is not None:
        hi = _add_years(birth.latest, age + 1, leap_day_to_march=True) - _DAY
    return _derived(lo, hi, birth, f"at age {age}, born {birth.original or birth.format()}")


_AGE_RE = re.compile(
    r"^(?:aged?|나이)?\s*(?:만\s*)?(?P<n>[-+]?\s*\d+)\s*"
    r"(?:세|살|years?(?:\s+old)?|yrs?(?:\s+old)?|y/?o)?$",
    re.ASCII,
)


def parse_age(text: str | int) -> int:
    """Read an age such as ``23``, ``age 23``, ``23 years old``, ``23세``, ``23살``, ``만 23세``.

    Raises
    ------
    ValidationError
        When the text is not a whole number of years, is negative, or is over 120.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        raise ValidationError(f"an age must be text or a whole number, not {text!r}")
    m = _AGE_RE.match(" ".join(unicodedata.normalize("NFKC", text).lower().split()))
    if m is None:
        raise ValidationError(
            f"{text!r} is not an age; write a whole number of years, e.g. 23, age 23, 23세"
        )
    digits = m["n"].replace(" ", "")
    if digits.startswith("-") and digits.strip("-0"):
        raise ValidationError(f"the age {text!r} is negative; write the age in whole years")
    if len(digits.lstrip("+-0")) > 3 or int(digits) > MAX_AGE:
        raise ValidationError(f"the age {text!r} is over {MAX_AGE}; check the number")
    return int(digits)
