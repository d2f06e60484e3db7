"""Quotations and their speakers (issue 5): quote styles, reported speech, "según X",
speakers from actor mentions, pro-drop through the callback, and links to events."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from hechos.context.quotes import QuoteExtractor, load_quote_grammar
from hechos.errors import DictionaryError
from hechos.records import ActorRef, Article, ParsedSentence, Token


@pytest.fixture(scope="module")
def extractor(pipeline) -> QuoteExtractor:
    return QuoteExtractor(pipeline.language)


@pytest.fixture(scope="module")
def run(pipeline, extractor):
    def go(text: str, **kwargs):
        result = pipeline.code(Article(id="t", text=text, date="2024-06-05"))
        quotes = extractor.extract("t", result.sentences, result.mentions, result.events, **kwargs)
        return quotes, result

    return go


def only(quotes):
    assert len(quotes) == 1, [q.quote for q in quotes]
    return quotes[0]


# -- quote styles -----------------------------------------------------------------------
def test_guillemets_across_sentences_postposed_verb(run):
    quotes, result = run("«No vamos a ceder ante el chantaje. Seguiremos luchando», dijo el ministro.")
    assert len(result.sentences) == 2  # the parser splits the quote; it comes back whole
    q = only(quotes)
    assert q.sentence_index == 0
    assert q.quote == "No vamos a ceder ante el chantaje. Seguiremos luchando"
    assert (q.kind, q.verb) == ("direct", "dijo")
    assert q.speaker is not None and q.speaker.text == "ministro" and q.speaker.code == "GOV"
    # the name is in sentence 1, the quote in sentence 0: no span, but where it came from
    assert q.speaker.span is None and q.speaker.resolved_from == "ministro (sentence 1)"


def test_curly_quotes_speaker_code(run):
    text = "“Vamos a ganar esta guerra”, afirmó Zelenski ante el Parlamento."
    q = only(run(text)[0])
    assert (q.quote, q.verb, q.kind) == ("Vamos a ganar esta guerra", "afirmó", "direct")
    assert q.speaker.code == "UKRGOV"
    start, end = q.speaker.span
    assert text[start:end] == "Zelenski"


def test_straight_quotes_pair_in_order_and_scare_quotes_are_not_quotes(run):
    quotes, _ = run('El presidente dijo: "No vamos a negociar con terroristas". El "acuerdo" fracasó.')
    q = only(quotes)
    assert q.quote == "No vamos a negociar con terroristas"
    assert q.verb == "dijo" and q.speaker.text == "presidente"


@pytest.mark.parametrize("text", [
    'El Gobierno rechazó el llamado "plan de paz" de la oposición.',
    "El canciller criticó el llamado «plan de paz» de Trump.",  # a speech verb, but a name
    "El escritor publicó la novela «Cien años de soledad» en 1967.",
])
def test_names_and_scare_quotes_are_not_quotes(run, text):
    assert run(text)[0] == []


def test_speech_verb_governing_a_short_quote(run):
    q = only(run("El canciller criticó la decisión de Washington, calificándola de «una agresión inaceptable».")[0])
    assert q.quote == "una agresión inaceptable"
    assert q.verb == "calificándola"  # a gerund with a clitic, which the parser does not lemmatise
    assert q.speaker.text == "canciller"  # the gerund speaks with its main verb's subject


def test_colon_attribution(run):
    q = only(run("Putin: «Rusia no atacará a nadie»")[0])
    assert q.quote == "Rusia no atacará a nadie" and q.verb is None
    assert q.speaker.code == "RUSGOV"


def test_interrupted_quote_gives_two_quotes_of_one_speaker(run):
    quotes, _ = run("«No cederemos», afirmó Putin, «ante ninguna amenaza de la OTAN».")
    assert [q.quote for q in quotes] == ["No cederemos", "ante ninguna amenaza de la OTAN"]
    assert {q.speaker.code for q in quotes} == {"RUSGOV"} and {q.verb for q in quotes} == {"afirmó"}


def test_quote_within_a_quote_stays_inside(run):
    q = only(run('«Nos dijeron "esperen" y nunca volvieron», denunció el alcalde de la ciudad.')[0])
    assert q.quote == 'Nos dijeron "esperen" y nunca volvieron'
    assert q.verb == "denunció" and q.speaker.text.startswith("alcalde")


def test_next_sentence_quote_continues_the_speaker(run):
    quotes, _ = run("«No cederemos ante nadie», dijo Zelenski. «Defenderemos cada ciudad de Ucrania.»")
    first, second = quotes
    assert second.sentence_index == 1 and second.verb is None
    assert second.speaker.code == first.speaker.code == "UKRGOV"
    assert second.speaker.resolved_from == "Zelenski (sentence 0)"


# -- reported speech --------------------------------------------------------------------
def test_reported_que_clause_speaker_and_event(run):
    text = "El presidente ruso, Vladímir Putin, declaró que Rusia no atacará a Ucrania."
    quotes, result = run(text)
    q = only(quotes)
    assert (q.kind, q.verb, q.quote) == ("reported", "declaró", "Rusia no atacará a Ucrania")
    assert q.speaker.code == "RUSGOV"
    start, end = q.speaker.span
    assert "Vladímir Putin" in text[start:end]
    attack = [e for e in result.events if e.trigger == "atacará"]
    assert attack and q.event_id == attack[0].event_id  # the quoted clause's event


def test_reported_clause_with_de_que(run):
    q = only(run("El portavoz del Ejército advirtió de que habrá represalias contra los rebeldes.")[0])
    assert q.quote == "habrá represalias contra los rebeldes" and q.verb == "advirtió"


def test_quoted_reported_clause_is_one_direct_quote(run):
    q = only(run("La oposición denunció que «el Gobierno ha traicionado al pueblo».")[0])
    assert (q.kind, q.quote, q.verb) == ("direct", "el Gobierno ha traicionado al pueblo", "denunció")
    assert q.speaker.code == "OPP"


def test_relative_clause_speaker_is_the_antecedent(run):
    quotes, _ = run("El alcalde, que denunció que los rebeldes atacaron la ciudad, pidió ayuda.")
    q = only(quotes)
    assert q.quote == "los rebeldes atacaron la ciudad" and q.speaker.text == "alcalde"


@pytest.mark.parametrize("text, phrase, speaker", [
    ("Según el ministro de Defensa, las tropas rusas atacaron Járkov.", "según", "ministro de Defensa"),
    ("De acuerdo con el ministro de Defensa, las tropas rusas atacaron Járkov.", "de acuerdo con",
     "ministro de Defensa"),
    ("Las tropas rusas atacaron Járkov, según informó el Ministerio de Defensa.", "según",
     "Ministerio de Defensa"),
])
def test_segun(run, text, phrase, speaker):
    quotes, result = run(text)
    q = only(quotes)
    assert (q.kind, q.verb, q.speaker.text) == ("reported", phrase, speaker)
    assert q.quote.lower() == "las tropas rusas atacaron járkov"
    attack = [e for e in result.events if e.trigger == "atacaron"]
    assert attack and q.event_id == attack[0].event_id


def test_pro_drop_speaker_is_none_then_filled_by_the_callback(run):
    text = "Señaló que el Gobierno no negociará con los rebeldes."
    q = only(run(text)[0])
    assert q.speaker is None and q.verb == "Señaló"
    asked = []
    petro = ActorRef("Gustavo Petro", "COLGOV", "COL", "GOV", None, "Gustavo Petro (sentence 0)")

    def resolve(sentence_index: int, verb_index: int) -> ActorRef | None:
        asked.append((sentence_index, verb_index))
        return petro

    q = only(run(text, resolve_speaker=resolve)[0])
    assert q.speaker == petro and asked == [(0, 0)]


def test_pronoun_subject_asks_the_callback_and_keeps_the_pronoun_otherwise(run):
    text = "Él afirmó que no habrá tregua con los rebeldes."
    assert only(run(text)[0]).speaker.text == "Él"
    q = only(run(text, resolve_speaker=lambda s, v: ActorRef("Putin", "RUSGOV", "RUS", "GOV"))[0])
    assert q.speaker.code == "RUSGOV"


# -- events -----------------------------------------------------------------------------
def test_event_of_the_speech_verb_itself(run):
    quotes, result = run("El ministro de Defensa acusó a Rusia de bombardear Kiev y advirtió que Ucrania responderá.")
    q = only(quotes)
    assert q.quote == "Ucrania responderá" and q.speaker.text == "ministro de Defensa"
    warn = [e for e in result.events if e.trigger == "advirtió"]
    assert warn and q.event_id == warn[0].event_id


def test_event_of_a_governing_accusation(run):
    quotes, result = run("El ministro de Defensa acusó a Rusia de «crímenes de guerra» en Bucha.")
    q = only(quotes)
    assert (q.quote, q.verb) == ("crímenes de guerra", "acusó")
    accuse = [e for e in result.events if e.trigger_index == 4]
    assert accuse and q.event_id == accuse[0].event_id


def test_no_event_no_link(run):
    q = only(run("«Vamos a ganar esta guerra», afirmó Zelenski ante el Parlamento.")[0])
    assert q.event_id is None


# -- robustness, order, ids -------------------------------------------------------------
def test_unclosed_mark_is_cut_at_the_attribution(run):
    text = ("«Esto es una provocación inaceptable, dijo el portavoz del Kremlin. Rusia responderá con "
            "firmeza. Los ataques continuarán. El Ejército ruso avanzó en Donetsk.")
    q = only(run(text)[0])
    assert q.quote == "Esto es una provocación inaceptable" and q.verb == "dijo"


def test_unclosed_mark_never_runs_across_the_article(run):
    text = ('El alcalde afirmó: "Necesitamos ayuda urgente. Los rebeldes atacaron el hospital. '
            'La ciudad no resistirá. El Ejército no llegó. Los civiles huyeron hacia el norte.')
    quotes, result = run(text)
    assert len(result.sentences) >= 4
    for q in quotes:
        assert "norte" not in q.quote and "Ejército" not in q.quote


def test_paragraph_end_closes_an_open_quote(extractor):
    def sentence(text: str, index: int) -> ParsedSentence:
        tokens, pos = [], 0
        for n, word in enumerate(text.split()):
            pos = text.index(word, pos)
            tokens.append(Token(n, word, word, "VERB" if word == "llegamos" else "NOUN", "dep", 0, idx=pos,
                                norm=word.lower(), lemma_norm=word.lower()))
            pos += len(word)
        return ParsedSentence(text, tokens, index)

    sents = [sentence("« Nunca llegamos a tiempo al frente", 0), sentence("Otra noticia » sin relación", 1)]
    together = extractor.extract("p", sents, [[], []], [])
    apart = extractor.extract("p", sents, [[], []], [], paragraphs=[0, 1])
    assert [q.quote for q in together] == ["Nunca llegamos a tiempo al frente Otra noticia"]
    assert [q.quote for q in apart] == ["Nunca llegamos a tiempo al frente"]


def test_order_ids_and_determinism(run):
    text = ("El ministro de Defensa afirmó que Rusia atacó Járkov. «No cederemos», dijo Zelenski, "
            "que aseguró que Ucrania resistirá.")
    first, _ = run(text)
    second, _ = run(text)
    assert first == second
    keys = [(q.sentence_index, q.quote) for q in first]
    assert keys[0] == (0, "Rusia atacó Járkov")
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    assert len({q.quote_id for q in first}) == len(first)
    for q in first:
        assert len(q.quote_id) == 16
        assert "«" not in q.quote and "»" not in q.quote
    q = first[0]
    offset = run(text)[1].sentences[0].text.index(q.quote)
    expected = hashlib.sha1(f"t|0|{offset}|{q.quote}".encode()).hexdigest()[:16]
    assert q.quote_id == expected


# -- data file --------------------------------------------------------------------------
def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "quotes.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, line, message", [
    ("- name: speech_verbs\n  words: [decir]\n- name: quote_marks\n  pairs: [[«, »]]\n- name: saying\n  words: [x]\n",
     5, "unknown entry"),
    ("- name: speech_verbs\n  words: [decir]\n- name: quote_marks\n  pairs: [[«, »»]]\n", 3, "two single characters"),
    ("- name: speech_verbs\n  words: [decir, decir]\n- name: quote_marks\n  pairs: [[«, »]]\n", 1, "twice"),
    ("- name: speech_verbs\n  words: [decir]\n- name: quote_marks\n  pairs: [[«, »]]\n"
     "- name: limits\n  max_sentences: 0\n", 5, "positive integer"),
    ("- name: speech_verbs\n  words: [decir]\n", 0, "missing entry 'quote_marks'"),
])
def test_bad_data_file_names_file_and_line(tmp_path, body, line, message):
    with pytest.raises(DictionaryError) as err:
        load_quote_grammar(_write(tmp_path, body))
    assert err.value.line == line and message in err.value.message
    assert err.value.file.endswith("quotes.yaml")


def test_shipped_data_file_loads(pipeline):
    grammar = load_quote_grammar(pipeline.language.folder / "quotes.yaml")
    assert {"decir", "declarar", "senalar", "advertir"} <= grammar.speech_verbs
    assert ("segun",) in grammar.according_to and grammar.closers["«"] == "»"
