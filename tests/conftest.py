"""Fixtures shared by every test: the databases (SQLite and a real PostgreSQL server)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from reckon.store import Store
from reckon.store.local_postgres import LocalPostgres

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LocalPostgres | str]:
    """A PostgreSQL server on loopback for the whole run.

    ``RECKON_TEST_POSTGRES_URL`` (an admin URL) uses an existing server instead of starting one.
    """
    if os.environ.get("RECKON_TEST_POSTGRES_URL"):
        yield os.environ["RECKON_TEST_POSTGRES_URL"]
        return
    server = LocalPostgres().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each backend: every SQL-touching test runs on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reckon.db'}"
    server = request.getfixturevalue("postgres_server")
    if isinstance(server, str):
        import uuid

        import sqlalchemy as sa

        name = "t_" + uuid.uuid4().hex[:12]
        engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return server.rsplit("/", 1)[0] + "/" + name
    return server.create_database()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with Store(database_url) as opened:
        yield opened
