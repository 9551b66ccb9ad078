"""Hangul syllables and names: jamo, normalisation, South/North spelling, surname split."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reckon.errors import ValidationError
from reckon.linkage.hangul import (
    FINALS,
    INITIALS,
    MEDIALS,
    Jamo,
    all_syllables,
    compose,
    decompose,
    initial_sound_law,
    normalise_hangul,
    north_spelling,
    south_spelling,
    split_name,
    surname_splits,
)
from reckon.linkage.surnames import lookup_surname, surnames, two_syllable_surnames

hangul_syllable = st.integers(0xAC00, 0xD7A3).map(chr)


def test_jamo_tables_have_the_unicode_sizes() -> None:
    assert (len(INITIALS), len(MEDIALS), len(FINALS)) == (19, 21, 28)
    assert len(list(all_syllables())) == 11_172


def test_decompose_then_compose_gives_back_every_syllable() -> None:
    for syllable in all_syllables():
        assert compose(*decompose(syllable)) == syllable


@pytest.mark.parametrize(
    ("syllable", "jamo"),
    [
        ("철", Jamo("ㅊ", "ㅓ", "ㄹ")),
        ("이", Jamo("ㅇ", "ㅣ", "")),
        ("닭", Jamo("ㄷ", "ㅏ", "ㄺ")),
        ("가", Jamo("ㄱ", "ㅏ", "")),
        ("힣", Jamo("ㅎ", "ㅣ", "ㅎ")),
        ("룡", Jamo("ㄹ", "ㅛ", "ㅇ")),
    ],
)
def test_decompose_splits_a_syllable_into_its_letters(syllable: str, jamo: Jamo) -> None:
    assert decompose(syllable) == jamo


@pytest.mark.parametrize("bad", ["a", "ㄱ", "철호", "", "李"])
def test_decompose_refuses_anything_but_one_syllable(bad: str) -> None:
    with pytest.raises(ValidationError, match="not one Hangul syllable"):
        decompose(bad)


def test_compose_reports_every_bad_letter_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        compose("a", "b", "c")
    assert len(caught.value.problems) == 3


def test_normalise_hangul_composes_jamo_and_drops_separators() -> None:
    decomposed = unicodedata.normalize("NFD", "이철호")
    assert decomposed != "이철호"
    assert normalise_hangul(decomposed) == "이철호"
    assert normalise_hangul(" 리 철호 ") == "리철호"
    assert normalise_hangul("남궁·민수") == "남궁민수"
    assert normalise_hangul("남궁-민수") == "남궁민수"


@pytest.mark.parametrize(
    ("north", "south"),
    [
        ("리", "이"),
        ("림", "임"),
        ("류", "유"),
        ("량", "양"),
        ("려", "여"),
        ("례", "예"),
        ("룡", "용"),
        ("로", "노"),
        ("라", "나"),
        ("뢰", "뇌"),
        ("녀", "여"),
        ("니", "이"),
        ("김", "김"),
        ("냐", "냐"),  # rule 10 covers 녀 뇨 뉴 니 only
    ],
)
def test_initial_sound_law(north: str, south: str) -> None:
    assert initial_sound_law(north) == south


@pytest.mark.parametrize(
    ("written", "south"),
    [
        ("리철호", "이철호"),
        ("림영수", "임영수"),
        ("류정민", "유정민"),
        ("량순희", "양순희"),
        ("로무현", "노무현"),
        ("라민주", "나민주"),
        ("리룡철", "이용철"),  # the given name is a word too
        ("김녀순", "김여순"),
        ("김순녀", "김순녀"),  # not word-initial: kept
        ("박례순", "박예순"),
        ("리 철호", "이철호"),
        ("남궁민수", "남궁민수"),
        ("이철호", "이철호"),
    ],
)
def test_south_spelling_applies_the_initial_sound_law_to_surname_and_given_name(
    written: str, south: str
) -> None:
    assert south_spelling(written) == south


@pytest.mark.parametrize(
    ("south", "north"),
    [
        ("이철호", "리철호"),
        ("노무현", "로무현"),
        ("나민주", "라민주"),
        ("이용철", "리용철"),  # given names are not guessed (용 may be 룡 or 용)
        ("임영수", "임영수"),  # 林 림 or 任 임: left alone
        ("유정민", "유정민"),
        ("양순희", "양순희"),
        ("김영희", "김영희"),
    ],
)
def test_north_spelling_changes_only_certain_surnames(south: str, north: str) -> None:
    assert north_spelling(south) == north


def test_south_spelling_undoes_north_spelling_for_every_surname_in_the_table() -> None:
    for entry in surnames():
        assert south_spelling(north_spelling(entry.hangul + "철호")) == entry.hangul + "철호"


def test_ri_is_only_a_north_korean_spelling() -> None:
    assert all(entry.hangul != "리" for entry in surnames())
    assert lookup_surname("리") is lookup_surname("이")
    assert lookup_surname("이").north == ("리",)


@given(st.lists(hangul_syllable, min_size=1, max_size=5).map("".join))
def test_south_spelling_is_idempotent(name: str) -> None:
    once = south_spelling(name)
    assert south_spelling(once) == once


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("이철호", ("이", "철호")),
        ("김정은", ("김", "정은")),
        ("남궁민수", ("남궁", "민수")),
        ("독고영재", ("독고", "영재")),
        ("제갈량", ("제갈", "량")),
        ("선우 진", ("선우", "진")),
        ("김수한무", ("김", "수한무")),
        ("이 철호", ("이", "철호")),
        ("철호 이", ("이", "철호")),  # Western order, marked by the space
        ("김", ("김", "")),
    ],
)
def test_split_name(name: str, split: tuple[str, str]) -> None:
    assert split_name(name) == split


def test_a_three_syllable_name_with_a_two_syllable_surname_prefix_has_both_splits() -> None:
    splits = surname_splits("황보현")
    assert {(s, g) for s, g, _ in splits} == {("황보", "현"), ("황", "보현")}
    assert sum(p for _, _, p in splits) == pytest.approx(1.0)


def test_two_syllable_surnames_come_from_the_table() -> None:
    expected = {"남궁", "황보", "제갈", "선우"} | {"독고", "사공", "서문", "동방"}
    assert expected <= two_syllable_surnames()


def test_split_name_refuses_romanized_names() -> None:
    with pytest.raises(ValidationError, match="not Hangul syllables"):
        split_name("Lee Cheol-ho")
