"""Tests for the controlled vocabularies shipped as package data and their lookups."""

from __future__ import annotations

import copy
import pickle
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reckon.errors import UnknownTermError, ValidationError
from reckon.records import vocabulary as vocabulary_module
from reckon.records.vocabulary import Term, Vocabulary, load_vocabulary, term_key, vocabulary_names

EXPECTED_NAMES = [
    "coi_categories",
    "counting_units",
    "crimes_against_humanity",
    "date_precision",
    "date_qualifiers",
    "degrees_of_involvement",
    "facilities",
    "facility_types",
    "perpetrator_institutions",
    "provinces",
    "sex",
    "victim_characteristics",
    "violation_types",
]

ALL_TERMS = [(name, term) for name in EXPECTED_NAMES for term in load_vocabulary(name)]


def _term_id(item: tuple[str, Term]) -> str:
    return f"{item[0]}:{item[1].code}"


def _mapping(**overrides: Any) -> dict[str, Any]:
    """A small valid vocabulary as a YAML file would hold it; tests break one rule at a time."""
    data: dict[str, Any] = {
        "name": "test_terms",
        "description": "A vocabulary built by the tests.",
        "source": "tests/records/test_vocabulary.py",
        "terms": [
            {"code": "T.A", "en": "Alpha", "ko": "알파", "label_status": "T", "aliases": ["a1"]},
            {"code": "T.B", "en": "Beta", "ko": "베타", "label_status": "S", "parent": "T.A"},
            {"code": "T.C", "en": "Gamma", "ko": "감마", "label_status": "T"},
        ],
    }
    data.update(overrides)
    return data


# -- loading -----------------------------------------------------------------------------------


def test_vocabulary_names_lists_every_shipped_vocabulary() -> None:
    assert vocabulary_names() == EXPECTED_NAMES


@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_every_vocabulary_loads_and_validates(name: str) -> None:
    vocabulary = load_vocabulary(name)
    assert vocabulary.name == name
    assert vocabulary.description.strip()
    assert vocabulary.source.strip()
    assert len(vocabulary) > 0
    assert len(set(vocabulary.codes)) == len(vocabulary)
    # Rebuilding from the same terms must pass the same validation again.
    rebuilt = Vocabulary(name, vocabulary.description, list(vocabulary), vocabulary.source)
    assert rebuilt.codes == vocabulary.codes


def test_load_vocabulary_is_cached() -> None:
    assert load_vocabulary("provinces") is load_vocabulary("provinces")


def test_unknown_vocabulary_name_lists_the_vocabularies() -> None:
    with pytest.raises(ValidationError) as info:
        load_vocabulary("province")
    message = str(info.value)
    assert "'provinces'" in message
    assert "violation_types" in message


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("violation_types", 40),  # every row of VOCABULARY.md §C.1
        ("perpetrator_institutions", 20),  # §C.2
        ("facility_types", 14),  # §C.3, with DF.OTHER / DF.UNKNOWN as two terms
        ("date_precision", 9),  # §C.4, with DP.BEFORE / DP.AFTER as two terms
        ("date_qualifiers", 4),
        ("victim_characteristics", 14),  # §C.5
        ("provinces", 13),  # the 12 units of §C.6 and Kaesong
        ("degrees_of_involvement", 23),  # mt18 has 23 terms (§A.3), all listed in §A.4
        ("counting_units", 6),  # mt7
        ("crimes_against_humanity", 12),  # §B
        ("coi_categories", 7),  # §B chapters A–F and CAH
        ("sex", 3),
    ],
)
def test_vocabulary_has_every_term_of_the_docs(name: str, count: int) -> None:
    assert len(load_vocabulary(name)) == count


# -- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("item", ALL_TERMS, ids=_term_id)
def test_each_term_round_trips_by_code_and_labels(item: tuple[str, Term]) -> None:
    name, term = item
    vocabulary = load_vocabulary(name)
    assert vocabulary.get(term.code) is term
    assert vocabulary.lookup(term.code) is term
    assert vocabulary.lookup(term.en) is term
    assert vocabulary.lookup(term.ko) is term
    if term.ko_nk:
        assert vocabulary.lookup(term.ko_nk) is term
    assert term.code in vocabulary
    assert term in vocabulary


@pytest.mark.parametrize("item", ALL_TERMS, ids=_term_id)
def test_each_alias_resolves_to_its_term(item: tuple[str, Term]) -> None:
    name, term = item
    vocabulary = load_vocabulary(name)
    for alias in term.aliases:
        assert vocabulary.lookup(alias) is term, alias
        assert vocabulary.lookup(f"  {alias.upper()} ") is term, alias


@pytest.mark.parametrize("item", ALL_TERMS, ids=_term_id)
def test_each_shared_alias_names_every_term_that_shares_it(item: tuple[str, Term]) -> None:
    name, term = item
    vocabulary = load_vocabulary(name)
    for alias in term.shared_aliases:
        sharing = [t for t in vocabulary if term_key(alias) in map(term_key, t.shared_aliases)]
        assert len(sharing) >= 2, f"{alias!r} is shared by {term.code} alone; make it an alias"
        with pytest.raises(ValidationError) as info:
            vocabulary.lookup(alias)
        assert not isinstance(info.value, UnknownTermError)
        assert sorted(info.value.problems) == sorted(str(t) for t in sharing)


@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        ("provinces", "함북", "KP.NH"),
        ("provinces", "Hamgyŏng-pukto", "KP.NH"),
        ("provinces", "north hamgyong", "KP.NH"),
        ("provinces", "North Hamgyong", "KP.NH"),
        ("provinces", "Hamgyong-bukto", "KP.NH"),
        ("provinces", "N. Hamgyong", "KP.NH"),
        ("provinces", "Hamgyongbuk-do", "KP.NH"),
        ("provinces", "HAMGYONG BUKTO", "KP.NH"),
        ("provinces", "Hamgyŏngbuk-do", "KP.NH"),  # listed only without diacritics
        ("provinces", "P'yŏnganbuk-do", "KP.NP"),
        ("provinces", "KP-09", "KP.NH"),
        ("provinces", "kp.nh", "KP.NH"),
        ("provinces", "양강도", "KP.RG"),
        ("provinces", "량강도", "KP.RG"),
        ("provinces", "평양직할시", "KP.PY"),
        ("provinces", "라선특별시", "KP.RS"),
        ("provinces", "남포특별시", "KP.NM"),
        ("provinces", "함남", "KP.SH"),
        ("facilities", "Yodok", "FAC.KWANLISO.15"),
        ("facilities", "Yodŏk", "FAC.KWANLISO.15"),
        ("facilities", "요덕", "FAC.KWANLISO.15"),
        ("facilities", "camp 14", "FAC.KWANLISO.14"),
        ("facilities", "Camp No.22", "FAC.KWANLISO.22"),
        ("facilities", "22호 교화소", "FAC.KYOHWASO.22"),
        ("facilities", "전거리", "FAC.KYOHWASO.12"),
        ("facility_types", "kwanliso", "DF.KWANLISO"),
        ("facility_types", "관리소", "DF.KWANLISO"),
        ("facility_types", "정치범 수용소", "DF.KWANLISO"),
        ("facility_types", "로동단련대", "DF.RODONG_DANRYONDAE"),
        ("facility_types", "노동단련대", "DF.RODONG_DANRYONDAE"),
        ("facility_types", "ku-ryu-jang", "DF.GURYUJANG"),
        ("violation_types", "public execution", "VT.LIFE.EXEC_PUBLIC"),
        ("violation_types", "공개처형", "VT.LIFE.EXEC_PUBLIC"),
        ("violation_types", "공개 처형", "VT.LIFE.EXEC_PUBLIC"),
        ("violation_types", "Public-Execution", "VT.LIFE.EXEC_PUBLIC"),
        ("violation_types", "불법구금", "VT.LIB.DETENTION"),
        ("violation_types", "강제북송", "VT.MOV.REFOULEMENT"),
        ("perpetrator_institutions", "보위부", "PI.MSS"),
        ("perpetrator_institutions", "인민보안성", "PI.MSOC"),
        ("perpetrator_institutions", "조선로동당", "PI.WPK"),
        ("perpetrator_institutions", "조선노동당", "PI.WPK"),
        ("sex", "F", "F"),
        ("sex", "f", "F"),
        ("sex", "여", "F"),
        ("sex", "여자", "F"),
        ("sex", "female", "F"),
        ("sex", "남성", "M"),
        ("sex", "m", "M"),
        ("sex", "모름", "X"),
        ("date_qualifiers", "~", "DQ.APPROX"),
        ("date_qualifiers", "?", "DQ.UNCERTAIN"),
        ("date_qualifiers", "무렵", "DQ.APPROX"),
        ("degrees_of_involvement", "0102", "DI.0102"),
        ("counting_units", "individual", "CU.INDIVIDUAL"),
        ("coi_categories", "E", "COI.E"),
    ],
)
def test_lookup_accepts_what_documenters_type(name: str, text: str, code: str) -> None:
    assert load_vocabulary(name).lookup(text).code == code


def test_lookup_accepts_decomposed_hangul_and_fullwidth_latin() -> None:
    vocabulary = load_vocabulary("violation_types")
    decomposed = unicodedata.normalize("NFD", "공개처형")
    assert decomposed != "공개처형"
    assert vocabulary.lookup(decomposed).code == "VT.LIFE.EXEC_PUBLIC"
    assert load_vocabulary("facilities").lookup("Ｙｏｄｏｋ").code == "FAC.KWANLISO.15"


def test_lookup_refuses_a_name_several_provinces_share() -> None:
    with pytest.raises(ValidationError) as info:
        load_vocabulary("provinces").lookup("함경도")
    assert info.value.problems == ["South Hamgyong (KP.SH)", "North Hamgyong (KP.NH)"]
    assert "ambiguous" in str(info.value)


def test_lookup_refuses_a_town_with_several_facilities() -> None:
    with pytest.raises(ValidationError) as info:
        load_vocabulary("facilities").lookup("Kaech'ŏn")
    assert "Kwanliso No. 14 (Kaechon) (FAC.KWANLISO.14)" in info.value.problems
    assert "Kwanliso No. 17 (Kaechon) (FAC.KWANLISO.17)" in info.value.problems


def test_lookup_takes_text_only() -> None:
    with pytest.raises(TypeError):
        load_vocabulary("sex").lookup(1)  # type: ignore[arg-type]


# -- unknown terms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "typo", "intended"),
    [
        ("violation_types", "pubic execution", "Public execution (VT.LIFE.EXEC_PUBLIC)"),
        ("provinces", "Hamgyong-buk", "North Hamgyong (KP.NH)"),
        ("facilities", "Yodock", "Kwanliso No. 15 (Yodok) (FAC.KWANLISO.15)"),
        ("facility_types", "kwanlisso", "Political prison camp (DF.KWANLISO)"),
        ("sex", "femal", "Female (F)"),
    ],
)
def test_unknown_term_suggests_the_intended_term(name: str, typo: str, intended: str) -> None:
    with pytest.raises(UnknownTermError) as info:
        load_vocabulary(name).lookup(typo)
    error = info.value
    assert error.vocabulary == name
    assert error.term == typo
    assert error.suggestions[0] == intended
    assert len(error.suggestions) <= 3
    assert len(set(error.suggestions)) == len(error.suggestions)
    assert intended in str(error)


def test_unknown_term_without_close_match_has_no_suggestions() -> None:
    with pytest.raises(UnknownTermError) as info:
        load_vocabulary("violation_types").lookup("qqqqqqqq")
    assert info.value.suggestions == []
    with pytest.raises(UnknownTermError) as blank:
        load_vocabulary("violation_types").lookup("   ")
    assert blank.value.suggestions == []


def test_get_takes_exact_codes_and_suggests_close_ones() -> None:
    provinces = load_vocabulary("provinces")
    assert provinces.get("KP.NH").en == "North Hamgyong"
    with pytest.raises(UnknownTermError) as info:
        provinces.get("kp.nh")
    assert info.value.suggestions[0] == "North Hamgyong (KP.NH)"
    assert "kp.nh" not in provinces
    assert load_vocabulary("sex").get("F") not in provinces


# -- structure ---------------------------------------------------------------------------------


def test_children_follow_parent_codes() -> None:
    facility_types = load_vocabulary("facility_types")
    assert [t.code for t in facility_types.children("DF.KWANLISO")] == [
        "DF.KWANLISO.TOTAL",
        "DF.KWANLISO.REVO",
    ]
    assert facility_types.children("DF.KYOHWASO") == []
    degrees = load_vocabulary("degrees_of_involvement")
    assert [t.code for t in degrees.children("DI.01")] == [f"DI.010{i}" for i in range(1, 7)]
    assert [t.code for t in load_vocabulary("perpetrator_institutions").children("PI.MSOC")] == [
        "PI.MSOC.CORR",
        "PI.MSOC.LOCAL",
    ]
    with pytest.raises(UnknownTermError):
        facility_types.children("DF.NOPE")


def test_labels_give_each_language_in_display_order() -> None:
    assert load_vocabulary("sex").labels("ko") == {"M": "남성", "F": "여성", "X": "미상"}
    assert load_vocabulary("sex").labels() == {"M": "Male", "F": "Female", "X": "Unknown"}
    provinces = load_vocabulary("provinces").labels("ko_nk")
    assert provinces["KP.RG"] == "량강도"
    assert provinces["KP.NH"] == "함경북도"
    assert next(iter(provinces)) == "KP.PY"
    with pytest.raises(ValueError):
        load_vocabulary("sex").get("M").label("fr")  # type: ignore[arg-type]


def test_label_status_follows_the_source_marks() -> None:
    violations = load_vocabulary("violation_types")
    assert violations.get("VT.LIFE.EXEC_PUBLIC").label_status == "S"
    assert violations.get("VT.LIB.ARREST").label_status == "T"
    assert load_vocabulary("perpetrator_institutions").get("PI.MSOC").label_status == "S"
    assert load_vocabulary("perpetrator_institutions").get("PI.MSS").label_status == "T"
    assert {t.label_status for t in load_vocabulary("crimes_against_humanity")} == {"T"}


def test_violation_types_map_to_esf_and_coi_chapters() -> None:
    chapters = load_vocabulary("coi_categories")
    for term in load_vocabulary("violation_types"):
        assert term.esf.get("mt4") or term.esf.get("mt2"), term.code
        for chapter in term.coi:
            assert chapter in chapters, (term.code, chapter)
    public = load_vocabulary("violation_types").get("VT.LIFE.EXEC_PUBLIC")
    assert public.esf == {"mt4": ("010101000000",), "mt5": ("0101",)}
    assert public.coi == ("COI.E",)
    fair_trial = load_vocabulary("violation_types").get("VT.DET.FAIR_TRIAL")
    assert fair_trial.esf["mt4"] == ("350114000000", "350109000000")
    for term in load_vocabulary("crimes_against_humanity"):
        assert term.coi == ("COI.CAH",)


def test_esf_codes_keep_their_leading_zeros() -> None:
    for name in ("degrees_of_involvement", "counting_units", "date_precision"):
        for term in load_vocabulary(name):
            for codes in term.esf.values():
                assert all(code.isdigit() and code.startswith(("0", "9")) for code in codes)
    assert load_vocabulary("degrees_of_involvement").get("DI.0101").esf == {"mt18": ("0101",)}


def test_provinces_carry_distinct_iso_codes() -> None:
    provinces = load_vocabulary("provinces")
    iso = [t.attributes.get("iso_3166_2") for t in provinces if t.code != "KP.KS"]
    assert len(iso) == 12
    assert len(set(iso)) == 12
    assert provinces.get("KP.NH").attributes["iso_3166_2"] == "KP-09"
    assert "iso_3166_2" not in provinces.get("KP.KS").attributes
    assert "validity" in (provinces.get("KP.KS").scope_note or "")


def test_facilities_refer_to_existing_codes_of_other_vocabularies() -> None:
    references = {
        "facility_type": load_vocabulary("facility_types"),
        "zones": load_vocabulary("facility_types"),
        "province": load_vocabulary("provinces"),
        "administered_by": load_vocabulary("perpetrator_institutions"),
    }
    for term in load_vocabulary("facilities"):
        assert term.attributes.get("facility_type"), term.code
        for attribute, target in references.items():
            value = term.attributes.get(attribute)
            codes = value if isinstance(value, tuple) else (value,)
            for code in codes:
                assert code is None or code in target, (term.code, attribute, code)
    for term in load_vocabulary("facility_types"):
        for code in term.attributes.get("administered_by", ()):
            assert code in references["administered_by"], (term.code, code)


def test_known_camps_carry_number_type_and_province() -> None:
    facilities = load_vocabulary("facilities")
    camps = {
        t.attributes["camp_number"]: t
        for t in facilities
        if t.attributes["facility_type"] == "DF.KWANLISO" and t.attributes["camp_number"]
    }
    assert sorted(camps) == [14, 15, 16, 17, 18, 22, 25]
    assert camps[15].attributes["province"] == "KP.SH"
    assert camps[22].attributes["province"] == "KP.NH"
    assert camps[17].attributes["administered_by"] == ("PI.MSOC",)
    assert any("closed May 2012" in note for note in camps[22].attributes["status_notes"])


# -- terms -------------------------------------------------------------------------------------


def test_terms_are_immutable_hashable_and_picklable() -> None:
    term = load_vocabulary("facilities").get("FAC.KWANLISO.22")
    with pytest.raises(AttributeError):
        term.code = "X"  # type: ignore[misc]
    with pytest.raises(TypeError):
        term.attributes["camp_number"] = 23  # type: ignore[index]
    with pytest.raises(TypeError):
        term.esf["mt4"] = ("1",)  # type: ignore[index]
    assert {term, term} == {term}
    copied = pickle.loads(pickle.dumps(term))
    assert copied == term
    assert copied.attributes["status_notes"] == term.attributes["status_notes"]
    assert str(term) == "Kwanliso No. 22 (Hoeryong) (FAC.KWANLISO.22)"


def test_term_key_normalises_what_people_type() -> None:
    assert term_key("Hamgyŏng-pukto") == "hamgyongpukto"
    assert term_key("Kaech'ŏn") == term_key("Kaechʼŏn") == "kaechon"
    assert term_key("  N.  Hamgyong ") == "nhamgyong"
    assert term_key("Café") == "cafe"
    assert term_key("공개 처형") == "공개처형"
    assert term_key("도ㆍ시ㆍ군 보위부") == term_key("도·시·군 보위부") == "도시군보위부"
    assert term_key(" ~ ") == "~"
    assert term_key("") == ""


# -- broken vocabularies -----------------------------------------------------------------------


def test_from_mapping_builds_a_valid_vocabulary() -> None:
    vocabulary = Vocabulary.from_mapping(_mapping())
    assert vocabulary.codes == ["T.A", "T.B", "T.C"]
    assert vocabulary.lookup("A1").code == "T.A"
    assert [t.code for t in vocabulary.children("T.A")] == ["T.B"]
    assert repr(vocabulary) == "Vocabulary('test_terms', 3 terms)"


def test_duplicate_code_fails_validation_naming_it() -> None:
    data = _mapping()
    data["terms"][2]["code"] = "T.A"
    with pytest.raises(ValidationError) as info:
        Vocabulary.from_mapping(data)
    assert any("duplicate code 'T.A'" in p for p in info.value.problems)
    assert "'T.A'" in str(info.value)


def test_alias_shared_by_two_terms_fails_validation_naming_both() -> None:
    data = _mapping()
    data["terms"][2]["aliases"] = ["A-1"]
    with pytest.raises(ValidationError) as info:
        Vocabulary.from_mapping(data)
    message = str(info.value)
    assert "'A-1'" in message
    assert "'a1'" in message
    assert "T.A" in message
    assert "T.C" in message


def test_label_equal_to_another_terms_alias_fails_validation() -> None:
    data = _mapping()
    data["terms"][1]["ko"] = "알 파"
    with pytest.raises(ValidationError) as info:
        Vocabulary.from_mapping(data)
    assert "'알 파' of T.B" in str(info.value)


def test_shared_alias_that_is_also_a_name_fails_validation() -> None:
    data = _mapping()
    data["terms"][1]["shared_aliases"] = ["gamma"]
    data["terms"][2]["shared_aliases"] = ["gamma"]
    with pytest.raises(ValidationError) as info:
        Vocabulary.from_mapping(data)
    assert "shared alias 'gamma' of T.B" in str(info.value)


def test_broken_vocabulary_reports_every_problem_at_once() -> None:
    data = _mapping()
    data["terms"][0]["aliases"] = ["a1", 7]
    data["terms"][1]["parent"] = "T.Z"
    del data["terms"][2]["ko"]
    data["terms"].append({"code": "t.lower", "en": "Delta", "ko": "델타", "label_status": "X"})
    with pytest.raises(ValidationError) as info:
        Vocabulary.from_mapping(data)
    problems = "\n".join(info.value.problems)
    assert "aliases entry 7 is not text but int" in problems
    assert "parent 'T.Z'" in problems
    assert "T.C: 'ko' is missing" in problems
    assert "code 't.lower'" in problems
    assert "label_status 'X'" in problems


def test_parent_cycle_fails_validation() -> None:
    data = _mapping()
    data["terms"][0]["parent"] = "T.B"
    with pytest.raises(ValidationError) as info:
        Vocabulary.from_mapping(data)
    assert any("cycle" in p and "T.A" in p and "T.B" in p for p in info.value.problems)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"esf": {"mt4": [10101]}}, "esf mt4 entry 10101 is not text but int"),
        ({"esf": {"list4": ["01"]}}, "ESF list 'list4'"),
        ({"coi": ["E"]}, "COI chapter 'E'"),
        ({"status": "retired"}, "status 'retired'"),
        ({"colour": "red"}, "unknown field(s) 'colour'"),
        ({"attributes": {"opened": [{"year": 1990}]}}, "attribute 'opened'"),
        ({"aliases": [" "]}, "alias ' ' is blank"),
    ],
)
def test_malformed_term_fields_fail_validation(change: dict[str, Any], expected: str) -> None:
    data = _mapping()
    data["terms"][2].update(change)
    with pytest.raises(ValidationError) as info:
        Vocabulary.from_mapping(data)
    assert expected in str(info.value)


def test_malformed_vocabulary_header_fails_validation() -> None:
    with pytest.raises(ValidationError) as info:
        Vocabulary.from_mapping(_mapping(name="Bad Name", source="", terms=[], extra=1))
    problems = "\n".join(info.value.problems)
    assert "name 'Bad Name'" in problems
    assert "source is empty" in problems
    assert "'terms' must be a non-empty list" in problems
    assert "unknown field 'extra'" in problems
    with pytest.raises(ValidationError):
        Vocabulary.from_mapping(["not", "a", "mapping"])  # type: ignore[arg-type]


def test_vocabulary_built_from_terms_checks_them_too() -> None:
    terms = [Term("T.A", "Alpha", "알파"), Term("T.B", "Beta", None, parent="T.A")]  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        Vocabulary("test_terms", "Built from terms.", terms, "tests")
    assert info.value.problems == ["T.B: no 'ko' label"]
    assert Vocabulary("test_terms", "Built from terms.", terms[:1], "tests").get("T.A")


def test_deprecated_terms_still_resolve() -> None:
    data = _mapping()
    data["terms"][2]["status"] = "deprecated"
    vocabulary = Vocabulary.from_mapping(data)
    assert not vocabulary.lookup("Gamma").is_active
    assert vocabulary.lookup("Alpha").is_active


def test_from_mapping_does_not_change_its_input() -> None:
    data = _mapping()
    before = copy.deepcopy(data)
    Vocabulary.from_mapping(data)
    assert data == before


# -- files -------------------------------------------------------------------------------------


@pytest.fixture
def vocabulary_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty vocabulary directory that load_vocabulary reads instead of the package data."""
    monkeypatch.setattr(vocabulary_module, "_directory", lambda: tmp_path)
    load_vocabulary.cache_clear()
    yield tmp_path
    load_vocabulary.cache_clear()


def test_load_vocabulary_reads_a_yaml_file(vocabulary_dir: Path) -> None:
    (vocabulary_dir / "colours.yaml").write_text(
        "name: colours\ndescription: Colours.\nsource: tests\nterms:\n"
        "  - {code: C.RED, en: Red, ko: 빨강, label_status: T, aliases: ['01']}\n",
        encoding="utf-8",
    )
    assert vocabulary_names() == ["colours"]
    assert load_vocabulary("colours").lookup("01").code == "C.RED"


def test_load_vocabulary_rejects_a_file_whose_name_differs(vocabulary_dir: Path) -> None:
    (vocabulary_dir / "colours.yaml").write_text(
        "name: colors\ndescription: Colours.\nsource: tests\nterms:\n"
        "  - {code: C.RED, en: Red, ko: 빨강, label_status: T}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="names itself 'colors'"):
        load_vocabulary("colours")


def test_load_vocabulary_reports_unquoted_numbers_and_bad_yaml(vocabulary_dir: Path) -> None:
    (vocabulary_dir / "numbers.yaml").write_text(
        "name: numbers\ndescription: Numbers.\nsource: tests\nterms:\n"
        "  - {code: N.ONE, en: One, ko: 하나, label_status: T, aliases: [01]}\n",
        encoding="utf-8",
    )
    (vocabulary_dir / "broken.yaml").write_text("name: [broken\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_vocabulary("numbers")
    assert "numbers.yaml" in str(info.value)
    assert "quote it in YAML" in str(info.value)
    with pytest.raises(ValidationError, match=r"broken\.yaml is not valid YAML"):
        load_vocabulary("broken")
