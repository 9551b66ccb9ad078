"""Ingest end to end: every row is stored or rejected with a reason, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from reckon.errors import IngestError, ValidationError
from reckon.ingest.export import export_records
from reckon.ingest.pipeline import IngestReport, ingest_file
from reckon.store import Store
from reckon.store.models import Act, Involvement, Person, PersonName, Place

TODAY = dt.date(2026, 11, 25)
HEADER = "record_id,name,sex,birth_year,province,county,event_date,violation,facility"
GOOD_ROWS = [
    "A1,김영철,M,1962,North Hamgyong,Hoeryong,1997,Public execution,",
    "A2,리순희,F,1975,량강도,혜산시,2005년 3월,강제송환,",
    "A3,Pak Chol-ho,M,1958,South Pyongan,Kaechon,late 1990s,Arbitrary detention,교화소",
]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def good_csv(tmp_path: Path, extra_rows: list[str] = (), name: str = "list.csv") -> Path:
    return write(tmp_path / name, "\n".join([HEADER, *GOOD_ROWS, *extra_rows]) + "\n")


def count(store: Store, model: type) -> int:
    with store.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


def assert_nothing_lost(report: IngestReport, expected_rows: int) -> None:
    assert report.rows_read == expected_rows
    assert report.rows_read == report.rows_stored + report.rows_rejected


def run(store: Store, path: Path, tmp_path: Path, **kwargs) -> IngestReport:
    return ingest_file(store, path, "NGO", quarantine_dir=tmp_path / "q", today=TODAY, **kwargs)


def test_good_list_is_stored_with_names_places_and_acts(store: Store, tmp_path: Path) -> None:
    report = run(store, good_csv(tmp_path), tmp_path)
    assert_nothing_lost(report, 3)
    assert report.rows_new == 3 and report.rows_rejected == 0
    assert report.quarantine_file is None
    with store.session() as session:
        names = {n.name: n.script for n in session.scalars(sa.select(PersonName))}
        assert names == {"김영철": "hangul", "리순희": "hangul", "Pak Chol-ho": "latin"}
        acts = session.scalars(sa.select(Act).order_by(Act.id)).all()
        assert [a.violation for a in acts] == [
            "VT.LIFE.EXEC_PUBLIC",
            "VT.MOV.REFOULEMENT",
            "VT.LIB.DETENTION",
        ]
        assert acts[1].date_earliest == dt.date(2005, 3, 1)
        assert acts[1].date_latest == dt.date(2005, 3, 31)
        assert acts[2].date_original == "late 1990s"
        assert acts[2].facility_type == "DF.KYOHWASO"
        person = session.scalars(sa.select(Person).where(Person.source_record_id == "A2")).one()
        assert person.origin.kind == "county" and person.origin.name == "혜산시"
        assert person.origin.parent.code is not None
        assert person.birth_earliest == dt.date(1975, 1, 1)


def test_reimporting_the_same_file_stores_nothing_twice(store: Store, tmp_path: Path) -> None:
    path = good_csv(tmp_path)
    run(store, path, tmp_path)
    again = run(store, path, tmp_path)
    assert_nothing_lost(again, 3)
    assert again.rows_new == 0 and again.rows_already_stored == 3
    assert any("imported" in note and "before" in note for note in again.notes)
    assert count(store, Person) == 3 and count(store, Act) == 3


def test_a_file_with_old_and_new_rows_stores_only_the_new(store: Store, tmp_path: Path) -> None:
    run(store, good_csv(tmp_path), tmp_path)
    grown = good_csv(
        tmp_path, ["A4,최미경,F,1980,North Hamgyong,Musan,2008,강제송환,"], name="grown.csv"
    )
    report = run(store, grown, tmp_path)
    assert (report.rows_new, report.rows_already_stored) == (1, 3)
    assert count(store, Person) == 4


def test_same_record_id_adds_an_act_to_the_same_person(store: Store, tmp_path: Path) -> None:
    path = good_csv(tmp_path, ["A1,김영철,M,1962,North Hamgyong,Hoeryong,1995,Torture,"])
    report = run(store, path, tmp_path)
    assert report.rows_new == 4
    assert count(store, Person) == 3 and count(store, Act) == 4


def test_same_record_id_for_another_person_is_rejected(store: Store, tmp_path: Path) -> None:
    path = good_csv(tmp_path, ["A1,박정호,M,1958,North Hamgyong,Hoeryong,1995,Torture,"])
    report = run(store, path, tmp_path)
    assert_nothing_lost(report, 4)
    assert report.rows_rejected == 1
    assert "already used for a person" in report.rejections[0].reasons()


def test_dry_run_validates_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = good_csv(tmp_path, ["A9,X,M,1962,Nowhere,,1997,Public execution,"])
    report = ingest_file(store, path, "NGO", dry_run=True, quarantine_dir=None, today=TODAY)
    assert report.dry_run and report.rows_new == 3 and report.rows_rejected == 1
    assert count(store, Person) == 0
    assert store.source_names() == []


def test_korean_headers_and_cp949_are_understood(store: Store, tmp_path: Path) -> None:
    text = (
        "번호,이름,성별,생년,출신지,발생연도,피해유형\nK1,김영철,남,1962,함경북도,1997,공개처형\n"
    )
    path = write(tmp_path / "korean.csv", text, "cp949")
    report = run(store, path, tmp_path)
    assert report.encoding == "cp949"
    assert report.rows_new == 1 and report.rows_rejected == 0
    assert report.mapping == {
        "번호": "record_id",
        "이름": "name",
        "성별": "sex",
        "생년": "birth_year",
        "출신지": "province",
        "발생연도": "event_year",
        "피해유형": "violation",
    }


def test_explicit_mapping_and_extra_columns_are_kept(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "odd.csv", "Victim,Gender,Interviewer code\n김영철,M,INT-7\n")
    report = run(store, path, tmp_path, mapping={"Victim": "name", "Gender": "sex"})
    assert report.rows_new == 1
    assert report.extras == ["Interviewer code"]
    rows = list(csv.DictReader(io.StringIO(_export(store))))
    assert rows[0]["Interviewer code"] == "INT-7"


def test_mapping_errors_are_collected_together(store: Store, tmp_path: Path) -> None:
    path = good_csv(tmp_path)
    with pytest.raises(ValidationError) as caught:
        run(store, path, tmp_path, mapping={"nope": "name", "sex": "gendre", "name": "sex"})
    message = str(caught.value)
    assert "'nope'" in message and "'gendre' is not a field" in message and "sex" in message


# -- the hostile-input suite ---------------------------------------------------------------------

HOSTILE = {
    "impossible date": ("A9,X,M,1962,North Hamgyong,,1998-13-40,Public execution,", "13"),
    "future date": ("A9,X,M,1962,North Hamgyong,,2031,Public execution,", "future"),
    "birth after event": ("A9,X,M,1999,North Hamgyong,,1990,Public execution,", "before the birth"),
    "two-digit year": ("A9,X,M,62,North Hamgyong,,1997,Public execution,", "four digits"),
    "unknown violation": ("A9,X,M,1962,North Hamgyong,,1997,Pubic execution,", "Public execution"),
    "unknown province": ("A9,X,M,1962,North Hamgyeong-do-x,,1997,Torture,", "province"),
    "unknown sex": ("A9,X,Q,1962,North Hamgyong,,1997,Torture,", "sex"),
    "unknown facility": ("A9,X,M,1962,North Hamgyong,,1997,Torture,Camp 999x", "facility"),
    "formula cell": ('A9,=HYPERLINK("http://x"),M,1962,North Hamgyong,,1997,Torture,', "formula"),
    "formula with at": ("A9,@SUM(1),M,1962,North Hamgyong,,1997,Torture,", "formula"),
    "ragged row": ("A9,X,M,1962,North Hamgyong,,1997,Torture,,,extra", "header"),
    "NUL byte": ("A9,X\x00Y,M,1962,North Hamgyong,,1997,Torture,", "NUL"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_row_is_rejected_with_reason_and_nothing_lost(
    store: Store, tmp_path: Path, case: str
) -> None:
    bad_row, expected = HOSTILE[case]
    report = run(store, good_csv(tmp_path, [bad_row]), tmp_path)
    assert_nothing_lost(report, 4)
    assert report.rows_new == 3 and report.rows_rejected == 1
    reasons = report.rejections[0].reasons()
    assert expected.casefold() in reasons.casefold(), reasons
    assert report.rejections[0].row.number == 5  # header is row 1
    quarantine_text = Path(report.quarantine_file).read_text(encoding="utf-8-sig")
    quarantined = list(csv.reader(io.StringIO(quarantine_text)))
    assert quarantined[0][:2] == ["_row", "_reasons"]
    assert len(quarantined) == 2 and quarantined[1][0] == "row 5"
    detail = json.loads(Path(report.report_file).read_text(encoding="utf-8"))
    assert detail["rows_read"] == 4 and detail["rows_rejected"] == 1
    problem = detail["rejected"][0]["problems"][0]
    assert problem["problem"] and problem["fix"]
    assert count(store, Person) == 3


@pytest.mark.parametrize("age, ok", [("-3", False), ("240", False), ("0", True), ("35", True)])
def test_ages_outside_human_range_are_rejected(
    store: Store, tmp_path: Path, age: str, ok: bool
) -> None:
    path = write(tmp_path / "ages.csv", f"name,age_at_event,event_year\nX,{age},1997\n")
    report = run(store, path, tmp_path)
    assert_nothing_lost(report, 1)
    assert (report.rows_new == 1) is ok
    if not ok:
        assert "age" in report.rejections[0].reasons().casefold()


def test_every_problem_of_a_row_is_reported(store: Store, tmp_path: Path) -> None:
    path = good_csv(tmp_path, ["A9,X,Q,1962,Atlantis,,1998-13-40,Pubic execution,"])
    report = run(store, path, tmp_path)
    columns = {p.column for p in report.rejections[0].problems}
    assert {"sex", "province", "event_date", "violation"} <= columns


def test_one_megabyte_cell_is_rejected_not_crashed(store: Store, tmp_path: Path) -> None:
    path = good_csv(tmp_path, ["A9," + "가" * 1_048_576 + ",M,1962,North Hamgyong,,1997,Torture,"])
    report = run(store, path, tmp_path)
    assert_nothing_lost(report, 4)
    assert report.rows_rejected == 1
    assert "name" in report.rejections[0].reasons()


def test_semicolon_delimiter_is_detected(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "semi.csv",
        "\n".join([HEADER.replace(",", ";"), *(r.replace(",", ";") for r in GOOD_ROWS)]) + "\n",
    )
    report = run(store, path, tmp_path)
    assert report.delimiter == ";" and report.rows_new == 3


def test_wrong_delimiter_given_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="delimiter is wrong"):
        run(store, good_csv(tmp_path), tmp_path, delimiter=";")
    assert count(store, Person) == 0


def test_mixed_encodings_reject_only_the_odd_rows(store: Store, tmp_path: Path) -> None:
    body = ("\n".join([HEADER, *GOOD_ROWS]) + "\n").encode("utf-8")
    body += "A9,최미경,F,1980,North Hamgyong,,2008,강제송환,\n".encode("cp949")
    path = tmp_path / "mixed.csv"
    path.write_bytes(body)
    report = run(store, path, tmp_path)
    assert_nothing_lost(report, 4)
    assert report.rows_rejected == 1 and "CP949" in report.rejections[0].reasons()


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("name,name,sex\nX,Y,M\n", "name"),
    ],
)
def test_unreadable_files_are_clear_errors(
    store: Store, tmp_path: Path, content: str, message: str
) -> None:
    path = write(tmp_path / "bad.csv", content)
    with pytest.raises(IngestError, match=message):
        run(store, path, tmp_path)
    assert count(store, Person) == 0


def test_header_only_file_reads_zero_rows(store: Store, tmp_path: Path) -> None:
    report = run(store, write(tmp_path / "h.csv", HEADER + "\n"), tmp_path)
    assert report.rows_read == 0 and report.rows_stored == 0


def test_xlsx_and_json_lists_are_ingested(store: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [HEADER, *GOOD_ROWS]:
        sheet.append(next(csv.reader([line])))
    book.save(tmp_path / "list.xlsx")
    records = [dict(zip(HEADER.split(","), next(csv.reader([r])), strict=True)) for r in GOOD_ROWS]
    (tmp_path / "list.json").write_text(json.dumps({"records": records}), encoding="utf-8")
    first = run(store, tmp_path / "list.xlsx", tmp_path)
    second = run(store, tmp_path / "list.json", tmp_path)
    assert first.rows_new == 3
    assert second.rows_already_stored == 3  # the same rows, whatever the format


# -- export --------------------------------------------------------------------------------------


def _export(store: Store, fmt: str = "csv") -> str:
    out = io.StringIO()
    export_records(store, out, format=fmt)
    return out.getvalue()


def test_export_round_trips_through_ingest(store: Store, tmp_path: Path) -> None:
    run(store, good_csv(tmp_path), tmp_path)
    first = _export(store)
    (tmp_path / "export.csv").write_text(first, encoding="utf-8")
    with Store(f"sqlite:///{tmp_path / 'second.db'}") as second:
        report = ingest_file(second, tmp_path / "export.csv", "NGO", today=TODAY)
        assert report.rows_new == 3 and report.rows_rejected == 0
        assert _export(second) == first
        assert json.loads(_export(second, "json")) == json.loads(_export(store, "json"))


def test_export_neutralises_formulas_and_ingest_reads_them_back(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path / "f.csv", "name,notes\nX,'=1+2 as the witness wrote it\n")
    run(store, path, tmp_path)
    exported = _export(store)
    row = next(csv.DictReader(io.StringIO(exported)))
    assert row["notes"] == "'=1+2 as the witness wrote it"
    with store.session() as session:
        assert session.scalar(sa.select(Person.notes)) == "=1+2 as the witness wrote it"


def test_perpetrator_institution_becomes_an_involvement(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "name,violation,perpetrator\nX,Torture,보위부\n")
    report = run(store, path, tmp_path)
    assert report.rows_new == 1
    with store.session() as session:
        assert session.scalar(sa.select(Involvement.institution)) == "PI.MSS"
        assert session.scalar(sa.select(sa.func.count(Place.id))) == 0
