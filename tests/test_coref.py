"""Who is who across sentences, and one event per happening."""

from __future__ import annotations

import pytest

from hechos.records import Article

ARTICLE = (
    "Corea del Norte lanzó el martes un misil balístico sobre el mar de Japón. "
    "La Casa Blanca condenó este lanzamiento. "
    "El presidente surcoreano, Yoon Suk-yeol, convocó al Consejo de Seguridad. "
    "El mandatario acusó a Pyongyang de violar las resoluciones. "
    "Señaló que el régimen norcoreano amenaza la paz. "
    "Él pidió sanciones contra el país."
)


@pytest.fixture(scope="module")
def result(pipeline):
    return pipeline.code(Article(id="coref", text=ARTICLE, date="2024-06-05"))


def events_in(result, sentence):
    return [e for e in result.events if e.sentence_index == sentence]


def test_event_anaphora_takes_the_earlier_events_actor(result):
    (condemn,) = [e for e in events_in(result, 1) if e.cameo_root == "11"]
    assert condemn.source.code == "USAGOV"
    assert condemn.target.code == "PRK"
    assert condemn.target.text == "este lanzamiento"
    assert condemn.target.resolved_from.startswith("Corea del Norte (sentence 0")


def test_role_noun_resolves_to_the_person_named_before(result):
    (accuse,) = [e for e in events_in(result, 3) if e.cameo_root == "11"]
    assert accuse.source.code == "KORGOV"  # Yoon, not the North Korean government
    assert accuse.source.resolved_from == "presidente surcoreano, Yoon Suk-yeol (sentence 2)"
    assert accuse.target.code == "PRKGOV" and accuse.target.resolved_from is None


def test_pronoun_subject_follows_the_topic_through_a_dropped_subject(result):
    # "Señaló que …" keeps the mandatario as topic; "Él" is therefore Yoon again
    (ask,) = events_in(result, 5)
    assert ask.source.text == "Él" and ask.source.code == "KORGOV"
    assert "Yoon" in ask.source.resolved_from or "mandatario" in ask.source.resolved_from
    # "el país" names the country (not its government) mentioned last
    assert ask.target.code == "PRK" and ask.target.resolved_from.startswith("Pyongyang")


def test_dropped_subject_is_filled_from_the_previous_subject(pipeline):
    text = ("El ministro de Exteriores de Chile, Alberto van Klaveren, viajó a Lima. "
            "Allí condenó el asesinato de un periodista peruano.")
    result = pipeline.code(Article(id="t", text=text, date="2023-05-10"))
    (condemn,) = [e for e in result.events if e.cameo_root == "11"]
    assert condemn.source.country == "CHL"
    assert condemn.source.span is None  # the subject has no words in its sentence
    assert "van Klaveren" in condemn.source.resolved_from


def test_no_antecedent_of_the_wrong_number(pipeline):
    text = "El presidente de Colombia, Gustavo Petro, llegó a Caracas. Más tarde condenaron el ataque."
    result = pipeline.code(Article(id="t", text=text, date="2024-06-05"))
    assert all(e.source is None or e.source.resolved_from is None for e in result.events)


def test_no_resolution_without_a_previous_sentence(pipeline):
    result = pipeline.code(Article(id="t", text="El mandatario condenó el ataque contra la embajada.",
                                   date="2024-06-05"))
    assert all(e.source is None or e.source.resolved_from is None for e in result.events)


def test_repeated_statements_of_one_event_are_one_record(pipeline):
    text = ("Rusia ataca Ucrania con drones.\n\n"
            "Rusia atacó Ucrania con drones durante la noche. "
            "Los presidentes de Francia y Alemania condenaron el ataque. "
            "Rusia atacó de nuevo Ucrania con drones, según Kiev.")
    result = pipeline.code(Article(id="t", text=text, date="2024-06-05"))
    attacks = [e for e in result.events if e.cameo_root == "19" and e.source and e.source.code == "RUS"]
    assert len(attacks) == 1
    assert attacks[0].mentions == 3 and attacks[0].sentence_indexes == [0, 1, 3]
    assert attacks[0].as_dict()["sentence_indexes"] == [0, 1, 3]


def test_merging_can_be_turned_off(pipeline):
    from hechos.pipeline import Pipeline

    text = "Rusia atacó Ucrania con drones. Rusia atacó Ucrania con misiles."
    separate = Pipeline("es", merge_mentions=False)
    separate.__dict__["parser"] = pipeline.parser  # share the loaded model
    result = separate.code(Article(id="t", text=text, date="2024-06-05"))
    assert len([e for e in result.events if e.cameo_root == "19"]) == 2


def test_an_institution_of_a_stated_country_keeps_a_role_noun_at_home(pipeline):
    from hechos.records import Article

    text = ("El presidente de Colombia, Gustavo Petro, invitó a Nicolás Maduro a una cumbre regional en Bogotá. "
            "El Parlamento de Perú destituyó a la presidenta por incapacidad moral.")
    events = pipeline.code(Article(id="t", text=text, date="2022-12-07")).events
    removal = [e for e in events if e.cameo.startswith("17")]
    assert removal and all(e.target is None or not e.target.code.startswith("VEN") for e in removal), events


def test_foreign_ministers_of_a_group_are_the_group(code):
    events = code("Los ministros de Exteriores del G7 expresaron su apoyo a la integridad territorial de Ucrania.")
    assert [(e.source.code, e.target.code) for e in events] == [("IGOWSTGSV", "UKR")], events
