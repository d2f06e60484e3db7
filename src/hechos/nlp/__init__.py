"""Parsing: raw text to `ParsedSentence` records (spaCy), or CoNLL-U to the same records.

The coder only sees `ParsedSentence`; any parser that can fill one can feed it.
"""

from .conllu import read_conllu
from .spacy_backend import SpacyParser

__all__ = ["SpacyParser", "read_conllu"]
