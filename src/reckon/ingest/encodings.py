"""Decode list files in the encodings defectors' lists arrive in, without losing a byte.

Lists kept in South Korea come as UTF-8 (with or without a byte-order mark), as CP949 (the
Windows superset of EUC-KR that older Excel and Hangul Office versions save), or as UTF-16
with a byte-order mark (Excel's "Unicode text" export). Files assembled by hand often mix
them: most lines UTF-8, a few pasted in from a CP949 file.

The rule here is that nothing is mangled silently. A file is decoded once, as a whole, in the
encoding most of its lines use; bytes that do not decode become *markers*, the characters
U+DC00 to U+DCFF (one per byte, as Python's ``surrogateescape`` does, but for every byte
value). Decoded text never contains such characters otherwise, so a reader can tell which rows
hold undecodable bytes, reject them with :func:`describe_undecodable`, and put the rows'
original bytes in the quarantine file with :func:`render`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from reckon.errors import IngestError

__all__ = [
    "Decoded",
    "decode_bytes",
    "describe_undecodable",
    "has_undecodable",
    "label",
    "render",
    "resolve_encoding",
]

_ERRORS = "reckon.ingest.bytes"
_MARKER = re.compile("[\udc00-\udcff]")
_MARKER_BASE = 0xDC00

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE mark.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# Codec names (as ``codecs.lookup`` spells them) that are decoded with CP949 instead: CP949
# reads every EUC-KR file the same way and also the 8,822 syllables EUC-KR lacks.
_CP949_FAMILY = frozenset({"euc_kr", "cp949"})

_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "cp949": "CP949",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32": "UTF-32",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
}

_FIX = "save the whole file in one encoding, or pass --encoding"
_SHOWN_CHARS = 60
# How much CP949 text is checked for looking like Korean.
_SAMPLE_CHARS = 65_536


def _markers(err: UnicodeError) -> tuple[str | bytes, int]:
    """Codec error handler: undecodable bytes to markers, and markers back to their bytes."""
    if isinstance(err, UnicodeDecodeError):
        bad = err.object[err.start : err.end]
        return "".join(chr(_MARKER_BASE + b) for b in bad), err.end
    if isinstance(err, UnicodeEncodeError):
        chunk = err.object[err.start : err.end]
        if all(_MARKER_BASE <= ord(c) <= _MARKER_BASE + 0xFF for c in chunk):
            return bytes(ord(c) - _MARKER_BASE for c in chunk), err.end
    raise err


codecs.register_error(_ERRORS, _markers)


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text and how it was decoded.

    Attributes
    ----------
    text : str
        The file's text without a byte-order mark; undecodable bytes appear as markers.
    encoding : str
        The encoding to report: ``"utf-8"``, ``"utf-8-sig"``, ``"cp949"``, ``"utf-16"``, or the
        name given or guessed.
    codec : str
        The codec that turns the text (without byte-order mark) back into the file's bytes.
    alternative : str or None
        The codec to try on rows that do not decode, to show the user what they contain.
    has_errors : bool
        Whether ``text`` contains markers.
    notes : tuple of str
        What the user should know about the encoding.
    """

    text: str
    encoding: str
    codec: str
    alternative: str | None
    has_errors: bool
    notes: tuple[str, ...]


def label(encoding: str) -> str:
    """Name an encoding the way users know it (``"UTF-8"``, ``"CP949"``, ``"UTF-16"``)."""
    return _LABELS.get(encoding, encoding.upper())


def has_undecodable(text: str) -> bool:
    """Tell whether ``text`` holds bytes that did not decode (markers)."""
    return _MARKER.search(text) is not None


def render(text: str) -> str:
    """Write markers as backslash escapes (``\\xb1``), leaving other characters as they are.

    The result is safe to write in any Unicode file, and shows the bytes that did not decode.
    """
    return _MARKER.sub(lambda m: f"\\x{ord(m.group()) - _MARKER_BASE:02x}", text)


def resolve_encoding(name: str, path: Path) -> str:
    """Turn an encoding name a user gave into a Python codec name.

    Parameters
    ----------
    name : str
        An encoding name such as ``"utf-8"``, ``"UTF8"``, ``"euc-kr"``, ``"cp949"``.
    path : Path
        The file being read, for the error message.

    Returns
    -------
    str
        The codec name as :func:`codecs.lookup` spells it; EUC-KR becomes ``"cp949"``.

    Raises
    ------
    IngestError
        If Python knows no such encoding, or it is not a text encoding.
    """
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError) as err:
        raise IngestError(
            f"{path.name}: unknown encoding {name!r}; use one of 'utf-8', 'utf-8-sig', "
            f"'cp949' (also reads EUC-KR), 'utf-16', or leave it out to detect the encoding"
        ) from err
    try:
        # Codecs such as base64 and rot13 turn bytes into bytes, or text into text.
        b"a".decode(info.name, "replace")
    except LookupError as err:
        raise IngestError(
            f"{path.name}: {name!r} is not a text encoding; use 'utf-8', 'cp949' or 'utf-16'"
        ) from err
    return "cp949" if info.name in _CP949_FAMILY else info.name


def decode_bytes(data: bytes, path: Path, *, encoding: str | None = None) -> Decoded:
    """Decode a file's bytes, detecting the encoding unless one is given.

    Detection tries, in order: a byte-order mark; UTF-16 without a mark (text with a zero
    byte in every other position); strict UTF-8; the encoding most non-ASCII lines decode in,
    UTF-8 or CP949; and only then ``charset-normalizer``.

    Parameters
    ----------
    data : bytes
        The file's content.
    path : Path
        The file, for messages.
    encoding : str, optional
        The encoding to use instead of detecting one.

    Returns
    -------
    Decoded
        The text, with markers where bytes did not decode, and how it was decoded.

    Raises
    ------
    IngestError
        If ``encoding`` is unknown, or no encoding reads the file.
    """
    if encoding is not None:
        return _decode_given(data, path, encoding)
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            note = f"encoding detected: {label(name)} (the file starts with a byte-order mark)"
            if codec.startswith("utf-16"):
                note += f", {'little' if codec.endswith('le') else 'big'}-endian"
            return _whole(data[len(bom) :], name, codec, [note], _alternative(codec))
    bomless = _utf16_without_bom(data)
    if bomless is not None:
        note = (
            f"encoding detected: UTF-16 without a byte-order mark "
            f"({'little' if bomless.endswith('le') else 'big'}-endian)"
        )
        return _whole(data, "utf-16", bomless, [note], None)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        plain = " (the file is plain ASCII)" if data.isascii() else ""
        return Decoded(
            text, "utf-8", "utf-8", "cp949", False, (f"encoding detected: UTF-8{plain}",)
        )
    return _by_majority(data, path)


def _decode_given(data: bytes, path: Path, encoding: str) -> Decoded:
    """Decode with the encoding the user named, dropping a byte-order mark of that encoding."""
    name = resolve_encoding(encoding, path)
    codec = name
    notes = [f"encoding: {label(name)} (as given)"]
    body = data
    for bom, bom_codec, bom_name in _BOMS:
        if data.startswith(bom):
            same = codec in {bom_codec, bom_name, "utf-16", "utf-32"}
            if same and _family(codec) == _family(bom_codec):
                body = data[len(bom) :]
                codec = bom_codec
            else:
                notes.append(
                    f"the file starts with a {label(bom_name)} byte-order mark but was read as "
                    f"{label(codec)} as asked; if names look wrong, leave out --encoding"
                )
            break
    if codec == "utf-8-sig":
        codec = "utf-8"
    elif codec in {"utf-16", "utf-32"}:
        # Without a mark, Excel and Windows write little-endian.
        codec += "-le"
    return _whole(body, name, codec, notes, _alternative(codec))


def _family(codec: str) -> tuple[str, ...]:
    return tuple(codec.replace("-sig", "").split("-")[:2])


def _whole(
    body: bytes, name: str, codec: str, notes: list[str], alternative: str | None
) -> Decoded:
    """Decode a whole file in one encoding; bytes that do not decode become markers."""
    try:
        text = body.decode(codec)
    except UnicodeDecodeError:
        return _finish(body.decode(codec, errors=_ERRORS), name, codec, notes, alternative)
    return _finish(text, name, codec, notes, alternative, checked=True)


def _finish(
    text: str,
    name: str,
    codec: str,
    notes: list[str],
    alternative: str | None,
    *,
    checked: bool = False,
) -> Decoded:
    """Package decoded text, noting how many lines hold bytes that did not decode."""
    if text.startswith("\ufeff"):
        text = text[1:]
    errors = False if checked else has_undecodable(text)
    if errors:
        count = sum(1 for line in text.split("\n") if has_undecodable(line))
        notes = [
            *notes,
            f"{count} line{'s' if count != 1 else ''} of the file "
            f"{'is' if count == 1 else 'are'} not {label(codec)}; "
            f"{'its row is' if count == 1 else 'their rows are'} rejected",
        ]
    return Decoded(text, name, codec, alternative, errors, tuple(notes))


def _by_majority(data: bytes, path: Path) -> Decoded:
    """Decode a file that is not all UTF-8 in the encoding most of its non-ASCII lines use."""
    lines = data.split(b"\n")
    utf8_lines: set[int] = set()
    cp949_lines = 0
    neither = 0
    sample: list[str] = []
    sampled = 0
    for index, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            utf8_lines.add(index)
            continue
        try:
            text = line.decode("cp949")
        except UnicodeDecodeError:
            neither += 1
        else:
            cp949_lines += 1
            if sampled < _SAMPLE_CHARS:
                sample.append(text)
                sampled += len(text)
    total = len(utf8_lines) + cp949_lines + neither
    # Ties go to UTF-8, the encoding of anything saved recently; the lines of the other
    # encoding are rejected, never misread.
    if len(utf8_lines) >= max(cp949_lines, neither):
        note = _mixed_note("UTF-8", len(utf8_lines), total)
        return _whole(data, "utf-8", "utf-8", [note], "cp949")
    if cp949_lines >= neither and _reads_as_korean("".join(sample)):
        if cp949_lines == total:
            return _whole(data, "cp949", "cp949", ["encoding detected: CP949 (EUC-KR)"], "utf-8")
        note = _mixed_note("CP949 (EUC-KR)", cp949_lines, total)
        # A line that is valid UTF-8 also decodes as CP949, but into nonsense syllables; its
        # non-ASCII bytes are kept as markers so that its row is rejected, not mangled.
        parts = [
            line.decode("ascii" if index in utf8_lines else "cp949", errors=_ERRORS)
            for index, line in enumerate(lines)
        ]
        return _finish("\n".join(parts), "cp949", "cp949", [note], "utf-8")
    return _guess_with_charset_normalizer(data, path)


def _reads_as_korean(text: str) -> bool:
    """Tell whether text decoded as CP949 looks like Korean rather than other bytes misread.

    Korean text uses almost only the 2,350 syllables and 4,888 hanja of KS X 1001 (EUC-KR);
    CP949 adds 8,822 rare syllables. Bytes of another encoding (Shift-JIS, Latin-1) that
    happen to decode as CP949 land mostly among the rare ones.
    """
    encoded = "".join(c for c in text if ord(c) > 0x7F).encode("cp949")
    # Every non-ASCII CP949 character takes two bytes; KS X 1001 ones have both of them in
    # 0xA1-0xFE, the additions of CP949 a first or second byte below 0xA1.
    pairs = len(encoded) // 2
    unusual = sum(
        1
        for lead, trail in zip(encoded[0::2], encoded[1::2], strict=True)
        if lead < 0xA1 or trail < 0xA1
    )
    return unusual * 2 <= pairs if pairs else True


def _mixed_note(name: str, majority: int, total: int) -> str:
    return (
        f"encoding detected: {name}, which {majority} of the {total} lines with non-ASCII text "
        f"use; the file mixes encodings"
    )


def _guess_with_charset_normalizer(data: bytes, path: Path) -> Decoded:
    """Last resort for files that are neither UTF-8 nor CP949."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError(
            f"{path.name}: cannot tell which encoding the file is in (it is neither UTF-8 nor "
            f"CP949/EUC-KR); open it in a spreadsheet or text editor and save it as "
            f"'CSV UTF-8', or pass --encoding"
        )
    codec = codecs.lookup(best.encoding).name
    note = (
        f"encoding guessed: {label(codec)} (the file is neither UTF-8 nor CP949); check that "
        f"names read correctly, or pass --encoding"
    )
    return _whole(data, codec, codec, [note], _alternative(codec))


def _alternative(codec: str) -> str | None:
    """The other encoding a row that does not decode is likely in: CP949 for UTF-8 files,
    UTF-8 for CP949 and other ASCII-compatible ones, none for UTF-16 and UTF-32."""
    if codec == "utf-8":
        return "cp949"
    try:
        return "utf-8" if "\n,".encode(codec) == b"\n," else None
    except (UnicodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise UTF-16 text without a byte-order mark by its zero bytes.

    ASCII characters in UTF-16 have a zero high byte, so in a list (whose delimiters, digits and
    line ends are ASCII) about half of one byte position is zero and hardly any of the other.
    """
    sample = data[:4096]
    if len(sample) < 8:
        return None
    sample = sample[: len(sample) // 2 * 2]
    pairs = len(sample) // 2
    even = sample[0::2].count(0) / pairs
    odd = sample[1::2].count(0) / pairs
    codec = None
    if odd > 0.3 and even < 0.05:
        codec = "utf-16-le"
    elif even > 0.3 and odd < 0.05:
        codec = "utf-16-be"
    if codec is None:
        return None
    try:
        data[: len(data) // 2 * 2].decode(codec)
    except UnicodeDecodeError:
        return None
    return codec


def describe_undecodable(location: str, texts: list[str], decoded: Decoded) -> str:
    """Say why a row with undecodable bytes is rejected, and what it would read as.

    Parameters
    ----------
    location : str
        Where the row is, such as ``"row 7"``.
    texts : list of str
        The row's cells (or its text); those holding markers are shown.
    decoded : Decoded
        How the file was decoded.

    Returns
    -------
    str
        For example ``"row 7 is not valid UTF-8 (it reads as CP949: '김철수'); save the whole
        file in one encoding, or pass --encoding"``.
    """
    bad = [t for t in texts if has_undecodable(t)]
    readings: list[str] = []
    if decoded.alternative is not None:
        for text in bad:
            try:
                raw = text.encode(decoded.codec, errors=_ERRORS)
                readings.append(raw.decode(decoded.alternative))
            except UnicodeError:
                readings = []
                break
    what = f"{location} is not valid {label(decoded.codec)}"
    if readings and decoded.alternative is not None:
        shown = ", ".join(repr(_shorten(r)) for r in readings[:3])
        return f"{what} (it reads as {label(decoded.alternative)}: {shown}); {_FIX}"
    # Not repr(): that would double the backslashes of the escapes.
    shown = ", ".join(f"'{_shorten(render(t))}'" for t in bad[:3])
    return f"{what} (bytes that do not decode: {shown}); {_FIX}"


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"
