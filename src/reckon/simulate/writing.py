"""How each list writes the people it holds: name styles, field styles and errors.

Each record of a list picks one of the list's name styles (:data:`~reckon.simulate.scenario.
NAME_STYLES`, weighted by ``name_style``) and is written with the romanizer of
:mod:`reckon.linkage.korean_names`:

* ``hangul_south`` 이철호, ``hangul_north`` 리철호 (the North surname; the given name as drawn,
  so 룡/련 stay word-initial) — 리, 림, 류, 량, 로 only ever appear in North-spelling records;
* ``rr`` I Cheol-ho, ``rr_nohyphen`` I Cheolho, ``mr`` Yi Ch'ŏl-ho;
* ``dprk`` Ri Chol Ho (from the North spelling, breves dropped as in practice);
* ``passport`` Lee Chul-ho, ``western`` Chul-ho Lee, ``upper`` LEE CHULHO: the surname is drawn
  from its listed spellings by passport share (KOREAN_NAMES.md §3-4: Lee 98.8 %, Yi 0.9 %,
  Rhee ...), the given name hyphenated or joined at random.

Errors, each with its per-list probability (:data:`~reckon.simulate.scenario.ERROR_RATES`): a
given-name syllable dropped (before romanizing), a typo (a vowel of a Hangul syllable, or a
Latin letter substituted, deleted or swapped), age at the event written instead of the birth
year, either off by one, province missing or wrong, county missing, event year off by one, sex
or facility missing, the victim's other act reported, and a second record of the same person in
the same list.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
import pandas as pd

from reckon.linkage.hangul import MEDIALS, compose, decompose
from reckon.linkage.korean_names import romanize, south_spelling
from reckon.linkage.surnames import lookup_surname
from reckon.records.vocabulary import load_vocabulary
from reckon.simulate.scenario import NAME_STYLES, ListSpec

__all__ = ["RECORD_COLUMNS", "render_name", "typo", "write_list"]

#: Columns of the stacked records, values as the list wrote them.
RECORD_COLUMNS = (
    "record_id",
    "source",
    "person_id",
    "name",
    "sex",
    "birth_year",
    "age_at_event",
    "province",
    "county",
    "event_year",
    "violation",
    "facility",
)

# Vowels a typist confuses (neighbouring keys on the 두벌식 keyboard or similar shapes).
_VOWEL_SWAPS = {
    "ㅏ": "ㅑㅓ", "ㅐ": "ㅔㅒ", "ㅑ": "ㅏ", "ㅓ": "ㅕㅏ", "ㅔ": "ㅐㅖ", "ㅕ": "ㅓ", "ㅗ": "ㅛㅜ",
    "ㅛ": "ㅗ", "ㅜ": "ㅠㅗ", "ㅠ": "ㅜ", "ㅡ": "ㅜㅣ", "ㅣ": "ㅡ", "ㅢ": "ㅣ", "ㅚ": "ㅙㅞ",
    "ㅘ": "ㅝ", "ㅝ": "ㅘ", "ㅟ": "ㅢ",
}  # fmt: skip
_LETTER_SWAPS = {
    "a": "eo", "e": "ai", "i": "ey", "o": "ua", "u": "oi", "y": "i", "k": "g", "g": "k",
    "c": "k", "h": "n", "n": "mh", "m": "n", "s": "z", "j": "c", "l": "r", "r": "l", "p": "b",
    "b": "p", "t": "d", "d": "t", "w": "v", "z": "s",
}  # fmt: skip


@lru_cache(maxsize=200_000)
def _romanize(name: str, system: str, hyphen: bool, ascii: bool) -> str:
    return romanize(name, system, hyphen=hyphen, ascii=ascii)


@cache
def _listed_spellings(surname: str) -> tuple[tuple[str, ...], np.ndarray]:
    """Listed spellings of a surname with passport shares (KOREAN_NAMES.md §3-4).

    Documented shares are used as they are (Lee 98.77 %, Yi 0.92 %); listed spellings without
    a figure share what is left (at least 0.1 % each); a row without any figure weighs its
    spellings 1/rank². A surname outside the table gets its passport romanization.
    """
    entry = lookup_surname(surname)
    if entry is None or not entry.spellings:
        return (_romanize(surname + "가", "passport", True, True).split()[0],), np.ones(1)
    listed = entry.spellings
    known = [pct for _, pct in listed if pct is not None]
    unknown = [s for s, pct in listed if pct is None]
    if known:
        rest = max(1.0 - sum(known) / 100, 0.0)
        weights = [
            max(pct / 100 if pct is not None else rest / max(len(unknown), 1), 0.001)
            for _, pct in listed
        ]
    else:
        weights = [1 / rank**2 for rank in range(1, len(listed) + 1)]
    p = np.asarray(weights, dtype=float)
    return tuple(s for s, _ in listed), p / p.sum()


def render_name(
    surname: str, given: str, style: str, rng: np.random.Generator, *, north_surname: str = ""
) -> str:
    """Write one name in one style.

    Parameters
    ----------
    surname, given : str
        Hangul surname (South spelling) and given name as drawn (may start with 룡, 련...).
    style : str
        A key of :data:`~reckon.simulate.scenario.NAME_STYLES`.
    rng : numpy.random.Generator
        For the passport surname spelling and hyphenation.
    north_surname : str, optional
        The person's North spelling of the surname (리, 림 or 임 ...); default: ``surname``.

    Returns
    -------
    str
    """
    north = (north_surname or surname) + given
    south = south_spelling(surname + given)
    if style == "hangul_south":
        return south
    if style == "hangul_north":
        return north
    if style == "rr":
        return _romanize(south, "rr", True, False)
    if style == "rr_nohyphen":
        return _romanize(south, "rr", False, False)
    if style == "mr":
        return _romanize(south, "mr", True, False)
    if style == "dprk":
        return _romanize(north, "dprk", True, True)
    if style in ("passport", "western", "upper"):
        hyphen = style != "upper" and bool(rng.random() < 0.6)
        written = _romanize(south, "passport", hyphen, True)
        _, _, given_part = written.partition(" ")
        spellings, p = _listed_spellings(surname)
        family = spellings[int(rng.choice(len(spellings), p=p))]
        if not given_part:
            return family.upper() if style == "upper" else family
        if style == "western":
            return f"{given_part} {family}"
        if style == "upper":
            return f"{family} {given_part}".upper()
        return f"{family} {given_part}"
    raise ValueError(f"unknown name style {style!r}; the styles are {', '.join(NAME_STYLES)}")


def typo(name: str, rng: np.random.Generator, *, skip: int = 0) -> str:
    """One typing error in a name.

    Hangul: a vowel of one syllable after the first ``skip`` characters is swapped for one a
    typist confuses it with (철 → 춸 is not produced; 철 → 촐 or 칠 is). Latin: one letter is
    substituted by a similar one, deleted, or swapped with its neighbour.

    Parameters
    ----------
    name : str
    rng : numpy.random.Generator
    skip : int
        Leading characters left alone (the Hangul surname, so that a typo never turns the
        South surname 이 into the North 리).

    Returns
    -------
    str
        The name with one error (unchanged only when nothing in it can be mistyped).
    """
    positions = [i for i, ch in enumerate(name) if i >= skip and "\uac00" <= ch <= "\ud7a3"]
    if positions:
        i = positions[int(rng.integers(len(positions)))]
        jamo = decompose(name[i])
        options = _VOWEL_SWAPS.get(jamo.medial, "")
        if not options:
            return name
        medial = options[int(rng.integers(len(options)))]
        assert medial in MEDIALS
        return name[:i] + compose(jamo.initial, medial, jamo.final) + name[i + 1 :]
    letters = [i for i, ch in enumerate(name) if ch.isascii() and ch.isalpha()]
    if len(letters) < 3:
        return name
    i = letters[1 + int(rng.integers(len(letters) - 1))]  # keep the first letter
    kind = int(rng.integers(3))
    ch = name[i]
    if kind == 0:
        options = _LETTER_SWAPS.get(ch.lower(), "e")
        new = options[int(rng.integers(len(options)))]
        return name[:i] + (new.upper() if ch.isupper() else new) + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if i + 1 < len(name) and name[i + 1].isalpha() and name[i + 1].lower() != ch.lower():
        return name[:i] + name[i + 1] + ch + name[i + 2 :]
    return name[:i] + name[i + 1 :]


@cache
def _labels(vocabulary: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for term in load_vocabulary(vocabulary):
        out[term.code] = {"ko": term.ko or term.en, "en": term.en, "code": term.code}
    return out


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _label(code: object, style: str) -> str | None:
    if _missing(code):
        return None
    code = str(code)
    if code.startswith("KP."):
        return _labels("provinces")[code][style]
    if code.startswith("VT."):
        return _labels("violation_types")[code][style]
    if code.startswith("FAC."):
        return _labels("facilities")[code][style]
    if code.startswith("DF."):
        return _labels("facility_types")[code][style]
    return code


_SEX = {"ko": {"M": "남", "F": "여"}, "en": {"M": "M", "F": "F"}, "code": {"M": "M", "F": "F"}}


def write_list(
    spec: ListSpec, population: pd.DataFrame, holds: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """The records of one list, written its way.

    Parameters
    ----------
    spec : ListSpec
        The list's styles and error rates.
    population : pandas.DataFrame
        The true population.
    holds : numpy.ndarray of bool
        Which people the list holds (from :func:`~reckon.simulate.capture.capture_matrix`).
    rng : numpy.random.Generator
        This list's own generator.

    Returns
    -------
    pandas.DataFrame
        :data:`RECORD_COLUMNS`; rows in a random order, ``record_id`` ``<list>-000001`` ...;
        a person held by the list has one record, or two with probability ``duplicate_rate``.
        Missing values are None.
    """
    people = np.flatnonzero(holds)
    twice = people[rng.random(people.size) < spec.rate("duplicate_rate")]
    rows = np.concatenate([people, twice])
    rows = rows[rng.permutation(rows.size)]
    m = rows.size
    pop = population.iloc[rows].reset_index(drop=True)

    def hit(key: str) -> np.ndarray:
        return rng.random(m) < spec.rate(key)

    # Which act this record reports.
    other = hit("other_act_rate") & pop["act2_violation"].notna().to_numpy()
    violation = np.where(other, pop["act2_violation"], pop["violation"])
    facility = np.where(other, pop["act2_facility"], pop["facility"])
    event_year = np.where(other, pop["act2_event_year"].fillna(0), pop["event_year"]).astype(int)
    age = event_year - pop["birth_year"].to_numpy()

    # Names.
    styles = list(spec.name_style)
    p = np.asarray([spec.name_style[s] for s in styles], dtype=float)
    chosen = np.asarray(styles, dtype=object)[rng.choice(len(styles), size=m, p=p / p.sum())]
    drop = hit("drop_syllable_rate")
    drop_which = rng.integers(2, size=m)
    typos = hit("typo_rate")
    names: list[str] = []
    for i in range(m):
        surname = pop.at[i, "surname"]
        north_surname = pop.at[i, "name_north"][: len(surname)]
        given = pop.at[i, "name_north"][len(surname) :]
        if drop[i] and len(given) == 2:
            given = given[1 - drop_which[i]]
        name = render_name(surname, given, chosen[i], rng, north_surname=north_surname)
        if typos[i]:
            name = typo(name, rng, skip=len(surname))
        names.append(name)

    # Birth year or age, possibly off by one.
    as_age = hit("age_instead_of_birth_rate")
    off = np.where(hit("birth_error_rate"), rng.choice([-1, 1], size=m), 0)
    birth_written = pop["birth_year"].to_numpy() + off
    age_written = np.maximum(age - off, 0)
    birth_col = [None if a else int(b) for a, b in zip(as_age, birth_written, strict=True)]
    age_col = [int(a) if flag else None for flag, a in zip(as_age, age_written, strict=True)]

    year_off = np.where(hit("event_year_error_rate"), rng.choice([-1, 1], size=m), 0)
    # An event written before the written birth would be refused at ingest; such a record
    # keeps its true year instead.
    year_written = event_year + year_off
    year_written = np.where(
        np.asarray([b is not None and y < b for b, y in zip(birth_col, year_written, strict=True)]),
        event_year,
        year_written,
    )

    province = pop["province"].to_numpy(dtype=object).copy()
    wrong = hit("province_wrong_rate")
    codes = sorted(_labels("provinces"))
    if wrong.any():
        shift = rng.integers(1, len(codes), size=int(wrong.sum()))
        index = np.asarray([codes.index(c) for c in province[wrong]])
        province[wrong] = np.asarray(codes, dtype=object)[(index + shift) % len(codes)]
    province[hit("province_missing_rate")] = None
    county_source = "county" if spec.field_style == "ko" else "county_en"
    county = pop[county_source].to_numpy(dtype=object).copy()
    county[hit("county_missing_rate")] = None
    sex = pop["sex"].map(_SEX[spec.field_style]).to_numpy(dtype=object)
    sex[hit("sex_missing_rate")] = None
    facility = facility.astype(object)
    facility[hit("facility_missing_rate")] = None

    style = spec.field_style
    columns = {
        "record_id": [f"{spec.name}-{i:06d}" for i in range(1, m + 1)],
        "source": [spec.name] * m,
        "person_id": list(pop["person_id"]),
        "name": names,
        "sex": list(sex),
        "birth_year": birth_col,
        "age_at_event": age_col,
        "province": [_label(c, style) for c in province],
        "county": [None if _missing(c) else c for c in county],
        "event_year": [int(y) for y in year_written],
        "violation": [_label(c, style) for c in violation],
        "facility": [_label(c, style) for c in facility],
    }
    # Object columns keep None for a missing value (pandas would otherwise infer a string
    # dtype with NaN).
    return pd.DataFrame(
        {
            key: pd.Series(values, dtype="int64" if key == "event_year" else object)
            for key, values in columns.items()
        },
        columns=list(RECORD_COLUMNS),
    )
