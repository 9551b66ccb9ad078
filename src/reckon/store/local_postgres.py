"""A throwaway PostgreSQL server on loopback, for tests, benchmarks and trying the team setup.

It runs Debian's PostgreSQL binaries (``apt-get install postgresql``) in a temporary folder on
a free port, listening on 127.0.0.1 only, and removes everything on :meth:`stop`. When the
process runs as root (as CI does), the server runs as the ``postgres`` system user, because
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from reckon.errors import MissingDependencyError, StorageError


def find_postgres_bin() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``."""
    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    candidates = [shutil.which("initdb"), *installed]
    for found in candidates:
        if found and Path(found).exists():
            return Path(os.path.realpath(found)).parent
    raise MissingDependencyError(
        "PostgreSQL server programs (initdb, pg_ctl) were not found; install them with "
        "`apt-get install postgresql` (the Makefile's test target does this)"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalPostgres:
    """Start with :meth:`start`, make databases with :meth:`create_database`, then :meth:`stop`."""

    def __init__(self) -> None:
        self.bin = find_postgres_bin()
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="reckon-pg-"))
        self.data = self.root / "data"
        self.user = "reckon"
        self._as_root = os.geteuid() == 0
        self._started = False

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise StorageError(
                f"{Path(args[0]).name} failed ({result.returncode}): "
                f"{(result.stderr or result.stdout).strip()[-2000:]}"
            )
        return result

    def start(self) -> LocalPostgres:
        if self._as_root:
            shutil.chown(self.root, user="postgres", group="postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        self._started = True
        return self

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database and return its URL."""
        import sqlalchemy as sa

        name = name or "t_" + uuid.uuid4().hex[:12]
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            for attempt in range(20):
                try:
                    with engine.connect() as connection:
                        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
                    break
                except sa.exc.OperationalError:
                    if attempt == 19:
                        raise
                    time.sleep(0.25)
        finally:
            engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        if self._started:
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")
            finally:
                self._started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> LocalPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
