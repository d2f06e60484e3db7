"""Where an event happened: the place attached to its verb, else a place of its main clause,
else the article's dateline.

    locator = PlaceLocator(get_language("es"))
    geo = locator.article_geo(article, sentences)          # once per article
    event.location = locator.locate(sent, event.trigger_index, ["RUS", "UKR"], geo)

Place names are found in the parse (proper nouns and their multiword names, longest match
first) and looked up in the gazetteer; the words that make a name a place ("en", "cerca
de", "en la ciudad de", "al norte de"…) come from the language pack's `places.yaml`.
Namesakes (Santiago, Córdoba, Georgia) are resolved by the countries of the sentence's other
places, of the event's actors, of the article's places, then of the dateline.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..datafile import LINE_KEY, display_path, load_entries, require, string_list
from ..errors import DictionaryError
from ..geo.gazetteer import Candidate, Gazetteer, load_gazetteer, name_key, resolve_candidate
from ..lang import LanguagePack
from ..records import Article, ParsedSentence, Place, Token
from ..textnorm import normalize

# A name longer than this many tokens is not looked for ("Santiago de los Caballeros": 4).
MAX_NAME_TOKENS = 8
# How a locative phrase may hang from the event: through the nouns of its arguments
# ("bombardearon una fábrica cerca de Járkov"), not through a subject ("el embajador en
# Madrid", an actor's post) nor through another clause.
_NOMINAL_LINKS = frozenset({"obj", "obl", "nmod", "conj", "appos", "advmod", "iobj", "flat", "compound",
                            "nummod", "amod", "dep", "fixed", "list", "expl"})
_SUBJECT_LINKS = frozenset({"nsubj", "csubj"})
_DETERMINERS = frozenset({"el", "la", "los", "las", "lo"})
_SPECIFIC = {"site": 0, "city": 1, "admin1": 2, "country": 3}
PERSON_OVER_TOWN_POPULATION = 500_000


@dataclass(frozen=True)
class PlaceWords:
    """The language's place words, from `places.yaml` (normalized)."""

    locative: frozenset[tuple[str, ...]]
    destination: frozenset[tuple[str, ...]]
    origin: frozenset[tuple[str, ...]]
    against: frozenset[tuple[str, ...]]
    place_nouns: frozenset[str]
    movement_verbs: frozenset[str]
    datelines: tuple[re.Pattern[str], ...]
    not_places: frozenset[str] = frozenset()  # name keys never taken as places
    longest_first: tuple[tuple[str, ...], ...] = ()
    by_last_word: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # longest first


@cache
def load_place_words(path: Path) -> PlaceWords:
    file = display_path(path)
    lists: dict[str, dict] = {}
    for entry in load_entries(path):
        name = require(entry, "name", str, file)
        if name in lists:
            raise DictionaryError(file, entry[LINE_KEY], f"duplicate list {name!r}")
        lists[name] = entry

    def need(name: str) -> dict:
        if name not in lists:
            raise DictionaryError(file, 0, f"missing list {name!r}")
        return lists[name]

    def phrases(name: str) -> frozenset[tuple[str, ...]]:
        entry = need(name)
        return frozenset(tuple(normalize(p).split()) for p in string_list(entry, "phrases", file, required=True))

    def words(name: str) -> frozenset[str]:
        return frozenset(normalize(w) for w in string_list(need(name), "words", file, required=True))

    months = "|".join(sorted((re.escape(m) for m in words("months")), key=len, reverse=True))
    patterns = []
    entry = need("datelines")
    for raw in string_list(entry, "patterns", file, required=True):
        try:
            pattern = re.compile(raw.replace("{months}", months), re.IGNORECASE)
        except re.error as exc:
            raise DictionaryError(file, entry[LINE_KEY], f"bad dateline pattern: {exc}") from None
        if "place" not in pattern.groupindex:
            raise DictionaryError(file, entry[LINE_KEY], "a dateline pattern needs a group (?P<place>…)")
        patterns.append(pattern)
    locative, destination, origin = phrases("locative"), phrases("destination"), phrases("origin")
    against = phrases("against")
    everything = sorted(locative | destination | origin | against, key=lambda p: (-len(p), p))
    not_places = frozenset(name_key(w, normalize) for w in string_list(need("not_places"), "words", file))
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for phrase in everything:
        by_last.setdefault(phrase[-1], []).append(phrase)
    return PlaceWords(locative, destination, origin, against, words("place_nouns"), words("movement_verbs"),
                      tuple(patterns), not_places, tuple(everything), {w: tuple(ps) for w, ps in by_last.items()})


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name found in a sentence: tokens [start, end), its gazetteer candidates."""

    sentence: int
    start: int
    end: int
    head: int
    text: str
    candidates: tuple[Candidate, ...]
    person: bool = False  # the parser calls it a person: no context from it

    @property
    def countries(self) -> set[str | None]:
        return {c.entry.country for c in self.candidates}

    @property
    def confident_country(self) -> str | None:
        """The country this name certainly is in: a country named outright, or a name all
        of whose namesakes are in one country."""
        top = self.candidates[0].entry
        if top.feature == "country" or len(self.countries) == 1:
            return top.country
        return None


@dataclass(slots=True)
class ArticleGeo:
    """What the article says about places, for locating its events."""

    dateline: Place | None = None
    dateline_chars: int = 0  # characters of its sentence that the dateline takes
    dateline_sentence: int = 0  # the lead's first sentence: 0, or 1 after a headline
    countries: tuple[str, ...] = ()  # of the places named with certainty, most named first
    places: tuple[Place, ...] = ()  # every place named, resolved, in text order
    mentions: dict[int, list[PlaceMention]] = field(default_factory=dict)  # by sentence index


def _norm(tok: Token) -> str:
    return tok.norm or normalize(tok.text)


def _wire_credit(m: re.Match[str]) -> bool:
    """"NACIONES UNIDAS, Sep 23 (AFP) -": a place the gazetteer does not know, but the
    agency credit in brackets says this is a dateline."""
    return "(" in m.group(0)[m.end("place") - m.start():]


def place_tail(sent: ParsedSentence) -> int | None:
    """Where a closing list of place names in capitals starts: human-rights databases
    end a report with ", DEPARTMENT , MUNICIPALITY" ("…en zona rural , META , GRANADA").
    Two or more comma-separated chunks in capitals after ordinary text; else None."""
    toks = sent.tokens
    end = len(toks)
    while end and not toks[end - 1].text[:1].isalnum():
        end -= 1
    chunks = 0
    start = end
    i = end
    while i > 0:
        j = i
        while j > 0 and toks[j - 1].text != "," and _capitals(toks[j - 1].text):
            j -= 1
        if j == i or (j > 0 and toks[j - 1].text != ","):
            break
        chunks += 1
        start = j
        i = j - 1  # over the comma
    if chunks < 2 or start < 2 or not any(t.text[:1].islower() for t in toks[:start]):
        return None
    return start


def _capitals(word: str) -> bool:
    """A word written in capitals, allowing the corpus' lower-case remnants of stripped
    accents and eñes ("NARInnO", "BOLiVAR")."""
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.6 * len(letters)


class PlaceLocator:
    def __init__(self, language: LanguagePack, gazetteer: Gazetteer | None = None):
        self.words = load_place_words(language.folder / "places.yaml")
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()

    # -- finding names ---------------------------------------------------------------
    def find(self, sent: ParsedSentence) -> list[PlaceMention]:
        """Place names of a sentence, longest match first, left to right."""
        toks, text, gaz = sent.tokens, sent.text, self.gazetteer
        out: list[PlaceMention] = []
        i, n = 0, len(toks)
        # a name has a capital letter (`_name_like`): spans without one are not looked up
        next_capital = [n] * (n + 1)
        for k in range(n - 1, -1, -1):
            next_capital[k] = k if toks[k].text[:1].isupper() else next_capital[k + 1]
        # keys of spans whose tokens are one space apart are the tokens' keys joined,
        # the same string name_key() makes of the span's text, without re-folding it
        token_keys = [name_key(t.text, normalize) for t in toks]
        odd_gaps = [0] * (n + 1)  # odd_gaps[k]: gaps other than one space before token k
        for k in range(1, n):
            one_space = toks[k].idx == toks[k - 1].idx + len(toks[k - 1].text) + 1
            odd_gaps[k] = odd_gaps[k - 1] + (not one_space)
        odd_gaps[n] = odd_gaps[n - 1] if n else 0
        first_words = gaz.first_words
        while i < n:
            found = None
            if toks[i].text[:1].isalpha() and next_capital[i] < min(n, i + MAX_NAME_TOKENS) and \
                    token_keys[i].split(" ", 1)[0] in first_words:
                for j in range(min(n, i + MAX_NAME_TOKENS), next_capital[i], -1):
                    last = toks[j - 1]
                    if not last.text[:1].isalpha() or last.pos in ("ADP", "DET", "CCONJ"):
                        continue
                    if odd_gaps[j - 1] == odd_gaps[i]:
                        key = " ".join(token_keys[i:j])
                    else:
                        key = name_key(text[toks[i].idx:last.idx + len(last.text)], normalize)
                    if key in gaz and key not in self.words.not_places and self._name_like(sent, i, j):
                        found = j, key
                        break
            if found is None:
                i += 1
                continue
            j, key = found
            span = range(i, j)
            head = next((k for k in span if toks[k].head not in span or toks[k].head == k), i)
            candidates = gaz.get(key)
            top = candidates[0].entry
            # the small model's PER label beats a small town's name (García, Morales), not
            # a well-known place it mislabels (Járkov)
            person = all(toks[k].ent_type == "PER" for k in span) and top.feature == "city" \
                and top.population < PERSON_OVER_TOWN_POPULATION
            out.append(PlaceMention(sent.index, i, j, head, text[toks[i].idx:toks[j - 1].idx + len(toks[j - 1].text)],
                                    candidates, person))
            i = j
        return out

    @staticmethod
    def _name_like(sent: ParsedSentence, i: int, j: int) -> bool:
        toks = sent.tokens
        capital = [t for t in toks[i:j] if t.text[:1].isupper()]
        if not capital:
            return False
        if j - i == 1:
            t = toks[i]
            if t.pos != "PROPN" and t.ent_type not in ("LOC", "GPE", "MISC"):
                return False
        # part of a longer proper name the gazetteer does not know: "Pedro Sánchez",
        # "Santiago Abascal" are no places
        span = range(i, j)
        base = sent.base_deps
        for k in (i - 1, j):
            if not (0 <= k < len(toks) and toks[k].pos == "PROPN"):
                continue
            if (toks[k].head in span and base[k] in ("flat", "compound")) or any(
                    toks[m].head == k and base[m] in ("flat", "compound") for m in span):
                return False
        return True

    # -- the article -----------------------------------------------------------------
    def _dateline(self, text: str) -> re.Match[str] | None:
        """The dateline opening `text`: a known place, or an agency credit after it."""
        for pattern in self.words.datelines:
            m = pattern.match(text)
            if m and (self.gazetteer.lookup(m.group("place")) or _wire_credit(m)):
                return m
        return None

    def split_dateline(self, paragraph: str) -> tuple[str | None, str]:
        """("BOGOTÁ", "El Ejército …") for "BOGOTÁ, 3 may (EFE) – El Ejército …": the
        pipeline parses the paragraph without its dateline, which would otherwise be
        read as the subject of the first verb."""
        m = self._dateline(paragraph)
        if m is None:
            return None, paragraph
        return m.group("place").strip(), paragraph[m.end():].lstrip()

    def article_geo(self, article: Article, sentences: list[ParsedSentence],
                    dateline: str | None = None) -> ArticleGeo:
        """Places of the article. `dateline` is the one split off before parsing;
        without it, the first sentences are searched for one."""
        geo = ArticleGeo()
        dateline_text = dateline
        # the dateline opens the lead, which follows the headline when there is one
        candidates = [] if dateline is not None else [s.text for s in sentences[:2]] or [article.text]
        for index, first in enumerate(candidates):
            m = self._dateline(first)
            if m is not None:
                dateline_text, geo.dateline_chars = m.group("place").strip(), m.end()
                geo.dateline_sentence = index
                break
        counts: Counter[str] = Counter()
        order: dict[str, int] = {}
        for sent in sentences:
            found = self.find(sent)
            if sent.index == geo.dateline_sentence and geo.dateline_chars:
                found = [m for m in found if sent.tokens[m.start].idx >= geo.dateline_chars]
            geo.mentions[sent.index] = found
            for m in found:
                country = None if m.person else m.confident_country
                if country:
                    counts[country] += 1
                    order.setdefault(country, len(order))
        geo.countries = tuple(sorted(counts, key=lambda c: (-counts[c], order[c])))
        candidates = self.gazetteer.lookup(dateline_text) if dateline_text is not None else []
        if candidates:
            chosen, note = resolve_candidate(candidates, tiers=[("article places", geo.countries)])
            geo.dateline = chosen.entry.place(dateline_text, _how("dateline", note))
        places = []
        for sent in sentences:
            for m in geo.mentions[sent.index]:
                if m.person:
                    continue
                chosen, note = self._resolve(m, geo, geo.mentions[sent.index], [])
                places.append(chosen.entry.place(m.text, _how("article", note)))
        geo.places = tuple(places)
        return geo

    def _resolve(self, m: PlaceMention, geo: ArticleGeo, same_sentence: list[PlaceMention],
                 actor_countries: list[str]) -> tuple[Candidate, str]:
        nearby = sorted({c for o in same_sentence if o is not m and not o.person
                         for c in [o.confident_country] if c})
        dateline = [geo.dateline.country] if geo.dateline and geo.dateline.country else []
        return resolve_candidate(m.candidates, tiers=[
            ("places of the sentence", nearby), ("actors", actor_countries),
            ("article places", geo.countries), ("dateline", dateline)])

    # -- one event -------------------------------------------------------------------
    def locate(self, sent: ParsedSentence, trigger_index: int, actor_countries: list[str],
               geo: ArticleGeo) -> Place | None:
        """The event's place: attached to its verb, else in its main clause, else the
        dateline; None when the article says nothing."""
        mentions = geo.mentions.get(sent.index)
        if mentions is None:
            mentions = self.find(sent)
        if sent.index == 0 and geo.dateline_chars:
            mentions = [m for m in mentions if sent.tokens[m.start].idx >= geo.dateline_chars]
        ancestors = _ancestors(sent, trigger_index)
        found: dict[str, list[tuple[int, int, PlaceMention, Candidate, str]]] = {"verb": [], "sentence": [],
                                                                                 "origin": []}
        for m in mentions:
            rule = self._rule(sent, m, trigger_index, ancestors)
            if rule is None:
                continue
            chosen, note = self._resolve(m, geo, mentions, actor_countries)
            found[rule].append((_SPECIFIC[chosen.entry.feature], m.start, m, chosen, note))
        for rule, how in (("verb", "verb"), ("sentence", "sentence"), ("origin", "verb; origin")):
            if found[rule]:
                _, _, m, chosen, note = min(found[rule], key=lambda f: (f[0], f[1]))
                return chosen.entry.place(m.text, _how(how, note))
        if geo.dateline is not None:
            return geo.dateline
        return None

    def _rule(self, sent: ParsedSentence, m: PlaceMention, trigger: int, ancestors: set[int]) -> str | None:
        """'verb', 'sentence', 'origin' or None: how this name relates to the event."""
        toks = sent.tokens
        marker = self._marker(sent, m.start)
        if marker is None:
            # a bare place as the object of the event: "atacaron Kiev", "invadió Ucrania"
            h = m.head
            while sent.base_deps[h] == "conj" and toks[h].head != h:  # "atacó Járkov y Odesa"
                h = toks[h].head
            if toks[h].head == trigger and sent.base_deps[h] == "obj":
                return "verb"
            return None
        phrase, lo = marker
        # the first word outside the phrase that the phrase hangs from
        link, cur = m.head, toks[m.head].head
        while lo <= cur < m.end and cur != link:
            link, cur = cur, toks[cur].head
        if sent.base_deps[link] in _SUBJECT_LINKS:
            return None
        clause = cur
        while clause != trigger:
            t = toks[clause]
            dep = sent.base_deps[clause]
            if t.pos in ("VERB", "AUX") or t.head == clause or dep not in _NOMINAL_LINKS:
                break
            clause = t.head
        if clause == trigger:
            where = "verb"
        elif clause in ancestors and toks[clause].pos in ("VERB", "AUX"):
            where = "sentence"
        else:
            return None  # another clause, or the subject's words: not where the event is
        moving = (toks[clause].lemma_norm or normalize(toks[clause].lemma)) in self.words.movement_verbs
        if moving and phrase in self.words.origin:
            return "origin"
        if phrase in self.words.locative or (moving and phrase in self.words.destination):
            return where
        if phrase in self.words.against and m.candidates[0].entry.feature != "country":
            return where
        return None

    def _marker(self, sent: ParsedSentence, start: int) -> tuple[tuple[str, ...], int] | None:
        """The place words right before a name ("en", "cerca de", "en la ciudad de"): the
        phrase and the index of its first token."""
        toks = sent.tokens
        words = self.words

        def skip_det(k: int) -> int:
            return k - 1 if k > 0 and _norm(toks[k - 1]) in _DETERMINERS else k

        def phrase_before(k: int, longer: bool) -> tuple[tuple[str, ...], int] | None:
            if k == 0:
                return None
            for phrase in words.by_last_word.get(_norm(toks[k - 1]), ()):
                n = len(phrase)
                if (n > 1 or not longer) and k - n >= 0 and tuple(_norm(t) for t in toks[k - n:k]) == phrase:
                    return phrase, k - n
            return None

        k = start
        while True:
            for end in dict.fromkeys((k, skip_det(k))):
                found = phrase_before(end, longer=True)  # "cerca de", "al norte de"
                if found:
                    return found
            kd = skip_det(k)
            if kd > 1 and _norm(toks[kd - 1]) in ("de", "del"):
                # "en la ciudad ucraniana de X", "en el norte de X": the nouns of place
                m = kd - 1
                while m > 0 and toks[m - 1].pos == "ADJ":
                    m -= 1
                if m > 0 and _norm(toks[m - 1]) in words.place_nouns:
                    k = m - 1
                    continue
            for end in dict.fromkeys((k, kd)):
                found = phrase_before(end, longer=False)  # "en", "desde", "a"
                if found:
                    return found
            return None


def _how(rule: str, note: str) -> str:
    return f"{rule}; {note}" if note else rule


def _ancestors(sent: ParsedSentence, i: int) -> set[int]:
    out = set()
    toks = sent.tokens
    while toks[i].head != i and i not in out:
        out.add(i)
        i = toks[i].head
    out.add(i)
    return out
