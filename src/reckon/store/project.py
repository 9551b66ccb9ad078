"""A reckon project: a folder with ``reckon.toml``, the database and the rejected rows.

The database is the embedded SQLite file ``reckon.db`` unless ``reckon.toml`` or the
``RECKON_DATABASE_URL`` environment variable (which wins) points at PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reckon.errors import StorageError, ValidationError

CONFIG_NAME = "reckon.toml"
#: The wrapped keys (no secret in them: see reckon.security.crypto).
KEYS_NAME = "keys.json"
DATABASE_ENV = "RECKON_DATABASE_URL"
DEFAULT_DATABASE = "reckon.db"


@dataclass(frozen=True)
class Project:
    """A project folder and its settings."""

    root: Path
    name: str
    database_url: str
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    @property
    def keys_path(self) -> Path:
        return self.root / KEYS_NAME

    @property
    def encrypted(self) -> bool:
        """Whether the project has keys (every project made by ``Project.init`` has)."""
        return self.keys_path.is_file()

    def unlock(self, passphrase: str | None = None) -> Any:
        """The project's :class:`~reckon.security.crypto.KeyRing`.

        The passphrase defaults to :func:`reckon.security.passphrase.get_passphrase`.

        Raises
        ------
        WrongPassphraseError
            If the passphrase does not open the keys.
        """
        from reckon.security.crypto import KeyRing
        from reckon.security.passphrase import get_passphrase

        header = self._key_header()
        return KeyRing.unlock(header, passphrase if passphrase is not None else get_passphrase())

    def _key_header(self) -> Any:
        from reckon.security.crypto import KeyHeader

        if not self.encrypted:
            raise StorageError(f"{self.root} has no keys ({KEYS_NAME} is missing)")
        return KeyHeader.from_json(self.keys_path.read_text(encoding="utf-8"))

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the vault key under a new passphrase; the data is not re-encrypted."""
        from reckon.security.crypto import KeyRing

        header = self._key_header()
        _write_private(self.keys_path, KeyRing.unlock(header, old).rewrap(header, new).to_json())

    @classmethod
    def init(
        cls,
        root: str | Path,
        *,
        name: str | None = None,
        environment: bool = True,
        passphrase: str | None = None,
    ) -> Project:
        """Create a project folder (or take an empty existing one) and its ``reckon.toml``.

        With ``environment=False`` the project ignores ``RECKON_DATABASE_URL`` and uses its own
        embedded database (the demo does this, so that it never writes into a real server).

        The project's keys are made here and wrapped by ``passphrase`` (default: asked for,
        or ``RECKON_PASSPHRASE``): the embedded database is encrypted from its first byte.
        """
        from reckon.security.crypto import KeyRing
        from reckon.security.passphrase import get_passphrase

        root = Path(root).resolve()
        config = root / CONFIG_NAME
        if config.exists():
            raise ValidationError(
                f"{root} is already a reckon project ({CONFIG_NAME} exists); "
                "use it as it is, or choose another folder"
            )
        if root.exists() and not root.is_dir():
            raise ValidationError(f"{root} exists and is not a folder; choose another path")
        if passphrase is None:
            passphrase = get_passphrase(new=True)
        _, header = KeyRing.create(passphrase)
        root.mkdir(parents=True, exist_ok=True)
        (root / "quarantine").mkdir(exist_ok=True)
        _write_private(root / KEYS_NAME, header.to_json())
        name = name or root.name
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        config.write_text(
            "# reckon project settings\n"
            f"name = {_toml_string(name)}\n"
            f"created = {_toml_string(created)}\n\n"
            "[database]\n"
            "# The embedded default. For a team server set a PostgreSQL URL here or in\n"
            f"# the {DATABASE_ENV} environment variable, e.g.\n"
            '# url = "postgresql+psycopg://reckon@db.example.org/reckon"\n'
            f"url = {_toml_string('sqlite:///' + DEFAULT_DATABASE)}\n",
            encoding="utf-8",
        )
        return cls.open(root, environment=environment)

    @classmethod
    def open(cls, root: str | Path, *, environment: bool = True) -> Project:
        """Read a project folder's settings (``RECKON_DATABASE_URL`` wins unless told not to)."""
        root = Path(root).resolve()
        config = root / CONFIG_NAME
        if not config.is_file():
            raise ValidationError(
                f"{root} is not a reckon project: {CONFIG_NAME} is missing. "
                f"Create one with `reckon init {root}` or pass --project DIR"
            )
        try:
            settings = tomllib.loads(config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ValidationError(f"{config} cannot be read: {err}; fix the file") from err
        url = os.environ.get(DATABASE_ENV) if environment else None
        url = url or settings.get("database", {}).get("url")
        url = resolve_database_url(url or "sqlite:///" + DEFAULT_DATABASE, root)
        return cls(
            root=root,
            name=str(settings.get("name", root.name)),
            database_url=url,
            settings=settings,
        )


def _write_private(path: Path, text: str) -> None:
    """Write a file readable by its owner only, replacing any old one atomically."""
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def resolve_database_url(url: str, root: Path) -> str:
    """Make a relative SQLite path relative to the project folder, not the working directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix):
        path = url[len(prefix) :]
        if path and path != ":memory:" and not Path(path).is_absolute():
            return prefix + str(root / path)
    elif not url.startswith(("postgresql", "sqlite")):
        raise StorageError(
            f"database URL {redact_url(url)!r} is not supported; use sqlite:///FILE or "
            "postgresql+psycopg://USER@HOST/DB"
        )
    return url


def redact_url(url: str) -> str:
    """The URL with any password replaced, fit for messages and logs."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable database URL>"


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
