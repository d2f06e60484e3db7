"""The embedded event database (DuckDB), written in Arrow batches.

Re-coding an article replaces its previous rows in one transaction, so running the
same input twice never duplicates events.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from ..records import ArticleResult

SCHEMA_VERSION = 1
DEFAULT_DB = "hechos.duckdb"

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS articles (
        article_id VARCHAR PRIMARY KEY, content_hash VARCHAR, title VARCHAR, url VARCHAR,
        source VARCHAR, date VARCHAR, lang VARCHAR, ingested_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS events (
        event_id VARCHAR, article_id VARCHAR, sentence_index INTEGER, sentence VARCHAR,
        trigger VARCHAR, cameo VARCHAR, cameo_root VARCHAR, cameo_label VARCHAR,
        plover_type VARCHAR, plover_mode VARCHAR, goldstein DOUBLE, quad_class INTEGER,
        source_text VARCHAR, source_code VARCHAR, source_country VARCHAR, source_sector VARCHAR,
        target_text VARCHAR, target_code VARCHAR, target_country VARCHAR, target_sector VARCHAR,
        modality VARCHAR, is_symmetric BOOLEAN, date VARCHAR, confidence DOUBLE, rule VARCHAR)""",
]

_EVENT_COLUMNS = ["event_id", "article_id", "sentence_index", "sentence", "trigger", "cameo", "cameo_root",
                  "cameo_label", "plover_type", "plover_mode", "goldstein", "quad_class",
                  "source_text", "source_code", "source_country", "source_sector",
                  "target_text", "target_code", "target_country", "target_sector",
                  "modality", "is_symmetric", "date", "confidence", "rule"]
_ARTICLE_COLUMNS = ["article_id", "content_hash", "title", "url", "source", "date", "lang", "ingested_at"]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EventStore:
    """Buffer results and write them to DuckDB in batches."""

    def __init__(self, path: str | Path = DEFAULT_DB, batch_articles: int = 500):
        import duckdb

        self.path = str(path)
        self.con = duckdb.connect(self.path)
        for statement in _SCHEMA:
            self.con.execute(statement)
        if self.con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 0:
            self.con.execute("INSERT INTO schema_version VALUES (?)", [SCHEMA_VERSION])
        self.batch_articles = batch_articles
        self._articles: list[dict] = []
        self._events: list[dict] = []
        self.articles_written = 0
        self.events_written = 0

    def add(self, result: ArticleResult) -> None:
        a = result.article
        self._articles.append({
            "article_id": a.id, "content_hash": content_hash(a.text), "title": a.title, "url": a.url,
            "source": a.source, "date": a.date, "lang": a.lang, "ingested_at": datetime.now(UTC).replace(tzinfo=None),
        })
        for e in result.events:
            d = e.as_dict()
            for role in ("source", "target"):
                actor = d.pop(role) or {}
                d[f"{role}_text"] = actor.get("text")
                d[f"{role}_code"] = actor.get("code")
                d[f"{role}_country"] = actor.get("country")
                d[f"{role}_sector"] = actor.get("sector")
            d.pop("type")
            d["is_symmetric"] = d.pop("symmetric")
            self._events.append(d)
        if len(self._articles) >= self.batch_articles:
            self.flush()

    def flush(self) -> None:
        if not self._articles:
            return
        articles = pa.Table.from_pylist(self._articles).select(_ARTICLE_COLUMNS)
        events = (pa.Table.from_pylist(self._events, schema=_event_schema()) if self._events
                  else _event_schema().empty_table())
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("new_articles", articles)
            con.register("new_events", events)
            con.execute("DELETE FROM events WHERE article_id IN (SELECT article_id FROM new_articles)")
            con.execute("DELETE FROM articles WHERE article_id IN (SELECT article_id FROM new_articles)")
            con.execute(f"INSERT INTO articles SELECT {', '.join(_ARTICLE_COLUMNS)} FROM new_articles")
            con.execute(f"INSERT INTO events SELECT {', '.join(_EVENT_COLUMNS)} FROM new_events")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("new_articles")
            con.unregister("new_events")
        self.articles_written += len(self._articles)
        self.events_written += len(self._events)
        self._articles, self._events = [], []

    def close(self) -> None:
        self.flush()
        self.con.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _event_schema() -> pa.Schema:
    types = {"sentence_index": pa.int32(), "goldstein": pa.float64(), "quad_class": pa.int32(),
             "confidence": pa.float64(), "is_symmetric": pa.bool_()}
    return pa.schema([(c, types.get(c, pa.string())) for c in _EVENT_COLUMNS])


def dumps_event(event_dict: dict) -> str:
    """One JSON line, stable key order and formatting (byte-identical reruns)."""
    return json.dumps(event_dict, ensure_ascii=False)
