"""Read delimited text lists (CSV, TSV, Excel "Unicode text") into rows of text.

The file is decoded once (see :mod:`reckon.ingest.encodings`), the delimiter is given or
sniffed, and Python's :mod:`csv` parser reads the records. Every record after the header
becomes a :class:`~reckon.ingest.rows.RawRow` numbered by the line it starts on; a record
that cannot be read (ragged, NUL byte, undecodable bytes, over-long cell, a quote never
closed) carries a ``problem`` instead of being dropped. Blank lines are skipped and counted.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

from reckon.errors import IngestError
from reckon.ingest.encodings import (
    Decoded,
    decode_bytes,
    describe_undecodable,
    has_undecodable,
    render,
)
from reckon.ingest.rows import (
    RawRow,
    Table,
    cell_problems,
    clean_headers,
    is_blank,
    read_file_bytes,
)

__all__ = ["CANDIDATE_DELIMITERS", "read_csv", "resolve_delimiter"]

CANDIDATE_DELIMITERS = (",", ";", "\t", "|")

_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_SPELLINGS = {
    "\\t": "\t",
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
    "bar": "|",
}
# How many lines the delimiter is sniffed from.
_SAMPLE_LINES = 200
# Appended after the last line: if a quoted cell is still open at the end of the file, the
# parser takes this line into the cell, which is how an unclosed quote is recognised.
_SENTINEL = "\x00\x1areckon: end of file\x1a\x00"
# The csv module's own limit is 131,072 characters per cell; the reader checks cell length
# itself, so that a long cell is a row problem, not a crash.
_MAX_FIELD = 2**31 - 1


def resolve_delimiter(delimiter: str, path: Path) -> str:
    """Check a delimiter a user gave; ``"\\t"``, ``"tab"``, ``"comma"`` and the like are accepted.

    Raises
    ------
    IngestError
        If the delimiter is not a single character that can separate cells.
    """
    value = _SPELLINGS.get(delimiter.strip().lower(), delimiter) if delimiter.strip() else delimiter
    if len(value) != 1 or value in {'"', "\r", "\n", "\x00"}:
        raise IngestError(
            f"{path.name}: cannot use {delimiter!r} as the delimiter; give one character such "
            f"as ',', ';', '|' or '\\t' (tab), or leave it out to detect it"
        )
    return value


def read_csv(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_cell_chars: int = 65_536,
) -> Table:
    """Read a delimited text file into a table of text rows.

    Parameters
    ----------
    path : str or Path
        The file.
    encoding : str, optional
        The text encoding; detected when left out.
    delimiter : str, optional
        The cell delimiter; sniffed among ``,`` ``;`` tab and ``|`` when left out.
    max_cell_chars : int
        The longest a cell may be; a longer one makes its row a problem row.

    Returns
    -------
    Table
        The header and every data row; rows that cannot be read carry a ``problem``.

    Raises
    ------
    IngestError
        If the file is empty, its encoding is unknown, or its header is unusable (empty or
        duplicated names).
    """
    path = Path(path)
    data, sha256 = read_file_bytes(path)
    if not data.strip():
        raise _empty(path)
    decoded = decode_bytes(data, path, encoding=encoding)
    if not decoded.text.strip().strip("\ufeff").strip():
        raise _empty(path)
    if csv.field_size_limit() < _MAX_FIELD:
        csv.field_size_limit(_MAX_FIELD)
    lines = _split_lines(decoded.text)
    prefer_tab = path.suffix.lower() == ".tsv" or decoded.codec.startswith("utf-16")
    if delimiter is not None:
        chosen = resolve_delimiter(delimiter, path)
        delimiter_notes = _check_given(lines, chosen)
    else:
        chosen, delimiter_notes = _sniff(lines, prefer_tab)
    records = _parse(lines, chosen)
    rows, headers, notes = _rows(path, lines, records, decoded, max_cell_chars)
    return Table(
        path=path,
        format="csv",
        headers=headers,
        rows=rows,
        sha256=sha256,
        encoding=decoded.encoding,
        delimiter=chosen,
        notes=[*decoded.notes, *delimiter_notes, *notes],
    )


def _empty(path: Path) -> IngestError:
    return IngestError(
        f"{path.name} is empty (it has no text, only spaces or blank lines); check that you "
        f"chose the right file and that it was saved completely"
    )


def _split_lines(text: str) -> list[str]:
    """Split text into lines that keep their line ends, as the csv parser wants them.

    Only ``\\n`` ends a line (``\\r\\n`` keeps its ``\\r``), unless the file uses bare ``\\r``
    throughout, as old Mac programs wrote it.
    """
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


class _Record:
    """A record as the csv parser read it, with the lines it came from."""

    __slots__ = ("end", "error", "start", "unclosed", "values")

    def __init__(self, start: int, end: int, values: list[str] | None, error: str | None):
        self.start = start
        self.end = end
        self.values = values
        self.error = error
        self.unclosed = False


def _parse(lines: list[str], delimiter: str) -> list[_Record]:
    """Parse all lines into records, keeping the first and last line of each (1-based)."""
    reader = csv.reader(
        itertools.chain(lines, [_SENTINEL + "\n"]),
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        skipinitialspace=False,
        strict=False,
    )
    records: list[_Record] = []
    previous = 0
    while True:
        # The parser starts afresh after an error, so reading goes on with the next record.
        try:
            for values in reader:
                records.append(_Record(previous + 1, reader.line_num, values, None))
                previous = reader.line_num
        except csv.Error as err:
            records.append(_Record(previous + 1, reader.line_num, None, str(err)))
            previous = reader.line_num
        else:
            break
    last = records.pop()
    if last.values != [_SENTINEL]:
        # The sentinel ended up inside a quoted cell: that cell was never closed.
        last.end = len(lines)
        if last.values:
            last.values[-1] = last.values[-1].removesuffix(_SENTINEL + "\n")
        last.unclosed = True
        records.append(last)
    return records


def _sample(lines: list[str], delimiter: str) -> list[list[str]]:
    """Parse the first lines with a delimiter, leaving out blank, unreadable and cut-off records."""
    reader = csv.reader(lines[:_SAMPLE_LINES], delimiter=delimiter, quotechar='"', strict=False)
    records: list[list[str]] = []
    while True:
        try:
            records.append(next(reader))
        except StopIteration:
            break
        except csv.Error:
            continue
    if len(lines) > _SAMPLE_LINES and len(records) > 1:
        records.pop()
    return [r for r in records if not is_blank(r)]


def _sniff(lines: list[str], prefer_tab: bool) -> tuple[str, list[str]]:
    """Choose the delimiter that splits the header into most columns, consistently.

    When no candidate splits the header, the list has a single column and the delimiter is the
    one that leaves most rows whole, so that a name such as "Kim, Chol-su" stays one cell.
    """
    order = ("\t", ",", ";", "|") if prefer_tab else CANDIDATE_DELIMITERS
    samples = {candidate: _sample(lines, candidate) for candidate in order}
    best: tuple[float, int, int] | None = None
    chosen = order[0]
    for rank, candidate in enumerate(order):
        records = samples[candidate]
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        rest = records[1:]
        agreement = sum(len(r) == width for r in rest) / len(rest) if rest else 1.0
        score = (agreement, width, -rank)
        if best is None or score > best:
            best, chosen = score, candidate
    if best is not None:
        return chosen, [f"delimiter detected: {chosen!r} ({_NAMES[chosen]})"]
    split = {c: sum(len(r) > 1 for r in samples[c][1:]) for c in order}
    chosen = min(order, key=lambda c: (split[c], order.index(c)))
    notes = [
        "the file has a single column (no comma, semicolon, tab or vertical bar in the "
        "header); if it should have more, pass --delimiter"
    ]
    for candidate in order:
        rest = samples[candidate][1:]
        if rest and 2 * split[candidate] > len(rest):
            notes.append(
                f"most rows are split by {_NAMES[candidate]}s into several cells but the header "
                f"has one name; if the header lacks names, add them, or pass --delimiter "
                f"{candidate!r}"
            )
            break
    return chosen, notes


def _check_given(lines: list[str], delimiter: str) -> list[str]:
    """Note when the delimiter given leaves the header in one piece."""
    records = _sample(lines, delimiter)
    if not records or len(records[0]) > 1:
        return []
    header = records[0][0]
    others = [c for c in CANDIDATE_DELIMITERS if c != delimiter and c in header]
    if others:
        return [
            f"with the delimiter {delimiter!r} the header is a single column, but it contains "
            f"{_NAMES[others[0]]}s; if that is the delimiter, pass --delimiter {others[0]!r}"
        ]
    return [f"the file has a single column (the header has no {delimiter!r})"]


def _raw(lines: list[str], record: _Record) -> str:
    """The record's text as it stands in the file, without its final line end."""
    if record.start == record.end:
        text = lines[record.start - 1]
    else:
        text = "".join(lines[record.start - 1 : record.end])
    return text.removesuffix("\n").removesuffix("\r")


def _rows(
    path: Path,
    lines: list[str],
    records: list[_Record],
    decoded: Decoded,
    max_cell_chars: int,
) -> tuple[list[RawRow], list[str], list[str]]:
    """Find the header, check it, and turn the remaining records into rows."""
    blank = 0
    index = 0
    while index < len(records):
        record = records[index]
        if record.values is None or not is_blank(record.values):
            break
        blank += 1
        index += 1
    if index == len(records):
        raise _empty(path)
    header = records[index]
    where = f"the header (line {header.start})"
    if header.values is None or header.unclosed:
        reason = header.error or "a quoted name is never closed"
        raise IngestError(
            f"{path.name}: {where} cannot be read ({reason}); fix the first row so it lists "
            f"the column names"
        )
    if decoded.has_errors and any(has_undecodable(v) for v in header.values):
        raise IngestError(f"{path.name}: {describe_undecodable(where, header.values, decoded)}")
    data_records = records[index + 1 :]
    raw_width = len(header.values)
    used_width = raw_width
    if header.values and not header.values[-1].strip():
        used_width = 0
        for record in data_records:
            values = record.values
            if values is None or len(values) > raw_width:
                continue
            for position in range(len(values), used_width, -1):
                if values[position - 1].strip():
                    used_width = position
                    break
    headers, notes = clean_headers(
        header.values,
        path=path,
        used_width=used_width,
        position=lambda i: f"column {i + 1}",
        max_chars=max_cell_chars,
    )
    width = len(headers)
    rows: list[RawRow] = []
    for record in data_records:
        values = record.values
        if values is not None and is_blank(values):
            blank += 1
            continue
        rows.append(_row(lines, record, headers, raw_width, decoded, max_cell_chars))
    if blank:
        notes.append(f"blank lines skipped: {blank}")
    if not rows:
        notes.append("the file has a header but no data rows")
    if width < 2 and not any(n.startswith("the file has a single column") for n in notes):
        notes.append("the table has a single column")
    return rows, headers, notes


def _row(
    lines: list[str],
    record: _Record,
    headers: list[str],
    raw_width: int,
    decoded: Decoded,
    max_cell_chars: int,
) -> RawRow:
    """Turn one parsed record into a row, finding every reason it cannot be read."""
    raw = _raw(lines, record)
    location = f"row {record.start}"
    values = record.values if record.values is not None else []
    width = len(headers)
    count = len(values)
    if count == width:
        cells: dict[str, str | None] = dict(zip(headers, values, strict=True))
    else:
        cells = dict(zip(headers, values, strict=False))
        for name in headers[count:]:
            cells[name] = None
    problems: list[str] = []
    if record.error is not None:
        problems.append(
            f"{location} cannot be read as CSV ({record.error}); check for a line break or a "
            f"quote inside a cell that is not quoted"
        )
    elif record.unclosed:
        problems.append(
            f"{location} opens a quoted cell that is never closed, so lines {record.start} to "
            f"{record.end} (the end of the file) were read as one row; add the closing quote "
            f"or remove the opening one"
        )
    elif count > raw_width or count < width:
        hint = (
            "check for an unquoted delimiter inside a cell"
            if count > raw_width
            else "check for a missing delimiter, or a line break inside a cell that is not quoted"
        )
        problems.append(
            f"{location} has {count} cell{'s' if count != 1 else ''} but the header has "
            f"{width} column{'s' if width != 1 else ''}; {hint}"
        )
    if decoded.has_errors and has_undecodable(raw):
        problems.insert(0, describe_undecodable(location, values or [raw], decoded))
        cells = {k: render(v) if v is not None else None for k, v in cells.items()}
        raw = render(raw)
    if "\x00" in raw or len(raw) > max_cell_chars:
        problems.extend(cell_problems(location, cells, max_cell_chars))
    return RawRow(
        number=record.start,
        cells=cells,
        raw=raw,
        problem="; ".join(problems) if problems else None,
        kind="row",
    )
