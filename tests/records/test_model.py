from __future__ import annotations

import pytest

from reckon.errors import ValidationError
from reckon.records.model import (
    Act,
    Involvement,
    Name,
    Person,
    PlaceRef,
    Testimony,
    Witness,
    term_code,
)
from reckon.records.partial_dates import parse_partial_date


def test_name_script_is_detected() -> None:
    assert Name("리철호").script == "hangul"
    assert Name("Ri Chol Ho", romanization="dprk").script == "latin"
    assert Name("李哲浩").script == "hanja"


def test_typed_terms_become_codes() -> None:
    assert term_code("provinces", "Hamgyŏng-pukto") == "KP.NH"
    assert term_code("violation_types", "공개처형") == "VT.LIFE.EXEC_PUBLIC"


def test_every_problem_of_a_person_is_reported_with_suggestions() -> None:
    with pytest.raises(ValidationError) as caught:
        Person(names=(Name("A"), Name("B")), sex="male", counting_unit="individuals")
    message = str(caught.value)
    assert "sex 'male'" in message and "did you mean M" in message
    assert "counting unit" in message and "at most one primary name" in message


def test_unknown_codes_in_acts_and_places_are_refused() -> None:
    with pytest.raises(ValidationError, match=r"VT\.LIFE\.EXEC_PUBLIC"):
        Act(violation="Public execution")
    with pytest.raises(ValidationError, match="province"):
        PlaceRef(province="Atlantis")
    with pytest.raises(ValidationError, match="institution or a perpetrator"):
        Involvement()
    with pytest.raises(ValidationError, match="outside 0 to 120"):
        Act(violation="VT.OTHER", age_at_event=240)


def test_act_before_birth_is_refused() -> None:
    with pytest.raises(ValidationError, match="before the birth"):
        Person(
            birth=parse_partial_date("1990"),
            acts=(Act("VT.OTHER", date=parse_partial_date("1985")),),
        )


def test_witness_codes_are_random_and_unambiguous() -> None:
    codes = {Witness.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert code.startswith("W-") and len(code) == 11
        assert not set(code[2:].replace("-", "")) & set("01ILOU")


def test_testimony_checks_file_hash() -> None:
    with pytest.raises(ValidationError, match="64 lower-case"):
        Testimony(source="S", file_sha256="abc")
