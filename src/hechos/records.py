"""Plain typed records that flow through the pipeline.

ingest → Article; nlp → ParsedSentence (Token); actors → Mention; events → Event.
Every stage takes and returns these, so a stage can be tested, replaced or fed from
another source (a CoNLL-U gold parse instead of spaCy, for instance) on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from input."""

    id: str
    text: str
    date: str | None = None  # YYYY-MM-DD, the publication date
    lang: str = "es"
    title: str | None = None
    url: str | None = None
    source: str | None = None


@lru_cache(maxsize=4096)
def _features(morph: str) -> dict[str, str]:
    """"Mood=Ind|Tense=Fut" → {"Mood": "Ind", "Tense": "Fut"}; a few hundred distinct
    strings in a whole corpus, read thousands of times a second."""
    return dict(part.partition("=")[::2] for part in morph.split("|") if part)


@dataclass(slots=True)
class Token:
    """A token of a dependency parse, independent of the parser that produced it."""

    i: int  # index within the sentence
    text: str
    lemma: str
    pos: str  # universal POS tag
    dep: str  # universal dependency relation, lower case; the root has "root"
    head: int  # index of the head within the sentence; the root points to itself
    morph: str = ""  # UD feature string, e.g. "Mood=Ind|Tense=Fut"
    ent_type: str = ""  # named-entity label, when the parser gives one
    idx: int = 0  # character offset within the sentence text
    norm: str = ""  # accent-free lower-case form used for dictionary look-up
    lemma_norm: str = ""

    def feature(self, name: str) -> str | None:
        return _features(self.morph).get(name)


@dataclass(slots=True)
class ParsedSentence:
    """A sentence with its tokens and the dependency tree over them."""

    text: str
    tokens: list[Token]
    index: int = 0  # 0-based position of the sentence in its article
    children: list[list[int]] = field(default_factory=list)

    base_deps: list[str] = field(default_factory=list)  # "nsubj:pass" → "nsubj"

    def __post_init__(self) -> None:
        if not self.children:
            kids: list[list[int]] = [[] for _ in self.tokens]
            for tok in self.tokens:
                if tok.head != tok.i:
                    kids[tok.head].append(tok.i)
            self.children = kids
        if not self.base_deps:
            self.base_deps = [tok.dep.split(":", 1)[0] for tok in self.tokens]

    def kids(self, i: int, *deps: str) -> list[Token]:
        children = self.children[i]
        if not children:
            return []
        toks = self.tokens
        if not deps:
            return [toks[c] for c in children]
        base = self.base_deps
        return [toks[c] for c in children if base[c] in deps or toks[c].dep in deps]

    def subtree(self, i: int) -> list[int]:
        out = [i]
        stack = list(self.children[i])
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(self.children[j])
        out.sort()
        return out


@dataclass(frozen=True, slots=True)
class Evidence:
    """Which dictionary entry said what: file, line and the entry's key."""

    file: str
    line: int
    entry: str


@dataclass(slots=True)
class Mention:
    """An actor mention: a span of a sentence with its CAMEO-style code."""

    start: int  # first token index (inclusive)
    end: int  # last token index (exclusive)
    head: int  # syntactic head token of the mention
    text: str
    country: str | None  # ISO alpha-3, "IGO", "NGO", ... or None
    sectors: tuple[str, ...]
    kind: str  # person | organization | country | metonym | agent
    evidence: tuple[Evidence, ...] = ()
    place_country: str | None = None  # when the mention is used as a place
    foreign: bool = False  # "extranjeros": must not inherit a country from context
    explicit_country: bool = False  # the country is stated in the text (name, demonym, place)
    resolved_from: str | None = None  # anaphora: the earlier mention it stands for
    city: bool = False  # a metonym that is also a city ("Kiev", not "el Kremlin")

    @property
    def code(self) -> str:
        return (self.country or "") + "".join(self.sectors)


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An event argument as it appears in output."""

    text: str
    code: str | None  # None: an actor no dictionary knows (its text is still given)
    country: str | None
    sector: str | None
    span: tuple[int, int] | None = None  # character offsets in the event's sentence
    # the earlier mention this actor was resolved from ("el mandatario" → "Gustavo
    # Petro", sentence 0): "text (sentence N)"; None when the sentence names the actor
    resolved_from: str | None = None

    def as_dict(self) -> dict:
        return {"text": self.text, "code": self.code, "country": self.country, "sector": self.sector,
                "span": list(self.span) if self.span else None, "resolved_from": self.resolved_from}


@dataclass(frozen=True, slots=True)
class Place:
    """A geocoded place: a gazetteer entry, or a country centroid."""

    name: str  # the gazetteer's name (not the text's spelling)
    country: str | None  # ISO alpha-3
    admin1: str | None  # first-level region name, when known
    lat: float | None
    lon: float | None
    feature: str  # country | admin1 | city | site
    text: str = ""  # as written in the article
    how: str = ""  # why this place: "verb" | "sentence" | "dateline" | "article", + disambiguation note

    def as_dict(self) -> dict:
        return {"name": self.name, "country": self.country, "admin1": self.admin1,
                "lat": self.lat, "lon": self.lon, "feature": self.feature, "text": self.text, "how": self.how}


@dataclass(slots=True)
class Quote:
    """A quotation or a piece of reported speech, with its speaker."""

    article_id: str
    sentence_index: int
    quote: str  # the quoted words (reported speech: the content clause)
    speaker: ActorRef | None
    verb: str | None  # the speech verb as written ("declaró", "advirtió"), or "según"
    kind: str = "direct"  # direct («...», "...", “...”) | reported ("X dijo que ...", "según X")
    event_id: str | None = None  # the event this quote belongs to, when there is one
    quote_id: str = ""

    def as_dict(self) -> dict:
        return {"type": "quote", "quote_id": self.quote_id, "article_id": self.article_id,
                "sentence_index": self.sentence_index, "quote": self.quote,
                "speaker": self.speaker.as_dict() if self.speaker else None, "verb": self.verb,
                "kind": self.kind, "event_id": self.event_id}


MODALITIES = ("asserted", "negated", "hypothetical", "future", "attempted")


@dataclass(slots=True)
class Event:
    """One coded event, with everything needed to explain it."""

    article_id: str
    sentence_index: int
    sentence: str
    trigger: str
    trigger_index: int
    cameo: str
    cameo_root: str
    cameo_label: str
    plover_type: str | None
    plover_mode: str | None
    goldstein: float
    quad_class: int
    source: ActorRef | None
    target: ActorRef | None
    modality: str
    rule: str
    confidence: float
    date: str | None = None  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    symmetric: bool = False
    event_id: str = ""
    trigger_span: tuple[int, int] | None = None  # character offsets of the trigger word
    date_precision: str | None = None  # day | month | year
    date_source: str = "none"  # text | article | none
    date_phrase: str | None = None  # the words that gave the date ("el pasado martes")
    location: Place | None = None
    mentions: int = 1  # how many sentences of the article state this event
    sentence_indexes: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "type": "event",
            "event_id": self.event_id,
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "trigger": self.trigger,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "cameo_label": self.cameo_label,
            "plover_type": self.plover_type,
            "plover_mode": self.plover_mode,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "source": self.source.as_dict() if self.source else None,
            "target": self.target.as_dict() if self.target else None,
            "modality": self.modality,
            "symmetric": self.symmetric,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
            "date_phrase": self.date_phrase,
            "location": self.location.as_dict() if self.location else None,
            "mentions": self.mentions,
            "sentence_indexes": list(self.sentence_indexes) or [self.sentence_index],
            "trigger_span": list(self.trigger_span) if self.trigger_span else None,
            "confidence": self.confidence,
            "rule": self.rule,
        }


@dataclass(slots=True)
class ArticleResult:
    """What the pipeline returns for one article."""

    article: Article
    sentences: list[ParsedSentence]
    mentions: list[list[Mention]]  # per sentence
    events: list[Event]
    quotes: list[Quote] = field(default_factory=list)
    coder: str = ""  # `pipeline.coder_fingerprint`: the code and dictionaries that coded it
