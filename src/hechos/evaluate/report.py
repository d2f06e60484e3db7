"""`hechos evaluate`: run the pipeline on gold sentences, score, and explain errors."""

from __future__ import annotations

import json
import time
from collections import defaultdict

from ..errors import HechosError
from ..nlp.conllu import read_conllu
from ..pipeline import Pipeline
from ..records import Article
from ..textnorm import normalize
from .gold import GoldSentence, read_any
from .matching import Evaluation


def parse_equivalences(specs: list[str] | None) -> tuple[frozenset[str], ...]:
    """'14=15' → ({'14', '15'},): roots to score as one."""
    groups = []
    for spec in specs or []:
        roots = frozenset(part.strip() for part in spec.split("="))
        if len(roots) < 2 or not all(r.isdigit() and len(r) == 2 for r in roots):
            raise HechosError(f"--equivalent takes roots joined by '=', e.g. 14=15; got {spec!r}")
        groups.append(roots)
    return tuple(groups)


def evaluate_sentences(sentences: list[GoldSentence], pipeline: Pipeline, gold_parse: bool = False,
                       equivalent: tuple[frozenset[str], ...] = ()) -> Evaluation:
    evaluation = Evaluation(equivalent=equivalent)
    pipeline.load()
    if gold_parse:
        for s in sentences:
            if not s.parse:
                evaluation.add(s, [])
                continue
            parsed = read_conllu(s.parse, index=0)
            result = pipeline.code_parsed(Article(id=s.id, text=s.text, date=s.date), [parsed])
            evaluation.add(s, result.events)
        return evaluation
    articles = (Article(id=s.id, text=s.text, date=s.date) for s in sentences)
    for s, result in zip(sentences, pipeline.code_many(articles), strict=True):
        evaluation.add(s, result.events)
    return evaluation


def run_evaluation(args) -> int:
    started = time.perf_counter()
    sentences: list[GoldSentence] = []
    for path in args.gold:
        sentences.extend(read_any(path))
    # gold is annotated sentence by sentence: each statement is scored on its own
    pipeline = Pipeline(args.lang, batch_size=64, merge_mentions=False)
    equivalent = parse_equivalences(args.equivalent)
    evaluation = evaluate_sentences(sentences, pipeline, gold_parse=args.gold_parse, equivalent=equivalent)
    seconds = time.perf_counter() - started
    summary = evaluation.summary()
    summary["seconds"] = round(seconds, 2)
    summary["files"] = list(args.gold)
    summary["gold_parse"] = bool(args.gold_parse)
    summary["equivalent"] = ["=".join(sorted(g)) for g in equivalent]
    print(format_report(summary))
    if args.by_root:
        print()
        print(format_by_root(evaluation))
    if args.errors:
        print()
        print(format_errors(evaluation, args.errors))
    if args.json:
        print(json.dumps(summary, sort_keys=True))
    return 0


def _pct(x: float | None) -> str:
    return "  -  " if x is None else f"{x:5.3f}"


def format_report(s: dict) -> str:
    lines = [
        f"gold files: {', '.join(s['files'])}{'  (gold parses)' if s.get('gold_parse') else ''}"
        f"{'  (roots scored as one: ' + ', '.join(s['equivalent']) + ')' if s.get('equivalent') else ''}",
        f"sentences: {s['sentences']}   gold events: {s['gold_events']}   predicted events "
        f"(asserted/attempted/future): {s['predicted_events']}   time: {s['seconds']}s",
        "",
        "level   precision  recall  f1     tp",
    ]
    for level in ("root", "full"):
        r = s[level]
        lines.append(f"{level:<7} {_pct(r['precision'])}      {_pct(r['recall'])}   {_pct(r['f1'])}  {r['tp']}"
                     f"   (over {r['gold']} gold, {r['predicted']} predicted)")
    pairs = s["actor_pairs_compared"]
    lines += [
        "",
        f"actors on root-matched pairs: source country {_pct(s['source_country_accuracy'])} "
        f"(n={pairs['source']}), target country {_pct(s['target_country_accuracy'])} (n={pairs['target']})",
        f"                              source code    {_pct(s['source_code_accuracy'])}, "
        f"target code    {_pct(s['target_code_accuracy'])}",
    ]
    return "\n".join(lines)


def format_by_root(evaluation: Evaluation) -> str:
    lines = ["root        precision  recall  f1     predicted  gold"]
    for label, p, r, f, pc, gc in evaluation.by_root():
        lines.append(f"{label:<11} {_pct(p)}      {_pct(r)}   {_pct(f)}  {pc:>9}  {gc:>4}")
    gold_labels = sorted({g for g, _ in evaluation.confusion})
    pred_labels = sorted({p for _, p in evaluation.confusion}, key=lambda x: (x == "none", x))
    lines += ["", "confusion (rows: gold, columns: predicted root; 'none' = no match)"]
    header = "gold \\ pred".ljust(12) + "".join(f"{p:>6}" for p in pred_labels)
    lines.append(header)
    for g in sorted(gold_labels, key=lambda x: (x == "none", x)):
        lines.append(g.ljust(12) + "".join(f"{evaluation.confusion.get((g, p), 0) or '.':>6}" for p in pred_labels))
    return "\n".join(lines)


def format_errors(evaluation: Evaluation, limit: int) -> str:
    """Errors grouped by what would fix them: a missing trigger word (many misses of
    the same word = one dictionary entry to add) or a rule that fires wrongly."""
    missed: dict[str, list[tuple]] = defaultdict(list)
    spurious: dict[str, list[tuple]] = defaultdict(list)
    for outcome in evaluation.outcomes:
        matched_gold = set(outcome.root_pairs.values())
        for j, g in enumerate(outcome.sentence.events):
            if j not in matched_gold:
                key = normalize(g.event_text.split()[0]) if g.event_text.strip() else "(no trigger given)"
                missed[key].append((outcome, g))
        for i, p in enumerate(outcome.predictions):
            if i not in outcome.root_pairs:
                spurious[p.rule].append((outcome, p))
    groups = [("missed", k, v) for k, v in missed.items()] + [("spurious", k, v) for k, v in spurious.items()]
    groups.sort(key=lambda g: (-len(g[2]), g[0], g[1]))
    lines = [f"most instructive errors (grouped; {sum(len(v) for v in missed.values())} missed gold events, "
             f"{sum(len(v) for v in spurious.values())} spurious predictions):"]
    for kind, key, items in groups[:limit]:
        outcome, item = items[0]
        s = outcome.sentence
        predicted = ", ".join(f"{p.cameo}[{p.rule}]" for p in outcome.predictions) or "nothing"
        if kind == "missed":
            lines.append(f"\n- MISSED ×{len(items)}: expected trigger {key!r} → gold {item.code.raw} "
                         f"({item.source or '?'} → {item.target or '?'})")
            lines.append(f"  e.g. {s.id}: {s.text[:220]}")
            lines.append(f"  gold trigger {item.event_text!r}, source {item.source_text!r}, target "
                         f"{item.target_text!r}; predicted: {predicted}")
        else:
            gold = ", ".join(g.code.raw for g in s.events) or "no event"
            lines.append(f"\n- SPURIOUS ×{len(items)}: rule {key!r} ({item.cameo} {item.cameo_label}) "
                         f"on trigger {item.trigger!r}")
            lines.append(f"  e.g. {s.id}: {s.text[:220]}")
            lines.append(f"  gold: {gold}; predicted {item.source.code if item.source else '-'} → "
                         f"{item.target.code if item.target else '-'}")
    return "\n".join(lines)
