"""JSON and JSON Lines lists: one row per object, problems per record, errors with positions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reckon.errors import IngestError
from reckon.ingest.io_json import read_json, read_jsonl
from reckon.ingest.reading import read_table


def write(tmp_path: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def test_array_of_objects_gives_union_of_keys_in_first_seen_order(tmp_path):
    records = [
        {"이름": "김철수", "생년": 1970},
        {"이름": "이영희", "고향": "함흥", "생년": 1985},
        {"확인": True, "비고": None},
    ]
    table = read_table(write(tmp_path, "list.json", json.dumps(records, ensure_ascii=False)))
    assert table.format == "json"
    assert table.headers == ["이름", "생년", "고향", "확인", "비고"]
    assert [row.number for row in table.rows] == [1, 2, 3]
    assert [row.location() for row in table.rows] == ["record 1", "record 2", "record 3"]
    assert table.rows[0].cells == {
        "이름": "김철수",
        "생년": "1970",
        "고향": None,
        "확인": None,
        "비고": None,
    }
    assert table.rows[2].cells["확인"] == "true"
    assert table.rows[2].cells["비고"] is None
    assert table.rows[0].raw == '{"이름": "김철수", "생년": 1970}'
    assert all(row.problem is None for row in table.rows)


def test_numbers_keep_the_text_they_are_written_with(tmp_path):
    text = '[{"id": "010", "weight": 1.50, "big": 123456789012345678901234567890}]'
    table = read_table(write(tmp_path, "list.json", text))
    assert table.rows[0].cells == {
        "id": "010",
        "weight": "1.50",
        "big": "123456789012345678901234567890",
    }


def test_object_wrapping_one_array_is_read_with_a_note(tmp_path):
    data = {"exported": "2024-01-01", "records": [{"name": "Kim"}, {"name": "Lee"}]}
    table = read_table(write(tmp_path, "list.json", json.dumps(data, indent=2)))
    assert [row.cells["name"] for row in table.rows] == ["Kim", "Lee"]
    assert [row.number for row in table.rows] == [1, 2]
    assert table.rows[1].raw.replace(" ", "").replace("\n", "") == '{"name":"Lee"}'
    assert any("'records'" in note and "'exported'" in note for note in table.notes)


def test_object_with_no_array_or_several_arrays_is_an_error(tmp_path):
    with pytest.raises(IngestError, match="single JSON object"):
        read_table(write(tmp_path, "list.json", '{"name": "Kim"}'))
    with pytest.raises(IngestError, match="several arrays"):
        read_table(write(tmp_path, "list.json", '{"a": [], "b": [{"name": "Kim"}]}'))
    with pytest.raises(IngestError, match="single JSON value"):
        read_table(write(tmp_path, "list.json", '"Kim"'))


def test_non_object_element_and_nested_value_are_problem_rows(tmp_path):
    text = '[{"name": "Kim", "place": "Hyesan"}, "Lee", 7, {"name": "Park", "place": {"a": 1}}]'
    table = read_table(write(tmp_path, "list.json", text))
    assert len(table.rows) == 4
    assert table.rows[0].problem is None
    assert table.rows[1].problem.startswith("record 2 is a string, not an object")
    assert table.rows[1].raw == '"Lee"'
    assert table.rows[2].problem.startswith("record 3 is a number")
    nested = table.rows[3]
    assert "record 4" in nested.problem and "'place'" in nested.problem
    assert "an object" in nested.problem
    assert nested.cells["name"] == "Park"
    assert nested.raw == '{"name": "Park", "place": {"a": 1}}'


def test_key_given_twice_in_one_object_is_a_problem_row(tmp_path):
    table = read_table(write(tmp_path, "list.json", '[{"name": "Kim", "name": "Lee"}]'))
    assert table.rows[0].problem is not None and "'name' more than once" in table.rows[0].problem


def test_keys_differing_only_in_case_are_a_file_error(tmp_path):
    with pytest.raises(IngestError, match=r"'name'.*'Name'"):
        read_table(write(tmp_path, "list.json", '[{"name": "Kim"}, {"Name": "Lee"}]'))


def test_malformed_json_gives_line_and_column(tmp_path):
    text = '[\n  {"name": "Kim"},\n  {"name": "Lee",, }\n]'
    with pytest.raises(IngestError, match=r"not valid JSON: .* at line 3, column 18"):
        read_table(write(tmp_path, "list.json", text))
    with pytest.raises(IngestError, match=r"line 2, column 1"):
        read_table(write(tmp_path, "list.json", '[{"name": "Kim"}\n{"name": "Lee"}]'))
    with pytest.raises(IngestError, match=r"line 1, column 19"):
        read_table(write(tmp_path, "list.json", '[{"name": "Kim"}] x'))


def test_json_lines_in_a_json_file_is_recognised(tmp_path):
    with pytest.raises(IngestError, match=r"JSON Lines.*\.jsonl"):
        read_table(write(tmp_path, "list.json", '{"name": "Kim"}\n{"name": "Lee"}\n'))


def test_empty_json_file_is_an_error_and_empty_array_has_no_rows(tmp_path):
    with pytest.raises(IngestError, match="is empty"):
        read_table(write(tmp_path, "list.json", " \n"))
    table = read_table(write(tmp_path, "list.json", "[]"))
    assert table.rows == [] and table.headers == []
    assert any("no records" in note for note in table.notes)


def test_json_with_bom_and_nul_escape(tmp_path):
    text = '[{"name": "Kim"}, {"name": "L\\u0000ee"}]'
    table = read_table(write(tmp_path, "list.json", text, encoding="utf-8-sig"))
    assert table.encoding == "utf-8-sig"
    assert table.rows[0].problem is None
    assert "NUL" in table.rows[1].problem and "record 2" in table.rows[1].problem


def test_unpaired_surrogate_escape_is_a_problem_and_is_not_passed_on(tmp_path):
    table = read_table(write(tmp_path, "list.json", '[{"name": "Kim \\ud83d"}]'))
    row = table.rows[0]
    assert row.problem is not None and "record 1" in row.problem
    row.cells["name"].encode("utf-8")


def test_json_lines_with_a_bad_line_a_nested_value_and_blank_lines(tmp_path):
    text = (
        '{"name": "Kim", "born": 1970}\n'
        "\n"
        '{"name": "Lee", "born": \n'
        '{"name": "Park", "aliases": ["P"]}\n'
        "[1, 2]\n"
        '{"name": "Choi", "born": null}\r\n'
    )
    table = read_table(write(tmp_path, "list.jsonl", text))
    assert table.format == "jsonl"
    assert table.headers == ["name", "born", "aliases"]
    assert [row.number for row in table.rows] == [1, 3, 4, 5, 6]
    assert [row.location() for row in table.rows][:2] == ["line 1", "line 3"]
    problems = {row.number: row.problem for row in table.rows if row.problem}
    assert set(problems) == {3, 4, 5}
    assert problems[3].startswith("line 3 is not valid JSON") and "column" in problems[3]
    assert "line 4" in problems[4] and "'aliases'" in problems[4] and "a list" in problems[4]
    assert problems[5].startswith("line 5 is a list")
    assert table.rows[1].raw == '{"name": "Lee", "born": '
    assert table.rows[4].cells == {"name": "Choi", "born": None, "aliases": None}
    assert "blank lines skipped: 1" in table.notes


def test_ndjson_suffix_and_cp949_json_lines(tmp_path):
    path = write(tmp_path, "list.ndjson", '{"이름": "김철수"}\n{"이름": "이영희"}\n', "cp949")
    table = read_table(path)
    assert table.encoding == "cp949"
    assert [row.cells["이름"] for row in table.rows] == ["김철수", "이영희"]


def test_mixed_encoding_json_lines_rejects_the_odd_line(tmp_path):
    data = '{"이름": "김철수"}\n{"이름": "이영희"}\n'.encode() + '{"이름": "박명호"}\n'.encode(
        "cp949"
    )
    table = read_table(write(tmp_path, "list.jsonl", data))
    assert [row.problem is None for row in table.rows] == [True, True, False]
    assert "line 3" in table.rows[2].problem and "CP949" in table.rows[2].problem
    assert "박명호" in table.rows[2].problem
    table.rows[2].raw.encode("utf-8")


def test_readers_can_be_called_directly(tmp_path):
    path = write(tmp_path, "x.json", '[{"a": 1}]')
    assert read_json(path).rows[0].cells == {"a": "1"}
    path = write(tmp_path, "x.jsonl", '{"a": 1}')
    assert read_jsonl(path).rows[0].cells == {"a": "1"}


def test_delimiter_option_is_refused_for_json(tmp_path):
    with pytest.raises(IngestError, match="--delimiter"):
        read_table(write(tmp_path, "list.json", "[]"), delimiter=",")
