"""The one function every entry point calls: article in, events out.

    pipeline = Pipeline("es")
    result = pipeline.code(Article(id="a1", text="...", date="2024-03-01"))

`code_many` batches parsing through spaCy's `nlp.pipe`; `code_parsed` takes sentences
parsed elsewhere (a CoNLL-U gold parse), which is how `evaluate --gold-parse` separates
parser errors from coder errors.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Iterable, Iterator
from functools import cache, cached_property
from pathlib import Path

from .actors.dictionary import ActorDictionary, load_actor_dictionary
from .actors.finder import ArticleMemory, MentionFinder
from .context.coref import ArticleCoreference, CorefRules, load_coref_rules
from .context.dates import DateResolver
from .context.dedup import merge_mentions
from .context.places import PlaceLocator, place_tail
from .context.quotes import QuoteExtractor
from .events.coder import EventCoder, SentenceCoding
from .events.patterns import PatternIndex, load_patterns
from .lang import LanguagePack, get_language
from .records import ActorRef, Article, ArticleResult, ParsedSentence

# Text beyond this many characters of one article is not coded: parsing time grows with
# it, and such inputs are dumps (tables, lists) rather than news.
MAX_ARTICLE_CHARS = 200_000


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")


@cache
def coder_fingerprint(lang: str = "es") -> str:
    """What coded an article: a hash of hechos' own code and the language pack's
    dictionaries. The store keeps it with each article, so that after a dictionary or
    code change the same text is coded again instead of being skipped as unchanged."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    files = sorted(package.rglob("*.py")) + sorted(f for f in get_language(lang).folder.rglob("*")
                                                   if f.is_file() and f.suffix in (".yaml", ".tsv", ".py"))
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs, each on one line: parsers attach stray newline tokens to the tree."""
    return [p for p in (_SPACES.sub(" ", part).strip() for part in _PARAGRAPH_BREAK.split(text)) if p]


class Pipeline:
    def __init__(self, lang: str = "es", batch_size: int = 64, merge_mentions: bool = True):
        self.language: LanguagePack = get_language(lang)
        self.batch_size = batch_size
        # one record per happening within an article; `evaluate` scores sentence by
        # sentence and turns it off
        self.merge_mentions = merge_mentions

    # Loading is lazy so that `hechos --help` and data checks stay fast.
    @cached_property
    def actors(self) -> ActorDictionary:
        return load_actor_dictionary(self.language.actors_folder)

    @cached_property
    def patterns(self) -> PatternIndex:
        return load_patterns(self.language.events_folder)

    @cached_property
    def finder(self) -> MentionFinder:
        return MentionFinder(self.actors, self.language.grammar["foreign_words"], self.language.grammar["unit_nouns"],
                             event_nouns=frozenset(self.patterns.by_noun),
                             group_nouns=self.language.grammar["group_nouns"],
                             quantity_nouns=self.language.grammar["quantity_nouns"])

    @cached_property
    def coder(self) -> EventCoder:
        return EventCoder(self.patterns, self.language)

    @cached_property
    def dates(self) -> DateResolver:
        return DateResolver(self.language)

    @cached_property
    def places(self) -> PlaceLocator:
        return PlaceLocator(self.language)

    @cached_property
    def quotes(self) -> QuoteExtractor:
        return QuoteExtractor(self.language)

    @cached_property
    def coref_rules(self) -> CorefRules:
        return load_coref_rules(self.language)

    @cached_property
    def parser(self):
        from .nlp.diacritics import load_restorer
        from .nlp.spacy_backend import SpacyParser

        accents = self.language.folder / "accents.tsv"
        restorer = load_restorer(accents) if accents.exists() else None
        return SpacyParser(self.language.model, batch_size=self.batch_size, restorer=restorer)

    def load(self) -> Pipeline:
        """Load dictionaries and model now (and fail now on a bad dictionary)."""
        _ = self.actors, self.patterns, self.coder, self.finder, self.coref_rules, self.dates, self.places, self.quotes
        return self

    # -- coding ----------------------------------------------------------------------
    def code(self, article: Article) -> ArticleResult:
        return next(self.code_many([article]))

    def code_many(self, articles: Iterable[Article]) -> Iterator[ArticleResult]:
        """Parse paragraphs of many articles in one `nlp.pipe` stream, then code each
        article as soon as all its paragraphs are back."""
        self.load()
        pending: deque[tuple[Article, int, str | None]] = deque()  # article, its paragraphs, dateline

        def texts() -> Iterator[str]:
            for article in articles:
                paragraphs = split_paragraphs(article.text[:MAX_ARTICLE_CHARS]) or [article.text.strip()]
                dateline = None
                # the lead opens with it, after the headline when there is one
                for n in range(min(2, len(paragraphs))):
                    dateline, rest = self.places.split_dateline(paragraphs[n])
                    if dateline is not None:
                        if rest:
                            paragraphs[n] = rest
                        else:
                            del paragraphs[n]
                        break
                pending.append((article, len(paragraphs), dateline))
                yield from paragraphs

        collected: list[ParsedSentence] = []
        paragraph_of: list[int] = []
        done = 0
        for sentences in self.parser.parse(texts()):
            collected.extend(sentences)
            paragraph_of.extend([done] * len(sentences))
            done += 1
            if pending and done == pending[0][1]:
                article, _, dateline = pending.popleft()
                for n, sent in enumerate(collected):
                    sent.index = n
                yield self.code_parsed(article, collected, dateline=dateline, paragraphs=paragraph_of)
                collected, paragraph_of, done = [], [], 0

    def code_parsed(self, article: Article, sentences: list[ParsedSentence], explain: bool = False,
                    dateline: str | None = None, paragraphs: list[int] | None = None) -> ArticleResult:
        """Code parsed sentences of one article: actors and events sentence by sentence,
        with the article's context (who "he" is) carried along; then one event per
        happening."""
        mentions = []
        events = []
        self.load()
        memory = ArticleMemory()
        coref = ArticleCoreference(self.coref_rules)
        geo = self.places.article_geo(article, sentences, dateline)
        topics: dict[int, ArticleCoreference] = {}  # coreference state before each sentence
        for sent in sentences:
            topics[sent.index] = coref.snapshot()
            found = self.finder.find(sent, article.date, memory, places_from=place_tail(sent))
            if sent.index == geo.dateline_sentence and geo.dateline_chars:
                # "MOSCÚ, 5 jun (EFE) –" says where the story was filed, not who acted
                found = [m for m in found if sent.tokens[m.start].idx >= geo.dateline_chars]
            found = coref.resolve_mentions(sent, found)
            mentions.append(found)
            coding = self.coder.code_sentence(sent, found, article.id, explain=explain,
                                              implicit_subject=coref.implicit_subject(sent))
            sentence_events = coref.resolve_events(sent, coding.events)
            coref.observe(sent, found, sentence_events)
            for event in sentence_events:
                when = self.dates.resolve(sent, event.trigger_index, article.date)
                event.date, event.date_precision = when.date, when.precision
                event.date_source, event.date_phrase = when.source, when.phrase
                countries = [a.country for a in (event.source, event.target) if a is not None and a.country]
                event.location = self.places.locate(sent, event.trigger_index, countries, geo)
            events.extend(sentence_events)

        def speaker(sentence_index: int, verb_index: int) -> ActorRef | None:
            """The speaker of "Señaló que …": the topic before that sentence."""
            state = topics.get(sentence_index)
            if state is None:
                return None
            sent = sentences[sentence_index]
            found = state.implicit_subject(sent)(sent.tokens[verb_index], None)
            if found is None:
                return None
            return ActorRef(found.text, found.code or None, found.country, found.sectors[0] if found.sectors else None,
                            None, found.resolved_from)

        quotes = self.quotes.extract(article.id, sentences, mentions, events, resolve_speaker=speaker,
                                     paragraphs=paragraphs)
        if self.merge_mentions:
            events = merge_mentions(events, quotes)
        return ArticleResult(article=article, sentences=sentences, mentions=mentions, events=events, quotes=quotes,
                             coder=coder_fingerprint(self.language.code))

    def explain_sentence(self, sent: ParsedSentence, date: str | None) -> tuple[list, SentenceCoding]:
        self.load()
        found = self.finder.find(sent, date)
        return found, self.coder.code_sentence(sent, found, "explain", explain=True)
