"""Is the event a fact? asserted, negated, hypothetical, future or attempted.

Read from the trigger's own clause (negation, future tense, conditional mood, a "si"
clause) and from the verbs that govern it ("se espera que...", "teme que...",
"intentó...", "amenazó con..."). Reported speech ("dijo que X atacó") is transparent:
the content keeps its own modality.
"""

from __future__ import annotations

from ..lang import LanguagePack
from ..records import ParsedSentence, Token

_GOVERNING = {"xcomp", "ccomp", "csubj", "advcl", "acl", "obj", "nsubj", "obl", "nmod", "parataxis"}
_PRECEDENCE = ("negated", "hypothetical", "future", "attempted", "asserted")


class ModalityResolver:
    def __init__(self, language: LanguagePack):
        g = language.grammar
        self.negation = g["negation"]
        self.future = g["future_governors"]
        self.hypothetical = g["hypothetical_governors"]
        self.attempt = g["attempt_governors"]
        self.negative = g["negative_governors"]
        self.speech = g["speech_verbs"]
        self.circumstance_preps = g["circumstance_preps"]
        self.threat_verbs = g["threat_with_verbs"]
        self.demand_nouns = g["demand_nouns"]

    def resolve(self, sent: ParsedSentence, trigger: Token, forced: str | None = None) -> str:
        found: set[str] = set()
        if forced:
            found.add(forced)
        self._own_clause(sent, trigger, found)
        subjunctive = self._subjunctive_complement(trigger)
        current = trigger
        for _ in range(6):  # climb the governing verbs
            if current.head == current.i:
                break
            dep = current.dep.split(":")[0]
            if dep == "conj" and not any(k.dep.startswith("nsubj") for k in sent.kids(current.i)):
                # "un proyecto que deploraba X y exigía Y": the second verb, sharing the
                # first one's subject, stands where the first does
                current = sent.tokens[current.head]
                continue
            if dep not in _GOVERNING:
                break
            governor = sent.tokens[current.head]
            if dep in ("advcl", "parataxis") and any(t.text == ";" for t in sent.tokens[governor.i:current.i]):
                break  # "intentaron tomar el aeropuerto; los enfrentamientos dejaron 17 muertos"
            lemma = governor.lemma_norm
            if lemma in self.speech:
                break
            if dep == "obl" and self._circumstance(sent, current, lemma):
                break  # "acordaron una tregua con la mediación de Catar": the mediation happened
            if dep in ("advcl", "xcomp") and any(k.lemma_norm in self.demand_nouns for k in sent.kids(governor.i, "obj")):
                # "dio un ultimátum a Hamás para liberar a los rehenes": demanded, not done
                found.add("hypothetical")
            if lemma in self.negative:
                found.add("negated")
            elif lemma in self.attempt:
                found.add("attempted")
            elif lemma in self.hypothetical:
                found.add("hypothetical")
            elif lemma in self.future and not (lemma == "ir" and governor.feature("Tense") == "Past"):
                found.add("future")
            if dep in ("xcomp", "ccomp", "csubj", "advcl") or (
                    current is trigger and trigger.pos == "NOUN" and dep in ("obj", "nsubj")):
                # "realizarán una marcha", "triplicará su ayuda": a noun's event has the
                # tense and mood of the verb that carries it
                self._own_clause(sent, governor, found, inherited=True)
            subjunctive = subjunctive or self._subjunctive_complement(governor)
            current = governor
        if "future" not in found and subjunctive:
            # "pidió que liberen", "para que envíe ayuda": wished for, not done
            found.add("hypothetical")
        for modality in _PRECEDENCE:
            if modality in found:
                return modality
        return "asserted"

    def _circumstance(self, sent: ParsedSentence, adjunct: Token, governor_lemma: str) -> bool:
        """An adjunct that says how or when, not what was asked, feared or agreed."""
        for case in sent.kids(adjunct.i, "case"):
            words = " ".join([case.norm, *(k.norm for k in sent.kids(case.i, "fixed"))])
            if words in self.circumstance_preps and not (
                    words == "con" and governor_lemma in self.threat_verbs):  # "amenazó con represalias"
                return True
        return False

    @staticmethod
    def _subjunctive_complement(verb: Token) -> bool:
        return verb.feature("Mood") == "Sub" and verb.dep.split(":")[0] in ("ccomp", "advcl", "csubj", "xcomp")

    def _own_clause(self, sent: ParsedSentence, verb: Token, found: set[str], inherited: bool = False) -> None:
        kids = sent.kids(verb.i)
        for child in kids:
            if child.dep.startswith("advmod") and child.norm in self.negation and not _number_sign(sent, child):
                found.add("negated")
            elif child.dep == "mark" and _conditional_si(sent, child) and not inherited or child.dep.startswith("advcl") and any(k.dep == "mark" and _conditional_si(sent, k) for k in sent.kids(child.i)):
                found.add("hypothetical")
            elif child.dep.startswith("aux"):
                if child.feature("Tense") == "Fut":
                    found.add("future")
                if child.feature("Mood") == "Cnd":
                    found.add("hypothetical")
        if verb.feature("Tense") == "Fut":
            found.add("future")
        if verb.feature("Mood") == "Cnd":
            found.add("hypothetical")


def _conditional_si(sent: ParsedSentence, tok: Token) -> bool:
    """"si" the conjunction, not "sí" written without its accent after a preposition
    ("dos hermanos entre si fueron muertos")."""
    return tok.norm == "si" and not (tok.i > 0 and sent.tokens[tok.i - 1].pos == "ADP")


def _number_sign(sent: ParsedSentence, tok: Token) -> bool:
    """"No." or "No 5" inside a sentence is "número", not negation ("las torres No. 4")."""
    if tok.text != "No" or tok.i == 0:
        return False
    after = sent.tokens[tok.i + 1].text if tok.i + 1 < len(sent.tokens) else ""
    return after == "." or after[:1].isdigit() or sent.tokens[tok.i - 1].pos in ("NOUN", "PROPN", "ADJ")
