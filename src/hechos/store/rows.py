"""ArticleResult → flat rows and Arrow tables with the database's columns.

One place decides how a record becomes a row, so the DuckDB store, the exports and
the Spark job write the same columns with the same types.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date as Date
from datetime import datetime

import pyarrow as pa

from ..records import ActorRef, ArticleResult, Event, Quote
from .schema import ARTICLE_COLUMNS, EVENT_COLUMNS, MENTION_COLUMNS, QUOTE_COLUMNS

_ARROW_TYPES = {
    "VARCHAR": pa.string(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "INTEGER[]": pa.list_(pa.int32()),
}


def arrow_schema(columns: list[tuple[str, str]]) -> pa.Schema:
    return pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in columns])


ARTICLE_SCHEMA = arrow_schema(ARTICLE_COLUMNS)
EVENT_SCHEMA = arrow_schema(EVENT_COLUMNS)
QUOTE_SCHEMA = arrow_schema(QUOTE_COLUMNS)
MENTION_SCHEMA = arrow_schema(MENTION_COLUMNS)
SCHEMAS = {"articles": ARTICLE_SCHEMA, "events": EVENT_SCHEMA, "quotes": QUOTE_SCHEMA,
           "mentions": MENTION_SCHEMA}


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_key(digest: str, coder: str | None) -> str:
    """An article is unchanged when its text and what coded it are (CONTENT_KEY_SQL)."""
    return f"{digest}|{coder or ''}"


CONTENT_KEY_SQL = "content_hash || '|' || coalesce(coder, '')"


def event_day(date: str | None, article_date: str | None) -> Date | None:
    """The first day of the event's date at its precision, else the article's date."""
    for value in (date, article_date):
        if not value:
            continue
        parts = value.split("-")
        try:
            return Date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
        except (ValueError, IndexError):
            continue
    return None


def _actor(prefix: str, actor: ActorRef | None) -> dict:
    if actor is None:
        return {f"{prefix}_{f}": None for f in ("text", "code", "country", "sector", "start", "end", "resolved_from")}
    start, end = actor.span if actor.span else (None, None)
    return {f"{prefix}_text": actor.text, f"{prefix}_code": actor.code, f"{prefix}_country": actor.country,
            f"{prefix}_sector": actor.sector, f"{prefix}_start": start, f"{prefix}_end": end,
            f"{prefix}_resolved_from": actor.resolved_from}


def event_row(e: Event, article_date: str | None) -> dict:
    loc = e.location
    trig_start, trig_end = e.trigger_span if e.trigger_span else (None, None)
    return {
        "event_id": e.event_id, "article_id": e.article_id, "sentence_index": e.sentence_index,
        "sentence": e.sentence, "trigger": e.trigger, "trigger_start": trig_start, "trigger_end": trig_end,
        "cameo": e.cameo, "cameo_root": e.cameo_root, "cameo_label": e.cameo_label,
        "plover_type": e.plover_type, "plover_mode": e.plover_mode, "goldstein": e.goldstein,
        "quad_class": e.quad_class, **_actor("source", e.source), **_actor("target", e.target),
        "modality": e.modality, "is_symmetric": e.symmetric, "date": e.date,
        "date_precision": e.date_precision, "date_source": e.date_source, "date_phrase": e.date_phrase,
        "event_day": event_day(e.date, article_date),
        "location_name": loc.name if loc else None, "location_text": loc.text if loc else None,
        "location_country": loc.country if loc else None, "location_admin1": loc.admin1 if loc else None,
        "location_lat": loc.lat if loc else None, "location_lon": loc.lon if loc else None,
        "location_feature": loc.feature if loc else None, "location_how": loc.how if loc else None,
        "mentions": e.mentions, "sentence_indexes": list(e.sentence_indexes) or [e.sentence_index],
        "confidence": e.confidence, "rule": e.rule,
    }


def quote_row(q: Quote) -> dict:
    s = q.speaker
    return {"quote_id": q.quote_id, "article_id": q.article_id, "sentence_index": q.sentence_index,
            "quote": q.quote, "kind": q.kind, "verb": q.verb,
            "speaker_text": s.text if s else None, "speaker_code": s.code if s else None,
            "speaker_country": s.country if s else None, "speaker_sector": s.sector if s else None,
            "speaker_resolved_from": s.resolved_from if s else None, "event_id": q.event_id}


def result_rows(result: ArticleResult, ingested_at: datetime, with_mentions: bool = True) -> dict[str, list[dict]]:
    a = result.article
    rows: dict[str, list[dict]] = {
        "articles": [{"article_id": a.id, "content_hash": content_hash(a.text), "title": a.title, "url": a.url,
                      "source": a.source, "date": a.date, "lang": a.lang, "ingested_at": ingested_at,
                      "n_sentences": len(result.sentences), "n_events": len(result.events),
                      "n_quotes": len(result.quotes), "coder": result.coder or None}],
        "events": [event_row(e, a.date) for e in result.events],
        "quotes": [quote_row(q) for q in result.quotes],
        "mentions": [],
    }
    if with_mentions:
        for sent_index, found in enumerate(result.mentions):
            for m in found:
                rows["mentions"].append({
                    "article_id": a.id, "sentence_index": sent_index, "start": m.start, "end": m.end,
                    "text": m.text, "code": m.code or None, "country": m.country,
                    "sectors": ",".join(m.sectors) or None, "kind": m.kind})
    return rows


def to_arrow(table: str, rows: Iterable[dict]) -> pa.Table:
    rows = list(rows)
    schema = SCHEMAS[table]
    if not rows:
        return schema.empty_table()
    return pa.Table.from_pylist(rows, schema=schema)
