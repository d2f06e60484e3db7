"""Who is who across sentences: pronouns, dropped subjects, nominal and event anaphora.

Spanish drops subjects ("Señaló que …") and news refers back by role ("el
mandatario", "el líder norcoreano", "el país") or by event ("condenó este
lanzamiento"). `ArticleCoreference` reads an article sentence by sentence, keeps the
actors it has seen, and:

- `resolve_mentions` turns a definite role noun with no name of its own into the
  latest earlier mention of a compatible kind (and country, when the anaphor states
  one);
- `implicit_subject` (given to the coder) answers for a verb whose subject is dropped
  or a pronoun: the subject (or event source) of the closest earlier sentence that had
  one, agreeing in number;
- `resolve_events` gives "condenó este lanzamiento" the source of the latest earlier
  event that such a noun can name as its target.

Every resolved actor carries `resolved_from` ("Yoon Suk-yeol (sentence 2)") so an
analyst sees the link. The rules are deliberately conservative: only the previous
few sentences are searched and nothing is resolved across an incompatible kind,
number or stated country — a wrong antecedent is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ..datafile import LINE_KEY, display_path, load_entries, string_list
from ..errors import DictionaryError
from ..events.coder import compute_event_id
from ..lang import LanguagePack
from ..records import Event, Mention, ParsedSentence, Token
from ..textnorm import normalize

LOOKBACK = 3  # sentences searched for an antecedent


@dataclass(frozen=True)
class AnaphorClass:
    name: str
    kinds: frozenset[str]
    sectors: frozenset[str]  # empty: any
    keep_sectors: bool = True  # "el país" names the country, not its government


@dataclass(frozen=True)
class CorefRules:
    """The language's words for coreference, from `coref.yaml`."""

    subject_pronouns: frozenset[str]
    determiners: frozenset[str]
    impersonal: frozenset[str]
    anaphors: dict[tuple[str, ...], AnaphorClass]  # noun words → class
    event_nouns: dict[str, frozenset[str]]  # noun → CAMEO roots it can name

    @classmethod
    def load(cls, path: Path) -> CorefRules:
        file = display_path(path)
        lists: dict[str, frozenset[str]] = {}
        anaphors: dict[tuple[str, ...], AnaphorClass] = {}
        event_nouns: dict[str, frozenset[str]] = {}
        for entry in load_entries(path):
            line = entry[LINE_KEY]
            if "name" in entry:
                lists[entry["name"]] = frozenset(normalize(w) for w in string_list(entry, "words", file, required=True))
            elif "anaphor" in entry:
                keep = entry.get("keep_sectors", True)
                if not isinstance(keep, bool):
                    raise DictionaryError(file, line, "keep_sectors must be true or false")
                cls_ = AnaphorClass(str(entry["anaphor"]),
                                    frozenset(string_list(entry, "kinds", file, required=True)),
                                    frozenset(string_list(entry, "sectors", file)), keep)
                for noun in string_list(entry, "nouns", file, required=True):
                    anaphors[tuple(normalize(noun).split())] = cls_
            elif "event_noun" in entry:
                roots = frozenset(str(r) for r in string_list(entry, "roots", file, required=True))
                if any(len(r) != 2 or not r.isdigit() for r in roots):
                    raise DictionaryError(file, line, "roots must be two-digit CAMEO roots, quoted")
                event_nouns[normalize(str(entry["event_noun"]))] = roots
            else:
                raise DictionaryError(file, line, "an entry needs 'name', 'anaphor' or 'event_noun'")
        for required in ("subject_pronouns", "definite_determiners", "impersonal_clitics"):
            if required not in lists:
                raise DictionaryError(file, 1, f"missing list {required!r}")
        return cls(lists["subject_pronouns"], lists["definite_determiners"], lists["impersonal_clitics"],
                   anaphors, event_nouns)


@dataclass
class _Seen:
    sentence: int
    mention: Mention
    subject: bool  # the subject of its main clause
    plural: bool
    origin: int = -1  # where the mention was written, when carried over as a dropped topic


@dataclass
class ArticleCoreference:
    """Coreference state for one article; feed it the sentences in order."""

    rules: CorefRules
    seen: list[_Seen] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    resolved: int = 0

    def snapshot(self) -> ArticleCoreference:
        """A copy of what is known now (cheap: the lists are copied, not the mentions)."""
        return ArticleCoreference(self.rules, list(self.seen), list(self.events))

    @classmethod
    def for_language(cls, language: LanguagePack) -> ArticleCoreference:
        return cls(load_coref_rules(language))

    # -- mentions ----------------------------------------------------------------------
    def resolve_mentions(self, sent: ParsedSentence, mentions: list[Mention]) -> list[Mention]:
        """Mentions of the sentence with role nouns ("el mandatario") resolved."""
        covered = {t: m for m in mentions for t in range(m.start, m.end)}
        out = list(mentions)
        for tok in sent.tokens:
            if tok.pos != "NOUN" or not self._definite(sent, tok):
                continue
            anaphor, length = self._anaphor_at(sent, tok)
            if anaphor is None:
                continue
            own = covered.get(tok.i)
            if own is not None and (own.kind != "agent" or own.resolved_from):
                continue  # it has a name of its own ("el presidente Petro")
            if own is not None and own.explicit_country and "person" not in anaphor.kinds:
                continue  # "el régimen norcoreano" is already a full actor
            if any(c.dep in ("flat", "appos", "nmod") and c.pos == "PROPN" for c in sent.kids(tok.i)):
                continue
            stated = own.country if own is not None and own.explicit_country else None
            if stated is None:
                stated = self._institution_country(sent, tok, covered)
            antecedent = self._antecedent(sent.index, anaphor, stated, _is_plural(tok))
            if antecedent is None:
                continue
            start = own.start if own is not None else tok.i
            end = own.end if own is not None else tok.i + length
            ante = antecedent.mention
            resolved = Mention(start=start, end=end, head=tok.i,
                               text=own.text if own is not None else " ".join(t.text for t in sent.tokens[start:end]),
                               country=ante.country, sectors=ante.sectors if anaphor.keep_sectors else (),
                               kind=ante.kind if anaphor.keep_sectors else "country",
                               evidence=ante.evidence, explicit_country=ante.explicit_country,
                               resolved_from=_describe(antecedent))
            if own is not None:
                out[out.index(own)] = resolved
            else:
                out.append(resolved)
            self.resolved += 1
        out.sort(key=lambda m: m.start)
        return out

    @staticmethod
    def _institution_country(sent: ParsedSentence, tok: Token, covered: dict[int, Mention]) -> str | None:
        """"El Parlamento de Perú destituyó a la presidenta": an institution of a stated
        country acting on a role noun makes it that country's office holder."""
        head = sent.tokens[tok.head]
        if head.i == tok.i or head.pos not in ("VERB", "AUX"):
            return None
        for subject in sent.kids(head.i, "nsubj"):
            m = covered.get(subject.i)
            if m is not None and m.explicit_country and m.country and set(m.sectors) & {"LEG", "JUD", "GOV", "COP", "MIL"}:
                return m.country
        return None

    def _definite(self, sent: ParsedSentence, tok: Token) -> bool:
        return any(c.dep == "det" and c.norm in self.rules.determiners for c in sent.kids(tok.i))

    def _anaphor_at(self, sent: ParsedSentence, tok: Token) -> tuple[AnaphorClass | None, int]:
        words = [t.norm for t in sent.tokens[tok.i:tok.i + 4]]
        for n in range(len(words), 0, -1):
            found = self.rules.anaphors.get(tuple(words[:n]))
            if found is not None:
                return found, n
        found = self.rules.anaphors.get((tok.lemma_norm,))
        return (found, 1) if found is not None else (None, 0)

    def _antecedent(self, sentence: int, anaphor: AnaphorClass, country: str | None, plural: bool) -> _Seen | None:
        for seen in reversed(self.seen):
            if seen.sentence < sentence - LOOKBACK:
                break
            m = seen.mention
            if m.kind not in anaphor.kinds or seen.plural != plural:
                continue
            if anaphor.sectors and not (set(m.sectors) & anaphor.sectors):
                continue
            if country is not None and m.country != country:
                continue
            return seen
        return None

    # -- dropped and pronoun subjects ------------------------------------------------------
    def implicit_subject(self, sent: ParsedSentence):
        """The callback the coder asks about a verb with no expressed subject."""
        def answer(verb: Token, pronoun: Token | None) -> Mention | None:
            if pronoun is not None:
                if pronoun.norm not in self.rules.subject_pronouns:
                    return None
                plural = _is_plural(pronoun)
            else:
                finite = self._finite_governor(sent, verb)
                if finite is None or finite.feature("Person") not in (None, "3"):
                    return None
                if any(c.norm in self.rules.impersonal or c.dep in ("nsubj", "nsubj:pass", "expl:pass", "expl:impers")
                       for c in sent.kids(finite.i)):
                    return None
                plural = finite.feature("Number") == "Plur"
            antecedent = self._subject_antecedent(sent.index, plural)
            if antecedent is None:
                return None
            ante = antecedent.mention
            self.resolved += 1
            if pronoun is not None:
                start, end, text = pronoun.i, pronoun.i + 1, pronoun.text
            else:
                start = end = verb.i  # no words of its own in this sentence
                text = ante.text
            return Mention(start=start, end=end, head=verb.i if pronoun is None else pronoun.i, text=text,
                           country=ante.country, sectors=ante.sectors, kind=ante.kind, evidence=ante.evidence,
                           explicit_country=ante.explicit_country, resolved_from=_describe(antecedent))
        return answer

    def _finite_governor(self, sent: ParsedSentence, verb: Token) -> Token | None:
        """The finite verb whose subject this verb shares (infinitives, gerunds and
        coordinated verbs climb to it)."""
        current = verb
        for _ in range(6):
            if current.feature("VerbForm") == "Fin":
                return current
            if current.dep.split(":")[0] not in ("xcomp", "conj", "advcl") or current.head == current.i:
                return None
            if any(c.dep.startswith("nsubj") for c in sent.kids(current.i)):
                return None
            current = sent.tokens[current.head]
        return None

    def _subject_antecedent(self, sentence: int, plural: bool) -> _Seen | None:
        """The subject of the closest earlier sentence that had one (Spanish keeps a
        dropped subject on the last topic), agreeing in number."""
        by_sentence: dict[int, list[_Seen]] = {}
        for seen in self.seen:
            if sentence - LOOKBACK <= seen.sentence < sentence and seen.subject:
                by_sentence.setdefault(seen.sentence, []).append(seen)
        for index in sorted(by_sentence, reverse=True):
            candidates = [s for s in by_sentence[index] if s.plural == plural]
            if candidates:
                return candidates[0]
            if by_sentence[index]:
                return None  # the topic changed to an actor of the other number
        return None

    # -- event anaphora -------------------------------------------------------------------
    def resolve_events(self, sent: ParsedSentence, events: list[Event]) -> list[Event]:
        out = []
        for event in events:
            if event.target is None:
                noun = self._event_anaphor(sent, event.trigger_index)
                earlier = self._earlier_event(sent.index, self.rules.event_nouns[noun.norm]) if noun else None
                if noun is not None and earlier is not None and earlier.source is not None and (
                        event.source is None or earlier.source.code != event.source.code):
                    span = sent.subtree(noun.i)
                    first, last = sent.tokens[span[0]], sent.tokens[span[-1]]
                    target = replace(earlier.source, text=sent.text[first.idx:last.idx + len(last.text)],
                                     span=(first.idx, last.idx + len(last.text)),
                                     resolved_from=f"{earlier.source.text} (sentence {earlier.sentence_index}, "
                                                   f"event {earlier.event_id})")
                    event = replace(event, target=target, sentence_indexes=list(event.sentence_indexes))
                    event.event_id = compute_event_id(event)
                    self.resolved += 1
            out.append(event)
        return out

    def _event_anaphor(self, sent: ParsedSentence, trigger: int) -> Token | None:
        for child in sent.kids(trigger, "obj", "nsubj:pass"):
            if child.norm in self.rules.event_nouns and self._definite(sent, child):
                return child
        return None

    def _earlier_event(self, sentence: int, roots: frozenset[str]) -> Event | None:
        for event in reversed(self.events):
            if event.sentence_index < sentence - LOOKBACK:
                break
            if event.sentence_index < sentence and event.cameo_root in roots and event.source is not None and (
                    event.modality in ("asserted", "attempted")):
                return event
        return None

    # -- memory ---------------------------------------------------------------------------
    def observe(self, sent: ParsedSentence, mentions: list[Mention], events: list[Event]) -> None:
        """Remember the sentence's actors. The topic is the subject of the main clause;
        when the main clause drops it ("Señaló que …"), the earlier topic carries on."""
        main = _main_verbs(sent)
        subjects = {c.i for v in main for c in sent.kids(v, "nsubj")}
        for m in mentions:
            if m.kind == "place" or not m.code:
                continue
            subject = any(m.start <= i < m.end for i in subjects)
            self.seen.append(_Seen(sent.index, m, subject, _is_plural(sent.tokens[m.head])))
        root = main[0] if main else None
        if root is not None and not subjects:
            finite = sent.tokens[root]
            if finite.feature("VerbForm") == "Fin" and finite.feature("Person") in (None, "3") and not any(
                    c.norm in self.rules.impersonal for c in sent.kids(root)):
                plural = finite.feature("Number") == "Plur"
                topic = self._subject_antecedent(sent.index, plural)
                if topic is not None:
                    origin = topic.origin if topic.origin >= 0 else topic.sentence
                    self.seen.append(_Seen(sent.index, topic.mention, True, plural, origin))
        self.events.extend(events)


def _main_verbs(sent: ParsedSentence) -> list[int]:
    """The root and the verbs coordinated with it."""
    roots = [t.i for t in sent.tokens if t.dep == "root"]
    if not roots:
        return []
    root = roots[0]
    return [root] + [c.i for c in sent.kids(root, "conj") if c.pos in ("VERB", "AUX")]


def _is_plural(tok: Token) -> bool:
    return tok.feature("Number") == "Plur"


def _describe(seen: _Seen) -> str:
    return f"{seen.mention.text} (sentence {seen.origin if seen.origin >= 0 else seen.sentence})"


def load_coref_rules(language: LanguagePack) -> CorefRules:
    return _load_rules(language.folder / "coref.yaml")


@cache
def _load_rules(path: Path) -> CorefRules:
    return CorefRules.load(path)
