"""Which writing system a name is in: Hangul, Latin letters, Hanja, or a mix."""

from __future__ import annotations

import unicodedata

HANGUL = "hangul"
LATIN = "latin"
HANJA = "hanja"
MIXED = "mixed"
OTHER = "other"

ROMANIZATIONS: dict[str, str] = {
    "rr": "Revised Romanization (South Korea, 2000)",
    "mr": "McCune–Reischauer",
    "dprk": "DPRK official romanization",
    "passport": "passport or press spelling (Lee, Park, Choi...)",
}


def _script_of(char: str) -> str | None:
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return HANGUL
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return HANJA
    if char.isalpha():
        name = unicodedata.name(char, "")
        return LATIN if name.startswith("LATIN") else OTHER
    return None  # spaces, hyphens, apostrophes, digits: no script of their own


def detect_script(text: str) -> str:
    """The script of ``text``: ``hangul``, ``latin``, ``hanja``, ``mixed`` or ``other``.

    Punctuation, spaces and digits do not count; a text with letters of two scripts is
    ``mixed``, and a text with no letters at all is ``other``.
    """
    found = {s for s in map(_script_of, unicodedata.normalize("NFC", text)) if s is not None}
    if len(found) == 1:
        return found.pop()
    return MIXED if found else OTHER
