"""Locating events: the place of the verb, of the main clause, the dateline; namesakes."""

from __future__ import annotations

import pytest

from hechos.context.places import PlaceLocator
from hechos.records import Article


@pytest.fixture(scope="module")
def locator(pipeline):
    return PlaceLocator(pipeline.language)


@pytest.fixture(scope="module")
def parse(pipeline):
    def run(text: str):
        sentences = []
        for paragraph in text.split("\n\n"):
            for found in pipeline.parser.parse([paragraph]):
                sentences.extend(found)
        for n, sent in enumerate(sentences):
            sent.index = n
        return sentences

    return run


@pytest.fixture(scope="module")
def where(locator, parse):
    """Locate the event whose trigger is `verb` (its first occurrence in the text)."""

    def run(text: str, verb: str, actors: list[str] | None = None):
        sentences = parse(text)
        geo = locator.article_geo(Article(id="t", text=text), sentences)
        for sent in sentences:
            for tok in sent.tokens:
                if tok.text == verb:
                    return locator.locate(sent, tok.i, actors or [], geo)
        raise AssertionError(f"no {verb!r} in {text!r}")

    return run


def test_place_of_the_verb(where):
    p = where("Las tropas rusas bombardearon el martes una fábrica cerca de Járkov.", "bombardearon")
    assert (p.name, p.country, p.text) == ("Kharkiv", "UKR", "Járkov")
    assert p.how.startswith("verb")
    p = where("Los manifestantes marcharon en Medellín contra el Gobierno.", "marcharon")
    assert (p.country, p.feature, p.how) == ("COL", "city", "verb")


@pytest.mark.parametrize("text, name", [
    ("La policía detuvo a diez activistas en la ciudad de Medellín.", "Medellín"),
    ("Un dron ucraniano atacó una refinería al norte de Moscú.", "Moscow"),
    ("Los rebeldes atacaron un cuartel a las afueras de Bamako.", "Bamako"),
    ("El Ejército bombardeó posiciones en el norte de Siria.", "Siria"),
])
def test_locative_phrases_lead_to_the_name(where, text, name):
    verb = next(w for w in ("detuvo", "atacó", "atacaron", "bombardeó") if f" {w} " in text)
    p = where(text, verb)
    assert p is not None and p.name == name and p.how.startswith("verb")


def test_against_a_town_but_not_a_country(where):
    p = where("Las fuerzas rusas lanzaron un ataque contra la ciudad de Járkov, en el noreste de Ucrania.",
              "lanzaron")
    assert (p.text, p.feature) == ("Járkov", "city")
    assert where("La Unión Europea aprobó sanciones contra Rusia.", "aprobó") is None


def test_place_of_the_main_clause(where):
    p = where("El presidente anunció en Bogotá que el Ejército atacó a los rebeldes.", "atacó")
    assert (p.name, p.how) == ("Bogotá", "sentence")


def test_place_in_an_unrelated_clause_is_not_taken(where):
    text = "Los rebeldes, que se entrenaron en Venezuela, atacaron una base militar en Arauca."
    p = where(text, "atacaron")
    assert (p.text, p.country) == ("Arauca", "COL")
    assert where("Los rebeldes, que se entrenaron en Venezuela, atacaron una base militar.",
                 "atacaron") is None


def test_an_actors_origin_is_not_the_place(where):
    assert where("El embajador de Rusia en Madrid condenó el ataque.", "condenó") is None
    assert where("El ministro de Defensa de Israel amenazó a Hezbolá.", "amenazó") is None


@pytest.mark.parametrize("text, name", [
    ("BOGOTÁ, 3 may (EFE) – El Gobierno colombiano condenó el ataque.", "Bogotá"),
    ("MADRID (Reuters) - El Gobierno español criticó la decisión.", "Madrid"),
    ("Caracas, 5 de junio. La oposición denunció nuevas detenciones.", "Caracas"),
])
def test_dateline_is_the_fallback(where, text, name):
    verb = next(w for w in ("condenó", "criticó", "denunció") if w in text)
    p = where(text, verb)
    assert p is not None and p.name == name and p.how.startswith("dateline")
    assert p.text.lower() == name.lower()


def test_the_dateline_yields_to_a_place_in_the_sentence(where):
    p = where("MADRID (Reuters) - Las fuerzas israelíes atacaron un hospital en Jan Yunis.", "atacaron")
    assert p.country == "PSE" and p.how.startswith("verb")


def test_no_place_at_all(where):
    assert where("El Gobierno condenó el ataque.", "condenó") is None


def test_movement_origin_only_when_nothing_else(where):
    p = where("El ministro viajó desde Madrid a Pekín.", "viajó")
    assert p.name == "Beijing" and p.how.split(";")[0] == "verb"
    p = where("El ministro salió desde Madrid.", "salió")
    assert p.name == "Madrid" and p.how.startswith("verb; origin")


def test_bare_place_object_of_the_event(where):
    p = where("Rusia invadió Ucrania en 2022.", "invadió")
    assert (p.feature, p.country) == ("country", "UKR")


@pytest.mark.parametrize("text, verb, name, country", [
    ("Las tropas israelíes bombardearon el paso de Rafah.", "bombardearon", "Paso de Rafah", "PSE"),
    ("Irán amenazó con cerrar el estrecho de Ormuz.", "cerrar", "Estrecho de Ormuz", "IRN"),
    ("Rusia lanzó un cohete desde el cosmódromo de Baikonur.", "lanzó", "Cosmódromo de Baikonur", "KAZ"),
])
def test_sites(where, text, verb, name, country):
    p = where(text, verb)
    assert p is not None and (p.name, p.country, p.feature) == (name, country, "site")


def test_person_names_are_not_places(where):
    p = where("Pedro Sánchez viajó a Bruselas.", "viajó")
    assert p.name in ("Brussels", "Bruxelles") and p.country == "BEL"


def test_santiago_by_article_places(where):
    chile = ("El Gobierno de Chile anunció nuevas medidas.\n\n"
             "Miles de estudiantes protestaron en Santiago contra la reforma.")
    spain = ("La Xunta de Galicia anunció nuevas medidas.\n\n"
             "Miles de estudiantes protestaron en Santiago contra la reforma.")
    p = where(chile, "protestaron")
    assert (p.name, p.country) == ("Santiago", "CHL")
    assert "chose CHL by article places" in p.how and p.how.startswith("verb; ambiguous (")
    p = where(spain, "protestaron")
    assert (p.name, p.country) == ("Santiago de Compostela", "ESP")


def test_cordoba_by_the_sentence_and_by_the_dateline(where):
    p = where("Los docentes protestaron en Córdoba, en el centro de Argentina.", "protestaron")
    assert p.country == "ARG"
    p = where("SEVILLA (EFE) - Los agricultores protestaron en Córdoba.", "protestaron")
    assert (p.country, p.admin1) == ("ESP", "Andalucía")
    assert "by dateline" in p.how


def test_georgia_by_the_actors(where):
    text = "El presidente visitó Georgia."
    assert where(text, "visitó").country == "GEO"
    p = where(text, "visitó", ["USA"])
    assert (p.country, p.feature) == ("USA", "admin1") and "by actors" in p.how


def test_article_geo_lists_places_in_order(locator, parse):
    text = ("KIEV, 3 mar (EFE) – Rusia atacó Járkov y Odesa.\n\n"
            "Los ataques siguieron en Zaporiyia.")
    sentences = parse(text)
    geo = locator.article_geo(Article(id="t", text=text), sentences)
    assert geo.dateline is not None and geo.dateline.name == "Kyiv"
    assert [p.text for p in geo.places] == ["Rusia", "Járkov", "Odesa", "Zaporiyia"]
    assert geo.countries[0] == "UKR"


def test_deterministic(locator, parse):
    text = ("SANTIAGO, 3 may (EFE) – Las protestas siguieron en Valparaíso y en Córdoba.\n\n"
            "El Gobierno de Chile condenó los disturbios en Santiago.")
    outputs = []
    for _ in range(2):
        sentences = parse(text)
        geo = locator.article_geo(Article(id="t", text=text), sentences)
        located = [locator.locate(s, t.i, [], geo) for s in sentences for t in s.tokens if t.pos == "VERB"]
        outputs.append(repr([p.as_dict() if p else None for p in located]) + repr(geo.places))
    assert outputs[0] == outputs[1]
    assert "Valparaíso" in outputs[0]


def test_datelines_with_the_month_first_are_split(pipeline):
    for text, place in (("PARIS, Jun 3 (AFP) - El terrorista venezolano llegó a la Corte.", "PARIS"),
                        ("MADRID, Mayo 18 (AFP) - Unas mil personas salieron a las calles.", "MADRID")):
        found, rest = pipeline.places.split_dateline(text)
        assert found == place and not rest.startswith(place), (found, rest)
