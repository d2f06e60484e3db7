"""Verb and noun patterns: load, validate, and index by trigger lemma.

Matching never scans all patterns: a token's lemma selects the few patterns that can
fire on it (`PatternIndex.for_verb` / `for_noun`), so dictionary size does not slow
coding down.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..datafile import LINE_KEY, display_path, load_entries, require, string_list
from ..errors import DictionaryError
from ..ontology import cameo_table
from ..textnorm import normalize

DEFAULT_TARGETS = ("obj", "a", "contra", "con", "iobj", "hacia", "ante", "sobre", "clause")
MODALITY_OVERRIDES = {"future", "hypothetical"}
_FIELDS = {"id", "verb", "noun", "object", "object_prep", "reflexive", "target", "source", "place_target",
           "symmetric", "modality", "example", "code", "subject", "target_sector", "not_object", "note",
           "confidence", "genitive", "instrument", "not_oblique", "not_prep", "many_victims", "intransitive", LINE_KEY}


@dataclass(frozen=True, slots=True)
class Pattern:
    id: str
    code: str
    file: str
    line: int
    example: str
    verb: str | None = None  # normalised lemma
    noun: str | None = None
    objects: frozenset[str] = frozenset()  # normalised lemmas of the object head
    object_phrases: tuple[tuple[str, ...], ...] = ()  # multiword objects, word by word
    phrase_heads: frozenset[str] = frozenset()  # first words of object_phrases, for a quick test
    phrase_tails: frozenset[str] = frozenset()  # last words: "un alto el fuego" parsed with "fuego" as head
    noun_phrase: tuple[str, ...] = ()  # a multiword trigger noun, word by word
    object_prep: str | None = None
    reflexive: bool = False
    targets: tuple[str, ...] = DEFAULT_TARGETS
    place_target: bool = False
    symmetric: bool = False
    modality: str | None = None
    not_objects: frozenset[str] = frozenset()
    not_obliques: frozenset[str] = frozenset()  # "se movilizaba en su camioneta" is travel, not a protest
    not_preps: frozenset[str] = frozenset()  # "se reunieron frente al Congreso", not "con el ministro"
    many_victims: bool = False  # the target is counted ten or more ("asesinaron a 45 indígenas")
    intransitive: bool = False  # no object, no clause: "manifestaron en Berlín", not "manifestó que..."
    subject_sectors: frozenset[str] = frozenset()  # the source must have one of these sectors
    target_sectors: frozenset[str] = frozenset()  # the target must have one of these sectors
    confidence: float = 0.8
    source_required: bool = False  # "fue muerta por X" yes, "murió" no
    patient_subject: bool = False  # "resultaron heridos": the subject is the target, "por X" the source
    genitive_is_target: bool = False  # "la liberación de X": X is acted upon
    genitive_forces: bool = False  # "la represión de X": X acts if it is a force, else suffers
    instruments: frozenset[str] = frozenset()  # "de varios impactos de bala", "a tiros", "con drones"

    @property
    def specificity(self) -> int:
        """More constrained patterns win over bare verbs."""
        return (3 if self.objects or self.object_phrases else 0) + (1 if self.object_prep else 0) + (
            1 if self.reflexive else 0) + (2 if self.subject_sectors or self.target_sectors else 0) + (
            1 if self.noun_phrase else 0) + (4 if self.instruments else 0) + (  # a weapon says more than a victim noun
            5 if self.many_victims else 0)  # a massacre is one whatever the weapon


class PatternIndex:
    def __init__(self) -> None:
        self.by_verb: dict[str, list[Pattern]] = {}
        self.by_noun: dict[str, list[Pattern]] = {}
        self.patterns: list[Pattern] = []
        self.files: list[str] = []

    def add(self, pattern: Pattern) -> None:
        self.patterns.append(pattern)
        if pattern.verb:
            self.by_verb.setdefault(pattern.verb, []).append(pattern)
        if pattern.noun:
            self.by_noun.setdefault(pattern.noun, []).append(pattern)

    def finish(self) -> None:
        for table in (self.by_verb, self.by_noun):
            for lemma, plist in table.items():
                table[lemma] = sorted(plist, key=lambda p: (-p.specificity, p.id))

    def for_token(self, lemma_norm: str, norm: str, verb: bool) -> list[Pattern]:
        """Patterns keyed on the token's lemma and, when different, on its surface form
        (spaCy mis-lemmatises some forms; plural-headed noun phrases are keyed as written)."""
        table = self.by_verb if verb else self.by_noun
        by_lemma = table.get(lemma_norm, [])
        if norm == lemma_norm:
            return by_lemma
        by_form = table.get(norm, [])
        if not by_form:
            return by_lemma
        if not by_lemma:
            return by_form
        return sorted(by_lemma + by_form, key=lambda p: (-p.specificity, p.id))

    def for_verb(self, lemma_norm: str) -> list[Pattern]:
        return self.by_verb.get(lemma_norm, [])


def load_patterns(folder: Path) -> PatternIndex:
    index = PatternIndex()
    codes = cameo_table()
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        file = display_path(path)
        index.files.append(file)
        for entry in load_entries(path):
            pattern = _parse(entry, file, codes)
            if pattern.id in seen:
                raise DictionaryError(file, pattern.line, f"duplicate pattern id {pattern.id!r} (first in {seen[pattern.id]})")
            seen[pattern.id] = f"{file}:{pattern.line}"
            index.add(pattern)
    index.finish()
    return index


def _parse(entry: dict, file: str, codes: dict) -> Pattern:
    line = entry[LINE_KEY]
    unknown = set(entry) - _FIELDS
    if unknown:
        raise DictionaryError(file, line, f"unknown field(s): {', '.join(sorted(unknown))}")
    pid = str(require(entry, "id", (str, int), file))
    code = str(require(entry, "code", (str, int), file))
    if code not in codes:
        raise DictionaryError(file, line, f"pattern {pid!r}: {code!r} is not a CAMEO code (quote it: \"0{code}\"?)")
    verb, noun = entry.get("verb"), entry.get("noun")
    if bool(verb) == bool(noun):
        raise DictionaryError(file, line, f"pattern {pid!r}: give exactly one of 'verb' or 'noun'")
    example = require(entry, "example", str, file)
    targets = tuple(normalize(t) for t in string_list(entry, "target", file)) or DEFAULT_TARGETS
    source = entry.get("source")
    if source not in (None, "subject", "required", "agent", "agent-required"):
        raise DictionaryError(file, line, f"pattern {pid!r}: source must be 'subject', 'required', 'agent' "
                                          "or 'agent-required'")
    genitive = entry.get("genitive", "source")
    if genitive not in ("source", "target", "forces"):
        raise DictionaryError(file, line, f"pattern {pid!r}: genitive must be 'source', 'target' or 'forces'")
    modality = entry.get("modality")
    if modality is not None and modality not in MODALITY_OVERRIDES:
        raise DictionaryError(file, line, f"pattern {pid!r}: modality must be one of {sorted(MODALITY_OVERRIDES)}")
    objects = string_list(entry, "object", file)
    confidence = entry.get("confidence", 0.8 if verb else 0.6)
    if not isinstance(confidence, int | float) or not 0 < confidence <= 1:
        raise DictionaryError(file, line, f"pattern {pid!r}: confidence must be in (0, 1]")
    return Pattern(
        id=pid,
        code=code,
        file=file,
        line=line,
        example=example,
        verb=normalize(str(verb)) if verb else None,
        noun=normalize(str(noun)).split()[0] if noun else None,
        noun_phrase=tuple(normalize(str(noun)).split()) if noun and " " in str(noun).strip() else (),
        objects=frozenset(normalize(o) for o in objects if " " not in o.strip()),
        object_phrases=tuple(tuple(normalize(o).split()) for o in objects if " " in o.strip()),
        phrase_heads=frozenset(normalize(o).split()[0] for o in objects if " " in o.strip()),
        phrase_tails=frozenset(normalize(o).split()[-1] for o in objects if " " in o.strip()),
        object_prep=normalize(str(entry["object_prep"])) if entry.get("object_prep") else None,
        reflexive=bool(entry.get("reflexive", False)),
        targets=targets,
        place_target=bool(entry.get("place_target", False)),
        symmetric=bool(entry.get("symmetric", False)),
        modality=modality,
        not_objects=frozenset(normalize(o) for o in string_list(entry, "not_object", file)),
        not_obliques=frozenset(normalize(o) for o in string_list(entry, "not_oblique", file)),
        not_preps=frozenset(normalize(o) for o in string_list(entry, "not_prep", file)),
        many_victims=bool(entry.get("many_victims", False)),
        intransitive=bool(entry.get("intransitive", False)),
        subject_sectors=frozenset(string_list(entry, "subject", file)),
        target_sectors=frozenset(string_list(entry, "target_sector", file)),
        source_required=source in ("required", "agent-required"),
        patient_subject=source in ("agent", "agent-required"),
        genitive_is_target=genitive == "target",
        genitive_forces=genitive == "forces",
        instruments=frozenset(normalize(o) for o in string_list(entry, "instrument", file)),
        confidence=float(confidence),
    )
