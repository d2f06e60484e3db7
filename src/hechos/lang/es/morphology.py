"""Spanish morphology that data files cannot express: participles back to infinitives,
clitics on infinitives and gerunds."""

from __future__ import annotations

_PARTICIPLE_ENDINGS = (("ados", "ar"), ("adas", "ar"), ("ado", "ar"), ("ada", "ar"),
                       ("idos", "er"), ("idas", "er"), ("ido", "er"), ("ida", "er"))
_REFLEXIVE_ENDINGS = ("rse", "ndose", "rnos", "ndonos")


def verb_lemma_candidates(word: str) -> list[str]:
    """'detenidas' → ['detener', 'detenir']; 'golpeado' → ['golpear']. Word is
    accent-free lower case."""
    for ending, infinitive in _PARTICIPLE_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            if infinitive == "er":
                return [stem + "er", stem + "ir"]
            return [stem + infinitive]
    return []


def has_enclitic_se(word: str) -> bool:
    """'reunirse', 'enfrentándose' (accent-free: 'enfrentandose')."""
    return word.endswith(_REFLEXIVE_ENDINGS)
