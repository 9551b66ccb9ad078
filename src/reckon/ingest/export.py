"""Write stored records back out in the columns ``reckon ingest`` reads, so that they round-trip.

One line per act (a person without acts gets one line of their own). CSV output neutralises
cells a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return at
the start) by a leading apostrophe; ingest reads that form back as the literal text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from reckon.errors import ValidationError
from reckon.ingest.validate import FORMULA_START
from reckon.store.models import Act, IngestedRow, Involvement, Person, PersonName, Place, Source
from reckon.store.store import Store

COLUMNS = (
    "source",
    "record_id",
    "name",
    "name_romanization",
    "sex",
    "birth_date",
    "age_at_event",
    "province",
    "county",
    "event_date",
    "violation",
    "facility",
    "perpetrator",
    "method",
    "notes",
)
FORMATS = ("csv", "json")


def neutralise_formula(value: str) -> str:
    """Text that a spreadsheet would evaluate gets a leading apostrophe."""
    return "'" + value if value[:1] in FORMULA_START else value


def export_rows(store: Store, *, sources: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Stored records as dictionaries in :data:`COLUMNS` order, then any extra columns."""
    origin, province, facility = aliased(Place), aliased(Place), aliased(Place)
    primary = sa.and_(PersonName.person_id == Person.id, PersonName.is_primary.is_(True))
    query = (
        sa.select(
            Source.name,
            Person.source_record_id,
            PersonName.name,
            PersonName.romanization,
            Person.sex,
            Person.birth_original,
            Act.age_at_event,
            origin.kind,
            origin.name,
            province.name,
            Act.date_original,
            Act.violation,
            facility.name,
            Act.facility_type,
            Involvement.institution,
            Act.method,
            Person.notes,
            IngestedRow.extra,
        )
        .join(Source, Source.id == Person.source_id)
        .outerjoin(PersonName, primary)
        .outerjoin(origin, origin.id == Person.origin_place_id)
        .outerjoin(province, province.id == origin.parent_id)
        .outerjoin(IngestedRow, IngestedRow.person_id == Person.id)
        .outerjoin(Act, Act.id == IngestedRow.act_id)
        .outerjoin(facility, facility.id == Act.facility_id)
        .outerjoin(Involvement, Involvement.act_id == Act.id)
        .order_by(Source.name, Person.id, IngestedRow.id)
    )
    if sources:
        known = set(store.source_names())
        missing = [s for s in sources if s not in known]
        if missing:
            raise ValidationError(
                f"no source called {', '.join(map(repr, missing))}; the sources are: "
                f"{', '.join(sorted(known)) or '(none yet)'}"
            )
        query = query.where(Source.name.in_(sources))
    with store.session() as session:
        for row in session.execute(query):
            (
                source,
                rid,
                name,
                romanization,
                sex,
                birth,
                age,
                kind,
                place,
                parent,
                event,
                violation,
                facility_name,
                facility_type,
                perpetrator,
                method,
                notes,
                extra,
            ) = row
            record = {
                "source": source,
                "record_id": rid,
                "name": name,
                "name_romanization": romanization,
                "sex": sex,
                "birth_date": birth,
                "age_at_event": age,
                "province": parent if kind == "county" else place,
                "county": place if kind == "county" else None,
                "event_date": event,
                "violation": violation,
                "facility": facility_name or facility_type,
                "perpetrator": perpetrator,
                "method": method,
                "notes": notes,
            }
            for key, value in (extra or {}).items():
                record[key if key not in record else f"extra_{key}"] = value
            yield record


def export_records(
    store: Store, out: IO[str], *, format: str = "csv", sources: list[str] | None = None
) -> int:
    """Write every stored record to ``out``; returns the number of lines (records) written."""
    if format not in FORMATS:
        raise ValidationError(f"export format {format!r} is not supported; use csv or json")
    rows = list(export_rows(store, sources=sources))
    extras: list[str] = []
    for row in rows:
        extras += [k for k in row if k not in COLUMNS and k not in extras]
    header = [*COLUMNS, *extras]
    if format == "json":
        json.dump(
            [{k: row.get(k) for k in header} for row in rows], out, ensure_ascii=False, indent=1
        )
        out.write("\n")
        return len(rows)
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            ["" if row.get(k) is None else neutralise_formula(str(row[k])) for k in header]
        )
    return len(rows)


def export_to_path(store: Store, path: str | Path, **kwargs: Any) -> int:
    encoding = "utf-8-sig" if str(path).endswith(".csv") else "utf-8"
    with Path(path).open("w", encoding=encoding, newline="") as handle:
        return export_records(store, handle, **kwargs)
