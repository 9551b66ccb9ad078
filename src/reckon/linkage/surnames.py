"""Frequency tables for Korean names: surnames (with census counts and spellings) and the
syllables of given names.

Both tables live in ``reckon/linkage/data`` as tab-separated files whose header comments say
where every number comes from. The surname table holds the 2015 South Korean census counts of
KOREAN_NAMES.md §2 for the ten largest surnames and, for the others, figures marked
``estimate`` that are *not verified* and are to be replaced from the KOSIS table
"성씨·본관별 인구". Counts are per Hangul spelling (정 = 鄭 + 丁 + 程), because a comparator
works on Hangul and romanization, not on hanja.

North Korea publishes no surname statistics; the South Korean shares are used for both.

References
----------
.. [1] Statistics Korea (통계청), 2015 인구주택총조사 성씨·본관 집계, released 2016-09-07.
.. [2] Ministry of Foreign Affairs, passport romanized-name statistics as of 2024-10-31.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "CENSUS_POPULATION",
    "GIVEN_SYLLABLE_FLOOR",
    "Surname",
    "given_syllable_weights",
    "lookup_surname",
    "surnames",
    "two_syllable_surnames",
]

#: South Korean nationals in the 2015 census (registered population minus foreigners), the
#: denominator of every surname share.
CENSUS_POPULATION = 49_705_663

#: Weight of a syllable missing from the given-name syllable list (the listed ones weigh 2-10).
GIVEN_SYLLABLE_FLOOR = 0.01


@dataclass(frozen=True)
class Surname:
    """One Hangul surname as South Korea writes it, with its North Korean forms.

    Attributes
    ----------
    hangul : str
        South Korean spelling (이, 임, 유, 노 ...).
    north : tuple of str
        North Korean spelling(s). One form means the North always writes it so (이 → 리);
        two forms mean it depends on the hanja (林 림, 任 임).
    hanja : str
        The hanja counted under this spelling.
    population : int
        South Korean nationals bearing it.
    population_source : str
        ``census2015``, ``doc-approx``, ``census2015+estimate`` or ``estimate`` (unverified).
    spellings : tuple of (str, float or None)
        Listed romanized spellings, most common first, with the documented passport share in
        percent where one is known.
    spelling_source : str
        ``doc`` (KOREAN_NAMES.md §4) or ``usage`` (general usage, unverified).
    """

    hangul: str
    north: tuple[str, ...]
    hanja: str
    population: int
    population_source: str
    spellings: tuple[tuple[str, float | None], ...]
    spelling_source: str

    @property
    def share(self) -> float:
        """Share of the 2015 census population bearing this surname."""
        return self.population / CENSUS_POPULATION

    @property
    def north_unambiguous(self) -> str | None:
        """The North Korean spelling when there is only one, else ``None``."""
        return self.north[0] if len(self.north) == 1 else None


def _data_lines(name: str) -> list[str]:
    text = resources.files("reckon.linkage").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def _parse_spellings(field: str) -> tuple[tuple[str, float | None], ...]:
    out: list[tuple[str, float | None]] = []
    for item in field.split():
        spelling, _, pct = item.partition(":")
        out.append((spelling, float(pct) if pct else None))
    return tuple(out)


@cache
def surnames() -> tuple[Surname, ...]:
    """Every surname in the table, largest first.

    Returns
    -------
    tuple of Surname
    """
    rows = csv.DictReader(_data_lines("korean_surnames.tsv"), delimiter="\t")
    table = [
        Surname(
            hangul=row["hangul"],
            north=tuple(row["north"].split()),
            hanja=row["hanja"],
            population=int(row["population"]),
            population_source=row["population_source"],
            spellings=_parse_spellings(row["spellings"]),
            spelling_source=row["spelling_source"],
        )
        for row in rows
    ]
    return tuple(sorted(table, key=lambda s: -s.population))


@cache
def _by_hangul() -> dict[str, Surname]:
    index: dict[str, Surname] = {}
    for entry in surnames():
        index[entry.hangul] = entry
    for entry in surnames():
        for form in entry.north:
            index.setdefault(form, entry)
    return index


def lookup_surname(hangul: str) -> Surname | None:
    """The table row of a Hangul surname in South or North spelling (리 finds 이).

    Parameters
    ----------
    hangul : str
        One or two Hangul syllables.

    Returns
    -------
    Surname or None
        ``None`` when the surname is not in the table (it is then rare: the table covers the
        surnames of about 98 % of South Koreans).
    """
    return _by_hangul().get(hangul)


@cache
def two_syllable_surnames() -> frozenset[str]:
    """The two-syllable surnames of the table (남궁, 황보, 제갈, 선우, 독고, 사공, 서문, 동방)."""
    return frozenset(s.hangul for s in surnames() if len(s.hangul) == 2)


@cache
def given_syllable_weights() -> dict[str, float]:
    """Relative weight of each syllable in given names (10 very common ... 2 occasional).

    The list is defined for this project (see the header of ``korean_given_syllables.tsv``); it
    is a ranking device, not a measured frequency. Missing syllables weigh
    :data:`GIVEN_SYLLABLE_FLOOR`.

    Returns
    -------
    dict
        Syllable → weight.
    """
    rows = csv.DictReader(_data_lines("korean_given_syllables.tsv"), delimiter="\t")
    return {row["syllable"]: float(row["weight"]) for row in rows}
