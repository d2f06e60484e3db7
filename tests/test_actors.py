from __future__ import annotations


def _codes(pipeline, text, date="2024-06-01"):
    from hechos.records import Article

    result = pipeline.code(Article(id="a", text=text, date=date))
    return [(m.text, m.code) for ms in result.mentions for m in ms if m.kind != "place"], result.events


def test_adjectival_nationality(pipeline):
    mentions, _ = _codes(pipeline, "El ejército colombiano y el mandatario venezolano hablaron.")
    codes = {c for _, c in mentions}
    assert {"COLMIL", "VENGOV"} <= codes


def test_agent_with_de_country_and_metonym(pipeline):
    mentions, _ = _codes(pipeline, "La policía de Perú y el portavoz del Kremlin llegaron.")
    assert {"PERCOP", "RUSGOV"} <= {c for _, c in mentions}


def test_apposition_person_role_by_date(pipeline):
    text = "El ministro de Defensa ruso, Serguéi Shoigú, visitó China."
    mentions_2020, _ = _codes(pipeline, text, "2020-01-01")
    mentions_2025, _ = _codes(pipeline, text, "2025-01-01")
    assert any(c.startswith("RUS") and c in ("RUSMIL", "RUSGOV") for _, c in mentions_2020)
    assert not any(c == "RUSMIL" for _, c in mentions_2025)


def test_coordination_gives_both_actors(pipeline):
    _, events = _codes(pipeline, "Putin y Kim Jong-un se reunieron en Vladivostok.", "2023-09-13")
    pairs = {(e.source.code, e.target.code) for e in events if e.source and e.target and e.cameo_root == "04"}
    assert ("RUSGOV", "PRKGOV") in pairs or ("PRKGOV", "RUSGOV") in pairs


def test_surname_resolves_to_person_named_earlier_in_article(pipeline):
    text = ("El ministro de Defensa colombiano, Pedro Gómez, visitó Cúcuta. "
            "Gómez acusó a la guerrilla del ELN de atacar una base militar.")
    mentions, events = _codes(pipeline, text, "2024-01-01")
    assert ("Gómez", "COLMIL") in mentions or ("Gómez", "COLGOV") in mentions
    accusation = next(e for e in events if e.cameo_root == "11")
    assert accusation.source.text == "Gómez" and accusation.target.code == "COLREB"


def test_object_control_and_alleged_event(pipeline):
    _, events = _codes(pipeline, "El gobierno venezolano acusó a Colombia de planear un ataque.")
    assert any(e.cameo.startswith("112") and e.source.code == "VENGOV" and e.target.code == "COL" for e in events)
    assert all(e.modality != "asserted" for e in events if e.cameo_root in ("18", "19"))


def test_the_pope_and_the_potato(code):
    pope = code("El Papa recibió en audiencia al presidente de Argentina.")
    assert any(e.source and e.source.code == "VATREL" for e in pope), pope
    lower = code("El papa hizo un llamamiento a la paz en Ucrania.")
    assert any(e.source and e.source.code == "VATREL" for e in lower), lower
    potato = code("Los productores de papa bloquearon la carretera en Boyacá.")
    assert [e.source.code for e in potato if e.source] == ["AGR"], potato


def test_y_inside_a_capitalised_name_is_not_two_actors(pipeline):
    mentions, events = _codes(pipeline, "El Sindicato de Trabajadores y Empleados Universitarios de Colombia "
                                        "denunció la detención de un estudiante.")
    assert [c for _, c in mentions if c.endswith("LAB")] == ["COLLAB"], mentions
    assert len([e for e in events if e.cameo_root == "11"]) == 1, events
    mentions, _ = _codes(pipeline, "Ejército y Policía realizaron un operativo contra el ELN en Arauca.")
    assert {"MIL", "COP"} <= {c[-3:] for _, c in mentions}, mentions


def test_a_man_is_a_civilian(code):
    events = code("Un hombre fue asesinado por sicarios en Cali.")
    assert any(e.target and e.target.code.endswith("CVL") for e in events), events


def test_newspapers_named_with_an_article_need_both_capitals(pipeline):
    mentions, events = _codes(pipeline, "El columnista de El Tiempo fue amenazado de muerte por paramilitares.")
    assert ("columnista de El Tiempo", "COLJRN") in mentions, mentions
    mentions, _ = _codes(pipeline, "El tiempo se agota para el gobierno, dijo el ministro.")
    assert not any(c.endswith("JRN") for _, c in mentions), mentions
    mentions, _ = _codes(pipeline, "El mundo condenó el ataque contra la embajada.")
    assert not any(c.endswith("JRN") for _, c in mentions), mentions
    mentions, _ = _codes(pipeline, "Reporteros sin fronteras pidió la liberación del fotógrafo.")
    assert any(c == "NGO" for _, c in mentions), mentions


def test_a_unit_named_after_a_person_belongs_to_its_organisation(code):
    events = code("Guerrilleros del Frente Jacobo Arenas de las FARC hurtaron cinco vehículos en el Cauca.", "2004-01-01")
    assert [e.source.code for e in events if e.source] == ["COLREB"], events


def test_a_closing_list_of_places_names_no_actor(code):
    text = ("Tropas del Ejercito Nacional ejecutaron en la zona urbana a Luis Alberto , a quien presentaron como "
            "guerrillero dado de baja en combate , META , GRANADA")
    events = code(text, "2007-01-01")
    assert events and all(a is None or a.country != "ESP" for e in events for a in (e.source, e.target)), events
    bridge = code("Guerrilleros de las FARC dinamitaron el puente Morichito , META , PUERTO RICO", "2004-01-01")
    assert all(e.target is None or e.target.code != "PRI" for e in bridge), bridge


def test_a_capital_followed_by_de_names_another_place(pipeline):
    mentions, _ = _codes(pipeline, "Militares amenazaron a los líderes de la Comunidad de Paz de San José de Apartadó.")
    assert not any(c.startswith("CRI") for _, c in mentions), mentions
    mentions, _ = _codes(pipeline, "Guerrilleros de la UC ELN bloquearon la vía a Pasto.", "1995-01-01")
    assert any(c == "COLREB" for _, c in mentions), mentions


def test_a_demonym_on_an_event_noun_names_who_did_it(code):
    events = code("El ataque ruso contra Járkov dejó diez muertos.")
    assert any(e.source and e.source.code == "RUS" for e in events), events
    events = code("La OEA condenó la incursión colombiana en territorio de Ecuador.", "2008-03-05")
    assert [(e.cameo, e.target.code) for e in events if e.target] == [("111", "COL")], events



def _pairs(pipeline, text):
    _, events = _codes(pipeline, text)
    return [(e.source.code if e.source else None, e.target.code if e.target else None) for e in events]


def test_an_agent_adjective_on_a_group_or_unit_names_the_actor(pipeline):
    assert _pairs(pipeline, "Un grupo paramilitar asesinó a cuatro indígenas.") == [("UAF", "CVL")]
    assert _pairs(pipeline, "Un grupo de paramilitares asesinó a cuatro indígenas.") == [("UAF", "CVL")]
    assert _pairs(pipeline, "Fuerzas paramilitares atacaron a los pobladores.")[0][0] == "UAF"
    assert _pairs(pipeline, "Una columna guerrillera atacó a una patrulla del Ejército.") == [("REB", "MIL")]


def test_single_word_names_that_are_common_words_need_a_capital(pipeline):
    mentions, _ = _codes(pipeline, "La llamada telefónica con la mujer morena duró una hora.")
    assert not any(code in ("ESPBUS", "MEXPTY") for _, code in mentions), mentions
    mentions, _ = _codes(pipeline, "Morena acusó a Telefónica de fraude.")
    assert [code for _, code in mentions] == ["MEXPTY", "ESPBUS"], mentions


def test_a_longer_name_starting_inside_a_nickname_wins(pipeline):
    mentions, _ = _codes(pipeline, "El presidente Gonzalo Sánchez de Lozada viajó a Washington.", "2003-01-10")
    assert [code for text, code in mentions if "Gonzalo Sánchez de Lozada" in text] == ["BOLGOV"], mentions
    mentions, _ = _codes(pipeline, "El Presidente Gonzalo ordenó el ataque.", "1990-05-10")
    assert [code for _, code in mentions] == ["PERREB"], mentions


def test_an_agent_word_before_what_it_cuts_is_no_court(pipeline):
    mentions, events = _codes(pipeline, "Los desempleados suspendieron el corte de la ruta nacional 3.")
    assert [code for _, code in mentions] == ["CVL"], mentions
    assert [(e.cameo, e.target) for e in events] == [("082", None)], events
    mentions, _ = _codes(pipeline, "La corte de apelaciones condenó al exalcalde.")
    assert ("corte", "JUD") in mentions, mentions


def test_country_city_and_person_names_need_their_capital(pipeline):
    mentions, _ = _codes(pipeline, "Los médicos irán a la huelga; compró una cuba de vino y malta en la tienda china.")
    assert not any(code in ("IRN", "CUB", "MLT", "CHN") for _, code in mentions), mentions
    mentions, _ = _codes(pipeline, "Dos personas resultaron heridas tras la explosión de una granada.")
    assert [code for _, code in mentions] == ["CVL"], mentions
    mentions, _ = _codes(pipeline, "CUBA Y CHINA FIRMAN UN ACUERDO")
    assert [code for _, code in mentions] == ["CUB", "CHN"], mentions
    mentions, _ = _codes(pipeline, "El papa Francisco reclamó en su mensaje de Navidad un alto el fuego en Gaza.")
    assert ("papa Francisco", "VATREL") in mentions, mentions
