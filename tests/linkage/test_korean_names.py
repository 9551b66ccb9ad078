"""Korean names across scripts: sound classes, readings of romanized names, keys and levels."""

from __future__ import annotations

import random
from collections import defaultdict

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reckon.errors import ValidationError
from reckon.linkage.hangul import all_syllables, north_spelling, south_spelling
from reckon.linkage.korean_names import (
    COMPARISON_LEVELS,
    FAMILY_FIRST,
    GIVEN_FIRST,
    RARE_SURNAME_SHARE,
    compare_names,
    given_overlap,
    hangul_candidates,
    name_key_columns,
    name_keys,
    normalise_classes,
    parse_syllable,
    surname_share,
    syllable_class,
    variants,
)
from reckon.linkage.romanization import fold_latin, syllable_spellings
from reckon.linkage.surnames import (
    CENSUS_POPULATION,
    given_syllable_weights,
    lookup_surname,
    surnames,
)


def test_every_spelling_of_every_syllable_reads_back_to_its_sound_class() -> None:
    wrong = [
        (syllable, spelling, parse_syllable(spelling))
        for syllable in all_syllables()
        for spelling in syllable_spellings(syllable)
        if parse_syllable(spelling) != syllable_class(syllable)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("latin", "class_id"),
    [
        ("Cheol", "jol"),
        ("Ch'ŏl", "jol"),
        ("Chul", "jol"),
        ("chol", "jol"),
        ("Young", "yong"),
        ("Yŏng", "yong"),
        ("Choi", "jwe"),
        ("Choe", "jwe"),
        ("Ahn", "an"),
        ("Whang", "hwang"),
        ("Park", "pak"),
        ("Kahng", "kang"),
        ("Hee", "hi"),
        ("Heui", "hi"),
        ("Woo", "o"),
        ("Kwon", "kwon"),
    ],
)
def test_parse_syllable(latin: str, class_id: str) -> None:
    parsed = parse_syllable(latin)
    assert parsed is not None
    assert parsed.id == class_id


@pytest.mark.parametrize("latin", ["xyz", "ngo", "", "strength"])
def test_parse_syllable_refuses_what_is_not_one_syllable(latin: str) -> None:
    assert parse_syllable(latin) is None


@given(st.lists(st.integers(0xAC00, 0xD7A3).map(chr), min_size=1, max_size=4))
def test_pronounced_form_is_idempotent(syllables: list[str]) -> None:
    once = normalise_classes([syllable_class(s) for s in syllables])
    assert normalise_classes(once) == once


@pytest.mark.parametrize(
    ("written", "pronounced"),
    [
        ("석민", ["song", "min"]),  # MR "Sŏng-min": nasalisation
        ("창룡", ["jang", "nyong"]),
        ("진룡", ["jil", "ryong"]),
        ("룡철", ["yong", "jol"]),  # initial-sound law, like 용철
        ("철호", ["jol", "ho"]),
    ],
)
def test_given_names_are_compared_as_pronounced(written: str, pronounced: list[str]) -> None:
    assert [c.id for c in normalise_classes([syllable_class(s) for s in written])] == pronounced


# --- readings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "order", "surname", "given"),
    [
        ("Ri Chol Ho", FAMILY_FIRST, "이", [{"철"}, {"호"}]),
        ("Lee Cheol-ho", FAMILY_FIRST, "이", [{"철"}, {"호"}]),
        ("Cheol-ho Lee", GIVEN_FIRST, "이", [{"철"}, {"호"}]),
        ("Chul Ho Lee", GIVEN_FIRST, "이", [{"철"}, {"호"}]),
        ("LEE CHEOLHO", FAMILY_FIRST, "이", [{"철"}, {"호"}]),
        ("LEECHEOLHO", FAMILY_FIRST, "이", [{"철"}, {"호"}]),
        ("Lee, Cheol-ho", FAMILY_FIRST, "이", [{"철"}, {"호"}]),
        ("Cheol-ho LEE", GIVEN_FIRST, "이", [{"철"}, {"호"}]),
        ("Kim Jong-un", FAMILY_FIRST, "김", [{"정", "종"}, {"은", "운"}]),
        ("Yi Ch'ŏl-ho", FAMILY_FIRST, "이", [{"철"}, {"호"}]),
        ("Pak Song Il", FAMILY_FIRST, "박", [{"성", "송"}, {"일"}]),
        ("Jung Sung-min", FAMILY_FIRST, "정", [{"성"}, {"민"}]),
        ("Nam-goong Min Soo", FAMILY_FIRST, "남궁", [{"민"}, {"수"}]),
        ("Namgung Min-su", FAMILY_FIRST, "남궁", [{"민"}, {"수"}]),
        ("Kim SungHo", FAMILY_FIRST, "김", [{"성"}, {"호"}]),
    ],
)
def test_hangul_candidates_read_romanized_names(
    name: str, order: str, surname: str, given: list[set[str]]
) -> None:
    reading = hangul_candidates(name)[0]
    assert reading.order == order
    assert max(reading.surname_candidates, key=reading.surname_candidates.get) == surname
    assert len(reading.given_candidates) == len(given)
    for candidates, expected in zip(reading.given_candidates, given, strict=True):
        assert expected <= set(candidates)
    assert reading.confidence > 0.5


def test_the_best_hangul_guess_of_a_passport_name() -> None:
    assert hangul_candidates("Lee Cheol-ho")[0].best_hangul() == "이철호"
    assert hangul_candidates("Kim Young-hee")[0].best_hangul() == "김영희"


def test_readings_of_one_name_are_ranked_and_sum_to_one() -> None:
    readings = hangul_candidates("Song Lee")
    assert {r.order for r in readings} == {FAMILY_FIRST, GIVEN_FIRST}
    assert sum(r.confidence for r in readings) == pytest.approx(1.0)
    assert readings == sorted(readings, key=lambda r: -r.confidence)


def test_a_hangul_name_reads_as_its_splits() -> None:
    readings = hangul_candidates("황보현")
    assert {(r.surname, "".join(r.given)) for r in readings} == {("황보", "현"), ("황", "보현")}


def test_a_name_must_be_a_string() -> None:
    with pytest.raises(ValidationError, match="must be a string"):
        name_keys(None)  # type: ignore[arg-type]


def test_every_documented_surname_spelling_reads_as_its_surname() -> None:
    """Each listed spelling finds its surname; one listed by no other surname finds it first."""
    listed_by: dict[str, set[str]] = defaultdict(set)
    for entry in surnames():
        for spelling, _ in entry.spellings:
            listed_by[fold_latin(spelling)].add(entry.hangul)
    for entry in surnames():
        for spelling, _ in entry.spellings:
            reading = hangul_candidates(f"{spelling} Cheol-ho")[0]
            assert entry.hangul in reading.surname_candidates, spelling
            if listed_by[fold_latin(spelling)] == {entry.hangul}:
                assert reading.surname_key == name_keys(entry.hangul + "철호").surname_key


# --- keys -------------------------------------------------------------------------------------

SAME_PERSON = [
    ["리철호", "이철호", "Ri Chol Ho", "Lee Cheol-ho", "Yi Ch'ŏl-ho", "Cheol-ho Lee",
     "LEE CHEOLHO", "Lee Chul Ho", "Chul Ho Lee", "Rhee Chul-ho", "I Cheolho", "리 철호"],
    ["박성일", "Pak Song Il", "Park Sung-il", "Bak Seong-il", "PARK SUNGIL", "Sung-il Park"],
    ["류정민", "유정민", "Ryu Jong Min", "Yoo Jung-min", "Yu Jeong-min", "Yu Chŏng-min"],
    ["김영희", "Kim Yong Hui", "Kim Young-hee", "Gim Yeong-hui", "Kim Yŏng-hŭi"],
    ["남궁민수", "Namgung Min-su", "Nam-goong Min Soo", "Namkoong Minsoo"],
    ["김정은", "Kim Jong-un", "Kim Jong Un", "KIM Jong Un", "Gim Jeong-eun", "Kimjongun"],
    ["정성민", "Jung Sung-min", "Chung Sung-min", "Jeong Seong-min", "Chŏng Sŏng-min"],
    ["임수진", "림수진", "Lim Su-jin", "Rim Su Jin", "Im Soo-jin", "Yim Soojin"],
    ["이석민", "Yi Sŏng-min", "Lee Seok-min", "Ri Sok Min"],  # MR writes the nasalisation
    ["리룡철", "이용철", "Ri Ryong Chol", "Lee Yong-chul", "Yi Yong-ch'ŏl"],
    ["최룡해", "최용해", "Choe Ryong Hae", "Choi Yong-hae"],
    ["노무현", "로무현", "Roh Moo-hyun", "No Mu-hyŏn", "Ro Mu Hyon"],
]  # fmt: skip


@pytest.mark.parametrize("group", SAME_PERSON, ids=[g[0] for g in SAME_PERSON])
def test_spellings_of_one_person_share_the_full_key(group: list[str]) -> None:
    keys = {spelling: name_keys(spelling).full_key for spelling in group}
    assert len(set(keys.values())) == 1, keys
    assert next(iter(keys.values()))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("김철호", "김철수"),
        ("이영희", "이영호"),
        ("박성일", "박성민"),
        ("김철호", "박철호"),
        ("이철호", "이호철"),
        ("Kim Chul-ho", "Kim Chul-soo"),
        ("Lee Young-hee", "Ri Yong Ho"),
        ("정성민", "전성민"),
    ],
)
def test_different_people_do_not_share_a_full_key(a: str, b: str) -> None:
    assert name_keys(a).full_key != name_keys(b).full_key


@pytest.mark.parametrize(
    ("name", "surname_key"),
    [
        ("이철호", "i"),
        ("리철호", "i"),
        ("Lee Cheol-ho", "i"),
        ("Yi Cheol-ho", "i"),
        ("Ri Chol Ho", "i"),
        ("Rhee Chul-ho", "i"),
        ("류정민", "yo"),
        ("Ryu Jong Min", "yo"),
        ("Yoo Jung-min", "yo"),
        ("Yu Jeong-min", "yo"),
        ("림수진", "im"),
        ("Lim Su-jin", "im"),
        ("Im Su-jin", "im"),
        ("Rim Su Jin", "im"),
    ],
)
def test_surname_clusters(name: str, surname_key: str) -> None:
    assert name_keys(name).surname_key == surname_key


def test_keys_are_plain_strings_for_dataframe_columns() -> None:
    frame = pd.DataFrame(name_key_columns(["이철호", "Ri Chol Ho", None, "李哲浩"]))
    assert list(frame.columns) == [
        "exact_key", "surname_key", "given_key", "given_syllables", "full_key",
        "alt_full_keys", "name_order", "name_confidence",
    ]  # fmt: skip
    first = frame.iloc[0]
    assert (first.surname_key, first.given_key, first.given_syllables) == ("i", "jol-ho", "jol ho")
    assert first.full_key == frame.iloc[1].full_key == "i|jol-ho"
    assert first.exact_key == "이철호"
    assert frame.iloc[1].exact_key == "ri cholho"
    assert (frame.iloc[2].full_key, frame.iloc[3].full_key) == ("", "")  # missing; hanja only
    object_columns = frame.drop(columns="name_confidence")
    assert all(isinstance(v, str) for v in object_columns.to_numpy().ravel())


def test_keys_of_hangul_with_a_romanization_in_brackets_use_the_hangul() -> None:
    assert name_keys("이철호 (Lee Cheol-ho)").exact_key == "이철호"


def test_alternative_keys_hold_the_other_readings() -> None:
    keys = name_keys("Pack Sung-il")  # Pack is listed for both 백 and 박
    assert keys.full_key == "pek|song-il"
    assert "pak|song-il" in keys.alt_full_keys
    assert "nam|kong" in name_keys("남궁").alt_full_keys


# --- levels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("리철호", "이철호", 4),
        ("이 철호", "이철호", 4),
        ("Lee Cheol-ho", "LEE CHEOLHO", 4),
        ("Lee Cheol-ho", "Cheol-ho Lee", 4),
        ("Ri Chol Ho", "이철호", 3),
        ("Lee Chul-ho", "Yi Ch'ŏl-ho", 3),
        ("김철호", "김철수", 2),
        ("Cheol-ho", "Lee Cheol-ho", 2),  # surname missing on one side
        ("Pack Sung-il", "박성일", 2),  # Pack is mostly 백, but may be 박
        ("김철호", "박철호", 1),
        ("김철호", "박철수", 1),
        ("김철호", "박영희", 0),
        ("김철호", "", 0),
    ],
)
def test_compare_names_levels(a: str, b: str, level: int) -> None:
    assert compare_names(a, b) == level
    assert compare_names(b, a) == level
    assert level in COMPARISON_LEVELS


def test_compare_names_accepts_precomputed_keys() -> None:
    assert compare_names(name_keys("Ri Chol Ho"), "이철호") == 3


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("jol ho", "jol so", 0.5),
        ("jol ho", "ho jol", 1.0),
        ("jol", "jol ho", 0.5),
        (["yong", "yong"], ["yong"], 0.5),
        ("", "jol", 0.0),
    ],
)
def test_given_overlap(a: str | list[str], b: str | list[str], overlap: float) -> None:
    assert given_overlap(a, b) == overlap


# --- surname frequencies ----------------------------------------------------------------------

# 2015 census counts of KOREAN_NAMES.md §2 (per hanja; these hanja are the whole Hangul surname).
CENSUS_2015 = [("김", 10_689_959), ("이", 7_306_828), ("박", 4_192_074), ("최", 2_333_927),
               ("윤", 1_020_547)]  # fmt: skip


@pytest.mark.parametrize(("surname", "population"), CENSUS_2015)
def test_the_table_holds_the_2015_census_counts(surname: str, population: int) -> None:
    entry = lookup_surname(surname)
    assert entry is not None
    assert (entry.population, entry.population_source) == (population, "census2015")


@pytest.mark.parametrize(("surname", "population"), CENSUS_2015[:4])
def test_surname_share_is_the_2015_census_share(surname: str, population: int) -> None:
    key = name_keys(surname + "철호").surname_key
    assert surname_share(key) == pytest.approx(population / CENSUS_POPULATION)
    assert surname_share(surname) == surname_share(key)


def test_a_sound_class_shares_the_population_of_its_surnames() -> None:
    assert surname_share("윤") == pytest.approx(
        (lookup_surname("윤").population + lookup_surname("연").population) / CENSUS_POPULATION
    )


def test_surname_shares_of_the_doc() -> None:
    assert surname_share("kim") == pytest.approx(0.21507, abs=5e-6)
    assert surname_share("i") == pytest.approx(0.14700, abs=5e-6)
    assert surname_share("리") == surname_share("이")
    # 송 and 성 are one sound class, so their populations add up
    assert surname_share("song") == pytest.approx(surname_share("송"))
    assert surname_share("song") > max(s.share for s in surnames() if s.hangul in "송성")
    assert surname_share("zzz") == RARE_SURNAME_SHARE


# --- measured on generated names --------------------------------------------------------------


def _generated_names(count: int, seed: int) -> list[str]:
    """Names with surnames drawn by census population and given syllables by the list weights."""
    rng = random.Random(seed)
    table = surnames()
    syllables = given_syllable_weights()
    names = []
    for _ in range(count):
        surname = rng.choices(table, [s.population for s in table])[0].hangul
        length = rng.choices([1, 2, 3], [0.06, 0.91, 0.03])[0]
        given = "".join(rng.choices(list(syllables), list(syllables.values()), k=length))
        names.append(surname + given)
    return names


@pytest.mark.slow
def test_round_trip_and_collisions_on_2000_generated_names() -> None:
    """Every spelling of :func:`variants` (and the North Hangul) must find the name's key.

    Measured when written (seed 20240611): 97.5 % of 215,656 spellings round-trip; 5 of the
    1,981,045 pairs of different names share a full key (2.5e-6; 0.5 % of the names).
    """
    names = _generated_names(2000, seed=20240611)
    hits = total = 0
    for name in names:
        reference = name_keys(name).full_key
        for spelling in variants(name) | {north_spelling(name)}:
            total += 1
            hits += name_keys(spelling).full_key == reference
    round_trip = hits / total
    distinct = sorted({south_spelling(n) for n in names})
    by_key: dict[str, set[str]] = defaultdict(set)
    for name in distinct:
        by_key[name_keys(name).full_key].add(name)
    colliding = sum(len(v) * (len(v) - 1) // 2 for v in by_key.values())
    pairs = len(distinct) * (len(distinct) - 1) // 2
    sharing = sum(len(v) for v in by_key.values() if len(v) > 1) / len(distinct)
    print(
        f"\nround trip {hits}/{total} = {round_trip:.4f}; colliding pairs {colliding}/{pairs} = "
        f"{colliding / pairs:.2e}; names sharing a key with another name {sharing:.4f}"
    )
    assert round_trip >= 0.95
    assert colliding / pairs <= 1e-4
    assert sharing <= 0.02


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Kim Dnogbyung", "Kim Dongbyung"),
        ("Whamg Byuk", "Whang Byuk"),
        ("Kmi Ban-hong", "Kim Ban-hong"),
    ],
)
def test_a_one_slip_typo_is_repaired_and_read(typed: str, meant: str) -> None:
    from reckon.linkage.korean_names import REPAIRED_CONFIDENCE, repair_romanized

    assert not hangul_candidates(typed)
    assert repair_romanized(typed) == meant
    keys, clean = name_keys(typed), name_keys(meant)
    assert keys.full_key == clean.full_key != ""
    assert keys.confidence <= REPAIRED_CONFIDENCE


def test_a_readable_name_is_not_repaired() -> None:
    from reckon.linkage.korean_names import repair_romanized

    assert repair_romanized("Lee Cheol-ho") is None
