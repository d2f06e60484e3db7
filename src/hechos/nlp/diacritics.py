"""Accents put back into text whose accents were stripped ("murio", "resulto herido",
"policia"), before it reaches the parser.

Databases and scraped wires often carry Spanish without diacritics; the parser then
takes "murio" for an adjective and loses the sentence. Restoring keeps the text's length
(an accented vowel or ñ is one character, like the plain one), so the parser gets a
repaired copy and every token keeps its original text and offsets, the way ALL-CAPS
headlines are handled. The table is a data file of the language pack
(`lang/es/accents.tsv`, built by `scripts/make_accents.py`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from ..datafile import display_path
from ..errors import DictionaryError
from ..textnorm import normalize

_WORD = re.compile(r"[^\W\d_]{3,}")  # whole words, accented letters included
_PLAIN = re.compile(r"[a-z]{3,}")
_ACCENTED = re.compile(r"[áéíóúÁÉÍÓÚñÑ]")


class DiacriticRestorer:
    """`restore(text)`: the text with stripped words accented again, same length."""

    def __init__(self, always: dict[str, str], stripped_only: dict[str, str]):
        self.always = always
        self.stripped_only = stripped_only

    def restore(self, text: str) -> str:
        table = self.always
        if self.stripped_only and not _ACCENTED.search(text):
            table = {**self.always, **self.stripped_only}

        def accent(m: re.Match) -> str:
            word = m.group(0)
            found = table.get(word.lower()) if word.isascii() else None
            if found is None:
                return word
            if word.isupper():
                return found.upper()
            return found[0].upper() + found[1:] if word[0].isupper() else found

        return _WORD.sub(accent, text)


@cache
def load_restorer(path: Path) -> DiacriticRestorer:
    file = display_path(path)
    always: dict[str, str] = {}
    stripped_only: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) not in (2, 3) or (len(cols) == 3 and cols[2] != "stripped"):
                raise DictionaryError(file, number, "expected 'plain<TAB>accented' or 'plain<TAB>accented<TAB>stripped'")
            plain, word = cols[0], unicodedata.normalize("NFC", cols[1])
            if plain in always or plain in stripped_only:
                raise DictionaryError(file, number, f"{plain!r} is listed twice")
            if not _PLAIN.fullmatch(plain) or len(word) != len(plain) or normalize(word) != plain:
                raise DictionaryError(file, number, f"{word!r} does not strip to {plain!r} with the same length")
            (stripped_only if len(cols) == 3 else always)[plain] = word
    return DiacriticRestorer(always, stripped_only)
