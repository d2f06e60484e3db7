"""Read CoNLL-U (e.g. a UDPipe parse shipped with gold data) into ParsedSentence."""

from __future__ import annotations

from ..records import ParsedSentence, Token
from ..textnorm import normalize


def read_conllu(block: str, text: str | None = None, index: int = 0) -> ParsedSentence:
    """One sentence of CoNLL-U. Multi-word token lines ("25-26 DEL") are skipped in
    favour of their syntactic words; empty nodes ("8.1") are ignored."""
    rows = []
    for line in block.splitlines():
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 8 or "-" in cols[0] or "." in cols[0]:
            continue
        rows.append(cols)
    tokens: list[Token] = []
    pieces: list[str] = []
    offset = 0
    for n, cols in enumerate(rows):
        form, lemma, upos, feats, head, dep = cols[1], cols[2], cols[3], cols[5], cols[6], cols[7]
        misc = cols[9] if len(cols) > 9 else "_"
        head_i = int(head) - 1 if head.isdigit() and int(head) > 0 else n
        lemma = lemma if lemma != "_" else form
        tokens.append(Token(
            i=n, text=form, lemma=lemma, pos=upos, dep=("root" if dep == "root" else dep.lower()),
            head=head_i, morph="" if feats == "_" else feats, idx=offset,
            norm=normalize(form), lemma_norm=normalize(lemma),
        ))
        pieces.append(form)
        offset += len(form)
        if "SpaceAfter=No" not in misc:
            pieces.append(" ")
            offset += 1
    rebuilt = "".join(pieces).strip()
    return ParsedSentence(text=rebuilt if text is None else rebuilt, tokens=tokens, index=index)
