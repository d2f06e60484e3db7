"""Texts whose accents were stripped: the parser gets them accented, tokens keep their text."""

from __future__ import annotations

from pathlib import Path

import pytest

from hechos.errors import DictionaryError
from hechos.nlp.diacritics import load_restorer

TABLE = Path(__file__).resolve().parents[1] / "src" / "hechos" / "lang" / "es" / "accents.tsv"


def test_restores_stripped_words_keeping_length_and_case():
    restorer = load_restorer(TABLE)
    text = "Un campesino resulto herido al pisar una mina, segun la policia. MURIO EL SENADOR."
    restored = restorer.restore(text)
    assert restored == "Un campesino resultó herido al pisar una mina, según la policía. MURIÓ EL SENADOR."
    assert len(restored) == len(text)


def test_homographs_are_only_restored_in_text_without_any_accent():
    restorer = load_restorer(TABLE)
    # "segun" is in the table only for stripped text: a text with accents keeps it
    assert restorer.restore("Según la policía, segun dijo.") == "Según la policía, segun dijo."
    assert restorer.restore("La guerrilla ataco el cuartel, segun el ejercito.") == \
        "La guerrilla atacó el cuartel, según el ejército."


def test_a_bad_table_line_names_file_and_line(tmp_path):
    bad = tmp_path / "accents.tsv"
    bad.write_text("# header\nmurio\tmurió\npolicia\tpolicías\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"accents.tsv:3:"):
        load_restorer(bad)


def test_accentless_news_is_coded_with_the_original_words(code):
    events = code("Un campesino murio al pisar una mina antipersonal sembrada por guerrilleros del ELN.",
                  "2004-08-04")
    assert [(e.cameo, e.target.code if e.target else None, e.trigger) for e in events] == \
        [("180", "AGR", "murio")], events


def test_words_with_accents_are_left_alone():
    restorer = load_restorer(TABLE)
    text = "Japón ofreció ayuda a Marruecos; el papa dirigió un mensaje."
    assert restorer.restore(text) == text
