"""`hechos explain`: the parse, the actors with the dictionary lines that coded them,
every pattern considered on every trigger, and the events with their modality."""

from __future__ import annotations

from .pipeline import Pipeline
from .records import ParsedSentence


def explain_text(text: str, lang: str = "es", date: str | None = None, pipeline: Pipeline | None = None) -> str:
    pipeline = pipeline or Pipeline(lang)
    pipeline.load()
    sentences = next(pipeline.parser.parse([text]))
    return "\n\n".join(explain_parsed(s, date, pipeline) for s in sentences)


def explain_parsed(sent: ParsedSentence, date: str | None, pipeline: Pipeline) -> str:
    mentions, coding = pipeline.explain_sentence(sent, date)
    lines = [f"sentence {sent.index}: {sent.text}", "", "parse:"]
    for t in sent.tokens:
        head = sent.tokens[t.head].text if t.head != t.i else "-"
        lines.append(f"  {t.i:>3} {t.text:<18} {t.lemma:<16} {t.pos:<6} {t.dep:<12} → {t.head:>3} {head}")
    lines.append("")
    lines.append("actors:" if mentions else "actors: none found")
    for m in mentions:
        role = "place" if m.kind == "place" else (m.code or "(no code)")
        lines.append(f"  [{m.start}-{m.end}) {m.text!r} → {role}  ({m.kind})")
        for ev in m.evidence:
            lines.append(f"      from {ev.file}:{ev.line}  {ev.entry!r}")
    lines.append("")
    lines.append("patterns considered:" if coding.candidates else "patterns considered: none (no trigger word in the dictionaries)")
    for c in coding.candidates:
        mark = "fired" if c.fired else "skipped"
        lines.append(f"  {sent.tokens[c.token].text!r}: {c.pattern.id} ({c.pattern.code}) "
                     f"{c.pattern.file}:{c.pattern.line} — {mark}: {c.reason}")
    lines.append("")
    lines.append("events:" if coding.events else "events: none")
    for e in coding.events:
        src = (e.source.code or e.source.text) if e.source else "-"
        tgt = (e.target.code or e.target.text) if e.target else "-"
        lines.append(f"  {e.cameo} {e.cameo_label} | {src} → {tgt} | {e.modality} | trigger {e.trigger!r} "
                     f"| rule {e.rule} | confidence {e.confidence}")
    return "\n".join(lines)
