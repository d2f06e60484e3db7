"""Find actor mentions in a parsed sentence and give each a CAMEO-style code.

Two steps. First, *atoms*: the longest dictionary names found token-wise (people,
organisations, metonyms, countries, cities, demonyms, agent nouns). Second, atoms
that modify one another in the parse are grouped into one mention: "el presidente
ruso" (agent + demonym) → RUSGOV; "el portavoz del Kremlin" → RUSGOV; "el presidente
ruso, Vladimir Putin," (apposition) → one mention coded by the person's dated role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..records import Evidence, Mention, ParsedSentence
from .dictionary import ActorDictionary, ActorEntry, pieces

_PIECE = re.compile(r"\w+|[^\w\s]")
# Dependencies by which a modifier joins the mention of its head.
_JOINING = {"amod", "nmod", "appos", "flat", "compound", "det", "fixed", "nummod", "acl"}
# Prepositions that make an nmod part of the same actor ("de Perú", "del Kremlin").
_OF = {"de", "del"}


@dataclass(slots=True)
class Atom:
    start: int
    end: int
    head: int
    entry: ActorEntry
    code: str  # resolved on the article date
    also_city: bool = False  # the name is a city too ("Kiev" the government and the city)


class ArticleMemory:
    """People seen earlier in the same article, so that a later bare surname resolves
    to them: "el presidente ruso, Vladimir Putin, ..." then "Putin dijo..."; also
    people named only in apposition to a role: "el ministro de Defensa, Juan Pérez,"
    then "Pérez anunció..." codes Pérez with the minister's code."""

    def __init__(self) -> None:
        self.by_surname: dict[str, ActorEntry] = {}

    def recall(self, sent: ParsedSentence, atoms: list[Atom], date: str | None) -> list[Atom]:
        if not self.by_surname:
            return atoms
        atoms = [self._known(a, sent, date) for a in atoms]
        covered = {t for a in atoms for t in range(a.start, a.end)}
        extra = []
        for tok in sent.tokens:
            if tok.i in covered or tok.pos != "PROPN":
                continue
            entry = self.by_surname.get(tok.norm)
            if entry is not None:
                extra.append(Atom(tok.i, tok.i + 1, tok.i, entry, entry.code_on(date)))
        return sorted(atoms + extra, key=lambda a: a.start) if extra else atoms

    def _known(self, atom: Atom, sent: ParsedSentence, date: str | None) -> Atom:
        """An uncoded name ("Gómez") that is a surname seen earlier takes that person."""
        if atom.entry.kind == "person" and not atom.code:
            entry = self.by_surname.get(sent.tokens[atom.end - 1].norm)
            if entry is not None:
                return Atom(atom.start, atom.end, atom.head, entry, entry.code_on(date))
        return atom

    def learn(self, sent: ParsedSentence, atoms: list[Atom], mentions: list[Mention]) -> None:
        for atom in atoms:
            if atom.entry.kind == "person" and atom.code and atom.end - atom.start > 1:
                self.by_surname.setdefault(sent.tokens[atom.end - 1].norm, atom.entry)
        for m in mentions:
            if m.kind != "agent" or not m.country or not m.sectors:
                continue
            for child in sent.kids(m.head, "appos"):
                if child.pos == "PROPN":
                    name_tokens = [sent.tokens[t] for t in sent.subtree(child.i) if sent.tokens[t].pos == "PROPN"]
                    name = " ".join(t.text for t in name_tokens)
                    evidence = m.evidence[0] if m.evidence else Evidence("article", 0, name)
                    self.by_surname.setdefault(name_tokens[-1].norm, ActorEntry("person", name, m.code, evidence))


class MentionFinder:
    """Mentions of one sentence; stateless apart from the dictionary it reads."""

    def __init__(self, dictionary: ActorDictionary, foreign_words: frozenset[str] = frozenset(),
                 unit_nouns: frozenset[str] = frozenset(), event_nouns: frozenset[str] = frozenset(),
                 group_nouns: frozenset[str] = frozenset(), quantity_nouns: frozenset[str] = frozenset()):
        self.dictionary = dictionary
        self.foreign_words = foreign_words
        self.event_nouns = event_nouns  # "el ataque guerrillero": the adjective names who attacked
        # "una patrulla del Ejército" is the army's, "una columna guerrillera" a rebel unit
        self.group_nouns = unit_nouns | group_nouns
        self.quantity_nouns = quantity_nouns  # "miles de egipcios" are people, not Egypt

    # -- atoms -----------------------------------------------------------------
    def atoms(self, sent: ParsedSentence, date: str | None) -> list[Atom]:
        keys: list[str] = []
        raw: list[str] = []
        piece_token: list[int] = []
        token_start: dict[int, int] = {}
        ends: set[int] = set()
        for tok in sent.tokens:
            token_start[len(keys)] = tok.i
            parts, raw_parts = _token_pieces(tok.text)
            keys.extend(parts)
            raw.extend(raw_parts)
            piece_token.extend([tok.i] * len(parts))
            ends.add(len(keys))
        found: list[Atom] = []
        p = 0
        while p < len(keys):
            if p in token_start:
                end, entries = self.dictionary.longest_match(keys, p, ends, raw)
                if end > 0:
                    first, last = piece_token[p], piece_token[end - 1] + 1
                    entry = entries[0]
                    head = _span_head(sent, first, last)
                    if entry.kind in ("city", "metonym") and _longer_place_name(sent, last):
                        p += 1  # "San José de Apartadó", "San Salvador de Jujuy": another place
                        continue
                    if entry.kind in ("person", "organization") and \
                            self._longer_name_inside(keys, p, end, ends, raw, token_start):
                        # "el presidente Gonzalo Sánchez de Lozada" is not "Presidente Gonzalo",
                        # "el papa Francisco" is the pope of that name
                        p += 1
                        continue
                    if entry.not_before and _followed_by(sent, last, entry.not_before):
                        p = end  # "el corte de ruta" is a blockade, not a court
                        continue
                    if entry.kind != "agent" or _nominal(sent.tokens[head]) or self._before_demonym(sent, sent.tokens[head]):
                        found.append(Atom(first, last, head, entry, entry.code_on(date),
                                          entry.kind == "metonym" and any(e.kind == "city" for e in entries)))
                        p = end
                        continue
                tok = sent.tokens[piece_token[p]]
                agent = self.dictionary.agent_lemmas.get(tok.lemma_norm)
                if agent is not None and agent.not_before and _followed_by(sent, tok.i + 1, agent.not_before):
                    agent = None
                if agent is not None and (
                        _nominal(tok) or self._agent_of_event(sent, tok) or self._before_demonym(sent, tok)):
                    found.append(Atom(tok.i, tok.i + 1, tok.i, agent, ""))
            p += 1
        return self._unknown_people(sent, found)

    def _longer_name_inside(self, keys: list[str], start: int, end: int, ends: set[int], raw: list[str],
                            token_start: dict[int, int]) -> bool:
        """Another person's name starts inside this match and runs past it."""
        for q in range(start + 1, end):
            if q in token_start:
                longer, entries = self.dictionary.longest_match(keys, q, ends, raw)
                if longer > end and entries[0].kind == "person":
                    return True
        return False

    def _counted(self, sent: ParsedSentence, tok) -> bool:
        if tok.dep == "amod":
            return False  # "un grupo anarquista griego": a group said to be Greek
        head = sent.tokens[tok.head]
        return any(k.dep == "nummod" for k in sent.kids(tok.i)) or (
            head.i != tok.i and head.lemma_norm in self.quantity_nouns and head.i < tok.i)

    def _before_demonym(self, sent: ParsedSentence, tok) -> bool:
        """"300 migrantes hondureños" parsed with the demonym as the head noun: the
        agent word is the noun."""
        head = sent.tokens[tok.head]
        return tok.pos == "ADJ" and tok.dep == "amod" and head.i == tok.i + 1 and \
            head.norm in self.dictionary.demonym_words

    def _agent_of_event(self, sent: ParsedSentence, tok) -> bool:
        """"el ataque guerrillero", "la represión policial": an agent adjective on an event
        noun names the actor, and so it does on a unit or group ("una columna guerrillera",
        "un grupo paramilitar"); "la base militar" stays a place."""
        return tok.pos == "ADJ" and tok.dep == "amod" and tok.head != tok.i and (
            sent.tokens[tok.head].lemma_norm in self.event_nouns or sent.tokens[tok.head].lemma_norm in self.group_nouns)

    def _unknown_people(self, sent: ParsedSentence, found: list[Atom]) -> list[Atom]:
        """People the parser's NER finds and the dictionaries do not know: kept as actors
        without a code, so events keep their text ("asesinaron a Geovanny Díaz")."""
        covered = {t for a in found for t in range(a.start, a.end)}
        extra: list[Atom] = []
        i = 0
        toks = sent.tokens
        while i < len(toks):
            if toks[i].ent_type == "PER" and toks[i].pos == "PROPN" and i not in covered:
                j = i
                while j + 1 < len(toks) and toks[j + 1].ent_type == "PER" and j + 1 not in covered \
                        and toks[j + 1].pos in ("PROPN", "NOUN", "ADJ"):  # not "Francisco reclamó"
                    j += 1
                name = " ".join(t.text for t in toks[i:j + 1])
                entry = ActorEntry("person", name, "", Evidence("(named entity)", 0, name))
                extra.append(Atom(i, j + 1, _span_head(sent, i, j + 1), entry, ""))
                i = j + 1
            else:
                i += 1
        if not extra:
            return found
        return sorted(found + extra, key=lambda a: a.start)

    # -- mentions ----------------------------------------------------------------
    def find(self, sent: ParsedSentence, date: str | None, memory: ArticleMemory | None = None,
             places_from: int | None = None) -> list[Mention]:
        """The sentence's actor mentions; tokens from `places_from` on are a list of place
        names (", META , GRANADA" after a report) and name no actor."""
        atoms = self.atoms(sent, date)
        if places_from is not None:
            atoms = [a for a in atoms if a.start < places_from]
        if memory is not None:
            atoms = memory.recall(sent, atoms, date)
        if not atoms:
            return []
        owner: dict[int, int] = {}  # token → atom index
        for n, atom in enumerate(atoms):
            for t in range(atom.start, atom.end):
                owner[t] = n
        parent: dict[int, int] = {}
        for n, atom in enumerate(atoms):
            target = self._attachment(sent, atom, owner)
            if target is not None and target != n:
                parent[n] = target
        # Break cycles (parser oddities) by dropping the later link.
        for n in list(parent):
            seen = {n}
            m = parent.get(n)
            while m is not None:
                if m in seen:
                    parent.pop(n, None)
                    break
                seen.add(m)
                m = parent.get(m)
        groups: dict[int, list[int]] = {}
        for n in range(len(atoms)):
            root = n
            while root in parent:
                root = parent[root]
            groups.setdefault(root, []).append(n)
        mentions = []
        for root, members in sorted(groups.items()):
            mention = self._compose(sent, atoms[root], [atoms[m] for m in members if m != root])
            if mention is not None:
                mentions.append(mention)
        if memory is not None:
            memory.learn(sent, atoms, mentions)
        return mentions

    def _attachment(self, sent: ParsedSentence, atom: Atom, owner: dict[int, int]) -> int | None:
        tok = sent.tokens[atom.head]
        if tok.head == tok.i:
            return None
        dep = tok.dep.split(":")[0]
        if dep == "conj":
            return _inside_a_name(sent, atom, owner)
        if dep not in _JOINING:
            return None
        if dep == "nmod":
            cases = [k.lemma_norm for k in sent.kids(tok.i, "case")]
            if cases and not set(cases) & _OF:
                # "opositores en Irán": a place that lends its country, not the same actor
                if atom.entry.kind in ("country", "city", "metonym") and "en" in cases:
                    return owner.get(tok.head)
                return None
        return owner.get(tok.head)

    def _compose(self, sent: ParsedSentence, root: Atom, members: list[Atom]) -> Mention | None:
        everyone = [root, *members]
        start = min(a.start for a in everyone)
        end = max(a.end for a in everyone)
        text = _span_text(sent, start, end)
        evidence = tuple(Evidence(a.entry.evidence.file, a.entry.evidence.line, a.entry.evidence.entry) for a in everyone)
        named = [a for a in everyone if a.entry.kind in ("person", "organization") and a.code]
        agents = [a for a in everyone if a.entry.kind == "agent"]
        places = [a for a in everyone if a.entry.kind in ("country", "metonym", "demonym", "city")]
        foreign = any(sent.tokens[t].lemma_norm in self.foreign_words or sent.tokens[t].norm in self.foreign_words
                      for t in range(start, end)) or any(
            k.lemma_norm in self.foreign_words for k in sent.kids(root.head, "amod")) or any(
            # "diplomáticos de siete países latinoamericanos"
            k.lemma_norm in self.foreign_words for n in sent.kids(root.head, "nmod") for k in sent.kids(n.i, "amod"))
        if root.entry.kind == "city" and not agents and not named:
            # A city is a place, never an actor: kept so events can take its country.
            return Mention(start=start, end=end, head=root.head, text=text, country=None, sectors=(),
                           kind="place", evidence=evidence, place_country=root.entry.code)
        if named:
            # "guerrilleros del Frente Jacobo Arenas de las FARC": a person named inside the
            # phrase names a unit; the organisation says whose it is
            best = root if root in named else next((a for a in named if a.entry.kind == "organization"), named[0])
            country, sectors = _split(best.code)
            if not sectors and agents:
                sectors = (agents[0].entry.sector or "",)
            kind = best.entry.kind
        elif root.entry.kind in ("agent", "person"):
            # an agent noun ("el ejército colombiano"), or a person the dictionaries do not
            # know, coded by the role in apposition ("el ministro de Defensa, Juan Pérez")
            sector = agents[0].entry.sector if agents else None
            if len(agents) > 1 and sent.tokens[agents[0].head].lemma_norm in self.group_nouns:
                sector = agents[1].entry.sector or sector
            country = None
            for a in places:
                country = _split(a.code or a.entry.code)[0]
                break
            sectors = (sector,) if sector else ()
            kind = "agent" if agents else "person"
        else:
            country, sectors = _split(root.code or root.entry.code)
            if root.entry.kind == "demonym":
                # "los rusos" as an actor: the country; as a bare adjective it is no actor,
                # unless it names who did an event ("el ataque ruso", "la incursión colombiana")
                adjective = sent.tokens[root.head]
                if adjective.pos == "ADJ" and adjective.dep in ("amod", "root") and not self._agent_of_event(sent, adjective):
                    return None
                # "miles de egipcios", "unos 300 bolivianos": counted people are civilians
                sectors = ("CVL",) if self._counted(sent, adjective) else ()
            if agents and not sectors:
                sectors = (agents[0].entry.sector or "",)
            kind = root.entry.kind
        explicit = country is not None and (root.entry.kind in ("country", "metonym", "demonym") or (
            kind in ("agent", "person") and bool(places)))
        place_country = None
        if root.entry.kind in ("country", "metonym"):
            place_country = (root.code or root.entry.code)[:3]
        return Mention(start=start, end=end, head=root.head, text=text, country=country,
                       sectors=tuple(s for s in sectors if s), kind=kind, evidence=evidence,
                       place_country=place_country, foreign=foreign and country is None,
                       explicit_country=explicit, city=root.also_city and not members)


def _inside_a_name(sent: ParsedSentence, atom: Atom, owner: dict[int, int]) -> int | None:
    """"el Sindicato de Trabajadores y Empleados Universitarios": a capitalised sector
    word joined by "y" to a capitalised word that completes another actor's name is
    part of that name, not a second actor ("el Ejército y la Policía" stay two)."""
    first = sent.tokens[atom.start]
    if atom.entry.kind != "agent" or atom.start < 2 or not first.text[:1].isupper() or first.text.isupper():
        return None
    conj, before = sent.tokens[atom.start - 1], sent.tokens[atom.start - 2]
    if conj.lemma_norm != "y" or not before.text[:1].isupper() or before.text.isupper():
        return None
    n = owner.get(before.i)
    return n if n is not None and n != owner.get(atom.head) and before.i != sent.tokens[before.i].head and (
        sent.tokens[before.i].dep.split(":")[0] in ("nmod", "flat", "appos")) else None


def _followed_by(sent: ParsedSentence, end: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    after = [t.norm for t in sent.tokens[end:end + max(len(ph) for ph in phrases)]]
    return any(tuple(after[:len(ph)]) == ph for ph in phrases)


def _longer_place_name(sent: ParsedSentence, end: int) -> bool:
    """A city name followed by "de"/"del" and a capitalised word names another place."""
    toks = sent.tokens
    return end + 1 < len(toks) and toks[end].norm in ("de", "del") and toks[end + 1].text[:1].isupper() \
        and not toks[end + 1].text.isupper()


def _nominal(tok) -> bool:
    """Agent words are nouns: "la base militar" has no MIL actor, "los militares" has."""
    if tok.pos in ("NOUN", "PROPN", "PRON"):
        return True
    # "un grupo de paramilitares": the parser keeps the adjective's tag on a noun after "de"
    return tok.pos == "ADJ" and tok.dep.split(":")[0] in ("nsubj", "obj", "iobj", "obl", "nmod", "conj", "appos", "root")


def _split(code: str) -> tuple[str | None, tuple[str, ...]]:
    if not code:
        return None, ()
    return code[:3], tuple(code[i:i + 3] for i in range(3, len(code), 3))


def _span_head(sent: ParsedSentence, start: int, end: int) -> int:
    for i in range(start, end):
        h = sent.tokens[i].head
        if h == i or not (start <= h < end):
            return i
    return end - 1


def _span_text(sent: ParsedSentence, start: int, end: int) -> str:
    toks = sent.tokens
    a = toks[start].idx
    b = toks[end - 1].idx + len(toks[end - 1].text)
    text = sent.text[a:b]
    if text.replace(" ", "") != "".join(t.text for t in toks[start:end]).replace(" ", ""):
        return " ".join(t.text for t in toks[start:end])
    return text


@lru_cache(maxsize=100_000)
def _token_pieces(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(normalised pieces, pieces as written) of one token, for the name trie."""
    parts = tuple(pieces(text)) or (text,)
    raw = tuple(_PIECE.findall(text))
    return parts, raw if len(raw) == len(parts) else (text,) * len(parts)
