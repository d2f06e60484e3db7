"""Event dates: Spanish date phrases resolved against the article date, per clause."""

from __future__ import annotations

import dataclasses

import pytest

from hechos.context.dates import DateResolver, ResolvedDate, date_phrases, load_date_words
from hechos.errors import DictionaryError
from hechos.lang import get_language

WEDNESDAY = "2024-06-05"  # a Wednesday


@pytest.fixture(scope="module")
def resolver() -> DateResolver:
    return DateResolver(get_language("es"))


@pytest.fixture(scope="module")
def parse(pipeline):
    def run(text: str):
        return [s for sents in pipeline.parser.parse([text]) for s in sents]

    return run


@pytest.fixture(scope="module")
def date_of(parse, resolver):
    """The resolved date of the event whose trigger is the word `verb` in `text`."""

    def run(text: str, verb: str, article: str | None = WEDNESDAY) -> ResolvedDate:
        for sent in parse(text):
            for tok in sent.tokens:
                if tok.text == verb:
                    return resolver.resolve(sent, tok.i, article)
        raise AssertionError(f"{verb!r} not in {text!r}")

    return run


CASES = [
    # relative days
    ("La policía detuvo ayer a dos dirigentes sindicales.", "detuvo", "2024-06-04", "day", "ayer"),
    ("Anteayer las tropas bombardearon el puerto de Odesa.", "bombardearon", "2024-06-03", "day", "Anteayer"),
    ("Anoche la policía detuvo al alcalde de la ciudad.", "detuvo", "2024-06-04", "day", "Anoche"),
    ("Los estudiantes marchan hoy por el centro de Santiago.", "marchan", "2024-06-05", "day", "hoy"),
    ("El presidente se reunió esta mañana con el ministro.", "reunió", "2024-06-05", "day", "esta mañana"),
    ("El canciller se reunirá mañana con su homólogo ruso.", "reunirá", "2024-06-06", "day", "mañana"),
    # "la mañana del lunes" is a morning, not tomorrow
    ("Los manifestantes protestaron en la mañana del lunes.", "protestaron", "2024-06-03", "day", "del lunes"),
    # weekdays
    ("El ejército atacó el martes la ciudad de Járkov.", "atacó", "2024-06-04", "day", "el martes"),
    ("El ejército atacó el miércoles la ciudad de Járkov.", "atacó", "2024-06-05", "day", "el miércoles"),
    ("La policía detuvo a dos hombres el pasado miércoles.", "detuvo", "2024-05-29", "day", "el pasado miércoles"),
    ("La policía detuvo a dos hombres el martes pasado.", "detuvo", "2024-06-04", "day", "el martes pasado"),
    ("El gobierno suspendió este lunes las negociaciones.", "suspendió", "2024-06-03", "day", "este lunes"),
    ("El ministro viajará a Caracas el próximo viernes.", "viajará", "2024-06-07", "day", "el próximo viernes"),
    ("El ministro viajará a Caracas el martes.", "viajará", "2024-06-11", "day", "el martes"),
    ("El gobierno va a reunirse el lunes con los sindicatos.", "reunirse", "2024-06-10", "day", "el lunes"),
    # counted shifts
    ("Los rebeldes atacaron la base hace dos semanas.", "atacaron", "2024-05-22", "day", "hace dos semanas"),
    ("Los rebeldes atacaron la base hace tres días.", "atacaron", "2024-06-02", "day", "hace tres días"),
    ("Hace 48 horas, el ejército bombardeó la ciudad.", "bombardeó", "2024-06-03", "day", "Hace 48 horas"),
    ("Los rebeldes atacaron la base dos semanas atrás.", "atacaron", "2024-05-22", "day", "dos semanas atrás"),
    ("El gobierno expulsó al embajador hace un mes.", "expulsó", "2024-05", "month", "hace un mes"),
    # periods
    ("La policía arrestó la semana pasada a tres líderes.", "arrestó", "2024-05", "month", "la semana pasada"),
    ("El gobierno expulsó al embajador el mes pasado.", "expulsó", "2024-05", "month", "el mes pasado"),
    ("Las tropas se retiraron de la frontera el año pasado.", "retiraron", "2023", "year", "el año pasado"),
    ("Este año el ejército mató a cuarenta civiles.", "mató", "2024", "year", "Este año"),
    # months and years
    ("El presidente visitó Madrid en julio.", "visitó", "2023-07", "month", "en julio"),
    ("El presidente visitará Madrid en julio.", "visitará", "2024-07", "month", "en julio"),
    ("El presidente visitó Madrid en mayo.", "visitó", "2024-05", "month", "en mayo"),
    ("El presidente planea visitar Bogotá en enero.", "visitar", "2025-01", "month", "en enero"),
    ("El ejército atacó la ciudad a finales de septiembre.", "atacó", "2023-09", "month",
     "a finales de septiembre"),
    ("Los manifestantes marcharon en 2019 contra el gobierno.", "marcharon", "2019", "year", "en 2019"),
    ("Los rebeldes atacaron en marzo de 2019 la capital.", "atacaron", "2019-03", "month", "en marzo de 2019"),
    # calendar dates
    ("El ejército atacó el pueblo el 3 de marzo.", "atacó", "2024-03-03", "day", "el 3 de marzo"),
    ("El ejército atacará el pueblo el 3 de marzo.", "atacará", "2025-03-03", "day", "el 3 de marzo"),
    ("El 3 de marzo de 2019 el gobierno firmó el acuerdo.", "firmó", "2019-03-03", "day",
     "El 3 de marzo de 2019"),
    ("El acuerdo se firmó el 15/3/2019 en Lima.", "firmó", "2019-03-15", "day", "el 15/3/2019"),
    ("Los rebeldes atacaron la base el día 3.", "atacaron", "2024-06-03", "day", "el día 3"),
    # the weekday fixes the year: 4 June 2024 is a Tuesday, before the article date
    ("La reunión será el martes 4 de junio.", "reunión", "2024-06-04", "day", "el martes 4 de junio"),
]


@pytest.mark.parametrize(("text", "verb", "expected", "precision", "phrase"), CASES)
def test_date_phrases_resolve(date_of, text, verb, expected, precision, phrase):
    got = date_of(text, verb)
    assert (got.date, got.precision, got.source, got.phrase) == (expected, precision, "text", phrase)


def test_each_clause_takes_its_own_date(date_of):
    text = "El ministro dijo ayer que el ataque ocurrió el martes."
    assert date_of(text, "ocurrió").phrase == "el martes"
    assert date_of(text, "dijo") == ResolvedDate("2024-06-04", "day", "text", "ayer")


def test_date_of_governing_verb_is_inherited(date_of):
    # no date in the complement: the announcement's date is the best the text says
    got = date_of("El ministro anunció ayer que el ejército atacó la base.", "atacó")
    assert (got.date, got.phrase) == ("2024-06-04", "ayer")


def test_relative_clause_does_not_inherit(date_of):
    text = "Los soldados que atacaron la ciudad fueron detenidos ayer."
    assert date_of(text, "detenidos").phrase == "ayer"
    assert date_of(text, "atacaron") == ResolvedDate(WEDNESDAY, "day", "article", None)


def test_future_complement_does_not_take_past_date(date_of):
    got = date_of("El ministro anunció ayer que visitará Madrid.", "visitará")
    assert got == ResolvedDate(WEDNESDAY, "day", "article", None)


def test_vague_phrases_fall_back_to_article(date_of):
    for text, verb in [("Recientemente, los rebeldes atacaron la base militar.", "atacaron"),
                       ("En los últimos días la policía detuvo a veinte personas.", "detuvo"),
                       ("Hace unos días la policía detuvo a un dirigente.", "detuvo")]:
        assert date_of(text, verb) == ResolvedDate(WEDNESDAY, "day", "article", None), text


def test_vague_phrase_stops_inheritance(date_of):
    got = date_of("El ministro dijo ayer que recientemente los rebeldes atacaron la base.", "atacaron")
    assert got == ResolvedDate(WEDNESDAY, "day", "article", None)


def test_no_phrase_falls_back_to_article(date_of):
    assert date_of("Los rebeldes atacaron la base militar.", "atacaron") == \
        ResolvedDate(WEDNESDAY, "day", "article", None)


def test_no_article_date(date_of):
    assert date_of("Los rebeldes atacaron la base militar ayer.", "atacaron", None) == \
        ResolvedDate(None, None, "none", None)
    assert date_of("Los rebeldes atacaron la base militar.", "atacaron", None) == \
        ResolvedDate(None, None, "none", None)
    # an absolute date needs no article date
    got = date_of("El 3 de marzo de 2019 el gobierno firmó el acuerdo.", "firmó", None)
    assert (got.date, got.source) == ("2019-03-03", "text")


def test_year_rollover(date_of):
    got = date_of("Las tropas se retiraron de la ciudad en diciembre.", "retiraron", "2024-01-10")
    assert (got.date, got.precision) == ("2023-12", "month")
    got = date_of("Las tropas se retirarán de la ciudad en diciembre.", "retirarán", "2024-01-10")
    assert (got.date, got.precision) == ("2024-12", "month")
    got = date_of("Los rebeldes atacaron la base la semana pasada.", "atacaron", "2024-01-03")
    assert (got.date, got.precision) == ("2023-12", "month")


def test_no_false_dates(date_of, parse, resolver):
    # ambiguous day/month order, a name, habitual and bounding phrases give no date
    for text, verb in [("El acuerdo se firmó el 3/4/2019 en Lima.", "firmó"),
                       ("Julio Borges denunció la represión en Caracas.", "denunció"),
                       ("Los sindicatos protestan los lunes frente al ministerio.", "protestan"),
                       ("Las protestas continuarán hasta el 30 de junio.", "continuarán")]:
        assert date_of(text, verb).source == "article", text


def test_date_phrases_for_explain(parse):
    sent = parse("El ministro dijo ayer que el ataque ocurrió el pasado martes.")[0]
    spans = date_phrases(sent, get_language("es"))
    assert [text for _, _, text in spans] == ["ayer", "el pasado martes"]
    for start, end, text in spans:
        assert " ".join(t.text for t in sent.tokens[start:end]) == text


def test_deterministic(parse):
    texts = [text for text, *_ in CASES] + ["El ministro dijo ayer que el ataque ocurrió el martes."]
    sentences = [s for text in texts for s in parse(text)]

    def run() -> list[ResolvedDate]:
        resolver = DateResolver(get_language("es"))
        return [resolver.resolve(s, t.i, WEDNESDAY) for s in sentences for t in s.tokens]

    assert repr(run()) == repr(run())


def test_data_file_errors_carry_line(tmp_path):
    source = (get_language("es").folder / "dates.yaml").read_text(encoding="utf-8")
    bad = source.replace("julio: 7", "julio: 13")
    assert bad != source
    (tmp_path / "dates.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        load_date_words(tmp_path / "dates.yaml")
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if "name: months" in text)
    assert err.value.line == line and "julio" in err.value.message


def test_language_pack_data_drives_the_resolver(tmp_path, parse):
    # a pack whose dates.yaml lacks "anoche" finds no date in it: the words are data
    source = (get_language("es").folder / "dates.yaml").read_text(encoding="utf-8")
    (tmp_path / "dates.yaml").write_text(source.replace("[ayer, anoche, ayer mismo]", "[ayer, ayer mismo]"),
                                         encoding="utf-8")
    pack = dataclasses.replace(get_language("es"), folder=tmp_path)
    sent = parse("Anoche la policía detuvo al alcalde.")[0]
    verb = next(t.i for t in sent.tokens if t.text == "detuvo")
    assert DateResolver(pack).resolve(sent, verb, WEDNESDAY).source == "article"
    assert DateResolver(get_language("es")).resolve(sent, verb, WEDNESDAY).source == "text"
