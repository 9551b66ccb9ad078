"""Read any supported list file into a :class:`~reckon.ingest.rows.Table` of text rows."""

from __future__ import annotations

from pathlib import Path

from reckon.errors import IngestError
from reckon.ingest.io_csv import read_csv
from reckon.ingest.io_excel import read_xlsx
from reckon.ingest.io_json import read_json, read_jsonl
from reckon.ingest.rows import Table

__all__ = ["SUPPORTED_SUFFIXES", "read_table"]

# Suffix to format.
SUPPORTED_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

_CONVERT_HINTS = {
    ".xls": "open it in Excel or LibreOffice and save it as .xlsx",
    ".ods": "open it in LibreOffice and save it as .xlsx",
    ".xlsm": "save it as .xlsx (macros are not run and are not needed)",
    ".hwp": "convert it in the isolated conversion machine (SECURITY.md, SR-19) and export "
    "the table as CSV",
    ".docx": "copy the table into a spreadsheet and save it as .xlsx or CSV",
    ".pdf": "convert it in the isolated conversion machine (SECURITY.md, SR-19) and export "
    "the table as CSV",
}


def read_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    max_cell_chars: int = 65_536,
) -> Table:
    """Read a list file into header names and rows of text, losing no row.

    Parameters
    ----------
    path : str or Path
        The file: ``.csv``, ``.tsv`` or ``.txt`` (delimited text), ``.xlsx``, ``.json`` (an
        array of objects), ``.jsonl`` or ``.ndjson`` (one object per line).
    encoding : str, optional
        Text encoding for text formats; detected when left out.
    delimiter : str, optional
        Cell delimiter for delimited text; sniffed when left out.
    sheet : str, optional
        Sheet of an .xlsx workbook; by default the first that holds anything.
    max_cell_chars : int
        The longest a cell may be; a longer one makes its row a problem row.

    Returns
    -------
    Table
        Every data row of the file, each readable or carrying a ``problem`` that says why not.

    Raises
    ------
    IngestError
        If the file type is not supported, an option does not apply to it, or the file
        cannot be read as a table at all.

    Examples
    --------
    >>> table = read_table("victims.csv")  # doctest: +SKIP
    >>> [row.location() for row in table.rows if row.problem]  # doctest: +SKIP
    ['row 7']
    """
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        hint = _CONVERT_HINTS.get(suffix)
        what = f"files ending in {suffix!r}" if suffix else "files without a suffix"
        raise IngestError(
            f"{path.name}: reckon cannot read {what}; it reads {supported}"
            + (f"; {hint}" if hint else "; save the list in one of these formats")
        )
    if isinstance(max_cell_chars, bool) or not isinstance(max_cell_chars, int):
        raise IngestError(f"max_cell_chars must be a whole number, not {max_cell_chars!r}")
    if max_cell_chars < 1:
        raise IngestError(f"max_cell_chars must be at least 1, not {max_cell_chars}")
    _refuse_options(path, fmt, encoding=encoding, delimiter=delimiter, sheet=sheet)
    if fmt == "csv":
        return read_csv(path, encoding=encoding, delimiter=delimiter, max_cell_chars=max_cell_chars)
    if fmt == "xlsx":
        return read_xlsx(path, sheet=sheet, max_cell_chars=max_cell_chars)
    if fmt == "json":
        return read_json(path, encoding=encoding, max_cell_chars=max_cell_chars)
    return read_jsonl(path, encoding=encoding, max_cell_chars=max_cell_chars)


def _refuse_options(
    path: Path, fmt: str, *, encoding: str | None, delimiter: str | None, sheet: str | None
) -> None:
    """Refuse options that do not apply to the format, rather than ignore them."""
    wrong = []
    if sheet is not None and fmt != "xlsx":
        wrong.append("--sheet applies to .xlsx workbooks only")
    if delimiter is not None and fmt != "csv":
        wrong.append("--delimiter applies to delimited text (.csv, .tsv, .txt) only")
    if encoding is not None and fmt == "xlsx":
        wrong.append("--encoding does not apply to .xlsx workbooks, which say their encoding")
    if wrong:
        raise IngestError(f"{path.name}: {'; '.join(wrong)}; leave the option out")
