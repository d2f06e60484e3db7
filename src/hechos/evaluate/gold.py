"""Read PETRARCH-style validation XML: sentences, their gold events, text and parse."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import HechosError
from ..ontology import is_cameo_code

# "20000610	20000610_NYN_P1_P10888 | Desconocidos ..." and ") Texto": source-file debris
_ID_PREFIX = re.compile(r"^\s*(?:\d{8}\s+\S+\s*\|\s*|\)\s*)")
_DATE_PREFIX = re.compile(r"^\s*((?:19|20)\d{6})\s+\S+\s*\|")
_RANGE = re.compile(r"^(\d{3})-(\d{3})$")
_FULL = re.compile(r"^(\d{3,4})(?:_.*)?$")
_ROOT = re.compile(r"^(\d{2})(?:_.*)?$")

# The gold sets annotate what a sentence reports as happening or scheduled: "realizarán
# una marcha el jueves" is coded as a demonstration. Feared, demanded or conditional
# events (hypothetical) and denied ones (negated) are not annotated, so they are not scored.
COUNTED_MODALITIES = ("asserted", "attempted", "future")


@dataclass(frozen=True, slots=True)
class GoldCode:
    """What a gold eventcode accepts."""

    raw: str
    roots: frozenset[str]  # accepted 2-digit roots
    full: str | None = None  # the full code when the gold gives one
    range_codes: frozenset[str] = frozenset()  # "081-083" → {081, 082, 083}

    def accepts_root(self, code: str) -> bool:
        if self.range_codes:
            return code[:3] in self.range_codes
        return code[:2] in self.roots

    def accepts_full(self, code: str) -> bool:
        return self.full is not None and code == self.full

    @property
    def label(self) -> str:
        if self.range_codes:
            return self.raw
        return "/".join(sorted(self.roots))


def parse_gold_code(raw: str) -> GoldCode | None:
    """None when the code is empty or not a CAMEO code ("country", "---")."""
    code = (raw or "").strip()
    if not code:
        return None
    if "/" in code:
        roots = [c.strip() for c in code.split("/")]
        if all(re.fullmatch(r"\d{2}", r) and is_cameo_code(r) for r in roots):
            return GoldCode(code, frozenset(roots))
        return None
    m = _RANGE.match(code)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo > hi or m.group(1)[:2] != m.group(2)[:2]:
            return None
        codes = frozenset(f"{n:03d}" for n in range(lo, hi + 1))
        return GoldCode(code, frozenset({m.group(1)[:2]}), None, codes)
    m = _FULL.match(code)
    if m and is_cameo_code(m.group(1)):
        return GoldCode(code, frozenset({m.group(1)[:2]}), m.group(1))
    m = _ROOT.match(code)
    if m and is_cameo_code(m.group(1)):
        return GoldCode(code, frozenset({m.group(1)}))
    return None


@dataclass(frozen=True, slots=True)
class GoldEvent:
    eid: str
    code: GoldCode
    source: str | None  # gold actor code; None when not given ("" or "---")
    target: str | None
    event_text: str = ""
    source_text: str = ""
    target_text: str = ""


@dataclass(slots=True)
class GoldSentence:
    id: str
    date: str | None  # YYYY-MM-DD
    text: str
    events: list[GoldEvent] = field(default_factory=list)
    parse: str | None = None
    file: str = ""

    @property
    def all_full(self) -> bool:
        return bool(self.events) and all(e.code.full is not None for e in self.events)


def _actor(raw: str | None) -> str | None:
    code = (raw or "").strip()
    return None if code in ("", "---") else code


def clean_text(text: str) -> str:
    return _ID_PREFIX.sub("", " ".join(text.split()))


def read_gold(path: str | Path) -> list[GoldSentence]:
    """Sentences to evaluate (those with evaluate="false" are left out)."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise HechosError(f"cannot read gold file {path}: {exc}") from None
    out = []
    for node in root.iter("Sentence"):
        if node.get("evaluate", "true").strip().lower() == "false":
            continue
        text_node = node.find("Text")
        if text_node is None or not (text_node.text or "").strip():
            continue
        raw_date = (node.get("date") or "").strip()
        # "20000610	20000610_NYN_... | text": the source record's own date, which is the
        # article's; the Sentence attribute can be the annotation date instead.
        prefix = _DATE_PREFIX.match(text_node.text or "")
        if prefix:
            raw_date = prefix.group(1)
        date = f"{raw_date[:4]}-{raw_date[4:6]}-{raw_date[6:8]}" if re.fullmatch(r"\d{8}", raw_date) else None
        texts = {t.get("eid"): t for t in node.findall("EventText")}
        events = []
        for coding in node.findall("EventCoding"):
            code = parse_gold_code(coding.get("eventcode", ""))
            if code is None:
                continue
            eid = coding.get("eid", "")
            et = texts.get(eid)
            events.append(GoldEvent(
                eid=eid, code=code, source=_actor(coding.get("sourcecode")), target=_actor(coding.get("targetcode")),
                event_text=et.get("eventtext", "") if et is not None else "",
                source_text=et.get("sourcetext", "") if et is not None else "",
                target_text=et.get("targettext", "") if et is not None else "",
            ))
        parse_node = node.find("Parse")
        out.append(GoldSentence(id=node.get("id", ""), date=date, text=clean_text(text_node.text or ""),
                                events=events, parse=parse_node.text if parse_node is not None else None,
                                file=str(path)))
    return out


# Probe sets: one sentence per line, "sentence<TAB>YYYY-MM-DD<TAB>expected", where
# expected is "none" or "CODE:SOURCE>TARGET:MODALITY;..." (benchmarks/probes/README.md).
# Events whose modality is not scored (hypothetical, negated) are not gold events.


def read_probes(path: str | Path) -> list[GoldSentence]:
    """Sentences of a probe-set TSV file, as gold sentences with full-code events."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise HechosError(f"cannot read probe file {path}: {exc}") from None
    out = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise HechosError(f"{path}:{number}: expected 3 tab-separated fields, got {len(fields)}")
        text, date, expected = (f.strip() for f in fields)
        events = []
        for k, item in enumerate(e for e in expected.split(";") if e.strip() and e.strip().lower() != "none"):
            parts = [p.strip() for p in item.split(":")]
            code = parse_gold_code(parts[0])
            modality = parts[2] if len(parts) > 2 else "asserted"
            if code is None or modality not in COUNTED_MODALITIES:
                continue
            source, _, target = (parts[1] if len(parts) > 1 else "").partition(">")
            events.append(GoldEvent(str(k), code, _actor(source.replace("-", "")), _actor(target.replace("-", ""))))
        out.append(GoldSentence(id=f"{Path(path).stem}:{number}", date=date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
                                else None, text=text, events=events, file=str(path)))
    return out


def read_any(path: str | Path) -> list[GoldSentence]:
    """Gold XML, or a probe-set TSV file (by its extension)."""
    return read_probes(path) if str(path).endswith(".tsv") else read_gold(path)
