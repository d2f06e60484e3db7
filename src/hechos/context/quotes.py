"""Quotations and their speakers: «direct quotes» and reported speech ("X dijo que ...",
"según X, ...").

Direct quotes are found on the characters of the sentences (the parser splits «A. B»
into two sentences, so marks are paired across sentences), then attributed with the
parse: the speech verb that governs the quoted words, else a speech verb right after the
closing mark ("«...», dijo X") or right before the opening one ("X declaró: «...»",
"«...», afirmó X, «...»"), else "X: «...»". Reported speech is the "que" clause of a
speech verb, or the clause that "según X" qualifies.

Scare quotes and titles: quoted words that no speech verb attributes are a quotation only
when they are long enough (`limits.min_words_unattributed` in quotes.yaml) and hold a verb
or end a sentence: el llamado "plan de paz" is not one, «Cien años de soledad» neither. A
speech verb governing a short quote makes it one ("calificándolo de «criminal»"), except
when the quote ends a noun phrase that starts outside it (criticó el llamado «plan»).

Words, phrases and marks come from the language pack's `quotes.yaml`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..datafile import LINE_KEY, display_path, load_entries, string_list
from ..errors import DictionaryError
from ..lang import LanguagePack
from ..records import ActorRef, Event, Mention, ParsedSentence, Quote, Token
from ..textnorm import normalize

ResolveSpeaker = Callable[[int, int], ActorRef | None]

# tokens between a quote's head and its speech verb that carry no meaning of their own
_EDGE_PUNCT = " \t,;:.—–-"
# the relations by which a clause hangs from its speech verb ("dijo que", "advirtió de que")
_CLAUSE_DEPS = ("ccomp", "advcl", "obj", "obl", "xcomp", "csubj")
# the words of a noun phrase that would put a quoted name inside it: el llamado «plan»
_NP_DEPS = ("det", "amod", "nummod")


# -- data --------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuoteGrammar:
    """What quotes.yaml says."""

    speech_verbs: frozenset[str]
    according_to: tuple[tuple[str, ...], ...]  # normalised word sequences, longest first
    complementizers: frozenset[str]
    clause_prepositions: frozenset[str]
    pairs: tuple[tuple[str, str], ...]
    attribution_punct: frozenset[str]
    gerund_endings: tuple[tuple[str, tuple[str, ...]], ...]  # longest ending first
    enclitics: tuple[str, ...]  # longest first
    max_sentences: int = 3
    min_words_unattributed: int = 4
    closers: dict[str, str] = field(default_factory=dict)  # opener → closer
    marks: frozenset[str] = frozenset()
    mark_re: re.Pattern[str] = re.compile(r"(?!)")


_REQUIRED = ("speech_verbs", "quote_marks")
_KNOWN = ("speech_verbs", "according_to", "complementizers", "clause_prepositions", "quote_marks",
          "attribution_punct", "gerund_endings", "enclitics", "limits")


@cache
def load_quote_grammar(path: Path) -> QuoteGrammar:
    """Read and check quotes.yaml; errors name the file and line."""
    file = display_path(path)
    seen: dict[str, dict] = {}
    for entry in load_entries(path):
        line = entry[LINE_KEY]
        name = entry.get("name")
        if not isinstance(name, str):
            raise DictionaryError(file, line, "missing field 'name'")
        if name not in _KNOWN:
            raise DictionaryError(file, line, f"unknown entry {name!r}; known: {', '.join(_KNOWN)}")
        if name in seen:
            raise DictionaryError(file, line, f"duplicate entry {name!r}")
        seen[name] = entry
    for name in _REQUIRED:
        if name not in seen:
            raise DictionaryError(file, 0, f"missing entry {name!r}")

    def words(name: str) -> list[str]:
        if name not in seen:
            return []
        entry = seen[name]
        items = string_list(entry, "words", file, required=True)
        out: list[str] = []
        for w in items:
            norm = w if name == "attribution_punct" else normalize(w.strip())
            if not norm:
                raise DictionaryError(file, entry[LINE_KEY], f"empty word in {name!r}")
            if norm in out:
                raise DictionaryError(file, entry[LINE_KEY], f"{name!r} lists {w!r} twice")
            out.append(norm)
        return out

    phrases: list[tuple[str, ...]] = []
    if "according_to" in seen:
        entry = seen["according_to"]
        for p in string_list(entry, "phrases", file, required=True):
            seq = tuple(normalize(p).split())
            if not seq or seq in phrases:
                raise DictionaryError(file, entry[LINE_KEY], f"empty or repeated phrase {p!r}")
            phrases.append(seq)
    phrases.sort(key=lambda s: (-len(s), s))

    entry = seen["quote_marks"]
    raw_pairs = entry.get("pairs")
    if not isinstance(raw_pairs, list) or not raw_pairs:
        raise DictionaryError(file, entry[LINE_KEY], "field 'pairs' must be a list of [open, close]")
    pairs: list[tuple[str, str]] = []
    closers: dict[str, str] = {}
    for pair in raw_pairs:
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(c, str) and len(c) == 1 for c in pair)):
            raise DictionaryError(file, entry[LINE_KEY], f"a mark pair is two single characters: {pair!r}")
        opener, closer = pair
        if opener in closers:
            raise DictionaryError(file, entry[LINE_KEY], f"opening mark {opener!r} used twice")
        closers[opener] = closer
        pairs.append((opener, closer))
    marks = frozenset(c for p in pairs for c in p)

    endings: list[tuple[str, tuple[str, ...]]] = []
    if "gerund_endings" in seen:
        entry = seen["gerund_endings"]
        table = entry.get("endings")
        if not isinstance(table, dict):
            raise DictionaryError(file, entry[LINE_KEY], "field 'endings' must map an ending to infinitive endings")
        for ending, infinitives in table.items():
            if ending == LINE_KEY:
                continue
            if isinstance(infinitives, str):
                infinitives = [infinitives]
            if not isinstance(infinitives, list) or not all(isinstance(i, str) for i in infinitives):
                raise DictionaryError(file, entry[LINE_KEY], f"ending {ending!r}: expected a list of endings")
            endings.append((normalize(str(ending)), tuple(normalize(i) for i in infinitives)))
    endings.sort(key=lambda e: (-len(e[0]), e[0]))

    limits = {"max_sentences": 3, "min_words_unattributed": 4}
    if "limits" in seen:
        entry = seen["limits"]
        for key in limits:
            value = entry.get(key, limits[key])
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise DictionaryError(file, entry[LINE_KEY], f"'{key}' must be a positive integer: {value!r}")
            limits[key] = value

    return QuoteGrammar(
        speech_verbs=frozenset(words("speech_verbs")),
        according_to=tuple(phrases),
        complementizers=frozenset(words("complementizers")),
        clause_prepositions=frozenset(words("clause_prepositions")),
        pairs=tuple(pairs),
        attribution_punct=frozenset(words("attribution_punct")),
        gerund_endings=tuple(endings),
        enclitics=tuple(sorted(words("enclitics"), key=lambda w: (-len(w), w))),
        max_sentences=limits["max_sentences"],
        min_words_unattributed=limits["min_words_unattributed"],
        closers=closers,
        marks=marks,
        mark_re=re.compile("[" + re.escape("".join(sorted(marks))) + "]"),
    )


# -- working records ---------------------------------------------------------------------
@dataclass(slots=True)
class _Marked:
    """Characters between a pair of marks: from (open_k, start) to (close_k, end)."""

    open_k: int  # position in the sentence list
    start: int  # first character after the opening mark
    close_k: int
    end: int  # the closing mark's offset (exclusive end of the quote)
    closed: bool
    inside: dict[int, set[int]] = field(default_factory=dict)  # sentence position → token indexes


@dataclass(slots=True)
class _Found:
    k: int
    offset: int
    text: str
    speaker: ActorRef | None
    verb: str | None
    kind: str
    verb_at: tuple[int, int] | None  # (sentence position, token) of the speech verb
    inside: dict[int, set[int]]
    standalone: bool = False  # the quote is all its sentence holds


# -- extractor ---------------------------------------------------------------------------
class QuoteExtractor:
    def __init__(self, language: LanguagePack):
        self.language = language
        self.grammar = load_quote_grammar(language.folder / "quotes.yaml")
        self._contractions = {normalize(k): normalize(v) for k, v in language.contractions.items()}
        # the phrase's first word as written may be a contraction too ("del" for "de")
        self._phrases_by_first: dict[str, list[tuple[str, ...]]] = {}
        for seq in self.grammar.according_to:
            firsts = {seq[0]} | {k for k, v in self._contractions.items() if v == seq[0]}
            for first in sorted(firsts):
                self._phrases_by_first.setdefault(first, []).append(seq)
        self._gerunds: dict[str, bool] = {}  # word → is a gerund of a speech verb, a cache

    def extract(self, article_id: str, sentences: list[ParsedSentence], mentions: list[list[Mention]],
                events: list[Event], resolve_speaker: ResolveSpeaker | None = None,
                paragraphs: Sequence[int] | None = None) -> list[Quote]:
        """All quotes of one article, by sentence then character offset.

        `mentions` are per sentence, parallel to `sentences`. `resolve_speaker(sentence_index,
        verb_token_index)` is asked for the speaker of a speech verb with no expressed subject
        ("Señaló que ...") or a pronoun one. `paragraphs`, when given, is the paragraph number
        of each sentence: a quote never runs past its paragraph."""
        mentions = list(mentions[: len(sentences)]) + [[] for _ in range(len(sentences) - len(mentions))]
        found: list[_Found] = []
        marked = self._pair_marks(sentences, paragraphs)
        inside_by_k: dict[int, set[int]] = {}
        for m in marked:
            for k, toks in m.inside.items():
                inside_by_k.setdefault(k, set()).update(toks)
        for m in marked:
            q = self._direct(m, sentences, mentions, resolve_speaker)
            if q is not None:
                found.append(q)
        for k, sent in enumerate(sentences):
            inside = inside_by_k.get(k, set())
            found.extend(self._reported(k, sent, mentions[k], inside, resolve_speaker))
        self._inherit_speakers(found, sentences, paragraphs)
        events_at: dict[int, list[Event]] = {}
        for e in events:
            events_at.setdefault(e.sentence_index, []).append(e)
        found.sort(key=lambda f: (sentences[f.k].index, f.offset, f.kind, f.text))
        out: list[Quote] = []
        for f in found:
            sentence_index = sentences[f.k].index
            event_id = self._event_for(f, sentences, events_at)
            key = f"{article_id}|{sentence_index}|{f.offset}|{f.text}"
            out.append(Quote(article_id, sentence_index, f.text, f.speaker, f.verb, f.kind, event_id,
                             hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]))
        return out

    # -- direct quotes -------------------------------------------------------------------
    def _pair_marks(self, sentences: list[ParsedSentence], paragraphs: Sequence[int] | None) -> list[_Marked]:
        """Pair marks in reading order. Inside an open quote only its own closer counts
        (“ and " inside «...» are quotes within the quote); a quote still open after
        `max_sentences` sentences, or at a paragraph end, stops at the end of the
        sentence where it opened."""
        g = self.grammar
        out: list[_Marked] = []
        open_at: tuple[int, int, str, str] | None = None  # k, offset, opener, closer
        depth = 0

        def para(k: int) -> int:
            return paragraphs[k] if paragraphs is not None and k < len(paragraphs) else 0

        def cut(k0: int, p0: int) -> None:
            # «No cederemos, dijo X. (never closed): the attribution ends the quote
            sent = sentences[k0]
            toks = [t for t in sent.tokens if t.idx > p0]
            for n, t in enumerate(toks[:-1]):
                nxt = toks[n + 2] if toks[n + 1].pos == "AUX" and n + 2 < len(toks) else toks[n + 1]
                if t.text in g.attribution_punct and t.text != ":" and self._is_speech(sent, nxt.i):
                    out.append(_Marked(k0, p0 + 1, k0, t.idx, closed=True))
                    return
            out.append(_Marked(k0, p0 + 1, k0, len(sent.text), closed=False))

        for k, sent in enumerate(sentences):
            if open_at is not None and (k - open_at[0] >= g.max_sentences or para(k) != para(open_at[0])):
                cut(open_at[0], open_at[1])
                open_at, depth = None, 0
            if not any(c in sent.text for c in g.marks):
                continue
            for hit in g.mark_re.finditer(sent.text):
                ch, p = hit.group(), hit.start()
                if open_at is None:
                    if ch in g.closers:
                        open_at, depth = (k, p, ch, g.closers[ch]), 0
                    continue
                _, _, opener, closer = open_at
                if ch == closer and (depth == 0 or opener == closer):
                    out.append(_Marked(open_at[0], open_at[1] + 1, k, p, closed=True))
                    open_at = None
                elif ch == closer:
                    depth -= 1
                elif ch == opener:
                    depth += 1
        if open_at is not None:
            cut(open_at[0], open_at[1])
        for m in out:
            for k in range(m.open_k, m.close_k + 1):
                sent = sentences[k]
                a = m.start if k == m.open_k else 0
                b = m.end if k == m.close_k else len(sent.text)
                m.inside[k] = {t.i for t in sent.tokens
                               if t.idx < b and t.idx + len(t.text) > a and t.text not in g.marks}
        return out

    def _direct(self, m: _Marked, sentences: list[ParsedSentence], mentions: list[list[Mention]],
                resolve: ResolveSpeaker | None) -> _Found | None:
        g = self.grammar
        pieces = []
        for k in range(m.open_k, m.close_k + 1):
            text = sentences[k].text
            a = m.start if k == m.open_k else 0
            b = m.end if k == m.close_k else len(text)
            pieces.append(text[a:b].strip())
        quote = " ".join(p for p in pieces if p).strip()
        if not quote:
            return None
        inside_toks = [sentences[k].tokens[i] for k in sorted(m.inside) for i in sorted(m.inside[k])]
        words = sum(1 for t in inside_toks if t.pos != "PUNCT")
        # a verb, or a whole sentence inside the marks (the parser misses verbs that open
        # a quote: «Defenderemos ...» comes out a proper noun)
        has_verb = any(t.pos in ("VERB", "AUX") for t in inside_toks) or quote[-1] in ".!?…"
        open_sent = sentences[m.open_k]
        lead = len(open_sent.text[m.start:]) - len(open_sent.text[m.start:].lstrip())
        offset = m.start + lead

        speaker: ActorRef | None = None
        verb: str | None = None
        verb_at: tuple[int, int] | None = None
        attributed = False
        hit = self._governing_verb(m, sentences) or self._verb_after(m, sentences) or self._verb_before(m, sentences)
        if hit is not None:
            k, v, phrase = hit
            attributed = True
            sent = sentences[k]
            if phrase is not None:  # «...», según X
                verb = " ".join(sent.tokens[i].text for i in phrase).lower()
                speaker, verb_at = self._according_speaker(k, sent, mentions[k], phrase, resolve)
            else:
                verb, verb_at = sent.tokens[v].text, (k, v)
                speaker = self._speaker_of_verb(k, sent, v, mentions[k], resolve)
            if speaker is not None and k != m.open_k and speaker.span is not None:
                # spans are offsets in the quote's own sentence: say where the name is instead
                speaker = ActorRef(speaker.text, speaker.code, speaker.country, speaker.sector, None,
                                   speaker.resolved_from or f"{speaker.text} (sentence {sent.index})")
        else:
            colon = self._colon_speaker(m, sentences, mentions)
            if colon is not None:
                attributed, speaker = True, colon
        if not attributed and (words < g.min_words_unattributed or not has_verb):
            return None
        outside = [t for k in range(m.open_k, m.close_k + 1) for t in sentences[k].tokens
                   if t.i not in m.inside[k] and t.text.strip(_EDGE_PUNCT) and t.text not in g.marks]
        return _Found(m.open_k, offset, quote, speaker, verb, "direct", verb_at, m.inside,
                      standalone=not attributed and not outside)

    def _governing_verb(self, m: _Marked, sentences: list[ParsedSentence]) -> tuple[int, int, None] | None:
        """A speech verb outside the quote on which quoted words depend."""
        order = [m.close_k] + [k for k in range(m.open_k, m.close_k) if k != m.close_k]
        for k in order:
            sent, inside = sentences[k], m.inside[k]
            for i in sorted(inside):
                h = sent.tokens[i].head
                if h == i or h in inside:
                    continue
                if sent.tokens[h].text in self.grammar.marks and sent.tokens[h].head != h:
                    h = sent.tokens[h].head  # the parser hangs words on the «
                if h in inside or not self._is_speech(sent, h):
                    continue
                if k == m.open_k and self._np_tail(sent, m.start, inside):
                    return None
                return k, h, None
        return None

    def _np_tail(self, sent: ParsedSentence, start: int, inside: set[int]) -> bool:
        """el llamado «plan de paz»: the word before the quote belongs to the quoted noun."""
        before = [t for t in sent.tokens if t.idx < start and t.text not in self.grammar.marks]
        if not before:
            return False
        last = before[-1]
        return last.head in inside and sent.base_deps[last.i] in _NP_DEPS

    def _verb_after(self, m: _Marked, sentences: list[ParsedSentence]) -> tuple[int, int, tuple[int, ...] | None] | None:
        """«...», dijo X / «...» —ha dicho X / «...», según X."""
        if not m.closed:
            return None
        g = self.grammar
        sent = sentences[m.close_k]
        after = [t for t in sent.tokens if t.idx > m.end]
        n = 0
        saw_punct = False
        while n < len(after) and (after[n].text in g.marks or after[n].text in g.attribution_punct):
            saw_punct = saw_punct or after[n].text in g.attribution_punct
            n += 1
        if not saw_punct or n >= len(after):
            return None
        first = after[n]
        phrase = self._phrase_at(sent, first.i)
        if phrase is not None:
            return m.close_k, first.i, phrase
        if first.pos == "AUX" and n + 1 < len(after) and self._is_speech(sent, after[n + 1].i):
            return m.close_k, after[n + 1].i, None
        if self._is_speech(sent, first.i):
            return m.close_k, first.i, None
        return None

    def _verb_before(self, m: _Marked, sentences: list[ParsedSentence]) -> tuple[int, int, None] | None:
        """X declaró: «...» / «...», afirmó X, «...»: a speech verb a few words before a
        ':' or ',' that opens the quote."""
        g = self.grammar
        sent = sentences[m.open_k]
        before = [t for t in sent.tokens if t.idx < m.start - 1]
        if not before or before[-1].text not in g.attribution_punct:
            return None
        words = 0
        for t in reversed(before):
            if t.text in g.marks:
                return None
            if t.pos == "PUNCT":
                continue
            if self._is_speech(sent, t.i):
                return m.open_k, t.i, None
            words += 1
            if words >= 5:
                return None
        return None

    def _colon_speaker(self, m: _Marked, sentences: list[ParsedSentence],
                       mentions: list[list[Mention]]) -> ActorRef | None:
        """Putin: «...» — a short name before a colon speaks."""
        sent = sentences[m.open_k]
        before = [t for t in sent.tokens if t.idx < m.start - 1]
        if not before or before[-1].text != ":":
            return None
        head_words = [t for t in before[:-1] if t.pos != "PUNCT"]
        if not head_words or len(head_words) > 8 or any(t.text in self.grammar.marks for t in before):
            return None
        colon = before[-1]
        found = [mm for mm in mentions[m.open_k] if mm.end <= colon.i]
        if found:
            best = max(found, key=lambda mm: (mm.end, -mm.start))
            return _mention_ref(best, sent)
        if any(t.pos in ("PROPN", "NOUN") for t in head_words):
            return ActorRef(sent.text[head_words[0].idx: _tok_end(head_words[-1])], None, None, None,
                            (head_words[0].idx, _tok_end(head_words[-1])))
        return None

    # -- reported speech -----------------------------------------------------------------
    def _reported(self, k: int, sent: ParsedSentence, mentions: list[Mention], inside: set[int],
                  resolve: ResolveSpeaker | None) -> list[_Found]:
        g = self.grammar
        out: list[_Found] = []
        for v in range(len(sent.tokens)):
            if v in inside or not self._is_speech(sent, v):
                continue
            for c in sent.children[v]:
                if sent.base_deps[c] not in _CLAUSE_DEPS:
                    continue
                span = sent.subtree(c)
                lead = 0
                while lead < len(span) and span[lead] != c and sent.tokens[span[lead]].dep == "mark" \
                        and sent.tokens[span[lead]].norm in g.complementizers | g.clause_prepositions:
                    lead += 1
                if lead == 0 or sent.tokens[span[lead - 1]].norm not in g.complementizers:
                    continue
                body = _trim(sent, span[lead:], g.marks)
                if not body or _covered(sent, body, inside, g.marks):
                    continue
                first, last = sent.tokens[body[0]], sent.tokens[body[-1]]
                text = sent.text[first.idx:_tok_end(last)]
                speaker = self._speaker_of_verb(k, sent, v, mentions, resolve)
                out.append(_Found(k, first.idx, text, speaker, sent.tokens[v].text, "reported", (k, v),
                                  {k: set(body)}))
        i = 0
        firsts = self._phrases_by_first
        while i < len(sent.tokens):
            phrase = self._phrase_at(sent, i) if sent.tokens[i].norm in firsts else None
            if phrase is None:
                i += 1
                continue
            q = self._according(k, sent, mentions, phrase, inside, resolve)
            if q is not None:
                out.append(q)
            i = phrase[-1] + 1
        return out

    def _according(self, k: int, sent: ParsedSentence, mentions: list[Mention], phrase: tuple[int, ...],
                   inside: set[int], resolve: ResolveSpeaker | None) -> _Found | None:
        """Según X, Y / Y, según X / Y, según informó X: Y is the quote."""
        extent = self._according_extent(sent, phrase)
        if extent is None:
            return None
        lo, hi = extent
        rest = [i for i in range(len(sent.tokens)) if not lo <= i < hi]
        body_parts = [_trim(sent, [i for i in rest if i < lo], self.grammar.marks),
                      _trim(sent, [i for i in rest if i >= hi], self.grammar.marks)]
        body = [i for part in body_parts for i in part]
        marks = self.grammar.marks
        if sum(1 for i in body if sent.tokens[i].pos != "PUNCT") < 2 or _covered(sent, body, inside, marks):
            return None
        text = " ".join(sent.text[sent.tokens[p[0]].idx:_tok_end(sent.tokens[p[-1]])] for p in body_parts if p)
        speaker, verb_at = self._according_speaker(k, sent, mentions, phrase, resolve)
        verb = " ".join(sent.tokens[i].text for i in phrase).lower()
        return _Found(k, sent.tokens[body[0]].idx, text, speaker, verb, "reported", verb_at, {k: set(body)})

    def _phrase_at(self, sent: ParsedSentence, i: int) -> tuple[int, ...] | None:
        toks = sent.tokens
        for seq in self._phrases_by_first.get(toks[i].norm, ()):
            if i + len(seq) > len(toks):
                continue
            if all(self._contractions.get(toks[i + j].norm, toks[i + j].norm) == w for j, w in enumerate(seq)):
                return tuple(range(i, i + len(seq)))
        return None

    def _according_nominal(self, sent: ParsedSentence, phrase: tuple[int, ...]) -> int | None:
        """The word that names the source: "según [el ministro]", "según [informó] X"."""
        after = phrase[-1] + 1
        for p in (phrase[-1], phrase[0]):
            h = sent.tokens[p].head
            if h >= after:
                return h
        for t in sent.tokens[after:]:
            if t.pos in ("NOUN", "PROPN", "PRON", "VERB"):
                return t.i
        return None

    def _according_extent(self, sent: ParsedSentence, phrase: tuple[int, ...]) -> tuple[int, int] | None:
        nominal = self._according_nominal(sent, phrase)
        if nominal is None:
            return None
        lo, hi = phrase[0], phrase[-1] + 1
        tree = set(sent.subtree(nominal))
        if sent.tokens[nominal].head == nominal:
            tree = set()  # a misparse made the source the root: stop at the next comma
        while hi < len(sent.tokens) and (hi in tree or hi <= nominal):
            if sent.tokens[hi].text == "," and hi > nominal:
                break
            hi += 1
        if hi < len(sent.tokens) and sent.tokens[hi].text == ",":
            hi += 1
        return lo, hi

    def _according_speaker(self, k: int, sent: ParsedSentence, mentions: list[Mention],
                           phrase: tuple[int, ...], resolve: ResolveSpeaker | None
                           ) -> tuple[ActorRef | None, tuple[int, int] | None]:
        nominal = self._according_nominal(sent, phrase)
        if nominal is None:
            return None, None
        if sent.tokens[nominal].pos in ("VERB", "AUX"):  # según informó el ministerio
            return self._speaker_of_verb(k, sent, nominal, mentions, resolve), (k, nominal)
        return self._ref_for(sent, nominal, mentions, phrase[-1] + 1), None

    # -- speakers ------------------------------------------------------------------------
    def _speaker_of_verb(self, k: int, sent: ParsedSentence, v: int, mentions: list[Mention],
                         resolve: ResolveSpeaker | None) -> ActorRef | None:
        subject = _subject(sent, v)
        if subject is None or _personal_pronoun(sent.tokens[subject]):
            resolved = resolve(sent.index, v) if resolve is not None else None
            if resolved is not None or subject is None:
                return resolved
        return self._ref_for(sent, subject, mentions, None)

    def _ref_for(self, sent: ParsedSentence, head: int, mentions: list[Mention], floor: int | None) -> ActorRef:
        """The actor mention at `head`, else the words of its phrase with no code."""
        for m in mentions:
            if m.head == head:
                return _mention_ref(m, sent)
        for m in mentions:
            if m.start <= head < m.end:
                return _mention_ref(m, sent)
        phrase = _phrase_tokens(sent, head, floor)
        for m in sorted(mentions, key=lambda m: (m.start, m.end)):
            if phrase[0] <= m.start and m.end - 1 <= phrase[-1]:
                return _mention_ref(m, sent)
        first, last = sent.tokens[phrase[0]], sent.tokens[phrase[-1]]
        span = (first.idx, _tok_end(last))
        return ActorRef(sent.text[span[0]:span[1]], None, None, None, span)

    def _inherit_speakers(self, found: list[_Found], sentences: list[ParsedSentence],
                          paragraphs: Sequence[int] | None) -> None:
        """«A», dijo X. «B.» — a quote that is its whole sentence and follows a quote of
        X's in the sentence before goes on X's words."""
        direct = sorted((f for f in found if f.kind == "direct"), key=lambda f: (f.k, f.offset))
        for prev, cur in zip(direct, direct[1:], strict=False):
            if not cur.standalone or cur.speaker is not None or prev.speaker is None:
                continue
            prev_end = max(prev.inside)
            if cur.k - prev_end != 1:
                continue
            if paragraphs is not None and (cur.k >= len(paragraphs) or paragraphs[cur.k] != paragraphs[prev_end]):
                continue
            s = prev.speaker
            origin = s.resolved_from or f"{s.text} (sentence {sentences[prev.k].index})"
            cur.speaker = ActorRef(s.text, s.code, s.country, s.sector, None, origin)

    # -- events --------------------------------------------------------------------------
    def _event_for(self, f: _Found, sentences: list[ParsedSentence], events_at: dict[int, list[Event]]) -> str | None:
        """The speech verb's own event, else the first event whose trigger is quoted."""
        if f.verb_at is not None:
            k, v = f.verb_at
            for e in events_at.get(sentences[k].index, []):
                if e.trigger_index == v:
                    return e.event_id
        best: tuple[int, int, str] | None = None
        for k, toks in f.inside.items():
            idx = sentences[k].index
            for e in events_at.get(idx, []):
                if e.trigger_index in toks:
                    cand = (idx, e.trigger_index, e.event_id)
                    if best is None or cand < best:
                        best = cand
        return best[2] if best else None

    # -- words ---------------------------------------------------------------------------
    def _is_speech(self, sent: ParsedSentence, i: int) -> bool:
        tok = sent.tokens[i]
        if tok.lemma_norm in self.grammar.speech_verbs and tok.pos in ("VERB", "AUX"):
            if tok.feature("VerbForm") == "Part":
                # "el denominado «plan»" is an adjective; "ha dicho" is a verb
                return bool(sent.kids(i, "aux"))
            return True
        said = self._gerunds.get(tok.norm)
        if said is None:
            if len(self._gerunds) > 100_000:
                self._gerunds.clear()
            said = any(c in self.grammar.speech_verbs for c in self._gerund_lemmas(tok.norm))
            self._gerunds[tok.norm] = said
        return said

    def _gerund_lemmas(self, word: str) -> list[str]:
        """calificandolo → calificar: strip up to two enclitics, then the gerund ending.
        Only words that had a clitic: a bare gerund gets its lemma from the parser."""
        g = self.grammar
        stems = []
        current = word
        for _ in range(2):
            clitic = next((c for c in g.enclitics if current.endswith(c) and len(current) > len(c) + 4), None)
            if clitic is None:
                break
            current = current[: -len(clitic)]
            stems.append(current)
        out = []
        for stem in stems:
            for ending, infinitives in g.gerund_endings:
                if stem.endswith(ending):
                    out.extend(stem[: -len(ending)] + inf for inf in infinitives)
                    break
        return out


# -- helpers -----------------------------------------------------------------------------
def _tok_end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _mention_ref(m: Mention, sent: ParsedSentence) -> ActorRef:
    first, last = sent.tokens[m.start], sent.tokens[m.end - 1]
    return ActorRef(m.text, m.code or None, m.country, m.sectors[0] if m.sectors else None,
                    (first.idx, _tok_end(last)))


def _subject(sent: ParsedSentence, v: int) -> int | None:
    """The subject of a speech verb; a gerund, an infinitive, a coordinated verb or a
    misparsed verb (tagged as a noun) without one takes the subject of what it hangs
    from ("criticó X, calificándolo de ...", "llegó y dijo que ...")."""
    current = v
    for _ in range(6):
        # the parser makes "—" in «...» —dijo X a subject now and then
        subjects = [t for t in sent.kids(current, "nsubj") if t.pos != "PUNCT" and t.text.strip(_EDGE_PUNCT)]
        if subjects:
            s = subjects[0]
            if s.pos == "PRON" and "Rel" in (s.feature("PronType") or ""):
                # "el alcalde, que denunció que ...": the antecedent speaks; a relative with
                # no noun to stand for ("lo que considera") says nothing of the speaker
                antecedent = sent.tokens[sent.tokens[current].head]
                if sent.base_deps[current] == "acl" and antecedent.pos in ("NOUN", "PROPN"):
                    return antecedent.i
                return None
            return s.i
        tok = sent.tokens[current]
        climbs = (tok.feature("VerbForm") in ("Ger", "Inf", "Part") or sent.base_deps[current] == "conj"
                  or tok.pos not in ("VERB", "AUX"))
        if tok.head == current or not climbs:
            return None  # a finite verb with no subject: pro-drop
        current = tok.head
    return None


def _personal_pronoun(tok: Token) -> bool:
    return tok.pos == "PRON" and tok.feature("PronType") == "Prs"


def _phrase_tokens(sent: ParsedSentence, head: int, floor: int | None) -> list[int]:
    """The words of a subject: its subtree up to the first comma after the head (the
    appositions and relative clauses that follow are not the name)."""
    tree = [i for i in sent.subtree(head) if floor is None or i >= floor]
    out: list[int] = []
    for i in tree:
        if out and i != out[-1] + 1:
            break
        if i > head and sent.tokens[i].text == ",":
            break
        out.append(i)
    while len(out) > 1 and sent.tokens[out[-1]].pos == "PUNCT":
        out.pop()
    while len(out) > 1 and (sent.tokens[out[0]].pos == "PUNCT" or sent.base_deps[out[0]] == "case"):
        out.pop(0)  # "[del] diario El Nacional"
    return out or [head]


def _trim(sent: ParsedSentence, idxs: list[int], marks: frozenset[str]) -> list[int]:
    """Drop punctuation at both ends, but keep quote marks that close inside the span."""
    out = list(idxs)
    while out and sent.tokens[out[0]].text.strip(_EDGE_PUNCT) == "" and sent.tokens[out[0]].text not in marks:
        out.pop(0)
    while out and sent.tokens[out[-1]].text.strip(_EDGE_PUNCT) == "" and sent.tokens[out[-1]].text not in marks:
        out.pop()
    return out


def _covered(sent: ParsedSentence, body: list[int], inside: set[int], marks: frozenset[str]) -> bool:
    """All words of a reported clause are in a direct quote: the direct one says it."""
    words = [i for i in body if sent.tokens[i].pos != "PUNCT" and sent.tokens[i].text not in marks]
    return bool(words) and all(i in inside for i in words)
