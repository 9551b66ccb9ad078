"""Encodings of Korean list files: detection, mixed files, and rows that do not decode."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reckon.errors import IngestError
from reckon.ingest.encodings import (
    decode_bytes,
    describe_undecodable,
    has_undecodable,
    render,
    resolve_encoding,
)
from reckon.ingest.reading import read_table

HEADER = "이름,생년,고향"
ROWS = ["김철수,1970,청진", "이영희,1985,함흥", "박명호,1962,혜산"]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def korean_csv(encoding: str, newline: str = "\n") -> bytes:
    return (newline.join([HEADER, *ROWS]) + newline).encode(encoding)


def values(table) -> list[list[str | None]]:
    return [list(row.cells.values()) for row in table.rows]


EXPECTED = [row.split(",") for row in ROWS]


def test_utf8_without_bom_is_detected(tmp_path):
    table = read_table(write(tmp_path, "list.csv", korean_csv("utf-8")))
    assert table.encoding == "utf-8"
    assert table.headers == ["이름", "생년", "고향"]
    assert values(table) == EXPECTED
    assert any("UTF-8" in note for note in table.notes)


def test_utf8_with_bom_is_detected_and_bom_is_not_in_the_first_header(tmp_path):
    table = read_table(write(tmp_path, "list.csv", korean_csv("utf-8-sig")))
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "이름"
    assert values(table) == EXPECTED


def test_cp949_file_is_detected(tmp_path):
    table = read_table(write(tmp_path, "list.csv", korean_csv("cp949", "\r\n")))
    assert table.encoding == "cp949"
    assert values(table) == EXPECTED
    assert any("CP949" in note for note in table.notes)


def test_cp949_only_syllables_outside_euc_kr_are_read(tmp_path):
    # 똠 and 햏 exist in CP949 but not in plain EUC-KR.
    data = "이름\n똠방각하\n햏자\n".encode("cp949")
    table = read_table(write(tmp_path, "list.csv", data))
    assert [row.cells["이름"] for row in table.rows] == ["똠방각하", "햏자"]


def test_utf16le_tab_separated_unicode_text_export(tmp_path):
    data = codecs.BOM_UTF16_LE + "이름\t생년\r\n김철수\t1970\r\n".encode("utf-16-le")
    table = read_table(write(tmp_path, "export.txt", data))
    assert table.encoding == "utf-16"
    assert table.delimiter == "\t"
    assert table.headers == ["이름", "생년"]
    assert values(table) == [["김철수", "1970"]]
    assert all(row.problem is None for row in table.rows)


def test_utf16be_with_bom_is_read(tmp_path):
    data = codecs.BOM_UTF16_BE + "이름\t생년\n김철수\t1970\n".encode("utf-16-be")
    table = read_table(write(tmp_path, "export.txt", data))
    assert table.encoding == "utf-16"
    assert values(table) == [["김철수", "1970"]]


def test_utf16_without_bom_is_recognised_by_its_zero_bytes(tmp_path):
    data = "name\tplace\nKim\t청진\nLee\t함흥\n".encode("utf-16-le")
    table = read_table(write(tmp_path, "export.txt", data))
    assert table.encoding == "utf-16"
    assert values(table) == [["Kim", "청진"], ["Lee", "함흥"]]
    assert all(row.problem is None for row in table.rows)


def test_mixed_file_keeps_utf8_rows_and_rejects_the_cp949_row_saying_how_it_reads(tmp_path):
    data = (HEADER + "\n" + "\n".join(ROWS) + "\n").encode("utf-8")
    data += "최순희,1990,회령\n".encode("cp949")
    data += "정대성,1955,무산\n".encode()
    table = read_table(write(tmp_path, "mixed.csv", data))
    assert table.encoding == "utf-8"
    assert len(table.rows) == 5
    good = [row for row in table.rows if row.problem is None]
    assert [list(row.cells.values()) for row in good] == [*EXPECTED, ["정대성", "1955", "무산"]]
    (bad,) = [row for row in table.rows if row.problem is not None]
    assert bad.number == 5
    assert bad.location() == "row 5"
    assert "row 5" in bad.problem
    assert "UTF-8" in bad.problem
    assert "CP949" in bad.problem
    assert "최순희" in bad.problem
    assert "--encoding" in bad.problem
    # The rejected row is safe to write to a UTF-8 quarantine file and shows its bytes.
    bad.raw.encode("utf-8")
    assert "\\x" in bad.raw
    assert bad.cells["생년"] == "1990"
    assert any("mixes encodings" in note for note in table.notes)


def test_mostly_cp949_file_rejects_the_utf8_row_instead_of_misreading_it(tmp_path):
    data = korean_csv("cp949") + "정대성,1955,무산\n".encode()
    table = read_table(write(tmp_path, "mixed.csv", data))
    assert table.encoding == "cp949"
    assert values(table)[:3] == EXPECTED
    bad = table.rows[3]
    assert bad.number == 5
    assert bad.problem is not None
    assert "row 5" in bad.problem and "UTF-8" in bad.problem and "정대성" in bad.problem


def test_undecodable_header_is_a_file_error(tmp_path):
    data = HEADER.encode("cp949") + b"\n" + "\n".join(ROWS * 3).encode("utf-8") + b"\n"
    with pytest.raises(IngestError, match=r"header \(line 1\).*CP949"):
        read_table(write(tmp_path, "mixed.csv", data))


def test_given_encoding_is_used_and_euc_kr_reads_as_cp949(tmp_path):
    path = write(tmp_path, "list.csv", "이름\n똠방각하\n".encode("cp949"))
    table = read_table(path, encoding="EUC-KR")
    assert table.encoding == "cp949"
    assert table.rows[0].cells["이름"] == "똠방각하"
    assert any("as given" in note for note in table.notes)


def test_given_utf8_drops_a_utf8_bom(tmp_path):
    table = read_table(write(tmp_path, "list.csv", korean_csv("utf-8-sig")), encoding="utf-8")
    assert table.headers[0] == "이름"


def test_given_wrong_encoding_rejects_rows_rather_than_mangling_them(tmp_path):
    data = "name,place\nKim,청진\nLee,Seoul\n".encode("cp949")
    table = read_table(write(tmp_path, "list.csv", data), encoding="utf-8")
    assert table.rows[0].problem is not None and "청진" in table.rows[0].problem
    assert table.rows[1].problem is None


def test_unknown_encoding_is_an_ingest_error_naming_it(tmp_path):
    path = write(tmp_path, "list.csv", korean_csv("utf-8"))
    with pytest.raises(IngestError, match="klingon"):
        read_table(path, encoding="klingon")
    with pytest.raises(IngestError, match="not a text encoding"):
        read_table(path, encoding="base64")


def test_shift_jis_is_not_misread_as_cp949(tmp_path):
    data = "名前,都市\n山田太郎,東京\n鈴木花子,大阪\n".encode("shift_jis")
    table = read_table(write(tmp_path, "list.csv", data))
    assert table.encoding != "cp949"
    assert table.headers == ["名前", "都市"]
    assert any("guessed" in note for note in table.notes)


def test_resolve_encoding_spellings():
    here = Path("list.csv")
    assert resolve_encoding("UTF8", here) == "utf-8"
    assert resolve_encoding("euc_kr", here) == "cp949"
    assert resolve_encoding("ks_c_5601-1987", here) == "cp949"
    assert resolve_encoding("utf-16", here) == "utf-16"


def test_decode_marks_bad_bytes_and_renders_them_as_escapes():
    decoded = decode_bytes(b"ok\n\xff\xfeA\n" * 1 + "가\n".encode() * 3, Path("x.csv"))
    assert decoded.encoding == "utf-8"
    assert decoded.has_errors
    line = decoded.text.split("\n")[1]
    assert has_undecodable(line)
    assert render(line) == "\\xff\\xfeA"
    assert not has_undecodable(render(line))


def test_describe_undecodable_falls_back_to_bytes_when_no_encoding_reads_them():
    decoded = decode_bytes("가\n".encode() * 3 + b"\xff\xff\n", Path("x.csv"))
    line = decoded.text.split("\n")[3]
    message = describe_undecodable("row 4", [line], decoded)
    assert message.startswith("row 4 is not valid UTF-8")
    assert "\\xff\\xff" in message


def test_tie_between_utf8_and_cp949_lines_goes_to_utf8(tmp_path):
    data = b"name,place\n" + "김철수,청진\n".encode() + "이영희,함흥\n".encode("cp949")
    table = read_table(write(tmp_path, "list.csv", data))
    assert table.encoding == "utf-8"
    assert table.rows[0].cells == {"name": "김철수", "place": "청진"}
    assert table.rows[1].problem is not None and "이영희" in table.rows[1].problem
