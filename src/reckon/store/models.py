"""The tables of a reckon project (SQLAlchemy 2.0 declarative models).

The model follows the HURIDOCS Events Standard Formats as VOCABULARY.md describes them: a
*Source* is one organisation's list or archive; a *Person* is a victim or perpetrator as one
source records them; an *Act* is one violation against one victim; an *Involvement* links a
perpetrator to an act; *Places* form the province → county → facility hierarchy.

Columns that can identify a person carry ``info={"identifying": True}``. Nothing else in the
package decides what is identifying: :func:`identifying_columns` reads these marks, so that
encryption, exports and reports all treat exactly the same fields as sensitive.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

IDENTIFYING: dict[str, Any] = {"identifying": True}

# Constraint names are spelled out so that Alembic migrations are the same on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Source(Base):
    """An organisation's list or archive: a "system" in multiple systems estimation."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    persons: Mapped[list[Person]] = relationship(back_populates="source")


class ImportBatch(Base):
    """One file taken into the store, with the accounting that proves no row was lost."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_format: Mapped[str] = mapped_column(String(10))
    encoding: Mapped[str | None] = mapped_column(String(20))
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_new: Mapped[int] = mapped_column(Integer, default=0)
    rows_already_stored: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    quarantine_file: Mapped[str | None] = mapped_column(String(500))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class IngestedRow(Base):
    """Provenance of every stored row: which file and row it came from, and its content hash.

    The content hash (per source) is what makes re-importing a file store nothing twice.
    """

    __tablename__ = "ingested_rows"
    __table_args__ = (UniqueConstraint("source_id", "row_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    row_hash: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    act_id: Mapped[int | None] = mapped_column(ForeignKey("acts.id"))
    # Columns of the file that map to no field are kept, not dropped; they may hold anything.
    extra: Mapped[dict[str, str] | None] = mapped_column(JSON, info=IDENTIFYING)


class Place(Base):
    """A place in the DPRK hierarchy: province → county → facility."""

    __tablename__ = "places"
    __table_args__ = (UniqueConstraint("kind", "name", "parent_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # province | county | facility
    code: Mapped[str | None] = mapped_column(String(40), index=True)  # vocabulary code if known
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))

    parent: Mapped[Place | None] = relationship(remote_side="Place.id")


class Witness(Base):
    """Who gave a testimony, known here only by a random pseudonymous code."""

    __tablename__ = "witnesses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Testimony(Base):
    """One interview or document."""

    __tablename__ = "testimonies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    witness_id: Mapped[int | None] = mapped_column(ForeignKey("witnesses.id"))
    date_earliest: Mapped[dt.date | None] = mapped_column(Date)
    date_latest: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(20))
    date_original: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(20))
    interviewer: Mapped[str | None] = mapped_column(String(200), info=IDENTIFYING)
    text: Mapped[str | None] = mapped_column(Text, info=IDENTIFYING)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Person(Base):
    """A victim or perpetrator as one source records them (linkage later groups them)."""

    __tablename__ = "persons"
    __table_args__ = (Index("ix_persons_source_record", "source_id", "source_record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    source_record_id: Mapped[str | None] = mapped_column(String(200))
    counting_unit: Mapped[str] = mapped_column(String(40), default="CU.INDIVIDUAL")
    sex: Mapped[str | None] = mapped_column(String(2))
    birth_earliest: Mapped[dt.date | None] = mapped_column(Date, info=IDENTIFYING)
    birth_latest: Mapped[dt.date | None] = mapped_column(Date, info=IDENTIFYING)
    birth_precision: Mapped[str | None] = mapped_column(String(20))
    birth_original: Mapped[str | None] = mapped_column(String(200), info=IDENTIFYING)
    origin_place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))
    notes: Mapped[str | None] = mapped_column(Text, info=IDENTIFYING)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    source: Mapped[Source] = relationship(back_populates="persons")
    names: Mapped[list[PersonName]] = relationship(
        back_populates="person", order_by="PersonName.id", cascade="all, delete-orphan"
    )
    acts: Mapped[list[Act]] = relationship(back_populates="victim", order_by="Act.id")
    origin: Mapped[Place | None] = relationship()


class PersonName(Base):
    """A name as written, with its script and romanization system when known."""

    __tablename__ = "person_names"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    name: Mapped[str] = mapped_column(String(400), info=IDENTIFYING)
    script: Mapped[str] = mapped_column(String(20))  # hangul | latin | hanja | mixed | other
    romanization: Mapped[str | None] = mapped_column(String(20))  # rr | mr | dprk | passport
    is_primary: Mapped[bool] = mapped_column(default=True)

    person: Mapped[Person] = relationship(back_populates="names")


class Event(Base):
    """Something that happened, possibly with many acts and victims."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    title: Mapped[str | None] = mapped_column(String(400))
    description: Mapped[str | None] = mapped_column(Text, info=IDENTIFYING)
    date_earliest: Mapped[dt.date | None] = mapped_column(Date)
    date_latest: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(20))
    date_original: Mapped[str | None] = mapped_column(String(200))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))


class Act(Base):
    """One violation against one victim."""

    __tablename__ = "acts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    victim_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    violation: Mapped[str | None] = mapped_column(String(60), index=True)  # VT code
    date_earliest: Mapped[dt.date | None] = mapped_column(Date)
    date_latest: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(20))
    date_original: Mapped[str | None] = mapped_column(String(200))
    age_at_event: Mapped[int | None] = mapped_column(Integer)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))
    facility_type: Mapped[str | None] = mapped_column(String(40))  # DF code
    method: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text, info=IDENTIFYING)

    victim: Mapped[Person] = relationship(back_populates="acts")
    place: Mapped[Place | None] = relationship(foreign_keys=[place_id])
    facility: Mapped[Place | None] = relationship(foreign_keys=[facility_id])
    involvements: Mapped[list[Involvement]] = relationship(back_populates="act")


class Involvement(Base):
    """A perpetrator (person or institution) involved in an act, with a degree."""

    __tablename__ = "involvements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("acts.id"), index=True)
    perpetrator_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    institution: Mapped[str | None] = mapped_column(String(60))  # PI code
    degree: Mapped[str | None] = mapped_column(String(20))  # ESF mt18 code

    act: Mapped[Act] = relationship(back_populates="involvements")


def identifying_columns() -> list[tuple[str, str]]:
    """Every (table, column) marked identifying, in a stable order."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.info.get("identifying"):
                found.append((table.name, column.name))
    return found


class LinkageDecision(Base):
    """A reviewer's decision that two records are (must-link) or are not (cannot-link) the
    same person. Rows are only added: the latest decision on a pair is the one in force, the
    earlier ones stay as its history."""

    __tablename__ = "linkage_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_l: Mapped[str] = mapped_column(String(200))
    record_id_l: Mapped[str] = mapped_column(String(200))
    source_r: Mapped[str] = mapped_column(String(200))
    record_id_r: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
