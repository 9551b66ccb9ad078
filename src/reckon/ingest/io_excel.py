"""Read Excel workbooks (.xlsx) into rows of text.

Workbooks are opened with openpyxl in read-only mode, with formulas kept as formulas (a cell
holding ``=A2&" "&B2`` reads as that text, so that nobody mistakes a computed value for a
recorded one). Every cell becomes text the way a person reads it in Excel: whole numbers
without ``.0``, dates as ISO 8601, booleans as ``TRUE``/``FALSE``. Rows are numbered as the
sheet numbers them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from reckon.errors import IngestError
from reckon.ingest.rows import (
    RawRow,
    Table,
    cell_problems,
    clean_headers,
    is_blank,
    read_file_bytes,
)

__all__ = ["cell_text", "read_xlsx"]

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A workbook whose parts claim to unpack to more than this is refused rather than opened:
# real lists are far smaller, and a "zip bomb" would exhaust the machine.
_MAX_UNPACKED = 4 * 1024**3
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Za-z0-9:$]+)"')
_CONVERT = "open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'"


def read_xlsx(path: str | Path, *, sheet: str | None = None, max_cell_chars: int = 65_536) -> Table:
    """Read one sheet of an Excel workbook into a table of text rows.

    Parameters
    ----------
    path : str or Path
        The workbook (.xlsx).
    sheet : str, optional
        The sheet to read; by default the first sheet that holds anything.
    max_cell_chars : int
        The longest a cell may be; a longer one makes its row a problem row.

    Returns
    -------
    Table
        The header and every data row; rows that cannot be read carry a ``problem``.

    Raises
    ------
    IngestError
        If the file is not an .xlsx workbook, the sheet does not exist or is empty, or the
        header is unusable.
    """
    path = Path(path)
    data, sha256 = read_file_bytes(path)
    _check_is_xlsx(path, data)
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as err:
        raise IngestError(
            f"{path.name} could not be opened as an Excel workbook ({type(err).__name__}: "
            f"{err}); {_CONVERT}, or export the sheet as 'CSV UTF-8'"
        ) from err
    try:
        name, rows, notes = _choose_sheet(path, workbook, sheet)
        merged = _merged_ranges(data, workbook[name])
    finally:
        workbook.close()

    blank = 0
    index = 0
    while index < len(rows) and is_blank(rows[index]):
        blank += 1
        index += 1
    if index == len(rows):
        raise IngestError(
            f"{path.name}: sheet {name!r} is empty; choose the sheet that holds the list "
            f"with --sheet"
        )
    header_number = index + 1
    header = rows[index]
    data_rows = rows[index + 1 :]
    used_width = 0
    for values in data_rows:
        for position in range(len(values), used_width, -1):
            if values[position - 1] is not None and values[position - 1].strip():
                used_width = position
                break
    padded: list[str | None] = list(header) + [None] * (used_width - len(header))
    headers, header_notes = clean_headers(
        padded,
        path=path,
        used_width=used_width,
        position=lambda i: f"column {get_column_letter(i + 1)} (row {header_number})",
        max_chars=max_cell_chars,
    )
    notes.extend(header_notes)
    covered = _covered_cells(merged, len(headers), header_number + 1, len(rows))
    table_rows: list[RawRow] = []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="")
    for number, values in enumerate(data_rows, start=header_number + 1):
        if is_blank(values):
            blank += 1
            continue
        cells: dict[str, str | None] = dict(zip(headers, values, strict=False))
        for column in headers[len(values) :]:
            cells[column] = None
        location = f"row {number}"
        problems = cell_problems(location, cells, max_cell_chars)
        if number in covered:
            problems.extend(
                f"{location}: column {headers[column - 1]!r} is part of the merged cells "
                f"{ref}, so its value stands only in the first of them; unmerge the cells and "
                f"fill the value into every row"
                for column, ref in covered[number]
            )
        table_rows.append(
            RawRow(
                number=number,
                cells=cells,
                raw=_render(writer, buffer, values),
                problem="; ".join(problems) if problems else None,
                kind="row",
            )
        )
    if blank:
        notes.append(f"blank rows skipped: {blank}")
    if not table_rows:
        notes.append(f"sheet {name!r} has a header but no data rows")
    return Table(
        path=path,
        format="xlsx",
        headers=headers,
        rows=table_rows,
        sha256=sha256,
        sheet=name,
        notes=notes,
    )


def cell_text(value: object) -> str | None:
    """Write an Excel cell's value as the text a person reads in the cell.

    Parameters
    ----------
    value : object
        A value as openpyxl returns it.

    Returns
    -------
    str or None
        ``None`` for an empty cell; ``"TRUE"``/``"FALSE"`` for booleans; whole numbers without
        ``.0``; other numbers by :func:`repr`; dates and times in ISO 8601 (a date alone when
        the time is midnight); formulas as their text, starting with ``=``.

    Examples
    --------
    >>> cell_text(3.0), cell_text(0.1), cell_text(True)
    ('3', '0.1', 'TRUE')
    >>> cell_text(dt.datetime(2019, 5, 1)), cell_text(dt.datetime(2019, 5, 1, 14, 30))
    ('2019-05-01', '2019-05-01T14:30:00')
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    text = getattr(value, "text", None)
    if isinstance(text, str):
        # An array formula, whose text is the formula.
        return text
    r1 = getattr(value, "r1", None)
    if r1 is not None:
        # A what-if data table, which Excel shows as {=TABLE(r1,r2)}.
        r2 = getattr(value, "r2", None)
        return f"=TABLE({r1},{r2 or ''})"
    return str(value)


def _render(writer: Any, buffer: io.StringIO, values: list[str | None]) -> str:
    """The row as one CSV line, for the quarantine file."""
    buffer.seek(0)
    buffer.truncate()
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    writer.writerow(["" if v is None else v for v in values[:end]])
    return buffer.getvalue()


def _merged_ranges(data: bytes, worksheet: Any) -> list[str]:
    """The merged cell ranges of a sheet, such as ``"A3:A7"``.

    Read-only sheets do not report merged cells, so they are read from the sheet's XML.
    """
    part = getattr(worksheet, "_worksheet_path", None)
    if not part:
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(part.lstrip("/"))
    except (KeyError, zipfile.BadZipFile, OSError):
        return []
    return [m.decode("ascii", "replace") for m in _MERGE_CELL.findall(xml)]


def _covered_cells(
    ranges: list[str], width: int, first_row: int, last_row: int
) -> dict[int, list[tuple[int, str]]]:
    """Row number to the (column, range) of merged cells that are empty because of a merge.

    Every cell of a merged range but the first (top left) reads as empty, though a person
    sees the range's value in it. Only rows ``first_row`` to ``last_row`` and the first
    ``width`` columns are looked at, so that a range over a whole sheet costs nothing.
    """
    from openpyxl.utils import range_boundaries

    covered: dict[int, list[tuple[int, str]]] = {}
    for ref in ranges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if min_col is None or min_row is None or max_col is None or max_row is None:
            continue
        for row in range(max(min_row, first_row), min(max_row, last_row) + 1):
            for column in range(min_col, min(max_col, width) + 1):
                if (row, column) != (min_row, min_col):
                    covered.setdefault(row, []).append((column, ref))
    return covered


def _check_is_xlsx(path: Path, data: bytes) -> None:
    """Refuse files that are not .xlsx workbooks, saying what they are and how to convert."""
    if not data.strip():
        raise IngestError(
            f"{path.name} is empty; check that you chose the right file and that it was saved "
            f"completely"
        )
    if data.startswith(_OLE2):
        raise IngestError(
            f"{path.name} is an old-format Excel 97-2003 workbook (.xls) or a workbook protected "
            f"by a password, not an .xlsx file; {_CONVERT} without a password"
        )
    if not data.startswith(_ZIP):
        head = data[:2048].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
        if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
            raise IngestError(
                f"{path.name} is a web page or XML file named .xlsx (some systems export "
                f"tables this way), not an Excel workbook; {_CONVERT}"
            )
        if b"\x00" not in data[:4096] or data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise IngestError(
                f"{path.name} is a text file (it looks like CSV) named .xlsx, not an Excel "
                f"workbook; rename it to .csv (or .tsv if its cells are separated by tabs)"
            )
        raise IngestError(f"{path.name} is not an Excel workbook (.xlsx); {_CONVERT}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise IngestError(
            f"{path.name} is a damaged or incomplete .xlsx file ({err}); copy it again from "
            f"its source, or {_CONVERT}"
        ) from err
    if b"opendocument" in mimetype:
        raise IngestError(
            f"{path.name} is an OpenDocument spreadsheet (.ods), not an .xlsx workbook; {_CONVERT}"
        )
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        kind = "a Word document" if "word/document.xml" in names else "a zip archive"
        raise IngestError(f"{path.name} is {kind}, not an Excel workbook; {_CONVERT}")
    if unpacked > _MAX_UNPACKED:
        raise IngestError(
            f"{path.name} would unpack to {unpacked / 1024**3:.1f} GB, far more than any list; "
            f"it is refused as possibly malicious; export the sheet as 'CSV UTF-8' instead"
        )


def _choose_sheet(
    path: Path, workbook: Any, sheet: str | None
) -> tuple[str, list[list[str | None]], list[str]]:
    """Pick the sheet to read and read its rows as text."""
    names: list[str] = list(workbook.sheetnames)
    listed = ", ".join(repr(n) for n in names)
    worksheets = {ws.title: ws for ws in workbook.worksheets}
    if sheet is not None:
        chosen = sheet if sheet in names else None
        if chosen is None:
            matches = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
            chosen = matches[0] if len(matches) == 1 else None
        if chosen is None:
            raise IngestError(f"{path.name} has no sheet named {sheet!r}; its sheets are {listed}")
        if chosen not in worksheets:
            raise IngestError(
                f"{path.name}: sheet {chosen!r} is a chart, not a table; its sheets are {listed}"
            )
        return chosen, _sheet_rows(path, worksheets[chosen]), []
    for title, worksheet in worksheets.items():
        rows = _sheet_rows(path, worksheet)
        if not all(is_blank(r) for r in rows):
            notes = []
            if len(names) > 1:
                notes.append(
                    f"read sheet {title!r}; the workbook has {len(names)} sheets ({listed}); "
                    f"choose another with --sheet"
                )
            return title, rows, notes
    raise IngestError(
        f"{path.name} has no data in any sheet ({listed}); check that you chose the right file"
    )


def _sheet_rows(path: Path, worksheet: Any) -> list[list[str | None]]:
    """Read every row of a sheet as text, one list per sheet row (empty rows included)."""
    # Read-only sheets trust the size the file declares; a wrong one would cut rows off.
    worksheet.reset_dimensions()
    try:
        return [[cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    except IngestError:
        raise
    except Exception as err:
        raise IngestError(
            f"{path.name}: sheet {worksheet.title!r} could not be read ({type(err).__name__}: "
            f"{err}); {_CONVERT} again, or export it as 'CSV UTF-8'"
        ) from err
