"""Hangul → Latin: Revised Romanization, McCune–Reischauer, the DPRK system, passport spellings.

Four systems, all implemented here from the jamo of each syllable (no third-party romanizer
produces the spellings people actually use, KOREAN_NAMES.md §6):

``rr``
    Revised Romanization (South Korea, 2000). In words, sound changes across syllables are
    written (신라 Silla, 종로 Jongno, 독립 dongnip, 같이 gachi, 좋고 joko) but tensing is not, and
    ㄱ+ㅎ in nouns stays ``kh`` (묵호 Mukho). In names (§3.4 and §3.7) the surname is separated
    and the given name is written syllable by syllable *without* sound changes (한복남
    Han Bok-nam), a hyphen between syllables being allowed.
``mr``
    McCune–Reischauer as the Library of Congress applies it (ALA-LC 2009): pronunciation-based,
    voiced g d b j between voiced sounds, aspirates with an apostrophe (ch' k' t' p'), ŏ and ŭ
    with a breve, ``n'g`` for ㄴ+ㄱ. In names the surname 李/異 is always *Yi*, the given name
    keeps its sound changes around a hyphen between its two syllables (이석민 Yi Sŏng-min,
    김철원 Kim Ch'ŏr-wŏn, 김창룡 Kim Ch'ang-nyong), and an initial ㄹ is *r* (김리나 Kim Ri-na);
    other surnames are written in South spelling (류성민 Yu Sŏng-min).
``dprk``
    The North Korean system (1992, revised 2002 and 2012): initials k n t r m p s j ch kh th ph
    h, vowels with breves. In names the surname is in North spelling (이 → Ri) and every syllable
    of the given name is written separately and capitalised, the first voiceless and later ones
    voiced after a vowel or sonorant (박동구 Pak Tong Gu, 최태복 Choe Thae Bok).
``passport``
    How South Koreans and the press usually write names: the surname as most passports spell it
    (이 Lee, 박 Park, 최 Choi, 정 Jung ...) and the given name in the older spellings people keep
    (철 Chul, 영 Young, 수 Soo, 정 Jung, 희 Hee, 현 Hyun).

``ascii=True`` drops breves and apostrophes (Chŏng-hŭi → Chong-hui), as English-language
sources do.

The other direction works through **sound classes**: every syllable, from Hangul
(:func:`syllable_class`) or from any romanization (:func:`parse_syllable`), is reduced to an
onset, vowel and coda class merged as far as the spellings in use force (see
:class:`SyllableClass`), so that Cheol, Chul, Chol, Ch'ŏl and 철 are all ``jol``.
:func:`variants` lists the spellings of one name that a linkage has to expect, and
:func:`syllable_spellings` those of one syllable (the table that Latin → Hangul reading
inverts).

References
----------
.. [1] Ministry of Culture, Sports and Tourism notice 2000-8 / 2014-42, 국어의 로마자 표기법.
.. [2] G. M. McCune and E. O. Reischauer, "The Romanization of the Korean Language, Based upon
   Its Phonetic Structure", Transactions of the Korea Branch of the Royal Asiatic Society 29
   (1939) 1-55.
.. [3] Library of Congress, ALA-LC Romanization Tables: Korean Romanization and Word Division
   (2009), §4 (hyphens in personal names) and the personal-name examples and exceptions.
.. [4] Rules of the Latin Alphabetical Transcriptions of the Korean Language, DPRK Academy of
   Social Sciences (1992; 2002; 2012).
.. [5] Ministry of Foreign Affairs, passport romanized-name statistics as of 2024-10-31.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

from reckon.errors import ValidationError
from reckon.linkage.hangul import (
    FINALS,
    Jamo,
    all_syllables,
    decompose,
    initial_sound_law,
    split_name,
)
from reckon.linkage.surnames import (
    GIVEN_SYLLABLE_FLOOR,
    given_syllable_weights,
    lookup_surname,
)

__all__ = [
    "SYSTEMS",
    "SyllableClass",
    "fold_latin",
    "normalise_classes",
    "parse_syllable",
    "romanize",
    "surname_spellings",
    "syllable_class",
    "syllable_index",
    "syllable_spellings",
    "variants",
]

#: The romanization systems :func:`romanize` knows.
SYSTEMS = ("rr", "mr", "dprk", "passport")

_RR_INITIAL = {"ㄱ": "g", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "d", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m",
               "ㅂ": "b", "ㅃ": "pp", "ㅅ": "s", "ㅆ": "ss", "ㅇ": "", "ㅈ": "j", "ㅉ": "jj",
               "ㅊ": "ch", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p", "ㅎ": "h"}  # fmt: skip
_MR_INITIAL = {"ㄱ": "k", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "t", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m",
               "ㅂ": "p", "ㅃ": "pp", "ㅅ": "s", "ㅆ": "ss", "ㅇ": "", "ㅈ": "ch", "ㅉ": "tch",
               "ㅊ": "ch'", "ㅋ": "k'", "ㅌ": "t'", "ㅍ": "p'", "ㅎ": "h"}  # fmt: skip
_DPRK_INITIAL = {"ㄱ": "k", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "t", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m",
                 "ㅂ": "p", "ㅃ": "pp", "ㅅ": "s", "ㅆ": "ss", "ㅇ": "", "ㅈ": "j", "ㅉ": "jj",
                 "ㅊ": "ch", "ㅋ": "kh", "ㅌ": "th", "ㅍ": "ph", "ㅎ": "h"}  # fmt: skip
_MR_VOICED = {"ㄱ": "g", "ㄷ": "d", "ㅂ": "b", "ㅈ": "j"}
_DPRK_VOICED = {"ㄱ": "g", "ㄷ": "d", "ㅂ": "b"}
_RR_VOWEL = {"ㅏ": "a", "ㅐ": "ae", "ㅑ": "ya", "ㅒ": "yae", "ㅓ": "eo", "ㅔ": "e", "ㅕ": "yeo",
             "ㅖ": "ye", "ㅗ": "o", "ㅘ": "wa", "ㅙ": "wae", "ㅚ": "oe", "ㅛ": "yo", "ㅜ": "u",
             "ㅝ": "wo", "ㅞ": "we", "ㅟ": "wi", "ㅠ": "yu", "ㅡ": "eu", "ㅢ": "ui",
             "ㅣ": "i"}  # fmt: skip
_MR_VOWEL = {"ㅏ": "a", "ㅐ": "ae", "ㅑ": "ya", "ㅒ": "yae", "ㅓ": "ŏ", "ㅔ": "e", "ㅕ": "yŏ",
             "ㅖ": "ye", "ㅗ": "o", "ㅘ": "wa", "ㅙ": "wae", "ㅚ": "oe", "ㅛ": "yo", "ㅜ": "u",
             "ㅝ": "wŏ", "ㅞ": "we", "ㅟ": "wi", "ㅠ": "yu", "ㅡ": "ŭ", "ㅢ": "ŭi",
             "ㅣ": "i"}  # fmt: skip
# The seven final sounds every final consonant or cluster is pronounced as before a consonant.
_REPRESENTATIVE = dict(
    zip(FINALS, ("", *"ㄱㄱㄱㄴㄴㄴㄷㄹㄱㅁㄹㄹㄹㅂㄹㅁㅂㅂㄷㄷㅇㄷㄷㄱㄷㅂㄷ"), strict=True)
)
_FINAL_LETTER = {"": "", "ㄱ": "k", "ㄴ": "n", "ㄷ": "t", "ㄹ": "l", "ㅁ": "m", "ㅂ": "p",
                 "ㅇ": "ng"}  # fmt: skip
# A final that is kept in its syllable before a vowel (MR names: 석일 Sŏg-il, 철원 Ch'ŏr-wŏn).
_FINAL_BEFORE_VOWEL = {"ㄱ": "g", "ㄷ": "d", "ㅂ": "b", "ㄹ": "r"}
_CLUSTERS = {"ㄳ": ("ㄱ", "ㅅ"), "ㄵ": ("ㄴ", "ㅈ"), "ㄺ": ("ㄹ", "ㄱ"), "ㄻ": ("ㄹ", "ㅁ"),
             "ㄼ": ("ㄹ", "ㅂ"), "ㄽ": ("ㄹ", "ㅅ"), "ㄾ": ("ㄹ", "ㅌ"), "ㄿ": ("ㄹ", "ㅍ"),
             "ㅄ": ("ㅂ", "ㅅ")}  # fmt: skip
_ASPIRATED = {"ㄱ": "ㅋ", "ㄷ": "ㅌ", "ㅈ": "ㅊ"}
_NASALISED = {"ㄱ": "ㅇ", "ㄷ": "ㄴ", "ㅂ": "ㅁ"}
_VOICED_AFTER = frozenset({"", "ㄴ", "ㅁ", "ㅇ"})

# Spelling variants of each jamo seen in names (KOREAN_NAMES.md §5 and the MOFA examples); the
# product of these is what the Latin → Hangul index accepts besides the four systems.
_ONSET_VARIANTS = {"ㄱ": ("g", "k"), "ㄲ": ("kk", "gg", "k"), "ㄴ": ("n",), "ㄷ": ("d", "t"),
                   "ㄸ": ("tt", "dd", "t"), "ㄹ": ("r", "l"), "ㅁ": ("m",), "ㅂ": ("b", "p"),
                   "ㅃ": ("pp", "bb", "p"), "ㅅ": ("s", "sh"), "ㅆ": ("ss", "s"), "ㅇ": ("",),
                   "ㅈ": ("j", "ch"), "ㅉ": ("jj", "tch", "ch"), "ㅊ": ("ch",), "ㅋ": ("k", "kh"),
                   "ㅌ": ("t", "th"), "ㅍ": ("p", "ph"), "ㅎ": ("h",)}  # fmt: skip
_VOWEL_VARIANTS = {"ㅏ": ("a",), "ㅐ": ("ae", "e", "ai"), "ㅑ": ("ya",), "ㅒ": ("yae",),
                   "ㅓ": ("eo", "o", "u"), "ㅔ": ("e",), "ㅕ": ("yeo", "yo", "yu"), "ㅖ": ("ye",),
                   "ㅗ": ("o",), "ㅘ": ("wa",), "ㅙ": ("wae",), "ㅚ": ("oe", "oi", "we"),
                   "ㅛ": ("yo",), "ㅜ": ("u", "oo"), "ㅝ": ("wo", "weo"), "ㅞ": ("we",),
                   "ㅟ": ("wi",), "ㅠ": ("yu", "yoo"), "ㅡ": ("eu", "u"),
                   "ㅢ": ("ui", "eui", "i", "ee"), "ㅣ": ("i", "ee")}  # fmt: skip
_CODA_VARIANTS = {"": ("",), "ㄱ": ("k", "g"), "ㄴ": ("n",), "ㄷ": ("t",), "ㄹ": ("l", "r"),
                  "ㅁ": ("m",), "ㅂ": ("p", "b"), "ㅇ": ("ng",)}  # fmt: skip
_SYSTEM_WEIGHT = 1.0
_VARIANT_WEIGHT = 0.3

_BREVES = str.maketrans({"ŏ": "o", "ŭ": "u", "Ŏ": "O", "Ŭ": "U", "ë": "e", "'": ""})


def fold_latin(text: str) -> str:
    """Lower-case ASCII letters only: breves, apostrophes, hyphens and spaces dropped.

    ``fold_latin("Ch'ŏl-ho") == "cholho"``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).lower()


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _check_system(system: str) -> None:
    if system not in SYSTEMS:
        raise ValidationError(
            f"unknown romanization system {system!r}; use one of {', '.join(SYSTEMS)}"
        )


# --- sound changes -----------------------------------------------------------------------------


def _sound_changes(jamos: list[Jamo], *, link: bool) -> list[list]:
    """Pronounced form of a word: ``[initial, medial, final, final_before_vowel]`` per syllable.

    With ``link`` a final before a silent ㅇ moves to the next syllable (한국어 → 한구거); without
    it (names in MR) it stays and is flagged, so it is written voiced in its own syllable.
    Covered: linking, palatalisation (ㄷ/ㅌ + 이), aspiration after ㅎ, the ㄹ rules (신라 → 실라,
    설날 → 설랄, 종로 → 종노, 독립 → 동닙) and nasalisation (백마 → 뱅마).
    """
    out = [[j.initial, j.medial, j.final, False] for j in jamos]
    for cur, nxt in itertools.pairwise(out):
        final, initial = cur[2], nxt[0]
        if not final:
            continue
        if initial == "ㅇ":
            if final == "ㅇ":
                continue
            if final == "ㅎ":
                cur[2] = ""
            elif final in ("ㄶ", "ㅀ"):
                moved = "ㄴ" if final == "ㄶ" else "ㄹ"
                if link:
                    cur[2], nxt[0] = "", moved
                else:
                    cur[2], cur[3] = moved, True
            elif link and final in ("ㄷ", "ㅌ") and nxt[1] == "ㅣ":
                cur[2], nxt[0] = "", "ㅈ" if final == "ㄷ" else "ㅊ"
            elif link and final in _CLUSTERS:
                first, second = _CLUSTERS[final]
                cur[2], nxt[0] = first, "ㅆ" if second == "ㅅ" else second
            elif link:
                cur[2], nxt[0] = "", final
            else:
                cur[2], cur[3] = _REPRESENTATIVE[final], True
            continue
        if final in ("ㅎ", "ㄶ", "ㅀ") and initial in _ASPIRATED:
            nxt[0] = _ASPIRATED[initial]
            cur[2] = {"ㅎ": "", "ㄶ": "ㄴ", "ㅀ": "ㄹ"}[final]
            continue
        if final == "ㅎ" and initial == "ㅅ":
            cur[2], nxt[0] = "", "ㅆ"
            continue
        rep = "ㄴ" if final == "ㅎ" and initial == "ㄴ" else _REPRESENTATIVE[final]
        cur[2] = rep
        if initial == "ㄹ":
            if rep == "ㄴ":
                cur[2] = "ㄹ"
            elif rep != "ㄹ":
                nxt[0] = "ㄴ"
        elif initial == "ㄴ" and rep == "ㄹ":
            nxt[0] = "ㄹ"
        if nxt[0] in ("ㄴ", "ㅁ"):
            cur[2] = _NASALISED.get(cur[2], cur[2])
    for syllable in out:
        if not syllable[3]:
            syllable[2] = _REPRESENTATIVE[syllable[2]]
    return out


def _letters(pronounced: list[list], system: str, *, apostrophe: bool) -> list[str]:
    """Latin letters of each pronounced syllable in ``rr``, ``mr`` or ``dprk``."""
    parts: list[str] = []
    for i, (initial, medial, final, before_vowel) in enumerate(pronounced):
        prev_final = pronounced[i - 1][2] if i else None
        prev_vowel = pronounced[i - 1][1] if i else None
        after_l = prev_final == "ㄹ"
        if system == "rr":
            onset = "l" if initial == "ㄹ" and after_l else _RR_INITIAL[initial]
            vowel = _RR_VOWEL[medial]
        else:
            table, voiced = (
                (_MR_INITIAL, _MR_VOICED) if system == "mr" else (_DPRK_INITIAL, _DPRK_VOICED)
            )
            voicing = prev_final is not None and (
                prev_final in _VOICED_AFTER or (after_l and initial in ("ㄱ", "ㅂ"))
            )
            onset = voiced[initial] if voicing and initial in voiced else table[initial]
            if initial == "ㄹ" and after_l:
                onset = "l"
            if system == "mr" and initial == "ㅅ" and medial == "ㅟ":
                onset = "sh"
            if apostrophe and prev_final == "ㄴ" and onset.startswith("g"):
                onset = "'" + onset  # Han'guk: n + g, not ng
            vowel = _MR_VOWEL[medial]
            if (
                system == "mr"
                and initial == "ㅇ"
                and medial == "ㅔ"
                and prev_final == ""
                and prev_vowel in ("ㅏ", "ㅗ")
            ):
                vowel = "ë"
        coda = (
            _FINAL_BEFORE_VOWEL.get(final, _FINAL_LETTER.get(final, ""))
            if before_vowel
            else _FINAL_LETTER[final]
        )
        parts.append(onset + vowel + coda)
    return parts


def _word(text: str, system: str) -> str:
    jamos = [decompose(s) for s in text]
    pronounced = _sound_changes(jamos, link=True)
    return _capitalise("".join(_letters(pronounced, system, apostrophe=system == "mr")))


# --- names -------------------------------------------------------------------------------------


def _rr_syllables(text: str) -> list[str]:
    """RR of a name part, syllable by syllable, without sound changes (한복남 Han Bok-nam)."""
    parts = []
    prev_final = ""
    for syllable in text:
        j = decompose(syllable)
        onset = "l" if j.initial == "ㄹ" and prev_final == "ㄹ" else _RR_INITIAL[j.initial]
        final = _REPRESENTATIVE[j.final]
        parts.append(onset + _RR_VOWEL[j.medial] + _FINAL_LETTER[final])
        prev_final = final
    return parts


def _passport_syllable(j: Jamo) -> str:
    """A given-name syllable as South Korean passports and the press usually write it."""
    initial, medial, final = j.initial, j.medial, _REPRESENTATIVE[j.final]
    onset = _RR_INITIAL[initial]
    if initial == "ㄱ" and medial not in ("ㅓ", "ㅡ"):
        onset = "k"  # Kyung, Kwang, Ki, Kook; but Geun, Gun
    if medial == "ㅓ":
        vowel = "eo" if initial == "ㅇ" or not final else "u"
    elif medial == "ㅕ" and initial == "ㅇ":
        vowel = "you" if final == "ㅇ" else "yeo"  # Young, Yeon
    elif medial == "ㅕ":
        vowel = "yu" if final else "yeo"  # Hyun, Kyung; Ryeo
    elif medial == "ㅜ":
        vowel = "woo" if initial == "ㅇ" else "oo"
    elif medial == "ㅠ":
        vowel = "yoo" if initial == "ㅇ" and final in ("", "ㄴ") else "yu"
    elif medial == "ㅢ":
        vowel = "ee" if initial == "ㅎ" else ("eui" if initial == "ㅇ" else "ui")
    else:
        vowel = _RR_VOWEL[medial]
    return onset + vowel + _FINAL_LETTER[final]


def _passport_surname(surname: str) -> str:
    entry = lookup_surname(surname)
    if entry is not None and entry.spellings:
        return entry.spellings[0][0]
    return _capitalise("".join(_rr_syllables(surname)))


def _surname(surname: str, system: str) -> str:
    if system == "passport":
        return _passport_surname(surname)
    if system == "rr":
        return _capitalise("".join(_rr_syllables(surname)))
    if system == "mr":
        entry = lookup_surname(surname)
        if entry is not None and entry.hangul == "이":
            return "Yi"  # ALA-LC: 李 and 異, written 이 or 리, are always Yi
        # ALA-LC writes surnames in South spelling: 류성민 Yu Sŏng-min, 라민주 Na Min-ju.
        return _word(initial_sound_law(surname[0]) + surname[1:], "mr")
    entry = lookup_surname(surname)
    if entry is not None and entry.hangul == surname and entry.north_unambiguous:
        surname = entry.north_unambiguous
    return _word(surname, "dprk")


def _given(given: str, system: str, *, hyphen: bool) -> str:
    if not given:
        return ""
    if system == "rr":
        return _capitalise(("-" if hyphen else "").join(_rr_syllables(given)))
    if system == "passport":
        parts = [_passport_syllable(decompose(s)) for s in given]
        return _capitalise(("-" if hyphen else "").join(parts))
    jamos = [decompose(s) for s in given]
    if system == "mr":
        parts = _letters(_sound_changes(jamos, link=False), "mr", apostrophe=False)
        return _capitalise(("-" if len(parts) == 2 else "").join(parts))
    # DPRK: syllables separate; only the voicing of later initials follows pronunciation.
    unchanged = [[j.initial, j.medial, _REPRESENTATIVE[j.final], False] for j in jamos]
    return " ".join(_capitalise(p) for p in _letters(unchanged, "dprk", apostrophe=False))


def romanize(
    text: str,
    system: str = "rr",
    *,
    name: bool = True,
    hyphen: bool = True,
    ascii: bool = False,
) -> str:
    """Romanize Hangul in one of :data:`SYSTEMS`.

    Parameters
    ----------
    text : str
        A Hangul name (surname first; spaces allowed) or, with ``name=False``, any text.
    system : {"rr", "mr", "dprk", "passport"}
        See the module docstring for what each does.
    name : bool, default True
        Treat ``text`` as a personal name: surname and given name are romanized separately,
        with each system's conventions for names. ``False`` romanizes every run of Hangul as
        one word with the sound changes across its syllables (``passport`` then acts as ``rr``).
    hyphen : bool, default True
        ``rr`` and ``passport`` names: a hyphen between given-name syllables (Cheol-ho) or none
        (Cheolho). The RR rules prefer none but allow it; the hyphen keeps syllable boundaries
        readable. ``mr`` always hyphenates two-syllable given names and ``dprk`` spaces them.
    ascii : bool, default False
        Drop breves and apostrophes (Ch'ŏl-ho → Chol-ho).

    Returns
    -------
    str
        E.g. 이철호 → ``"I Cheol-ho"`` (rr), ``"Yi Ch'ŏl-ho"`` (mr), ``"Ri Chŏl Ho"`` (dprk),
        ``"Lee Chul-ho"`` (passport). Words are capitalised where they start after a space.

    Raises
    ------
    ValidationError
        For an unknown system, or a name with characters other than Hangul and separators.

    References
    ----------
    .. [1] 국어의 로마자 표기법 (2000; notice 2014-42), §3.1 (sound changes), §3.4 and §3.7 (names).
    .. [2] McCune and Reischauer (1939); ALA-LC Korean romanization (2009), §4.
    .. [3] DPRK, Rules of the Latin Alphabetical Transcriptions of the Korean Language (2012).
    """
    _check_system(system)
    if name:
        surname, given = split_name(text)
        out = " ".join(
            p for p in (_surname(surname, system), _given(given, system, hyphen=hyphen)) if p
        )
    else:
        word_system = "rr" if system == "passport" else system
        pieces = re.split(r"([\uac00-\ud7a3]+)", unicodedata.normalize("NFC", text))
        for i in range(1, len(pieces), 2):
            word = _word(pieces[i], word_system)
            starts_word = (i == 1 and not pieces[0]) or pieces[i - 1][-1:].isspace()
            pieces[i] = word if starts_word else word.lower()
        out = "".join(pieces)
    return out.translate(_BREVES) if ascii else out


# --- spellings to expect -----------------------------------------------------------------------


def surname_spellings(surname: str) -> dict[str, float]:
    """Romanized spellings of a Hangul surname with the weight of each, most common first.

    The weight is the documented share of passports where one is known (Lee 0.9877, Yi 0.0092);
    listed spellings without a figure share what is left, or get 1/rank² of the listed order
    (normalised) when the row has no figures at all; the RR, MR and DPRK spellings get at least
    0.05, since lists compiled from academic or North Korean sources use them.

    Parameters
    ----------
    surname : str
        Hangul surname, South or North spelling.

    Returns
    -------
    dict
        Spelling (as written: ``"Lee"``) → weight.
    """
    entry = lookup_surname(surname)
    weights: dict[str, float] = {}
    if entry is not None:
        listed = entry.spellings
        known = [pct for _, pct in listed if pct is not None]
        unknown = [s for s, pct in listed if pct is None]
        if known:
            rest = max(1.0 - sum(known) / 100, 0.0)
            for spelling, pct in listed:
                share = pct / 100 if pct is not None else rest / max(len(unknown), 1)
                weights[spelling] = max(share, 0.001)
        else:
            total = sum(1 / rank**2 for rank in range(1, len(listed) + 1))
            for rank, (spelling, _) in enumerate(listed, start=1):
                weights[spelling] = 1 / rank**2 / total
        forms = {entry.hangul, *entry.north}
    else:
        forms = {surname}
    generated = {_surname(form, system) for form in forms for system in ("rr", "mr", "dprk")}
    generated |= {_word(form, "mr") for form in forms}
    generated |= {g.translate(_BREVES) for g in generated}
    for spelling in generated:
        weights[spelling] = max(weights.get(spelling, 0.0), 0.05)
    return dict(sorted(weights.items(), key=lambda item: -item[1]))


def _given_forms(given: str) -> list[str]:
    if not given:
        return []
    forms = [
        _given(given, "rr", hyphen=True),
        _given(given, "rr", hyphen=False),
        " ".join(_capitalise(p) for p in _rr_syllables(given)),
        _given(given, "mr", hyphen=True),
        _given(given, "mr", hyphen=True).translate(_BREVES),
        _given(given, "mr", hyphen=True).translate(str.maketrans({"ŏ": "o", "ŭ": "u"})),
        _given(given, "dprk", hyphen=True),
        _given(given, "dprk", hyphen=True).translate(_BREVES),
        _given(given, "passport", hyphen=True),
        _given(given, "passport", hyphen=False),
        " ".join(_capitalise(_passport_syllable(decompose(s))) for s in given),
    ]
    return list(dict.fromkeys(forms))


def variants(name: str) -> set[str]:
    """The Latin spellings of a Hangul name that a linkage should expect.

    Every system of :func:`romanize` with its own surname spelling, the given name joined,
    hyphenated and spaced, with and without breves and apostrophes; every listed surname
    spelling with the passport and RR given names; each in family-first and given-first order
    (except the DPRK form, written syllable by syllable, which is family-first only) and in
    capitals (LEE CHEOLHO).

    Parameters
    ----------
    name : str
        A Hangul name, South or North spelling.

    Returns
    -------
    set of str
        For 이철호: "Lee Cheol-ho", "Ri Chol Ho", "Yi Ch'ŏl-ho", "Cheol-ho Lee", "LEE CHEOLHO",
        "Lee Chul Ho" and about a hundred more.
    """
    surname, given = split_name(name)
    forms = _given_forms(given)
    system_surnames = {_surname(surname, system) for system in SYSTEMS}
    system_surnames |= {s.translate(_BREVES) for s in system_surnames}
    listed = set(surname_spellings(surname))
    everyday = [
        _given(given, "passport", hyphen=True),
        _given(given, "passport", hyphen=False),
        _given(given, "rr", hyphen=True),
    ]
    spaced = {_given(given, "dprk", hyphen=True)}
    spaced |= {s.translate(_BREVES) for s in spaced}
    out: set[str] = set()
    for family in system_surnames | listed:
        for first in forms if family in system_surnames else everyday:
            if not first:
                out.add(family)
                continue
            out.add(f"{family} {first}")
            if first not in spaced or len(given) == 1:
                out.add(f"{first} {family}")  # DPRK style is never written in Western order
    out |= {v.upper() for v in out}
    return out


@cache
def syllable_spellings(syllable: str) -> dict[str, float]:
    """Every folded Latin spelling of one Hangul syllable, with a weight.

    The four systems (as the syllable is written at the start of a given name and after a
    vowel) weigh 1; the other combinations of the per-jamo variants of KOREAN_NAMES.md §5
    (ㅓ eo/o/u, ㅜ u/oo, ㅕ yeo/yo/yu, ㅢ ui/eui/i/ee, ㄱ g/k, final ㄱ k/g ...) weigh 0.3.

    Parameters
    ----------
    syllable : str
        One Hangul syllable.

    Returns
    -------
    dict
        Folded spelling (``"cheol"``, ``"chul"``, ``"chol"`` for 철) → weight.
    """
    j = decompose(syllable)
    out: dict[str, float] = {}

    def add(spelling: str, weight: float) -> None:
        folded = fold_latin(spelling)
        if folded and out.get(folded, 0.0) < weight:
            out[folded] = weight

    final = _REPRESENTATIVE[j.final]
    plain = [[j.initial, j.medial, final, False]]
    add(_rr_syllables(syllable)[0], _SYSTEM_WEIGHT)
    add(_passport_syllable(j), _SYSTEM_WEIGHT)
    for system in ("mr", "dprk"):
        add(_letters(plain, system, apostrophe=False)[0], _SYSTEM_WEIGHT)
        after_vowel = [["ㅇ", "ㅏ", "", False], plain[0]]
        add(_letters(after_vowel, system, apostrophe=False)[1], _SYSTEM_WEIGHT)
        if final in _FINAL_BEFORE_VOWEL:
            linked = [[j.initial, j.medial, final, True]]
            add(_letters(linked, system, apostrophe=False)[0], _SYSTEM_WEIGHT)
    vowels = list(_VOWEL_VARIANTS[j.medial])
    if j.initial == "ㅇ" and j.medial == "ㅜ":
        vowels += ["woo", "wu"]
    if j.initial == "ㅇ" and j.medial == "ㅣ":
        vowels.append("yi")
    if j.medial in ("ㅕ", "ㅠ") and final in ("ㅇ", "ㄴ"):
        vowels.append("you")
    for onset in _ONSET_VARIANTS[j.initial]:
        for vowel in vowels:
            for coda in _CODA_VARIANTS[final]:
                add(onset + vowel + coda, _VARIANT_WEIGHT)
    return out


# --- sound classes ----------------------------------------------------------------------------

_ONSET_CLASS = {"ㄱ": "k", "ㄲ": "k", "ㅋ": "k", "ㄷ": "t", "ㄸ": "t", "ㅌ": "t", "ㅂ": "p",
                "ㅃ": "p", "ㅍ": "p", "ㅈ": "j", "ㅉ": "j", "ㅊ": "j", "ㅅ": "s", "ㅆ": "s",
                "ㅎ": "h", "ㅁ": "m", "ㄴ": "n", "ㄹ": "r", "ㅇ": ""}  # fmt: skip
_VOWEL_CLASS = {"ㅏ": "a", "ㅐ": "e", "ㅑ": "ya", "ㅒ": "ye", "ㅓ": "o", "ㅔ": "e", "ㅕ": "yo",
                "ㅖ": "ye", "ㅗ": "o", "ㅘ": "wa", "ㅙ": "we", "ㅚ": "we", "ㅛ": "yo", "ㅜ": "o",
                "ㅝ": "wo", "ㅞ": "we", "ㅟ": "wi", "ㅠ": "yo", "ㅡ": "o", "ㅢ": "i",
                "ㅣ": "i"}  # fmt: skip
_CODA_CLASS = {"": "", "ㄱ": "k", "ㄲ": "k", "ㄳ": "k", "ㄺ": "k", "ㅋ": "k", "ㄴ": "n",
               "ㄵ": "n", "ㄶ": "n", "ㄷ": "t", "ㅅ": "t", "ㅆ": "t", "ㅈ": "t", "ㅊ": "t",
               "ㅌ": "t", "ㅎ": "t", "ㄹ": "l", "ㄼ": "l", "ㄽ": "l", "ㄾ": "l", "ㅀ": "l",
               "ㅁ": "m", "ㄻ": "m", "ㅂ": "p", "ㅍ": "p", "ㅄ": "p", "ㄿ": "p",
               "ㅇ": "ng"}  # fmt: skip

# Latin side: consonant clusters before the vowel, vowel letter runs, consonants after it.
_LATIN_ONSETS = {"": "", "g": "k", "k": "k", "gg": "k", "kk": "k", "kh": "k", "gh": "k",
                 "d": "t", "t": "t", "dd": "t", "tt": "t", "th": "t", "b": "p", "p": "p",
                 "bb": "p", "pp": "p", "ph": "p", "j": "j", "ch": "j", "jj": "j", "tch": "j",
                 "ts": "j", "tsh": "j", "z": "j", "dj": "j", "jh": "j", "chh": "j", "s": "s",
                 "ss": "s", "sh": "s", "h": "h", "m": "m", "n": "n", "r": "r", "l": "r",
                 "rh": "r", "lh": "r"}  # fmt: skip
_LATIN_NUCLEI = {"a": "a", "ae": "e", "e": "e", "ai": "e", "ay": "e", "ea": "e", "ey": "e",
                 "ya": "ya", "yae": "ye", "ye": "ye", "eo": "o", "o": "o", "u": "o", "oo": "o",
                 "eu": "o", "ue": "o", "ou": "o", "au": "o", "yeo": "yo", "yo": "yo",
                 "yu": "yo", "yoo": "yo", "you": "yo", "yeu": "yo", "i": "i", "ee": "i",
                 "ui": "i", "eui": "i", "yi": "i", "y": "i", "ie": "i", "yie": "i",
                 "wa": "wa", "oa": "wa", "wae": "we", "oe": "we", "oi": "we", "we": "we",
                 "oy": "we", "wei": "we", "wo": "wo", "weo": "wo", "wu": "wo", "wi": "wi",
                 "wee": "wi"}  # fmt: skip
_LATIN_CODAS = {"": "", "h": "", "k": "k", "g": "k", "c": "k", "ck": "k", "kk": "k",
                "rk": "k", "n": "n", "nn": "n", "hn": "n", "ng": "ng", "hng": "ng", "m": "m",
                "mm": "m", "hm": "m", "l": "l", "ll": "l", "r": "l", "hl": "l", "p": "p",
                "b": "p", "pp": "p", "t": "t", "d": "t", "s": "t", "ss": "t",
                "tt": "t"}  # fmt: skip
_VOWEL_LETTERS = frozenset("aeiouwy")
_NASAL_CODA = {"k": "ng", "t": "n", "p": "m"}
_R_DROPPED = frozenset({"i", "ya", "ye", "yo"})
_N_DROPPED = frozenset({"i", "yo"})


class SyllableClass(NamedTuple):
    """The sound class of one syllable: onset, vowel and coda, merged as the spellings force.

    * onsets: k (ㄱ ㅋ ㄲ), t (ㄷ ㅌ ㄸ), p (ㅂ ㅍ ㅃ), j (ㅈ ㅊ ㅉ), s (ㅅ ㅆ), h, m, n, r (ㄹ) and
      "" (ㅇ), because the systems disagree on voicing and aspiration (Gim/Kim, Jeong/Chŏng/Chung);
    * vowels: a; e (ㅐ ㅔ); ya; ye (ㅒ ㅖ); o (ㅓ ㅗ ㅜ ㅡ: 성 is seong/sung/song/sŏng, 은
      eun/un/ŭn); yo (ㅕ ㅛ ㅠ: 영 yeong/young/yong, 현 hyeon/hyun/hyon); i (ㅣ ㅢ: 희
      hui/hee/hi); wa; we (ㅙ ㅚ ㅞ: 최 Choe/Choi); wo (ㅝ); wi (ㅟ);
    * codas: k, n, ng, m, l, p, t and "".

    철 → ``jol``, 호 → ``ho``, 영 → ``yong``, 희 → ``hi``, 최 → ``jwe``. Where one Latin
    spelling could be two syllables (DPRK "Song" for 성 and 송) the two share a class, so a
    spelling never has to be guessed; the price is that a few different syllables (조/주,
    영/용) share one too.
    """

    onset: str
    vowel: str
    coda: str

    @property
    def id(self) -> str:
        """The class as one string: ``"jol"``, ``"ho"``, ``"yong"``."""
        return self.onset + self.vowel + self.coda


def syllable_class(syllable: str) -> SyllableClass:
    """Sound class of a Hangul syllable (철 → ``SyllableClass("j", "o", "l")``)."""
    j = decompose(syllable)
    return SyllableClass(_ONSET_CLASS[j.initial], _VOWEL_CLASS[j.medial], _CODA_CLASS[j.final])


def parse_syllable(latin: str) -> SyllableClass | None:
    """Sound class of one romanized syllable in any system, or ``None`` if it is not one.

    Parameters
    ----------
    latin : str
        ``"Cheol"``, ``"chul"``, ``"Ch'ŏl"``, ``"chol"`` (all → ``jol``), ``"Young"`` (yong),
        ``"Choi"`` (jwe), ``"Ahn"`` (an), ``"Whang"`` (hwang).

    Returns
    -------
    SyllableClass or None
    """
    text = fold_latin(latin)
    if text.startswith("wh"):
        text = "hw" + text[2:]
    start = 0
    while start < len(text) and text[start] not in _VOWEL_LETTERS:
        start += 1
    end = start
    while end < len(text) and text[end] in _VOWEL_LETTERS:
        end += 1
    onset, run, coda = text[:start], text[start:end], text[end:]
    if not run or onset not in _LATIN_ONSETS or coda not in _LATIN_CODAS:
        return None
    vowel = "o" if not onset and run in ("woo", "wu") else _LATIN_NUCLEI.get(run)
    if vowel is None:
        return None
    return SyllableClass(_LATIN_ONSETS[onset], vowel, _LATIN_CODAS[coda])


def normalise_classes(
    classes: Sequence[SyllableClass], *, word_initial: bool = True
) -> tuple[SyllableClass, ...]:
    """Put the sound classes of one name part into pronounced form.

    The initial-sound law on the first syllable (r and n dropped before i/y vowels, r → n
    before others), then across each syllable boundary the ㄹ rules (n+r → l+r, k/p/m/ng/t+r →
    +n, l+n → l+r) and nasalisation (k, t, p → ng, n, m before n or m). Applying it twice
    changes nothing, so romanizations that already show the changes (MR) and ones that do not
    (RR names) meet.

    Parameters
    ----------
    classes : sequence of SyllableClass
    word_initial : bool, default True
        Apply the initial-sound law to the first syllable.

    Returns
    -------
    tuple of SyllableClass

    References
    ----------
    .. [1] 국립국어원, 표준 발음법 (1988), 제18항 (비음화), 제19-20항 (유음화, ㄹ의 비음화);
       한글 맞춤법 제10-12항 (두음 법칙).
    """
    seq = list(classes)
    if word_initial and seq:
        first = seq[0]
        if (first.onset == "r" and first.vowel in _R_DROPPED) or (
            first.onset == "n" and first.vowel in _N_DROPPED
        ):
            seq[0] = first._replace(onset="")
        elif first.onset == "r":
            seq[0] = first._replace(onset="n")
    for i in range(len(seq) - 1):
        coda, onset = seq[i].coda, seq[i + 1].onset
        if onset == "r":
            if coda == "n":
                coda = "l"
            elif coda and coda != "l":
                onset = "n"
        elif onset == "n" and coda == "l":
            onset = "r"
        if onset in ("n", "m"):
            coda = _NASAL_CODA.get(coda, coda)
        seq[i] = seq[i]._replace(coda=coda)
        seq[i + 1] = seq[i + 1]._replace(onset=onset)
    return tuple(seq)


# Sino-Korean readings, which most given-name syllables are, begin with a plain or aspirated
# consonant and end in nothing or one of ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ; other syllables (첤, 쌍, 빛) are rare in
# names and are ranked down, not excluded.
_SINO_FINALS = frozenset({"", "ㄱ", "ㄴ", "ㄹ", "ㅁ", "ㅂ", "ㅇ"})
_TENSE_INITIALS = frozenset({"ㄲ", "ㄸ", "ㅃ", "ㅆ", "ㅉ"})
_NON_SINO_FACTOR = 0.01


def _sino_korean_shape(syllable: str) -> bool:
    j = decompose(syllable)
    return j.final in _SINO_FINALS and j.initial not in _TENSE_INITIALS


@cache
def syllable_index() -> dict[str, tuple[float, dict[str, float]]]:
    """The Latin → Hangul table: every folded spelling of :func:`syllable_spellings`, inverted.

    Returns
    -------
    dict
        Folded spelling → (log probability that a given-name syllable is written so,
        {Hangul syllable: weight}). A syllable weighs its given-name weight (the list in
        ``data/korean_given_syllables.tsv``, a small floor otherwise, a hundredth of that for
        shapes Sino-Korean readings do not have) times the weight of the spelling among its
        spellings. About 9,000 spellings; built once, on first use.
    """
    weights = given_syllable_weights()
    table: dict[str, dict[str, float]] = defaultdict(dict)
    total = 0.0
    for syllable in all_syllables():
        prior = weights.get(syllable, GIVEN_SYLLABLE_FLOOR)
        if not _sino_korean_shape(syllable):
            prior *= _NON_SINO_FACTOR
        total += prior
        spellings = syllable_spellings(syllable)
        norm = sum(spellings.values())
        for spelling, weight in spellings.items():
            table[spelling][syllable] = prior * weight / norm
    return {
        spelling: (math.log(sum(cands.values()) / total), cands)
        for spelling, cands in table.items()
    }
