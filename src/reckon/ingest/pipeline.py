"""Take one list file into the store without losing a row.

For every file: rows read = rows stored (new + already stored before) + rows rejected. Each
rejected row goes to a quarantine CSV beside a report that names the file, row, column, the bad
value and the fix. A file is stored in one transaction: all of its good rows or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from reckon.errors import IngestError
from reckon.ingest.fields import ColumnMapping, build_mapping
from reckon.ingest.reading import read_table
from reckon.ingest.rows import RawRow, Table
from reckon.ingest.validate import CleanRecord, Problem, RowValidator
from reckon.store.models import (
    Act,
    ImportBatch,
    IngestedRow,
    Involvement,
    Person,
    PersonName,
    Place,
    utcnow,
)
from reckon.store.places import PlaceResolver
from reckon.store.records import date_columns
from reckon.store.store import Store

BATCH_SIZE = 5_000


@dataclass(frozen=True)
class Rejection:
    """A row that was not stored, with every reason."""

    row: RawRow
    problems: tuple[Problem, ...]

    def reasons(self) -> str:
        return "; ".join((f"{p.column}: " if p.column else "") + p.problem for p in self.problems)


@dataclass
class IngestReport:
    """What happened to every row of one file."""

    file: str
    source: str
    format: str
    encoding: str | None
    delimiter: str | None
    mapping: dict[str, str]
    extras: list[str]
    ignored: list[str]
    rows_read: int = 0
    rows_new: int = 0
    rows_already_stored: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    batch_id: int | None = None
    quarantine_file: str | None = None
    report_file: str | None = None

    @property
    def rows_rejected(self) -> int:
        return len(self.rejections)

    @property
    def rows_stored(self) -> int:
        """Rows whose record is in the store now: new ones and ones stored before."""
        return self.rows_new + self.rows_already_stored

    def check_accounting(self) -> None:
        if self.rows_read != self.rows_stored + self.rows_rejected:  # pragma: no cover
            raise AssertionError(
                f"{self.file}: {self.rows_read} rows read but {self.rows_stored} stored and "
                f"{self.rows_rejected} rejected"
            )

    def summary(self) -> str:
        verb = "would store" if self.dry_run else "stored"
        lines = [
            f"{self.file} → source {self.source!r} ({self.format}"
            + (f", {self.encoding}" if self.encoding else "")
            + ")",
            f"  rows read {self.rows_read:,} = {verb} {self.rows_stored:,} "
            f"(new {self.rows_new:,}, already stored {self.rows_already_stored:,}) "
            f"+ rejected {self.rows_rejected:,}",
        ]
        lines += [f"  note: {n}" for n in self.notes]
        for rejection in self.rejections[:10]:
            lines.append(f"  {rejection.row.location()}: {rejection.reasons()}")
        if self.rows_rejected > 10:
            lines.append(f"  … and {self.rows_rejected - 10:,} more rejected rows")
        if self.quarantine_file:
            lines.append(f"  rejected rows: {self.quarantine_file}")
            lines.append(f"  report: {self.report_file}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "mapping": self.mapping,
            "extra_columns": self.extras,
            "ignored_columns": self.ignored,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "rows_stored": self.rows_stored,
            "rows_new": self.rows_new,
            "rows_already_stored": self.rows_already_stored,
            "rows_rejected": self.rows_rejected,
            "notes": self.notes,
            "batch_id": self.batch_id,
            "quarantine_file": self.quarantine_file,
            "report_file": self.report_file,
            "rejected": [
                {
                    "location": r.row.location(),
                    "row": r.row.number,
                    "problems": [p.to_dict() for p in r.problems],
                }
                for r in self.rejections
            ],
        }


def ingest_file(
    store: Store,
    path: str | Path,
    source: str,
    *,
    mapping: dict[str, str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    quarantine_dir: str | Path | None = None,
    today: dt.date | None = None,
) -> IngestReport:
    """Read, validate and store one list file as records of ``source``.

    Parameters
    ----------
    store : Store
        Where records go.
    path : str or Path
        A CSV/TSV, XLSX, JSON or JSON Lines file.
    source : str
        The list's name (an organisation's list); created on first use.
    mapping : dict, optional
        Column header → field name; columns not named here map by their header.
    dry_run : bool
        Validate everything and report, but write nothing (neither database nor quarantine).
    quarantine_dir : path, optional
        Where rejected rows and the report are written (default: no files written).
    """
    path = Path(path)
    table = read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    columns = build_mapping(table.headers, mapping, file_label=path.name)
    if table.headers and not columns.fields:
        shown = ", ".join(repr(h) for h in table.headers[:6])
        raise IngestError(
            f"{path}: no column maps to a reckon field (the columns read are {shown}"
            f"{', …' if len(table.headers) > 6 else ''}). If that looks like several columns "
            "run together, the delimiter is wrong: pass --delimiter, or leave it out to detect "
            "it. Otherwise map the columns with --map COLUMN=FIELD."
        )
    report = _new_report(path, source, table, columns, dry_run)
    validator = RowValidator(columns, source=source, today=today)

    with store.session() as session:
        source_row = store.source(session, source, create=not dry_run)
        source_id = source_row.id if source_row else None
        earlier = _earlier_import(session, source_id, table.sha256)
        if earlier is not None:
            report.notes.append(
                f"this file was imported into {source!r} before (import #{earlier.id} on "
                f"{earlier.started_at:%Y-%m-%d}); its rows are already stored"
            )
        seen_hashes = _stored_hashes(session, source_id)
        record_ids = _stored_record_ids(session, source_id)
        accepted: list[CleanRecord] = []
        hashes_in_file: dict[str, int] = {}
        for row in table.rows:
            report.rows_read += 1
            outcome = validator.validate(row)
            if isinstance(outcome, list):
                report.rejections.append(Rejection(row, tuple(outcome)))
                continue
            if outcome.row_hash in seen_hashes or outcome.row_hash in hashes_in_file:
                report.rows_already_stored += 1
                continue
            conflict = _record_id_conflict(outcome, record_ids)
            if conflict:
                report.rejections.append(Rejection(row, (conflict,)))
                continue
            hashes_in_file[outcome.row_hash] = row.number
            accepted.append(outcome)
        report.rows_new = len(accepted)
        report.check_accounting()
        if not dry_run:
            batch = ImportBatch(
                source_id=source_id,
                file_name=path.name,
                file_sha256=table.sha256,
                file_format=table.format,
                encoding=table.encoding,
                mapping=columns.describe(),
                rows_read=report.rows_read,
                rows_new=report.rows_new,
                rows_already_stored=report.rows_already_stored,
                rows_rejected=report.rows_rejected,
            )
            session.add(batch)
            session.flush()
            report.batch_id = batch.id
            _store_records(store, session, source_id, batch.id, accepted)
            if report.rejections and quarantine_dir is not None:
                write_quarantine(report, table, Path(quarantine_dir), batch.id)
                batch.quarantine_file = report.quarantine_file
            batch.finished_at = utcnow()
    return report


def _new_report(
    path: Path, source: str, table: Table, columns: ColumnMapping, dry_run: bool
) -> IngestReport:
    report = IngestReport(
        file=str(path),
        source=source,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        mapping=columns.describe(),
        extras=columns.extras,
        ignored=columns.ignored,
        dry_run=dry_run,
        notes=list(table.notes),
    )
    if columns.extras:
        report.notes.append(
            "columns kept as extra fields (no reckon field of that name): "
            + ", ".join(columns.extras)
            + "; map them with --map COLUMN=FIELD if they are one"
        )
    if "name" not in columns.fields:
        report.notes.append("no column maps to 'name': records cannot be linked by name")
    return report


def _earlier_import(session: Session, source_id: int | None, sha256: str) -> ImportBatch | None:
    if source_id is None:
        return None
    return session.scalars(
        sa.select(ImportBatch)
        .where(ImportBatch.source_id == source_id, ImportBatch.file_sha256 == sha256)
        .order_by(ImportBatch.id)
        .limit(1)
    ).first()


def _stored_hashes(session: Session, source_id: int | None) -> set[str]:
    if source_id is None:
        return set()
    return set(
        session.scalars(sa.select(IngestedRow.row_hash).where(IngestedRow.source_id == source_id))
    )


def _stored_record_ids(session: Session, source_id: int | None) -> dict[str, Any]:
    """record id → (person id, signature) of what is stored; filled further as rows are accepted."""
    if source_id is None:
        return {}
    origin = sa.orm.aliased(Place)
    province = sa.orm.aliased(Place)
    rows = session.execute(
        sa.select(
            Person.source_record_id,
            Person.id,
            PersonName.name,
            Person.sex,
            Person.birth_earliest,
            Person.birth_latest,
            origin.kind,
            origin.name,
            origin.code,
            province.code,
        )
        .outerjoin(
            PersonName, sa.and_(PersonName.person_id == Person.id, PersonName.is_primary.is_(True))
        )
        .outerjoin(origin, origin.id == Person.origin_place_id)
        .outerjoin(province, province.id == origin.parent_id)
        .where(Person.source_id == source_id, Person.source_record_id.is_not(None))
    )
    found: dict[str, Any] = {}
    for rid, pid, name, sex, b_first, b_last, kind, place, code, parent_code in rows:
        place_key = (parent_code, place) if kind == "county" else (code, None)
        birth = (b_first, b_last) if b_first or b_last else None
        found[rid] = (pid, (name, sex, birth, *place_key))
    return found


def _record_id_conflict(record: CleanRecord, record_ids: dict[str, Any]) -> Problem | None:
    """A second row with a known record id adds an act to that person, if it is the same person."""
    if record.record_id is None:
        return None
    known = record_ids.get(record.record_id)
    if known is None:
        record_ids[record.record_id] = (None, record.person_signature())
        return None
    if known[1] != record.person_signature():
        return Problem(
            "record_id",
            record.record_id,
            f"record id {record.record_id!r} is already used for a person with other details "
            "(name, sex, birth, origin)",
            "give each person their own record id, or make the person's details agree",
        )
    return None


def _store_records(
    store: Store, session: Session, source_id: int, batch_id: int, records: list[CleanRecord]
) -> None:
    places = PlaceResolver(session)
    person_by_record_id = {
        rid: pid
        for rid, pid in session.execute(
            sa.select(Person.source_record_id, Person.id).where(
                Person.source_id == source_id, Person.source_record_id.is_not(None)
            )
        )
    }
    for start in range(0, len(records), BATCH_SIZE):
        chunk = records[start : start + BATCH_SIZE]
        person_ids = _insert_persons(store, session, source_id, chunk, places, person_by_record_id)
        _insert_names(session, chunk, person_ids)
        act_ids = _insert_acts(store, session, source_id, chunk, person_ids, places)
        _insert_involvements(session, chunk, act_ids)
        session.execute(
            sa.insert(IngestedRow),
            [
                {
                    "source_id": source_id,
                    "batch_id": batch_id,
                    "row_number": r.row_number,
                    "row_hash": r.row_hash,
                    "person_id": pid,
                    "act_id": aid,
                    "extra": r.extra or None,
                }
                for r, (pid, _new), aid in zip(chunk, person_ids, act_ids, strict=True)
            ],
        )


def _bulk_insert(
    store: Store, session: Session, model: type, rows: list[dict[str, Any]]
) -> list[int]:
    """Insert rows with ids reserved beforehand, and return those ids in row order."""
    ids = store.allocate_ids(session, model.__table__, len(rows))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    if rows:
        session.execute(sa.insert(model.__table__), rows)
    return ids


def _insert_persons(
    store: Store,
    session: Session,
    source_id: int,
    chunk: list[CleanRecord],
    places: PlaceResolver,
    by_record_id: dict[str, int],
) -> list[tuple[int, bool]]:
    """Person ids for the chunk, inserting new persons; (id, created here) per record."""
    new_rows: list[dict[str, Any]] = []
    new_index: list[int] = []
    result: list[tuple[int, bool] | None] = []
    pending: dict[str, int] = {}  # record id -> index in new_rows (same person twice in chunk)
    for record in chunk:
        rid = record.record_id
        if rid is not None and rid in by_record_id:
            result.append((by_record_id[rid], False))
            continue
        if rid is not None and rid in pending:
            result.append(None)
            new_index.append(-1 - pending[rid])
            continue
        new_rows.append(
            {
                "source_id": source_id,
                "source_record_id": rid,
                "sex": record.sex,
                **date_columns(record.birth, "birth_"),
                "origin_place_id": places.origin(record.province, record.county),
                "notes": record.notes,
                "created_at": utcnow(),
            }
        )
        if rid is not None:
            pending[rid] = len(new_rows) - 1
        result.append(None)
        new_index.append(len(new_rows) - 1)
    ids = _bulk_insert(store, session, Person, new_rows)
    filled: list[tuple[int, bool]] = []
    positions = iter(new_index)
    for record, known in zip(chunk, result, strict=True):
        if known is not None:
            filled.append(known)
            continue
        index = next(positions)
        first_time = index >= 0
        person_id = ids[index if first_time else -1 - index]
        filled.append((person_id, first_time))
        if record.record_id is not None:
            by_record_id[record.record_id] = person_id
    return filled


def _insert_names(
    session: Session, chunk: list[CleanRecord], person_ids: list[tuple[int, bool]]
) -> None:
    rows = [
        {
            "person_id": pid,
            "name": r.name,
            "script": r.name_script or "other",
            "romanization": r.name_romanization,
            "is_primary": True,
        }
        for r, (pid, created) in zip(chunk, person_ids, strict=True)
        if created and r.name is not None
    ]
    if rows:
        session.execute(sa.insert(PersonName), rows)


def _insert_acts(
    store: Store,
    session: Session,
    source_id: int,
    chunk: list[CleanRecord],
    person_ids: list[tuple[int, bool]],
    places: PlaceResolver,
) -> list[int | None]:
    rows: list[dict[str, Any]] = []
    positions: list[int | None] = []
    for record, (person_id, _created) in zip(chunk, person_ids, strict=True):
        if not record.has_act:
            positions.append(None)
            continue
        facility_id = places.facility(record.facility_code)
        rows.append(
            {
                "source_id": source_id,
                "victim_id": person_id,
                "violation": record.violation,
                **date_columns(record.event),
                "age_at_event": record.age_at_event,
                "facility_id": facility_id,
                "facility_type": record.facility_type,
                "method": record.method,
            }
        )
        positions.append(len(rows) - 1)
    ids = _bulk_insert(store, session, Act, rows)
    return [ids[p] if p is not None else None for p in positions]


def _insert_involvements(
    session: Session, chunk: list[CleanRecord], act_ids: list[int | None]
) -> None:
    rows = [
        {"act_id": act_id, "institution": r.perpetrator}
        for r, act_id in zip(chunk, act_ids, strict=True)
        if act_id is not None and r.perpetrator is not None
    ]
    if rows:
        session.execute(sa.insert(Involvement), rows)


def write_quarantine(
    report: IngestReport, table: Table, folder: Path, batch_id: int | None = None
) -> None:
    """Write the rejected rows (original cells + row + reasons) and a readable report."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    stem = re.sub(r"[^\w.-]+", "_", Path(report.file).stem)
    base = folder / f"{stamp}-{batch_id or 0}-{stem}"
    quarantine = base.with_name(base.name + ".rejected.csv")
    with quarantine.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["_row", "_reasons", *table.headers])
        for rejection in report.rejections:
            cells = rejection.row.cells
            values = [cells.get(h) or "" for h in table.headers]
            if rejection.row.problem and not any(values):
                values = [rejection.row.raw] + [""] * (len(table.headers) - 1)
            writer.writerow([rejection.row.location(), rejection.reasons(), *values])
    report_path = base.with_name(base.name + ".report.json")
    report.quarantine_file = str(quarantine)
    report.report_file = str(report_path)
    report_path.write_text(
        json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
