"""`make bench`: hechos end to end against bare spaCy, plus a coder-only figure.

Corpus: at least 2,000 distinct sentences — the development gold sentences when
../shared/gold is present, every dictionary pattern's example sentence, and sentences
recombined from hand-written news fragments until the target is reached. No sentence
is repeated (repeats would flatter any cache).

Prints both throughputs, their ratio and peak memory, then one JSON line; also writes
docs/performance.md with the machine description.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from machine import cpu_model

from hechos.evaluate.gold import read_gold
from hechos.nlp.conllu import read_conllu
from hechos.pipeline import Pipeline
from hechos.records import Article
from hechos.store import EventStore

ROOT = Path(__file__).resolve().parents[1]
SHARED_GOLD = ROOT.parent / "shared" / "gold"
TARGET_SENTENCES = 2400
ROUNDS = 2
BATCH = 64

SUBJECTS = [
    "El gobierno de Colombia", "El ejército venezolano", "La policía peruana", "Los manifestantes",
    "El presidente de Brasil", "La Unión Europea", "Rusia", "Estados Unidos", "El canciller chino",
    "Guerrilleros del ELN", "Los estudiantes universitarios", "El ministro de Defensa israelí",
    "Miles de trabajadores", "La ONU", "Hamás", "El primer ministro británico", "Los campesinos bolivianos",
    "El Tribunal Supremo", "La OTAN", "Hombres armados", "Los maestros chilenos", "El portavoz del Kremlin",
    "Las disidencias de las FARC", "El gobierno mexicano", "Los transportistas argentinos", "Irán",
    "La fiscalía ecuatoriana", "Turquía", "Los talibanes", "El alcalde de Medellín",
]
PREDICATES = [
    "condenó el ataque contra", "se reunió con representantes de", "anunció nuevas sanciones contra",
    "pidió ayuda humanitaria a", "acusó de corrupción a", "rechazó la propuesta de", "amenazó con represalias a",
    "marchó hacia la sede de", "detuvo a varios dirigentes de", "atacó una base de", "liberó a dos rehenes de",
    "firmó un acuerdo de cooperación con", "expulsó a los diplomáticos de", "negoció un alto el fuego con",
    "criticó duramente la política de", "visitó la capital de", "exigió explicaciones a",
    "bombardeó posiciones de", "protestó frente a la embajada de", "investigó los vínculos de",
]
OBJECTS = [
    "Ucrania", "Venezuela", "los rebeldes", "la oposición", "Israel", "China", "el gobierno argentino",
    "los sindicatos", "la guerrilla", "Cuba", "Siria", "los carteles", "la Unión Africana", "Japón",
    "el Parlamento Europeo", "Nicaragua", "los colonos", "Egipto", "la policía local", "Corea del Norte",
]
TAILS = [
    ".", " el pasado martes.", " tras semanas de tensión.", ", según fuentes oficiales.", " en la frontera.",
    " durante la madrugada.", ", informó la agencia estatal.", " a pesar de las críticas internacionales.",
    " en una jornada de gran tensión.", ", de acuerdo con un comunicado.",
]


def build_corpus(pipeline: Pipeline) -> tuple[list[str], dict[str, int]]:
    seen: dict[str, None] = {}
    sources = {"gold": 0, "pattern_examples": 0, "recombined": 0}
    if SHARED_GOLD.exists():
        for path in sorted(SHARED_GOLD.glob("*.xml")):
            for s in read_gold(path):
                if s.text not in seen:
                    seen[s.text] = None
                    sources["gold"] += 1
    for p in pipeline.patterns.patterns:
        if p.example not in seen:
            seen[p.example] = None
            sources["pattern_examples"] += 1
    rng = random.Random(20261125)
    while len(seen) < TARGET_SENTENCES:
        text = f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"
        if text not in seen:
            seen[text] = None
            sources["recombined"] += 1
    return list(seen), sources


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024




def main() -> int:
    pipeline = Pipeline("es", batch_size=BATCH).load()
    nlp = pipeline.parser.nlp
    texts, sources = build_corpus(pipeline)
    assert len(set(texts)) == len(texts) >= 2000
    # warm-up on text outside the corpus so neither run pays first-call costs
    list(nlp.pipe(["El gobierno anunció medidas económicas.", "La policía detuvo a tres personas."]))

    def spacy_run() -> float:
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=BATCH):
            pass
        return time.perf_counter() - t0

    def hechos_run() -> tuple[float, int]:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            n_events = 0
            with EventStore(Path(tmp) / "bench.duckdb") as store:
                articles = (Article(id=f"b{n}", text=t, date="2024-06-01") for n, t in enumerate(texts))
                for result in pipeline.code_many(articles):
                    n_events += len(result.events)
                    store.add(result)
            return time.perf_counter() - t0, n_events

    # Best of ROUNDS, interleaved: on a shared 2-core machine one run can lose 10% to a
    # neighbour, and the ratio of two single runs swung between 0.77 and 0.84.
    spacy_times, hechos_times = [], []
    for _ in range(ROUNDS):
        spacy_times.append(spacy_run())
        seconds, n_events = hechos_run()
        hechos_times.append(seconds)
    spacy_s, hechos_s = min(spacy_times), min(hechos_times)

    # Coder only: our own cost on given parses (gold CoNLL-U when available).
    parsed: list[tuple[Article, list]] = []
    parse_source = "spaCy parses made beforehand"
    if SHARED_GOLD.exists():
        parse_source = "gold CoNLL-U parses (--gold-parse)"
        for path in sorted(SHARED_GOLD.glob("*.xml")):
            for s in read_gold(path):
                if s.parse:
                    parsed.append((Article(id=s.id, text=s.text, date=s.date), [read_conllu(s.parse)]))
    if not parsed:
        for n, sents in enumerate(pipeline.parser.parse(texts[:1000])):
            parsed.append((Article(id=f"p{n}", text=texts[n], date="2024-06-01"), sents))
    rounds = 3
    t0 = time.perf_counter()
    coder_events = 0
    for _ in range(rounds):
        for article, sents in parsed:
            coder_events += len(pipeline.code_parsed(article, sents).events)
    coder_s = time.perf_counter() - t0
    coder_sentences = rounds * sum(len(s) for _, s in parsed)

    n = len(texts)
    figures = {
        "sentences": n,
        "spacy_sentences_per_s": round(n / spacy_s, 1),
        "hechos_sentences_per_s": round(n / hechos_s, 1),
        "ratio": round(spacy_s / hechos_s, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "events": n_events,
        "coder_only_sentences_per_s": round(coder_sentences / coder_s, 1),
    }
    print(f"corpus: {n} distinct sentences ({sources['gold']} gold, {sources['pattern_examples']} pattern "
          f"examples, {sources['recombined']} recombined)")
    print(f"bare spaCy (nlp.pipe, batch {BATCH}):   {figures['spacy_sentences_per_s']:>8} sentences/s")
    print(f"hechos end to end to DuckDB:        {figures['hechos_sentences_per_s']:>8} sentences/s "
          f"({n_events} events)")
    print(f"ratio hechos / spaCy:               {figures['ratio']:>8}   (target ≥ 0.8)")
    print(f"coder only, {parse_source}: {figures['coder_only_sentences_per_s']} sentences/s")
    print(f"peak RSS:                           {figures['peak_rss_mb']:>8} MB (target < 1500)")
    write_doc(figures, sources, parse_source)
    print(json.dumps({k: figures[k] for k in ("sentences", "spacy_sentences_per_s", "hechos_sentences_per_s",
                                               "ratio", "peak_rss_mb", "coder_only_sentences_per_s")}))
    return 0


def write_doc(figures: dict, sources: dict, parse_source: str) -> None:
    doc = ROOT / "docs" / "performance.md"
    machine = f"{os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}, {platform.system()}"
    row = (f"| {date.today().isoformat()} | {machine} | {figures['sentences']} | {figures['spacy_sentences_per_s']} | "
           f"{figures['hechos_sentences_per_s']} | {figures['ratio']} | {figures['coder_only_sentences_per_s']} | "
           f"{figures['peak_rss_mb']} |")
    header = ("# Performance\n\nProduced by `make bench` (`benchmarks/bench.py`). Corpus: distinct sentences "
              "(development gold sentences when present, every pattern's example, and recombined "
              "hand-written news fragments). *Ratio* is hechos end to end (parse, code, write DuckDB) over "
              "bare spaCy `nlp.pipe` with the same model and batch size, each the best of two interleaved "
              "runs (rows before 2026-11-25 afternoon: single runs); target ≥ 0.8, peak RSS < 1.5 GB. "
              f"*Coder only* codes given parses ({parse_source}); for reference, UniversalPetrarch's "
              "coder codes 52–190 sentences/s on gold parses on this kind of machine.\n\n"
              "| date | machine | sentences | spaCy sent/s | hechos sent/s | ratio | coder-only sent/s | peak RSS MB |\n"
              "|---|---|---|---|---|---|---|---|\n")
    rows, others = [], ""
    if doc.exists():
        # this script owns the part above the first "## " heading; other benchmarks
        # (bench_store, bench_scale) own their sections below it
        text = doc.read_text(encoding="utf-8")
        cut = text.find("\n## ")
        mine, others = (text, "") if cut < 0 else (text[:cut], text[cut:])
        rows = [line for line in mine.splitlines() if line.startswith("| 20")]
    rows.append(row)
    doc.write_text(header + "\n".join(rows[-20:]) + "\n" + others, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
