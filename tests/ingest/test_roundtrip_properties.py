"""Property: whatever valid rows a list holds, ingest → export gives every one of them back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reckon.ingest.export import export_records
from reckon.ingest.pipeline import ingest_file
from reckon.store import Store

HANGUL = st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=2, max_size=4)
LATIN = st.from_regex(r"[A-Z][a-z]{1,5}( [A-Z][a-z]{1,5}(-[a-z]{1,4})?)?", fullmatch=True)
ROW = st.fixed_dictionaries(
    {
        "name": st.one_of(HANGUL, LATIN),
        "sex": st.sampled_from(["M", "F", "남", "여", ""]),
        "birth_year": st.one_of(st.just(""), st.integers(1920, 1990).map(str)),
        "province": st.sampled_from(["", "North Hamgyong", "량강도", "함북", "Pyongyang"]),
        "event_date": st.sampled_from(
            ["", "1997", "spring 1998", "2005년 3월", "around 2001", "2010-06-01"]
        ),
        "violation": st.sampled_from(["", "Public execution", "강제송환", "VT.INTEG.TORTURE"]),
        "notes": st.sampled_from(["", "=cmd|' /C calc'!A0", "+82 10", "-", "@here", "plain"]),
    }
)


@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(ROW, min_size=1, max_size=12))
def test_ingest_then_export_loses_no_row(
    rows: list[dict[str, str]], tmp_path: Path, database_url: str
) -> None:
    # Formula-like notes must be written as a spreadsheet-safe export would write them.
    for row in rows:
        if row["notes"][:1] in "=+@" and row["notes"]:
            row["notes"] = "'" + row["notes"]
    path = tmp_path / f"list-{abs(hash(str(rows)))}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ROW_FIELDS))
        writer.writeheader()
        writer.writerows(rows)
    with Store(database_url) as store:
        before = len(list(csv.DictReader(io.StringIO(_export(store)))))
        report = ingest_file(store, path, "P", today=dt.date(2026, 11, 25))
        assert report.rows_read == len(rows)
        assert report.rows_rejected == 0, report.summary()
        assert report.rows_read == report.rows_new + report.rows_already_stored
        exported = list(csv.DictReader(io.StringIO(_export(store))))
    assert len(exported) - before == report.rows_new
    names = sorted(r["name"] for r in exported)
    for row in rows:
        assert row["name"] in names


ROW_FIELDS = ("name", "sex", "birth_year", "province", "event_date", "violation", "notes")


def _export(store: Store) -> str:
    out = io.StringIO()
    export_records(store, out)
    return out.getvalue()
