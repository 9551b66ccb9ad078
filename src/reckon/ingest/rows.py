"""Rows of text as read from a list file, and the rules every format shares.

A reader turns a file into a :class:`Table`: its header and one :class:`RawRow` per data row.
Nothing is dropped silently: a row that cannot be read still comes out, carrying a
``problem`` that says why, so that it can be rejected into the quarantine file with that
reason. Problems with the file as a whole (it is not a table at all) raise
:class:`~reckon.errors.IngestError` instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reckon.errors import IngestError

__all__ = [
    "RawRow",
    "Table",
    "cell_problems",
    "clean_header_name",
    "clean_headers",
    "is_blank",
    "read_file_bytes",
]


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row of a list file, as text.

    Attributes
    ----------
    number : int
        Where a person finds the row: for CSV the line it starts on and for XLSX the sheet's
        row number (the header usually being row 1); for JSON Lines the line number; for a
        JSON array the record's position, counting from 1.
    cells : dict of str to str or None
        Header name to cell text as read (not stripped); ``None`` where the row has no such
        cell.
    raw : str
        The row as text, for the quarantine file; bytes that did not decode are written as
        backslash escapes.
    problem : str or None
        Why the row cannot be read; such a row is rejected with this reason.
    kind : str
        ``"row"``, ``"line"`` or ``"record"``: what :attr:`number` counts.
    """

    number: int
    cells: dict[str, str | None]
    raw: str
    problem: str | None = None
    kind: str = "row"

    def location(self) -> str:
        """Say where the row is: ``"row 7"``, ``"line 7"`` or ``"record 7"``."""
        return f"{self.kind} {self.number}"


@dataclass
class Table:
    """A list file read as text: header names and rows.

    Attributes
    ----------
    path : Path
        The file read.
    format : str
        ``"csv"``, ``"xlsx"``, ``"json"`` or ``"jsonl"``.
    headers : list of str
        Column names, stripped of surrounding spaces and byte-order marks, unique when compared
        without case.
    rows : list of RawRow
        Every data row, in file order, readable or carrying a problem.
    sha256 : str
        Hex SHA-256 of the file's bytes.
    encoding : str or None
        The text encoding, as detected or given (``"utf-8"``, ``"utf-8-sig"``, ``"cp949"``,
        ``"utf-16"``); ``None`` for XLSX.
    delimiter : str or None
        The CSV delimiter used.
    sheet : str or None
        The XLSX sheet read.
    notes : list of str
        Things the user should know: the encoding or delimiter detected, blank lines skipped.
    """

    path: Path
    format: str
    headers: list[str]
    rows: list[RawRow]
    sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[RawRow]:
        """The rows that cannot be read."""
        return [row for row in self.rows if row.problem is not None]


def read_file_bytes(path: Path) -> tuple[bytes, str]:
    """Read a list file's bytes and their SHA-256.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    tuple of (bytes, str)
        The content and its hex SHA-256.

    Raises
    ------
    IngestError
        If the file does not exist, is a folder, or cannot be read.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise IngestError(f"{path}: no such file; check the path and its spelling") from err
    except IsADirectoryError as err:
        raise IngestError(f"{path} is a folder, not a file; give the path of a list file") from err
    except PermissionError as err:
        raise IngestError(
            f"{path}: permission denied; check that your account may read the file"
        ) from err
    except OSError as err:
        raise IngestError(f"{path}: cannot be read ({err.strerror or err})") from err
    return data, hashlib.sha256(data).hexdigest()


def is_blank(values: Iterable[str | None]) -> bool:
    """Tell whether a row has no text in any cell (only empty or whitespace cells)."""
    # A plain loop: this runs once per row, and is much faster than all() over a generator.
    for value in values:  # noqa: SIM110
        if value is not None and value.strip():
            return False
    return True


def clean_header_name(name: str | None) -> str:
    """Strip spaces and byte-order marks around a header name."""
    if name is None:
        return ""
    return name.strip().strip("\ufeff").strip()


def clean_headers(
    names: Sequence[str | None],
    *,
    path: Path,
    used_width: int,
    position: Callable[[int], str],
    max_chars: int,
) -> tuple[list[str], list[str]]:
    """Check and clean a header row.

    Parameters
    ----------
    names : sequence of str or None
        The header cells as read.
    path : Path
        The file, for messages.
    used_width : int
        How many columns from the left hold a value in at least one data row; empty header
        cells right of these may be dropped.
    position : callable
        Names a column from its 0-based index for messages (``"column 3"``, ``"column C"``).
    max_chars : int
        The longest a header name may be.

    Returns
    -------
    tuple of (list of str, list of str)
        The header names, and notes for the user.

    Raises
    ------
    IngestError
        If a header cell is empty (except trailing ones over empty columns), two names are the
        same when compared without case and surrounding spaces, or a name holds a NUL byte or
        is too long.
    """
    cleaned = [clean_header_name(n) for n in names]
    notes: list[str] = []
    width = len(cleaned)
    while width > used_width and not cleaned[width - 1]:
        width -= 1
    if width < len(cleaned):
        dropped = len(cleaned) - width
        notes.append(
            f"ignored {dropped} column{'s' if dropped != 1 else ''} with no header and no "
            f"values at the right of the table"
        )
        cleaned = cleaned[:width]
    empty = [position(i) for i, name in enumerate(cleaned) if not name]
    if empty:
        title = ""
        if cleaned[0] and len(empty) == len(cleaned) - 1:
            title = (
                f"; if the first row ({cleaned[0]!r}) is a title above the column names, "
                f"delete it so that the names come first"
            )
        raise IngestError(
            f"{path.name}: the header has no name in {_join(empty)}; give every column a name "
            f"in the header row (or delete columns that hold nothing){title}"
        )
    bad = [
        f"{position(i)} has a NUL byte"
        if "\x00" in name
        else f"{position(i)} is {len(name):,} characters long"
        for i, name in enumerate(cleaned)
        if "\x00" in name or len(name) > max_chars
    ]
    if bad:
        raise IngestError(
            f"{path.name}: the header is damaged ({'; '.join(bad)}); check that the first row "
            f"holds the column names and re-save the file"
        )
    seen: dict[str, list[int]] = {}
    for i, name in enumerate(cleaned):
        seen.setdefault(name.casefold(), []).append(i)
    duplicates = [indexes for indexes in seen.values() if len(indexes) > 1]
    if duplicates:
        described = "; ".join(
            " and ".join(f"{position(i)} ({names[i]!r})" for i in indexes) for indexes in duplicates
        )
        raise IngestError(
            f"{path.name}: the header names some columns twice: {described}; rename one of "
            f"each so that every column has its own name (case and spaces do not count)"
        )
    return cleaned, notes


def cell_problems(location: str, cells: Mapping[str, str | None], max_cell_chars: int) -> list[str]:
    """Find cells a row cannot be stored with: NUL bytes and over-long values.

    Parameters
    ----------
    location : str
        Where the row is (``"row 7"``).
    cells : mapping of str to str or None
        Header name to cell text.
    max_cell_chars : int
        The longest a cell may be.

    Returns
    -------
    list of str
        One message per problem; empty when the row is fine.
    """
    problems: list[str] = []
    for column, value in cells.items():
        if value is None:
            continue
        if "\x00" in value:
            problems.append(
                f"{location} has a NUL byte in column {column!r}; the file may be damaged or "
                f"saved in another format, so re-export it as UTF-8 CSV or remove the byte"
            )
        if len(value) > max_cell_chars:
            problems.append(
                f"{location} has {len(value):,} characters in column {column!r}, more than "
                f"the limit of {max_cell_chars:,}; check for a quote that is never closed, or "
                f"shorten the value"
            )
    return problems


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
