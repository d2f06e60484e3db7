"""Match verb and noun patterns against a dependency parse and build coded events.

Input: a `ParsedSentence` (from spaCy or from a CoNLL-U file) and its actor mentions.
Output: `Event` records, each with the rule that fired, its trigger words, the actors
in their roles and a modality. Nothing here knows which parser made the tree.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..lang import LanguagePack
from ..ontology import cameo_table
from ..records import ActorRef, Event, Mention, ParsedSentence, Token
from ..textnorm import normalize
from .modality import ModalityResolver
from .patterns import Pattern, PatternIndex

_ORDINAL = re.compile(r"[IVXLC]+|\d{1,3}[ªº.]?")  # "la IX Cumbre", "la 77 Asamblea General"
MATERIAL_CONFLICT = 4  # QuadClass of CAMEO roots 14, 15 and 17-20
VIOLENT_ROOTS = ("18", "19", "20")  # assault, fight, mass violence
CLAIM_RESPONSIBILITY = "015"
GENERIC_SUFFIX = "zz-generico"  # the id ending of a noun's or verb's catch-all pattern (pattern-authoring.md)
_ARMED = frozenset({"MIL", "REB", "UAF", "CRM", "COP", "SPY", "INS"})  # sectors that fight

# (verb, its pronoun subject or None) → the actor the article context says it is
ImplicitSubject = Callable[[Token, Token | None], Mention | None]

_CLAUSAL = {"ccomp", "xcomp", "advcl", "acl", "csubj", "parataxis"}
_VERBAL_POS = {"VERB", "AUX", "ADJ", "NOUN"}
MAX_PAIRS = 4
_NO_OBJECT = "no object"  # the reason is spelled out only when explaining
# Sectors of the forces an actor deploys or mobilises: as objects they are its means, not targets.
_FORCES = {"MIL", "COP", "UAF", "REB", "SPY"}


@dataclass(slots=True)
class Candidate:
    """A pattern considered for a trigger, and why it fired or not (for `explain`)."""

    token: int
    pattern: Pattern
    fired: bool
    reason: str


@dataclass(slots=True)
class SentenceCoding:
    events: list[Event] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


class EventCoder:
    def __init__(self, patterns: PatternIndex, language: LanguagePack):
        self.patterns = patterns
        self.language = language
        self.ending_nouns = language.grammar["ending_nouns"]
        self.mission_nouns = language.grammar["mission_nouns"]
        self.counterpart_nouns = language.grammar["counterpart_nouns"]
        self.quantity_nouns = language.grammar["quantity_nouns"]
        self.many_words = language.grammar["many_words"]
        self.span_nouns = language.grammar["span_nouns"]
        self.adjunct_nouns = language.grammar["adjunct_event_nouns"]
        self.cause_preps = language.grammar["cause_preps"]
        self.agent_participles = language.grammar["agent_participles"]
        # patterns that report an event from the victim's side ("resultaron heridos")
        self.victim_rules = frozenset(p.id for p in patterns.patterns if p.patient_subject)
        self.modality = ModalityResolver(language)
        self.light_verbs = language.grammar["light_verbs"]
        self.codes = cameo_table()

    # -- entry point ---------------------------------------------------------------
    def code_sentence(self, sent: ParsedSentence, mentions: list[Mention], article_id: str,
                      explain: bool = False, implicit_subject: ImplicitSubject | None = None) -> SentenceCoding:
        """Events of one sentence. `implicit_subject(verb, pronoun)` is asked for the
        actor of a verb whose subject is dropped or a pronoun (article context knows it)."""
        out = SentenceCoding()
        by_token: dict[int, Mention] = {}
        places: dict[int, Mention] = {}
        for m in mentions:
            for t in range(m.start, m.end):
                (places if m.kind == "place" else by_token)[t] = m
        ctx = _Context(sent, by_token, places, self.language)
        ctx.implicit_subject = implicit_subject
        consumed: set[int] = set()  # object nouns used by a verb pattern
        matches: list[tuple[Token, Pattern, Token | None]] = []
        for tok in sent.tokens:
            if tok.pos not in _VERBAL_POS:
                continue
            plist = self.patterns.for_token(tok.lemma_norm, tok.norm, verb=True)
            copular = not plist and ctx.copular_participle(tok)
            if not plist and (tok.feature("VerbForm") == "Part" or copular):
                # "los manifestantes golpeados por la policía": an adjectival participle;
                # "fueron muertas de varios impactos": a passive parsed as a noun with "ser"
                for lemma in self.language.verb_lemma_candidates(tok.lemma_norm) or \
                        self.language.verb_lemma_candidates(tok.norm):
                    plist = self.patterns.for_verb(lemma)
                    if plist:
                        break
                if plist and tok.pos == "ADJ" and not copular and not ctx.has_agent(tok):
                    plist = []
            infinitive = None
            if not plist and tok.pos == "NOUN":
                # "intentó dispersarlos": an infinitive with a clitic the parser took for a noun
                infinitive = _enclitic_infinitive(tok.norm)
                plist = self.patterns.for_verb(infinitive) if infinitive else []
            if not plist or (tok.pos == "NOUN" and not tok.feature("VerbForm") and not copular and not infinitive):
                continue
            for pattern in plist:
                ok, reason, obj = self._constraints(ctx, tok, pattern)
                if ok and (pattern.subject_sectors or pattern.target_sectors or pattern.source_required
                           or pattern.many_victims):
                    ok, reason = self._role_constraints(ctx, tok, pattern, obj)
                if explain:
                    if reason is _NO_OBJECT:
                        wanted = sorted(pattern.objects) + [" ".join(p) for p in pattern.object_phrases]
                        more = f", … ({len(wanted)} in all)" if len(wanted) > 10 else ""
                        reason = f"no object among [{', '.join(wanted[:10])}{more}]"
                    out.candidates.append(Candidate(tok.i, pattern, ok, reason))
                if ok:
                    matches.append((tok, pattern, obj))
                    if obj is not None:
                        consumed.add(obj.i)
                    break
        # "murió al activar un explosivo": what the victim was doing is the circumstance
        # of the event, not an event of its own
        suffered = {tok.i for tok, pattern, _ in matches if pattern.patient_subject}
        if suffered:
            matches = [(tok, pattern, obj) for tok, pattern, obj in matches
                       if not (tok.head in suffered and sent.base_deps[tok.i] == "advcl")]
        verb_triggers = {tok.i for tok, _, _ in matches}
        reactions = {tok.i for tok, pattern, _ in matches if not pattern.patient_subject}
        # CAMEO 015, claiming responsibility: the claimed attack is the claimer's own act
        claims = {tok.i for tok, pattern, _ in matches if pattern.code == CLAIM_RESPONSIBILITY}
        # Event nouns: after a light verb ("realizaron una marcha") or on their own.
        for tok in sent.tokens:
            if tok.pos not in ("NOUN", "PROPN") or tok.i in consumed:
                continue
            if tok.head in consumed and ctx.preposition(tok) == "de" and tok.head != tok.i:
                continue  # "envió una nota de protesta": part of the object the verb's pattern read
            plist = self.patterns.for_token(tok.lemma_norm, tok.norm, verb=False)
            plist = [p for p in plist if not p.noun_phrase or _phrase_match(sent, tok, (p.noun_phrase,))]
            if not plist:
                continue
            if _part_of_a_name(sent, tok):
                continue
            if plist[0].code[:2] != "14" and self._cause_of_a_reaction(ctx, tok, reactions):
                # "protestaron por el asesinato de X", "decretó el estado de emergencia tras
                # un ataque de Y", "sanciones por la represión": an earlier event, the cause
                # of the news, reported when it happened. The cause of a death or an injury
                # is the news ("murieron tras un ataque de las FARC"); protests named so are
                # mostly still going on ("persiste la tensión por las protestas").
                continue
            head = sent.tokens[tok.head]
            if head.i != tok.i and head.lemma_norm in self.ending_nouns and ctx.preposition(tok) == "de":
                continue  # "la suspensión de las conversaciones", "el cese de los combates"
            if tok.head in verb_triggers and tok.head not in claims and \
                    sent.base_deps[tok.i] in ("obj", "iobj", "xcomp", "ccomp"):
                # "condenó el ataque": the verb's event is about the noun's; but "acordó
                # represalias en protesta por X" reports a protest of its own
                continue
            pattern = next((p for p in plist if self._noun_sectors_hold(ctx, tok, p)), None)
            if pattern is None:
                continue
            if explain:
                out.candidates.append(Candidate(tok.i, pattern, True, "event noun"))
            matches.append((tok, pattern, None))
        events: list[Event] = []
        for tok, pattern, obj in matches:
            events.extend(self._build(ctx, tok, pattern, obj, article_id))
        out.events = _merge_nested(_dedupe(events), sent, self.victim_rules)
        return out

    def _noun_sectors_hold(self, ctx: _Context, tok: Token, pattern: Pattern) -> bool:
        """Sector constraints on a noun's actors: "la expulsión de 60 diplomáticos" (166)
        is not "la expulsión de migrantes" (174)."""
        if not pattern.subject_sectors and not pattern.target_sectors:
            return True
        sources, targets = self._noun_roles(ctx, tok, pattern)
        if pattern.subject_sectors and not any(_has_sector(m, pattern.subject_sectors) for m in sources):
            return False
        return not pattern.target_sectors or any(set(m.sectors) & pattern.target_sectors for m in targets)

    def _cause_of_a_reaction(self, ctx: _Context, tok: Token, reactions: set[int]) -> bool:
        """An event noun after "por", "tras", "contra"... that hangs on another coded event
        which is not the suffering of its victims."""
        if _introduced_by(ctx, tok) not in self.cause_preps:
            return False
        governor = ctx.sent.tokens[tok.head]
        if governor.pos == "ADV" and governor.head != governor.i:  # "después del ataque"
            governor = ctx.sent.tokens[governor.head]
        return governor.i in reactions or (governor.pos in ("NOUN", "PROPN") and bool(
            self.patterns.for_token(governor.lemma_norm, governor.norm, verb=False)))

    # -- pattern constraints ---------------------------------------------------------
    def _constraints(self, ctx: _Context, tok: Token, pattern: Pattern) -> tuple[bool, str, Token | None]:
        sent = ctx.sent
        obj: Token | None = None
        if pattern.reflexive and not ctx.has_reflexive(tok):
            return False, "needs 'se'", None
        if pattern.objects or pattern.object_phrases:
            reflexive_passive = not pattern.reflexive and tok.lemma_norm not in self.light_verbs and \
                ctx.has_reflexive(tok)
            candidates = ctx.object_candidates(tok, reflexive_passive, self.quantity_nouns)
            for child, prep in candidates:
                if pattern.object_prep and prep != pattern.object_prep:
                    continue
                if not pattern.object_prep and prep not in (None, "a"):
                    continue
                if self._object_matches(sent, child, pattern):
                    obj = child
                    break
            if obj is None and pattern.object_prep and pattern.object_prep != "de":
                # "condenó a 45 activistas prodemocracia a penas de cárcel": the parser
                # hangs the prepositional object on the complement before it ("de" inside
                # a noun phrase is its genitive: "expulsó a la misión de la OEA")
                obj = next((k for child, _ in candidates for k in sent.kids(child.i, "nmod")
                            if ctx.preposition(k) == pattern.object_prep and self._object_matches(sent, k, pattern)), None)
            if obj is None:
                return False, _NO_OBJECT, None
        if pattern.instruments and not any(
                c.lemma_norm in pattern.instruments or c.norm in pattern.instruments
                for c in ctx.instrument_candidates(tok)):
            return False, "no instrument among " + ", ".join(sorted(pattern.instruments)[:8]), None
        if pattern.not_objects:
            # the object, or what a passive or adjectival participle is said of ("el plan
            # fue ejecutado", "las obras ejecutadas por el ejército")
            affected = sent.kids(tok.i, "obj", "nsubj:pass")
            if tok.feature("VerbForm") == "Part" or ctx.copular_participle(tok):
                affected = affected + sent.kids(tok.i, "nsubj")
                if tok.dep.split(":")[0] in ("acl", "amod") and tok.head != tok.i:
                    affected = affected + [sent.tokens[tok.head]]
            for child in affected:
                if child.lemma_norm in pattern.not_objects:
                    return False, f"object {child.lemma_norm!r} excluded", None
        if pattern.intransitive and any(
                (sent.base_deps[k.i] in ("obj", "ccomp", "xcomp", "csubj") and ctx.preposition(k) != "frente")
                or (k.dep == "mark" and k.norm == "que") for k in sent.kids(tok.i)):
            return False, "has an object or a clause", None
        if pattern.not_preps:
            for child, prep in ctx.complements_with_preps(tok):
                if prep in pattern.not_preps and ctx.mentions_at(child):
                    return False, f"complement {prep} {child.lemma_norm!r} excluded", None
        if pattern.not_obliques:
            for child, prep in ctx.complements_with_preps(tok):
                if prep is not None and prep != "a" and (
                        child.lemma_norm in pattern.not_obliques or child.norm in pattern.not_obliques):
                    return False, f"complement {prep} {child.lemma_norm!r} excluded", None
        return True, "matched", obj

    @staticmethod
    def _object_matches(sent: ParsedSentence, child: Token, pattern: Pattern) -> bool:
        if _ORDINAL.fullmatch(child.text):
            # "la IX Cumbre Iberoamericana": the parser makes the number the head
            return any(EventCoder._object_matches(sent, k, pattern) for k in sent.kids(child.i, "flat")[:1])
        return child.lemma_norm in pattern.objects or child.norm in pattern.objects or (
            (child.norm in pattern.phrase_heads or child.lemma_norm in pattern.phrase_heads)
            and _phrase_match(sent, child, pattern.object_phrases)) or (
            # "reclamó un alto el fuego" parsed with "fuego" as the head
            (child.norm in pattern.phrase_tails or child.lemma_norm in pattern.phrase_tails)
            and _phrase_match(sent, child, pattern.object_phrases, ending=True))

    def _role_constraints(self, ctx: _Context, tok: Token, pattern: Pattern, obj: Token | None) -> tuple[bool, str]:
        """Sector constraints on the actors: "asesinaron al alcalde" (a political figure)
        is an assassination, "asesinaron a cuatro campesinos" armed violence."""
        sources, targets = self._verb_roles(ctx, tok, pattern, obj)
        if pattern.source_required and not sources:
            return False, "no source actor"
        if pattern.subject_sectors and not any(_has_sector(m, pattern.subject_sectors) for m in sources):
            return False, f"source is not one of {sorted(pattern.subject_sectors)}"
        if pattern.target_sectors and not any(set(m.sectors) & pattern.target_sectors for m in targets):
            return False, f"target is not one of {sorted(pattern.target_sectors)}"
        if pattern.many_victims and not any(self._counted_many(ctx, m) for m in targets):
            return False, "fewer than ten victims counted"
        return True, "matched"

    def _counted_many(self, ctx: _Context, m: Mention) -> bool:
        """"45 indígenas", "al menos 49 personas", "veinte campesinos", "decenas de civiles"."""
        if set(m.sectors) & _ARMED:
            return False  # thirty fighters killed in combat are no massacre
        head = ctx.sent.tokens[m.head]
        numbers = [k for k in ctx.sent.kids(head.i, "nummod", "det", "amod")]
        # "más de 70 personas", "al menos 49 civiles"
        numbers += [n for a in ctx.sent.kids(head.i, "advmod") for n in ctx.sent.kids(a.i, "nummod")]
        quantity = ctx.sent.tokens[head.head]
        if quantity.i != head.i and quantity.lemma_norm in self.quantity_nouns:
            numbers.append(quantity)
        for k in numbers:
            digits = k.text.replace(".", "").replace(",", "")
            if (digits.isdigit() and int(digits) >= 10) or k.lemma_norm in self.many_words or k.norm in self.many_words:
                return True
        return False

    # -- event building ----------------------------------------------------------------
    def _build(self, ctx: _Context, tok: Token, pattern: Pattern, obj: Token | None, article_id: str) -> list[Event]:
        if pattern.noun:
            # Material conflict is news even when nobody is named ("las protestas se
            # extendieron", "la represión dejó cinco muertos", "los combates..."); it is
            # kept, with a lower confidence. A meeting or a demand with nobody named is a
            # reference ("en vísperas de la cumbre"), no dyadic event.
            sources, targets = self._noun_roles(ctx, tok, pattern)
            if not sources and not targets and self.codes[pattern.code].quad_class != MATERIAL_CONFLICT:
                return []
        else:
            sources, targets = self._verb_roles(ctx, tok, pattern, obj)
            if not sources and not targets and (
                    obj is None or self.codes[pattern.code].quad_class != MATERIAL_CONFLICT):
                return []  # but "se realizó una marcha", like the noun on its own
        sources, targets = self._with_countries(ctx, tok, pattern, sources, targets)
        modality = self.modality.resolve(ctx.sent, tok, pattern.modality)
        trigger_ids = sorted({tok.i} | ({obj.i} if obj is not None else set()))
        trigger = " ".join(ctx.sent.tokens[i].text for i in trigger_ids)
        info = self.codes[pattern.code]
        confidence = pattern.confidence * (1.0 if sources and targets else 0.8 if sources or targets else 0.5)
        events = []
        pairs: list[tuple[ActorRef | None, ActorRef | None]] = []
        src_refs = [_ref(m, ctx.sent) for m in sources] or [None]
        # "declaró el estado de emergencia en Lima", "bombardeos sobre Belgrado": a seat of
        # power after "en" or "sobre" is the place, coded by its country
        # ("lanzó drones contra Kiev": a capital city struck by arms is the place too, while
        # "el ataque contra el Kremlin" hits the seat of power)
        violent = pattern.code[:2] in VIOLENT_ROOTS
        tgt_refs = [_ref(m, ctx.sent, as_place=pattern.place_target or m.kind == "place" or (m.kind == "metonym" and (
            ctx.preposition(ctx.sent.tokens[m.head]) in ("en", "sobre") or (violent and m.city))))
            for m in targets] or [None]
        if pattern.symmetric and len(src_refs) > 1:
            # "Ucrania y Rusia intercambiaron prisioneros (con la mediación de X)": the
            # coordinated subjects are the two sides
            pairs = [(src_refs[0], r) for r in src_refs[1:]]
        else:
            pairs = [(s, t) for s in src_refs for t in tgt_refs if s is None or t is None or s.text != t.text]
        for source, target in pairs[:MAX_PAIRS]:
            event = Event(
                article_id=article_id,
                sentence_index=ctx.sent.index,
                sentence=ctx.sent.text,
                trigger=trigger,
                trigger_index=tok.i,
                cameo=pattern.code,
                cameo_root=pattern.code[:2],
                cameo_label=info.name,
                plover_type=info.plover_type,
                plover_mode=info.plover_mode,
                goldstein=info.goldstein,
                quad_class=info.quad_class,
                source=source,
                target=target,
                modality=modality,
                rule=pattern.id,
                confidence=round(confidence, 2),
                symmetric=pattern.symmetric,
                trigger_span=token_span(ctx.sent, tok.i, tok.i + 1),
            )
            event.event_id = compute_event_id(event)
            events.append(event)
        return events

    def _with_countries(self, ctx: _Context, tok: Token, pattern: Pattern, sources: list[Mention],
                        targets: list[Mention]) -> tuple[list[Mention], list[Mention]]:
        """Copies of the event's actors with the countries the sentence implies for those
        it names without one. The copies belong to this event only: "el canciller viajó a
        Rusia para reunirse con Lavrov" does not make the minister Russian in the meeting."""
        sources, targets = [replace(m) for m in sources], [replace(m) for m in targets]
        for m in sources + targets:
            if m.country is None and not m.foreign:
                # "el presidente ruso negó que sus tropas...": the possessor's country
                m.country = ctx.possessor_country(m)
                m.explicit_country = m.country is not None
        for m in targets:
            if m.country is None and not m.foreign:
                m.country = ctx.place_above(m.head, tok.i)
                m.explicit_country = m.country is not None
        # the event's place, else one its governing verbs state ("se enfrentaron en San
        # Sebastián al término de una manifestación de miles de personas")
        place = ctx.place_country(tok) or ctx.place_above(tok.i, -1)
        _share_country(sources, targets, place, self.mission_nouns | self.counterpart_nouns,
                       destination=pattern.place_target, states_acted_upon=[
                           m for m in targets if m.kind in ("country", "metonym")
                           and ctx.preposition(ctx.sent.tokens[m.head]) in (None, "a", "hacia", "contra")])
        return sources, targets

    def _verb_roles(self, ctx: _Context, tok: Token, pattern: Pattern, obj: Token | None) -> tuple[list[Mention], list[Mention]]:
        subject, passive_target = ctx.subject(tok)
        if pattern.patient_subject:
            # "dos personas resultaron heridas (por X)": the subject suffered the event
            victim, agent = (passive_target, subject) if passive_target is not None else (subject, None)
            targets = ctx.mentions_at(victim) if victim is not None else []
            agent = agent or ctx.agent_inside(tok)
            sources = [m for m in ctx.mentions_at(agent) if m not in targets] if agent is not None else []
            return sources, targets
        sources = ctx.mentions_at(subject) if subject is not None else []
        if not sources and subject is not None and subject.pos == "PROPN":
            # a named subject the dictionaries do not know ("el abogado Taormina protestó"):
            # kept as an uncoded actor so the event is not lost
            sources = [ctx.uncoded(subject)]
        if (not sources and passive_target is None and ctx.implicit_subject is not None
                and (subject is None or subject.pos == "PRON")):
            found = ctx.implicit_subject(tok, subject)
            if found is not None:
                sources = [found]
        targets: list[Mention] = []
        if passive_target is not None:
            targets = ctx.mentions_at(passive_target)
        if not sources:
            # "se firmó un acuerdo entre el gobierno y las FARC": the parties are the actors
            heads = [tok] + ([obj] if obj is not None else []) + ([passive_target] if passive_target is not None else [])
            for head in heads:
                between = [c for c, prep in ctx.complements_with_preps(head) if prep in ctx.between]
                if between:
                    parties = ctx.mentions_at(between[0])
                    if len(parties) >= 2:
                        return parties[:1], parties[1:]
        if not targets:
            targets = self._targets(ctx, tok, pattern, obj, exclude=sources)
        if not targets and obj is not None:
            own = ctx.by_token.get(obj.i)
            source_countries = {m.country for m in sources}
            forces = own is not None and set(own.sectors) <= _FORCES and (
                own.country is None or own.country in source_countries)
            if own is not None and not forces:
                # "expulsó a diez diplomáticos británicos", "proscribió a los partidos de
                # oposición": the object is the target
                targets = [own]
            else:
                # "desplegó tropas en la frontera con Siria": the source's own forces
                targets = [m for m in ctx.nested_mentions(obj, exclude=sources) if m is not own]
        if not targets and "clause" in pattern.targets:
            targets = ctx.clause_mentions(tok, exclude=sources)
        if not targets:
            for child in ctx.complements(tok):
                prep = ctx.preposition(child)
                if prep in ("en", "desde", "durante", "tras", "por") and child.pos == "PROPN":
                    continue
                if prep in ("tras", "durante", "después", "antes", "luego"):
                    continue  # when it happened: "tras un ataque de Sendero Luminoso"
                if ctx.full_preposition(child) in ctx.attribution:  # "según el ejército surcoreano"
                    continue
                if obj is not None and child.i == obj.i:
                    continue
                found = ctx.nested_mentions(child, exclude=sources, skip_self=prep in ("en", "desde"))
                if found:
                    targets = found
                    break
        targets = [m for m in targets if m not in sources]
        if not targets and pattern.place_target:
            # "visitó Cúcuta": a visit to a city is a visit to its country
            for child in ctx.complements(tok):
                place = ctx.places.get(child.i)
                if place is not None and ctx.preposition(child) in (None, "a", "hasta"):
                    targets = [place]
                    break
        if not targets and pattern.code[:2] in VIOLENT_ROOTS:
            # "Moscú bombardeó Járkov", "atacaron con drones contra Odesa": a city struck by
            # arms is the place, coded by its country
            for child in ctx.complements(tok):
                place = ctx.places.get(child.i)
                if place is not None and place.place_country and ctx.preposition(child) in (None, "a", "contra", "sobre"):
                    targets = [place]
                    break
        return sources, targets

    def _targets(self, ctx: _Context, tok: Token, pattern: Pattern, obj: Token | None, exclude: list[Mention]) -> list[Mention]:
        complements = ctx.complements(tok)
        if obj is not None:
            # A light-verb object carries its own target: "lanzó una ofensiva contra X",
            # also one level down ("impuso un embargo de armas contra Yugoslavia")
            inner = ctx.complements(obj)
            complements = complements + inner + [k for c in inner for k in ctx.complements(c)
                                                  if ctx.preposition(k) in ("contra", "sobre", "entre")]
        for slot in pattern.targets:
            for child in complements:
                if obj is not None and child.i == obj.i:
                    continue
                if slot in ctx.slots(child):
                    found = [m for m in ctx.mentions_at(child) if m not in exclude]
                    if found:
                        return found
        return []

    def _noun_roles(self, ctx: _Context, tok: Token, pattern: Pattern) -> tuple[list[Mention], list[Mention]]:
        children = ctx.sent.kids(tok.i)
        inside: list[Token] = []
        if len(pattern.noun_phrase) > 1:
            # "el restablecimiento de relaciones con China": "de relaciones" is part of the
            # trigger, and what hangs on it belongs to the event
            words = set(pattern.noun_phrase[1:])
            inside = [c for c in children if (c.lemma_norm in words or c.norm in words) and c.i not in ctx.by_token]
            children = [c for c in children if c not in inside] + [k for c in inside for k in ctx.sent.kids(c.i)]
            head = ctx.sent.tokens[tok.head]
            if head.i == tok.i + 1 and (head.lemma_norm in words or head.norm in words):
                # "la llamada telefónica entre A y B" parsed with the adjective as the head
                children += [c for c in ctx.sent.kids(head.i) if c.i != tok.i]
        position = tok
        head = ctx.sent.tokens[tok.head]
        if head.i != tok.i and head.lemma_norm in self.span_nouns and ctx.preposition(tok) == "de":
            # "cumplieron el tercer día de huelga": the noun stands where its span does
            position, head = head, ctx.sent.tokens[head.head]
        adjunct = (tok.dep.split(":")[0] == "obl" and head.pos == "VERB" and head.i != tok.i
                   and tok.lemma_norm in self.adjunct_nouns and ctx.preposition(tok) in ("en", "como"))
        light = position.dep.split(":")[0] == "obj" or (
            # "participaron en una marcha", "respondieron con bombardeos"; not "decretó el
            # estado de emergencia tras un ataque de Sendero Luminoso"
            position.dep.split(":")[0] == "obl" and ctx.preposition(position) in (None, "en", "a", "con"))
        if (light and head.lemma_norm in self.light_verbs and head.i != position.i) or adjunct:
            # "los estudiantes realizaron una marcha": the light verb's subject acts; so
            # does the subject of "ocuparon la sede en protesta por X"
            subject, _ = ctx.subject(head)
            sources = ctx.mentions_at(subject) if subject is not None else []
            targets = self._targets(ctx, tok, pattern, inside[0] if inside else None, exclude=sources)
            if pattern.genitive_is_target and not targets:
                # "respondió con la expulsión de 60 diplomáticos": the "de X" suffers it
                targets = [m for c in children if ctx.preposition(c) == "de" for m in ctx.mentions_at(c)
                           if m not in sources][:MAX_PAIRS]
            return sources, targets
        sources: list[Mention] = []
        targets: list[Mention] = []
        if pattern.genitive_is_target:
            # "la detención del opositor por parte de la policía": the parser hangs the
            # agent on the patient
            children = children + [k for c in children if ctx.preposition(c) == "de"
                                   for k in ctx.sent.kids(c.i, "nmod") if ctx.preposition(k) == "por"]
        for child in children:
            prep = ctx.preposition(child)
            if prep in ctx.between:
                found = ctx.mentions_at(child)
                return found[:1], found[1:]
            if prep == "de" and pattern.genitive_forces and not sources and not targets:
                # "la represión de la policía" (agent) / "de la oposición" (patient)
                found = ctx.mentions_at(child)
                if any(set(m.sectors) & (_FORCES | {"GOV"}) for m in found):
                    sources = found
                else:
                    targets = found
            elif prep == "de" and pattern.genitive_is_target and not targets:
                targets = ctx.mentions_at(child)
            elif not sources and (prep == ("por" if pattern.genitive_is_target else "de") or (
                    pattern.genitive_is_target and ctx.full_preposition(child) == "a manos de")):
                # the agent of the noun: "de X" ("el ataque de las FARC"), or "por X"
                # when "de X" is the patient ("la liberación de X por Y")
                sources = ctx.mentions_at(child)
            elif child.dep == "amod" and child.i in ctx.by_token and not sources and not any(
                    ctx.preposition(c) == "de" and c.i < child.i for c in children):
                # "el ataque ruso"; but in "la expulsión de 300 migrantes haitianos" the
                # adjective after the complement is the complement's
                sources = [ctx.by_token[child.i]]
            elif prep in pattern.targets and not targets:
                targets = ctx.mentions_at(child)
        if not sources or not targets:
            # "un ataque con explosivos perpetrado por X contra Y", "la masacre atribuida a X"
            for participle in self._agent_participles(ctx, tok):
                for child in ctx.sent.kids(participle.i):
                    prep = ctx.preposition(child)
                    if not sources and (prep == "por" or (prep == "a" and participle.lemma_norm.startswith("atribu"))):
                        sources = ctx.mentions_at(child)
                    elif not targets and prep in pattern.targets and prep not in ("a", "por"):
                        targets = ctx.mentions_at(child)
        return sources, [m for m in targets if m not in sources]

    def _agent_participles(self, ctx: _Context, tok: Token) -> list[Token]:
        """Participles like "perpetrado", "atribuida" on the event noun or on its
        complements (the parser hangs them on the last noun before them)."""
        out = []
        for holder in [tok, *ctx.sent.kids(tok.i, "nmod")]:
            for k in ctx.sent.kids(holder.i, "amod", "acl"):
                if k.norm in self.agent_participles or k.lemma_norm in self.agent_participles:
                    out.append(k)
        return out


class _Context:
    """Parse-tree helpers for one sentence."""

    def __init__(self, sent: ParsedSentence, by_token: dict[int, Mention], places: dict[int, Mention],
                 language: LanguagePack):
        self.sent = sent
        self.by_token = by_token
        self.places = places
        self.contractions = language.contractions
        self.enclitic_se = language.has_enclitic_se
        self.object_control = language.grammar["object_control_verbs"]
        self.documents = language.grammar["document_nouns"]
        self.between = language.grammar["symmetric_preps"]
        self.attribution = language.grammar["attribution_preps"]
        self.purpose_marks = language.grammar["purpose_marks"]
        self.location_nouns = language.grammar["location_nouns"]
        self.front_words = language.grammar["front_adverbs"]
        self.relative_adverbs = language.grammar["relative_adverbs"]
        self.participle_lemmas = language.verb_lemma_candidates
        self._complement_cache: dict[int, list[tuple[Token, str | None]]] = {}
        self._complements: dict[int, list[Token]] = {}
        self._passive: dict[int, bool] = {}
        self._object_candidates: dict[tuple[int, bool], list[tuple[Token, str | None]]] = {}
        self.implicit_subject: ImplicitSubject | None = None

    def _case(self, tok: Token) -> Token | None:
        """The preposition introducing a complement."""
        for child in self.sent.kids(tok.i, "case", "mark"):
            if child.pos == "ADP" or child.dep == "case":
                return child
        return None

    def preposition(self, tok: Token) -> str | None:
        case = self._case(tok)
        if case is None:
            return None
        head = self.sent.tokens[tok.head]
        if (head.norm in self.front_words and head.dep.startswith("advmod") and head.i < tok.i) or (
                case.i > 0 and self.sent.tokens[case.i - 1].norm in self.front_words):
            return "frente"  # "se reunieron frente al Congreso": "frente" parsed as an adverb
        return self.contractions.get(case.norm, case.norm)

    def full_preposition(self, tok: Token) -> str | None:
        """The preposition with its fixed words: "de acuerdo con", "por parte de"."""
        case = self._case(tok)
        if case is None:
            return None
        return " ".join([self.contractions.get(case.norm, case.norm), *(k.norm for k in self.sent.kids(case.i, "fixed"))])

    def slots(self, tok: Token) -> set[str]:
        prep = self.preposition(tok)
        dep = tok.dep.split(":")[0]
        out = set()
        if prep:
            out.add(prep)
        if dep in ("obj", "iobj") and prep in (None, "a"):
            out.add(dep)
        return out

    def object_candidates(self, tok: Token, reflexive_passive: bool,
                          quantities: frozenset[str]) -> list[tuple[Token, str | None]]:
        """What a pattern's `object` may be: the verb's complements with their
        prepositions, and the subject of a passive; once per verb and voice."""
        key = (tok.i, reflexive_passive)
        cached = self._object_candidates.get(key)
        if cached is not None:
            return cached
        sent = self.sent
        candidates = self.complements_with_preps(tok)
        if reflexive_passive:
            # reflexive passive: "se firmó un acuerdo" — a subject that is no actor is
            # the thing signed ("los ciudadanos se movilizaron" is not passive)
            candidates = candidates + [(c, None) for c in sent.kids(tok.i, "nsubj") if c.i not in self.by_token]
        elif self.passive(tok) and self.has_agent(tok):
            # "el embajador fue convocado por la cancillería": the object is the subject
            # (without a "por X" the subject's own event noun is the news: "el atentado
            # fue atribuido a las disidencias")
            candidates = candidates + [(c, None) for c in sent.kids(tok.i, "nsubj", "nsubj:pass")]
        # "desplegó miles de soldados": the object is what the quantity counts
        candidates = candidates + [(k, prep) for c, prep in candidates if c.lemma_norm in quantities
                                   for k in sent.kids(c.i, "nmod") if self.preposition(k) == "de"]
        self._object_candidates[key] = candidates
        return candidates

    def complements_with_preps(self, tok: Token) -> list[tuple[Token, str | None]]:
        cached = self._complement_cache.get(tok.i)
        if cached is None:
            cached = [(c, self.preposition(c)) for c in self.complements(tok)]
            self._complement_cache[tok.i] = cached
        return cached

    def instrument_candidates(self, tok: Token) -> list[Token]:
        """Nouns in the verb's complements, one level deep: the parser often hangs "de
        varios impactos de bala" or "a tiros" on the object instead of the verb."""
        out = []
        for c in self.complements(tok):
            out.append(c)
            out.extend(k for k in self.sent.kids(c.i, "nmod", "obl") if k.pos in ("NOUN", "PROPN"))
        for adv in self.sent.kids(tok.i, "advmod"):
            # "a balazos" parsed as a fixed adverb: a → advmod, balazos → fixed
            out.append(adv)
            out.extend(self.sent.kids(adv.i, "fixed"))
        # "resultó herido al pisar una mina": the cause is the infinitive's object (the
        # parser hangs the clause on the verb or on its participle)
        holders = [tok.i] + [c.i for c in self.sent.kids(tok.i, "obj", "xcomp") if c.pos == "ADJ"]
        for clause in (k for h in holders for k in self.sent.kids(h, "advcl")):
            if clause.feature("VerbForm") == "Inf":
                out.extend(k for k in self.sent.kids(clause.i, "obj", "obl", "nsubj") if k.pos == "NOUN")
        return out

    def complements(self, tok: Token) -> list[Token]:
        cached = self._complements.get(tok.i)
        if cached is None:
            cached = self._complements[tok.i] = self._find_complements(tok)
        return cached

    def _find_complements(self, tok: Token) -> list[Token]:
        direct = [c for c in self.sent.kids(tok.i) if self.sent.base_deps[c.i] in ("obj", "iobj", "obl", "nmod", "xcomp")]
        # "frente al Congreso", "delante de la embajada": the place hangs on the adverb
        direct += [k for a in self.sent.kids(tok.i, "advmod") if a.norm in self.front_words
                   for k in self.sent.kids(a.i, "obl", "nmod")]
        # "sostuvieron en zona rural, un combate con...": the parser hangs the object on
        # the preceding complement as an apposition
        stray = [a for c in direct for a in self.sent.kids(c.i, "appos") if a.pos == "NOUN"]
        # ... also after an aside ("firmaron en Washington, en presencia del secretario de
        # Estado, Marco Rubio, un acuerdo de paz")
        stray += [a for c in direct for n in self.sent.kids(c.i, "nmod") for a in self.sent.kids(n.i, "appos")
                  if a.pos == "NOUN" and a.i > tok.i and self.preposition(a) is None]
        if tok.pos in ("VERB", "AUX") and not any(
                self.sent.base_deps[c.i] == "obj" or self.preposition(c) == "a" for c in direct):
            # "ejecutaron de doce impactos de bala a un campesino": the parser hangs the
            # "a X" object on the last noun of a "de ..." complement; an actor there is
            # the verb's object
            for c in direct:
                inner = c
                for _ in range(3):
                    nested = [k for k in self.sent.kids(inner.i, "nmod") if k.pos in ("NOUN", "PROPN", "PRON")]
                    if not nested:
                        break
                    inner = nested[0]
                    if (self.preposition(inner) == "a" and inner.i in self.by_token
                            and self.by_token[inner.i].kind != "metonym"):
                        stray.append(inner)
                        break
                    if self.preposition(inner) != "de":
                        break
        return direct + stray

    def copular_participle(self, tok: Token) -> bool:
        """A passive participle the parser took for a noun or adjective after "ser"
        ("fueron muertas", "fue herido")."""
        return (tok.pos in ("NOUN", "ADJ") and bool(self.participle_lemmas(tok.norm))
                and tok.feature("VerbForm") != "Part"
                and any(k.dep == "cop" and k.lemma_norm == "ser" for k in self.sent.kids(tok.i)))

    def agent_inside(self, tok: Token) -> Token | None:
        """The "por X" agent of a verb, or of a participle inside its complements ("al
        pisar una mina instalada por guerrilleros")."""
        for child, prep in self.complements_with_preps(tok):
            if prep == "por" and child.i in self.by_token:
                return child
        start, stop = tok.i, tok.i
        for i in self._phrase(tok, deep=True):
            start, stop = min(start, i), max(stop, i)
        for t in self.sent.tokens[start:stop + 1]:
            head = self.sent.tokens[t.head]
            if (self.preposition(t) == "por" and t.i in self.by_token and head.i != t.i
                    and head.feature("VerbForm") == "Part"):
                return t
        return None

    def passive(self, tok: Token) -> bool:
        """"fue convocado", "fueron desplegados", "fueron muertas" (the parser's noun)."""
        known = self._passive.get(tok.i)
        if known is None:
            known = self._passive[tok.i] = self._is_passive(tok)
        return known

    def _is_passive(self, tok: Token) -> bool:
        kids = self.sent.kids(tok.i)
        if any(k.dep == "aux:pass" for k in kids):
            return True
        participle = tok.feature("VerbForm") == "Part" or self.copular_participle(tok)
        return participle and any((k.dep.startswith("aux") or k.dep == "cop") and k.lemma_norm == "ser" for k in kids)

    def has_agent(self, tok: Token) -> bool:
        return any(self.preposition(k) == "por" for k in self.sent.kids(tok.i, "obl", "obj", "nmod"))

    def has_reflexive(self, tok: Token) -> bool:
        if self.enclitic_se(tok.norm) and tok.feature("VerbForm") in ("Inf", "Ger"):
            return True
        return any(child.norm == "se" and child.pos == "PRON" for child in self.sent.kids(tok.i))

    def subject(self, tok: Token) -> tuple[Token | None, Token | None]:
        """(the acting subject, the patient of a passive) of a verb, climbing to the
        governing verb for infinitives, gerunds and coordinated verbs."""
        sent = self.sent
        seen = set()
        current = tok
        while current.i not in seen:
            seen.add(current.i)
            kids = sent.kids(current.i)
            participle = current.feature("VerbForm") == "Part" or self.copular_participle(current)
            passive = self.passive(current) or any(k.dep == "expl:pass" for k in kids)
            agent = None
            patient = None
            for child in kids:
                if child.dep == "nsubj:pass" or (child.dep == "nsubj" and passive):
                    patient = patient or child  # the first: a second is a parser error
                elif child.dep == "nsubj":
                    return _relative_head(sent, child, self.documents), None
                elif child.dep.split(":")[0] in ("obl", "obj", "nmod") and self.preposition(child) == "por" and (
                        passive or participle):
                    agent = child
            if passive and agent is None:
                agent = self._stray_agent(current)
            if not passive and agent is None and patient is None:
                # "Paramilitares de las AUC, vistiendo prendas militares, ejecutaron...": the
                # parser gives the subject to the gerund clause before the verb
                for clause in kids:
                    if clause.dep == "advcl" and clause.i < current.i and clause.feature("VerbForm") == "Ger":
                        early = [k for k in sent.kids(clause.i, "nsubj") if k.i < clause.i]
                        if early:
                            return _relative_head(sent, early[0], self.documents), None
                    if clause.dep == "obl" and clause.i < current.i and \
                            self.full_preposition(clause) in self.attribution:
                        # "Según fuentes diplomáticas, Francia y Alemania propondrán...": the
                        # parser hangs the subject on the attribution as an apposition
                        stray = [k for k in sent.kids(clause.i, "appos") if k.i < current.i and k.i in self.by_token]
                        if stray:
                            return stray[0], None
            if current.dep.split(":")[0] in ("acl", "amod") and participle and patient is None:
                # "los soldados asesinados por X": the noun is the patient; but "llegó a
                # Caracas, donde fue recibido por Maduro": the place is where, and the
                # one received is the subject of the clause the place belongs to
                patient = sent.tokens[current.head]
                if any(k.norm in self.relative_adverbs for k in kids) and patient.head != patient.i:
                    main = sent.tokens[patient.head]
                    patient = next(iter(sent.kids(main.i, "nsubj")), None)
                    if patient is not None:
                        patient = _relative_head(sent, patient, self.documents)
            elif (current.dep == "amod" and current.feature("VerbForm") == "Fin"
                  and agent is None and patient is None and current.head != current.i):
                # "El régimen de Ortega despojó...": a finite verb the parser hung on the
                # noun before it; that noun is its subject
                return _relative_head(sent, sent.tokens[current.head], self.documents), None
            if agent is not None or patient is not None:
                return agent, patient
            # "expulsó al embajador acusándolo de", "intentó dispersarlos": a verb form parsed as an object
            gerund_as_object = current.dep == "obj" and (
                current.feature("VerbForm") == "Ger" or (current.pos == "NOUN" and _enclitic_infinitive(current.norm)))
            if (current.dep in ("xcomp", "advcl", "conj", "ccomp") or gerund_as_object) and current.head != current.i:
                governor = sent.tokens[current.head]
                if (current.dep == "advcl" and current.feature("VerbForm") == "Ger" and governor.dep == "acl"
                        and any(k.lemma_norm == "que" for k in sent.kids(governor.i, "nsubj"))):
                    # "bloquearon la vía que conduce al municipio incinerando un camión": the
                    # parser hangs the gerund on the relative clause; the road burns nothing
                    noun = sent.tokens[governor.head]
                    governor = sent.tokens[noun.head] if noun.head != noun.i else governor
                if (current.dep in ("xcomp", "ccomp", "advcl") and governor.lemma_norm in self.object_control
                        and not any(k.norm in self.purpose_marks for k in sent.kids(current.i, "mark"))):
                    # ("convocó al embajador para pedir explicaciones": a purpose clause
                    # is the subject's own act)
                    # "acusó a la guerrilla de atacar": the accused is the attacker
                    for child in sent.kids(governor.i, "obj", "iobj"):
                        if child.i != current.i and child.pos in ("NOUN", "PROPN", "PRON", "ADJ"):
                            return _relative_head(sent, child), None
                current = governor
                continue
            break
        return None, None

    def uncoded(self, tok: Token) -> Mention:
        """An actor mention without a code, for a named argument no dictionary knows."""
        span = [i for i in self._phrase(tok, deep=False) if self.sent.tokens[i].pos in ("PROPN", "NOUN", "ADJ")]
        start, end = min(span), max(span) + 1
        text = " ".join(t.text for t in self.sent.tokens[start:end])
        return Mention(start=start, end=end, head=tok.i, text=text, country=None, sectors=(), kind="person",
                       foreign=True)

    def _stray_agent(self, verb: Token) -> Token | None:
        """The "por X" agent of a passive that the parser hung on a complement instead of
        the verb ("fue muerta de varios impactos de arma de fuego por hombres armados")."""
        for child in self.sent.kids(verb.i, "obj", "obl", "nmod"):
            for i in self._phrase(child, deep=False):
                tok = self.sent.tokens[i]
                if i != child.i and tok.dep.split(":")[0] in ("nmod", "obl") and self.preposition(tok) == "por":
                    return tok
        return None

    def mentions_at(self, tok: Token | None) -> list[Mention]:
        """The actor(s) an argument denotes: the mention covering it, else the nearest
        mention inside its phrase; coordinated arguments give one each."""
        if tok is None:
            return []
        found: list[Mention] = []
        for node in sorted([tok, *self._conjuncts(tok)], key=lambda t: t.i):
            m = self.by_token.get(node.i)
            if m is None:
                m = self._nearest_inside(node)
            if m is not None and m not in found:
                found.append(m)
                found.extend(self._shared_head(m, found))
        return found

    def _shared_head(self, m: Mention, found: list[Mention]) -> list[Mention]:
        """"los gobiernos de Chile y Argentina": the second country shares the head noun,
        so it is an actor of the same sector (ARGGOV)."""
        extra = []
        for t in range(m.start, m.end):
            for c in self.sent.kids(t, "conj"):
                other = self.by_token.get(c.i)
                if other is None or other is m or other in found or other.sectors or m.kind != "agent":
                    continue
                if other.kind in ("country", "metonym"):
                    extra.append(replace(other, sectors=m.sectors, kind="agent"))
        return extra

    def nested_mentions(self, tok: Token, exclude: list[Mention], skip_self: bool = False) -> list[Mention]:
        for i in self._phrase(tok, deep=True):
            if skip_self and i == tok.i:
                continue
            m = self.by_token.get(i)
            if m is None or m in exclude or (skip_self and m.head == tok.i):
                continue
            if self._capital_as_place(m):
                continue
            return [m]
        return []

    def place_country(self, tok: Token) -> str | None:
        """The country of a place attached to the verb ("marcharon en Santiago")."""
        for child in self.sent.kids(tok.i, "obl", "nmod"):
            if self.preposition(child) in ("en", "desde"):
                m = self.by_token.get(child.i) or self.places.get(child.i)
                if m is not None and m.place_country:
                    return m.place_country
        return None

    def possessor_country(self, m: Mention) -> str | None:
        """The country of the subject that "su"/"sus" on an actor refers to: the nearest
        governing verb's subject ("Rusia dijo que sus tropas...")."""
        sent = self.sent
        head = sent.tokens[m.head]
        if not any(k.norm in ("su", "sus") for k in sent.kids(head.i, "det")):
            return None
        i = head.head
        for _ in range(8):
            verb = sent.tokens[i]
            if verb.pos in ("VERB", "AUX"):
                subject, _ = self.subject(verb)
                for other in self.mentions_at(subject) if subject is not None else []:
                    if other.start != m.start and other.country:
                        return other.country
            if verb.head == i:
                break
            i = verb.head
        return None

    def place_above(self, start: int, stop: int) -> str | None:
        """A place ("en Irán") on the path from an argument up to its verb: "la
        ejecución de dos opositores en Irán" places the opositores in Iran."""
        i = start
        for _ in range(8):
            for child in self.sent.kids(i, "obl", "nmod"):
                if self.preposition(child) == "en":
                    m = self.by_token.get(child.i) or self.places.get(child.i)
                    if m is not None and m.place_country:
                        return m.place_country
            if i == stop or self.sent.tokens[i].head == i:
                break
            i = self.sent.tokens[i].head
        return None

    def clause_mentions(self, tok: Token, exclude: list[Mention]) -> list[Mention]:
        """An actor inside the verb's clausal complement other than the source's country:
        "advirtió que si Irán...": the warning is addressed at Irán."""
        countries = {m.country for m in exclude}
        for child in self.sent.kids(tok.i, "ccomp", "xcomp", "parataxis", "advcl"):
            for i in self._phrase(child, deep=True):
                m = self.by_token.get(i)
                if m is None or m in exclude or m.country in countries:
                    continue
                if m.country is None and m.sectors and set(m.sectors) <= {"MIL", "COP"}:
                    continue  # "amenazó con enviar tropas a Ucrania": its own troops
                return [m]
        return []

    def _conjuncts(self, tok: Token) -> list[Token]:
        out = []
        frontier = [tok]
        while frontier:  # "España, Irlanda y Noruega": the parser chains the conjuncts
            nxt = []
            for node in frontier:
                for child in self.sent.kids(node.i, "conj"):
                    if child.pos in ("NOUN", "PROPN", "PRON", "ADJ", "NUM") and child not in out and len(out) < 12:
                        out.append(child)
                        nxt.append(child)
            frontier = nxt
        if tok.dep == "nsubj" and tok.head != tok.i:
            verb = self.sent.tokens[tok.head]
            first = self.sent.tokens[verb.head]
            if verb.dep == "conj" and first.pos in ("NOUN", "PROPN") and first.i < tok.i and first.i in self.by_token \
                    and any(k.dep == "cc" and first.i < k.i < tok.i for k in self.sent.kids(verb.i)):
                # "El gobierno mexicano y el EZLN firmaron...": the parser made the verb a
                # conjunct of the first subject
                out.append(first)
            # "El gobierno colombiano y las FARC reanudaron...": the parser gives the verb
            # two subjects with the "y" between them
            for other in self.sent.kids(tok.head, "nsubj"):
                if other.i > tok.i and any(k.dep == "cc" and tok.i < k.i < other.i
                                           for k in self.sent.kids(tok.head) + self.sent.kids(other.i)):
                    out.append(other)
        return out

    def _nearest_inside(self, tok: Token) -> Mention | None:
        first: Mention | None = None
        for i in self._phrase(tok, deep=False):
            m = self.by_token.get(i)
            if m is None or (i != tok.i and self._capital_as_place(m)):
                continue
            if first is None:
                if m.sectors or m.kind != "person" or m.country is not None and m.explicit_country:
                    return m
                first = m  # a name no dictionary knows: a coded apposition may say who it is
            elif m.sectors and self.sent.tokens[m.head].dep.split(":")[0] == "appos" and \
                    self.sent.tokens[m.head].head == self.sent.tokens[first.head].head:
                # "a alias 'Jhon Mechas', cabecilla de las disidencias de las FARC"
                return m
        return first

    def _capital_as_place(self, m: Mention) -> bool:
        """Deep inside a phrase a capital is a place ("la detención de dirigentes en
        Caracas", "la vía al corregimiento San José"), not the government it stands for."""
        if m.kind != "metonym":
            return False
        head = self.sent.tokens[m.head]
        prep = self.preposition(head)
        if prep in (None, "a", "en", "hacia", "desde", "sobre"):  # "los bombardeos sobre Belgrado"
            return True
        # "una emboscada al sur de Argel", "en las afueras de Kiev"
        return prep == "de" and self.sent.tokens[head.head].lemma_norm in self.location_nouns

    def _phrase(self, tok: Token, deep: bool) -> list[int]:
        """Tokens of the argument phrase, breadth-first; clauses are entered only when deep."""
        order = []
        queue = [tok.i]
        sent = self.sent
        while queue:
            i = queue.pop(0)
            order.append(i)
            for c in sent.children[i]:
                dep = sent.tokens[c].dep.split(":")[0]
                if dep in ("conj", "punct", "cc") or (not deep and (dep in _CLAUSAL)):
                    continue
                prep = self.full_preposition(sent.tokens[c])
                if prep in self.attribution:
                    continue  # "según el ejército": the source of the report, not of the phrase
                if not deep and prep == "por" and sent.tokens[i].pos in ("NOUN", "PROPN") and c not in self.by_token:
                    # "protestas por la presencia del Papa": a cause; "de varios impactos
                    # por hombres armados" (the parser's attachment) is still the agent
                    continue
                queue.append(c)
        return order


def _introduced_by(ctx: _Context, tok: Token) -> str | None:
    """The preposition before a noun, with an adverb the parser made its head: "después
    del asesinato" is "después de"."""
    prep = ctx.full_preposition(tok)
    head = ctx.sent.tokens[tok.head]
    if prep is not None and head.pos == "ADV" and head.i < tok.i:
        return f"{head.norm} {prep}"
    return prep


def _part_of_a_name(sent: ParsedSentence, tok: Token) -> bool:
    """A capitalised event noun inside a sentence with nothing attached is a name ("las
    veredas La Cumbre y El Silencio"), not the event ("la Cumbre de las Américas",
    "la Cumbre Iberoamericana"); ALL-CAPS headlines are left alone."""
    if tok.i == 0 or not tok.text[:1].isupper() or tok.text.isupper():
        return False
    before = sent.tokens[tok.i - 1]
    if before.text in (".", "«", '"', "“", ":", "—", "-"):
        return False
    return not any(k.dep.split(":")[0] in ("nmod", "amod") for k in sent.kids(tok.i))


_ENCLITIC_INFINITIVE = re.compile(r"^(\w+?[aei]r)(?:se|lo|la|los|las|le|les|nos|me|te)$")


def _enclitic_infinitive(norm: str) -> str | None:
    """"dispersarlos" → "dispersar" (the word is accent-free and lower case)."""
    m = _ENCLITIC_INFINITIVE.match(norm)
    return m.group(1) if m else None


def _has_sector(m: Mention, sectors: frozenset[str]) -> bool:
    """A bare state ("Rusia lanzó una ofensiva") acts through its government and armed
    forces, so as a source it satisfies a GOV or MIL constraint; "IGO" stands for any
    intergovernmental organisation (IGOUNO, IGOWSTOAS...)."""
    if set(m.sectors) & sectors or ("IGO" in sectors and m.country == "IGO"):
        return True
    return not m.sectors and m.kind in ("country", "metonym") and bool(sectors & {"GOV", "MIL"})


def _phrase_match(sent: ParsedSentence, tok: Token, phrases: tuple[tuple[str, ...], ...],
                  ending: bool = False) -> bool:
    """A multiword object or noun ("alto el fuego", "toque de queda") starting at tok,
    or, with `ending`, ending at it."""
    toks = sent.tokens
    for words in phrases:
        start = tok.i - len(words) + 1 if ending else tok.i
        if start >= 0 and start + len(words) <= len(toks) and all(
                toks[start + k].norm == w or toks[start + k].lemma_norm == w for k, w in enumerate(words)) and (
                not ending or all(start <= toks[k].head <= tok.i for k in range(start, tok.i))):
            return True
    return False


def _relative_head(sent: ParsedSentence, subject: Token, documents: frozenset[str] = frozenset()) -> Token:
    # "los guerrilleros que atacaron": the relative pronoun stands for the noun
    if subject.pos == "PRON" and subject.norm in ("que", "quien", "quienes", "cual", "cuales"):
        verb = sent.tokens[subject.head]
        if verb.dep.startswith("acl") and verb.head != verb.i:
            antecedent = sent.tokens[verb.head]
            governor = sent.tokens[antecedent.head]
            if antecedent.lemma_norm in documents and sent.base_deps[antecedent.i] == "obj" and governor.i != antecedent.i:
                # "la ONU aprobó una resolución que condena a X": the body that adopted
                # the text is the one condemning
                for child in sent.kids(governor.i, "nsubj"):
                    return child
            return antecedent
    return subject


def _ref(m: Mention, sent: ParsedSentence, as_place: bool = False) -> ActorRef:
    # a dropped subject resolved from an earlier sentence has no words in this one
    span = token_span(sent, m.start, m.end) if m.end > m.start else None
    if as_place and m.place_country:
        return ActorRef(m.text, m.place_country, m.place_country, None, span)
    sector = m.sectors[0] if m.sectors else None
    return ActorRef(m.text, m.code or None, m.country, sector, span, m.resolved_from)


def token_span(sent: ParsedSentence, start: int, end: int) -> tuple[int, int]:
    """Character offsets in the sentence text of tokens start..end-1."""
    first, last = sent.tokens[start], sent.tokens[end - 1]
    return first.idx, last.idx + len(last.text)


def _share_country(sources: list[Mention], targets: list[Mention], place: str | None,
                   foreign_nouns: frozenset[str] = frozenset(), destination: bool = False,
                   states_acted_upon: list[Mention] | None = None) -> None:
    """Domestic default: an actor with a sector but no country ("los manifestantes")
    takes a country stated in the sentence for the other actor of its event ("la policía
    peruana"), else the event's place ("en Santiago"). A country that is only implied by
    a dictionary entry (the FARC are Colombian) is not passed on: the text did not say it,
    nor is the country of a diplomatic mission, which is abroad by nature ("manifestantes
    incendiaron la embajada de Suecia en Bagdad" are not Swedish), of a counterpart ("se
    reunió con su homólogo de Brasil") or of the place a visit goes to ("el presidente
    visitó Colombia")."""
    def stated(m: Mention) -> str | None:
        if m.explicit_country and m.country and m.country not in ("IGO", "NGO", "IMG") and not (
                foreign_nouns and any(normalize(w) in foreign_nouns for w in m.text.split())):
            return m.country
        return None

    states_acted_upon = states_acted_upon or []
    for group, other in ((sources, targets), (targets, sources)):
        if destination and group is sources:
            continue
        if group is sources:
            # a state acted upon as a whole is most often acted upon from abroad: "el
            # Congreso autorizó el envío de tropas a Haití", "el ejército atacó Ucrania"
            # ("bloquearon rutas en Serbia" still says where it happened)
            other = [m for m in other if m not in states_acted_upon]
        for m in group:
            if m.country is None and not m.foreign:
                donor = next((c for c in map(stated, other) if c), None)
                if donor or place:
                    m.country = donor or place
                    m.explicit_country = False


def _merge_nested(events: list[Event], sent: ParsedSentence, victim_rules: frozenset[str] = frozenset()) -> list[Event]:
    """One happening, one record: "manifestaron para protestar contra X" or "realizaron
    una protesta" under "se movilizaron" are one protest. An event is dropped when an
    event of the same root governs its trigger and it adds no other actor."""
    if len(events) < 2:
        return events

    def ancestors(i: int) -> set[int]:
        out = set()
        for _ in range(12):
            head = sent.tokens[i].head
            if head == i:
                break
            out.add(head)
            i = head
        return out

    def anchors(e: Event) -> set[int]:
        # a noun's event sits where its verb is: "comenzó una huelga ... para protestar"
        tok = sent.tokens[e.trigger_index]
        return {tok.i, tok.head} if tok.pos == "NOUN" else {tok.i}

    def same_happening(victim: Event, attack: Event) -> bool:
        if attack.target is not None and victim.target is not None and attack.target.code != victim.target.code and not (
                attack.symmetric and attack.source is not None and attack.source.code == victim.target.code):
            return False  # the injured are not the attacked (nor, in a clash, either side)
        if victim.cameo_root == attack.cameo_root:
            # "murieron en un ataque de las FARC": the dead told without the author
            return attack.source is None or victim.source is None or victim.source.code == attack.source.code
        # "resultaron heridos (182) durante un combate (190)": the injured of an attack
        # of another violent root, told without its author
        return victim.cameo_root in VIOLENT_ROOTS and attack.cameo_root in VIOLENT_ROOTS and victim.source is None

    dropped: set[int] = set()
    extra: list[Event] = []
    for attack in events:
        # "un atentado suicida mató a 40 agentes", "un camión bomba destruyó la sede de la
        # ONU": the killing or the damage is the attack's outcome, and its victims are the
        # attack's target
        noun = sent.tokens[attack.trigger_index]
        if noun.pos != "NOUN" or attack.cameo_root not in VIOLENT_ROOTS or not noun.dep.startswith("nsubj"):
            continue
        named_target = attack.target  # the attack's own, before the dead are folded in
        for outcome in events:
            verb = sent.tokens[outcome.trigger_index]
            said_of_it = verb.i == noun.head or (verb.head == noun.head and verb.dep == "conj"
                                                 and not sent.kids(verb.i, "nsubj"))  # "estalló y mató a..."
            if (outcome is not attack and said_of_it and (outcome.cameo_root in VIOLENT_ROOTS
                                                          or outcome.cameo.startswith("171"))
                    and id(outcome) not in dropped and (named_target is None or outcome.target is None
                                                        or named_target.code == outcome.target.code)):
                if attack.target is None and outcome.target is not None:
                    attack.target = outcome.target
                    attack.event_id = compute_event_id(attack)
                elif named_target is None and outcome.target is not None and outcome.target.code != attack.target.code:
                    # "mató a 13 militares y a decenas de afganos": one record per victim group
                    copy = replace(attack, target=outcome.target)
                    copy.event_id = compute_event_id(copy)
                    extra.append(copy)
                dropped.add(id(outcome))
    events = events + extra
    for e in events:
        if id(e) in dropped:
            continue
        above = ancestors(e.trigger_index)
        for other in events:
            if other is e or id(other) in dropped or not anchors(other) & above:
                continue
            if other.rule in victim_rules and e.rule not in victim_rules and same_happening(other, e):
                # "resultaron heridos en un ataque con explosivos de X": the attack is
                # the event, the injured its target
                if e.target is None and other.target is not None:
                    e.target = other.target
                if e.source is None and other.source is not None:
                    e.source = other.source
                e.event_id = compute_event_id(e)
                dropped.add(id(other))
                continue
            if other.cameo_root != e.cameo_root or (
                    # coercion is many acts: dispersing a march and then arresting people are two
                    e.cameo_root == "17" and e.cameo[:3] != other.cameo[:3]):
                continue
            if e.source is not None and (other.source is None or other.source.code != e.source.code):
                continue
            if e.target is not None and other.target is not None and other.target.code != e.target.code:
                continue
            if other.target is None and e.target is not None:
                # "una huelga de hambre para protestar contra el gobierno": one protest,
                # against the government
                other.target = e.target
                other.event_id = compute_event_id(other)
            if other.rule.endswith(GENERIC_SUFFIX) and _more_specific(e.cameo, other.cameo):
                # "un coche bomba estalló en un atentado": the generic noun's one record
                # keeps the more precise code (1832, not 180)
                _take_code(other, e)
            dropped.add(id(e))
            break
    return [e for e in events if id(e) not in dropped]


def _more_specific(code: str, than: str) -> bool:
    """1832 says more than 180 (and 183); 193 more than 190: the same root, and the
    other code is its parent or the root's "not specified" code."""
    return code != than and code[:2] == than[:2] and (code.startswith(than) or (len(than) == 3 and than.endswith("0")))


def _take_code(record: Event, source: Event) -> None:
    # the code, and the words and rule that give it, so the record stays explainable
    for name in ("cameo", "cameo_root", "cameo_label", "plover_type", "plover_mode", "goldstein", "quad_class", "rule",
                 "trigger", "trigger_index", "trigger_span"):
        setattr(record, name, getattr(source, name))
    record.event_id = compute_event_id(record)


def compute_event_id(event: Event) -> str:
    key = "|".join([event.article_id, str(event.sentence_index), str(event.trigger_index), event.cameo,
                    (event.source.code or "") if event.source else "", event.source.text if event.source else "",
                    (event.target.code or "") if event.target else "", event.target.text if event.target else ""])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _dedupe(events: list[Event]) -> list[Event]:
    """One record per happening: the same code between the same actors in one sentence
    ("se mostró dispuesto a negociar" firing on two words) is one event; the record
    with more actors, then the higher confidence, then the earlier trigger is kept."""
    best: dict[tuple, Event] = {}
    order: list[tuple] = []
    for e in events:
        key = (e.sentence_index, e.cameo, e.source.code if e.source else None, e.target.code if e.target else None)
        kept = best.get(key)
        if kept is None:
            best[key] = e
            order.append(key)
        elif (e.confidence, -e.trigger_index) > (kept.confidence, -kept.trigger_index):
            best[key] = e
    out = [best[k] for k in order]
    # an actorless copy of an event that is also coded with actors adds nothing
    with_actors = {(e.sentence_index, e.cameo) for e in out if e.source or e.target}
    return [e for e in out if e.source or e.target or (e.sentence_index, e.cameo) not in with_actors]
