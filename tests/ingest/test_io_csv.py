"""Delimited text lists: every data row comes back, readable or with the reason it is not."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reckon.errors import IngestError
from reckon.ingest.io_csv import read_csv
from reckon.ingest.reading import SUPPORTED_SUFFIXES, read_table
from reckon.ingest.rows import RawRow


def write(tmp_path: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def problems(table) -> dict[int, str]:
    return {row.number: row.problem for row in table.rows if row.problem is not None}


def test_comma_file_reads_rows_with_header_as_row_1(tmp_path):
    path = write(tmp_path, "list.csv", "name,born\nKim Chol-su,1970\nLee Young-hee,1985\n")
    table = read_table(path)
    assert table.format == "csv"
    assert table.delimiter == ","
    assert table.headers == ["name", "born"]
    assert [row.number for row in table.rows] == [2, 3]
    assert table.rows[0] == RawRow(2, {"name": "Kim Chol-su", "born": "1970"}, "Kim Chol-su,1970")
    assert table.rows[0].location() == "row 2"
    assert table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert table.path == path


def test_semicolon_file_is_sniffed_and_noted(tmp_path):
    path = write(tmp_path, "list.csv", "name;place;note\nKim;Chongjin;a, b\nLee;Hyesan;c\n")
    table = read_table(path)
    assert table.delimiter == ";"
    assert table.headers == ["name", "place", "note"]
    assert table.rows[0].cells["note"] == "a, b"
    assert any("delimiter detected" in note and "semicolon" in note for note in table.notes)


@pytest.mark.parametrize("delimiter", ["\t", "|"])
def test_tab_and_bar_files_are_sniffed(tmp_path, delimiter):
    text = delimiter.join(["a", "b"]) + "\n" + delimiter.join(["1", "2,3"]) + "\n"
    table = read_table(write(tmp_path, "list.csv", text))
    assert table.delimiter == delimiter
    assert table.rows[0].cells == {"a": "1", "b": "2,3"}


def test_tsv_prefers_tab_when_both_split_the_header(tmp_path):
    text = "a,x\tb\n1,2\t3\n"
    assert read_table(write(tmp_path, "list.tsv", text)).delimiter == "\t"
    assert read_table(write(tmp_path, "list.csv", text)).delimiter == ","


def test_given_delimiter_is_used_and_spelled_names_are_accepted(tmp_path):
    path = write(tmp_path, "list.txt", "a\tb;c\n1\t2;3\n")
    assert read_table(path, delimiter="tab").rows[0].cells == {"a": "1", "b;c": "2;3"}
    assert read_table(path, delimiter="\\t").delimiter == "\t"
    assert read_table(path, delimiter=";").rows[0].cells == {"a\tb": "1\t2", "c": "3"}
    with pytest.raises(IngestError, match="delimiter"):
        read_table(path, delimiter="ab")


def test_given_delimiter_that_leaves_one_column_notes_the_likely_one(tmp_path):
    path = write(tmp_path, "list.csv", "a;b\n1;2\n")
    table = read_table(path, delimiter=",")
    assert table.headers == ["a;b"]
    assert any("--delimiter ';'" in note for note in table.notes)


def test_single_column_list_is_allowed_with_a_note(tmp_path):
    table = read_table(write(tmp_path, "names.csv", "name\nKim Chol-su\nLee Young-hee\n"))
    assert table.headers == ["name"]
    assert [row.cells["name"] for row in table.rows] == ["Kim Chol-su", "Lee Young-hee"]
    assert any("single column" in note for note in table.notes)


def test_quoted_newline_stays_in_its_cell_and_rows_are_numbered_by_starting_line(tmp_path):
    text = 'name,note\nKim,"taken at night\nfrom Hoeryong"\nLee,plain\n'
    table = read_table(write(tmp_path, "list.csv", text))
    assert [row.number for row in table.rows] == [2, 4]
    assert table.rows[0].cells["note"] == "taken at night\nfrom Hoeryong"
    assert table.rows[0].raw == 'Kim,"taken at night\nfrom Hoeryong"'
    assert table.rows[1].cells == {"name": "Lee", "note": "plain"}
    assert not problems(table)


def test_ragged_rows_carry_a_problem_and_their_cells(tmp_path):
    text = "a,b,c,d,e\n1,2,3,4,5\n1,2,3,4,5,6,7\n1,2,3\n"
    table = read_table(write(tmp_path, "list.csv", text))
    assert len(table.rows) == 3
    found = problems(table)
    assert found[3] == (
        "row 3 has 7 cells but the header has 5 columns; check for an unquoted delimiter "
        "inside a cell"
    )
    assert found[4].startswith("row 4 has 3 cells but the header has 5 columns")
    assert table.rows[1].cells == {"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}
    assert table.rows[1].raw == "1,2,3,4,5,6,7"
    assert table.rows[2].cells == {"a": "1", "b": "2", "c": "3", "d": None, "e": None}


def test_nul_byte_makes_a_problem_row_naming_the_column(tmp_path):
    text = b"name,place\nKim,Chongjin\nL\x00ee,Hyesan\n"
    table = read_table(write(tmp_path, "list.csv", text))
    assert set(problems(table)) == {3}
    assert "NUL" in problems(table)[3] and "'name'" in problems(table)[3]
    assert table.rows[0].problem is None


def test_one_megabyte_cell_is_a_problem_not_a_crash(tmp_path):
    big = "x" * 1_048_576
    text = f'name,testimony\nKim,"{big}"\nLee,short\n'
    table = read_table(write(tmp_path, "list.csv", text))
    assert len(table.rows) == 2
    problem = table.rows[0].problem
    assert problem is not None
    assert "'testimony'" in problem and "1,048,576" in problem and "65,536" in problem
    assert table.rows[1].problem is None


def test_limit_on_cell_size_is_a_setting(tmp_path):
    path = write(tmp_path, "list.csv", "name\nKim Chol-su\nLee\n")
    assert set(problems(read_table(path, max_cell_chars=5))) == {2}
    with pytest.raises(IngestError, match="max_cell_chars"):
        read_table(path, max_cell_chars=0)


@pytest.mark.parametrize(
    "content", [b"", b"   \n\r\n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n", b",,,\n,,\n"]
)
def test_empty_file_is_an_ingest_error(tmp_path, content):
    with pytest.raises(IngestError, match=r"list\.csv is empty"):
        read_table(write(tmp_path, "list.csv", content))


def test_header_only_gives_no_rows_and_a_note(tmp_path):
    table = read_table(write(tmp_path, "list.csv", "name,born\n"))
    assert table.headers == ["name", "born"]
    assert table.rows == []
    assert any("no data rows" in note for note in table.notes)


def test_duplicate_headers_are_named_with_positions(tmp_path):
    path = write(tmp_path, "list.csv", "Name,born, name ,place,BORN\n1,2,3,4,5\n")
    with pytest.raises(IngestError) as caught:
        read_table(path)
    message = str(caught.value)
    assert "column 1 ('Name') and column 3 (' name ')" in message
    assert "column 2 ('born') and column 5 ('BORN')" in message
    assert "rename" in message


def test_empty_header_cell_is_an_error_naming_its_position(tmp_path):
    with pytest.raises(IngestError, match="column 2"):
        read_table(write(tmp_path, "list.csv", "name,,place\n1,2,3\n"))


def test_trailing_empty_header_cells_over_empty_columns_are_dropped_with_a_note(tmp_path):
    table = read_table(write(tmp_path, "list.csv", "name,place,,\nKim,Hyesan,,\nLee,Musan\n"))
    assert table.headers == ["name", "place"]
    assert [row.cells for row in table.rows] == [
        {"name": "Kim", "place": "Hyesan"},
        {"name": "Lee", "place": "Musan"},
    ]
    assert not problems(table)
    assert any("ignored 2 columns" in note for note in table.notes)


def test_trailing_empty_header_over_a_value_is_an_error(tmp_path):
    with pytest.raises(IngestError, match="column 3"):
        read_table(write(tmp_path, "list.csv", "name,place,\nKim,Hyesan,\nLee,Musan,x\n"))


def test_header_names_are_stripped_of_spaces_and_bom(tmp_path):
    table = read_table(write(tmp_path, "list.csv", "\ufeff name , place\n1,2\n"))
    assert table.headers == ["name", "place"]
    assert table.rows[0].cells == {"name": "1", "place": "2"}


def test_cells_are_not_stripped(tmp_path):
    table = read_table(write(tmp_path, "list.csv", "name,place\n Kim , Hyesan\n"))
    assert table.rows[0].cells == {"name": " Kim ", "place": " Hyesan"}


def test_blank_lines_are_skipped_counted_and_do_not_shift_row_numbers(tmp_path):
    text = "\nname,place\n\nKim,Hyesan\n   \n,\nLee,Musan\n\n"
    table = read_table(write(tmp_path, "list.csv", text))
    assert [(row.number, row.cells["name"]) for row in table.rows] == [(4, "Kim"), (7, "Lee")]
    assert "blank lines skipped: 5" in table.notes


def test_quote_never_closed_makes_one_problem_row_holding_the_rest(tmp_path):
    text = 'name,place\nKim,Hyesan\n"Lee,Musan\nPark,Hoeryong\n'
    table = read_table(write(tmp_path, "list.csv", text))
    assert [row.number for row in table.rows] == [2, 3]
    bad = table.rows[1]
    assert bad.problem is not None and "never closed" in bad.problem
    assert "lines 3 to 4" in bad.problem
    assert "Park,Hoeryong" in bad.raw


def test_stray_carriage_return_makes_a_problem_row_and_reading_goes_on(tmp_path):
    text = "name,place\nKim,Hye\rsan\nLee,Musan\n"
    table = read_table(write(tmp_path, "list.csv", text))
    assert [row.number for row in table.rows] == [2, 3]
    assert table.rows[0].problem is not None and "row 2" in table.rows[0].problem
    assert table.rows[1].cells == {"name": "Lee", "place": "Musan"}


def test_old_mac_line_ends_are_read(tmp_path):
    table = read_table(write(tmp_path, "list.csv", "name,place\rKim,Hyesan\rLee,Musan\r"))
    assert [row.cells["name"] for row in table.rows] == ["Kim", "Lee"]
    assert not problems(table)


def test_windows_line_ends_do_not_reach_the_cells(tmp_path):
    table = read_table(write(tmp_path, "list.csv", "name,place\r\nKim,Hyesan\r\n"))
    assert table.rows[0].cells == {"name": "Kim", "place": "Hyesan"}
    assert table.rows[0].raw == "Kim,Hyesan"


def test_read_csv_is_the_reader_behind_read_table(tmp_path):
    path = write(tmp_path, "list.txt", "a;b\n1;2\n")
    assert read_csv(path).rows == read_table(path).rows


def test_unknown_suffix_lists_the_supported_ones(tmp_path):
    path = write(tmp_path, "list.xls", b"\xd0\xcf\x11\xe0")
    with pytest.raises(IngestError) as caught:
        read_table(path)
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in str(caught.value)
    assert "save it as .xlsx" in str(caught.value)


def test_missing_file_and_misplaced_options_are_ingest_errors(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        read_table(tmp_path / "missing.csv")
    path = write(tmp_path, "list.csv", "a\n1\n")
    with pytest.raises(IngestError, match="--sheet"):
        read_table(path, sheet="Sheet1")


def test_many_rows_are_all_read(tmp_path):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"column {i}" for i in range(10)])
    for n in range(100_000):
        writer.writerow([f"김철수 {n}", n, "청진", "1970-03-01", "", "m", "a", "b", "c", "d"])
    table = read_table(write(tmp_path, "big.csv", buffer.getvalue()))
    assert len(table.rows) == 100_000
    assert table.rows[-1].number == 100_001
    assert table.rows[-1].cells["column 1"] == "99999"
    assert not problems(table)


# Every data row written comes back, with the values written. Header names are plain words so
# that the sniffer has one right answer; values are any text without NUL bytes (which are a
# row problem by design) and rows are not all blank (blank lines are skipped by design).
_cell = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)


@st.composite
def _tables(draw):
    width = draw(st.integers(1, 5))
    headers = [f"col{i}" for i in range(width)]
    row = st.lists(_cell, min_size=width, max_size=width).filter(
        lambda cells: any(c.strip() for c in cells)
    )
    return headers, draw(st.lists(row, max_size=8))


@settings(derandomize=True, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(table=_tables(), delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_every_row_written_comes_back(tmp_path_factory, table, delimiter):
    headers, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("prop") / "list.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    read = read_table(path)
    assert read.headers == headers
    assert len(read.rows) == len(rows)
    assert [row.problem for row in read.rows] == [None] * len(rows)
    assert [[row.cells[h] for h in headers] for row in read.rows] == rows
    if len(headers) > 1:
        assert read.delimiter == delimiter


def test_single_column_keeps_commas_inside_names(tmp_path):
    table = read_table(write(tmp_path, "names.csv", "name\nKim, Chol-su\nLee Young-hee\n"))
    assert [row.cells["name"] for row in table.rows] == ["Kim, Chol-su", "Lee Young-hee"]
    assert not problems(table)


def test_single_column_header_over_split_rows_is_noted(tmp_path):
    table = read_table(write(tmp_path, "list.csv", "name\nKim,1970\nLee,1985\n"))
    assert table.headers == ["name"]
    assert [row.cells["name"] for row in table.rows] == ["Kim,1970", "Lee,1985"]
    assert any("the header has one name" in note for note in table.notes)


def test_title_line_above_the_header_is_named_in_the_error(tmp_path):
    path = write(tmp_path, "list.csv", "2019 list,,\nname,place,born\nKim,Hyesan,1970\n")
    with pytest.raises(IngestError, match=r"'2019 list'.*title"):
        read_table(path)
