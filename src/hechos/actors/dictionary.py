"""Actor dictionaries: load, validate, and index every name for token-wise look-up.

Where does an actor code come from? From one entry of one of these files, found by
`ActorDictionary.match` in a sentence; the entry's file and line travel with the
mention (`Mention.evidence`) so `hechos explain` can show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..datafile import LINE_KEY, display_path, load_entries, require, string_list
from ..errors import DictionaryError
from ..records import Evidence
from ..textnorm import normalize

_PIECE = re.compile(r"\w+|[^\w\s]")
_CODE = re.compile(r"^[A-Z]{3}(?:[A-Z]{3})*$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

# Kinds, in the order that wins when two entries share a name.
KIND_PRIORITY = {"person": 0, "organization": 1, "metonym": 2, "country": 3, "city": 4, "demonym": 5, "agent": 6}


def pieces(text: str) -> list[str]:
    """Split into comparable pieces, independent of any tokenizer: 'EE.UU.' → ee . uu ."""
    return _PIECE.findall(normalize(text))


@dataclass(frozen=True, slots=True)
class Role:
    code: str
    start: str  # inclusive, ISO date prefix
    end: str | None  # exclusive


@dataclass(slots=True)
class ActorEntry:
    """One dictionary entry: what a name means."""

    kind: str
    key: str  # the entry's main name or code, for explanations
    code: str  # default code (country + sectors), '' for agents
    evidence: Evidence
    sector: str | None = None  # for agents
    roles: tuple[Role, ...] = ()
    before: str | None = None
    after: str | None = None
    case_sensitive: bool = False  # short acronyms only match upper-case text
    capitalized: bool = False  # "Consejo de Seguridad" (UN), not "un consejo de seguridad" (a meeting)
    capital_pieces: tuple[int, ...] = (0,)  # which pieces must be capitalised ("El Tiempo", not "El tiempo")
    not_before: tuple[tuple[str, ...], ...] = ()  # "corte", but not "corte de ruta" (a road blockade)

    def code_on(self, date: str | None) -> str:
        """The code this actor had on a date (roles are [from, to))."""
        if not self.roles or not date:
            return self.code
        for role in self.roles:
            if role.start <= date and (role.end is None or date < role.end):
                return role.code
        if date < self.roles[0].start:
            return self.before if self.before is not None else self.roles[0].code[:3]
        # Not in office on that date but was before: a former official.
        ended = [r for r in self.roles if r.end is not None and r.end <= date]
        if len(ended) == len(self.roles) and self.after is not None:
            return self.after
        return ended[-1].code[:3] + "ELI"


@dataclass(slots=True)
class _TrieNode:
    children: dict[str, _TrieNode] = field(default_factory=dict)
    entries: list[ActorEntry] = field(default_factory=list)


class ActorDictionary:
    """All actor names of one language pack, indexed by their pieces."""

    def __init__(self) -> None:
        self._root = _TrieNode()
        self.agent_lemmas: dict[str, ActorEntry] = {}
        self.demonym_words: set[str] = set()  # "hondureños": a parser may take it for the head noun
        self.size = 0
        self.files: list[str] = []

    # -- building -------------------------------------------------------------
    def add(self, name: str, entry: ActorEntry) -> None:
        parts = pieces(name)
        if not parts:
            return
        node = self._root
        for part in parts:
            node = node.children.setdefault(part, _TrieNode())
        for existing in node.entries:
            if existing.kind == entry.kind and existing.code == entry.code and existing.key == entry.key:
                # "FARC" and "Farc" in one entry: the mixed-case spelling lifts the
                # upper-case-only restriction of the acronym.
                existing.case_sensitive = existing.case_sensitive and entry.case_sensitive
                existing.capitalized = existing.capitalized and entry.capitalized
                existing.capital_pieces = tuple(sorted(set(existing.capital_pieces) & set(entry.capital_pieces)))
                return
        node.entries.append(entry)
        node.entries.sort(key=lambda e: KIND_PRIORITY[e.kind])
        self.size += 1
        if entry.kind == "agent" and len(parts) == 1:
            self.agent_lemmas.setdefault(parts[0], entry)
        if entry.kind == "demonym" and len(parts) == 1:
            self.demonym_words.add(parts[0])

    # -- look-up --------------------------------------------------------------
    def longest_match(self, keys: list[str], start: int, ends: set[int], raw: list[str]) -> tuple[int, list[ActorEntry]]:
        """Longest entry list matching pieces from `start`, ending on a token end."""
        node = self._root
        best_end, best = -1, []
        i = start
        while i < len(keys):
            nxt = node.children.get(keys[i])
            if nxt is None:
                break
            node = nxt
            i += 1
            if node.entries and i in ends:
                usable = [e for e in node.entries if (not e.case_sensitive or _upper_run(raw, start, i))
                          and (not e.capitalized or all(raw[start + k][:1].isupper() for k in e.capital_pieces))]
                if usable:
                    best_end, best = i, usable
        return best_end, best

    @property
    def root(self) -> _TrieNode:
        return self._root


def _upper_run(raw: list[str], start: int, end: int) -> bool:
    return all(not p.isalpha() or p.isupper() for p in raw[start:end])


def _proper(name: str) -> bool:
    """A capitalised name (not an acronym): matched only where the text capitalises it
    ("Rubio", not "rubio"; "Granada", not "una granada")."""
    return name[:1].isupper() and not _is_acronym(name)


def _capital_pieces(name: str) -> tuple[int, ...]:
    """The first word must be capitalised; after an article, the next one too ("El
    Tiempo", "El Mundo" are newspapers, "el tiempo", "El mundo" are not; "Reporteros sin
    fronteras" is still the NGO)."""
    raw = _PIECE.findall(name)
    if len(raw) > 1 and raw[0].lower() in ("el", "la", "los", "las") and raw[1][:1].isupper():
        return (0, 1)
    return (0,)


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "").replace("-", "")
    return name.isupper() and " " not in name and len(letters) <= 6


def _check_code(code: object, file: str, line: int) -> str:
    if not isinstance(code, str) or not _CODE.match(code):
        raise DictionaryError(file, line, f"invalid actor code {code!r} (3 upper-case letters, then 3-letter sectors)")
    return code


def _parse_roles(raw: object, file: str, line: int) -> tuple[Role, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise DictionaryError(file, line, "'roles' must be a list")
    roles = []
    for item in raw:
        if not isinstance(item, dict):
            raise DictionaryError(file, line, f"role must be a mapping: {item!r}")
        rline = item.get(LINE_KEY, line)
        code = _check_code(item.get("code"), file, rline)
        start = str(item.get("from", "")).strip()
        end = item.get("to")
        end = str(end).strip() if end is not None else None
        if not _DATE.match(start):
            raise DictionaryError(file, rline, f"role 'from' must be a date YYYY[-MM[-DD]]: {start!r}")
        if end is not None and (not _DATE.match(end) or end <= start):
            raise DictionaryError(file, rline, f"role 'to' must be a date after 'from': {end!r}")
        roles.append(Role(code, start, end))
    roles.sort(key=lambda r: r.start)
    return tuple(roles)


def load_actor_dictionary(folder: Path) -> ActorDictionary:
    """Load every actor file of a language pack's `actors/` folder."""
    index = ActorDictionary()
    files = {
        "countries.yaml": _load_countries,
        "metonyms.yaml": _load_named("metonym"),
        "organizations.yaml": _load_named("organization"),
        "agents.yaml": _load_agents,
    }
    for name, loader in files.items():
        path = folder / name
        if path.exists():
            loader(path, index)
            index.files.append(display_path(path))
    for path in sorted((folder / "people").glob("*.yaml")):
        _load_named("person")(path, index)
        index.files.append(display_path(path))
    return index


def _load_countries(path: Path, index: ActorDictionary) -> None:
    file = display_path(path)
    for entry in load_entries(path):
        line = entry[LINE_KEY]
        code = _check_code(require(entry, "code", str, file), file, line)
        if len(code) != 3:
            raise DictionaryError(file, line, f"a country code has 3 letters: {code!r}")
        evidence = Evidence(file, line, code)
        names = string_list(entry, "names", file, required=True)
        for name in names:
            # "Irán", "Chile", "Cuba", "Malta": lower-case they are "irán", "chile", "cuba"...
            index.add(name, ActorEntry("country", names[0], code, evidence, case_sensitive=_is_acronym(name),
                                       capitalized=_proper(name), capital_pieces=_capital_pieces(name)))
        for name in string_list(entry, "demonyms", file):
            index.add(name, ActorEntry("demonym", name, code, evidence))
        for name in string_list(entry, "cities", file):
            index.add(name, ActorEntry("city", name, code, evidence, capitalized=_proper(name),
                                       capital_pieces=_capital_pieces(name)))


def _load_named(kind: str):
    def load(path: Path, index: ActorDictionary) -> None:
        file = display_path(path)
        for entry in load_entries(path):
            line = entry[LINE_KEY]
            roles = _parse_roles(entry.get("roles"), file, line)
            if kind == "person":
                main = require(entry, "name", str, file)
                names = [main, *string_list(entry, "aliases", file)]
                if not roles and not entry.get("code"):
                    raise DictionaryError(file, line, f"person {main!r} needs 'roles' or 'code'")
                code = _check_code(entry["code"], file, line) if entry.get("code") else roles[-1].code
            else:
                code = _check_code(require(entry, "code", str, file), file, line)
                names = string_list(entry, "names", file, required=True)
                main = names[0]
            before = entry.get("before")
            after = entry.get("after")
            if not isinstance(entry.get("capitalized", False), bool):
                raise DictionaryError(file, line, "'capitalized' must be true or false")
            if before is not None:
                _check_code(before, file, line)
            if after is not None:
                _check_code(after, file, line)
            evidence = Evidence(file, line, main)
            for name in names:
                index.add(name, ActorEntry(kind, main, code, evidence, roles=roles, before=before,
                                           after=after, case_sensitive=_is_acronym(name),
                                           capitalized=(kind in ("person", "metonym") and _proper(name)) or (
                                               kind == "organization" and _proper(name)
                                               and (" " in name.strip() or bool(entry.get("capitalized")))),
                                           capital_pieces=_capital_pieces(name)))
    return load


def _load_agents(path: Path, index: ActorDictionary) -> None:
    file = display_path(path)
    for entry in load_entries(path):
        line = entry[LINE_KEY]
        sector = require(entry, "sector", str, file)
        if not re.fullmatch(r"[A-Z]{3}", sector):
            raise DictionaryError(file, line, f"invalid sector {sector!r}")
        not_before = tuple(tuple(normalize(w).split()) for w in string_list(entry, "not_before", file))
        for word in string_list(entry, "words", file, required=True):
            index.add(word, ActorEntry("agent", word, "", Evidence(file, line, word), sector=sector,
                                       not_before=not_before))
