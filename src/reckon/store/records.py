"""Save and load :mod:`reckon.records.model` objects: the library's way to record by hand.

Ingest stores whole files in bulk (``reckon.ingest``); these functions store one person, one
testimony or one event at a time, as an intake form or a script does. Both write the same
tables.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from reckon.errors import ValidationError
from reckon.records import model
from reckon.records.partial_dates import PartialDate
from reckon.store import models as orm
from reckon.store.places import PlaceResolver, describe_place

MAX_WITNESS_CODE_TRIES = 20


def date_columns(date: PartialDate | None, prefix: str = "date_") -> dict[str, object]:
    """A partial date as the four columns it is stored in (``date_earliest``, ...)."""
    return {
        f"{prefix}earliest": date.earliest if date else None,
        f"{prefix}latest": date.latest if date else None,
        f"{prefix}precision": date.precision if date else None,
        f"{prefix}original": date.original if date else None,
    }


def _date_from(
    earliest: Any, latest: Any, precision: str | None, original: str | None
) -> PartialDate | None:
    if precision is None:
        return None
    return PartialDate(
        earliest=earliest, latest=latest, precision=precision, original=original or ""
    )


def _place_id(places: PlaceResolver, ref: model.PlaceRef | None) -> int | None:
    if ref is None or ref.is_empty():
        return None
    if ref.facility is not None and ref.province is None and ref.county is None:
        return places.facility(ref.facility)
    return places.origin(ref.province, ref.county)


def _place_ref(session: Session, place_id: int | None) -> model.PlaceRef | None:
    if place_id is None:
        return None
    province, county, facility = describe_place(session, place_id)
    return model.PlaceRef(province=province, county=county, facility=facility)


def save_person(session: Session, source_id: int, person: model.Person) -> int:
    """Insert a person with names, acts and involvements; returns the new person id."""
    places = PlaceResolver(session)
    row = orm.Person(
        source_id=source_id,
        source_record_id=person.record_id,
        sex=person.sex,
        counting_unit=person.counting_unit,
        notes=person.notes,
        **date_columns(person.birth, "birth_"),
        origin_place_id=_place_id(places, person.origin),
    )
    primary_given = any(n.primary for n in person.names)
    for index, name in enumerate(person.names):
        row.names.append(
            orm.PersonName(
                name=name.text,
                script=name.script,
                romanization=name.romanization,
                is_primary=name.primary if primary_given else index == 0,
            )
        )
    session.add(row)
    session.flush()
    for act in person.acts:
        act_row = orm.Act(
            source_id=source_id,
            victim_id=row.id,
            event_id=act.event_id,
            violation=act.violation,
            age_at_event=act.age_at_event,
            place_id=places.origin(act.place.province, act.place.county) if act.place else None,
            facility_id=places.facility(act.place.facility) if act.place else None,
            facility_type=act.facility_type,
            method=act.method,
            notes=act.notes,
            **date_columns(act.date),
        )
        session.add(act_row)
        session.flush()
        for involvement in act.involvements:
            session.add(
                orm.Involvement(
                    act_id=act_row.id,
                    institution=involvement.institution,
                    perpetrator_id=involvement.perpetrator_id,
                    degree=involvement.degree,
                )
            )
    return row.id


def load_person(session: Session, person_id: int) -> model.Person:
    row = session.get(orm.Person, person_id)
    if row is None:
        raise ValidationError(f"there is no person with id {person_id}")
    acts = []
    for act in row.acts:
        province, county, _ = describe_place(session, act.place_id)
        facility = describe_place(session, act.facility_id)[2]
        place = (
            model.PlaceRef(province=province, county=county, facility=facility)
            if (province, county, facility) != (None, None, None)
            else None
        )
        acts.append(
            model.Act(
                violation=act.violation,
                age_at_event=act.age_at_event,
                place=place,
                facility_type=act.facility_type,
                method=act.method,
                notes=act.notes,
                event_id=act.event_id,
                date=_date_from(
                    act.date_earliest, act.date_latest, act.date_precision, act.date_original
                ),
                involvements=tuple(
                    model.Involvement(
                        institution=i.institution, perpetrator_id=i.perpetrator_id, degree=i.degree
                    )
                    for i in act.involvements
                ),
            )
        )
    return model.Person(
        names=tuple(model.Name(n.name, n.script, n.romanization, n.is_primary) for n in row.names),
        sex=row.sex,
        record_id=row.source_record_id,
        counting_unit=row.counting_unit,
        notes=row.notes,
        origin=_place_ref(session, row.origin_place_id),
        birth=_date_from(
            row.birth_earliest, row.birth_latest, row.birth_precision, row.birth_original
        ),
        acts=tuple(acts),
        source=row.source.name,
        id=row.id,
    )


def new_witness(session: Session) -> model.Witness:
    """A witness with a fresh random code that no other witness has."""
    for _ in range(MAX_WITNESS_CODE_TRIES):
        code = model.Witness.new_code()
        taken = session.scalar(sa.select(orm.Witness.id).where(orm.Witness.code == code))
        if taken is None:
            row = orm.Witness(code=code)
            session.add(row)
            session.flush()
            return model.Witness(code=code, id=row.id)
    raise ValidationError("could not draw an unused witness code; try again")  # pragma: no cover


def save_testimony(session: Session, source_id: int, testimony: model.Testimony) -> int:
    witness_id = None
    if testimony.witness_code is not None:
        witness_id = session.scalar(
            sa.select(orm.Witness.id).where(orm.Witness.code == testimony.witness_code)
        )
        if witness_id is None:
            raise ValidationError(
                f"there is no witness with code {testimony.witness_code!r}; create one first "
                "(Store.new_witness)"
            )
    row = orm.Testimony(
        source_id=source_id,
        witness_id=witness_id,
        language=testimony.language,
        interviewer=testimony.interviewer,
        text=testimony.text,
        file_sha256=testimony.file_sha256,
        **date_columns(testimony.date),
    )
    session.add(row)
    session.flush()
    return row.id


def load_testimony(session: Session, testimony_id: int) -> model.Testimony:
    row = session.get(orm.Testimony, testimony_id)
    if row is None:
        raise ValidationError(f"there is no testimony with id {testimony_id}")
    witness = session.get(orm.Witness, row.witness_id) if row.witness_id else None
    source = session.get(orm.Source, row.source_id)
    return model.Testimony(
        source=source.name,
        witness_code=witness.code if witness else None,
        date=_date_from(row.date_earliest, row.date_latest, row.date_precision, row.date_original),
        language=row.language,
        interviewer=row.interviewer,
        text=row.text,
        file_sha256=row.file_sha256,
        id=row.id,
    )


def save_event(session: Session, source_id: int, event: model.Event) -> int:
    row = orm.Event(
        source_id=source_id,
        title=event.title,
        description=event.description,
        place_id=_place_id(PlaceResolver(session), event.place),
        **date_columns(event.date),
    )
    session.add(row)
    session.flush()
    return row.id
