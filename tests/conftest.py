"""Fixtures shared by every test: the databases (SQLite and a real PostgreSQL server)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from reckon.store import Store
from reckon.store.local_postgres import LocalPostgres

DATA = Path(__file__).parent / "data"


class ExistingPostgres:
    """A server someone else runs, reached by an admin URL; databases are made per test."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url

    def create_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.admin_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LocalPostgres | ExistingPostgres]:
    """A PostgreSQL server on loopback for the whole run.

    ``RECKON_TEST_POSTGRES_URL`` (an admin URL) uses an existing server instead of starting one.
    """
    if os.environ.get("RECKON_TEST_POSTGRES_URL"):
        yield ExistingPostgres(os.environ["RECKON_TEST_POSTGRES_URL"])
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
    return request.getfixturevalue("postgres_server").create_database()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with Store(database_url) as opened:
        yield opened


#: The passphrase tests give their projects through the environment (the scripts' way).
TEST_PASSPHRASE = "test passphrase, not secret"


@pytest.fixture(autouse=True)
def _project_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECKON_PASSPHRASE", TEST_PASSPHRASE)
