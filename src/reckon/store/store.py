"""The one door to the database: every read and write of records goes through :class:`Store`.

SQLite is the embedded default; PostgreSQL is used when the URL says so. Backend differences
stay in this module and in the Alembic migrations; callers see plain model objects and
:class:`~reckon.errors.StorageError`, never a raw driver traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from reckon.errors import MissingDependencyError, StorageError
from reckon.records import model
from reckon.store import records
from reckon.store.models import Act, ImportBatch, Person, Place, Source
from reckon.store.project import Project, redact_url


class Store:
    """A reckon database, migrated to the current schema on opening.

    Parameters
    ----------
    url : str
        SQLAlchemy URL: ``sqlite:///path/reckon.db`` or ``postgresql+psycopg://...``.
    migrate : bool
        Bring the schema up to date on opening (default). With ``False`` a database whose
        schema is behind raises :class:`StorageError`.
    keyring : reckon.security.crypto.KeyRing, optional
        The unlocked project keys. An embedded database is then opened with SQLCipher
        (AES-256 pages, journal and WAL; temporary tables kept in memory) under a key derived
        from the vault key.
    """

    def __init__(self, url: str, *, migrate: bool = True, keyring: Any = None) -> None:
        self.url = url
        self.keyring = keyring
        self.engine = _create_engine(url, keyring)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate:
            self.migrate()
        else:
            self.check_schema()

    @classmethod
    def for_project(cls, project: Project, *, passphrase: str | None = None,
                    **kwargs: Any) -> Store:  # fmt: skip
        """The project's store, unlocked with ``passphrase`` (default: asked for)."""
        if project.encrypted and "keyring" not in kwargs:
            kwargs["keyring"] = project.unlock(passphrase)
        return cls(project.database_url, **kwargs)

    @property
    def encrypted_at_rest(self) -> bool:
        """Whether the database file is encrypted (SQLCipher)."""
        return self.keyring is not None and self.backend == "sqlite"

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def __repr__(self) -> str:
        return f"Store({redact_url(self.url)!r})"

    # -- schema ---------------------------------------------------------------------------------

    def _alembic_config(self, connection: sa.Connection) -> Any:
        from alembic.config import Config

        config = Config()
        config.set_main_option(
            "script_location", str(resources.files("reckon.store") / "migrations")
        )
        config.attributes["connection"] = connection
        return config

    def migrate(self) -> None:
        """Upgrade the schema to the newest migration (creating it in an empty database)."""
        from alembic import command

        try:
            with self.engine.begin() as connection:
                command.upgrade(self._alembic_config(connection), "head")
        except SQLAlchemyError as err:
            raise StorageError(
                f"cannot prepare the database at {redact_url(self.url)}: {_reason(err)}"
            ) from err

    def schema_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def check_schema(self) -> None:
        from alembic.script import ScriptDirectory

        with self.engine.connect() as connection:
            head = ScriptDirectory.from_config(self._alembic_config(connection)).get_current_head()
        current = self.schema_revision()
        if current != head:
            raise StorageError(
                f"the database at {redact_url(self.url)} has schema {current or 'none'}, "
                f"this reckon needs {head}; open it once with migration enabled to upgrade"
            )

    # -- sessions -------------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as err:
            session.rollback()
            raise StorageError(f"database error: {_reason(err)}") from err
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sources --------------------------------------------------------------------------------

    def source(self, session: Session, name: str, *, create: bool = False) -> Source | None:
        """The source called ``name``; created when missing and ``create`` is true."""
        found = session.scalars(sa.select(Source).where(Source.name == name)).one_or_none()
        if found is None and create:
            found = Source(name=name)
            session.add(found)
            session.flush()
        return found

    def sources(self) -> list[model.Source]:
        with self.session() as session:
            return [
                model.Source(name=s.name, description=s.description, id=s.id)
                for s in session.scalars(sa.select(Source).order_by(Source.name))
            ]

    def source_names(self) -> list[str]:
        with self.session() as session:
            return list(session.scalars(sa.select(Source.name).order_by(Source.name)))

    # -- records, one at a time (see reckon.store.records) ---------------------------------------

    def add_person(self, source: str, person: model.Person) -> int:
        """Record one person (names, acts, involvements) for ``source``; returns their id."""
        with self.session() as session:
            return records.save_person(
                session, self.source(session, source, create=True).id, person
            )

    def get_person(self, person_id: int) -> model.Person:
        with self.session() as session:
            return records.load_person(session, person_id)

    def persons(self, source: str | None = None) -> list[model.Person]:
        """Every person (of one source, if given), in the order they were recorded."""
        with self.session() as session:
            query = sa.select(Person.id).order_by(Person.id)
            if source is not None:
                query = query.join(Source).where(Source.name == source)
            return [records.load_person(session, pid) for pid in session.scalars(query)]

    def new_witness(self) -> model.Witness:
        """A new witness, known only by a fresh random code."""
        with self.session() as session:
            return records.new_witness(session)

    def add_testimony(self, testimony: model.Testimony) -> int:
        with self.session() as session:
            source = self.source(session, testimony.source, create=True)
            return records.save_testimony(session, source.id, testimony)

    def get_testimony(self, testimony_id: int) -> model.Testimony:
        with self.session() as session:
            return records.load_testimony(session, testimony_id)

    def add_event(self, event: model.Event) -> int:
        with self.session() as session:
            source = self.source(session, event.source, create=True)
            return records.save_event(session, source.id, event)

    # -- bulk writes ----------------------------------------------------------------------------

    def allocate_ids(self, session: Session, table: sa.Table, count: int) -> list[int]:
        """Reserve ``count`` primary keys of ``table`` for a bulk insert with explicit ids.

        Bulk inserts that need their new ids back would otherwise need RETURNING with row
        order preserved, which costs far more than the insert itself. On PostgreSQL the ids
        come from the table's sequence (safe with concurrent writers); on SQLite from the
        current maximum, which is safe because the session already holds the write lock.
        """
        if count <= 0:
            return []
        if self.backend == "postgresql":
            sequence = sa.func.pg_get_serial_sequence(table.name, "id")
            return list(
                session.scalars(
                    sa.select(sa.func.nextval(sequence)).select_from(
                        sa.func.generate_series(1, count)
                    )
                )
            )
        # Take SQLite's write lock (a write statement does, even one that changes no row)
        # before reading the maximum, so that no other writer can take the same ids.
        session.execute(sa.text("UPDATE sources SET id = id WHERE 0"))
        start = session.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))) + 1
        return list(range(start, start + count))

    # -- summaries ------------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """Counts by source, violation type and event year: what ``reckon status`` shows."""
        with self.session() as session:
            persons = dict(
                session.execute(
                    sa.select(Source.name, sa.func.count(Person.id))
                    .join(Person, Person.source_id == Source.id, isouter=True)
                    .group_by(Source.name)
                    .order_by(Source.name)
                ).all()
            )
            acts = dict(
                session.execute(
                    sa.select(Source.name, sa.func.count(Act.id))
                    .join(Act, Act.source_id == Source.id, isouter=True)
                    .group_by(Source.name)
                ).all()
            )
            by_violation = dict(
                session.execute(
                    sa.select(Act.violation, sa.func.count(Act.id))
                    .group_by(Act.violation)
                    .order_by(sa.func.count(Act.id).desc(), Act.violation)
                ).all()
            )
            year = _year_expression(self.backend, Act.date_earliest)
            same_year = _year_expression(self.backend, Act.date_latest) == year
            by_year = dict(
                session.execute(
                    sa.select(year, sa.func.count(Act.id))
                    .where(Act.date_earliest.is_not(None), same_year)
                    .group_by(year)
                    .order_by(year)
                ).all()
            )
            imprecise = session.scalar(
                sa.select(sa.func.count(Act.id)).where(
                    sa.or_(Act.date_earliest.is_(None), sa.not_(same_year))
                )
            )
            imports = session.scalar(sa.select(sa.func.count(ImportBatch.id)))
            places = session.scalar(sa.select(sa.func.count(Place.id)))
        return {
            "database": redact_url(self.url),
            "backend": self.backend,
            "imports": imports,
            "places": places,
            "sources": [
                {"source": name, "persons": count, "acts": acts.get(name, 0)}
                for name, count in persons.items()
            ],
            "by_violation": [
                {"violation": code or "(none)", "acts": n} for code, n in by_violation.items()
            ],
            "by_year": [{"year": int(y), "acts": n} for y, n in by_year.items()],
            "acts_without_single_year": imprecise,
        }


def _year_expression(backend: str, column: Any) -> Any:
    if backend == "sqlite":
        return sa.cast(sa.func.strftime("%Y", column), sa.Integer)
    return sa.cast(sa.extract("year", column), sa.Integer)


def _create_engine(url: str, keyring: Any = None) -> Engine:
    try:
        if keyring is not None and url.startswith("sqlite"):
            engine = _sqlcipher_engine(url, keyring.derived_key("sqlcipher"))
        else:
            engine = sa.create_engine(url)
    except ModuleNotFoundError as err:
        raise MissingDependencyError(
            f"the database driver for {redact_url(url)} is not installed ({err.name}); "
            "install reckon with the 'postgres' extra: pip install 'reckon[postgres]'"
        ) from err
    except SQLAlchemyError as err:
        raise StorageError(f"cannot use database URL {redact_url(url)}: {err}") from err
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlcipher_engine(url: str, key: bytes) -> Engine:
    try:
        from sqlcipher3 import dbapi2
    except ModuleNotFoundError as err:
        raise MissingDependencyError(
            "encrypted projects need SQLCipher: pip install sqlcipher3-binary"
        ) from err
    path = sa.engine.make_url(url).database or ":memory:"

    def connect() -> Any:
        connection = dbapi2.connect(path, check_same_thread=False)
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        connection.execute("PRAGMA cipher_memory_security = ON")
        connection.execute("PRAGMA temp_store = MEMORY")
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except dbapi2.DatabaseError as err:
            connection.close()
            raise StorageError(
                f"{path} does not open with this project's key: it is not this project's "
                "database, or it is damaged"
            ) from err
        return connection

    return sa.create_engine("sqlite://", module=dbapi2, creator=connect)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _reason(err: SQLAlchemyError) -> str:
    """The driver's own words, without SQLAlchemy's boilerplate and SQL echo."""
    original = getattr(err, "orig", None)
    text = str(original if original is not None else err)
    return text.strip().splitlines()[0] if text.strip() else type(err).__name__
