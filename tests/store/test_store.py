from __future__ import annotations

import pytest
import sqlalchemy as sa

from reckon.errors import StorageError, ValidationError
from reckon.store import Project, Store, identifying_columns
from reckon.store.models import Act, Person, PersonName


def test_new_database_is_migrated_to_head(store: Store) -> None:
    assert store.schema_revision() == "0002"
    store.check_schema()


def test_opening_twice_migrates_nothing_and_keeps_data(database_url: str) -> None:
    with Store(database_url) as first, first.session() as session:
        source = first.source(session, "NKDB", create=True)
        session.add(Person(source_id=source.id, sex="F"))
    with Store(database_url) as second, second.session() as session:
        assert session.scalar(sa.select(sa.func.count(Person.id))) == 1


def test_person_with_names_and_act_round_trips(store: Store) -> None:
    with store.session() as session:
        source = store.source(session, "TJWG", create=True)
        person = Person(source_id=source.id, source_record_id="A-1", sex="M")
        person.names.append(PersonName(name="리철호", script="hangul"))
        person.names.append(
            PersonName(name="Ri Chol Ho", script="latin", romanization="dprk", is_primary=False)
        )
        session.add(person)
        session.flush()
        session.add(Act(source_id=source.id, victim_id=person.id, violation="VT.LIB.DETENTION"))
    with store.session() as session:
        stored = session.scalars(sa.select(Person)).one()
        assert [n.name for n in stored.names] == ["리철호", "Ri Chol Ho"]
        assert stored.acts[0].violation == "VT.LIB.DETENTION"


def test_status_counts_by_source_and_violation(store: Store) -> None:
    with store.session() as session:
        for name, n in [("A", 2), ("B", 1)]:
            source = store.source(session, name, create=True)
            for _ in range(n):
                person = Person(source_id=source.id)
                session.add(person)
                session.flush()
                session.add(Act(source_id=source.id, victim_id=person.id, violation="VT.OTHER"))
    status = store.status()
    assert status["sources"] == [
        {"source": "A", "persons": 2, "acts": 2},
        {"source": "B", "persons": 1, "acts": 1},
    ]
    assert status["by_violation"] == [{"violation": "VT.OTHER", "acts": 3}]
    assert status["acts_without_single_year"] == 3


def test_identifying_fields_are_marked() -> None:
    marked = set(identifying_columns())
    for expected in [
        ("person_names", "name"),
        ("persons", "birth_earliest"),
        ("persons", "birth_original"),
        ("testimonies", "text"),
        ("testimonies", "interviewer"),
        ("ingested_rows", "extra"),
    ]:
        assert expected in marked
    assert ("acts", "violation") not in marked
    assert ("persons", "sex") not in marked


def test_unreachable_database_is_a_storage_error_without_password() -> None:
    with pytest.raises(StorageError) as caught:
        Store("postgresql+psycopg://someone:s3cret@127.0.0.1:1/nowhere")
    assert "s3cret" not in str(caught.value)
    assert "127.0.0.1" in str(caught.value)


def test_project_init_writes_config_and_refuses_twice(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("RECKON_DATABASE_URL", raising=False)
    project = Project.init(tmp_path / "p")
    assert (tmp_path / "p" / "reckon.toml").is_file()
    assert project.database_url == f"sqlite:///{tmp_path / 'p' / 'reckon.db'}"
    with pytest.raises(ValidationError, match="already a reckon project"):
        Project.init(tmp_path / "p")


def test_project_database_url_from_environment(tmp_path, monkeypatch) -> None:
    Project.init(tmp_path / "p")
    monkeypatch.setenv("RECKON_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:5/x")
    assert Project.open(tmp_path / "p").database_url.startswith("postgresql+psycopg://")


def test_opening_a_folder_that_is_not_a_project_says_how_to_fix(tmp_path) -> None:
    with pytest.raises(ValidationError, match="reckon init"):
        Project.open(tmp_path)
