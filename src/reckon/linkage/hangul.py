"""Korean names written in Hangul: jamo, normalisation, South and North spelling, surname split.

The same person is 리철호 in a North Korean document and 이철호 in a South Korean one: the
South applies the initial-sound law (두음법칙) to the first syllable of a word, and a surname
and a given name are separate words, so both can change (리룡철 → 이용철). The North does not.
:func:`south_spelling` undoes the difference before anything is compared; :func:`north_spelling`
goes the other way where the North form is certain (이 → 리, 노 → 로, 나 → 라).

Every precomposed Hangul syllable (U+AC00-U+D7A3, 11,172 of them) is an initial, a medial
vowel and an optional final, in the fixed order of the Unicode standard, so decomposition is
arithmetic.

References
----------
.. [1] The Unicode Standard, version 15.0, §3.12 "Conjoining Jamo Behavior" (Hangul syllable
   decomposition and composition).
.. [2] 국립국어원, 한글 맞춤법 (1988), 제10-12항 (두음 법칙).
.. [3] 통계청, 2015 인구주택총조사 성씨·본관 집계 (two-syllable surnames and their counts).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from reckon.errors import ValidationError
from reckon.linkage.surnames import (
    GIVEN_SYLLABLE_FLOOR,
    given_syllable_weights,
    lookup_surname,
    two_syllable_surnames,
)

__all__ = [
    "FINALS",
    "INITIALS",
    "MEDIALS",
    "Jamo",
    "all_syllables",
    "compose",
    "decompose",
    "initial_sound_law",
    "is_syllable",
    "normalise_hangul",
    "north_spelling",
    "south_spelling",
    "split_name",
    "surname_splits",
]

INITIALS = tuple("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
MEDIALS = tuple("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")
FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")

_BASE = 0xAC00
_LAST = 0xD7A3
_PER_INITIAL = len(MEDIALS) * len(FINALS)  # 588
_INITIAL_INDEX = {j: i for i, j in enumerate(INITIALS)}
_MEDIAL_INDEX = {j: i for i, j in enumerate(MEDIALS)}
_FINAL_INDEX = {j: i for i, j in enumerate(FINALS)}

# Initial-sound law: ㄹ before these vowels is dropped (리 → 이), before the others it becomes ㄴ
# (로 → 노); ㄴ is dropped before the vowels of rule 10 (녀 → 여, 니 → 이).
_R_DROPPED_BEFORE = frozenset("ㅑㅒㅕㅖㅛㅠㅣ")
_N_DROPPED_BEFORE = frozenset("ㅕㅛㅠㅣ")

_SEPARATORS = re.compile(r"[\s\u00b7\u2027\u30fb\uff65\u2022\u318d\-\u2010-\u2015\u2212]+")

# Prior probability of the number of syllables in a given name, used to split names such as
# 황보현 (황 + 보현 or 황보 + 현); two syllables is the rule, one the main exception.
_GIVEN_LENGTH_PRIOR = {1: 0.05, 2: 0.9, 3: 0.04}


class Jamo(NamedTuple):
    """The letters of one Hangul syllable, as compatibility jamo (``final`` is ``""`` if none)."""

    initial: str
    medial: str
    final: str


def is_syllable(char: str) -> bool:
    """Whether ``char`` is one precomposed Hangul syllable (U+AC00-U+D7A3)."""
    return len(char) == 1 and _BASE <= ord(char) <= _LAST


def all_syllables() -> Iterator[str]:
    """The 11,172 precomposed Hangul syllables, in code-point order."""
    return (chr(code) for code in range(_BASE, _LAST + 1))


def decompose(syllable: str) -> Jamo:
    """Split a Hangul syllable into initial, medial and final jamo.

    Parameters
    ----------
    syllable : str
        One precomposed syllable, e.g. ``"철"``.

    Returns
    -------
    Jamo
        ``Jamo("ㅊ", "ㅓ", "ㄹ")`` for 철; the final is ``""`` for an open syllable.

    Raises
    ------
    ValidationError
        If ``syllable`` is not exactly one precomposed Hangul syllable.

    References
    ----------
    .. [1] The Unicode Standard 15.0, §3.12, "Hangul Syllable Decomposition".
    """
    if not isinstance(syllable, str) or not is_syllable(syllable):
        raise ValidationError(
            f"{syllable!r} is not one Hangul syllable (U+AC00-U+D7A3); pass a single "
            "precomposed syllable such as '철'"
        )
    index = ord(syllable) - _BASE
    initial, rest = divmod(index, _PER_INITIAL)
    medial, final = divmod(rest, len(FINALS))
    return Jamo(INITIALS[initial], MEDIALS[medial], FINALS[final])


def compose(initial: str, medial: str, final: str = "") -> str:
    """Build a Hangul syllable from compatibility jamo.

    Parameters
    ----------
    initial, medial : str
        Compatibility jamo (``"ㅊ"``, ``"ㅓ"``); the silent initial is ``"ㅇ"``.
    final : str, optional
        Final consonant or cluster (``"ㄹ"``, ``"ㄺ"``); ``""`` for none.

    Returns
    -------
    str
        The syllable, e.g. ``compose("ㅊ", "ㅓ", "ㄹ") == "철"``.

    Raises
    ------
    ValidationError
        Listing every argument that is not a valid jamo for its position.
    """
    problems = []
    if initial not in _INITIAL_INDEX:
        problems.append(f"initial {initial!r} is not one of {' '.join(INITIALS)}")
    if medial not in _MEDIAL_INDEX:
        problems.append(f"medial {medial!r} is not one of {' '.join(MEDIALS)}")
    if final not in _FINAL_INDEX:
        problems.append(f"final {final!r} is not '' or one of {' '.join(FINALS[1:])}")
    if problems:
        raise ValidationError("cannot compose a Hangul syllable", problems)
    code = (
        _BASE
        + _INITIAL_INDEX[initial] * _PER_INITIAL
        + _MEDIAL_INDEX[medial] * len(FINALS)
        + _FINAL_INDEX[final]
    )
    return chr(code)


def normalise_hangul(text: str) -> str:
    """NFC-normalise a Hangul name and drop spaces, middle dots and hyphens.

    NFC turns decomposed jamo sequences (as macOS file names and some PDFs store them) into
    precomposed syllables, so that ``"이철호"`` typed on any system compares equal.

    Parameters
    ----------
    text : str
        A name such as ``"리 철호"``, ``"남궁·민수"`` or a decomposed ``"이철호"``.

    Returns
    -------
    str
        ``"리철호"``, ``"남궁민수"``, ``"이철호"``. Other characters are kept as they are.
    """
    return _SEPARATORS.sub("", unicodedata.normalize("NFC", text))


def initial_sound_law(syllable: str) -> str:
    """Apply the South Korean initial-sound law (두음법칙) to a word-initial syllable.

    ㄹ is dropped before ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ (리 → 이, 류 → 유, 량 → 양, 례 → 예, 룡 → 용) and becomes
    ㄴ before other vowels (로 → 노, 라 → 나, 뢰 → 뇌); ㄴ is dropped before ㅕ ㅛ ㅠ ㅣ (녀 → 여,
    니 → 이). Other syllables are returned unchanged.

    Parameters
    ----------
    syllable : str
        One Hangul syllable.

    Returns
    -------
    str
        The South Korean form.

    References
    ----------
    .. [1] 국립국어원, 한글 맞춤법 (1988), 제10항 (녀, 뇨, 뉴, 니), 제11항 (랴, 려, 례, 료, 류,
       리), 제12항 (라, 래, 로, 뢰, 루, 르).
    """
    jamo = decompose(syllable)
    if jamo.initial == "ㄹ":
        initial = "ㅇ" if jamo.medial in _R_DROPPED_BEFORE else "ㄴ"
    elif jamo.initial == "ㄴ" and jamo.medial in _N_DROPPED_BEFORE:
        initial = "ㅇ"
    else:
        return syllable
    return compose(initial, jamo.medial, jamo.final)


def _hangul_only(text: str, what: str) -> str:
    bad = sorted({c for c in text if not is_syllable(c)})
    if bad:
        raise ValidationError(
            f"{what} {text!r} has characters that are not Hangul syllables: "
            f"{' '.join(repr(c) for c in bad)}; romanized names go through name_keys() or "
            "hangul_candidates() instead"
        )
    return text


def _given_weight(syllables: str) -> float:
    weights = given_syllable_weights()
    top = max(weights.values())
    return math.prod(weights.get(s, GIVEN_SYLLABLE_FLOOR) / top for s in syllables)


def _population(surname: str) -> int:
    entry = lookup_surname(surname)
    return entry.population if entry is not None else 0


def surname_splits(name: str) -> list[tuple[str, str, float]]:
    """Every plausible (surname, given name) split of a Hangul name, most likely first.

    A space after the first word is taken as the boundary (``"선우 진"``); two words of which
    only the last is a known surname are read in Western order (``"철호 이"``). Otherwise a name
    that starts with a two-syllable surname (남궁, 황보, 제갈, 선우, 독고, 사공, 서문, 동방) is
    split after it when four or more syllables long; a three-syllable one such as 황보현 can be
    황보 + 현 or 황 + 보현, and both are returned, weighted by surname population x the prior of
    the given-name length x the given-syllable weights.

    Parameters
    ----------
    name : str
        A name in Hangul, surname first, optionally with spaces.

    Returns
    -------
    list of (str, str, float)
        ``(surname, given, probability)``; the probabilities sum to one.

    Raises
    ------
    ValidationError
        If the name holds anything but Hangul syllables and separators.
    """
    words = [w for w in _SEPARATORS.split(unicodedata.normalize("NFC", name).strip()) if w]
    if len(words) >= 2:
        _hangul_only("".join(words), "name")
        first, last = words[0], words[-1]
        if len(words) == 2 and lookup_surname(first) is None and lookup_surname(last) is not None:
            return [(last, first, 1.0)]  # Western order, 철호 이
        if len(first) <= 2:
            return [(first, "".join(words[1:]), 1.0)]
    text = _hangul_only("".join(words), "name")
    if len(text) <= 1:
        return [(text, "", 1.0)]
    if text[:2] not in two_syllable_surnames():
        return [(text[0], text[1:], 1.0)]
    if len(text) >= 4:
        return [(text[:2], text[2:], 1.0)]
    if len(text) == 2:  # 남궁 alone is more likely the surname than 남 + 궁
        return [(text, "", 0.8), (text[0], text[1], 0.2)]
    # Three syllables starting with a two-syllable surname: weigh both readings.
    scores = {
        (text[:2], text[2:]): _population(text[:2])
        * _GIVEN_LENGTH_PRIOR[1]
        * _given_weight(text[2:]),
        (text[:1], text[1:]): _population(text[:1])
        * _GIVEN_LENGTH_PRIOR[2]
        * _given_weight(text[1:]),
    }
    total = sum(scores.values()) or 1.0
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    return [(s, g, score / total) for (s, g), score in ranked]


def split_name(name: str) -> tuple[str, str]:
    """Split a Hangul name into surname and given name.

    Parameters
    ----------
    name : str
        E.g. ``"이철호"``, ``"남궁민수"``, ``"선우 진"``.

    Returns
    -------
    (str, str)
        ``("이", "철호")``, ``("남궁", "민수")``, ``("선우", "진")``; see
        :func:`surname_splits` for the rules and the ambiguous three-syllable case.
    """
    surname, given, _ = surname_splits(name)[0]
    return surname, given


def south_spelling(name: str) -> str:
    """A Hangul name in South Korean spelling: the initial-sound law on surname and given name.

    The first syllable of the surname and of the given name are each word-initial, so
    ``리룡철`` → ``이용철``, ``류정민`` → ``유정민``, ``김녀순`` → ``김여순``; later syllables keep
    their ㄹ and ㄴ (김순녀 stays). The South's registry lets a few families keep 류, 라 or 림,
    but for comparison every name is brought to the common form.

    Parameters
    ----------
    name : str
        A Hangul name in either spelling, with or without spaces.

    Returns
    -------
    str
        The South Korean spelling without spaces.

    References
    ----------
    .. [1] 국립국어원, 한글 맞춤법 제10-12항; Busan Ilbo on the 2015 census (surname exceptions).
    """
    surname, given = split_name(name)
    out = initial_sound_law(surname[0]) + surname[1:] if surname else ""
    if given:
        out += initial_sound_law(given[0]) + given[1:]
    return out


def north_spelling(name: str) -> str:
    """A Hangul name in North Korean spelling, where the North form is certain.

    Only surnames whose North form does not depend on the hanja are changed: 이 → 리 (李),
    노 → 로 (盧, 魯), 나 → 라 (羅), 육 → 륙 (陸), 용 → 룡 (龍). 임, 유, 양, 여 and 염 are left
    alone, because 任, 兪, 楊, 余 and 閻 keep the South form in the North too. Given names are not
    changed: 영 may stand for 英 (영 in the North as well) or for 令 (령).

    Parameters
    ----------
    name : str
        A Hangul name.

    Returns
    -------
    str
        The name without spaces, surname in North spelling where certain.
    """
    surname, given = split_name(name)
    entry = lookup_surname(surname)
    if entry is not None and entry.hangul == surname and entry.north_unambiguous:
        surname = entry.north_unambiguous
    return surname + given
