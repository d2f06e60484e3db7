"""Roles and modality on real sentences: passives, control, clitics, negation, futures."""

from __future__ import annotations


def _events(code, text, date="2024-06-01"):
    return [(e.cameo, e.source.code if e.source else None, e.target.code if e.target else None, e.modality)
            for e in code(text, date)]


def test_periphrastic_passive_swaps_roles(code):
    events = _events(code, "Tres soldados fueron asesinados por guerrilleros del ELN.")
    assert any(c[:2] in ("18", "19") and s == "COLREB" and t and t.endswith("MIL") for c, s, t, _ in events), events


def test_infinitive_with_enclitic_se_inherits_subject(code):
    events = _events(code, "El canciller ruso viajó a Pekín para reunirse con su homólogo chino.")
    assert ("040", "RUSGOV", "CHNGOV", "asserted") in events
    assert any(c == "042" and s == "RUSGOV" and t == "CHN" for c, s, t, _ in events)


def test_negation_and_future(code):
    assert {m for *_, m in _events(code, "Colombia no firmó el acuerdo con Venezuela.")} == {"negated"}
    assert {m for *_, m in _events(code, "Colombia firmará un acuerdo con Venezuela.")} == {"future"}


def test_conditional_and_attempt(code):
    assert {m for *_, m in _events(code, "Colombia firmaría un acuerdo con Venezuela si hay garantías.")} == {"hypothetical"}
    attempted = _events(code, "Los guerrilleros intentaron secuestrar a un soldado.")
    assert any(c.startswith("18") and m == "attempted" for c, _, _, m in attempted), attempted


def test_threat_target_is_the_actor_in_the_clause(code):
    events = _events(code, "Rusia advirtió que atacará a Polonia si la OTAN despliega tropas.")
    assert any(c.startswith("13") and s == "RUS" and m == "asserted" for c, s, _, m in events)
    assert all(m != "asserted" for c, *_, m in events if c[:2] in ("15", "18", "19"))


def test_all_caps_headline_is_parsed_as_lower_case_but_keeps_its_text(pipeline):
    from hechos.records import Article

    result = pipeline.code(Article(id="h", text="RUSIA EXPULSA A DIEZ DIPLOMATICOS BRITANICOS", date="2024-01-01"))
    assert result.sentences[0].tokens[0].text == "RUSIA"
    assert any(e.cameo_root == "16" and e.source and e.source.code.startswith("RUS") for e in result.events)


def test_noun_event_in_a_purpose_phrase_is_its_own_event(code):
    events = code("La Unión Europea aprobó represalias contra Estados Unidos en protesta por la ley Helms-Burton.")
    assert any(e.cameo_root == "14" for e in events)


def test_named_subject_unknown_to_dictionaries_is_kept_uncoded(code):
    events = code("El abogado Juan Taormina protestó enérgicamente contra la decisión del tribunal.")
    protest = next(e for e in events if e.cameo_root == "14")
    assert protest.source.code is None and "Taormina" in protest.source.text


def test_reflexive_passive_with_parties_between(code):
    events = code("Se firmó un acuerdo de paz entre el gobierno colombiano y las FARC.", "2016-11-24")
    assert any(e.cameo == "057" and e.source.code == "COLGOV" and e.target.code == "COLREB" for e in events)


def test_coordinated_countries_share_the_head_noun(code):
    events = code("Los gobiernos de Chile y Argentina mantuvieron conversaciones sobre la frontera.")
    assert any(e.cameo_root == "04" and e.source.code == "CHLGOV" and e.target.code == "ARGGOV" for e in events)


def test_a_state_launching_an_offensive(code):
    assert any(e.cameo_root == "19" and e.source.code == "RUS"
               for e in code("Rusia lanzó una ofensiva contra la ciudad ucraniana de Járkov."))


def test_body_adopting_a_text_speaks_through_it(code):
    events = code("La Asamblea General de la ONU aprobó una resolución que condena a Rusia.")
    assert any(e.cameo == "111" and e.source.code == "IGOUNO" and e.target.code == "RUS" for e in events)


def test_passive_parsed_as_noun_after_ser_and_si_after_a_preposition(code):
    # "muertas" comes out of the parser as a noun with a copula; "entre si" is "entre sí"
    events = _events(code, "Dos personas hermanos entre si fueron muertas de varios impactos de arma de fuego "
                           ", por hombres armados en la vereda Bellavista.")
    assert [(c, s, t, m) for c, s, t, m in events if c == "193"] == [("193", "UAF", "CVL", "asserted")], events


def test_subject_of_a_gerund_clause_and_object_inside_the_instrument(code):
    events = _events(code, "Paramilitares de las AUC vistiendo prendas de uso privativo de las Fuerzas Militares "
                           "y encapuchados, ejecutaron de doce impactos de bala a un campesino.")
    assert ("193", "COLUAF", "AGR", "asserted") in events, events


def test_injured_victims_are_targets_and_accidents_are_not_events(code):
    events = _events(code, "Dos soldados resultaron heridos al pisar una mina antipersonal instalada por "
                           "guerrilleros del ELN.")
    assert ("182", "COLREB", "MIL", "asserted") in events, events
    assert _events(code, "Dos personas resultaron heridas en un accidente de tránsito en Bogotá.") == []


def test_number_sign_is_not_negation_and_names_are_not_event_nouns(code):
    events = _events(code, "Guerrilleros dinamitaron las torres de energía No. 45 y 46 en Antioquia.")
    assert [c for c, *_, m in events if m == "asserted"] == ["1712"], events
    assert {m for *_, m in _events(code, "Los guerrilleros no atacaron la base militar.")} == {"negated"}
    events = _events(code, "Guerrilleros irrumpieron en las veredas La Cumbre y El Silencio.")
    assert not any(c.startswith("04") for c, *_ in events), events
    assert any(c.startswith("04") for c, *_ in _events(code, "Los presidentes asistieron a la Cumbre de las Américas."))


def test_armed_actors_executing_people_but_not_plans(code):
    events = _events(code, "Tropas del Ejército Nacional ejecutaron en la vereda El Narciso a Oviedo de Jesús.")
    assert any(c == "190" and s and s.endswith("MIL") for c, s, _, _ in events), events
    assert _events(code, "El plan fue ejecutado por el ejército en tres semanas.") == []
    assert _events(code, "Las obras ejecutadas por los militares costaron millones.") == []


def test_first_subject_of_a_passive_is_the_patient(pipeline):
    # the parser's reading of a real database sentence: "El Tiempo" is a second subject
    from hechos.nlp.conllu import read_conllu
    from hechos.records import Article

    rows = [("El", "el", "DET", "det", 2), ("escritor", "escritor", "NOUN", "nsubj", 14),
            ("y", "y", "CCONJ", "cc", 4), ("columnista", "columnista", "NOUN", "conj", 2),
            ("de", "de", "ADP", "case", 7), ("los", "el", "DET", "det", 7),
            ("periodicos", "periodico", "NOUN", "nmod", 2), ("El", "el", "DET", "det", 9),
            ("Tiempo", "Tiempo", "PROPN", "nsubj", 14), ("y", "y", "CCONJ", "cc", 12),
            ("El", "el", "DET", "det", 12), ("Universal", "Universal", "PROPN", "conj", 9),
            ("fue", "ser", "AUX", "aux", 14), ("amenazado", "amenazar", "VERB", "root", 0),
            ("de", "de", "ADP", "case", 16), ("muerte", "muerte", "NOUN", "obj", 14), (".", ".", "PUNCT", "punct", 14)]
    feats = {"amenazado": "Gender=Masc|Number=Sing|Tense=Past|VerbForm=Part"}
    conllu = "\n".join(f"{n}\t{w}\t{lemma}\t{pos}\t_\t{feats.get(w, '_')}\t{head}\t{dep}\t_\t_"
                       for n, (w, lemma, pos, dep, head) in enumerate(rows, 1))
    sentence = read_conllu(conllu)
    result = pipeline.code_parsed(Article(id="t", text=sentence.text, date="2005-01-01"), [sentence])
    assert [(e.cameo, e.source, e.target.code if e.target else None) for e in result.events] == \
        [("130", None, "JRN")], result.events


def test_attribution_ending_nouns_missions_and_ambiguous_genitives(code):
    # "según X" reports the event; it is not its target
    events = _events(code, "Corea del Norte lanzó un misil balístico que cayó en el mar de Japón, según el "
                           "ejército surcoreano.")
    assert all(t != "KORMIL" for _, _, t, _ in events), events
    # suspended talks are not talks
    events = _events(code, "El presidente Petro anunció la suspensión de las conversaciones de paz con el ELN.")
    assert not any(c.startswith("04") for c, *_ in events), events
    # protesters at a foreign embassy do not take the embassy's country
    events = _events(code, "Manifestantes incendiaron la sede de la embajada de Suecia en Bagdad.")
    assert events and all(not (s or "").startswith("SWE") for _, s, _, _ in events), events
    # "la represión de X": X is the agent when it is a force, the victim otherwise
    assert ("175", None, "BLROPP", "asserted") in _events(
        code, "La represión de la oposición en Bielorrusia se intensificó.")
    # named as the reason for sanctions it is an earlier event, not coded again
    assert [c for c, *_ in _events(
        code, "La Unión Europea impuso sanciones a Bielorrusia por la represión de la oposición.")] == ["163"]
    assert any(c == "175" and s and s.endswith("MIL") for c, s, _, _ in _events(
        code, "La represión de la Guardia Nacional contra los manifestantes dejó decenas de heridos."))


def test_purpose_clauses_protest_adjuncts_and_deaths_without_a_killer(code):
    # "para pedir": the government that summoned the ambassador asks, not the ambassador
    events = _events(code, "El Gobierno español convocó al embajador de Israel para pedir explicaciones.")
    assert any(c.startswith("02") and s == "ESPGOV" for c, s, _, _ in events), events
    # "en protesta por": the occupiers protest
    events = _events(code, "Los estudiantes de la Universidad de Chile ocuparon la casa central en protesta "
                           "por la reforma.")
    assert any(c.startswith("14") and s and s.endswith("EDU") for c, s, _, _ in events), events
    # a shipwreck kills, nobody killed
    assert _events(code, "Decenas de migrantes murieron al naufragar su embarcación frente a las costas de "
                         "Libia.") == []
    assert not any(c.startswith("09") for c, *_ in _events(
        code, "El ministro de Defensa inspeccionó las tropas en la región de Kursk."))


def test_a_strike_to_protest_is_one_protest_event(code):
    events = _events(code, "Los maestros comenzaron una huelga de hambre para protestar contra la decisión del "
                           "gobierno.")
    assert [c[:2] for c, *_ in events] == ["14"], events


def test_attack_nouns_with_agent_participles_and_units_of_a_force(code):
    events = _events(code, "Al menos cinco soldados murieron y otros siete resultaron heridos en un ataque con "
                           "explosivos perpetrado por disidencias de las FARC contra una patrulla del Ejército.")
    # the attack is the event; the injuries are folded into it
    assert [(c, s, t) for c, s, t, _ in events] == [("183", "COLREB", "MIL")], events


def test_a_local_security_council_is_not_the_un_one(code):
    events = _events(code, "El ministro de Defensa viajó a Popayán para encabezar un consejo de seguridad.")
    assert all("IGOUNO" not in (s or "", t or "") for _, s, t, _ in events), events
    events = _events(code, "El Consejo de Seguridad condenó el ataque contra la misión de paz en Malí.")
    assert any(s == "IGOUNO" for _, s, _, _ in events), events


def test_a_capital_inside_a_noun_object_is_a_place(code):
    events = _events(code, "Los agricultores franceses bloquearon las autopistas de acceso a París con sus tractores.")
    assert [(c, s, t) for c, s, t, _ in events] == [("144", "FRAAGR", None)], events


def test_the_end_of_a_summit_is_no_cancelled_summit(code):
    events = _events(code, "Al final de la cumbre de la OTAN en Vilna, los líderes firmaron una declaración.")
    assert ("040", "IGOWSTNAT", None, "asserted") in events, events


def test_armed_groups_blowing_up_bridges_attack_and_towers_are_property(code):
    bridge = _events(code, "Guerrilleros del ELN dinamitaron el puente sobre el río Sardinata.", "2004-01-01")
    assert [c for c, s, *_ in bridge] == ["190"] and bridge[0][1] == "COLREB", bridge
    towers = _events(code, "Guerrilleros dinamitaron las torres de conducción de energía eléctrica.", "2004-01-01")
    assert [c for c, *_ in towers] == ["1712"], towers


def test_the_injured_of_a_clash_are_the_clash(code):
    events = _events(code, "Durante un combate entre el Ejército y la guerrilla resultaron heridos dos militares.")
    assert [c[:2] for c, *_ in events] == ["19"], events


def test_the_cause_of_an_injury_hung_on_the_participle(code):
    events = _events(code, "Un campesino resulto herido al pisar artefactos explosivos sembrados en la vía.")
    assert [(c, t) for c, _, t, _ in events] == [("182", "AGR")], events


def test_travelling_in_a_vehicle_is_no_mobilisation(code):
    events = _events(code, "El campesino fue asesinado cuando se movilizaba en su motocicleta por la vía a Tibú.")
    assert not any(c.startswith("14") for c, *_ in events), events
    assert any(c.startswith("14") for c, *_ in _events(code, "Los campesinos se movilizaron en Asunción contra el gobierno."))


def test_de_acuerdo_con_is_attribution_and_a_cause_is_no_actor(code):
    events = _events(code, "De acuerdo con la policía, los guerrilleros atacaron una base militar.")
    assert any(c.startswith("19") and s == "REB" and t != "COP" for c, s, t, _ in events), events
    events = _events(code, "Hubo manifestaciones de protesta por la presencia del Papa en la ciudad.")
    assert not any(s == "VATREL" for _, s, *_ in events), events
    events = _events(code, "Una persona fue muerta de varios impactos de arma de fuego por hombres armados.")
    assert any(s == "UAF" for _, s, *_ in events), events


def test_an_adjunct_of_how_keeps_its_own_modality(code):
    events = _events(code, "Israel y Hamás acordaron una tregua con la mediación de Catar y Egipto.")
    assert ("045", "QAT", None, "asserted") in events, events
    events = _events(code, "Rusia amenazó con un ataque nuclear contra Ucrania.")
    assert all(m != "asserted" for c, *_, m in events if c[:2] in ("19", "20")), events


def test_a_gerund_parsed_as_object_inherits_the_subject(code):
    events = _events(code, "Bolivia expulsó al embajador de Estados Unidos acusándolo de conspirar.")
    assert any(c.startswith("112") and s == "BOL" for c, s, *_ in events), events


def test_a_prepositional_object_hung_on_the_complement_before_it(code):
    events = _events(code, "Un tribunal de Hong Kong condenó a 45 activistas prodemocracia a penas de cárcel.")
    assert [c for c, *_ in events] == ["173"], events


def test_a_capital_after_en_is_the_place_and_an_alias_takes_its_role(code):
    events = _events(code, "El gobierno peruano declaró el estado de emergencia en Lima.")
    assert ("1724", "PERGOV", "PER", "asserted") in events, events
    events = _events(code, 'El ejército colombiano abatió a alias "Jhon Mechas", cabecilla de las disidencias de las FARC.')
    assert [(c, s, t) for c, s, t, _ in events] == [("190", "COLMIL", "COLREB")], events


def test_an_authority_forbidding_people_restricts_freedoms(code):
    events = _events(code, "Los talibanes prohibieron a las mujeres trabajar en las ONG.")
    assert any(c == "1721" and t and t.endswith("CVL") for c, _, t, _ in events), events


def test_two_subjects_joined_by_y_are_both_sides(code):
    events = _events(code, "El gobierno colombiano y las FARC reanudaron las negociaciones de paz en La Habana.", "1998-07-01")
    assert ("046", "COLGOV", "COLREB", "asserted") in events, events


def test_calling_something_unacceptable_is_criticism(code):
    events = _events(code, 'Un portavoz del Departamento de Estado calificó de "inaceptable" la detención del periodista.')
    assert any(c == "111" and s == "USAGOV" for c, s, *_ in events), events


def test_a_capital_after_a_direction_noun_is_a_place(code):
    events = _events(code, "El ejército argelino mató a 20 islamistas armados en una emboscada al sur de Argel.", "1995-01-01")
    assert not any(t == "DZAGOV" for *_, t, _ in events), events


def test_visitors_and_counterparts_do_not_take_the_host_country(code):
    assert ("042", "GOV", "COL", "asserted") in _events(code, "El presidente visitó Colombia la semana pasada.")
    trip = _events(code, "El canciller viajó a Rusia para reunirse con Lavrov.", "2010-07-01")
    assert all(s == "GOV" for _, s, *_ in trip), trip
    meeting = _events(code, "El ministro de Defensa se reunió con su homólogo de Brasil.")
    assert [(s, t) for _, s, t, _ in meeting] == [("MIL", "BRAGOV")], meeting
    troops = _events(code, "El Congreso autorizó el envío de tropas a Haití.")
    assert all(s == "LEG" for _, s, *_ in troops), troops
    # the domestic default still holds for what happens in a stated place
    clash = _events(code, "Policías y jóvenes se enfrentaron en San Sebastián al término de una manifestación "
                          "de varios miles de personas.", "1994-08-27")
    assert any(c.startswith("14") and s == "ESPCVL" for c, s, *_ in clash), clash


def test_the_dead_of_an_attack_and_an_agent_adjective(code):
    events = _events(code, "Más de 50 soldados murieron en un ataque yihadista contra un cuartel en Burkina Faso.")
    assert [(c, s, t[-3:] if t else t) for c, s, t, _ in events] == [("180", "REB", "MIL")], events
    events = _events(code, "La represión policial dejó tres muertos en Lima.")
    assert any(c.startswith("17") and s and s.endswith("COP") for c, s, *_ in events), events


def test_a_note_of_protest_is_one_complaint(code):
    events = _events(code, "La cancillería mexicana envió una nota diplomática de protesta a Estados Unidos.")
    assert [(c, s, t) for c, s, t, _ in events] == [("114", "MEXGOV", "USA")], events


def test_an_announced_noun_event_and_a_multiword_trigger(code):
    events = _events(code, "La presidenta de Honduras, Xiomara Castro, anunció el restablecimiento de relaciones con China.",
                     "2023-03-26")
    assert ("054", "HNDGOV", "CHN", "asserted") in events, events


def test_threatening_to_send_ones_own_troops(code):
    events = _events(code, "El presidente de Francia amenazó con enviar tropas a Ucrania.")
    assert any(c.startswith("13") and s == "FRAGOV" and t == "UKR" for c, s, t, _ in events), events


def test_subjects_the_parser_hangs_elsewhere(code):
    events = _events(code, "Según fuentes diplomáticas, Francia y Alemania propondrán un plan de paz para Bosnia.", "1998-07-01")
    assert {s for c, s, *_ in events if c == "037"} == {"FRA", "DEU"}, events
    events = _events(code, "El gobierno mexicano y el EZLN firmaron los acuerdos de San Andrés sobre derechos indígenas.",
                     "1996-02-16")
    assert ("057", "MEXGOV", "MEXREB", "asserted") in events, events


def test_former_states_and_a_target_inside_the_object(code):
    events = _events(code, "La ONU impuso un embargo de armas contra Yugoslavia.", "1998-07-01")
    assert ("163", "IGOUNO", "SRB", "asserted") in events, events
    events = _events(code, "La Unión Soviética invadió Afganistán.", "1979-12-27")
    assert any(s == "RUS" and t == "AFG" for _, s, t, _ in events), events
    events = _events(code, "La OTAN intensificó los bombardeos sobre Belgrado.", "1999-05-01")
    assert all(t != "SRBGOV" for *_, t, _ in events), events


def test_pledges_ultimatums_warships_and_migrants(code):
    events = _events(code, "El gobierno colombiano se comprometió a respetar el cese al fuego pactado con el ELN.")
    assert ("0356", "COLGOV", "COLREB", "asserted") in events, events
    events = _events(code, "El ministro de Defensa israelí dio un ultimátum a Hamás para liberar a los rehenes.")
    assert ("139", "ISRMIL", "PSEREB", "asserted") in events, events
    assert all(m != "asserted" for c, *_, m in events if c.startswith("08")), events
    events = _events(code, "Turquía derribó un avión de combate ruso cerca de la frontera siria.")
    assert any(c.startswith("19") and s == "TUR" and t == "RUSMIL" for c, s, t, _ in events), events
    events = _events(code, "El gobierno de Guatemala deportó a 300 migrantes hondureños.")
    assert ("174", "GTMGOV", "HNDREF", "asserted") in events, events


def test_an_adjunct_of_time_is_neither_light_verb_object_nor_target(code):
    events = _events(code, "El gobierno peruano decretó el estado de emergencia en Ayacucho tras un ataque de Sendero "
                           "Luminoso.", "1990-07-01")
    # the attack is the cause of the decree, an earlier event: only the decree is coded
    assert events == [("1724", "PERGOV", None, "asserted")], events
    # the cause of deaths is the news itself, and the dead are its target
    events = _events(code, "Ocho soldados murieron tras un ataque de las FARC en el Cauca.", "2005-01-01")
    assert events == [("190", "COLREB", "MIL", "asserted")], events


def test_pensioners_and_uprisings(code):
    events = _events(code, "Los jubilados uruguayos se manifestaron frente al Palacio Legislativo para reclamar aumentos.")
    assert any(c.startswith("14") and s == "URYCVL" for c, s, *_ in events), events
    events = _events(code, "La Unión Europea anunció el levantamiento de las sanciones contra Bielorrusia.")
    assert not any(c.startswith("14") for c, *_ in events), events


def test_passives_with_an_agent_courts_and_possessives(code):
    events = _events(code, "El embajador estadounidense fue convocado por la cancillería mexicana.")
    assert ("114", "MEXGOV", "USAGOV", "asserted") in events, events
    events = _events(code, "La detención del opositor por parte de la policía provocó protestas.")
    assert any(c == "173" and s == "COP" and t == "OPP" for c, s, t, _ in events), events
    events = _events(code, "El Tribunal Supremo de Brasil condenó a Bolsonaro por intento de golpe de Estado.")
    assert any(c == "173" and s == "BRAJUD" for c, s, *_ in events), events
    events = _events(code, "La Fiscalía condenó el ataque contra la sede del partido.")
    assert [c for c, *_ in events] == ["111"], events
    events = _events(code, "El presidente ruso negó que sus tropas vayan a invadir Ucrania.")
    assert any(c == "192" and s == "RUSMIL" and m == "negated" for c, s, _, m in events), events
    events = _events(code, "Rusia desplegó miles de soldados en la frontera con Ucrania.")
    assert any(c == "154" and s == "RUS" for c, s, *_ in events), events


def test_hundreds_of_hostages_and_a_captured_capital(code):
    events = _events(code, "Los rebeldes chechenos tomaron cientos de rehenes en un hospital de Budionnovsk.", "1995-06-15")
    assert ("181", "RUSREB", "CVL", "asserted") in events, events
    events = _events(code, "Los talibanes tomaron Kabul sin apenas resistencia.", "1996-09-27")
    assert any(c == "192" and t == "AFG" for c, _, t, _ in events), events


def test_a_gerund_hung_on_a_relative_clause_belongs_to_the_main_verb(code):
    events = _events(code, "Guerrilleros del ELN bloquearon la vía que conduce al municipio incinerando un camión que "
                           "transportaba plátano.", "2003-01-01")
    assert ("1712", "COLREB", None, "asserted") in events, events


def test_leaving_a_summit_is_no_retreat_and_joining_a_protest_is_protest(code):
    events = _events(code, "Libia se retiró de la cumbre de la Liga Árabe para protestar contra el proyecto.", "2000-10-21")
    assert not any(c.startswith("087") for c, *_ in events), events
    assert any(c.startswith("087") for c, *_ in _events(code, "Las tropas rusas se retiraron de Jersón."))
    events = _events(code, "Los obreros se plegaron a la movilización convocada por los sindicatos.")
    assert any(c == "141" and s and s.endswith("LAB") for c, s, *_ in events), events


def test_an_infinitive_with_a_clitic_parsed_as_a_noun(code):
    events = _events(code, "La policía intentó dispersarlos con granadas de humo antes de detener a varios manifestantes.")
    assert any(c == "175" and s == "COP" and m == "attempted" for c, s, _, m in events), events


def test_worshippers_are_civilians_and_a_capital_in_a_market_name_is_a_place(code):
    events = _events(code, "Hombres armados atacaron una iglesia en Burkina Faso y mataron a 15 fieles.")
    assert not any(c == "186" for c, *_ in events), events
    events = _events(code, "Un terrorista suicida se inmoló en un mercado de Bagdad y mató a 35 personas.")
    assert all(t != "IRQGOV" for *_, t, _ in events), events
    events = _events(code, "Soldados birmanos quemaron aldeas rohinyás en el estado de Rakáin.")
    assert any(c == "1712" and s == "MMRMIL" for c, s, *_ in events), events


def test_a_capital_struck_by_arms_is_the_place_and_a_seat_of_power_the_government(code):
    assert ("195", "RUS", "UKR", "asserted") in _events(code, "Rusia lanzó drones contra Kiev.")
    assert ("195", "UKR", "RUSGOV", "asserted") in _events(code, "Ucrania atacó el Kremlin con drones.")
    assert any(t == "CHNGOV" for *_, t, _ in _events(code, "Washington acusó a Pekín de espionaje."))


def test_days_of_strike_flags_burnt_and_land_occupied(code):
    events = _events(code, "Los trabajadores de la salud de Costa Rica cumplieron el tercer día de huelga.")
    assert any(c == "143" and s == "CRIHLH" for c, s, *_ in events), events
    events = _events(code, "Los sindicatos griegos paralizaron el país con una huelga general.")
    assert any(c == "143" and s == "GRCLAB" for c, s, *_ in events), events
    events = _events(code, "Cientos de personas quemaron banderas estadounidenses frente a la embajada.")
    assert any(c == "141" and s and s.endswith("CVL") for c, s, *_ in events), events
    events = _events(code, "Los indígenas mapuches ocuparon un fundo en el sur de Chile.")
    assert any(c == "144" for c, *_ in events), events


def test_a_killing_noun_codes_its_victim_but_not_as_the_cause_of_the_news(code):
    events = _events(code, "El asesinato del líder social a manos de sicarios conmocionó al país.")
    assert [(c, s, t) for c, s, t, _ in events] == [("190", "CRM", "CVL")], events
    events = _events(code, "El secuestro de dos periodistas por el ELN fue confirmado por el ejército.", "2010-01-01")
    assert ("181", "COLREB", "JRN") in [(c, s, t) for c, s, t, _ in events], events
    # the killing is why they protest (an earlier event), or what came before the news
    events = _events(code, "Miles de personas protestaron por el asesinato de un conductor de autobús.")
    assert [c for c, *_ in events] == ["140"], events
    events = _events(code, "Después del asesinato del periodista, el gobierno decretó el estado de emergencia.")
    assert [c for c, *_ in events] == ["1724"], events


def test_a_meeting_noun_with_nobody_named_is_no_event_but_a_protest_is(code):
    events = _events(code, "En vísperas de la cumbre, la policía reforzó la seguridad.")
    assert not any(c.startswith("04") for c, *_ in events), events
    events = _events(code, "Las protestas se extendieron a otras diez ciudades.")
    assert [c[:2] for c, *_ in events] == ["14"], events


def test_a_noun_phrase_trigger_the_parser_turned_around(code):
    events = _events(code, "La llamada telefónica entre el presidente de Francia y el presidente de Rusia duró dos horas.")
    assert [(c, s, t) for c, s, t, _ in events] == [("041", "FRAGOV", "RUSGOV")], events


def test_a_crowd_gathering_is_a_demonstration_and_a_meeting_needs_a_partner(code):
    events = _events(code, "Miles de manifestantes se reunieron frente al Congreso.")
    assert [(c, s, t) for c, s, t, _ in events] == [("141", "CVL", "LEG")], events
    events = _events(code, "Una comisión de manifestantes se reunió con las autoridades en la sede presidencial.")
    assert [(c, s, t) for c, s, t, _ in events] == [("040", "CVL", "GOV")], events


def test_diplomatic_suspension_aid_announcements_and_formal_protests(code):
    assert ("160", "IGOWSTOAS", "HND", "asserted") in _events(
        code, "La OEA suspende a Honduras tras el golpe de Estado.", "2009-07-05")
    assert ("0333", "USA", "HTI", "asserted") in _events(
        code, "Estados Unidos anunció una ayuda humanitaria de 100 millones de dólares para Haití.", "2010-01-15")
    events = _events(code, "Blinken felicitó a Lai Ching-te, lo que provocó una protesta formal de Pekín.", "2024-01-15")
    assert ("114", "CHNGOV", None, "asserted") in events and not any(c.startswith("14") for c, *_ in events), events
    events = _events(code, "La Comisión Europea anunció que triplicará su ayuda humanitaria a Gaza.")
    assert ("073", "IGOEUREEC", "PSE", "future") in events, events


def test_counted_people_of_a_nation_are_civilians_and_a_struck_city_is_its_country(code):
    events = _events(code, "Cientos de miles de egipcios se concentraron en la plaza Tahrir.", "2011-02-01")
    assert [(c, s) for c, s, *_ in events] == [("141", "EGYCVL")], events
    assert ("195", "RUS", "UKR", "asserted") in _events(code, "Rusia bombardeó Odesa durante la noche.")
    events = _events(code, "Una multitud golpeó cacerolas frente a la Casa Rosada.")
    assert [c for c, *_ in events] == ["141"], events
    events = _events(code, "El senador recibió dos disparos durante un acto de campaña en Bogotá.")
    assert [(c, (t or "")[-3:]) for c, _, t, _ in events] == [("185", "LEG")], events  # a figure shot: attempted assassination


def test_an_attack_that_kills_is_one_event_with_the_dead_as_target(code):
    events = _events(code, "Un atentado suicida con coche bomba contra un convoy policial en Pulwama mató a 40 agentes.")
    assert [c for c, *_ in events] == ["1831"], events
    events = _events(code, "Un coche bomba estalló en un mercado de Bagdad y mató a más de 80 personas.")
    assert [(c, t) for c, _, t, _ in events] == [("1832", "CVL")], events
    events = _events(code, "Dos personas resultaron heridas tras la explosión de una granada en Fortul.")
    assert [(c, t) for c, _, t, _ in events] == [("183", "CVL")], events


def test_people_held_against_their_will(code):
    events = _events(code, "Campesinos desplazados mantienen retenidas a 24 personas en la sede de la Cruz Roja.")
    assert [(c, t) for c, _, t, _ in events] == [("181", "CVL")], events


def test_what_a_vetoed_draft_demands_is_not_a_fact(code):
    events = _events(code, "Rusia vetó en el Consejo de Seguridad un proyecto de resolución que deploraba la invasión "
                           "de Ucrania y exigía la retirada de sus tropas.", "2022-02-26")
    assert [(c, m) for c, _, _, m in events if c != "120"] == [("111", "hypothetical"), ("1056", "hypothetical")], events
    events = _events(code, "El Consejo de Seguridad aprobó una resolución que exige a Israel detener los asentamientos.")
    assert events == [("100", "IGOUNO", "ISR", "asserted")], events


def test_received_where_one_arrived_is_the_arriving_one(code):
    events = _events(code, "El presidente colombiano, Gustavo Petro, llegó este martes a Caracas, donde fue recibido "
                           "por Nicolás Maduro en el Palacio de Miraflores.", "2022-11-01")
    assert ("043", "VENGOV", "COLGOV", "asserted") in events, events


def test_an_object_after_an_aside_the_parser_hung_on_it(code):
    events = _events(code, "Los ministros de Exteriores de la República Democrática del Congo y de Ruanda firmaron en "
                           "Washington, en presencia del secretario de Estado, Marco Rubio, un acuerdo de paz.", "2025-06-27")
    assert events == [("057", "CODGOV", "RWAGOV", "asserted")], events


def test_a_wire_dateline_names_no_actor_and_a_numbered_summit_is_a_summit(code):
    events = _events(code, "NACIONES UNIDAS, Sep 23 (AFP) - El Consejo de Seguridad de la ONU aprobó este miércoles una "
                           "resolución que exige a las autoridades de Belgrado el cese de las hostilidades.", "1998-09-23")
    assert events == [("1056", "IGOUNO", "SRBGOV", "asserted")], events
    events = _events(code, "El rey Juan Carlos de España llegó este domingo a La Habana para asistir a la IX Cumbre "
                           "Iberoamericana.", "1999-11-14")
    assert ("040", "ESPGOV", None, "asserted") in events, events
    events = _events(code, "El presidente argentino, Carlos Menem, llegó este martes a Londres para una visita oficial.",
                     "1998-10-27")
    assert ("042", "ARGGOV", "GBR", "asserted") in events, events


def test_a_multiword_object_parsed_with_its_last_word_as_head(code):
    events = _events(code, "El papa Francisco reclamó en su mensaje de Navidad un alto el fuego en Gaza.", "2024-12-25")
    assert [(c, s) for c, s, *_ in events] == [("1056", "VATREL")], events


def test_shooting_a_public_figure_dead_is_an_assassination(code):
    events = _events(code, "Fernando Villavicencio, candidato presidencial, fue asesinado a tiros al salir de un mitin en "
                           "Quito.", "2023-08-09")
    assert [c for c, *_ in events] == ["186"], events
    events = _events(code, "Hombres armados asesinaron a tiros a dos comerciantes en Tumaco.")
    assert [c for c, *_ in events] == ["193"], events


def test_ten_or_more_civilians_killed_is_a_massacre_but_fighters_are_not(code):
    events = _events(code, "Un grupo paramilitar asesinó en Acteal a 45 indígenas tzotziles que rezaban en una ermita.")
    assert [c for c, *_ in events] == ["202"], events
    events = _events(code, "Miembros de una banda mataron a más de 70 personas en la localidad haitiana de Pont-Sondé.")
    assert [c for c, *_ in events] == ["202"], events
    events = _events(code, "El ejército israelí mató a treinta milicianos de Hamás en Jan Yunis.")
    assert [c for c, *_ in events] == ["190"], events
    events = _events(code, "Hombres armados asesinaron a cuatro campesinos en una vereda de Tumaco.")
    assert [c for c, *_ in events] == ["190"], events


def test_evictions_with_riot_weapons_and_occupied_estates(code):
    events = _events(code, "Con tanquetas y gases lacrimógenos, la Policía Federal Preventiva desalojó a integrantes de la "
                           "APPO del centro de Oaxaca.", "2006-10-29")
    assert [(c, s[-3:]) for c, s, *_ in events] == [("175", "COP")], events
    events = _events(code, "Unos 200 campesinos sin tierra ocuparon una estancia en el departamento de San Pedro.")
    assert [c for c, *_ in events] == ["144"], events


def test_a_claimed_attack_is_the_claimers_and_chained_subjects_all_act(code):
    events = _events(code, "El ELN reivindicó el atentado contra la base militar de Saravena.", "2020-01-10")
    assert ("180", "COLREB") in [(c, s) for c, s, *_ in events] and "015" in [c for c, *_ in events], events
    events = _events(code, "España, Irlanda y Noruega reconocieron oficialmente al Estado palestino.", "2024-05-28")
    assert sorted(s for c, s, *_ in events if c == "054") == ["ESP", "IRL", "NOR"], events
    events = _events(code, "Trump firmó una orden ejecutiva que impone aranceles del 25 % a las importaciones de acero.",
                     "2025-02-10")
    assert ("163", "USAGOV") in [(c, s) for c, s, *_ in events], events


def test_wire_spanish_manifestar_without_object_is_demonstrating(code):
    events = _events(code, "Varios cientos de miles de rusos manifestaron el jueves en todo el país.", "1998-05-05")
    assert [(c, s) for c, s, *_ in events] == [("141", "RUSCVL")], events
    events = _events(code, "Los estudiantes manifestaron frente al Congreso.")
    assert [(c, t) for c, _, t, _ in events] == [("141", "LEG")], events
    events = _events(code, "Los sindicatos manifestaron su rechazo a la reforma laboral.")
    assert [c for c, *_ in events] == ["111"], events
    assert not any(c.startswith("14") for c, *_ in _events(code, "El ministro manifestó que el gobierno no cederá."))


def test_prepared_offensives_besieged_towns_and_ordered_displacement(code):
    events = _events(code, "El ejército ruso prepara una ofensiva de primavera en el frente de Zaporiyia.")
    assert events == [("190", "RUSMIL", None, "future")], events
    assert not _events(code, "El gobierno prepara una ofensiva diplomática para recuperar apoyos en la OEA.")
    events = _events(code, "Grupos yihadistas mantienen bloqueada la ciudad de Djibo desde hace más de un año.")
    assert [(c, s) for c, s, *_ in events] == [("191", "REB")], events
    events = _events(code, "Disidencias de las FARC ordenaron a decenas de familias venezolanas abandonar el municipio.")
    assert [(c, s, t) for c, s, t, _ in events] == [("201", "COLREB", "VENCVL")], events


def test_noun_patterns_with_sector_constraints(code):
    events = _events(code, "Moscú respondió con la expulsión de 60 diplomáticos estadounidenses.", "2018-03-30")
    assert events == [("166", "RUSGOV", "USAGOV", "asserted")], events
    events = _events(code, "La expulsión de 300 migrantes haitianos por las autoridades dominicanas provocó protestas.")
    assert ("174", None, "REF", "asserted") in events, events


def test_an_attack_that_kills_two_groups_is_one_record_per_group(code):
    events = _events(code, "Un atentado suicida junto al aeropuerto de Kabul mató a 13 militares estadounidenses y a "
                           "decenas de afganos.", "2021-08-26")
    assert sorted((c, t) for c, _, t, _ in events) == [("1831", "AFGCVL"), ("1831", "USAMIL")], events


def test_burning_by_protesters_is_a_riot_and_a_semicolon_ends_an_attempt(code):
    events = _events(code, "Manifestantes incendiaron bancos y gasolineras en varias ciudades iraníes.", "2019-11-17")
    assert [(c, s) for c, s, *_ in events] == [("145", "CVL")], events
    events = _events(code, "Pobladores de Puno intentaron tomar el aeropuerto de Juliaca; los enfrentamientos con la "
                           "policía dejaron 17 muertos.", "2023-01-09")
    assert [(c, m) for c, _, _, m in events] == [("144", "attempted"), ("190", "asserted")], events


def test_a_truck_bomb_that_destroys_and_fire_support_is_no_endorsement(code):
    events = _events(code, "Un camión bomba destruyó este martes parte de la sede de Naciones Unidas en Bagdad.", "2003-08-19")
    assert [(c, t) for c, _, t, _ in events] == [("1832", "IGOUNO")], events
    events = _events(code, "Las tropas federales rusas entraron con carros de combate en Grozni, apoyadas por intensos "
                           "bombardeos de la artillería.", "1999-12-31")
    assert not any(c.startswith("05") for c, *_ in events), events
    assert ("051", "BRA", "COL", "asserted") in _events(code, "Brasil apoyó la candidatura de Colombia al Consejo de Seguridad.")


def test_a_generic_attack_noun_takes_the_precise_code_of_the_same_happening(pipeline):
    from hechos.records import Article

    events = pipeline.code(Article(id="t", text="El atentado de ETA con coche bomba dejó seis muertos en Madrid.",
                                   date="1998-08-15")).events
    assert [(e.cameo, e.source.code, e.rule, e.trigger) for e in events] == [
        ("1832", "ESPREB", "coche-bomba", "coche")], events
