"""Nothing identifying is readable in a closed project's folder, journal or temp files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from reckon.errors import WrongPassphraseError
from reckon.ingest.pipeline import ingest_file
from reckon.store import Project, Store

NAMES = ["리철호", "김영철", "박순희", "Ri Chol Ho", "Pak Sun Hui"]
TESTIMONY = "구류장에서 매일 맞았다 (beaten daily at the holding centre)"


def _needles() -> list[bytes]:
    found = []
    for text in [*NAMES, TESTIMONY.split(" (")[0], "beaten daily"]:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be", "cp949"):
            try:
                found.append(text.encode(encoding))
            except UnicodeEncodeError:
                continue
    return found


def _scan(folder: Path) -> list[str]:
    hits = []
    needles = _needles()
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path.name}: {n!r}" for n in needles if n in data]
    return hits


def _fill(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "input" / "list.csv"
    source.parent.mkdir()
    rows = ["record_id,name,sex,birth_year,province,notes"]
    rows += [f"{i},{name},M,196{i},North Hamgyong,{TESTIMONY}" for i, name in enumerate(NAMES)]
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with Store.for_project(project) as store:
        report = ingest_file(store, source, "NGO-A", quarantine_dir=project.quarantine_dir)
        assert report.rows_stored == len(NAMES)
        assert {p.name for p in store.persons()} >= set(NAMES[:3])


def test_a_closed_project_holds_no_name_or_testimony_in_any_byte(tmp_path, monkeypatch) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    project = Project.init(tmp_path / "project", environment=False)
    _fill(project, tmp_path)
    # the needles are really there in the plain input, so the scan can find them
    assert _scan(tmp_path / "input")
    assert _scan(tmp_path / "project") == []
    assert _scan(temp) == []
    assert oct(os.stat(project.keys_path).st_mode & 0o777) == "0o600"


def test_the_database_opens_only_with_the_passphrase(tmp_path, monkeypatch) -> None:
    project = Project.init(tmp_path / "project", environment=False)
    _fill(project, tmp_path)
    monkeypatch.setenv("RECKON_PASSPHRASE", "not the passphrase")
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        Store.for_project(Project.open(project.root, environment=False))
    # a plain SQLite reader sees no schema, no rows
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(project.root / "reckon.db").execute(
            "SELECT * FROM sqlite_master"
        ).fetchall()


def test_passphrase_change_keeps_the_records(tmp_path, monkeypatch) -> None:
    project = Project.init(tmp_path / "project", environment=False)
    _fill(project, tmp_path)
    old = os.environ["RECKON_PASSPHRASE"]
    project.change_passphrase(old, "a brand new passphrase")
    with pytest.raises(WrongPassphraseError):
        project.unlock(old)
    with Store.for_project(project, passphrase="a brand new passphrase") as store:
        assert len(store.persons()) == len(NAMES)
