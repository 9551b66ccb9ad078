"""Read JSON and JSON Lines lists into rows of text.

A JSON list is an array of objects, or an object with one key holding such an array (as in
``{"records": [...]}``); a JSON Lines list has one object per line. Each object is a row; the
header is the union of the keys, in the order they are first seen. Values are kept as the text
they are written with (``1.50`` stays ``"1.50"``); ``true``/``false`` become ``"true"``/
``"false"`` and ``null`` becomes ``None``.

An element that is not an object, a value that is itself an object or a list, a key given
twice, and (in JSON Lines) a line that is not JSON make a problem row rather than an error;
only a JSON document that cannot be parsed at all raises
:class:`~reckon.errors.IngestError`, with the line and column where parsing stopped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
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
    clean_header_name,
    clean_headers,
    read_file_bytes,
)

__all__ = ["read_json", "read_jsonl"]

_SPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_HALF_PAIR = (
    "holds an escaped half of a character pair (\\ud800 to \\udfff) without the other half; "
    "fix the escape"
)


class _Object(dict[str, object]):
    """A JSON object that remembers the keys it was given more than once."""

    __slots__ = ("duplicates",)

    def __init__(self, pairs: list[tuple[str, object]]) -> None:
        super().__init__()
        self.duplicates: list[str] = []
        for key, value in pairs:
            if key in self:
                self.duplicates.append(key)
            else:
                self[key] = value


def _decoder() -> json.JSONDecoder:
    # Numbers are kept as written: parsing them would turn 010 into 10 and 1.50 into 1.5.
    return json.JSONDecoder(
        parse_int=str, parse_float=str, parse_constant=str, object_pairs_hook=_Object
    )


@dataclass
class _Pending:
    """A row whose cells are completed once every key in the file is known."""

    number: int
    values: dict[str, str | None]
    raw: str
    problems: list[str] = field(default_factory=list)


def read_json(
    path: str | Path, *, encoding: str | None = None, max_cell_chars: int = 65_536
) -> Table:
    """Read a JSON array of objects (or an object wrapping one) into a table of text rows.

    Parameters
    ----------
    path : str or Path
        The file.
    encoding : str, optional
        The text encoding; detected when left out (JSON is normally UTF-8).
    max_cell_chars : int
        The longest a value may be; a longer one makes its record a problem row.

    Returns
    -------
    Table
        One row per array element, numbered from 1; elements that cannot be read carry a
        ``problem``.

    Raises
    ------
    IngestError
        If the file is empty, is not valid JSON (the message gives line and column), or does
        not hold a list of records.
    """
    path = Path(path)
    data, sha256 = read_file_bytes(path)
    decoded = _decode(path, data, encoding)
    text = decoded.text
    decoder = _decoder()
    notes = list(decoded.notes)
    start = _skip(text, 0)
    opener = text[start]
    elements: list[tuple[object, int, int]] = []
    members: list[tuple[str, object, int]] = []
    try:
        if opener == "[":
            elements, end = _elements(text, start, decoder)
        elif opener == "{":
            members, end = _members(text, start, decoder)
        else:
            _, end = decoder.raw_decode(text, start)
        rest = _skip(text, end)
        if rest < len(text):
            if opener == "{" and text[rest] == "{":
                raise IngestError(
                    f"{path.name} holds several JSON objects one after another, which is the "
                    f"JSON Lines format; rename it to .jsonl"
                )
            raise json.JSONDecodeError("Extra data after the end of the JSON value", text, rest)
    except json.JSONDecodeError as err:
        raise IngestError(
            f"{path.name} is not valid JSON: {err.msg} at line {err.lineno}, column "
            f"{err.colno}; fix the file there (a JSON validator shows the spot) or export the "
            f"list again"
        ) from err
    if opener == "{":
        elements, note = _wrapped(path, text, members, decoder)
        notes.append(note)
    elif opener != "[":
        raise IngestError(
            f"{path.name} holds a single JSON value, not a list of records; a JSON list must "
            f'be an array of objects such as [{{"name": "..."}}, ...]'
        )
    pending = [
        _record(number, value, text[first:last], "record", decoded)
        for number, (value, first, last) in enumerate(elements, start=1)
    ]
    if not pending:
        notes.append(f"{path.name} holds no records")
    return _table(path, "json", pending, "record", sha256, decoded, notes, max_cell_chars)


def read_jsonl(
    path: str | Path, *, encoding: str | None = None, max_cell_chars: int = 65_536
) -> Table:
    """Read a JSON Lines file (one object per line) into a table of text rows.

    Parameters
    ----------
    path : str or Path
        The file.
    encoding : str, optional
        The text encoding; detected when left out.
    max_cell_chars : int
        The longest a value may be; a longer one makes its line a problem row.

    Returns
    -------
    Table
        One row per non-blank line, numbered by line; lines that cannot be read carry a
        ``problem``.

    Raises
    ------
    IngestError
        If the file is empty.
    """
    path = Path(path)
    data, sha256 = read_file_bytes(path)
    decoded = _decode(path, data, encoding)
    decoder = _decoder()
    pending: list[_Pending] = []
    blank = 0
    lines = decoded.text.split("\n")
    if not lines[-1]:
        # The line end of the last line does not start another line.
        lines.pop()
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            blank += 1
            continue
        first = _skip(line, 0)
        try:
            value, end = decoder.raw_decode(line, first)
            if line[end:].strip():
                raise json.JSONDecodeError("Extra data after the JSON value", line, end)
        except json.JSONDecodeError as err:
            row = _Pending(number, {}, render(line))
            row.problems.append(
                f"line {number} is not valid JSON ({err.msg} at column {err.colno}); fix the "
                f"line or remove it"
            )
            pending.append(row)
            continue
        pending.append(_record(number, value, line, "line", decoded))
    notes = list(decoded.notes)
    if blank:
        notes.append(f"blank lines skipped: {blank}")
    if not pending:
        notes.append(f"{path.name} holds no records")
    return _table(path, "jsonl", pending, "line", sha256, decoded, notes, max_cell_chars)


def _decode(path: Path, data: bytes, encoding: str | None) -> Decoded:
    if not data.strip():
        raise _empty(path)
    decoded = decode_bytes(data, path, encoding=encoding)
    if not decoded.text.strip():
        raise _empty(path)
    return decoded


def _empty(path: Path) -> IngestError:
    return IngestError(
        f"{path.name} is empty (it has no text, only spaces or blank lines); check that you "
        f"chose the right file and that it was saved completely"
    )


def _skip(text: str, position: int) -> int:
    """The index of the first character at or after ``position`` that is not JSON whitespace."""
    match = _SPACE.match(text, position)
    return match.end() if match else position


def _elements(
    text: str, start: int, decoder: json.JSONDecoder
) -> tuple[list[tuple[object, int, int]], int]:
    """Parse the array at ``start``, keeping where each element starts and ends."""
    elements: list[tuple[object, int, int]] = []
    position = _skip(text, start + 1)
    if text.startswith("]", position):
        return elements, position + 1
    while True:
        value, end = decoder.raw_decode(text, position)
        elements.append((value, position, end))
        position = _skip(text, end)
        if text.startswith("]", position):
            return elements, position + 1
        if not text.startswith(",", position):
            raise json.JSONDecodeError("Expecting ',' delimiter or ']'", text, position)
        position = _skip(text, position + 1)


def _members(
    text: str, start: int, decoder: json.JSONDecoder
) -> tuple[list[tuple[str, object, int]], int]:
    """Parse the object at ``start``, keeping each member's key, value and value's start."""
    members: list[tuple[str, object, int]] = []
    position = _skip(text, start + 1)
    if text.startswith("}", position):
        return members, position + 1
    while True:
        if not text.startswith('"', position):
            raise json.JSONDecodeError(
                "Expecting property name enclosed in double quotes", text, position
            )
        key, end = decoder.raw_decode(text, position)
        position = _skip(text, end)
        if not text.startswith(":", position):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, position)
        position = _skip(text, position + 1)
        value, end = decoder.raw_decode(text, position)
        members.append((str(key), value, position))
        position = _skip(text, end)
        if text.startswith("}", position):
            return members, position + 1
        if not text.startswith(",", position):
            raise json.JSONDecodeError("Expecting ',' delimiter or '}'", text, position)
        position = _skip(text, position + 1)


def _wrapped(
    path: Path, text: str, members: list[tuple[str, object, int]], decoder: json.JSONDecoder
) -> tuple[list[tuple[object, int, int]], str]:
    """Find the one array of records inside a top-level object."""
    arrays = [(key, start) for key, value, start in members if isinstance(value, list)]
    if not arrays:
        raise IngestError(
            f"{path.name} holds a single JSON object, not a list of records; put the records "
            f'in an array, as in [{{"name": "..."}}, ...] or {{"records": [...]}}'
        )
    if len(arrays) > 1:
        keys = ", ".join(repr(key) for key, _ in arrays)
        raise IngestError(
            f"{path.name} holds several arrays ({keys}) and reckon cannot tell which one is "
            f"the list; keep one array of records per file"
        )
    key, start = arrays[0]
    elements, _ = _elements(text, start, decoder)
    others = [repr(k) for k, _, _ in members if k != key]
    note = f"read the records under the key {key!r}"
    if others:
        note += f"; the other keys ({', '.join(others)}) are not records and were not read"
    return elements, note


def _kind_of(value: object, raw: str = "") -> str:
    """Say what a parsed JSON value is; ``raw`` tells strings from numbers, both parsed as text."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a string" if raw.lstrip().startswith('"') else "a number"


def _record(number: int, value: object, raw: str, kind: str, decoded: Decoded) -> _Pending:
    """Turn one parsed element into a row awaiting the full header."""
    location = f"{kind} {number}"
    row = _Pending(number, {}, raw)
    undecodable = decoded.has_errors and has_undecodable(raw)
    if undecodable:
        row.problems.append(describe_undecodable(location, _strings(value), decoded))
        row.raw = render(raw)
    if not isinstance(value, dict):
        row.problems.append(
            f"{location} is {_kind_of(value, raw)}, not an object with named values; each record "
            f'must look like {{"name": "...", ...}}'
        )
        return row
    if isinstance(value, _Object) and value.duplicates:
        names = ", ".join(repr(k) for k in value.duplicates)
        row.problems.append(
            f"{location} gives the key {names} more than once; keep one value per key"
        )
    for key, item in value.items():
        if undecodable and has_undecodable(key):
            continue
        if _SURROGATE.search(key):
            row.problems.append(f"{location}: the key {_safe(key)!r} {_HALF_PAIR}")
            continue
        if not clean_header_name(key):
            row.problems.append(
                f"{location} has a value under an empty key ({key!r}); give it a name"
            )
            continue
        if isinstance(item, dict | list):
            row.problems.append(
                f"{location}: the value of {key!r} is {_kind_of(item)}, which cannot be a "
                f"cell; flatten it into separate keys (such as '{key}_1') or into text"
            )
            text: str | None = json.dumps(item, ensure_ascii=False)
        elif item is None:
            text = None
        elif isinstance(item, bool):
            text = "true" if item else "false"
        else:
            text = str(item)
        if text is not None and _SURROGATE.search(text):
            if not undecodable:
                row.problems.append(f"{location}: the value of {key!r} {_HALF_PAIR}")
            text = _safe(text)
        row.values[key] = text
    return row


def _safe(text: str) -> str:
    """Write undecodable bytes and unpaired surrogates as backslash escapes."""
    return render(text).encode("utf-8", "backslashreplace").decode("utf-8")


def _strings(value: object) -> Iterator[str]:
    """Every key and string in a parsed JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _table(
    path: Path,
    fmt: str,
    pending: list[_Pending],
    kind: str,
    sha256: str,
    decoded: Decoded,
    notes: list[str],
    max_cell_chars: int,
) -> Table:
    """Settle the header from every row's keys, then complete and check each row."""
    keys: dict[str, None] = {}
    for row in pending:
        for key in row.values:
            keys.setdefault(key, None)
    raw_keys = list(keys)
    headers, header_notes = clean_headers(
        raw_keys,
        path=path,
        used_width=len(raw_keys),
        position=lambda i: f"key {render(raw_keys[i])!r}",
        max_chars=max_cell_chars,
    )
    notes.extend(header_notes)
    names = dict(zip(raw_keys, headers, strict=True))
    rows: list[RawRow] = []
    for row in pending:
        cells: dict[str, str | None] = dict.fromkeys(headers)
        for key, text in row.values.items():
            cells[names[key]] = text
        location = f"{kind} {row.number}"
        problems = row.problems + cell_problems(location, cells, max_cell_chars)
        rows.append(
            RawRow(
                number=row.number,
                cells=cells,
                raw=row.raw,
                problem="; ".join(problems) if problems else None,
                kind=kind,
            )
        )
    return Table(
        path=path,
        format=fmt,
        headers=headers,
        rows=rows,
        sha256=sha256,
        encoding=decoded.encoding,
        notes=notes,
    )
