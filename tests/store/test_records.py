"""Recording one person, testimony or event at a time, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from reckon.errors import ValidationError
from reckon.records.model import Act, Event, Involvement, Name, Person, PlaceRef, Testimony
from reckon.records.partial_dates import parse_partial_date
from reckon.store import Store


def make_person() -> Person:
    return Person(
        names=(Name("리철호"), Name("Ri Chol Ho", romanization="dprk", primary=False)),
        sex="M",
        birth=parse_partial_date("1962년경"),
        origin=PlaceRef(province="KP.NH", county="회령시"),
        record_id="T-1",
        acts=(
            Act(
                "VT.LIB.DETENTION",
                date=parse_partial_date("spring 1997"),
                age_at_event=35,
                place=PlaceRef(province="KP.NH", facility="FAC.KWANLISO.16"),
                facility_type="DF.KWANLISO",
                involvements=(Involvement(institution="PI.MSS", degree="DI.0101"),),
            ),
            Act("VT.INTEG.TORTURE", date=parse_partial_date("1997-03")),
        ),
    )


def test_person_round_trips_with_acts_places_and_involvements(store: Store) -> None:
    person = make_person()
    person_id = store.add_person("TJWG", person)
    loaded = store.get_person(person_id)
    assert loaded.id == person_id and loaded.source == "TJWG"
    assert loaded.names == person.names
    assert loaded.birth.earliest == person.birth.earliest
    assert loaded.birth.original == "1962년경"
    assert loaded.origin == person.origin
    assert loaded.acts[0].place == person.acts[0].place
    assert loaded.acts[0].involvements == person.acts[0].involvements
    assert loaded.acts[1].date.latest == person.acts[1].date.latest
    assert [p.id for p in store.persons("TJWG")] == [person_id]
    assert store.persons("other") == []
    assert [s.name for s in store.sources()] == ["TJWG"]


def test_places_are_shared_not_duplicated(store: Store) -> None:
    store.add_person("A", make_person())
    store.add_person("B", make_person())
    assert store.status()["places"] == 3  # province, county, facility


def test_testimony_with_witness_code(store: Store) -> None:
    witness = store.new_witness()
    other = store.new_witness()
    assert witness.code != other.code
    testimony_id = store.add_testimony(
        Testimony(
            source="NKDB",
            witness_code=witness.code,
            date=parse_partial_date("2019년 5월"),
            language="ko",
            interviewer="Interviewer 3",
            text="증언 내용",
            file_sha256="a" * 64,
        )
    )
    loaded = store.get_testimony(testimony_id)
    assert loaded.witness_code == witness.code and loaded.text == "증언 내용"
    assert loaded.date.precision == "DP.MONTH"


def test_testimony_of_unknown_witness_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="no witness with code"):
        store.add_testimony(Testimony(source="S", witness_code="W-XXXX-XXXX"))


def test_event_and_act_linked(store: Store) -> None:
    event_id = store.add_event(
        Event(
            source="S",
            title="Public execution in Hoeryong",
            date=parse_partial_date("1997"),
            place=PlaceRef(province="KP.NH", county="회령시"),
        )
    )
    person_id = store.add_person("S", Person(acts=(Act("VT.LIFE.EXEC_PUBLIC", event_id=event_id),)))
    assert store.get_person(person_id).acts[0].event_id == event_id


def test_missing_person_is_a_clear_error(store: Store) -> None:
    with pytest.raises(ValidationError, match="no person with id 999"):
        store.get_person(999)
