"""Controlled vocabularies: the codes documenters choose from, and a lookup for what they type.

Each vocabulary of VOCABULARY.md §C (violation types, perpetrator institutions, facility types,
date precision, provinces, the facility gazetteer...) ships as one YAML file in
``reckon/records/vocabularies/``. A term has a stable code (``VT.LIFE.EXEC_PUBLIC``), an English
and a Korean label, an optional DPRK spelling, search aliases, its mapping to the HURIDOCS Events
Standard Formats (ESF) micro-thesauri and to the UN Commission of Inquiry chapters, and a note on
whether the Korean label comes from a cited source (``S``) or is an unreviewed translation
(``T``).

Documenters type "Hamgyŏng-pukto", "함북" or "north hamgyong"; :meth:`Vocabulary.lookup` finds
North Hamgyong for all of them by comparing *keys* (see :func:`term_key`) rather than raw text.
A name that several terms share on purpose (the town of Kaechon has two political prison camps
and a prison) is listed under ``shared_aliases``; typing it raises an error that lists the
candidates instead of silently picking one.

Examples
--------
>>> provinces = load_vocabulary("provinces")
>>> provinces.lookup("Hamgyŏng-pukto").code
'KP.NH'
>>> str(load_vocabulary("violation_types").lookup("공개 처형"))
'Public execution (VT.LIFE.EXEC_PUBLIC)'
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

import yaml

from reckon.errors import UnknownTermError, ValidationError

__all__ = [
    "LABEL_STATUSES",
    "TERM_STATUSES",
    "Term",
    "Vocabulary",
    "load_vocabulary",
    "term_key",
    "vocabulary_names",
]

TERM_STATUSES = ("active", "deprecated")
LABEL_STATUSES = ("S", "T")

MAX_SUGGESTIONS = 3
# Below this difflib ratio a "suggestion" is noise rather than a likely typo.
SUGGESTION_CUTOFF = 0.6

_PACKAGE = "reckon.records"
_DIRECTORY = "vocabularies"

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)*$")
_ESF_LIST_RE = re.compile(r"^mt[0-9]+$")
_ESF_CODE_RE = re.compile(r"^[0-9]+$")
_COI_RE = re.compile(r"^COI\.[A-Z]+$")

# Letters that str.isalnum() accepts but that act as punctuation in names: the modifier-letter
# apostrophes of McCune-Reischauer (Kaechʼŏn) and the Hangul araea used as a middle dot (도ㆍ시),
# which NFKD turns from the compatibility letter U+318D into the conjoining vowel U+119E.
_PUNCTUATION_LETTERS = frozenset("ʼʻʽʹʾʿˈ\u318d\u119e")

_TOP_FIELDS = ("name", "description", "source", "terms")
_TERM_FIELDS = (
    "code",
    "en",
    "ko",
    "ko_nk",
    "label_status",
    "status",
    "parent",
    "aliases",
    "shared_aliases",
    "esf",
    "coi",
    "scope_note",
    "attributes",
)


def term_key(text: str) -> str:
    """Reduce what a documenter typed to the key that lookups compare.

    The text is put in Unicode NFC, Latin diacritics are removed (NFKD, combining marks
    dropped: ŏ → o, ŭ → u, é → e; Hangul syllables are recomposed), the result is casefolded,
    and everything that is not a letter or digit is dropped: spaces, hyphens, apostrophes,
    dots, slashes, brackets and middle dots. Documenters write "Hamgyong-bukto",
    "Hamgyong bukto" and "Hamgyongbukto", or "공개처형" and "공개 처형", for the same thing, so the
    key keeps no separators at all. A text made only of symbols ("~", "?") keeps its symbols
    (without spaces), so that such markers can still be terms or aliases.

    Parameters
    ----------
    text : str
        What was typed.

    Returns
    -------
    str
        The comparison key; empty only if ``text`` is empty or blank.

    Examples
    --------
    >>> term_key("Hamgyŏng-pukto")
    'hamgyongpukto'
    >>> term_key("N. Hamgyong")
    'nhamgyong'
    >>> term_key("공개 처형")
    '공개처형'
    """
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = unicodedata.normalize("NFC", stripped).casefold()
    key = "".join(ch for ch in folded if ch.isalnum() and ch not in _PUNCTUATION_LETTERS)
    if key:
        return key
    return "".join(folded.split())


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class Term:
    """One entry of a controlled vocabulary.

    Parameters
    ----------
    code : str
        Stable identifier, ``NAMESPACE.PATH`` (``VT.LIFE.EXEC_PUBLIC``); what the database stores.
    en : str
        English label.
    ko : str
        Korean label in standard (ROK) spelling.
    ko_nk : str or None
        Korean label in DPRK spelling (로동 for 노동, 량강도 for 양강도) where it differs.
    label_status : {"S", "T"}
        ``S`` if the Korean label appears in a cited Korean source, ``T`` if it is a translation
        that a Korean-speaking specialist still has to review (VOCABULARY.md conventions).
    status : {"active", "deprecated"}
        Deprecated terms still resolve, so that old records stay readable.
    parent : str or None
        Code of the broader term in the same vocabulary.
    aliases : tuple of str
        Other wordings that mean this term and no other: English variants, romanisations with
        and without diacritics, abbreviations (함북), other spellings (양강도).
    shared_aliases : tuple of str
        Names this term shares with other terms (the town "Kaechon" for two camps); typing one
        asks the documenter to choose.
    esf : Mapping[str, tuple of str]
        HURIDOCS ESF micro-thesaurus codes by list (``{"mt4": ("010101000000",)}``).
    coi : tuple of str
        UN Commission of Inquiry (2014) chapters (``COI.E``) the term falls under.
    scope_note : str or None
        When to use the term, and what it does not cover.
    attributes : Mapping[str, Any]
        Vocabulary-specific facts (a facility's camp number, type and province; a province's
        ISO 3166-2 code). Values are scalars or tuples of scalars.
    """

    code: str
    en: str
    ko: str
    ko_nk: str | None = None
    label_status: str = "T"
    status: str = "active"
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    shared_aliases: tuple[str, ...] = ()
    esf: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    coi: tuple[str, ...] = ()
    scope_note: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # Frozen all the way down, so that a term shared through the load cache cannot be
        # changed by one caller under another.
        object.__setattr__(self, "aliases", tuple(self.aliases))
        object.__setattr__(self, "shared_aliases", tuple(self.shared_aliases))
        object.__setattr__(self, "coi", tuple(self.coi))
        esf = {str(k): tuple(v) for k, v in dict(self.esf).items()}
        object.__setattr__(self, "esf", MappingProxyType(esf))
        attributes = {str(k): _freeze(v) for k, v in dict(self.attributes).items()}
        object.__setattr__(self, "attributes", MappingProxyType(attributes))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Mapping proxies cannot be pickled; rebuild from plain values instead.
        values = tuple(_thaw(getattr(self, f.name)) for f in dataclasses.fields(self))
        return (type(self), values)

    def __str__(self) -> str:
        return f"{self.en} ({self.code})"

    @property
    def is_active(self) -> bool:
        """Whether the term may be chosen for new records."""
        return self.status == "active"

    def label(self, lang: Literal["en", "ko", "ko_nk"] = "en") -> str:
        """The label in ``lang``; ``"ko_nk"`` falls back to ``ko`` where the spellings agree.

        Parameters
        ----------
        lang : {"en", "ko", "ko_nk"}
            Language (and, for Korean, spelling convention).

        Returns
        -------
        str
        """
        if lang == "en":
            return self.en
        if lang == "ko":
            return self.ko
        if lang == "ko_nk":
            return self.ko_nk or self.ko
        raise ValueError(f"unknown label language {lang!r}; use 'en', 'ko' or 'ko_nk'")

    def names(self) -> list[tuple[str, str]]:
        """Every text that identifies this term alone, as ``(kind, text)`` pairs.

        Returns
        -------
        list of tuple of (str, str)
            The code, the labels and the aliases, e.g. ``("alias", "함북")``.
        """
        pairs = [("code", self.code), ("English label", self.en), ("Korean label", self.ko)]
        if self.ko_nk:
            pairs.append(("DPRK label", self.ko_nk))
        pairs.extend(("alias", a) for a in self.aliases)
        return pairs


class Vocabulary:
    """A named list of terms with lookups by code and by what documenters type.

    Parameters
    ----------
    name : str
        Vocabulary name, lower case with underscores (``"violation_types"``).
    description : str
        What the vocabulary is for and how its codes are built.
    terms : iterable of Term
        The terms, in display order.
    source : str
        Where the terms come from (document and section, standard, commit).

    Raises
    ------
    ValidationError
        If the vocabulary breaks a rule; ``problems`` lists every broken rule: duplicate codes,
        two terms reachable by the same text, a parent that does not exist or a cycle of
        parents, a missing label, a malformed code, ESF or COI mapping.
    """

    def __init__(self, name: str, description: str, terms: Iterable[Term], source: str) -> None:
        self.name = name
        self.description = description
        self.source = source
        self.terms: tuple[Term, ...] = tuple(terms)
        problems = _check_header(name, description, source) + _check_terms(self.terms)
        self._by_code: dict[str, Term] = {}
        self._unique: dict[str, Term] = {}
        self._shared: dict[str, list[Term]] = {}
        problems += self._index()
        if problems:
            raise ValidationError(f"vocabulary {name!r} is invalid", problems)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Vocabulary:
        """Build a vocabulary from the mapping a vocabulary YAML file holds.

        Parameters
        ----------
        data : Mapping
            ``name``, ``description``, ``source`` and ``terms``; each term a mapping with the
            fields of :class:`Term` (``code``, ``en``, ``ko`` and ``label_status`` required).

        Returns
        -------
        Vocabulary

        Raises
        ------
        ValidationError
            Listing every problem of the mapping and of the terms it describes.
        """
        if not isinstance(data, Mapping):
            raise ValidationError(
                f"a vocabulary must be a mapping with {', '.join(_TOP_FIELDS)}; "
                f"got {type(data).__name__}"
            )
        name = data.get("name")
        label = repr(name) if isinstance(name, str) else "without a name"
        problems = [
            f"unknown field {key!r} (allowed: {', '.join(_TOP_FIELDS)})"
            for key in data
            if key not in _TOP_FIELDS
        ]
        for key in ("name", "description", "source"):
            if not isinstance(data.get(key), str):
                problems.append(f"{key!r} must be text; got {data.get(key)!r}")
        raw_terms = data.get("terms")
        terms: list[Term] = []
        if not isinstance(raw_terms, list) or not raw_terms:
            problems.append("'terms' must be a non-empty list of terms")
        else:
            for position, raw in enumerate(raw_terms, start=1):
                term = _parse_term(raw, position, problems)
                if term is not None:
                    terms.append(term)
        if problems:
            # Structural problems first; the rules about codes and aliases are checked too, so
            # that one run reports everything that needs fixing.
            try:
                cls(str(name), str(data.get("description")), terms, str(data.get("source")))
            except ValidationError as err:
                problems += [p for p in err.problems if p not in problems]
            raise ValidationError(f"vocabulary {label} is invalid", problems)
        return cls(name, data["description"], terms, data["source"])

    def _index(self) -> list[str]:
        problems: list[str] = []
        owners: dict[str, tuple[Term, str, str]] = {}
        for term in self.terms:
            self._by_code.setdefault(term.code, term)
            for kind, text in term.names():
                if not isinstance(text, str):
                    continue  # reported by _check_terms
                key = term_key(text)
                if not key:
                    problems.append(f"{term.code}: {kind} {text!r} is blank")
                    continue
                seen = owners.get(key)
                if seen is None:
                    owners[key] = (term, kind, text)
                    self._unique[key] = term
                elif seen[0].code != term.code:
                    other, other_kind, other_text = seen
                    problems.append(
                        f"{kind} {text!r} of {term.code} and {other_kind} {other_text!r} of "
                        f"{other.code} both read as {key!r}; a text must identify one term "
                        "(list a name several terms share under shared_aliases)"
                    )
        for term in self.terms:
            for text in dict.fromkeys(term.shared_aliases):
                if not isinstance(text, str):
                    problems.append(f"{term.code}: shared alias {text!r} is not text")
                    continue
                key = term_key(text)
                if not key:
                    problems.append(f"{term.code}: shared alias {text!r} is blank")
                elif key in owners:
                    other, other_kind, other_text = owners[key]
                    problems.append(
                        f"shared alias {text!r} of {term.code} reads like {other_kind} "
                        f"{other_text!r} of {other.code} ({key!r}); a text is either one "
                        "term's name or shared, not both"
                    )
                else:
                    candidates = self._shared.setdefault(key, [])
                    if term not in candidates:
                        candidates.append(term)
        return problems

    # -- access ---------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, item: object) -> bool:
        """Whether ``item`` is a code (exact spelling) or a term of this vocabulary."""
        if isinstance(item, Term):
            return self._by_code.get(item.code) == item
        if isinstance(item, str):
            return item in self._by_code
        return False

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}, {len(self.terms)} terms)"

    @property
    def codes(self) -> list[str]:
        """The codes, in display order."""
        return [t.code for t in self.terms]

    def get(self, code: str) -> Term:
        """The term with exactly this code.

        Parameters
        ----------
        code : str
            A code as stored (``"KP.NH"``).

        Returns
        -------
        Term

        Raises
        ------
        UnknownTermError
            If no term has this code; ``suggestions`` lists close matches.
        """
        term = self._by_code.get(code)
        if term is None:
            raise UnknownTermError(self.name, code, self.suggest(code))
        return term

    def lookup(self, text: str) -> Term:
        """The term that ``text`` names: a code, a label, a DPRK spelling or an alias.

        Texts are compared by :func:`term_key`, so case, diacritics, spaces, hyphens, dots and
        apostrophes do not matter.

        Parameters
        ----------
        text : str
            What the documenter typed.

        Returns
        -------
        Term

        Raises
        ------
        UnknownTermError
            If no term matches; ``suggestions`` holds up to three close terms as
            ``"English label (CODE)"``.
        ValidationError
            If ``text`` is a name several terms share; ``problems`` lists the candidates.
        """
        if not isinstance(text, str):
            raise TypeError(f"lookup takes text, not {type(text).__name__}")
        key = term_key(text)
        term = self._unique.get(key)
        if term is not None:
            return term
        candidates = self._shared.get(key)
        if candidates:
            raise ValidationError(
                f"{text!r} is ambiguous in {self.name}: it may mean any of "
                f"{len(candidates)} terms; enter the code or a label of the one meant",
                [str(t) for t in candidates],
            )
        raise UnknownTermError(self.name, text, self.suggest(text))

    def suggest(self, text: str, n: int = MAX_SUGGESTIONS) -> list[str]:
        """Terms whose names are close to ``text``, best first, as ``"English label (CODE)"``.

        Parameters
        ----------
        text : str
            What was typed.
        n : int
            At most this many suggestions, one per term.

        Returns
        -------
        list of str
        """
        key = term_key(text)
        if not key:
            return []
        best: dict[str, tuple[float, int]] = {}
        order = {t.code: i for i, t in enumerate(self.terms)}
        matcher = difflib.SequenceMatcher(b=key, autojunk=False)
        keyed = [(k, [t]) for k, t in self._unique.items()] + list(self._shared.items())
        for candidate_key, terms in keyed:
            matcher.set_seq1(candidate_key)
            if matcher.real_quick_ratio() < SUGGESTION_CUTOFF:
                continue
            if matcher.quick_ratio() < SUGGESTION_CUTOFF:
                continue
            ratio = matcher.ratio()
            if ratio < SUGGESTION_CUTOFF:
                continue
            for term in terms:
                if ratio > best.get(term.code, (0.0, 0))[0]:
                    best[term.code] = (ratio, order[term.code])
        ranked = sorted(best, key=lambda code: (-best[code][0], best[code][1]))
        return [str(self._by_code[code]) for code in ranked[:n]]

    def children(self, code: str) -> list[Term]:
        """The terms whose parent is ``code``, in display order.

        Raises
        ------
        UnknownTermError
            If ``code`` is not a code of this vocabulary.
        """
        self.get(code)
        return [t for t in self.terms if t.parent == code]

    def labels(self, lang: Literal["en", "ko", "ko_nk"] = "en") -> dict[str, str]:
        """Code → label in ``lang``, in display order (for pick lists and report legends)."""
        return {t.code: t.label(lang) for t in self.terms}


def _check_header(name: Any, description: Any, source: Any) -> list[str]:
    problems = []
    if not isinstance(name, str) or not _NAME_RE.match(name):
        problems.append(f"name {name!r} must be lower-case letters, digits and underscores")
    if not isinstance(description, str) or not description.strip():
        problems.append("description is empty")
    if not isinstance(source, str) or not source.strip():
        problems.append("source is empty; cite where the terms come from")
    return problems


def _check_terms(terms: tuple[Term, ...]) -> list[str]:
    problems: list[str] = []
    if not terms:
        problems.append("the vocabulary has no terms")
    counts: dict[str, int] = {}
    for term in terms:
        counts[term.code] = counts.get(term.code, 0) + 1
    problems += [f"duplicate code {c!r} ({n} terms)" for c, n in counts.items() if n > 1]
    codes = set(counts)
    for term in terms:
        where = term.code
        if not isinstance(term.code, str) or not _CODE_RE.match(term.code):
            problems.append(
                f"code {term.code!r} must be upper-case dotted segments (e.g. 'VT.LIFE.EXEC')"
            )
        for lang in ("en", "ko"):
            value = getattr(term, lang)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: no {lang!r} label")
        if term.label_status not in LABEL_STATUSES:
            problems.append(f"{where}: label_status {term.label_status!r} is not 'S' or 'T'")
        if term.status not in TERM_STATUSES:
            problems.append(f"{where}: status {term.status!r} is not 'active' or 'deprecated'")
        if term.parent is not None and term.parent not in codes:
            problems.append(f"{where}: parent {term.parent!r} is not a code of this vocabulary")
        for list_name, values in term.esf.items():
            if not _ESF_LIST_RE.match(list_name):
                problems.append(f"{where}: ESF list {list_name!r} is not like 'mt4'")
            for value in values:
                if not isinstance(value, str) or not _ESF_CODE_RE.match(value):
                    problems.append(
                        f"{where}: ESF {list_name} code {value!r} must be digits given as "
                        "text (quote it in YAML so that leading zeros survive)"
                    )
        for value in term.coi:
            if not isinstance(value, str) or not _COI_RE.match(value):
                problems.append(f"{where}: COI chapter {value!r} is not like 'COI.E'")
    problems += _check_cycles(terms)
    return problems


def _check_cycles(terms: tuple[Term, ...]) -> list[str]:
    parents = {t.code: t.parent for t in terms}
    problems = []
    reported: set[str] = set()
    for code in parents:
        path = [code]
        current = parents.get(code)
        while current is not None and current in parents and current not in path:
            path.append(current)
            current = parents.get(current)
        if current is not None and current in path:
            cycle = path[path.index(current) :]
            if not reported.intersection(cycle):
                reported.update(cycle)
                problems.append(f"parents form a cycle: {' → '.join([*cycle, current])}")
    return problems


def _text_list(raw: Any, field_name: str, where: str, problems: list[str]) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{where}: {field_name} must be a list; got {raw!r}")
        return []
    texts = []
    for value in raw:
        if isinstance(value, str):
            texts.append(value)
        else:
            problems.append(
                f"{where}: {field_name} entry {value!r} is not text but "
                f"{type(value).__name__}; quote it in YAML"
            )
    return texts


def _parse_term(raw: Any, position: int, problems: list[str]) -> Term | None:
    if not isinstance(raw, Mapping):
        problems.append(f"term {position}: must be a mapping; got {raw!r}")
        return None
    code = raw.get("code")
    where = code if isinstance(code, str) and code else f"term {position}"
    before = len(problems)
    unknown = [key for key in raw if key not in _TERM_FIELDS]
    if unknown:
        problems.append(
            f"{where}: unknown field(s) {', '.join(map(repr, unknown))} "
            f"(allowed: {', '.join(_TERM_FIELDS)})"
        )
    for key in ("code", "en", "ko", "label_status"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problems.append(f"{where}: {key!r} is missing or not text")
    for key in ("ko_nk", "status", "parent", "scope_note"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            problems.append(f"{where}: {key!r} must be text; got {raw[key]!r}")
    aliases = _text_list(raw.get("aliases"), "aliases", where, problems)
    shared = _text_list(raw.get("shared_aliases"), "shared_aliases", where, problems)
    coi = _text_list(raw.get("coi"), "coi", where, problems)
    esf: dict[str, list[str]] = {}
    raw_esf = raw.get("esf") or {}
    if not isinstance(raw_esf, Mapping):
        problems.append(f"{where}: esf must map ESF lists to code lists; got {raw_esf!r}")
    else:
        for list_name, codes in raw_esf.items():
            esf[str(list_name)] = _text_list(codes, f"esf {list_name}", where, problems)
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, Mapping):
        problems.append(f"{where}: attributes must be a mapping; got {attributes!r}")
        attributes = {}
    for key, value in attributes.items():
        values = value if isinstance(value, list) else [value]
        if not all(v is None or isinstance(v, str | int | float) for v in values):
            problems.append(
                f"{where}: attribute {key!r} must be text, a number or a list of them; got "
                f"{value!r} (quote dates in YAML)"
            )
    if len(problems) > before:
        return None
    return Term(
        code=raw["code"],
        en=raw["en"],
        ko=raw["ko"],
        ko_nk=raw.get("ko_nk"),
        label_status=raw["label_status"],
        status=raw.get("status") or "active",
        parent=raw.get("parent"),
        aliases=tuple(aliases),
        shared_aliases=tuple(shared),
        esf=esf,
        coi=tuple(coi),
        scope_note=raw.get("scope_note"),
        attributes=attributes,
    )


def _directory() -> Any:
    return resources.files(_PACKAGE).joinpath(_DIRECTORY)


def vocabulary_names() -> list[str]:
    """Names of the vocabularies shipped with reckon, sorted.

    Returns
    -------
    list of str
    """
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in _directory().iterdir()
        if entry.name.endswith(".yaml")
    )


@functools.cache
def load_vocabulary(name: str) -> Vocabulary:
    """Load and validate a vocabulary shipped with reckon (cached: each file is read once).

    Parameters
    ----------
    name : str
        One of :func:`vocabulary_names` (``"provinces"``, ``"violation_types"``...).

    Returns
    -------
    Vocabulary

    Raises
    ------
    ValidationError
        If there is no such vocabulary, or its file is not valid YAML or breaks a rule.
    """
    names = vocabulary_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=MAX_SUGGESTIONS)
        hint = f"did you mean {', '.join(map(repr, close))}? " if close else ""
        raise ValidationError(
            f"there is no vocabulary named {name!r}; {hint}the vocabularies are: "
            + ", ".join(names)
        )
    file_name = f"{name}.yaml"
    text = _directory().joinpath(file_name).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ValidationError(f"vocabulary file {file_name} is not valid YAML: {err}") from err
    if isinstance(data, Mapping) and data.get("name") != name:
        raise ValidationError(
            f"vocabulary file {file_name} names itself {data.get('name')!r}; "
            f"the name must match the file name ({name!r})"
        )
    try:
        return Vocabulary.from_mapping(data)
    except ValidationError as err:
        raise ValidationError(f"vocabulary file {file_name} is invalid", err.problems) from err
