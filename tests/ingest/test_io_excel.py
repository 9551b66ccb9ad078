"""Excel workbooks: cells as the text a person reads, formulas visible, wrong files refused."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from reckon.errors import IngestError
from reckon.ingest.io_excel import cell_text, read_xlsx
from reckon.ingest.reading import read_table


def save(tmp_path: Path, sheets: dict[str, list[list[object]]], name: str = "list.xlsx") -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_values_become_text_as_a_person_reads_them(tmp_path):
    path = save(
        tmp_path,
        {
            "명단": [
                ["이름", "생년월일", "구금일시", "나이", "비율", "확인", "합계", "비고"],
                [
                    "김철수",
                    dt.datetime(1970, 3, 1),
                    dt.datetime(1998, 5, 2, 14, 30),
                    52,
                    0.25,
                    True,
                    "=D2+1",
                    None,
                ],
                ["이영희", dt.date(1985, 12, 31), None, 40.0, 1e-07, False, "=SUM(D2:D3)", "x"],
            ]
        },
    )
    table = read_table(path)
    assert table.format == "xlsx"
    assert table.sheet == "명단"
    assert table.encoding is None and table.delimiter is None
    assert table.headers == ["이름", "생년월일", "구금일시", "나이", "비율", "확인", "합계", "비고"]
    first, second = table.rows
    assert first.number == 2 and first.kind == "row"
    assert first.cells == {
        "이름": "김철수",
        "생년월일": "1970-03-01",
        "구금일시": "1998-05-02T14:30:00",
        "나이": "52",
        "비율": "0.25",
        "확인": "TRUE",
        "합계": "=D2+1",
        "비고": None,
    }
    assert second.cells["생년월일"] == "1985-12-31"
    assert second.cells["나이"] == "40"
    assert second.cells["비율"] == "1e-07"
    assert second.cells["확인"] == "FALSE"
    assert second.cells["합계"].startswith("=")
    assert first.raw == "김철수,1970-03-01,1998-05-02T14:30:00,52,0.25,TRUE,=D2+1"
    assert all(row.problem is None for row in table.rows)


def test_cell_text_rules():
    assert cell_text(None) is None
    assert cell_text(3) == "3"
    assert cell_text(3.0) == "3"
    assert cell_text(-12.5) == "-12.5"
    assert cell_text(True) == "TRUE"
    assert cell_text(dt.datetime(2001, 2, 3, 0, 0)) == "2001-02-03"
    assert cell_text(dt.datetime(2001, 2, 3, 0, 0, 1)) == "2001-02-03T00:00:01"
    assert cell_text(dt.time(7, 5)) == "07:05:00"
    assert cell_text(" 김 ") == " 김 "


def test_first_non_empty_sheet_is_read_by_default_and_others_are_named(tmp_path):
    path = save(tmp_path, {"표지": [], "명단": [["이름"], ["김철수"]], "메모": [["x"], ["y"]]})
    table = read_table(path)
    assert table.sheet == "명단"
    assert [row.cells for row in table.rows] == [{"이름": "김철수"}]
    assert any("'메모'" in note and "--sheet" in note for note in table.notes)


def test_sheet_is_chosen_by_name(tmp_path):
    path = save(tmp_path, {"명단": [["이름"], ["김철수"]], "메모": [["note"], ["y"]]})
    table = read_table(path, sheet="메모")
    assert table.sheet == "메모"
    assert table.rows[0].cells == {"note": "y"}


def test_unknown_sheet_lists_the_sheets(tmp_path):
    path = save(tmp_path, {"명단": [["이름"], ["김"]], "메모": [["x"], ["y"]]})
    with pytest.raises(IngestError) as caught:
        read_table(path, sheet="Sheet1")
    assert "'Sheet1'" in str(caught.value)
    assert "'명단', '메모'" in str(caught.value)


def test_workbook_with_nothing_in_it_is_an_error(tmp_path):
    with pytest.raises(IngestError, match="no data in any sheet"):
        read_table(save(tmp_path, {"Sheet1": [], "Sheet2": []}))


def test_empty_chosen_sheet_is_an_error(tmp_path):
    path = save(tmp_path, {"명단": [["이름"], ["김"]], "빈": []})
    with pytest.raises(IngestError, match="'빈' is empty"):
        read_table(path, sheet="빈")


def test_blank_rows_are_skipped_and_rows_keep_sheet_numbers(tmp_path):
    path = save(tmp_path, {"s": [[], ["name", "place"], ["Kim", "Hyesan"], [], ["Lee", None]]})
    table = read_table(path)
    assert [row.number for row in table.rows] == [3, 5]
    assert table.rows[1].cells == {"name": "Lee", "place": None}
    assert "blank rows skipped: 2" in table.notes


def test_header_only_sheet_gives_no_rows_and_a_note(tmp_path):
    table = read_table(save(tmp_path, {"s": [["name", "place"]]}))
    assert table.rows == []
    assert any("no data rows" in note for note in table.notes)


def test_duplicate_headers_are_named_with_column_letters(tmp_path):
    path = save(tmp_path, {"s": [["이름", "생년", "이름 "], ["a", "b", "c"]]})
    with pytest.raises(IngestError, match=r"column A .*'이름'.* and column C"):
        read_table(path)


def test_value_in_a_column_without_header_is_an_error(tmp_path):
    path = save(tmp_path, {"s": [["name", "place"], ["Kim", "Hyesan", "extra"]]})
    with pytest.raises(IngestError, match="column C"):
        read_table(path)


def test_middle_empty_header_is_an_error(tmp_path):
    path = save(tmp_path, {"s": [["name", None, "place"], ["Kim", "x", "Hyesan"]]})
    with pytest.raises(IngestError, match="column B"):
        read_table(path)


def test_cell_longer_than_the_limit_is_a_row_problem(tmp_path):
    path = save(tmp_path, {"s": [["name", "note"], ["Kim", "x" * 40], ["Lee", "short"]]})
    table = read_table(path, max_cell_chars=20)
    assert table.rows[0].problem is not None and "'note'" in table.rows[0].problem
    assert "40" in table.rows[0].problem
    assert table.rows[1].problem is None


def test_wrong_declared_size_does_not_cut_rows_off(tmp_path):
    path = save(tmp_path, {"s": [["name"], ["Kim"], ["Lee"], ["Park"]]})
    tampered = tmp_path / "tampered.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A2"', data)
                assert count == 1
            target.writestr(item, data)
    table = read_table(tampered)
    assert [row.cells["name"] for row in table.rows] == ["Kim", "Lee", "Park"]


def test_csv_renamed_to_xlsx_is_refused_with_advice(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes("이름,생년\n김철수,1970\n".encode())
    with pytest.raises(IngestError, match=r"text file.*rename it to \.csv"):
        read_table(path)


def test_old_xls_is_refused_with_advice(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(IngestError, match=r"97-2003.*save it as"):
        read_table(path)


def test_html_named_xlsx_is_refused(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    with pytest.raises(IngestError, match="web page"):
        read_table(path)


def test_other_zip_files_are_refused(tmp_path):
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(IngestError, match="OpenDocument"):
        read_table(path)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(IngestError, match="Word document"):
        read_table(path)


def test_truncated_workbook_is_refused(tmp_path):
    path = save(tmp_path, {"s": [["name"], ["Kim"]]})
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(IngestError, match=r"list\.xlsx"):
        read_table(path)


def test_empty_xlsx_file_is_refused(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match="is empty"):
        read_xlsx(path)


def test_encoding_option_is_refused_for_workbooks(tmp_path):
    path = save(tmp_path, {"s": [["name"], ["Kim"]]})
    with pytest.raises(IngestError, match="--encoding"):
        read_table(path, encoding="cp949")


def test_cells_emptied_by_a_merge_make_problem_rows(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for row in [["도", "이름"], ["함경북도", "김철수"], [None, "이영희"], ["양강도", "박명호"]]:
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert [row.number for row in table.rows] == [2, 3, 4]
    assert table.rows[0].problem is None
    assert table.rows[1].cells == {"도": None, "이름": "이영희"}
    problem = table.rows[1].problem
    assert problem is not None and "row 3" in problem and "A2:A3" in problem and "'도'" in problem
    assert table.rows[2].problem is None


def test_title_row_above_the_header_is_named_in_the_error(tmp_path):
    path = save(tmp_path, {"s": [["2019년 명단"], ["이름", "고향"], ["김철수", "청진"]]})
    with pytest.raises(IngestError, match=r"'2019년 명단'.*title.*delete it"):
        read_table(path)
