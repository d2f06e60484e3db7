"""`make quality`: score every development gold file and write docs/quality.md.

Runs the same code as `hechos evaluate` (spaCy parses, and the gold CoNLL-U parses for
comparison) and records the command, the date and the figures.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from hechos.evaluate.gold import read_gold, read_probes
from hechos.evaluate.report import evaluate_sentences
from hechos.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold"
PROBES = ROOT / "benchmarks" / "probes"
# UniversalPetrarch, the open UD-based coder with Spanish dictionaries, scored with
# the same convention (figures given in the project's issues).
BASELINE = {"spanish_fight.dev.xml": 0.53, "spanish_protest.dev.xml": 0.21}
MERGED = (frozenset({"14", "15"}),)


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def main() -> int:
    files = sorted(GOLD.glob("*.xml"))
    if not files:
        print(f"no gold files under {GOLD}", file=sys.stderr)
        return 1
    pipeline = Pipeline("es", merge_mentions=False).load()
    rows = []
    status = []  # against the targets of issue 4, spaCy parses only
    for path in files:
        sentences = read_gold(path)
        for gold_parse, equivalent in ((False, ()), (True, ()), (False, MERGED)):
            ev = evaluate_sentences(sentences, pipeline, gold_parse=gold_parse, equivalent=equivalent)
            s = ev.summary()
            parse = "gold CoNLL-U" if gold_parse else "spaCy"
            if equivalent:
                parse += ", 14=15"
            rows.append(
                f"| {path.name} | {parse} | {s['sentences']} | {s['gold_events']} | "
                f"{s['predicted_events']} | {_f(s['root']['precision'])} | {_f(s['root']['recall'])} | "
                f"**{_f(s['root']['f1'])}** | {_f(s['full']['precision'])} | {_f(s['full']['recall'])} | "
                f"{_f(s['full']['f1'])} | {_f(s['source_country_accuracy'])} | {_f(s['target_country_accuracy'])} | "
                f"{_f(s['source_code_accuracy'])} | {_f(s['target_code_accuracy'])} | "
                f"{BASELINE.get(path.name, '–') if not gold_parse and not equivalent else ''} |")
            print(rows[-1])
            if not gold_parse and not equivalent:
                status.extend(_status(path.name, s))
    probe_rows = []
    for path in sorted(PROBES.glob("*.tsv")):
        s = evaluate_sentences(read_probes(path), pipeline).summary()
        probe_rows.append(f"| {path.name} | {s['sentences']} | {s['gold_events']} | {s['predicted_events']} | "
                          f"{_f(s['root']['precision'])} | {_f(s['root']['recall'])} | **{_f(s['root']['f1'])}** | "
                          f"{_f(s['full']['f1'])} |")
        print(probe_rows[-1])
    doc = ROOT / "docs" / "quality.md"
    doc.write_text(
        "# Coding quality\n\n"
        f"Measured on {date.today().isoformat()} with `make quality` (`benchmarks/quality.py`), which runs the "
        "same scorer as `hechos evaluate ../shared/gold/FILE.xml --json` (and `--gold-parse`) on every "
        "development gold file. Event-level scores: a prediction (modality asserted, attempted or future: the "
        "gold annotates scheduled events such as \"realizarán una marcha el jueves\", not feared, demanded or "
        "denied ones) matches a "
        "gold event of the same sentence at the CAMEO root level (root P/R/F1) or the full code (full "
        "P/R/F1, only on sentences whose gold codes are all full codes); each gold event is matched at most "
        "once (maximum matching). Actor agreement is measured on root-matched pairs where gold gives an "
        "actor code: the country part and the full code, separately.\n\n"
        "Rows marked *14=15* are an analysis aid, not the score: they are computed with "
        "`hechos evaluate --equivalent 14=15`, which matches a predicted root 14 with a gold 15. The protest "
        "set was converted from PLOVER, and its conversion files many demonstrations and strikes (PLOVER "
        "MOBILIZE) under CAMEO 15, where CAMEO puts them under 14 (141 demonstrate, 143 strike); hechos "
        "follows the CAMEO codebook, and the row shows how much of the gap that accounts for.\n\n"
        "The development sets are half of public validation sets; the other half and other news are a blind "
        "test. Rules are not fitted to these sentences: they are used to find missing coverage.\n\n"
        "| file | parse | sentences | gold events | predicted | root P | root R | root F1 | full P | full R | "
        "full F1 | src country | tgt country | src code | tgt code | UniversalPetrarch root F1 |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        "## Probe sets: other domains, other styles\n\n"
        "`benchmarks/probes/*.tsv` (see its README): 978 sentences of diplomacy, protest and political "
        "violence from 1990s wire copy to 2026 online news, written for this project with the CAMEO codes a "
        "careful coder would give; their labels are not reviewed gold, so read the figures as a trend across "
        "versions, not as accuracy. Scored like the gold (root and full code; symmetric events once).\n\n"
        "| file | sentences | expected events | predicted | root P | root R | root F1 | full F1 |\n"
        "|---|---|---|---|---|---|---|---|\n" + "\n".join(probe_rows) + "\n\n"
        "## Targets (issue 4) and where the gap is\n\n"
        "Targets: fight root F1 ≥ 0.80, full-code F1 ≥ 0.70, source and target country agreement ≥ 0.85; "
        "protest root F1 ≥ 0.70.\n\n" + "\n".join(status) + "\n\n"
        "- **Fight.** The gold codes the killing of an ordinary person inconsistently: up to 2006 mostly "
        "190 (or 193 when shots are named), from 2007 mostly 186, for the same wording (\"Paramilitares "
        "ejecutaron a un campesino\"). hechos follows one rule (186 for political and public figures, 193 "
        "with firearms, else 190), so about a dozen killings can only match one era (16 of the 32 "
        "missed gold events are such 186 killings, and 15 of the 25 unmatched predictions are the same "
        "killings coded 190 or 193). The same gold codes "
        "some happenings once and some twice (the injured of a clash once, the dead of a clash twice; "
        "\"resultaron heridas al pisar una mina instalada por guerrilleros\" as 182 and 190), and "
        "dynamited bridges 190 but dynamited power towers 171; hechos records one event per happening "
        "and codes armed groups blowing up bridges 190, infrastructure 1712. Other misses are "
        "inferences the words do not state (a body found → 190) and noun events reported by another verb "
        "(\"denunció el asesinato de...\": hechos codes the denunciation, and the killing only where the "
        "noun is the sentence's own news).\n"
        "- **Protest.** The reference table (`../shared/reference/plover.md`) defines PLOVER MOBILIZE as "
        "troops, weapons, police and militia, and CAMEO puts demonstrations under 141 and strikes under "
        "143; the protest gold files about 100 demonstrations, marches and strikes under MOBILIZE → 15. "
        "Its older DEMAND category also takes requests (\"piden que...\", CAMEO 02). Street clashes are "
        "ASSAULT (18/19/20) there and 145 (riot) in CAMEO. The *14=15* row shows the first of these "
        "alone is worth 0.13 F1; hechos keeps the codebook's codes, which users join with GDELT and ICEWS.\n",
        encoding="utf-8")
    return 0


TARGETS = {"spanish_fight.dev.xml": (("root F1", ("root", "f1"), 0.80), ("full-code F1", ("full", "f1"), 0.70),
                                      ("source-country agreement", ("source_country_accuracy",), 0.85),
                                      ("target-country agreement", ("target_country_accuracy",), 0.85)),
           "spanish_protest.dev.xml": (("root F1", ("root", "f1"), 0.70),)}


def _status(name: str, summary: dict) -> list[str]:
    lines = []
    for label, keys, target in TARGETS.get(name, ()):
        value = summary
        for key in keys:
            value = value[key]
        met = value is not None and value >= target
        lines.append(f"- {name}: {label} {_f(value)} (target ≥ {target:.2f}): {'met' if met else '**not met**'}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
