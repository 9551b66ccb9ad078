"""Korean personal names across scripts: reading romanized names, comparison keys and levels.

The same victim is 리철호 in one list, 이철호 in another, "Ri Chol Ho", "Lee Cheol-ho",
"Yi Ch'ŏl-ho", "Cheol-ho Lee" or "LEE CHEOLHO" in others. Romanized forms are not keys (Keio
LIS 72, 2014); what the spellings share is the *sound* of each syllable. This module reduces
every syllable, from Hangul or from any romanization, to a coarse **sound class**, and builds
one set of keys for ONE Splink comparison from them, so that the surname, the given name and
their scripts are not counted as separate evidence.

Sound classes
-------------
Every syllable is reduced to its sound class (:class:`~reckon.linkage.romanization.SyllableClass`):
철, Cheol, Chul, Chol and Ch'ŏl are all ``jol``; 영, Yeong, Young and Yong are ``yong``. Across
the given name the classes are put in *pronounced* form, because McCune–Reischauer writes what
is heard: the initial-sound law on the first syllable (룡 → yong, like 용), nasalisation
(석민 → song-min, as in "Yi Sŏng-min") and the ㄹ rules (창룡 → jang-nyong). The same function
runs on both sides, so the keys cannot disagree because of where a name came from.

Keys (all plain strings, ready for DataFrame columns)
-----------------------------------------------------
``exact_key``
    The Hangul name in South spelling (리철호 → 이철호), or for a romanized name its folded
    spelling, surname first (``"lee cheolho"``).
``surname_key``
    Sound class of the surname: 이/리/Lee/Yi/Ri/Rhee → ``i``; 류/유/Ryu/Yoo/Yu → ``yo``;
    임/림/Lim/Im/Rim → ``im``; 박/Park/Pak/Bak → ``pak``; 남궁/Namgoong → ``namkong``.
``given_key``
    Sound classes of the given-name syllables joined by ``-``: 철호/Chol Ho/Cheol-ho/Chul-ho →
    ``jol-ho``.
``given_syllables``
    The same classes separated by spaces, for partial overlap (array intersection).
``full_key``
    ``surname_key|given_key``; empty unless both are known.
``alt_full_keys``
    Full keys of the other plausible readings (the other name order, another surname
    candidate, another split of 황보현), space-separated.

Comparison levels (:func:`compare_names`, :data:`COMPARISON_LEVELS`)
--------------------------------------------------------------------
4. same written name: equal ``exact_key`` (same Hangul after South normalisation, or the same
   romanized spelling up to case, spaces, hyphens, breves and name order);
3. same ``full_key``: same surname class and same given-name sound classes in order;
2. same surname class and given names sharing at least half their syllable classes; or
   same ``given_key`` with one surname unknown; or the ``alt_full_keys`` of the two intersect;
1. same ``given_key`` under different surnames, or given names sharing at least half their
   syllable classes;
0. anything else.

References
----------
.. [1] Keio University, Library and Information Science 72 (2014) 63-93: romanized forms are
   not reliable keys for Korean names; Hangul is.
.. [2] P. Treeratpituk and C. L. Giles, "Name-Ethnicity Classification and Ethnicity-Sensitive
   Name Matching", AAAI 2012 (ethnicity-specific matching).
.. [3] US patent US10089302B2, "Native-script and cross-script Chinese name matching"
   (canonical romanization for recall, native script for precision).
.. [4] R. Linacre et al., Splink (Ministry of Justice, 2022): comparison levels with term
   frequency adjustment.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from reckon.errors import ValidationError
from reckon.linkage.hangul import (
    compose,
    decompose,
    initial_sound_law,
    is_syllable,
    normalise_hangul,
    north_spelling,
    south_spelling,
    split_name,
    surname_splits,
)
from reckon.linkage.romanization import (
    SYSTEMS,
    SyllableClass,
    fold_latin,
    normalise_classes,
    parse_syllable,
    romanize,
    surname_spellings,
    syllable_class,
    syllable_index,
    variants,
)
from reckon.linkage.surnames import (
    CENSUS_POPULATION,
    surnames,
)

__all__ = [
    "COMPARISON_LEVELS",
    "FAMILY_FIRST",
    "GIVEN_FIRST",
    "RARE_SURNAME_SHARE",
    "SYSTEMS",
    "NameKeys",
    "Reading",
    "SyllableClass",
    "compare_names",
    "compose",
    "decompose",
    "given_overlap",
    "hangul_candidates",
    "name_key_columns",
    "name_keys",
    "normalise_classes",
    "normalise_hangul",
    "north_spelling",
    "parse_syllable",
    "repair_romanized",
    "romanize",
    "south_spelling",
    "split_name",
    "surname_share",
    "syllable_class",
    "variants",
]

FAMILY_FIRST = "family-first"
GIVEN_FIRST = "given-first"

#: Share returned by :func:`surname_share` for a surname outside the table.
RARE_SURNAME_SHARE = 1e-4

#: What each level of :func:`compare_names` means (for Splink comparison-level labels).
COMPARISON_LEVELS = {
    4: "same written name (Hangul after South normalisation, or the same romanized spelling)",
    3: "same surname sound class and same given-name sound classes",
    2: "same surname class and at least half the given syllables; or same given name with one "
    "surname unknown; or another plausible reading matches",
    1: "same given name under different surnames, or at least half the given syllables",
    0: "different names",
}


def _hangul_class_ids(text: str) -> tuple[str, ...]:
    return tuple(c.id for c in normalise_classes([syllable_class(s) for s in text]))


@cache
def _surname_key_of(hangul_surname: str) -> str:
    return "".join(_hangul_class_ids(hangul_surname))


# --- Latin → Hangul tables ---------------------------------------------------------------------


@cache
def _surname_index() -> dict[str, dict[str, float]]:
    """Folded spelling → {Hangul surname: census share x spelling weight}."""
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for entry in surnames():
        for spelling, weight in surname_spellings(entry.hangul).items():
            key = fold_latin(spelling)
            score = entry.share * weight
            if table[key].get(entry.hangul, 0.0) < score:
                table[key][entry.hangul] = score
    return dict(table)


@cache
def _class_population() -> dict[str, int]:
    population: Counter[str] = Counter()
    for entry in surnames():
        population[_surname_key_of(entry.hangul)] += entry.population
    return dict(population)


def surname_share(surname_key: str) -> float:
    """Share of the 2015 South Korean census population whose surname has this key.

    For term-frequency adjustment of the surname: ``surname_share("i")`` is the share of
    이 (14.7 %), ``surname_share("song")`` that of 송 and 성 together.

    Parameters
    ----------
    surname_key : str
        A ``surname_key`` from :func:`name_keys`; a Hangul surname is accepted too.

    Returns
    -------
    float
        The share, or :data:`RARE_SURNAME_SHARE` for a surname outside the table. Figures of
        surnames below rank 10 are estimates (see ``data/korean_surnames.tsv``).
    """
    if surname_key and all(is_syllable(c) for c in surname_key):
        surname_key = _surname_key_of(surname_key)
    population = _class_population().get(surname_key)
    return population / CENSUS_POPULATION if population else RARE_SURNAME_SHARE


# --- reading romanized names -------------------------------------------------------------------

_UNKNOWN_SPELLING_LOGP = -25.0
_MAX_SYLLABLE_LETTERS = 8
_NO_SURNAME_LOGP = math.log(0.05)  # a one-word name that is a given name alone ("Cheol-ho")
_GIVEN_LENGTH_LOGP = {0: math.log(0.02), 1: math.log(0.05), 2: math.log(0.9), 3: math.log(0.04),
                      4: math.log(0.008)}  # fmt: skip
_SURNAME_LENGTH_LOGP = {1: math.log(0.97), 2: math.log(0.03)}
_ORDER_LOGP = {FAMILY_FIRST: math.log(0.65), GIVEN_FIRST: math.log(0.35)}
# Hints, as likelihood ratios: a comma after the first word (Lee, Cheol-ho) or a word in
# capitals among mixed-case ones (Cheol-ho LEE) marks the surname; a hyphenated word is a given
# name (Nam-goong aside, which is found as a surname spelling); three or more words without the
# vowel spellings only South Korean usage has (oo, ee, eo, eu, ou: Soo, Hee, Seong, Eun, Young)
# are a name written syllable by syllable in DPRK style, which puts the family name first
# (Ri Chol Ho), whereas "Chul Ho Lee" or "Ji Hoon Kang" may be in either order.
_COMMA_LR = 20.0
_CAPITALS_LR = 10.0
_HYPHENATED_SURNAME_LR = 0.05
_SPACED_SYLLABLES_LR = 20.0
_SOUTH_VOWEL_SPELLINGS = re.compile("oo|ee|eo|eu|ou")
_APOSTROPHES = "'’ʼ‘`´"
_DASHES = "-‐‑‒–—"
_ASPIRATED_ENDINGS = ("ch", "k", "t", "p")


@dataclass(frozen=True)
class Reading:
    """One way of reading a name as a Korean name (for Hangul, one way of splitting it).

    Attributes
    ----------
    surname : str
        The surname as folded from the text (``"lee"``); ``""`` if none was found.
    given : tuple of str
        The given name cut into syllables (``("cheol", "ho")``).
    surname_candidates : dict
        Hangul surname (South spelling) → probability.
    given_candidates : tuple of dict
        Per given-name syllable, Hangul syllable → probability (the ten most likely).
    order : str
        ``"family-first"`` or ``"given-first"`` (Western order).
    confidence : float
        Probability of this reading among the readings of the same text.
    surname_key, given_syllables
        The comparison keys of this reading (see :func:`name_keys`).
    """

    surname: str
    given: tuple[str, ...]
    surname_candidates: dict[str, float]
    given_candidates: tuple[dict[str, float], ...]
    order: str
    confidence: float
    surname_key: str
    given_syllables: tuple[str, ...]

    @property
    def full_key(self) -> str:
        """``surname_key|given_key``, or ``""`` if either is unknown."""
        if not self.surname_key or not self.given_syllables:
            return ""
        return f"{self.surname_key}|{'-'.join(self.given_syllables)}"

    def best_hangul(self) -> str:
        """The most likely Hangul spelling (a guess; compare keys, not this)."""
        surname = max(self.surname_candidates, key=self.surname_candidates.get, default="")
        given = "".join(max(c, key=c.get) for c in self.given_candidates if c)
        return surname + given


@dataclass(frozen=True)
class _Token:
    chunks: tuple[str, ...]
    all_caps: bool
    hyphenated: bool

    @property
    def folded(self) -> str:
        return "".join(self.chunks)


def _token(piece: str) -> _Token | None:
    """Cut one word at hyphens, apostrophes between syllables and inner capitals (SungHo)."""
    mixed_case = any(c.islower() for c in piece) and any(c.isupper() for c in piece)
    chunks: list[str] = []
    current = ""
    for i, char in enumerate(piece):
        if char in _APOSTROPHES:
            following = piece[i + 1 : i + 2]
            if fold_latin(current).endswith(_ASPIRATED_ENDINGS) and fold_latin(following):
                continue  # Ch'ŏl: aspiration mark
            chunks.append(current)
            current = ""
        elif char.isalpha():
            if mixed_case and char.isupper() and current:
                chunks.append(current)
                current = ""
            current += char
        else:  # hyphens and any other punctuation are boundaries
            chunks.append(current)
            current = ""
    chunks.append(current)
    folded = tuple(f for f in (fold_latin(c) for c in chunks) if f)
    if not folded:
        return None
    letters = [c for c in piece if c.isalpha()]
    return _Token(
        folded,
        all_caps=bool(letters) and all(c.isupper() for c in letters),
        hyphenated=any(c in _DASHES for c in piece),
    )


def _segment_logp(spelling: str) -> float | None:
    entry = syllable_index().get(spelling)
    if entry is not None:
        return entry[0]
    return _UNKNOWN_SPELLING_LOGP if parse_syllable(spelling) is not None else None


@lru_cache(maxsize=65536)
def _segment(
    chunks: tuple[str, ...], *, surname: bool = False
) -> tuple[float, tuple[str, ...]] | None:
    """Best cut of a given name into syllables: (log score incl. length prior, syllables).

    Cuts never cross a chunk boundary (hyphen, space, capital); within a chunk every
    split whose parts are syllable spellings is tried, scored by the given-name syllable
    weights, the spelling weights and the prior on the number of syllables.
    """
    states: dict[int, tuple[float, tuple[str, ...]]] = {0: (0.0, ())}
    for chunk in chunks:
        # best[i][count] over prefixes of this chunk, starting from the carried states
        best: list[dict[int, tuple[float, tuple[str, ...]]]] = [{} for _ in range(len(chunk) + 1)]
        best[0] = dict(states)
        for start in range(len(chunk)):
            if not best[start]:
                continue
            for stop in range(start + 1, min(len(chunk), start + _MAX_SYLLABLE_LETTERS) + 1):
                logp = _segment_logp(chunk[start:stop])
                if logp is None:
                    continue
                for count, (score, parts) in best[start].items():
                    if count >= 6:
                        continue
                    candidate = (score + logp, (*parts, chunk[start:stop]))
                    current = best[stop].get(count + 1)
                    if current is None or candidate[0] > current[0]:
                        best[stop][count + 1] = candidate
        states = best[len(chunk)]
        if not states:
            return None
    lengths = _SURNAME_LENGTH_LOGP if surname else _GIVEN_LENGTH_LOGP
    scored = [
        (score + lengths.get(count, math.log(0.002) if not surname else -math.inf), parts)
        for count, (score, parts) in states.items()
    ]
    best = max(scored, default=None)
    return best if best is not None and best[0] > -math.inf else None


def _surname_candidates(folded: str) -> tuple[float, dict[str, float]]:
    """(log score as a surname, {Hangul surname: unnormalised weight}) of a folded spelling."""
    table = _surname_index().get(folded)
    if table:
        return math.log(sum(table.values())), table
    # Not a listed spelling: a rare surname, as likely as its syllables are as name syllables.
    cut = _segment((folded,), surname=True)
    if cut is None:
        return -math.inf, {}
    found = syllable_index().get(folded)
    return math.log(RARE_SURNAME_SHARE) + cut[0], dict(found[1]) if found else {}


def _syllables_of_surname(folded: str) -> set[int]:
    """Lengths in syllables of the table surnames spelt ``folded``."""
    return {len(h) for h in _surname_index().get(folded, {})}


def _top(weights: dict[str, float], limit: int) -> dict[str, float]:
    total = sum(weights.values()) or 1.0
    ranked = sorted(weights.items(), key=lambda item: -item[1])[:limit]
    return {k: v / total for k, v in ranked}


def _surname_key_from(folded: str, candidates: dict[str, float]) -> tuple[str, dict[str, float]]:
    """The surname class with most weight among the candidates, and all class weights."""
    by_class: dict[str, float] = defaultdict(float)
    for hangul, weight in candidates.items():
        by_class[_surname_key_of(hangul)] += weight
    if not by_class:
        cut = _segment((folded,))
        classes = [parse_syllable(p) for p in cut[1]] if cut else []
        if classes and all(c is not None for c in classes):
            key = "".join(c.id for c in normalise_classes(classes))  # type: ignore[arg-type]
            by_class[key] = 1.0
    if not by_class:
        return "", {}
    total = sum(by_class.values())
    shares = {k: v / total for k, v in by_class.items()}
    return max(shares, key=shares.get), shares


def _given_classes(parts: Sequence[str]) -> tuple[str, ...]:
    classes = [parse_syllable(p) for p in parts]
    if not classes or any(c is None for c in classes):
        return ()
    return tuple(c.id for c in normalise_classes(classes))  # type: ignore[arg-type]


def _latin_tokens(name: str) -> tuple[list[_Token], bool]:
    text = unicodedata.normalize("NFC", name).strip()
    comma_after_first = False
    tokens: list[_Token] = []
    for piece in re.split(r"\s+", text.replace(",", " , ")):
        if piece == ",":
            comma_after_first = comma_after_first or len(tokens) == 1
            continue
        token = _token(piece)
        if token is not None:
            tokens.append(token)
    return tokens, comma_after_first


def _split_options(tokens: list[_Token]) -> list[tuple[str, str, tuple[str, ...], int]]:
    """(order, folded surname, given chunks, index of the surname token or -1) to consider."""
    options: list[tuple[str, str, tuple[str, ...], int]] = []
    if len(tokens) == 1:
        token = tokens[0]
        whole = token.folded
        if whole in _surname_index():
            options.append((FAMILY_FIRST, whole, (), 0))
        offsets = []  # chunk boundaries in the folded string
        position = 0
        for chunk in token.chunks:
            position += len(chunk)
            offsets.append(position)

        def chunks_between(lo: int, hi: int) -> tuple[str, ...]:
            cut = [lo, *[o for o in offsets if lo < o < hi], hi]
            return tuple(whole[a:b] for a, b in itertools.pairwise(cut))

        for k in range(1, len(whole)):
            if whole[:k] in _surname_index():
                options.append((FAMILY_FIRST, whole[:k], chunks_between(k, len(whole)), 0))
            if whole[k:] in _surname_index():
                options.append((GIVEN_FIRST, whole[k:], chunks_between(0, k), 0))
        options.append((FAMILY_FIRST, "", token.chunks, -1))  # a given name alone
        return options
    first, last = tokens[0], tokens[-1]
    options.append((FAMILY_FIRST, first.folded, tuple(c for t in tokens[1:] for c in t.chunks), 0))
    options.append(
        (GIVEN_FIRST, last.folded, tuple(c for t in tokens[:-1] for c in t.chunks), len(tokens) - 1)
    )
    if len(tokens) >= 3:
        head = first.folded + tokens[1].folded
        if head in _surname_index():  # Nam Goong Min Soo
            options.append((FAMILY_FIRST, head, tuple(c for t in tokens[2:] for c in t.chunks), 0))
        tail = tokens[-2].folded + last.folded
        if tail in _surname_index():
            given = tuple(c for t in tokens[:-2] for c in t.chunks)
            options.append((GIVEN_FIRST, tail, given, len(tokens) - 1))
    return options


def _latin_readings(name: str) -> list[Reading]:
    tokens, comma_after_first = _latin_tokens(name)
    if not tokens:
        return []
    capitals_mark_surname = any(t.all_caps for t in tokens) and not all(t.all_caps for t in tokens)
    dprk_style = len(tokens) >= 3 and not any(
        _SOUTH_VOWEL_SPELLINGS.search(t.folded) for t in tokens
    )
    scored = []
    for order, surname, given, surname_at in _split_options(tokens):
        score = _ORDER_LOGP[order]
        if surname:
            surname_logp, candidates = _surname_candidates(surname)
        else:
            surname_logp, candidates = _NO_SURNAME_LOGP, {}
        if surname_logp == -math.inf:
            continue
        score += surname_logp
        if given:
            cut = _segment(given)
            if cut is None:
                continue
            score += cut[0]
            parts = cut[1]
        else:
            score += _GIVEN_LENGTH_LOGP[0]
            parts = ()
        if comma_after_first:
            score += math.log(_COMMA_LR if order == FAMILY_FIRST else 1 / _COMMA_LR)
        if capitals_mark_surname and surname_at >= 0:
            capitals = tokens[surname_at].all_caps
            score += math.log(_CAPITALS_LR if capitals else 1 / _CAPITALS_LR)
        if (
            len(tokens) > 1
            and surname_at >= 0
            and tokens[surname_at].hyphenated
            and len(_syllables_of_surname(surname)) < 2
        ):
            score += math.log(_HYPHENATED_SURNAME_LR)
        if dprk_style and order == FAMILY_FIRST:
            score += math.log(_SPACED_SYLLABLES_LR)
        scored.append((score, order, surname, parts, candidates))
    if not scored:
        return []
    top = max(s[0] for s in scored)
    total = sum(math.exp(s[0] - top) for s in scored)
    readings = []
    for score, order, surname, parts, candidates in sorted(scored, key=lambda s: -s[0]):
        key, _ = _surname_key_from(surname, candidates) if surname else ("", {})
        readings.append(
            Reading(
                surname=surname,
                given=parts,
                surname_candidates=_top(candidates, 10),
                given_candidates=tuple(
                    _top(syllable_index()[p][1], 10) if p in syllable_index() else {} for p in parts
                ),
                order=order,
                confidence=math.exp(score - top) / total,
                surname_key=key,
                given_syllables=_given_classes(parts),
            )
        )
    return readings


def _hangul_readings(name: str) -> list[Reading]:
    readings = []
    for surname, given, probability in surname_splits(name):
        south = initial_sound_law(surname[0]) + surname[1:] if surname else ""
        readings.append(
            Reading(
                surname=surname,
                given=tuple(given),
                surname_candidates={south: 1.0} if south else {},
                given_candidates=tuple({s: 1.0} for s in given),
                order=FAMILY_FIRST,
                confidence=probability,
                surname_key=_surname_key_of(surname) if surname else "",
                given_syllables=_hangul_class_ids(given) if given else (),
            )
        )
    return readings


def _hangul_part(text: str) -> str:
    return " ".join(re.findall(r"[\uac00-\ud7a3]+", unicodedata.normalize("NFC", text)))


def hangul_candidates(name: str) -> list[Reading]:
    """Read a name, romanized in any system or written in Hangul, as Korean name candidates.

    For a romanized name, the surname is looked up among the spellings of every surname in the
    table (passport, RR, MR, DPRK and listed variants, weighted by census share), in family-first
    and given-first order and, for a one-word name, as a prefix or suffix (``LEECHEOLHO``); the
    given name is cut into syllables using hyphens, spaces, inner capitals and aspiration
    apostrophes as boundaries and, inside an unspaced chunk (``cheolho``), the split whose parts
    are the most likely syllable spellings. A comma after the first word (``Lee, Cheol-ho``) and
    a word in capitals among mixed-case ones (``Cheol-ho LEE``) mark the surname.

    Parameters
    ----------
    name : str
        ``"Ri Chol Ho"``, ``"Lee Cheol-ho"``, ``"Cheol-ho Lee"``, ``"LEE CHEOLHO"``,
        ``"Yi Ch'ŏl-ho"``, ``"Nam-goong Min Soo"``; or Hangul (``"리철호"``).

    Returns
    -------
    list of Reading
        Most likely first; empty if nothing in the text can be read as a Korean name.

    Notes
    -----
    Each reading is scored as a generative model of the text: P(order) x P(surname) x
    P(spelling | surname) x P(number of given syllables) x the product over given syllables of
    P(syllable) x P(spelling | syllable), times the likelihood ratios of the hints. P(surname) is
    the census share, P(spelling | surname) the passport share where documented, P(syllable)
    the given-name syllable weights; a surname outside the table is scored as a rare surname
    (share 1e-4) spelt like a name syllable. Confidences are the scores normalised over the
    readings. The inversion of forward romanization tables follows the method outlined in
    KOREAN_NAMES.md §7.

    References
    ----------
    .. [1] P. Treeratpituk and C. L. Giles, "Name-Ethnicity Classification and
       Ethnicity-Sensitive Name Matching", AAAI 2012.
    .. [2] K. W. Church and W. A. Gale, "Probability scoring for spelling correction",
       Statistics and Computing 1 (1991) 93-103 (noisy-channel scoring of candidate readings).
    """
    if not isinstance(name, str):
        raise ValidationError(f"a name must be a string, not {type(name).__name__}: {name!r}")
    hangul = _hangul_part(name)
    if hangul:
        return _hangul_readings(hangul)
    return _latin_readings(name)


# --- keys and comparison -----------------------------------------------------------------------


@dataclass(frozen=True)
class NameKeys:
    """Comparison keys of one name; see the module docstring for what each holds.

    ``to_dict()`` gives the plain-string columns a linkage DataFrame stores.
    """

    name: str
    script: str
    exact_key: str
    surname_key: str
    given_key: str
    given_syllables: tuple[str, ...]
    full_key: str
    alt_full_keys: tuple[str, ...]
    order: str
    confidence: float

    def to_dict(self) -> dict[str, str | float]:
        """Columns for a DataFrame: every key as a plain string (lists space-separated)."""
        return {
            "exact_key": self.exact_key,
            "surname_key": self.surname_key,
            "given_key": self.given_key,
            "given_syllables": " ".join(self.given_syllables),
            "full_key": self.full_key,
            "alt_full_keys": " ".join(self.alt_full_keys),
            "name_order": self.order,
            "name_confidence": self.confidence,
        }


def _exact_key(script: str, reading: Reading | None, name: str) -> str:
    if reading is None:
        return ""
    if script == "hangul":
        return south_spelling(_hangul_part(name))
    given = "".join(reading.given)
    return f"{reading.surname} {given}".strip()


def name_keys(name: str) -> NameKeys:
    """Comparison keys of a Korean name in any script, spelling or order.

    Parameters
    ----------
    name : str
        Hangul (South or North spelling, spaces allowed) or any romanization, surname first or
        last. If the text holds Hangul, only the Hangul is used ("이철호 (Lee Cheol-ho)").

    Returns
    -------
    NameKeys
        All keys empty (``script="none"``) when nothing can be read as a Korean name, for
        example a name in hanja only.

    Examples
    --------
    >>> name_keys("Ri Chol Ho").full_key == name_keys("이철호").full_key == "i|jol-ho"
    True
    """
    if not isinstance(name, str):
        raise ValidationError(f"a name must be a string, not {type(name).__name__}: {name!r}")
    return _name_keys(name)


#: Single-letter slips a typist makes in a romanized name, tried when a word cannot be read.
_TYPO_SUBSTITUTIONS = {"m": "n", "n": "mh", "v": "wb", "r": "l", "l": "r", "c": "h"}
_TYPO_INSERTIONS = "hiuoe"
#: A reading of a repaired spelling is this much less certain than one of the written name.
REPAIRED_CONFIDENCE = 0.5


def _readable_word(word: str) -> float | None:
    """Score of a word as a surname or a run of syllables; ``None`` if it cannot be read."""
    token = _token(word)
    if token is None:
        return 0.0  # punctuation only: nothing to read, nothing wrong
    if token.folded in _surname_index():
        return 0.0
    segmented = _segment(token.chunks)
    return None if segmented is None else segmented[0]


def _word_edits(word: str) -> Iterator[str]:
    """One-slip variants of a word: swapped neighbours, a dropped, replaced or missed letter."""
    for i in range(len(word) - 1):
        if word[i].isalpha() and word[i + 1].isalpha() and word[i] != word[i + 1]:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    for i, char in enumerate(word):
        if not char.isalpha():
            continue
        yield word[:i] + word[i + 1 :]
        for other in _TYPO_SUBSTITUTIONS.get(char.lower(), ""):
            yield word[:i] + (other.upper() if char.isupper() else other) + word[i + 1 :]
    for i in range(1, len(word) + 1):
        for extra in _TYPO_INSERTIONS:
            yield word[:i] + (extra.upper() if word[i - 1].isupper() else extra) + word[i:]


def repair_romanized(name: str) -> str | None:
    """The name with each unreadable word replaced by its most likely one-slip correction.

    ``"Kim Dnogbyung"`` → ``"Kim Dongbyung"``, ``"Whamg Byuk"`` → ``"Whang Byuk"``. Returns
    ``None`` when every word is readable already, or a word has no readable one-slip variant.
    """
    words = name.split()
    changed = False
    for i, word in enumerate(words):
        if _readable_word(word) is not None:
            continue
        scored = [(score, edit) for edit in dict.fromkeys(_word_edits(word))
                  if (score := _readable_word(edit)) is not None]  # fmt: skip
        if not scored:
            return None
        words[i] = max(scored, key=lambda pair: pair[0])[1]
        changed = True
    return " ".join(words) if changed else None


@lru_cache(maxsize=262144)
def _name_keys(name: str) -> NameKeys:
    readings = hangul_candidates(name)
    if not readings and not _hangul_part(name):
        repaired = repair_romanized(name)
        if repaired is not None:
            readings = [
                dataclasses.replace(r, confidence=r.confidence * REPAIRED_CONFIDENCE)
                for r in hangul_candidates(repaired)
            ]
    script = "hangul" if _hangul_part(name) else ("latin" if readings else "none")
    top = readings[0] if readings else None
    if top is None:
        return NameKeys(name, "none", "", "", "", (), "", (), "", 0.0)
    alternatives: list[str] = []
    for reading in readings:
        if reading.confidence >= 0.05 and reading.full_key:
            alternatives.append(reading.full_key)
    if script == "latin" and top.surname and top.given_syllables:
        _, shares = _surname_key_from(top.surname, _surname_index().get(top.surname, {}))
        given_key = "-".join(top.given_syllables)
        alternatives += [f"{k}|{given_key}" for k, share in shares.items() if share >= 0.1]
    return NameKeys(
        name=name,
        script=script,
        exact_key=_exact_key(script, top, name),
        surname_key=top.surname_key,
        given_key="-".join(top.given_syllables),
        given_syllables=top.given_syllables,
        full_key=top.full_key,
        alt_full_keys=tuple(dict.fromkeys(alternatives)),
        order=top.order,
        confidence=top.confidence,
    )


def given_overlap(a: Sequence[str] | str, b: Sequence[str] | str) -> float:
    """Share of given-name syllable classes two names have in common.

    Parameters
    ----------
    a, b : sequence of str or str
        ``given_syllables`` of two names (a space-separated string is accepted).

    Returns
    -------
    float
        Size of the multiset intersection over the length of the longer name; 0 when either
        is empty. 철호 and 철수 share 1 of 2 → 0.5.
    """
    left = a.split() if isinstance(a, str) else list(a)
    right = b.split() if isinstance(b, str) else list(b)
    if not left or not right:
        return 0.0
    common = sum((Counter(left) & Counter(right)).values())
    return common / max(len(left), len(right))


def compare_names(a: str | NameKeys, b: str | NameKeys) -> int:
    """Agreement level of two names, for one Splink comparison (see :data:`COMPARISON_LEVELS`).

    Parameters
    ----------
    a, b : str or NameKeys
        Names in any script, or their precomputed keys.

    Returns
    -------
    int
        4 same written name; 3 same full key; 2 same surname class and at least half the given
        syllables, or same given key with one surname unknown, or intersecting alternative
        keys; 1 same given key under another surname, or at least half the given syllables;
        0 otherwise.

    Notes
    -----
    The levels are nested agreement patterns of one field, as a Fellegi–Sunter comparison
    needs: each pair falls in exactly one level, and the linkage model estimates one m and u
    probability per level (with term-frequency adjustment on ``surname_key`` through
    :func:`surname_share`), so the surname, the given name and the script are never counted as
    separate pieces of evidence.

    References
    ----------
    .. [1] I. P. Fellegi and A. B. Sunter, "A Theory for Record Linkage", Journal of the
       American Statistical Association 64 (1969) 1183-1210.
    .. [2] R. Linacre et al., Splink: comparison levels and term-frequency adjustments (2022).

    Examples
    --------
    >>> compare_names("리철호", "이철호"), compare_names("Ri Chol Ho", "이철호")
    (4, 3)
    >>> compare_names("김철호", "김철수"), compare_names("김철호", "박철호")
    (2, 1)
    """
    left = a if isinstance(a, NameKeys) else name_keys(a)
    right = b if isinstance(b, NameKeys) else name_keys(b)
    if left.exact_key and left.exact_key == right.exact_key:
        return 4
    if left.full_key and left.full_key == right.full_key:
        return 3
    overlap = given_overlap(left.given_syllables, right.given_syllables)
    same_surname = bool(left.surname_key) and left.surname_key == right.surname_key
    same_given = bool(left.given_key) and left.given_key == right.given_key
    if (
        (same_surname and overlap >= 0.5)
        or (same_given and not (left.surname_key and right.surname_key))
        or set(left.alt_full_keys) & set(right.alt_full_keys)
    ):
        return 2
    if same_given or overlap >= 0.5:
        return 1
    return 0


def name_key_columns(names: Iterable[str | None]) -> dict[str, list[str | float]]:
    """:meth:`NameKeys.to_dict` of many names as columns (for ``pandas.DataFrame(...)``).

    A missing name (``None`` or a float NaN, as pandas stores one) gets empty keys.
    """
    columns: dict[str, list[str | float]] = defaultdict(list)
    for name in names:
        text = name if isinstance(name, str) else ""
        for column, value in name_keys(text).to_dict().items():
            columns[column].append(value)
    return dict(columns)
