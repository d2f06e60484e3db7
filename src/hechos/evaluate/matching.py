"""Match predicted events to gold events, sentence by sentence, and count.

Each gold event is used at most once: a maximum bipartite matching (augmenting
paths), not a greedy pass, so one early prediction cannot steal the only gold event
another prediction could have matched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..records import Event
from .gold import COUNTED_MODALITIES, GoldEvent, GoldSentence


def max_matching(n_left: int, n_right: int, edges: dict[int, list[int]]) -> dict[int, int]:
    """Maximum bipartite matching; returns {left: right}. Deterministic: tries the
    edges of each left node in the order given."""
    match_right: dict[int, int] = {}

    def augment(u: int, seen: set[int]) -> bool:
        for v in edges.get(u, []):
            if v in seen:
                continue
            seen.add(v)
            if v not in match_right or augment(match_right[v], seen):
                match_right[v] = u
                return True
        return False

    for u in range(n_left):
        augment(u, set())
    return {u: v for v, u in match_right.items()}


def _country(code: str | None) -> str | None:
    if code is None:
        return None
    if code.startswith("~") or code.startswith("---"):
        return None
    return code[:3]


def _norm_code(code: str | None) -> str:
    return (code or "").lstrip("~")


@dataclass
class Scores:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "predicted": self.predicted, "gold": self.gold}


@dataclass
class Agreement:
    agree: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.agree += int(ok)

    @property
    def accuracy(self) -> float | None:
        return round(self.agree / self.total, 4) if self.total else None


@dataclass
class SentenceOutcome:
    sentence: GoldSentence
    predictions: list[Event]
    root_pairs: dict[int, int]  # prediction index → gold index
    full_pairs: dict[int, int]


@dataclass
class Evaluation:
    root: Scores = field(default_factory=Scores)
    full: Scores = field(default_factory=Scores)
    source_country: Agreement = field(default_factory=Agreement)
    target_country: Agreement = field(default_factory=Agreement)
    source_code: Agreement = field(default_factory=Agreement)
    target_code: Agreement = field(default_factory=Agreement)
    pred_by_root: Counter = field(default_factory=Counter)
    pred_tp_by_root: Counter = field(default_factory=Counter)
    gold_by_label: Counter = field(default_factory=Counter)
    gold_tp_by_label: Counter = field(default_factory=Counter)
    confusion: Counter = field(default_factory=Counter)
    outcomes: list[SentenceOutcome] = field(default_factory=list)
    sentences: int = 0
    equivalent: tuple[frozenset[str], ...] = ()  # groups of roots scored as one

    def _accepts(self, gold: GoldEvent, code: str) -> bool:
        if gold.code.accepts_root(code):
            return True
        # --equivalent 14=15: roots a gold set's conversion does not keep apart
        return any(code[:2] in group and gold.code.roots & group and not gold.code.range_codes
                   for group in self.equivalent)

    def add(self, sentence: GoldSentence, events: list[Event]) -> SentenceOutcome:
        predictions = [e for e in events if e.modality in COUNTED_MODALITIES]
        gold = sentence.events
        self.sentences += 1
        root_edges = {i: [j for j, g in enumerate(gold) if self._accepts(g, p.cameo)]
                      for i, p in enumerate(predictions)}
        # Among equally good matchings prefer pairs whose full code also agrees.
        for i, js in root_edges.items():
            js.sort(key=lambda j, i=i: (not gold[j].code.accepts_full(predictions[i].cameo), j))
        root_pairs = max_matching(len(predictions), len(gold), root_edges)
        self.root.predicted += len(predictions)
        self.root.gold += len(gold)
        self.root.tp += len(root_pairs)
        full_pairs: dict[int, int] = {}
        if sentence.all_full:
            full_edges = {i: [j for j, g in enumerate(gold) if g.code.accepts_full(p.cameo)]
                          for i, p in enumerate(predictions)}
            full_pairs = max_matching(len(predictions), len(gold), full_edges)
            self.full.predicted += len(predictions)
            self.full.gold += len(gold)
            self.full.tp += len(full_pairs)
        for i, j in root_pairs.items():
            self._actors(predictions[i], gold[j])
        self._per_root(predictions, gold, root_pairs)
        outcome = SentenceOutcome(sentence, predictions, root_pairs, full_pairs)
        self.outcomes.append(outcome)
        return outcome

    def _actors(self, pred: Event, gold: GoldEvent) -> None:
        for gold_code, ref, country_acc, code_acc in (
                (gold.source, pred.source, self.source_country, self.source_code),
                (gold.target, pred.target, self.target_country, self.target_code)):
            if gold_code is None:
                continue
            pred_country = ref.country if ref is not None else None
            country_acc.add(_country(gold_code) == pred_country)
            code_acc.add(_norm_code(gold_code) == ((ref.code or "") if ref is not None else ""))

    def _per_root(self, predictions: list[Event], gold: list[GoldEvent], pairs: dict[int, int]) -> None:
        matched_gold = set(pairs.values())
        for i, p in enumerate(predictions):
            self.pred_by_root[p.cameo_root] += 1
            if i in pairs:
                self.pred_tp_by_root[p.cameo_root] += 1
                self.confusion[(gold[pairs[i]].code.label, p.cameo_root)] += 1
        for j, g in enumerate(gold):
            self.gold_by_label[g.code.label] += 1
            if j in matched_gold:
                self.gold_tp_by_label[g.code.label] += 1
        loose_gold = [g.code.label for j, g in enumerate(gold) if j not in matched_gold]
        loose_pred = [p.cameo_root for i, p in enumerate(predictions) if i not in pairs]
        for k in range(max(len(loose_gold), len(loose_pred))):
            g_label = loose_gold[k] if k < len(loose_gold) else "none"
            p_label = loose_pred[k] if k < len(loose_pred) else "none"
            self.confusion[(g_label, p_label)] += 1

    def by_root(self) -> list[tuple[str, float | None, float | None, float | None, int, int]]:
        """(label, precision, recall, f1, predicted, gold) per root or gold label."""
        rows = []
        for label in sorted(set(self.pred_by_root) | set(self.gold_by_label)):
            pc, gc = self.pred_by_root[label], self.gold_by_label[label]
            p = self.pred_tp_by_root[label] / pc if pc else None
            r = self.gold_tp_by_label[label] / gc if gc else None
            f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
            rows.append((label, p, r, f, pc, gc))
        return rows

    def summary(self) -> dict:
        return {
            "sentences": self.sentences,
            "gold_events": self.root.gold,
            "predicted_events": self.root.predicted,
            "root": self.root.as_dict(),
            "full": self.full.as_dict(),
            "source_country_accuracy": self.source_country.accuracy,
            "target_country_accuracy": self.target_country.accuracy,
            "source_code_accuracy": self.source_code.accuracy,
            "target_code_accuracy": self.target_code.accuracy,
            "actor_pairs_compared": {"source": self.source_country.total, "target": self.target_country.total},
        }
