"""Spanish morphology that data files cannot express: participles back to infinitives,
clitics on infinitives and gerunds."""

from __future__ import annotations

_PARTICIPLE_ENDINGS = (("ados", "ar"), ("adas", "ar"), ("ado", "ar"), ("ada", "ar"),
                       ("idos", "er"), ("idas", "er"), ("ido", "er"), ("ida", "er"))
_REFLEXIVE_ENDINGS = ("rse", "ndose", "rnos", "ndonos")
# irregular participles that news uses in passives ("fue muerto", "fueron presos")
_IRREGULAR_PARTICIPLES = {"muert": "morir", "abiert": "abrir", "puest": "poner", "hech": "hacer",
                          "dich": "decir", "rot": "romper", "vist": "ver", "escrit": "escribir",
                          "cubiert": "cubrir", "disuelt": "disolver", "absuelt": "absolver",
                          "devuelt": "devolver", "resuelt": "resolver", "impuest": "imponer",
                          "depuest": "deponer", "expuest": "exponer", "propuest": "proponer",
                          "prohibid": "prohibir", "electo": "elegir", "electa": "elegir"}


def verb_lemma_candidates(word: str) -> list[str]:
    """'detenidas' → ['detener', 'detenir']; 'golpeado' → ['golpear']. Word is
    accent-free lower case."""
    stem = word[:-1] if word.endswith(("o", "a")) else word[:-2] if word.endswith(("os", "as")) else ""
    if stem in _IRREGULAR_PARTICIPLES or word in _IRREGULAR_PARTICIPLES:
        return [_IRREGULAR_PARTICIPLES.get(stem) or _IRREGULAR_PARTICIPLES[word]]
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
