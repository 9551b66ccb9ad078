"""Hangul → Latin in the Revised, McCune–Reischauer, DPRK and passport systems."""

from __future__ import annotations

import pytest

from reckon.errors import ValidationError
from reckon.linkage.romanization import (
    fold_latin,
    romanize,
    surname_spellings,
    syllable_spellings,
    variants,
)

# Personal-name examples of the Library of Congress's ALA-LC Korean table (2009), which applies
# sound changes around the hyphen and always writes 李 as Yi.
ALA_LC_NAMES = [
    ("김철원", "Kim Ch'ŏr-wŏn"),
    ("이석민", "Yi Sŏng-min"),
    ("류성민", "Yu Sŏng-min"),
    ("유성민", "Yu Sŏng-min"),
    ("나민주", "Na Min-ju"),
    ("라민주", "Na Min-ju"),
    ("안중근", "An Chung-gŭn"),
    ("오영혜", "O Yŏng-hye"),
    ("이어령", "Yi Ŏ-ryŏng"),
    ("김창룡", "Kim Ch'ang-nyong"),
    ("김철운", "Kim Ch'ŏr-un"),
    ("이율곡", "Yi Yul-gok"),
    ("김지하", "Kim Chi-ha"),
    ("김소월", "Kim So-wŏl"),
    ("김리나", "Kim Ri-na"),
    ("리승만", "Yi Sŭng-man"),
    ("이승만", "Yi Sŭng-man"),
    ("이순신", "Yi Sun-sin"),
    ("박정희", "Pak Chŏng-hŭi"),
    ("김대중", "Kim Tae-jung"),
]


@pytest.mark.parametrize(("hangul", "expected"), ALA_LC_NAMES)
def test_mr_names_follow_the_ala_lc_examples(hangul: str, expected: str) -> None:
    assert romanize(hangul, "mr") == expected


@pytest.mark.parametrize(
    ("hangul", "hyphen", "expected"),
    [
        ("민용하", False, "Min Yongha"),  # examples of the RR rules, §3.4
        ("민용하", True, "Min Yong-ha"),
        ("송나리", False, "Song Nari"),
        ("송나리", True, "Song Na-ri"),
        ("한복남", False, "Han Boknam"),  # sound changes are not written in names
        ("이철호", True, "I Cheol-ho"),
        ("박정희", True, "Bak Jeong-hui"),
        ("김정은", True, "Gim Jeong-eun"),
        ("리설주", True, "Ri Seol-ju"),
        ("최은희", True, "Choe Eun-hui"),
    ],
)
def test_rr_names(hangul: str, hyphen: bool, expected: str) -> None:
    assert romanize(hangul, "rr", hyphen=hyphen) == expected


@pytest.mark.parametrize(
    ("hangul", "expected"),
    [
        ("박동구", "Pak Tong Gu"),  # examples of the DPRK rules
        ("안복철", "An Pok Chŏl"),
        ("리철호", "Ri Chŏl Ho"),
        ("이철호", "Ri Chŏl Ho"),  # the North writes 李 as 리
        ("최룡해", "Choe Ryong Hae"),
        ("최태복", "Choe Thae Bok"),
        ("김계관", "Kim Kye Gwan"),
    ],
)
def test_dprk_names_write_each_syllable_separately(hangul: str, expected: str) -> None:
    assert romanize(hangul, "dprk") == expected


@pytest.mark.parametrize(
    ("hangul", "expected"),
    [
        ("김정은", "Kim Jong Un"),
        ("리설주", "Ri Sol Ju"),
        ("현송월", "Hyon Song Wol"),
        ("장성택", "Jang Song Thaek"),
    ],
)
def test_dprk_without_breves_gives_the_usual_english_spelling(hangul: str, expected: str) -> None:
    assert romanize(hangul, "dprk", ascii=True) == expected


@pytest.mark.parametrize(
    ("surname", "passport"),
    [
        ("이", "Lee"),
        ("박", "Park"),
        ("최", "Choi"),
        ("정", "Jung"),
        ("김", "Kim"),
        ("강", "Kang"),
        ("조", "Cho"),
        ("윤", "Yoon"),
        ("장", "Jang"),
        ("임", "Lim"),
        ("한", "Han"),
        ("오", "Oh"),
        ("서", "Seo"),
        ("신", "Shin"),
        ("권", "Kwon"),
        ("황", "Hwang"),
        ("안", "Ahn"),
        ("송", "Song"),
        ("유", "Yoo"),
        ("류", "Yoo"),
        ("전", "Jeon"),
        ("홍", "Hong"),
    ],
)
def test_passport_surnames_are_the_most_common_passport_spelling(
    surname: str, passport: str
) -> None:
    assert romanize(surname + "철호", "passport").split()[0] == passport


@pytest.mark.parametrize(
    ("syllable", "spelling"),
    [
        ("철", "Chul"),
        ("영", "Young"),
        ("수", "Soo"),
        ("정", "Jung"),
        ("희", "Hee"),
        ("현", "Hyun"),
        ("성", "Sung"),
        ("경", "Kyung"),
        ("석", "Suk"),
        ("은", "Eun"),
        ("준", "Joon"),
    ],
)
def test_passport_given_name_syllables(syllable: str, spelling: str) -> None:
    assert romanize("김" + syllable, "passport") == f"Kim {spelling}"


def test_passport_name_with_and_without_hyphen() -> None:
    assert romanize("이철호", "passport") == "Lee Chul-ho"
    assert romanize("이철호", "passport", hyphen=False) == "Lee Chulho"
    assert romanize("김영희", "passport") == "Kim Young-hee"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # examples of the RR rules, §1 and §3.1
        ("신라", "Silla"),
        ("종로", "Jongno"),
        ("왕십리", "Wangsimni"),
        ("별내", "Byeollae"),
        ("백마", "Baengma"),
        ("독립", "Dongnip"),
        ("해돋이", "Haedoji"),
        ("같이", "Gachi"),
        ("좋고", "Joko"),
        ("묵호", "Mukho"),
        ("집현전", "Jiphyeonjeon"),
        ("설악", "Seorak"),
        ("한국", "Hanguk"),
        ("평양", "Pyeongyang"),
        ("부산", "Busan"),
    ],
)
def test_rr_words_write_sound_changes(word: str, expected: str) -> None:
    assert romanize(word, "rr", name=False) == expected


@pytest.mark.parametrize(
    ("word", "mr", "dprk"),
    [
        ("평양", "P'yŏngyang", "Phyŏngyang"),
        ("청진", "Ch'ŏngjin", "Chŏngjin"),
        ("함흥", "Hamhŭng", "Hamhŭng"),
        ("개성", "Kaesŏng", "Kaesŏng"),
        ("신의주", "Sinŭiju", "Sinŭiju"),
        ("부산", "Pusan", "Pusan"),
        ("대구", "Taegu", "Taegu"),
        ("한국", "Han'guk", "Hanguk"),
        ("종로", "Chongno", "Jongno"),
        ("독립", "Tongnip", "Tongnip"),
    ],
)
def test_mr_and_dprk_words(word: str, mr: str, dprk: str) -> None:
    assert romanize(word, "mr", name=False) == mr
    assert romanize(word, "dprk", name=False) == dprk


def test_words_keep_other_characters() -> None:
    assert romanize("평양 2005년 부산", "rr", name=False) == "Pyeongyang 2005nyeon Busan"


def test_ascii_drops_breves_and_apostrophes() -> None:
    assert romanize("박정희", "mr", ascii=True) == "Pak Chong-hui"
    assert romanize("이철호", "mr", ascii=True) == "Yi Chol-ho"


def test_unknown_system_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="rr, mr, dprk, passport"):
        romanize("이철호", "yale")


def test_romanized_input_is_refused() -> None:
    with pytest.raises(ValidationError):
        romanize("Lee Cheol-ho", "rr")


# KOREAN_NAMES.md §4: spellings each surname is found under.
DOC_SURNAME_SPELLINGS = [
    ("김", {"Kim", "Gim"}),
    ("이", {"Lee", "Yi", "Ri", "Rhee", "I"}),
    ("리", {"Lee", "Yi", "Ri", "Rhee"}),
    ("박", {"Park", "Pak", "Bak"}),
    ("최", {"Choi", "Choe"}),
    ("정", {"Jung", "Jeong", "Chung", "Jong"}),
    ("임", {"Lim", "Im", "Rim", "Yim"}),
    ("유", {"Yoo", "Yu", "Ryu"}),
    ("노", {"Noh", "Roh", "No", "Ro"}),
    ("양", {"Yang", "Ryang"}),
    ("남궁", {"Namgung", "Namkoong", "Namgoong"}),
]


@pytest.mark.parametrize(("surname", "expected"), DOC_SURNAME_SPELLINGS)
def test_surname_spellings_cover_the_documented_variants(surname: str, expected: set) -> None:
    assert expected <= set(surname_spellings(surname))


# MOFA passport statistics 2024 (KOREAN_NAMES.md §3): more common spelling first.
PASSPORT_ORDER = [
    ("김", "Kim", "Gim"),
    ("이", "Lee", "Yi"),
    ("박", "Park", "Bak"),
    ("박", "Park", "Pak"),
    ("최", "Choi", "Choe"),
    ("정", "Jung", "Jeong"),
    ("정", "Jeong", "Chung"),
]


@pytest.mark.parametrize(("surname", "commoner", "rarer"), PASSPORT_ORDER)
def test_surname_spelling_weights_follow_passport_frequencies(
    surname: str, commoner: str, rarer: str
) -> None:
    weights = surname_spellings(surname)
    assert weights[commoner] > weights[rarer]


@pytest.mark.parametrize(
    ("syllable", "spellings"),
    [
        ("철", {"cheol", "chul", "chol"}),
        ("영", {"yeong", "young", "yong"}),
        ("수", {"su", "soo"}),
        ("희", {"hui", "hee", "hi"}),
        ("은", {"eun", "un"}),
        ("석", {"seok", "suk", "sok", "sug"}),
        ("국", {"guk", "kook", "kuk"}),
        ("우", {"u", "woo"}),
    ],
)
def test_syllable_spellings_hold_every_system_and_the_usual_variants(
    syllable: str, spellings: set
) -> None:
    assert spellings <= set(syllable_spellings(syllable))


def test_fold_latin() -> None:
    assert fold_latin("Ch'ŏl-ho") == "cholho"
    assert fold_latin("LEE Cheol Ho") == "leecheolho"


def test_variants_of_a_name_include_every_system_and_order() -> None:
    found = variants("이철호")
    expected = {
        "Lee Cheol-ho",
        "Ri Chol Ho",
        "Ri Chŏl Ho",
        "Yi Ch'ŏl-ho",
        "Yi Chol-ho",
        "Cheol-ho Lee",
        "LEE CHEOLHO",
        "Lee Chul Ho",
        "Lee Chul-ho",
        "Chul Ho Lee",
        "I Cheolho",
        "Rhee Chul-ho",
    }
    assert expected <= found
    assert "Chol Ho Ri" not in found  # DPRK style is family-first only
